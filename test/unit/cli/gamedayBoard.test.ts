import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import { capture } from '../../fakes/captureIo.js';
import type { K8sObject } from '../../../src/core/k8s.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { MemoryGameCluster } from '../../fakes/memoryGameCluster.js';
import { realPod, logText } from '../../fakes/gameday.js';
import { VirtualClock } from '../../fakes/clock.js';

const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };
let seed = 1;
const NOW = Date.parse('2026-11-30T10:12:00.000Z');

function setup() {
  const cluster = new MemoryGameCluster();
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels },
    data: { game: JSON.stringify({ name: 'g1', teams: ['team-1', 'team-2'], scenarios: ['oom', 'bad-command'], startedAt: '2026-11-30T10:00:00.000Z', instances: { 'i-aaaaaa': { scenario: 'oom', team: 'team-1', releasedAt: '2026-11-30T10:00:00.000Z' } } }) },
  });
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-team-1', labels: { ...labels, 'crashlab.dev/team': 'team-1' } },
    data: { events: logText([[0, 'released', { instance: 'i-aaaaaa' }], [30, 'hint'], [90, 'diagnosis', { category: 'oom-killed', correct: true }]]) },
  });
  cluster.setPod(realPod('oom', 'crashlab-g1-team-1', 'i-aaaaaa'));
  const applied: { namespace: string; objects: K8sObject[] }[] = [];
  const deleted: string[][] = [];
  const kube = new MemoryKube('crashlab-local');
  kube.apply = async (objects: K8sObject[], namespace: string) => (applied.push({ namespace, objects }), []);
  kube.run = async (args: string[]) => (deleted.push(args), { exitCode: 0, stdout: '', stderr: '' });
  const deps = {
    kube: () => kube,
    gameCluster: () => cluster,
    clock: VirtualClock.stopped(NOW),
    randomBytes: (n: number) => new Uint8Array(n).fill(seed++),
  } as Deps;
  return { cluster, applied, deleted, deps };
}

async function run(deps: Deps, argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io, deps);
  return { code, out: c.out(), err: c.err() };
}

describe('crashlab gameday board --json', () => {
  it('prints one JSON document of the whole game', async () => {
    const { deps } = setup();
    const r = await run(deps, ['--context', 'crashlab-local', 'gameday', 'board', 'g1', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const board = JSON.parse(r.out);
    expect(board.clock).toMatchObject({ phase: 'running', elapsedSeconds: 720 });
    expect(board.rows.map((row: { team: string }) => row.team)).toEqual(['team-1', 'team-2']);
    expect(board.rows[0]).toMatchObject({ instance: 'i-aaaaaa', scenario: 'oom', pod: { status: 'CrashLoopBackOff', restarts: 4 }, hints: 1, diagnosis: 'right', verified: false, score: 0 });
  });

  it('a snapshot trusts no instructor verdict the board did not sign', async () => {
    const { deps, cluster } = setup();
    const cm = (await cluster.getConfigMap('crashlab-g1-team-1', 'crashlab-progress'))!;
    cm.data!.events += logText([[100, 'verify-verdict', { instance: 'i-aaaaaa', pass: true, by: 'instructor', result: 'pass', reasons: [], sig: 'a'.repeat(64) }]]);
    cluster.setConfigMap(cm);
    const board = JSON.parse((await run(deps, ['--context', 'crashlab-local', 'gameday', 'board', 'g1', '--json'])).out);
    expect(board.rows[0]).toMatchObject({ team: 'team-1', verified: false, score: 0 });
    expect(board.notes).toContain('no board key in the control namespace: no instructor verdict can be trusted yet');
  });

  it('--public hides the scenario ids', async () => {
    const { deps } = setup();
    const r = await run(deps, ['--context', 'crashlab-local', 'gameday', 'board', 'g1', '--json', '--public']);
    expect(r.out).not.toContain('"oom"');
  });

  it('refuses a bad game name and --watch without --json, in one line', async () => {
    const { deps } = setup();
    const bad = await run(deps, ['gameday', 'board', 'Bad_Name', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^crashlab: game name "Bad_Name" must be a DNS label/);
    const watch = await run(deps, ['gameday', 'board', 'g1', '--watch']);
    expect(watch.code).toBe(2);
    expect(watch.err).toContain('--watch goes with --json');
  });
});

describe('crashlab gameday start / export', () => {
  it('start releases the next offered scenario no team has played to every team', async () => {
    const { deps, applied, deleted, cluster } = setup();
    const r = await run(deps, ['--context', 'crashlab-local', '--yes', 'gameday', 'start', 'g1', '--json']);
    expect(r.err).toBe('');
    const result = JSON.parse(r.out);
    // team-1 already has an oom instance: the round is the next offered scenario, bad-command.
    expect(result).toMatchObject({ scenario: 'bad-command', via: 'round', round: 1 });
    expect(applied).toEqual([]);
    expect([...new Set(cluster.applied.flat().map((o) => o.metadata.namespace))].sort()).toEqual(['crashlab-g1-team-1', 'crashlab-g1-team-2']);
    expect(cluster.configMaps.get('crashlab-g1-team-2/crashlab-progress')!.data!.events).toContain('"type":"released"');
    // team-1's earlier round instance (oom) goes first: a round replaces the previous one.
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toEqual(expect.arrayContaining(['delete', '--all-namespaces', 'app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=g1,crashlab.dev/instance in (i-aaaaaa)']));
  });

  it('start on another context without --yes asks, and refuses when not confirmed', async () => {
    const { deps } = setup();
    const r = await run(deps, ['--context', 'crashlab-local', 'gameday', 'start', 'g1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not touching context "crashlab-local" without confirmation');
  });

  it('export csv: results then the event log', async () => {
    const { deps } = setup();
    const r = await run(deps, ['--context', 'crashlab-local', 'gameday', 'export', 'g1', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [results, events] = r.out.split('\r\n\r\n');
    expect(results.split('\r\n')[1]).toMatch(/^team-1,1,i-aaaaaa,oom,2026-11-30T10:00:00.000Z,,90,right,1,0,0,,false,false,false,0,0$/);
    expect(events.split('\r\n')).toHaveLength(5);
    const bad = await run(deps, ['gameday', 'export', 'g1', '--format', 'xlsx']);
    expect(bad.code).toBe(2);
  });
});
