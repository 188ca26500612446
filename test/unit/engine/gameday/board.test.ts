import { describe, expect, it } from 'vitest';
import { GameBoard } from '../../../../src/engine/gameday/board.js';
import { appendToTeamLog } from '../../../../src/engine/gameday/configMapWrites.js';
import { hmacSigner, loadSigner } from '../../../../src/engine/gameday/signing.js';
import { parseEventLog, type VerifyVerdictEvent } from '../../../../src/core/gameday/events.js';
import type { Board } from '../../../../src/core/gameday/board.js';
import type { Scenario } from '../../../../src/core/scenario.js';
import type { Pod } from '../../../../src/core/k8s.js';
import { scriptedKube, playScript } from '../../../fakes/scriptedKube.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { deployment, events, readyPod, replicaSets, restarted, T0 } from '../../../fakes/objects.js';
import { MemoryGameCluster } from '../../../fakes/memoryGameCluster.js';

const NS = 'crashlab-g1-team-1';
const gameLabels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const scenario = {
  id: 'tight-liveness',
  category: 'liveness-misfire',
  guards: [{ kind: 'probe', container: 'app', probe: 'liveness' }],
  verify: { deployment: 'web', crashWithin: 20, margin: 10, rolloutTimeout: 120 },
} as unknown as Scenario;

function teamPod(): Pod {
  const pod = readyPod();
  pod.metadata.namespace = NS;
  pod.metadata.labels = { ...pod.metadata.labels, ...gameLabels, 'crashlab.dev/instance': 'i-aaaaaa' };
  return pod;
}

/** A fixture object moved into team-1's namespace, where the board verifies. */
function inTeam<T extends { metadata: { namespace?: string } }>(object: T): T {
  object.metadata.namespace = NS;
  return object;
}

function setup() {
  const cluster = new MemoryGameCluster();
  const kube = scriptedKube({ deployment: inTeam(deployment()), replicaSets: replicaSets().map(inTeam), pods: [inTeam(readyPod())], events: events().map(inTeam) });
  const clock = new VirtualClock(T0);
  const dep = deployment();
  dep.metadata.namespace = NS;
  dep.metadata.labels = { ...dep.metadata.labels, ...gameLabels, 'crashlab.dev/instance': 'i-aaaaaa' };
  cluster.deployments = [dep];
  cluster.setPod(teamPod());
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels: gameLabels },
    data: {
      game: JSON.stringify({
        name: 'g1',
        teams: ['team-1', 'team-2'],
        startedAt: iso(-600),
        instances: { 'i-aaaaaa': { scenario: 'tight-liveness', team: 'team-1', releasedAt: iso(-600) } },
      }),
    },
  });
  const log = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const progress = (lines: object[]) =>
    cluster.setConfigMap({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'crashlab-progress', namespace: NS, labels: { ...gameLabels, 'crashlab.dev/team': 'team-1' } },
      data: { events: log(lines) },
    });
  const signer = hmacSigner(Buffer.alloc(32, 7));
  const boards: Board[] = [];
  const board = new GameBoard({ game: 'g1', cluster, kube, clock, scenarios: { [scenario.id]: scenario }, signer, onChange: (b) => boards.push(b) });
  return { cluster, kube, clock, board, boards, progress, signer };
}

const released = { at: iso(-600), type: 'released', instance: 'i-aaaaaa' };
const settle = () => new Promise((r) => setImmediate(r));

describe('GameBoard engine', () => {
  it('answers a verify request with a signed instructor verdict, through the one game-wide pod watch', async () => {
    const { cluster, kube, clock, board, boards, progress, signer } = setup();
    // A Kube that can watch objects (the real adapter can): the board must not let the verifier
    // open those watches either.
    Object.assign(kube, {
      watchObjects: () => {
        kube.calls.push('watchObjects');
        return { done: new Promise<void>(() => {}), cancel: () => {} };
      },
    });
    progress([released, { at: iso(-10), type: 'verify-requested' }]);
    const { endedAtSeconds } = await playScript(clock, [], async () => {
      board.start();
      while (!boards.at(-1)?.rows.find((r) => r.team === 'team-1')?.verified) await clock.sleep(500);
    });
    // W = liveness 5 + 5×3 + 1 + margin 10 = 31 s, verified from a pod the board's watch saw.
    expect(endedAtSeconds).toBeGreaterThanOrEqual(31);
    expect(endedAtSeconds).toBeLessThan(33);
    const text = (await cluster.getConfigMap(NS, 'crashlab-progress'))!.data!.events;
    const verdict = parseEventLog(text).events.at(-1) as VerifyVerdictEvent;
    expect(verdict).toMatchObject({ type: 'verify-verdict', by: 'instructor', pass: true, result: 'pass', instance: 'i-aaaaaa' });
    expect(signer.check(NS, verdict)).toBe(true);
    // The verdict's signature is bound to the team's namespace.
    expect(signer.check('crashlab-g1-team-2', verdict)).toBe(false);
    const row = boards.at(-1)!.rows.find((r) => r.team === 'team-1')!;
    expect(row).toMatchObject({ verified: true, verify: 'none', rank: 1, scenario: 'tight-liveness', pod: { status: 'Running', ready: '1/1' } });
    expect(row.score).toBeGreaterThanOrEqual(100);
    // One pod watch and one ConfigMap watch for the game; the verifier opened none of its own.
    expect(cluster.opened).toEqual({ pods: 1, configmaps: 1 });
    expect(kube.calls.filter((c) => c.startsWith('watchPods') || c === 'watchObjects')).toEqual([]);
    // team-2 is known from the game metadata, without a log yet.
    expect(boards.at(-1)!.rows.map((r) => r.team).sort()).toEqual(['team-1', 'team-2']);
    await board.stop();
    expect(cluster.openWatches).toBe(0);
  });

  it('a restart seen by the game-wide watch fails the verification fast', async () => {
    const { cluster, kube, clock, board, boards, progress } = setup();
    progress([released, { at: iso(-10), type: 'verify-requested' }]);
    const crashed = restarted(teamPod(), 8, { exitCode: 137, reason: 'Error' });
    const { endedAtSeconds } = await playScript(clock, [{ at: 8.5, do: () => (cluster.setPod(crashed), kube.setPod(inTeam(restarted(readyPod(), 8, { exitCode: 137, reason: 'Error' })))) }], async () => {
      board.start();
      while (!(boards.at(-1)?.rows.find((r) => r.team === 'team-1')?.failedVerifies ?? 0)) await clock.sleep(250);
    });
    expect(endedAtSeconds).toBeLessThan(12);
    const row = boards.at(-1)!.rows.find((r) => r.team === 'team-1')!;
    expect(row).toMatchObject({ verified: false, failedVerifies: 1, score: 0, pod: { restarts: 1 } });
    await board.stop();
  });

  it('a verification that lost the API server (a restart) is tried again, not answered "could not verify": one verdict, a pass', async () => {
    const { kube, clock, board, boards, progress, cluster } = setup();
    progress([released, { at: iso(-10), type: 'verify-requested', id: 'req-1' }]);
    // Down from 5 s to 25 s into the verification; nothing in the team's log changes meanwhile.
    const { endedAtSeconds } = await playScript(clock, [{ at: 5, do: () => (kube.unreachable = true) }, { at: 25, do: () => (kube.unreachable = false) }], async () => {
      board.start();
      while (!boards.at(-1)?.rows.find((r) => r.team === 'team-1')?.verified) await clock.sleep(500);
    });
    const verdicts = parseEventLog(cluster.configMaps.get(`${NS}/crashlab-progress`)!.data!.events).events.filter((e) => e.type === 'verify-verdict');
    expect(verdicts).toEqual([expect.objectContaining({ request: 'req-1', result: 'pass' })]);
    // Tried again 15 s after the loss, then a whole window (31 s).
    expect(endedAtSeconds).toBeGreaterThan(45);
    expect(endedAtSeconds).toBeLessThan(80);
    expect(boards.at(-1)!.notes.filter((n) => n.startsWith('verifying'))).toEqual([]);
    await board.stop();
  });

  it('watches ended by the API server (410 Gone after a compaction, a restart) are opened again and relisted: what changed in the gap counts once', async () => {
    const { cluster, clock, board, boards, progress } = setup();
    progress([released]);
    const stray = teamPod();
    stray.metadata.name = 'web-old';
    stray.metadata.uid = 'uid-old';
    cluster.setPod(stray);
    await playScript(clock, [], async () => {
      board.start();
      await clock.sleep(100);
      expect(boards.at(-1)!.rows.find((r) => r.team === 'team-1')!.podCount).toBe(2);
      cluster.endWatches();
      // In the gap: a pod goes and the team asks for a verdict.
      cluster.deletePod(NS, 'web-old');
      progress([released, { at: iso(-5), type: 'verify-requested', id: 'req-gap' }]);
      while (!boards.at(-1)?.rows.find((r) => r.team === 'team-1')?.verified) await clock.sleep(500);
      await clock.sleep(5000);
    });
    expect(cluster.opened).toEqual({ pods: 2, configmaps: 2 });
    const verdicts = parseEventLog(cluster.configMaps.get(`${NS}/crashlab-progress`)!.data!.events).events.filter((e) => e.type === 'verify-verdict');
    expect(verdicts).toEqual([expect.objectContaining({ request: 'req-gap', result: 'pass' })]);
    expect(boards.at(-1)!.rows.find((r) => r.team === 'team-1')!.podCount).toBe(1);
    await board.stop();
  });

  it('a forged instructor pass in the team log scores nothing and is answered by a real verification', async () => {
    const { board, boards, progress, clock } = setup();
    progress([
      released,
      { at: iso(-10), type: 'verify-requested' },
      { at: iso(-9), type: 'verify-verdict', pass: true, by: 'instructor', result: 'pass', reasons: ['trust me'], sig: 'a'.repeat(64) },
    ]);
    board.start();
    await settle();
    await settle();
    const row = boards.at(-1)!.rows.find((r) => r.team === 'team-1')!;
    expect(row).toMatchObject({ verified: false, score: 0, verify: 'running' });
    await playScript(clock, [], () => board.stop());
  });

  it('a release the instructor never made is a bad line, counts nothing and gets no verification; a rewritten log is noted', async () => {
    const { board, boards, progress, cluster } = setup();
    progress([{ at: iso(-5), type: 'released', instance: 'i-zzzzzz' }, { at: iso(-1), type: 'verify-requested' }]);
    board.start();
    await settle();
    await settle();
    const row = boards.at(-1)!.rows.find((r) => r.team === 'team-1')!;
    expect(row.badLines).toEqual([expect.objectContaining({ line: 1, error: expect.stringMatching(/release of i-zzzzzz the instructor never made/) })]);
    expect(row).toMatchObject({ instance: undefined, verify: 'none', score: 0 });
    expect(cluster.configMaps.get(`${NS}/crashlab-progress`)!.data!.events).not.toContain('verify-verdict');
    progress([released]);
    await settle();
    expect(boards.at(-1)!.notes).toContain('team-1 rewrote its event log (not an append)');
    await board.stop();
  });
});

describe('GameBoard rendering', () => {
  it('renders at once when renders are cheap, and coalesces a storm into few renders when they are slow, ending on the last state', async () => {
    const { cluster, clock, kube } = setup();
    let renderMs = 0;
    const restarts: number[] = [];
    const board = new GameBoard({
      game: 'g1', cluster, kube, clock, scenarios: { [scenario.id]: scenario }, verify: false, renderGapFactor: 9,
      onChange: (b) => {
        restarts.push(b.rows.find((r) => r.team === 'team-1')?.pod?.restarts ?? -1);
        // A listener as costly as a 1,000-team board's JSON line.
        for (const until = performance.now() + renderMs; performance.now() < until; );
      },
    });
    board.start();
    await settle();
    const storm = async (from: number) => {
      for (let i = from; i < from + 10; i++) {
        const pod = teamPod();
        pod.status!.containerStatuses![0].restartCount = i;
        cluster.setPod(pod);
        await settle();
      }
    };
    // Cheap renders: one per event.
    const before = restarts.length;
    await storm(1);
    expect(restarts.length - before).toBe(10);
    // 20 ms a render: ten events arriving within a few ms get the first render at once and one
    // more ~180 ms later with the last state, not ten renders (200 ms of CPU).
    renderMs = 20;
    cluster.setPod(teamPod());
    await settle();
    const slow = restarts.length;
    await storm(101);
    await new Promise((r) => setTimeout(r, 400));
    expect(restarts.length - slow).toBeLessThanOrEqual(3);
    expect(restarts.at(-1)).toBe(110);
    await board.stop();
  });

  it('draws a burst of events a frame at a time (minRenderGapMs), the first at once and the last state in the end', async () => {
    const { cluster, clock, kube } = setup();
    const restarts: number[] = [];
    const board = new GameBoard({
      game: 'g1', cluster, kube, clock, scenarios: { [scenario.id]: scenario }, verify: false, minRenderGapMs: 100,
      onChange: (b) => void restarts.push(b.rows.find((r) => r.team === 'team-1')?.pod?.restarts ?? -1),
    });
    board.start();
    await settle();
    await new Promise((r) => setTimeout(r, 150));
    const before = restarts.length;
    // Twenty events within a few ms (a release storm): the first drawn at once, the rest in one more frame.
    for (let i = 1; i <= 20; i++) {
      const pod = teamPod();
      pod.status!.containerStatuses![0].restartCount = i;
      cluster.setPod(pod);
      await settle();
    }
    expect(restarts.slice(before)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 200));
    expect(restarts.slice(before)).toEqual([1, 20]);
    await board.stop();
  });
});

describe('appendToTeamLog', () => {
  it('retries when a concurrent team append wins the race, keeping both', async () => {
    const cluster = new MemoryGameCluster();
    cluster.setConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: NS, labels: gameLabels }, data: { events: '{"at":"2026-11-30T10:00:00Z","type":"started"}\n' } });
    cluster.conflicts = 2;
    await appendToTeamLog(cluster, NS, 'g1', 'team-1', [{ at: '2026-11-30T10:01:00.000Z', type: 'hint' }]);
    expect(parseEventLog(cluster.configMaps.get(`${NS}/crashlab-progress`)!.data!.events).events.map((e) => e.type)).toEqual(['started', 'hint']);
  });

  it('creates the log with the game labels when the team has none yet', async () => {
    const cluster = new MemoryGameCluster();
    await appendToTeamLog(cluster, NS, 'g1', 'team-1', [{ at: '2026-11-30T10:01:00.000Z', type: 'hint' }]);
    expect(cluster.configMaps.get(`${NS}/crashlab-progress`)!.metadata.labels).toEqual({ ...gameLabels, 'crashlab.dev/team': 'team-1' });
  });
});

describe('loadSigner', () => {
  it('creates the board key once in the control namespace and reuses it', async () => {
    const cluster = new MemoryGameCluster();
    const a = await loadSigner(cluster, 'g1');
    const b = await loadSigner(cluster, 'g1');
    const event: VerifyVerdictEvent = { at: iso(0), type: 'verify-verdict', pass: true, by: 'instructor', reasons: [], instance: 'i-aaaaaa' };
    expect(b.check(NS, { ...event, sig: a.sign(NS, event) })).toBe(true);
    expect([...cluster.secrets.keys()]).toEqual(['crashlab-g1-control/crashlab-board-key']);
  });
});

describe('two boards on one game (issue 16)', () => {
  it('give one verify request exactly one verdict: the second board finds it answered and writes nothing', async () => {
    const { cluster, kube, clock, board, boards, progress, signer } = setup();
    const second = new GameBoard({ game: 'g1', cluster, kube, clock, scenarios: { [scenario.id]: scenario }, signer });
    const crashed = restarted(teamPod(), 8, { exitCode: 137, reason: 'Error' });
    progress([released, { at: iso(-10), type: 'verify-requested', id: 'req-1' }]);
    await playScript(clock, [{ at: 8.5, do: () => (cluster.setPod(crashed), kube.setPod(inTeam(restarted(readyPod(), 8, { exitCode: 137, reason: 'Error' })))) }], async () => {
      board.start();
      second.start();
      while (!(boards.at(-1)?.rows.find((r) => r.team === 'team-1')?.failedVerifies ?? 0)) await clock.sleep(250);
      await clock.sleep(2000);
    });
    const verdicts = parseEventLog(cluster.configMaps.get(`${NS}/crashlab-progress`)!.data!.events).events.filter((e) => e.type === 'verify-verdict');
    expect(verdicts).toEqual([expect.objectContaining({ request: 'req-1', result: 'fail' })]);
    expect(boards.at(-1)!.rows.find((r) => r.team === 'team-1')).toMatchObject({ failedVerifies: 1 });
    await board.stop();
    await second.stop();
  });

  it('packs in a room: sends a paid hint’s text and the judgement of a named cause into the team’s content ConfigMap, nothing else', async () => {
    const { cluster, kube, clock, progress } = setup();
    const pack = { ...scenario, hints: [{ en: 'h1', ko: '힌트1' }, { en: 'h2', ko: '힌트2' }, { en: 'h3', ko: '힌트3' }], debrief: { en: 'why', ko: '이유' }, checklist: [] } as unknown as Scenario;
    cluster.setConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-content', namespace: NS, labels: gameLabels }, data: { scenarios: JSON.stringify([{ id: 'tight-liveness', broken: [] }]) } });
    progress([released, { at: iso(-9), type: 'hint', instance: 'i-aaaaaa', index: 1 }, { at: iso(-8), type: 'diagnosis', instance: 'i-aaaaaa', category: 'oom-killed', correct: true }]);
    const board = new GameBoard({ game: 'g1', cluster, kube, clock, scenarios: { [pack.id]: pack }, signer: hmacSigner(Buffer.alloc(32, 7)) });
    board.start();
    for (let i = 0; i < 10; i++) await settle();
    const answers = JSON.parse((await cluster.getConfigMap(NS, 'crashlab-content'))?.data?.answers ?? '{}');
    // A team's claim (`correct: true`) is not the judgement; no pass yet, so no category or debrief.
    expect(answers).toEqual({ 'i-aaaaaa': { scenario: 'tight-liveness', hints: { '1': { en: 'h2', ko: '힌트2' } }, diagnoses: { 'oom-killed': false } } });
    await board.stop();
  });

  it('a board without the game’s pack says so (nothing of its scenarios could be verified or judged)', async () => {
    const { cluster, kube, clock } = setup();
    const cm = (await cluster.getConfigMap('crashlab-g1-control', 'crashlab-game'))!;
    cluster.setConfigMap({ ...cm, data: { game: JSON.stringify({ ...JSON.parse(cm.data!.game), scenarios: ['tight-liveness', 'acme-oom'] }) } });
    const boards: Board[] = [];
    const board = new GameBoard({ game: 'g1', cluster, kube, clock, scenarios: { [scenario.id]: scenario }, onChange: (b) => boards.push(b) });
    board.start();
    await settle();
    await settle();
    expect(boards.at(-1)!.notes).toContain('this game offers acme-oom, which this board has not loaded: start it with the same --scenarios DIR as gameday create');
    await board.stop();
  });
});

