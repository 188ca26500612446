import { liveInstances } from '../../../../src/core/instance.js';
import { describe, expect, it } from 'vitest';
import { releaseScenario } from '../../../../src/engine/gameday/control.js';
import { matchesSelector } from '../../../../src/core/gameday/selector.js';
import { parseEventLog } from '../../../../src/core/gameday/events.js';
import type { K8sObject } from '../../../../src/core/k8s.js';
import { MemoryKube } from '../../../fakes/memoryKube.js';
import type { ScenarioBundle } from '../../../../src/engine/scenarioRuns.js';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { MemoryGameCluster } from '../../../fakes/memoryGameCluster.js';
import { KUBECTL_CONCURRENCY } from '../../../../src/core/limit.js';

const gameLabels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };

async function oomBundle(): Promise<ScenarioBundle> {
  const catalog = await loadCatalog(packageRoot());
  return catalog.bundles.find((b) => b.scenario.id === 'oom')!;
}

function recordingKube() {
  const runs: string[][] = [];
  const kube = new MemoryKube('crashlab-local');
  kube.apply = async () => {
    throw new Error('a release applies through GameCluster.applyObjects, in one call');
  };
  kube.run = async (args: string[]) => (runs.push(args), { exitCode: 0, stdout: '', stderr: '' });
  return { kube, runs };
}

function game(cluster: MemoryGameCluster, extra: object = {}) {
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels: gameLabels },
    data: { game: JSON.stringify({ name: 'g1', teams: ['team-1', 'team-2', 'team-3'], scenarios: ['oom', 'bad-command'], ...extra }) },
  });
}

let seed = 1;
const random = (n: number) => Uint8Array.from({ length: n }, () => seed++ % 251);

describe('releaseScenario', () => {
  it('a round: mapping first, a distinct opaque instance per team, a released event in every log, the clock started', async () => {
    const cluster = new MemoryGameCluster();
    game(cluster);
    const { kube } = recordingKube();
    const clock = new VirtualClock(Date.parse('2026-11-30T10:00:00Z'));
    const result = await releaseScenario({ cluster, kube, clock, game: 'g1', bundle: await oomBundle(), via: 'round', random });
    expect(result).toMatchObject({ round: 1, startedClock: true });
    const instances = result.released.map((r) => r.instance);
    expect(new Set(instances).size).toBe(3);
    for (const id of instances) expect(id).toMatch(/^i-[a-z2-7]{6}$/);
    // A few applies (at most KUBECTL_CONCURRENCY, all at once) for every team's workload, each object in its team's namespace.
    const workloads = cluster.applied.filter((a) => !a.some((o) => o.metadata.name === 'crashlab-progress'));
    expect(workloads.length).toBeLessThanOrEqual(KUBECTL_CONCURRENCY);
    const all = workloads.flat();
    const applied = ['crashlab-g1-team-1', 'crashlab-g1-team-2', 'crashlab-g1-team-3'].map((namespace) => ({ namespace, objects: all.filter((o) => o.metadata.namespace === namespace) }));
    expect(applied.every((a) => a.objects.length > 0 && a.objects.length === all.length / 3)).toBe(true);
    // No Namespace object (the team's exists), nothing that spells the scenario, the game's labels on every object and pod template.
    const team1 = applied.find((a) => a.namespace === 'crashlab-g1-team-1')!.objects;
    const id1 = result.released.find((r) => r.team === 'team-1')!.instance;
    expect(team1.some((o) => o.kind === 'Namespace')).toBe(false);
    expect(JSON.stringify(team1)).not.toMatch(/\boom\b|crashlab\.dev\/scenario/);
    for (const o of team1) expect(o.metadata.labels).toMatchObject({ ...gameLabels, 'crashlab.dev/team': 'team-1', 'crashlab.dev/instance': id1 });
    const dep = team1.find((o) => o.kind === 'Deployment')!;
    const template = (dep.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(matchesSelector(template, `crashlab.dev/game=g1,crashlab.dev/instance=${id1}`)).toBe(true);
    // What lets the team's lab name the scenario it plays without a scenario label.
    expect(liveInstances(team1, ['probe-path', 'oom'])).toEqual([expect.objectContaining({ instance: id1, scenarioId: 'oom' })]);
    const meta = JSON.parse(cluster.configMaps.get('crashlab-g1-control/crashlab-game')!.data!.game);
    expect(meta.startedAt).toBe('2026-11-30T10:00:00.000Z');
    expect(meta.rounds).toEqual([{ round: 1, scenario: 'oom', at: '2026-11-30T10:00:00.000Z' }]);
    expect(meta.instances[instances[0]]).toMatchObject({ scenario: 'oom', team: result.released[0].team, round: 1, via: 'round' });
    const log = parseEventLog(cluster.configMaps.get('crashlab-g1-team-2/crashlab-progress')!.data!.events);
    expect(log.events).toEqual([{ at: '2026-11-30T10:00:00.000Z', type: 'released', instance: result.released[1].instance, round: 1, via: 'round', title: expect.objectContaining({ en: expect.any(String) }) }]);
  });

  it("a second round replaces the first round's instances; an injection keeps other scenarios; mystery mode sends no title", async () => {
    const cluster = new MemoryGameCluster();
    game(cluster, { mode: 'mystery' });
    const { kube, runs } = recordingKube();
    const clock = new VirtualClock(Date.parse('2026-11-30T10:00:00Z'));
    const catalog = await loadCatalog(packageRoot());
    const bad = catalog.bundles.find((b) => b.scenario.id === 'bad-command')!;
    const first = await releaseScenario({ cluster, kube, clock, game: 'g1', bundle: await oomBundle(), via: 'round', random });
    await releaseScenario({ cluster, kube, clock, game: 'g1', bundle: bad, via: 'inject', team: 'team-1', random });
    expect(runs).toEqual([]);
    const second = await releaseScenario({ cluster, kube, clock, game: 'g1', bundle: bad, via: 'round', random });
    expect(second.round).toBe(2);
    // The first round's instances go; so does team-1's injected bad-command (same objects' names).
    expect(second.removed).toHaveLength(4);
    // A few deletes at once (not one per team), by crashlab's label, the game's and exactly those instances, nothing else.
    expect(runs.length).toBeLessThanOrEqual(KUBECTL_CONCURRENCY);
    const gone = runs.flatMap((args) => {
      expect(args).toEqual(expect.arrayContaining(['delete', '--all-namespaces']));
      return /^app\.kubernetes\.io\/managed-by=crashlab,crashlab\.dev\/game=g1,crashlab\.dev\/instance in \((.*)\)$/.exec(args[args.indexOf('-l') + 1])![1].split(',');
    });
    expect(gone.sort()).toEqual(second.removed.map((r) => r.instance).sort());
    for (const r of first.released) expect(gone).toContain(r.instance);
    const events = parseEventLog(cluster.configMaps.get('crashlab-g1-team-1/crashlab-progress')!.data!.events).events;
    expect(events.map((e) => (e.type === 'released' ? e.via : ''))).toEqual(['round', 'inject', 'round']);
    expect(events.every((e) => !('title' in e))).toBe(true);
  });

  it("writes each released event by compare-and-swap (never a server-side apply of a log, which would own its events); a team's own write in between is kept, annotations stay", async () => {
    const cluster = new MemoryGameCluster();
    game(cluster, { mode: 'mystery' });
    const log = (team: string, events: string) =>
      cluster.setConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: `crashlab-g1-${team}`, labels: { ...gameLabels, 'crashlab.dev/team': team }, annotations: { 'crashlab.dev/mode': 'mystery' } }, data: { events } });
    const hint = `${JSON.stringify({ at: '2026-11-30T09:59:59.000Z', type: 'hint', instance: 'i-old', level: 1 })}\n`;
    log('team-1', '');
    log('team-2', '');
    // team-3 has no log yet: it gets one. team-2 writes a hint while its event is on the way.
    const write = cluster.writeConfigMap.bind(cluster);
    let raced = false;
    cluster.writeConfigMap = async (cm) => {
      if (!raced && cm.metadata.namespace === 'crashlab-g1-team-2' && cm.metadata.name === 'crashlab-progress') (raced = true), log('team-2', hint);
      return write(cm);
    };
    const { kube } = recordingKube();
    const result = await releaseScenario({ cluster, kube, clock: new VirtualClock(Date.parse('2026-11-30T10:00:00Z')), game: 'g1', bundle: await oomBundle(), via: 'round', random });
    for (const r of result.released) {
      const events = parseEventLog(cluster.configMaps.get(`${r.namespace}/crashlab-progress`)!.data!.events).events;
      expect(events.filter((e) => e.type === 'released' && e.instance === r.instance)).toHaveLength(1);
    }
    expect(raced).toBe(true);
    expect(cluster.configMaps.get('crashlab-g1-team-2/crashlab-progress')!.data!.events.startsWith(hint)).toBe(true);
    expect(cluster.applied.flat().filter((o) => o.metadata.name === 'crashlab-progress')).toEqual([]);
    for (const team of ['team-1', 'team-2']) expect(cluster.configMaps.get(`crashlab-g1-${team}/crashlab-progress`)!.metadata.annotations).toEqual({ 'crashlab.dev/mode': 'mystery' });
  });

  it('refuses a scenario the game does not offer and an unknown team', async () => {
    const cluster = new MemoryGameCluster();
    game(cluster, { scenarios: ['bad-command'] });
    const { kube } = recordingKube();
    const clock = new VirtualClock(0);
    await expect(releaseScenario({ cluster, kube, clock, game: 'g1', bundle: await oomBundle(), via: 'round', random })).rejects.toThrow('not offered');
    game(cluster);
    await expect(releaseScenario({ cluster, kube, clock, game: 'g1', bundle: await oomBundle(), via: 'inject', team: 'team-9', random })).rejects.toThrow('no team "team-9"');
    await expect(releaseScenario({ cluster, kube, clock, game: 'nope', bundle: await oomBundle(), via: 'round', random })).rejects.toThrow('no game "nope"');
  });
});

describe('the first round checks the tokens handed out (issue 16)', () => {
  it('says when the game would outlive the team kubeconfigs (provisioned long before the start)', async () => {
    const cluster = new MemoryGameCluster();
    game(cluster, { durationSeconds: 3600, overtimeSeconds: 900, tokensEndAt: '2026-11-30T10:30:00.000Z' });
    const clock = new VirtualClock(Date.parse('2026-11-30T10:00:00Z'));
    const result = await releaseScenario({ cluster, kube: recordingKube().kube, clock, game: 'g1', bundle: await oomBundle(), via: 'round', random });
    expect(result.tokensEndEarly).toEqual({ tokensEndAt: '2026-11-30T10:30:00.000Z', gameEndsAt: '2026-11-30T11:15:00.000Z' });
    const fine = new MemoryGameCluster();
    game(fine, { durationSeconds: 3600, overtimeSeconds: 900, tokensEndAt: '2026-11-30T11:15:00.000Z' });
    expect((await releaseScenario({ cluster: fine, kube: recordingKube().kube, clock, game: 'g1', bundle: await oomBundle(), via: 'round', random })).tokensEndEarly).toBeUndefined();
  });
});
