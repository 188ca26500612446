/**
 * Issue 21, item 20: 20 notes at once from one team all land. One compare-and-swap loop
 * (engine/gameday/configMapWrites.ts appendToTeamLog) serves the board and the team's lab (compose.ts),
 * retrying a lost race after a jittered pause.
 */
import { describe, expect, it } from 'vitest';
import { appendToTeamLog, appendToTeamLogs } from '../../../../src/engine/gameday/configMapWrites.js';
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

describe('one event for many team logs (a round\'s releases)', () => {
  const log = (ns: string, team: string, events = '') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns, labels: { 'crashlab.dev/game': 'g1', 'crashlab.dev/team': team } }, data: { events } });
  const released = (i: number) => ({ at: '2026-12-07T02:00:00.000Z', type: 'released' as const, instance: `i-00000${i}`, via: 'round' as const, round: 1 });
  const ns = (i: number) => `crashlab-g1-team-${i}`;

  it('writes them in a few replace calls; a log that moved meanwhile, one missing and one already written each end with the event once', async () => {
    const cluster = new MemoryGameCluster();
    const teams = Array.from({ length: 30 }, (_, i) => i + 1);
    // team-30 has no log yet; team-29 already has its release (a retried round).
    for (const i of teams.slice(0, 29)) cluster.setConfigMap(log(ns(i), `team-${i}`, i === 29 ? `${JSON.stringify(released(29))}\n` : ''));
    // The first replace loses its race (a team wrote in between): that log is written again on its own.
    cluster.conflicts = 1;
    await appendToTeamLogs(
      cluster,
      'g1',
      teams.map((i) => ({ namespace: ns(i), team: `team-${i}`, events: [released(i)], skipIf: (text) => (text ?? '').includes(`"instance":"i-00000${i}"`) })),
      8,
    );
    for (const i of teams) {
      const events = parseEventLog((await cluster.getConfigMap(ns(i), 'crashlab-progress'))!.data!.events).events;
      expect(events.filter((e) => e.type === 'released').map((e) => (e as { instance: string }).instance), `team-${i}`).toEqual([`i-00000${i}`]);
    }
    // The 29 logs read, in as few calls of up to 25 as hold them: 2 kubectl processes, not two per team.
    expect(cluster.replaceCalls).toBe(2);
  });
});
