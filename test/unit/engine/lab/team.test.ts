/**
 * The participant's path with a game-day team kubeconfig: the lab lives in the team namespace,
 * runs are opaque, start replaces the team's current run (any scenario) without touching the
 * namespace or the game's objects, nothing cluster-scoped is read, and the team's event log gets
 * the contract's events.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { composeLab, teamScope } from '../../../../src/app/compose.js';
import { teamKubeconfig } from '../../../../src/core/gameday/objects.js';
import type { GameEvent } from '../../../../src/core/gameday/events.js';
import { type Kube } from '../../../../src/ports/kube.js';
import type { CliError } from '../../../../src/cli/errors.js';
import type { K8sObject } from '../../../../src/core/k8s.js';
import { FINGERPRINT_ANNOTATION, instanceFingerprint } from '../../../../src/core/instance.js';
import { MemoryKube, MemoryStore } from '../../../fakes/memoryKube.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { kubeError } from '../../../../src/ports/errors.js';
import { asCliError } from '../../../../src/cli/errors.js';

const NS = 'crashlab-gd1-team-3';

function teamFile(namespaceTeam = 'team-3', token = 'e30.e30.sig'): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-team-'));
  const file = join(dir, `${namespaceTeam}.kubeconfig`);
  writeFileSync(file, yaml.dump(teamKubeconfig('gd1', namespaceTeam, { server: 'https://127.0.0.1:6443', caData: 'Q0E=' }, token)), { mode: 0o600 });
  return file;
}

/** MemoryKube that fails the test on any cluster-scoped call a team may not make. */
class TeamKube extends MemoryKube {
  override async getNamespace(name: string): Promise<never> {
    throw new Error(`cluster-scoped read of namespace ${name}`);
  }
  override async deleteManagedNamespace(name: string): Promise<never> {
    throw new Error(`cluster-scoped delete of namespace ${name}`);
  }
}

/** A second laptop of the same team: same cluster, its own (empty) progress file. */
function teammate(kube: TeamKube, file: string, events: GameEvent[] = []) {
  const store = new MemoryStore();
  const lab = composeLab(
    { kubeconfig: file, yes: false, lang: 'en', color: false },
    { kube: () => kube, store, clock: VirtualClock.stopped(Date.parse('2026-11-30T12:05:00Z')), env: {}, offered: async () => undefined, teamLog: { append: async (_ns, e) => void events.push(...e) }, randomBytes: (n) => new Uint8Array(n).fill(201) },
  );
  return { lab, store, events };
}

function setup() {
  const kube = new TeamKube('crashlab-gd1-team-3');
  kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' } } });
  const store = new MemoryStore();
  const contexts: string[] = [];
  let seed = 0;
  const file = teamFile();
  const lab = composeLab(
    { kubeconfig: file, yes: false, lang: 'en', color: false },
    { kube: (context) => (contexts.push(context), kube as Kube), store, clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => undefined, randomBytes: (n) => new Uint8Array(n).fill(++seed * 37) },
  );
  return { kube, store, lab, contexts, file };
}

/** A ServiceAccount token as the API server mints it, reduced to what crashlab reads: its exp. */
const tokenExpiring = (iso: string) => `e30.${Buffer.from(JSON.stringify({ exp: Date.parse(iso) / 1000 })).toString('base64url')}.sig`;

describe('game over for a team (Unauthorized)', () => {
  // kubectl's words when the API server rejects the token (measured on the test cluster).
  const unauthorized = () => kubeError('You must be logged in to the server (Unauthorized)', 'forbidden', 'error: You must be logged in to the server (Unauthorized)\n');
  function rejected(token: string) {
    const kube = new TeamKube(NS);
    kube.listObjects = async () => Promise.reject(unauthorized());
    const lab = composeLab({ kubeconfig: teamFile('team-3', token), yes: false, lang: 'en', color: false }, { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => undefined });
    return lab;
  }

  it('past the token’s expiry, says the token expired, and what to do, on the CLI too', async () => {
    const error = await rejected(tokenExpiring('2026-11-30T11:45:00Z'))
      .teamInstances()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'LabError', kind: 'game-over', message: expect.stringMatching(/^Your team's token expired at .*:45: the game's time is over\.$/) });
    const cli = asCliError(error) as CliError;
    expect(cli.message).toMatch(/token expired/);
    expect(cli.message).not.toMatch(/logged in/);
    expect(cli.hint).toMatch(/Ask your instructor for the results.*crashlab gameday tokens/);
  });

  it('before the token’s expiry, the game ended (its namespace and ServiceAccount were deleted)', async () => {
    const error = await rejected(tokenExpiring('2026-11-30T13:00:00Z'))
      .teamInstances()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'game-over', message: expect.stringMatching(/^The game is over/) });
  });

  it('the game’s rules read from the team log (what it offers) say game over too, not a catalog error', async () => {
    const lab = composeLab({ kubeconfig: teamFile(), yes: false, lang: 'en', color: false }, { kube: () => new TeamKube(NS), store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => Promise.reject(unauthorized()) });
    await expect(lab.scenarios()).rejects.toMatchObject({ kind: 'game-over', message: expect.stringMatching(/^The game is over/) });
  });

  it('a Forbidden answer is not the end of the game', async () => {
    const kube = new TeamKube(NS);
    kube.listObjects = async () => Promise.reject(kubeError('deployments.apps is forbidden: User "x" cannot list', 'forbidden', 'Error from server (Forbidden): deployments.apps is forbidden'));
    const lab = composeLab({ kubeconfig: teamFile(), yes: false, lang: 'en', color: false }, { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => undefined });
    await expect(lab.teamInstances()).rejects.toMatchObject({ name: 'KubeError', kind: 'forbidden' });
  });
});

describe('game mode (a team kubeconfig)', () => {
  it('recognises a team kubeconfig and nothing else', () => {
    expect(teamScope(teamFile())).toEqual({ context: NS, namespace: NS });
    expect(teamScope('/nonexistent')).toBeUndefined();
    expect(teamScope(undefined)).toBeUndefined();
  });

  it('runs in the team namespace with the kubeconfig’s context, opaque, without a confirmation', async () => {
    const { kube, lab, contexts } = setup();
    const run = await lab.start('oom');
    expect(contexts).toEqual([NS]);
    expect(run).toMatchObject({ namespace: NS, ownsNamespace: false, instance: expect.stringMatching(/^i-[a-z2-7]{6}$/) });
    expect(JSON.stringify(kube.objects.map((o) => [o.metadata.name, o.metadata.labels]))).not.toMatch(/oom/);
    expect(kube.calls.some((c) => /Namespace\//.test(c))).toBe(false);
    // later commands find the opaque run from the scenario id (the local progress file)
    expect(await lab.target('oom')).toMatchObject({ namespace: NS, instance: run.instance });
  });

  it('start of another scenario replaces the team’s current run and keeps the game’s objects', async () => {
    const { kube, lab } = setup();
    await lab.start('oom');
    const second = await lab.start('probe-path');
    expect(second.lines[0]).toBe('Removed the previous run from your namespace.');
    const left = kube.objects.filter((o) => o.metadata.namespace === NS);
    expect(left.find((o) => o.metadata.name === 'crashlab-progress')).toBeDefined();
    expect(new Set(left.filter((o) => o.metadata.name !== 'crashlab-progress').map((o) => o.metadata.labels?.['crashlab.dev/instance']))).toEqual(new Set([second.instance]));
    // reset stays inside the namespace too
    const results = await lab.resetScenario('probe-path');
    expect(results.map((r) => r.namespace)).toEqual([NS, NS]);
    expect(kube.objects.filter((o) => o.metadata.namespace === NS).map((o) => o.metadata.name)).toEqual(['crashlab-progress']);
  });

  it('the lab UI’s start (mystery off) still deploys an opaque run, with a fingerprint instead of the id', async () => {
    const { kube, lab } = setup();
    const run = await lab.start('oom', { mystery: false });
    expect(run.instance).toMatch(/^i-[a-z2-7]{6}$/);
    const deployment = kube.objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.annotations?.[FINGERPRINT_ANNOTATION]).toBe(instanceFingerprint(run.instance!, 'oom'));
    expect(JSON.stringify(kube.objects.map((o) => [o.metadata.name, o.metadata.labels, o.metadata.annotations]))).not.toMatch(/oom/);
  });

  it('a teammate’s laptop, with no progress file, finds the run by its fingerprint and joins it without redeploying', async () => {
    const { kube, lab, file } = setup();
    const run = await lab.start('oom');
    const other = teammate(kube, file);
    expect(await other.lab.target('oom')).toMatchObject({ namespace: NS, instance: run.instance });
    expect(await other.lab.teamInstances()).toEqual([expect.objectContaining({ instance: run.instance, scenarioId: 'oom', joinedHere: false })]);

    const applies = () => kube.calls.filter((c) => c.startsWith('apply') || c.startsWith('deleteManaged')).length;
    const before = applies();
    const joined = await other.lab.start('oom');
    expect(joined).toMatchObject({ instance: run.instance, joined: true });
    expect(joined.lines[0]).toMatch(/^Joined i-[a-z2-7]{6}, already running in your namespace/);
    expect(applies()).toBe(before);
    expect(other.store.progress.instances?.[run.instance!]).toMatchObject({ scenario: 'oom', namespace: NS });
    expect(other.events.map((e) => [e.type, e.instance])).toEqual([['started', run.instance]]);
    expect(await other.lab.teamInstances()).toEqual([expect.objectContaining({ joinedHere: true })]);

    // Joining again resumes: no second attempt, no second event.
    const again = await other.lab.start('oom');
    expect(again.lines[0]).toMatch(/^Resumed/);
    expect(again.startedAt).toBe(joined.startedAt);
    expect(other.events).toHaveLength(1);

    // --fresh deploys it again under the same instance id (the instructor’s board keeps it).
    const fresh = await other.lab.start('oom', { fresh: true });
    expect(fresh.joined).toBeUndefined();
    expect(fresh.instance).toBe(run.instance);
    expect(applies()).toBeGreaterThan(before);
  });

  it('lists the instance the instructor released, with its round, from the team’s event log', async () => {
    const { kube, file } = setup();
    const released = 'i-abcdef';
    kube.objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'search-api', namespace: NS, creationTimestamp: '2026-11-30T11:59:00Z', labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/instance': released }, annotations: { [FINGERPRINT_ANNOTATION]: instanceFingerprint(released, 'tight-liveness') } },
    });
    // An instance whose fingerprint names no offered scenario is not offered to play.
    kube.objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/instance': 'i-zzzzzz' }, annotations: { [FINGERPRINT_ANNOTATION]: 'ffffffffffffffff' } } });
    const log = kube.objects.find((o) => o.metadata.name === 'crashlab-progress')!;
    log.data = { events: `${JSON.stringify({ at: '2026-11-30T11:59:00.000Z', type: 'released', instance: released, via: 'round', round: 2 })}\n` };
    const other = teammate(kube, file);
    expect(await other.lab.teamInstances()).toEqual([{ instance: released, scenarioId: 'tight-liveness', createdAt: '2026-11-30T11:59:00Z', released: { at: '2026-11-30T11:59:00.000Z', via: 'round', round: 2 }, joinedHere: false }]);
    const joined = await other.lab.start('tight-liveness');
    expect(joined).toMatchObject({ instance: released, joined: true, namespace: NS });
    // A mystery game shows the instance id, not the scenario: it works wherever an id does.
    const third = teammate(kube, file);
    expect(await third.lab.target(released)).toMatchObject({ scenarioId: 'tight-liveness', instance: released, namespace: NS });
    expect((await third.lab.scenario(released)).scenario.id).toBe('tight-liveness');
    expect(await third.lab.start(released)).toMatchObject({ instance: released, joined: true });
    await expect(third.lab.target('i-zzzzzz')).rejects.toMatchObject({ kind: 'unknown-scenario', message: expect.stringMatching(/no instance i-zzzzzz in your namespace/) });
  });

  it('shows and starts only the scenarios the game offers', async () => {
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => new TeamKube(NS), store: new MemoryStore(), clock: VirtualClock.stopped(0), env: {}, offered: async () => ['oom', 'probe-path'] },
    );
    expect((await lab.scenarios()).map((s) => s.id).sort()).toEqual(['oom', 'probe-path']);
    await expect(lab.start('readonly-fs')).rejects.toMatchObject({ kind: 'unknown-scenario' });
  });

  it('appends the contract’s events to the team log', async () => {
    const events: GameEvent[] = [];
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => undefined, teamLog: { append: async (ns, e) => void (expect(ns).toBe(NS), events.push(...e)) } },
    );
    const run = await lab.start('oom');
    kube.pods.push({ metadata: { name: 'p1', namespace: NS, labels: { 'crashlab.dev/instance': run.instance! } }, spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running' } } as never);
    await lab.checkDiagnosis(run, 'p1', 'oom-killed');
    await lab.solve(run);
    expect(events.map((e) => e.type)).toEqual(['started', 'diagnosis', 'fix-applied']);
    expect(events.every((e) => e.instance === run.instance && e.at === '2026-11-30T12:00:00.000Z')).toBe(true);
    expect(events[2]).toMatchObject({ how: 'solve' });
    expect(JSON.stringify(events)).not.toMatch(/"oom"|scenario/);
  });

  it('a note goes to the team log about the run the team plays; outside a game it is refused', async () => {
    const events: GameEvent[] = [];
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-30T12:00:00Z')), env: {}, offered: async () => undefined, teamLog: { append: async (_ns, e) => void events.push(...e) } },
    );
    const run = await lab.start('oom');
    expect(await lab.note('  limit below the heap; raised it  ')).toMatchObject({ instance: run.instance });
    expect(events.at(-1)).toEqual({ type: 'note', text: 'limit below the heap; raised it', at: '2026-11-30T12:00:00.000Z', instance: run.instance });
    await expect(lab.note('   ')).rejects.toMatchObject({ message: 'the note is empty' });
    await expect(lab.note('x'.repeat(2001))).rejects.toMatchObject({ message: expect.stringMatching(/2001 characters; at most 2000/) });

    const solo = composeLab({ yes: false, lang: 'en', color: false }, { kube: () => new MemoryKube(), store: new MemoryStore(), env: {} });
    await expect(solo.note('hello')).rejects.toMatchObject({ kind: 'not-in-game' });
  });

  it('a failing event log is reported once, never fatal', async () => {
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(0), env: {}, offered: async () => undefined, teamLog: { append: async () => Promise.reject(new Error('forbidden')) } },
    );
    await lab.start('oom');
    expect(lab.takeTeamLogWarning()).toMatch(/event log: forbidden/);
    expect(lab.takeTeamLogWarning()).toBeUndefined();
  });
});

describe('game mode: hints and notes name their run (issue 16)', () => {
  /** A team log that lands in the team namespace's ConfigMap, as the real one does. */
  function loggedLab(kube: TeamKube, file: string, clockMs = Date.parse('2026-11-30T12:00:00Z')) {
    const events: GameEvent[] = [];
    const append = async (ns: string, e: GameEvent[]) => {
      events.push(...e);
      const text = events.map((x) => `${JSON.stringify(x)}\n`).join('');
      const old = kube.objects.findIndex((o) => o.kind === 'ConfigMap' && o.metadata.name === 'crashlab-progress');
      if (old >= 0) kube.objects.splice(old, 1);
      kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns }, data: { events: text } } as unknown as K8sObject);
    };
    const lab = composeLab(
      { kubeconfig: file, yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(clockMs), env: {}, offered: async () => undefined, teamLog: { append } },
    );
    return { lab, events };
  }

  it('`hint` logs the next hint of the run once; showing it again costs nothing; a teammate continues from the team’s count', async () => {
    const kube = new TeamKube(NS);
    const file = teamFile();
    const { lab, events } = loggedLab(kube, file);
    const run = await lab.start('oom');
    const first = await lab.hint(await lab.currentRun());
    expect(first).toMatchObject({ index: 0, alreadyTaken: false });
    expect(await lab.hint(run, 0)).toMatchObject({ index: 0, alreadyTaken: true });
    expect(events.filter((e) => e.type === 'hint')).toEqual([expect.objectContaining({ type: 'hint', index: 0, instance: run.instance })]);
    const mate = loggedLab(kube, file);
    mate.events.push(...events);
    expect(await mate.lab.hint(await mate.lab.target('oom'))).toMatchObject({ index: 1 });
  });

  it('a note goes to the run on screen when given, else the run the team plays, never the last one started elsewhere', async () => {
    const kube = new TeamKube(NS);
    const { lab, events } = loggedLab(kube, teamFile());
    const run = await lab.start('oom');
    expect(await lab.note('on screen', run)).toMatchObject({ instance: run.instance, scenario: 'oom' });
    expect(await lab.note('default')).toMatchObject({ instance: run.instance });
    expect(events.filter((e) => e.type === 'note').map((e) => e.instance)).toEqual([run.instance, run.instance]);
  });
});

describe('commands printed to a team work as printed in its shell (issue 16)', () => {
  const deps = (kube: TeamKube, env: NodeJS.ProcessEnv) => ({ kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(0), env, offered: async () => undefined, teamLog: { append: async () => undefined } });

  it('KUBECONFIG set to the team file is the game (not context kind-crashlab); kubectl lines need no flag then', () => {
    const file = teamFile();
    const lab = composeLab({ yes: false, lang: 'en', color: false }, deps(new TeamKube(NS), { KUBECONFIG: file }));
    expect(lab.inGame).toBe(true);
    expect(lab.context).toBe('crashlab-gd1-team-3');
    expect(lab.kubectlCommand(['get', 'pods', '-n', NS])).toBe(`kubectl get pods -n ${NS}`);
  });

  it('after `crashlab join FILE` (or --kubeconfig FILE) kubectl lines carry --kubeconfig, never a --context the shell lacks', () => {
    const file = teamFile();
    const lab = composeLab({ kubeconfig: file, yes: false, lang: 'en', color: false }, deps(new TeamKube(NS), {}));
    expect(lab.kubectlCommand(['get', 'pods', '-n', NS])).toBe(`kubectl --kubeconfig ${file} get pods -n ${NS}`);
  });
});

describe('solve in a game (issue 16)', () => {
  it('keeps the game and team labels on every object and the pod template: the board and the next round still find the run', async () => {
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      {
        kube: () => kube,
        store: new MemoryStore(),
        clock: VirtualClock.stopped(0),
        env: {},
        offered: async () => undefined,
        teamLog: { append: async () => undefined },
        gameLabels: async () => ({ 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' }),
      },
    );
    const run = await lab.start('oom');
    await lab.solve(run);
    const mine = kube.objects.filter((o) => o.metadata.labels?.['crashlab.dev/instance'] === run.instance);
    expect(mine.length).toBeGreaterThan(0);
    for (const o of mine) {
      expect(o.metadata.labels).toMatchObject({ 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' });
      const template = (o as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template;
      if (template) expect(template.metadata?.labels).toMatchObject({ 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' });
    }
  });
});

describe('the team score in the lab is the board’s rule (issue 16)', () => {
  it('scores the team’s log with core scoring: a hint and a wrong answer before the right one cost what the README says', async () => {
    const kube = new TeamKube(NS);
    const events: GameEvent[] = [];
    const append = async (ns: string, e: GameEvent[]) => {
      events.push(...e);
      const old = kube.objects.findIndex((o) => o.kind === 'ConfigMap' && o.metadata.name === 'crashlab-progress');
      if (old >= 0) kube.objects.splice(old, 1);
      kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns }, data: { events: events.map((x) => `${JSON.stringify(x)}\n`).join('') } } as unknown as K8sObject);
    };
    let now = Date.parse('2026-11-30T12:00:00Z');
    const lab = composeLab({ kubeconfig: teamFile(), yes: false, lang: 'en', color: false }, { kube: () => kube, store: new MemoryStore(), clock: { now: () => now, sleep: async () => undefined }, env: {}, offered: async () => undefined, teamLog: { append } });
    const run = await lab.start('oom');
    await append(NS, [{ at: new Date(now).toISOString(), type: 'released', instance: run.instance! }]);
    await lab.hint(run);
    const at = new Date(now).toISOString();
    await append(NS, [
      { at, type: 'diagnosis', instance: run.instance!, category: 'bad-command', correct: false },
      { at, type: 'diagnosis', instance: run.instance!, category: 'oom-killed', correct: true },
    ]);
    now += 450_000;
    const verdict = { at: new Date(now).toISOString(), type: 'verify-verdict' as const, instance: run.instance!, pass: true, by: 'instructor' as const, result: 'pass' as const, reasons: [], sig: 'a'.repeat(64) };
    // A verdict naming no request (forged, or copied from another log) is not the board's answer.
    await append(NS, [{ at: new Date(now).toISOString(), type: 'verify-requested', instance: run.instance!, id: 'r1' }, verdict]);
    expect((await lab.teamScore()).score).toBe(0);
    await append(NS, [{ ...verdict, request: 'r1' }]);
    // 100 - 10 (hint) - 5 (wrong answer) + 25 (half the speed bonus at 7.5 of 15 min) = 110
    expect((await lab.teamScore()).score).toBe(110);
  });
});

describe('a command without an id means the latest run the team got (issue 16)', () => {
  it('an injected fault released after this laptop started its run is the default for note and hint', async () => {
    const { loadCatalog, packageRoot } = await import('../../../../src/adapters/scenarios.js');
    const { deployRun } = await import('../../../../src/engine/scenarioRuns.js');
    const { opaqueRun } = await import('../../../../src/core/instance.js');
    const kube = new TeamKube(NS);
    const events: GameEvent[] = [];
    let now = Date.parse('2026-11-30T12:00:00Z');
    const append = async (ns: string, e: GameEvent[]) => {
      events.push(...e);
      const old = kube.objects.findIndex((o) => o.kind === 'ConfigMap' && o.metadata.name === 'crashlab-progress');
      if (old >= 0) kube.objects.splice(old, 1);
      kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns }, data: { events: events.map((x) => `${JSON.stringify(x)}\n`).join('') } } as unknown as K8sObject);
    };
    const lab = composeLab({ kubeconfig: teamFile(), yes: false, lang: 'en', color: false }, { kube: () => kube, store: new MemoryStore(), clock: { now: () => now, sleep: async () => undefined }, env: {}, offered: async () => undefined, teamLog: { append } });
    const run = await lab.start('oom');
    expect((await lab.currentRun()).instance).toBe(run.instance);
    now += 60_000;
    const bundle = (await loadCatalog(packageRoot())).bundles.find((b) => b.scenario.id === 'bad-command')!;
    await deployRun(kube, opaqueRun('bad-command', 'i-bbbbbb', NS), bundle.broken);
    await append(NS, [{ at: new Date(now).toISOString(), type: 'released', instance: 'i-bbbbbb', via: 'inject' }]);
    expect(await lab.currentRun()).toMatchObject({ instance: 'i-bbbbbb', scenarioId: 'bad-command' });
    expect(await lab.note('the fault')).toMatchObject({ instance: 'i-bbbbbb' });
  });
});
