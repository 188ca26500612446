import { describe, expect, it } from 'vitest';
import { composeLab, composeLabContext } from '../../../src/app/compose.js';
import { ALL_LAB_FAMILIES, labFamilies } from '../../../src/engine/labApi.js';
import type { Deployment } from '../../../src/core/k8s.js';
import { planRun } from '../../../src/engine/lab/start.js';
import { VirtualClock } from '../../fakes/clock.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';

const options = { yes: false, lang: 'en' as const, color: false };

function setup(context?: string, confirm?: (question: string) => Promise<boolean>) {
  const kube = new MemoryKube(context);
  const store = new MemoryStore();
  const clock = VirtualClock.stopped(Date.parse('2026-11-24T10:00:00Z'));
  let seed = 0;
  const lab = composeLab(
    { ...options, context },
    { kube: () => kube, store, clock, env: {}, confirm, randomBytes: (n) => new Uint8Array(n).fill(++seed * 37) },
  );
  return { kube, store, lab, advance: (s: number) => clock.advance(s * 1000) };
}

describe('the lab action API', () => {
  it('asks to confirm a context that is not crashlab’s kind cluster, once', async () => {
    expect(setup().lab.clusterTarget()).toEqual({ context: 'kind-crashlab' });
    const other = setup('prod').lab;
    expect(other.clusterTarget().confirmQuestion).toMatch(/prod/);
    await expect(other.start('oom')).rejects.toMatchObject({ kind: 'not-confirmed' });
    other.confirmContext();
    expect(other.clusterTarget().confirmQuestion).toBeUndefined();
    const questions: string[] = [];
    const asked = setup('prod', async (q) => (questions.push(q), true)).lab;
    await asked.start('oom');
    await asked.solve(await asked.target('oom'));
    expect(questions).toHaveLength(1);
  });

  it('a client builds only the families it names, all over one context: a context is confirmed once across them', async () => {
    const kube = new MemoryKube('prod');
    const questions: string[] = [];
    const context = composeLabContext({ ...options, context: 'prod' }, { kube: () => kube, store: new MemoryStore(), env: {}, confirm: async (q) => (questions.push(q), true) });
    const starting = labFamilies(context, ['start']);
    expect(Object.keys(starting)).toContain('start');
    expect(Object.keys(starting)).not.toContain('verify');
    await starting.start('oom');
    const fixing = labFamilies(context, ['catalog', 'fix']);
    await fixing.solve(await fixing.target('oom'));
    expect(questions).toHaveLength(1);
  });

  it('no two families name the same method (the whole API is their union, none hides another)', () => {
    const context = composeLabContext(options, { kube: () => new MemoryKube(), store: new MemoryStore(), env: {} });
    const perFamily = ALL_LAB_FAMILIES.map((family) => Object.keys(labFamilies(context, [family])));
    const all = perFamily.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(labFamilies(context, ALL_LAB_FAMILIES)).sort()).toEqual([...all].sort());
  });

  it('start deploys into crashlab-<id> and records the attempt; commands name the context only when it is not the default', async () => {
    const { kube, store, lab } = setup();
    const started = await lab.start('oom');
    expect(started).toMatchObject({ scenarioId: 'oom', namespace: 'crashlab-oom', selector: 'crashlab.dev/scenario=oom', ownsNamespace: true });
    expect(kube.namespaces.has('crashlab-oom')).toBe(true);
    expect(store.progress.scenarios.oom.attempts).toBe(1);
    expect(lab.kubectlCommand(['get', 'pods'])).toBe('kubectl get pods');
    expect(setup('crashlab-local').lab.kubectlCommand(['get', 'pods'])).toBe('kubectl --context crashlab-local get pods');
  });

  it('start replaces the previous run: the old namespace is deleted first, a foreign one is refused', async () => {
    const { kube, lab } = setup();
    await lab.start('oom');
    kube.calls.length = 0;
    const again = await lab.start('oom');
    expect(kube.calls[0]).toBe('deleteManagedNamespace crashlab-oom');
    expect(again.lines[0]).toBe('Removed the previous run (namespace crashlab-oom).');
    kube.namespaces.set('crashlab-oom', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crashlab-oom', labels: {} } });
    await expect(lab.start('oom')).rejects.toMatchObject({ kind: 'foreign-namespace' });
  });

  it('in a shared namespace start deletes only the run’s crashlab-labelled objects, never the namespace', async () => {
    const { kube, lab } = setup();
    kube.namespaces.set('crashlab-g1-red', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crashlab-g1-red', labels: { 'app.kubernetes.io/managed-by': 'crashlab' } } });
    kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-red', labels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' } } });
    const first = await lab.start('oom', { mystery: true, namespace: 'crashlab-g1-red' });
    expect(first.ownsNamespace).toBe(false);
    expect(kube.calls.some((c) => c.includes('Namespace/'))).toBe(false);
    await lab.start('oom', { mystery: true, namespace: 'crashlab-g1-red' });
    expect(kube.calls).not.toContain('deleteManagedNamespace crashlab-g1-red');
    expect(kube.namespaces.has('crashlab-g1-red')).toBe(true);
    expect(kube.objects.find((o) => o.metadata.name === 'crashlab-progress')).toBeDefined();
    await lab.reset(first);
    expect(kube.namespaces.has('crashlab-g1-red')).toBe(true);
  });

  it('mystery mode: no namespace or label spells the scenario; the mapping is kept in the progress file only', async () => {
    const { kube, store, lab } = setup();
    const run = await lab.start('oom', { mystery: true });
    expect(run.instance).toMatch(/^i-[a-z2-7]{6}$/);
    expect(run.namespace).toBe(`crashlab-${run.instance}`);
    const onCluster = JSON.stringify([...kube.namespaces.values(), ...kube.objects].map((o) => [o.metadata.name, o.metadata.labels]));
    expect(onCluster).not.toMatch(/oom/);
    expect(store.progress.instances).toEqual({ [run.instance!]: { scenario: 'oom', namespace: run.namespace, startedAt: '2026-11-24T10:00:00.000Z' } });
    // A second mystery start replaces the first instance and forgets it.
    const next = await lab.start('oom', { mystery: true });
    expect(next.instance).not.toBe(run.instance);
    expect(kube.namespaces.has(run.namespace)).toBe(false);
    expect(Object.keys(store.progress.instances ?? {})).toEqual([next.instance]);
    expect((await lab.resetScenario('oom')).map((r) => r.result)).toContain('deleted');
    expect(kube.namespaces.size).toBe(0);
    expect(store.progress.instances).toEqual({});
  });

  it('planRun names plain and opaque runs the same way for the lab and for game days', () => {
    expect(planRun('oom')).toEqual({ scenarioId: 'oom', namespace: 'crashlab-oom', selector: 'crashlab.dev/scenario=oom', ownsNamespace: true });
    const opaque = planRun('oom', { mystery: true, namespace: 'crashlab-g1-red', randomBytes: () => new Uint8Array([1, 2, 3, 4]) });
    expect(opaque).toEqual({ scenarioId: 'oom', instance: 'i-eyaeqa', namespace: 'crashlab-g1-red', selector: 'crashlab.dev/instance=i-eyaeqa', ownsNamespace: false });
  });

  it('rejects an edited file that is not the scenario’s one Deployment, readably', async () => {
    const { lab } = setup();
    const run = await lab.start('oom');
    const wrong = await lab.applyEdit(run, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(wrong).toEqual({ ok: false, error: expect.stringContaining('exactly one Deployment named') });
    const broken = await lab.applyEdit(run, 'kind: Deployment\n  metadata: [oops');
    expect(broken.ok).toBe(false);
  });

  it('solve counts as help: a pass records no best time; the debrief diffs against the reference', async () => {
    const { store, lab, advance } = setup();
    const run = await lab.start('oom');
    expect((await lab.solve(run)).length).toBeGreaterThan(0);
    advance(90);
    await lab.recordVerdict(run, 'pass', { seconds: 90, hintsUsed: 1 });
    expect(store.progress.scenarios.oom).toMatchObject({ completed: true, solvedWithHelp: true, hintsUsed: 1 });
    expect(store.progress.scenarios.oom.bestSeconds).toBeUndefined();
    const debrief = await lab.debrief(run);
    expect(debrief.diffAgainst).toBe('reference');
    expect(debrief.diff).toMatch(/^--- broken/m);
    expect(debrief.diff).toMatch(/^[-+].*memory/m);
  });

  it('an own fix is timed from start and diffed against the live Deployment, without server defaults', async () => {
    const { store, kube, lab, advance } = setup();
    const run = await lab.start('oom');
    advance(75);
    await lab.recordVerdict(run, 'pass');
    expect(store.progress.scenarios.oom.bestSeconds).toBe(75);
    const live = kube.objects.find((o) => o.kind === 'Deployment') as unknown as Deployment;
    const container = live.spec.template.spec.containers[0];
    container.resources = { ...container.resources, limits: { ...container.resources?.limits, memory: '128Mi' } };
    container.imagePullPolicy = 'IfNotPresent';
    const debrief = await lab.debrief(run);
    expect(debrief.diffAgainst).toBe('live');
    expect(debrief.diff).toMatch(/^\+\s+memory: 128Mi$/m);
    expect(debrief.diff).not.toContain('imagePullPolicy');
  });

  it('a Job scenario: the debrief falls back to the reference diff when the connection cannot read Jobs; an edit must be the Job', async () => {
    const { kube, lab } = setup();
    (kube as { getObject?: unknown }).getObject = undefined;
    const run = await lab.start('job-backoff');
    const debrief = await lab.debrief(run);
    expect(debrief.diffAgainst).toBe('reference');
    expect(debrief.diff).toMatch(/^-\s+value: 7days$/m);
    expect(debrief.diff).toMatch(/^\+\s+value: '7'$/m);
    const wrong = await lab.applyEdit(run, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nightly-report}\n');
    expect(wrong).toEqual({ ok: false, error: 'the file must hold exactly one Job named nightly-report' });
  });

  it('names an unknown scenario with the ids that exist', async () => {
    await expect(setup().lab.start('nope')).rejects.toMatchObject({ kind: 'unknown-scenario', hint: expect.stringContaining('oom') });
  });
});
