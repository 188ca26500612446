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
import { composeLab, teamScope } from '../../../src/app/compose.js';
import { teamKubeconfig } from '../../../src/core/gameday/objects.js';
import type { GameEvent } from '../../../src/core/gameday/events.js';
import type { Kube } from '../../../src/ports/kube.js';
import { MemoryKube, MemoryStore } from '../cli/memoryKube.js';

const NS = 'crashlab-gd1-team-3';

function teamFile(namespaceTeam = 'team-3'): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-team-'));
  const file = join(dir, `${namespaceTeam}.kubeconfig`);
  writeFileSync(file, yaml.dump(teamKubeconfig('gd1', namespaceTeam, { server: 'https://127.0.0.1:6443', caData: 'Q0E=' }, 'e30.e30.sig')), { mode: 0o600 });
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

function setup() {
  const kube = new TeamKube('crashlab-gd1-team-3');
  kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' } } });
  const store = new MemoryStore();
  const contexts: string[] = [];
  let seed = 0;
  const file = teamFile();
  const lab = composeLab(
    { kubeconfig: file, yes: false, lang: 'en', color: false },
    { kube: (context) => (contexts.push(context), kube as Kube), store, clock: { now: () => Date.parse('2026-11-30T12:00:00Z'), sleep: async () => undefined }, env: {}, offered: async () => undefined, randomBytes: (n) => new Uint8Array(n).fill(++seed * 37) },
  );
  return { kube, store, lab, contexts, file };
}

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

  it('shows and starts only the scenarios the game offers', async () => {
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => new TeamKube(NS), store: new MemoryStore(), clock: { now: () => 0, sleep: async () => undefined }, env: {}, offered: async () => ['oom', 'probe-path'] },
    );
    expect((await lab.scenarios()).map((s) => s.id).sort()).toEqual(['oom', 'probe-path']);
    await expect(lab.start('readonly-fs')).rejects.toMatchObject({ kind: 'unknown-scenario' });
  });

  it('appends the contract’s events to the team log', async () => {
    const events: GameEvent[] = [];
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: { now: () => Date.parse('2026-11-30T12:00:00Z'), sleep: async () => undefined }, env: {}, offered: async () => undefined, teamLog: { append: async (ns, e) => void (expect(ns).toBe(NS), events.push(...e)) } },
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

  it('a failing event log is reported once, never fatal', async () => {
    const kube = new TeamKube(NS);
    const lab = composeLab(
      { kubeconfig: teamFile(), yes: false, lang: 'en', color: false },
      { kube: () => kube, store: new MemoryStore(), clock: { now: () => 0, sleep: async () => undefined }, env: {}, offered: async () => undefined, teamLog: { append: async () => Promise.reject(new Error('forbidden')) } },
    );
    await lab.start('oom');
    expect(lab.takeTeamLogWarning()).toMatch(/event log: forbidden/);
    expect(lab.takeTeamLogWarning()).toBeUndefined();
  });
});
