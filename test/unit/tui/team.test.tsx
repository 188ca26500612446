/**
 * The lab UI with a game-day team kubeconfig: the instance the instructor released (or a
 * teammate started) is on top of the picker, marked, and Enter joins it as it is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployRun } from '../../../src/engine/scenarioRuns.js';
import { opaqueRun } from '../../../src/core/instance.js';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import { HEALTHY_MACHINE, KEY, renderLab, until, type Lab } from './harness.js';
import { kubeError } from '../../../src/ports/errors.js';

const NS = 'crashlab-gd1-team-3';
const CATALOG = await loadCatalog(packageRoot());
let lab: Lab | undefined;

/** From the picker: start the first scenario, apply the reference solution, verify until the pass is saved. */
async function solveToDebrief(lab: Lab): Promise<void> {
  await lab.waitFor('Pick a scenario');
  await lab.type(KEY.enter);
  await lab.waitFor('60-second routine');
  await lab.type('f', 's');
  await lab.waitFor('Apply the reference solution?');
  await lab.type('y');
  await lab.waitFor('Reference solution applied');
  await lab.type('v');
  for (let i = 0; i < 120 && !lab.frame().includes('progress saved'); i++) {
    lab.services.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }
}

afterEach(() => {
  lab?.unmount();
  lab = undefined;
});

describe('lab UI in a team namespace', () => {
  it('puts the live instance first, marked, and Enter joins it without deploying anything', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS });
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'tight-liveness')!;
    // What `gameday start` leaves in the team namespace: an opaque instance, no scenario id.
    await deployRun(lab.services.sim, opaqueRun('tight-liveness', 'i-abcdef', NS), bundle.broken);
    const picker = await lab.waitFor('Pick a scenario');
    const rows = picker.split('\n').filter((line) => /easy|medium|hard/.test(line));
    expect(rows[0]).toMatch(/› .*Killed while warming up.*● running/);
    expect(rows.slice(1).some((row) => row.includes('●'))).toBe(false);
    expect(picker).toMatch(/Already running in your team namespace/);

    const applies = lab.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    expect(lab.services.sim.calls.filter((c) => c.startsWith('apply')).length).toBe(applies);
    expect(lab.services.store.progress.instances?.['i-abcdef']).toMatchObject({ scenario: 'tight-liveness', namespace: NS });
  });

  it('back from a lab with Esc, the cursor is on that scenario though the list re-sorted, and Enter resumes it', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS });
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'tight-liveness')!;
    await deployRun(lab.services.sim, opaqueRun('tight-liveness', 'i-abcdef', NS), bundle.broken);
    await lab.waitFor(/› .*Killed while warming up/);
    await lab.type('j');
    const second = (await lab.waitFor(/›  \S/)).split('\n').find((line) => line.startsWith(' ›'))!;
    const title = second.slice(3).trim().split(/\s{2,}/)[0];
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    const applies = lab.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    await lab.type(KEY.escape);
    await lab.waitFor('Pick a scenario');
    // Its run is now the live one: first in the list, and the cursor followed it.
    await lab.waitFor(new RegExp(`^ › +${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    expect(lab.services.sim.calls.filter((c) => c.startsWith('apply')).length).toBe(applies);
  });

  it('never shows a category, not even of a completed scenario, and the filter does not search categories', async () => {
    lab = renderLab({ columns: 140, rows: 30, sharedNamespace: NS, context: NS, progress: { version: 1, scenarios: { oom: { completed: true, solvedWithHelp: false, bestSeconds: 300, attempts: 1, hintsUsed: 0 } } } });
    const picker = await lab.waitFor('Pick a scenario');
    const categories = [...new Set(CATALOG.scenarios.map((s) => s.category))];
    const { category } = await import('../../../src/core/categories.js');
    for (const id of categories) expect(picker).not.toContain(category(id as Parameters<typeof category>[0]).title.en);
    expect(picker).toMatch(/✓ Too big for its box/);
    await lab.type('/', 'o', 'o', 'm');
    const filtered = await lab.waitFor('filter: oom');
    expect(filtered).not.toContain('Too big for its box');
  });

  it('a mystery game shows symptoms only, keeps the switch on, and hides the title in the lab header', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, mysteryGame: true });
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'tight-liveness')!;
    await deployRun(lab.services.sim, opaqueRun('tight-liveness', 'i-abcdef', NS), bundle.broken);
    const picker = await lab.waitFor('mystery game: symptoms only until the debrief');
    const titles = CATALOG.scenarios.map((s) => s.title.en);
    expect(titles.filter((title) => picker.includes(title))).toEqual([]);
    expect(picker).not.toMatch(/Liveness probe/);
    await lab.type('m');
    expect(lab.frame()).toMatch(/mystery game/);
    expect(titles.filter((title) => lab!.frame().includes(title))).toEqual([]);
    await lab.type(KEY.enter);
    const header = (await lab.waitFor('60-second routine')).split('\n')[0];
    expect(header).toMatch(/\?\?\?/);
    expect(header).not.toMatch(/Killed while warming up/);
  });

  it('the debrief records the team’s note, written in the editor, into the team log', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, editor: (text) => ({ status: 'saved', text: `${text}the probe killed it while it warmed up\n# not this line\n` }) });
    await solveToDebrief(lab);
    expect(await lab.waitFor('progress saved')).toMatch(/n team note/);
    await lab.type('n');
    await lab.waitFor("Noted in your team's log");
    const note = lab.services.teamEvents.find((e) => e.type === 'note');
    expect(note).toMatchObject({ type: 'note', text: 'the probe killed it while it warmed up', instance: expect.stringMatching(/^i-[a-z2-7]{6}$/) });
  });

  it('outside a game the debrief offers no team note', async () => {
    lab = renderLab({ columns: 100, rows: 30 });
    await solveToDebrief(lab);
    expect(await lab.waitFor('progress saved')).not.toMatch(/team note/);
    await lab.type('n');
    expect(lab.frame()).not.toMatch(/Noted/);
  });

  it('a scenario started from the picker in a team namespace is opaque, even with mystery mode off', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    const deployed = lab.services.sim.objects.filter((o) => o.metadata.namespace === NS);
    expect(deployed.length).toBeGreaterThan(0);
    expect(deployed.every((o) => /^i-[a-z2-7]{6}$/.test(o.metadata.labels?.['crashlab.dev/instance'] ?? ''))).toBe(true);
    expect(JSON.stringify(deployed.map((o) => o.metadata.labels))).not.toMatch(/crashlab\.dev\/scenario/);
  });
});

describe('a team picker follows the game', () => {
  it('a round the instructor releases while the picker is shown appears, marked with its round, without a restart; the cursor stays put', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, teamRefreshMs: 40 });
    const first = await lab.waitFor('Pick a scenario');
    expect(first).not.toContain('●');
    await lab.type('j');
    const selected = lab.frame().split('\n').find((line) => line.startsWith(' ›'))!.slice(3).trim().split(/\s{2,}/)[0];
    // What `gameday start` does meanwhile: the opaque instance in the team namespace and a
    // `released` line in the team's log.
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'tight-liveness')!;
    await deployRun(lab.services.sim, opaqueRun('tight-liveness', 'i-abcdef', NS), bundle.broken);
    lab.services.sim.objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'crashlab-progress', namespace: NS },
      data: { events: `${JSON.stringify({ at: '2026-11-24T10:00:05.000Z', type: 'released', instance: 'i-abcdef', via: 'round', round: 1 })}\n` },
    } as never);
    const rows = (await lab.waitFor('● round 1')).split('\n').filter((line) => /easy|medium|hard/.test(line));
    expect(rows[0]).toMatch(/Killed while warming up.*● round 1/);
    // The cursor is still on the scenario the learner had selected, now one row lower.
    expect(lab.frame().split('\n').find((line) => line.startsWith(' ›'))).toContain(selected);
    const applies = lab.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    await lab.type(KEY.up, KEY.up, KEY.up, KEY.enter);
    await lab.waitFor('60-second routine');
    expect(lab.services.sim.calls.filter((c) => c.startsWith('apply')).length).toBe(applies);
  });

  it('outside a game the picker does not poll', async () => {
    lab = renderLab({ columns: 100, rows: 30, teamRefreshMs: 20 });
    await lab.waitFor('Pick a scenario');
    let calls = 0;
    const original = lab.services.teamInstances;
    lab.services.teamInstances = () => (calls++, original());
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toBe(0);
  });
});

describe('game over for a team', () => {
  // What kubectl prints when the API server rejects the team's token (measured: a team file
  // used after `gameday end` deleted its namespace and ServiceAccount).
  const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';

  it('the game ends while the picker is shown: a game-over screen in plain words, not kubectl’s, and q leaves', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, teamRefreshMs: 40 });
    await lab.waitFor('Pick a scenario');
    lab.services.sim.listObjects = async () => {
      throw kubeError(UNAUTHORIZED.replace(/^error: /, ''), 'forbidden', UNAUTHORIZED);
    };
    const frame = await lab.waitFor('Game over');
    expect(frame).toMatch(/The game is over: the cluster no longer accepts your team's token/);
    expect(frame).toMatch(/Ask your instructor for the results/);
    expect(frame).toMatch(/crashlab gameday tokens/);
    expect(frame).not.toMatch(/must be logged in/);
    // Nothing else is offered: Esc does not go back to a picker that cannot reach the cluster.
    await lab.type(KEY.escape);
    await lab.type('q');
    await lab.exited;
    expect(lab.exitCode()).toBe(0);
  });

  it('the game ends while a lab is open (its pod watch outlives the token): the lab finds out and says so', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, teamRefreshMs: 40 });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    lab.services.sim.getObject = async () => {
      throw kubeError('You must be logged in to the server (Unauthorized)', 'forbidden', UNAUTHORIZED);
    };
    expect(await lab.waitFor('Game over')).toMatch(/The game is over/);
  });

  it('launched after the game ended: the game-over screen, not a failed preflight check to fix', async () => {
    // `kubectl version` with a deleted ServiceAccount's token (measured on the test cluster).
    const server = { reachable: false, error: 'You must be logged in to the server (the server has asked for the client to provide credentials)' };
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, preflight: { ...HEALTHY_MACHINE, kubeconfig: { current: NS, contexts: [NS] }, server } });
    const frame = await lab.waitFor('Game over');
    expect(frame).toMatch(/The game is over/);
    expect(frame).not.toMatch(/provide credentials|Check that the cluster is running/);
  });

  it('in Korean, with the token’s expiry passed: the token expired', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, teamRefreshMs: 40, lang: 'ko', tokenExpiresAt: '2026-11-24T09:59:00Z' });
    await lab.waitFor('시나리오');
    lab.services.sim.listObjects = async () => {
      throw kubeError('You must be logged in to the server (Unauthorized)', 'forbidden', UNAUTHORIZED);
    };
    const frame = await lab.waitFor('게임 종료');
    expect(frame).toMatch(/팀 토큰이 .*만료되었습니다/);
    expect(frame).toMatch(/결과는 강사에게 문의하십시오/);
  });
});

describe('a team run taken up again in a later session', () => {
  it('keeps the hints the team took on it (its log) and the clock of this laptop’s start', async () => {
    const progress = { version: 1 as const, scenarios: {}, instances: { 'i-abcdef': { scenario: 'tight-liveness', namespace: NS, startedAt: '2026-11-24T09:45:00.000Z' } } };
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS, progress });
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'tight-liveness')!;
    await deployRun(lab.services.sim, opaqueRun('tight-liveness', 'i-abcdef', NS), bundle.broken);
    const events = [
      { at: '2026-11-24T09:45:00.000Z', type: 'released', instance: 'i-abcdef', via: 'round', round: 1 },
      { at: '2026-11-24T09:50:00.000Z', type: 'hint', instance: 'i-abcdef', index: 0 },
      { at: '2026-11-24T09:52:00.000Z', type: 'hint', instance: 'i-abcdef', index: 1 },
      // Another run's hint is not this run's.
      { at: '2026-11-24T09:53:00.000Z', type: 'hint', instance: 'i-zzzzzz', index: 2 },
    ];
    lab.services.sim.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: NS }, data: { events: events.map((e) => JSON.stringify(e)).join('\n') + '\n' } } as never);
    await lab.waitFor(/› .*Killed while warming up.*● round 1/);
    await lab.type(KEY.enter);
    const header = (await lab.waitFor('60-second routine')).split('\n')[0];
    expect(header).toMatch(/15m · hints 2\/3/);
  });
});

describe('routine steps in the team log', () => {
  it('a routine step run in the lab is logged once per run (for the debrief), with the run’s instance', async () => {
    lab = renderLab({ columns: 100, rows: 30, sharedNamespace: NS, context: NS });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter);
    await lab.waitFor(/READY 0\/1/);
    await lab.type(KEY.enter);
    await lab.waitFor('[exit code 0]');
    await lab.type(KEY.enter, 'j', KEY.enter);
    await until(() => lab!.services.teamEvents.filter((e) => e.type === 'step').length >= 2);
    const steps = lab.services.teamEvents.filter((e) => e.type === 'step');
    expect(steps.map((e) => (e as { step: string }).step)).toEqual(['get-wide', 'describe']);
    expect(steps.every((e) => /^i-[a-z2-7]{6}$/.test(e.instance ?? ''))).toBe(true);
  });
});
