/**
 * Issue 21, item 13: the game's instance list is pruned. A removed instance is marked in the
 * game metadata (its record stays for the score) and never deleted again: round 8 deletes only
 * the live round's instances, not every earlier round's.
 */
import { describe, expect, it } from 'vitest';
import { readGameMeta, releaseScenario } from '../../../../src/engine/gameday/control.js';
import { MemoryKube } from '../../../fakes/memoryKube.js';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { MemoryGameCluster } from '../../../fakes/memoryGameCluster.js';

describe('rounds after rounds', () => {
  it('each round deletes only the instances still live (one per team), however many rounds came before', async () => {
    const cluster = new MemoryGameCluster();
    cluster.setConfigMap({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' } },
      data: { game: JSON.stringify({ name: 'g1', teams: ['team-1', 'team-2'], scenarios: [] }) },
    });
    const deletes: string[][] = [];
    const kube = new MemoryKube('crashlab-local');
    kube.run = async (args: string[]) => (deletes.push(args), { exitCode: 0, stdout: '', stderr: '' });
    const catalog = await loadCatalog(packageRoot());
    const ids = ['oom', 'bad-command', 'probe-path', 'secret-typo', 'oom', 'bad-command', 'probe-path', 'secret-typo'];
    let seed = 1;
    const random = (n: number) => Uint8Array.from({ length: n }, () => seed++ % 251);
    const clock = new VirtualClock(Date.parse('2026-11-30T10:00:00Z'));
    const perRound: number[] = [];
    for (const id of ids) {
      const bundle = catalog.bundles.find((b) => b.scenario.id === id)!;
      const before = deletes.length;
      await releaseScenario({ cluster, kube, clock, game: 'g1', bundle, via: 'round', random });
      // Instances named in this round's delete selectors (`instance in (a,b)`).
      perRound.push(deletes.slice(before).flatMap((args) => /instance in \((.*)\)/.exec(args[args.indexOf('-l') + 1])![1].split(',')).length);
    }
    expect(perRound).toEqual([0, 2, 2, 2, 2, 2, 2, 2]);
    const { meta } = await readGameMeta(cluster, 'g1');
    // Every instance is still known (scores), 14 of the 16 are marked removed.
    expect(Object.keys(meta.instances)).toHaveLength(16);
    expect(Object.values(meta.instances).filter((r) => r.removedAt)).toHaveLength(14);
  });
});
