import { describe, expect, it } from 'vitest';
import { silentNodes } from '../../../src/core/verify/nodeHeartbeat.js';

describe('silentNodes (kubelet heartbeats across a stability window)', () => {
  const start = { 'node-a': '2026-12-06T15:15:40.123456Z', 'node-b': '2026-12-06T15:15:41.000001Z', 'node-c': undefined };

  it('names the nodes whose Lease did not move, in order; an unreadable Lease gives no opinion', () => {
    expect(silentNodes(start, { 'node-a': '2026-12-06T15:15:40.123456Z', 'node-b': '2026-12-06T15:15:51.2Z', 'node-c': undefined }, 20_000)).toEqual(['node-a']);
    expect(silentNodes({ 'node-b': start['node-b'], 'node-a': start['node-a'] }, start, 31_000)).toEqual(['node-a', 'node-b']);
    // Unreadable at the end (forbidden, gone): no opinion either.
    expect(silentNodes(start, {}, 31_000)).toEqual([]);
  });

  it('has no opinion on a window shorter than one sure renewal (every 10 s)', () => {
    expect(silentNodes(start, start, 14_999)).toEqual([]);
    expect(silentNodes(start, start, 15_000)).toEqual(['node-a', 'node-b']);
  });
});
