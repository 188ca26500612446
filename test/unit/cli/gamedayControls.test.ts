/** The instructor's controls as commands: freeze/reveal, pause/resume, `end` keeping the results, `--web` flags. */
import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryGameCluster, memoryFiles } from '../../fakes/memoryGameCluster.js';
import { logText } from '../../fakes/gameday.js';

const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };
let now = Date.parse('2026-11-30T10:12:00.000Z');

function setup() {
  const cluster = new MemoryGameCluster();
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels },
    data: { game: JSON.stringify({ name: 'g1', teams: ['team-1'], scenarios: ['oom'], startedAt: '2026-11-30T10:00:00.000Z', instances: { 'i-aaaaaa': { scenario: 'oom', team: 'team-1', releasedAt: '2026-11-30T10:00:00.000Z' } } }) },
  });
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-team-1', labels: { ...labels, 'crashlab.dev/team': 'team-1' } },
    data: { events: logText([[0, 'released', { instance: 'i-aaaaaa' }], [30, 'hint'], [40, 'note', { instance: 'i-aaaaaa', text: 'limit too low' }]]) },
  });
  const deps = { gameCluster: () => cluster, clock: { now: () => now, sleep: async () => undefined } } as Deps;
  return { cluster, deps };
}

async function run(deps: Deps, argv: string[], env: Record<string, string> = {}) {
  const c = capture();
  Object.assign(c.io.env, env);
  const code = await main(['--context', 'crashlab-local', '--yes', ...argv], c.io, deps);
  return { code, out: c.out(), err: c.err() };
}
const board = async (deps: Deps) => JSON.parse((await run(deps, ['gameday', 'board', 'g1', '--json'])).out);

describe('gameday freeze / reveal / pause / resume', () => {
  it('freeze marks the board frozen until reveal, and says when there is nothing to do', async () => {
    const { deps } = setup();
    expect((await board(deps)).frozen).toBe(false);
    expect(await run(deps, ['gameday', 'freeze', 'g1'])).toMatchObject({ code: 0, out: expect.stringMatching(/standings frozen/) });
    expect((await board(deps)).frozen).toBe(true);
    expect((await run(deps, ['gameday', 'freeze', 'g1'])).out).toMatch(/nothing to do \(already frozen\)/);
    await run(deps, ['gameday', 'reveal', 'g1']);
    expect((await board(deps)).frozen).toBe(false);
  });

  it('pause stops the clock; resume restarts it where it stood', async () => {
    const { deps } = setup();
    expect((await run(deps, ['gameday', 'pause', 'g1'])).out).toMatch(/game clock paused/);
    now += 120_000;
    expect((await board(deps)).clock).toMatchObject({ elapsedSeconds: 720, paused: true });
    expect((await run(deps, ['gameday', 'resume', 'g1'])).out).toMatch(/game clock resumed/);
    now += 60_000;
    expect((await board(deps)).clock).toMatchObject({ elapsedSeconds: 780, paused: false });
  });

  it('a game that does not exist: one clear line, exit 2', async () => {
    const { deps } = setup();
    const r = await run(deps, ['gameday', 'freeze', 'nope']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/no game "nope"/);
  });
});

describe('gameday end keeps the final results', () => {
  it('writes the md and json exports before deleting anything, and says where', async () => {
    const { deps, cluster } = setup();
    const files = memoryFiles();
    const r = await run({ ...deps, gamedayFiles: files }, ['gameday', 'end', 'g1'], { XDG_DATA_HOME: '/data' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    const md = `/data/crashlab/games/g1/g1-final-${stamp}.md`;
    const json = `/data/crashlab/games/g1/g1-final-${stamp}.json`;
    expect([...files.files.keys()]).toEqual([md, json]);
    expect(r.out).toContain(`kept the final results of 1 team(s): ${md}, ${json}`);
    expect(files.files.get(md)).toContain('limit too low');
    expect(JSON.parse(files.files.get(json)!).results[0]).toMatchObject({ team: 'team-1' });
    expect(cluster.configMaps.size).toBe(2);
  });

  it('does not end the game when its results cannot be kept, unless --no-results', async () => {
    const { deps } = setup();
    const refusing = { ...memoryFiles(), prepareDir: async (dir: string) => Promise.reject(new Error(`${dir} is writable by other users`)) };
    const r = await run({ ...deps, gamedayFiles: refusing }, ['gameday', 'end', 'g1', '--results', '/shared']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/game g1 not ended: could not keep its final results: \/shared is writable by other users/);
    expect(r.err).toMatch(/--no-results/);
    const forced = await run({ ...deps, gamedayFiles: memoryFiles() }, ['gameday', 'end', 'g1', '--no-results']);
    expect(forced.code).toBe(0);
    expect(forced.out).not.toMatch(/kept the final results/);
  });
});

describe('gameday board --web flags', () => {
  it.each([
    [['--web', 'host:port'], /--web: "host:port" is not an address/],
    [['--web', '--json'], /--web and --json do not go together/],
  ])('%j: one clear line', async (flags, message) => {
    const { deps } = setup();
    const r = await run(deps, ['gameday', 'board', 'g1', ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(message);
  });
});

describe('gameday reset --team', () => {
  function withDeployment() {
    const { deps, cluster } = setup();
    cluster.deployments = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'memory-hog', namespace: 'crashlab-g1-team-1', labels: { ...labels, 'crashlab.dev/instance': 'i-aaaaaa' } } } as never];
    const runs: string[][] = [];
    const kube = { context: 'crashlab-local', run: async (args: string[]) => (runs.push(args), { exitCode: 0, stdout: '', stderr: '' }) };
    return { deps: { ...deps, kube: () => kube } as unknown as Deps, cluster, runs };
  }

  it("deletes the team's instance (waiting), applies its broken manifests again under the same instance, and logs it", async () => {
    const { deps, cluster, runs } = withDeployment();
    const r = await run(deps, ['gameday', 'reset', 'g1', '--team', 'team-1']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/team-1's i-aaaaaa back to the start in crashlab-g1-team-1/);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual(expect.arrayContaining(['delete', '-n', 'crashlab-g1-team-1', '-l', 'app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=g1,crashlab.dev/instance=i-aaaaaa', '--wait=true']));
    const applied = cluster.applied.at(-1)!;
    expect(applied.length).toBeGreaterThan(0);
    for (const o of applied) {
      expect(o.metadata.namespace).toBe('crashlab-g1-team-1');
      expect(o.metadata.labels).toMatchObject({ 'crashlab.dev/instance': 'i-aaaaaa', 'crashlab.dev/game': 'g1', 'crashlab.dev/team': 'team-1' });
      // The same opaque instance: nothing the team can read names the scenario.
      expect(JSON.stringify(o.metadata.labels)).not.toContain('oom');
    }
    const meta = JSON.parse(cluster.configMaps.get('crashlab-g1-control/crashlab-game')!.data!.game);
    expect(meta.resets).toEqual([{ team: 'team-1', instance: 'i-aaaaaa', at: new Date(now).toISOString() }]);
  });

  it('refuses an unknown team, and a team with nothing deployed', async () => {
    const { deps } = withDeployment();
    expect((await run(deps, ['gameday', 'reset', 'g1', '--team', 'team-9'])).err).toMatch(/no team "team-9" in game g1/);
    const bare = setup();
    const r = await run({ ...bare.deps, kube: () => ({ context: 'crashlab-local', run: async () => ({ exitCode: 0, stdout: '', stderr: '' }) }) } as unknown as Deps, ['gameday', 'reset', 'g1', '--team', 'team-1']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/team-1 has no released instance deployed: nothing to reset/);
  });
});
