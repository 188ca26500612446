/**
 * Issue 16, item 7: `gameday create` finds out whether the cluster enforces NetworkPolicy with a
 * probe pair of pods (server in one team namespace, client in another), says plainly when it
 * does not, removes the pods after, is bounded in time, and is skipped with --no-network-probe.
 */
import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../../src/cli/main.js';
import { probeNetworkPolicy } from '../../../../src/engine/gameday/netpolProbe.js';
import { capture } from '../../../fakes/captureIo.js';
import { MemoryGameCluster, memoryFiles } from '../../../fakes/memoryGameCluster.js';
import { VirtualClock } from '../../../fakes/clock.js';

const START = Date.parse('2026-11-30T10:00:00Z');
const clock = VirtualClock.stopped(START);

async function create(cluster: MemoryGameCluster, extra: string[] = []) {
  const c = capture();
  const code = await main(['--yes', 'gameday', 'create', 'hd2', '--teams', '2', '--scenarios', 'oom', ...extra], c.io, { gameCluster: () => cluster, gamedayFiles: memoryFiles(), clock } as unknown as Deps);
  return { code, out: c.out(), err: c.err() };
}

const probePods = (cluster: MemoryGameCluster) => [...cluster.objects.values()].filter((o) => o.kind === 'Pod');

describe('the NetworkPolicy probe at create', () => {
  it('a cluster that ignores NetworkPolicy is named plainly; the probe pods are gone after', async () => {
    const cluster = new MemoryGameCluster(() => START);
    cluster.networkPolicyEnforced = false;
    const r = await create(cluster);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      "warning: this cluster ignores NetworkPolicy: a pod in crashlab-hd2-team-2 reached a pod in crashlab-hd2-team-1 despite the game's policy, so teams can reach each other's pods",
    );
    expect(probePods(cluster)).toEqual([]);
  });

  it('an enforcing cluster is said on stdout; --json carries the verdict', async () => {
    const cluster = new MemoryGameCluster(() => START);
    const r = await create(cluster, ['--json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).networkPolicy).toMatchObject({ verdict: 'enforced', server: 'crashlab-hd2-team-1', client: 'crashlab-hd2-team-2', message: expect.stringMatching(/which a pod of its own namespace reached/) });
    expect(probePods(cluster)).toEqual([]);
  });

  it('pods that cannot reach each other at all are not taken for enforcement: the peer in the server\'s namespace is the control', async () => {
    const cluster = new MemoryGameCluster(() => START);
    cluster.podNetworkBroken = true;
    const r = await create(cluster, ['--json']);
    expect(JSON.parse(r.out).networkPolicy).toMatchObject({ verdict: 'unknown', message: expect.stringMatching(/could not tell whether this cluster enforces NetworkPolicy: a pod in the probe server's own namespace could not reach it either/) });
    expect(probePods(cluster)).toEqual([]);
  });

  it('runs while the teams\' tokens are issued, after every team\'s policy exists; a create that fails still removes its pods', async () => {
    const cluster = new MemoryGameCluster(() => START);
    const steps: string[] = [];
    const apply = cluster.applyObjects.bind(cluster);
    cluster.applyObjects = async (objects) => {
      if (objects.some((o) => o.kind === 'NetworkPolicy')) steps.push('policies');
      if (objects.some((o) => o.kind === 'Pod')) steps.push('probe pod');
      return apply(objects);
    };
    const token = cluster.createToken.bind(cluster);
    // The second team's token waits until the probe's server pod exists: a create that probed
    // only after every token would never get past it.
    let probeStarted!: () => void;
    const started = new Promise<void>((resolve) => (probeStarted = resolve));
    cluster.createToken = async (ns, sa, seconds) => {
      if (ns.endsWith('team-2')) await started;
      steps.push(`token ${ns}`);
      return token(ns, sa, seconds);
    };
    const applyWatch = cluster.applyObjects;
    cluster.applyObjects = async (objects) => {
      const out = await applyWatch(objects);
      if (objects.some((o) => o.kind === 'Pod')) probeStarted();
      return out;
    };
    const r = await create(cluster, ['--json']);
    expect(r.code).toBe(0);
    expect(steps.indexOf('policies')).toBeLessThan(steps.indexOf('probe pod'));
    expect(steps.indexOf('probe pod')).toBeLessThan(steps.indexOf('token crashlab-hd2-team-2'));
    expect(JSON.parse(r.out).networkPolicy).toMatchObject({ verdict: 'enforced' });
    expect(probePods(cluster)).toEqual([]);

    const failing = new MemoryGameCluster(() => START);
    const failingToken = failing.createToken.bind(failing);
    failing.createToken = async (ns, sa, seconds) => {
      if (ns.endsWith('team-2')) throw new Error('TokenRequest refused');
      return failingToken(ns, sa, seconds);
    };
    const failed = await create(failing);
    expect(failed.code).not.toBe(0);
    expect(failed.err).toContain('TokenRequest refused');
    expect(probePods(failing)).toEqual([]);
  });

  it('--no-network-probe starts no pod; a dry run names the probe and starts nothing', async () => {
    const cluster = new MemoryGameCluster(() => START);
    let applied = 0;
    const apply = cluster.applyObjects.bind(cluster);
    cluster.applyObjects = async (objects) => ((applied += objects.filter((o) => o.kind === 'Pod').length), apply(objects));
    const r = await create(cluster, ['--no-network-probe']);
    expect(r.code).toBe(0);
    expect(applied).toBe(0);
    expect(r.out + r.err).not.toMatch(/NetworkPolicy/);
    const dry = await create(new MemoryGameCluster(() => START), ['--dry-run']);
    expect(dry.out).toMatch(/# then a network probe: pod crashlab-netpol-probe-server \(busybox\) in the first team, crashlab-netpol-probe-peer next to it and crashlab-netpol-probe-client across the game's NetworkPolicy try to reach it, for at most 25 s, and are removed \(skip with --no-network-probe\)/);
  });

  it('a probe server that never becomes ready: "could not tell", within the budget, pods removed', async () => {
    const cluster = new MemoryGameCluster(() => START);
    await create(cluster, ['--no-network-probe']);
    cluster.getObject = async () => undefined;
    let now = START;
    const slowClock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const result = await probeNetworkPolicy({ cluster, clock: slowClock }, 'hd2', ['team-1', 'team-2']);
    expect(result.verdict).toBe('unknown');
    expect(result.message).toBe('could not tell whether this cluster enforces NetworkPolicy: the probe server was not ready within 25 s');
    expect(result.ms).toBeLessThanOrEqual(25_000);
    expect(probePods(cluster)).toEqual([]);
  });
});
