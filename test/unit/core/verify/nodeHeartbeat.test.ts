import { describe, expect, it } from 'vitest';
import { recoveringNodes, silentNodes } from '../../../../src/core/verify/nodeHeartbeat.js';

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

describe('recoveringNodes (a kubelet silent when the window opened, back during it)', () => {
  it('names a node whose renewals jumped by more than the window plus 15 s; a steady or unreadable one gives no opinion', () => {
    // Seen in the faults suite: the kubelet down 30 s, the window opened 25 s into it, 20 s long.
    const atStart = { steady: '2026-12-06T17:19:30.000Z', back: '2026-12-06T17:19:05.000Z', unknown: undefined };
    const atEnd = { steady: '2026-12-06T17:19:50.000Z', back: '2026-12-06T17:19:48.000Z', unknown: '2026-12-06T17:19:48.000Z' };
    expect(recoveringNodes(atStart, atEnd, 20_000)).toEqual(['back']);
    // Two renewals 10 s apart either side of a 20 s window: at most a 40 s jump, no opinion.
    expect(recoveringNodes({ n: '2026-12-06T17:00:00.000Z' }, { n: '2026-12-06T17:00:35.000Z' }, 20_000)).toEqual([]);
    expect(recoveringNodes(atStart, {}, 20_000)).toEqual([]);
  });
});
