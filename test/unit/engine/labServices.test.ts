import { describe, expect, it } from 'vitest';
import { createLabServices } from '../../../src/engine/labServices.js';
import type { Deployment } from '../../../src/core/k8s.js';
import { MemoryKube, MemoryStore } from '../cli/memoryKube.js';

const globals = { yes: false, lang: 'en' as const, color: false };

function setup(context?: string) {
  const kube = new MemoryKube(context);
  const store = new MemoryStore();
  let now = Date.parse('2026-11-24T10:00:00Z');
  const services = createLabServices({ ...globals, context }, { kube: () => kube, store, clock: { now: () => now, sleep: async () => undefined }, env: {} });
  return { kube, store, services, advance: (s: number) => (now += s * 1000) };
}

describe('createLabServices (the real facade behind the lab UI)', () => {
  it('asks to confirm a context that is not crashlab’s kind cluster', () => {
    expect(setup().services.clusterTarget()).toEqual({ context: 'kind-crashlab' });
    const other = setup('prod').services;
    expect(other.clusterTarget().confirmQuestion).toMatch(/prod/);
    other.confirmContext();
    expect(other.clusterTarget().confirmQuestion).toBeUndefined();
  });

  it('start deploys into crashlab-<id> and records the attempt; commands name the context only when it is not the default', async () => {
    const { kube, store, services } = setup();
    const lab = await services.start('oom');
    expect(lab).toMatchObject({ scenarioId: 'oom', namespace: 'crashlab-oom' });
    expect(kube.namespaces.has('crashlab-oom')).toBe(true);
    expect(store.progress.scenarios.oom.attempts).toBe(1);
    expect(services.kubectlCommand(['get', 'pods'])).toBe('kubectl get pods');
    expect(setup('crashlab-local').services.kubectlCommand(['get', 'pods'])).toBe('kubectl --context crashlab-local get pods');
  });

  it('rejects an edited file that is not the scenario’s one Deployment, readably', async () => {
    const { services } = setup();
    const lab = await services.start('oom');
    const wrong = await services.applyDeploymentYaml(lab, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(wrong).toEqual({ ok: false, error: expect.stringContaining('exactly one Deployment named') });
    const broken = await services.applyDeploymentYaml(lab, 'kind: Deployment\n  metadata: [oops');
    expect(broken.ok).toBe(false);
  });

  it('solve counts as help: a pass records no best time; the debrief diffs against the reference', async () => {
    const { store, services, advance } = setup();
    const lab = await services.start('oom');
    expect((await services.solve(lab)).ok).toBe(true);
    advance(90);
    await services.recordResult('oom', { outcome: 'pass', seconds: 90, solvedWithHelp: true, hintsUsed: 1 });
    expect(store.progress.scenarios.oom).toMatchObject({ completed: true, solvedWithHelp: true, hintsUsed: 1 });
    expect(store.progress.scenarios.oom.bestSeconds).toBeUndefined();
    const debrief = await services.debrief(lab);
    expect(debrief.diffAgainst).toBe('reference');
    expect(debrief.diff).toMatch(/^--- broken/m);
    expect(debrief.diff).toMatch(/^[-+].*memory/m);
  });

  it('an own fix is diffed against the live Deployment, without server defaults', async () => {
    const { kube, services } = setup();
    const lab = await services.start('oom');
    const live = kube.objects.find((o) => o.kind === 'Deployment') as unknown as Deployment;
    const container = live.spec.template.spec.containers[0];
    container.resources = { ...container.resources, limits: { ...container.resources?.limits, memory: '128Mi' } };
    container.imagePullPolicy = 'IfNotPresent';
    const debrief = await services.debrief(lab);
    expect(debrief.diffAgainst).toBe('live');
    expect(debrief.diff).toMatch(/^\+\s+memory: 128Mi$/m);
    expect(debrief.diff).not.toContain('imagePullPolicy');
  });
});
