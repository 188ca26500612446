/**
 * Issue 21, item 20: 20 notes at once from one team all land. One compare-and-swap loop
 * (engine/gameday/configMapWrites.ts appendToTeamLog) serves the board and the team's lab (compose.ts),
 * retrying a lost race after a jittered pause.
 */
import { describe, expect, it } from 'vitest';
import { appendToTeamLog } from '../../../../src/engine/gameday/configMapWrites.js';
import { parseEventLog } from '../../../../src/core/gameday/events.js';
import { MemoryGameCluster } from '../../../fakes/memoryGameCluster.js';

describe('concurrent appends to one team log', () => {
  it('20 writers that all read the same version: every event is in the log once', async () => {
    const cluster = new MemoryGameCluster();
    const ns = 'crashlab-g1-team-1';
    cluster.setConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns, labels: { 'crashlab.dev/game': 'g1', 'crashlab.dev/team': 'team-1' } }, data: { events: '' } });
    const notes = Array.from({ length: 20 }, (_, i) => ({ type: 'note' as const, text: `note ${i}`, at: '2026-11-30T10:00:00.000Z' }));
    await Promise.all(notes.map((note) => appendToTeamLog(cluster, ns, 'g1', 'team-1', [note])));
    const log = parseEventLog((await cluster.getConfigMap(ns, 'crashlab-progress'))!.data!.events);
    expect(log.bad).toEqual([]);
    expect(log.events.map((e) => (e as { text: string }).text).sort()).toEqual(notes.map((n) => n.text).sort());
  }, 20_000);
});
