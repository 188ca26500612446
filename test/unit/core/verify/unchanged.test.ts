import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Deployment, K8sObject } from '../../../../src/core/k8s.js';
import { parseManifest } from '../../../../src/core/manifest.js';
import { parseScenario } from '../../../../src/core/scenario.js';
import { requireChangeProblems } from '../../../../src/core/scenarioRules.js';
import { decide, type VerifyConfig } from '../../../../src/core/verify/decide.js';
import { checkChanged, containsSubset, requireChangeFor } from '../../../../src/core/verify/unchanged.js';
import yaml from 'js-yaml';
import { NS, T0, deployment, events, readyPod, replicaSets } from '../../../fakes/objects.js';

const root = new URL('../../../../', import.meta.url);
const objects = (path: string): K8sObject[] => {
  const parsed = parseManifest(readFileSync(new URL(path, root), 'utf8'));
  if (!parsed.ok) throw new Error(path);
  return parsed.objects;
};
const scenario = (id: string) => {
  const parsed = parseScenario(yaml.load(readFileSync(new URL(`scenarios/${id}/scenario.yaml`, root), 'utf8')));
  if (!parsed.ok) throw new Error(id);
  return parsed.scenario;
};
/** `kubectl get deploy checkout -o json` in crashlab-sidecar-dependency on the test cluster (v1.34), right after `crashlab start`: the API server's defaults included. */
const liveBroken = (): Deployment => JSON.parse(readFileSync(new URL('test/fixtures/verify/sidecar-dependency/deployment-broken-live.json', root), 'utf8'));

describe('containsSubset', () => {
  it('ignores the defaults the API server added and notices any field that differs, is gone or was added', () => {
    expect(containsSubset({ a: 1, b: [{ c: 'x' }] }, { a: 1, dnsPolicy: 'ClusterFirst', b: [{ c: 'x', protocol: 'TCP' }] })).toBe(true);
    expect(containsSubset({ a: 1 }, { a: 1, initContainers: [{ name: 'wait' }] })).toBe(false);
    expect(containsSubset({ a: 1 }, { a: 1, terminationGracePeriodSeconds: 5 })).toBe(false);
    expect(containsSubset({ restartPolicy: 'Always', initContainers: [{ name: 'p' }] }, { restartPolicy: 'Always', initContainers: [{ name: 'p', restartPolicy: 'Always' }] })).toBe(false);
    expect(containsSubset({ a: 1 }, { a: 2 })).toBe(false);
    expect(containsSubset({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(containsSubset({ b: [{ c: 'x' }] }, { b: [{ c: 'x' }, { c: 'y' }] })).toBe(false);
    // Written differently by the API server: counted as changed (lenient), never as unchanged.
    expect(containsSubset({ port: 8080 }, { port: '8080' })).toBe(false);
  });
});

describe('requireChange on sidecar-dependency (real objects)', () => {
  const sc = scenario('sidecar-dependency');
  const rule = requireChangeFor(sc, objects('scenarios/sidecar-dependency/manifest.yaml'))!;

  it('is set by the scenario and names why it heals by itself', () => {
    expect(rule).toBeDefined();
    expect(rule.because?.en).toMatch(/proxy/);
  });

  it('fails the untouched live Deployment (defaulted fields and all), in English and Korean', () => {
    const result = checkChanged(rule, liveBroken().spec.template.spec);
    expect(result.unchanged).toBe(true);
    expect(result.message.en).toMatch(/^nothing was changed: .*recovered by itself because the mesh proxy.*A fix must change/);
    expect(result.message.ko).toMatch(/^아무것도 바뀌지 않았습니다: .*때문에 저절로 회복된/);
  });

  it('passes a learner who made the proxy a native sidecar (moved to initContainers, restartPolicy Always)', () => {
    const live = liveBroken();
    const spec = live.spec.template.spec;
    const proxy = spec.containers.find((c) => c.name === 'mesh-proxy')!;
    spec.containers = spec.containers.filter((c) => c !== proxy);
    spec.initContainers = [{ ...proxy, restartPolicy: 'Always' } as typeof proxy];
    expect(checkChanged(rule, spec).unchanged).toBe(false);
  });

  it('passes the reference solution', () => {
    const solution = objects('solutions/sidecar-dependency/manifest.yaml');
    const spec = (solution.find((o) => o.kind === 'Deployment') as unknown as Deployment).spec.template.spec;
    expect(checkChanged(rule, spec).unchanged).toBe(false);
  });

  it('passes the reference solution as the API server returns it after `crashlab solve` (fixture from the test cluster)', () => {
    const live: Deployment = JSON.parse(readFileSync(new URL('test/fixtures/verify/sidecar-dependency/deployment-solved-live.json', root), 'utf8'));
    expect(live.spec.template.spec.initContainers?.[0]).toMatchObject({ name: 'mesh-proxy', restartPolicy: 'Always' });
    expect(checkChanged(rule, live.spec.template.spec).unchanged).toBe(false);
  });

  it('a rollout restart (an annotation on the template) is no change', () => {
    const live = liveBroken();
    live.spec.template.metadata = { ...live.spec.template.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-06T13:40:00Z' } };
    expect(checkChanged(rule, live.spec.template.spec).unchanged).toBe(true);
  });
});

describe('requireChange in decide', () => {
  const config: VerifyConfig = { namespace: NS, deployment: 'web', crashWithinSeconds: 20, marginSeconds: 10, rolloutTimeoutSeconds: 120 };
  const snap = (at: number, d: Deployment) => ({ atMs: T0 + at * 1000, deployment: d, replicaSets: replicaSets(), pods: [readyPod()], events: events() });

  it('fails a healthy workload at once when its template still is the broken one', () => {
    const state = decide({ ...config, requireChange: { brokenSpec: deployment().spec.template.spec } }, [snap(0, deployment())]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'unchanged' });
  });

  it('does not stand in the way once the template changed', () => {
    const broken = deployment().spec.template.spec;
    const state = decide({ ...config, requireChange: { brokenSpec: { ...broken, terminationGracePeriodSeconds: 12345 } } }, [snap(0, deployment()), snap(60, deployment())]);
    expect(state.decision.kind).toBe('pass');
  });

  it('scenarios without the setting get no rule', () => {
    expect(requireChangeFor(scenario('oom'), objects('scenarios/oom/manifest.yaml'))).toBeUndefined();
  });
});

describe('requireChangeProblems (validate, prove)', () => {
  const input = (id: string) => ({
    scenario: scenario(id),
    broken: objects(`scenarios/${id}/manifest.yaml`),
    solution: objects(`solutions/${id}/manifest.yaml`),
    notQuiteFixes: [],
  });

  it('accepts the scenarios that set it', () => {
    expect(requireChangeProblems(input('sidecar-dependency'))).toEqual([]);
    expect(requireChangeProblems(input('dependency-not-ready'))).toEqual([]);
  });

  it('refuses a solution that leaves the broken pod template as it is', () => {
    const i = input('sidecar-dependency');
    const problems = requireChangeProblems({ ...i, solution: i.broken });
    expect(problems).toMatchObject([{ file: 'solution', severity: 'error', message: expect.stringMatching(/nothing was changed/) }]);
  });
});
