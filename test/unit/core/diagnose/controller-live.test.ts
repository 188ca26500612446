/**
 * The controller-side cases as the project's v1.34 test cluster printed them (captured with
 * kubectl -o json while test/cluster/diagnose-suite.mjs ran: test/fixtures/diagnose/controller/
 * live-*.json): diagnosis names them from the saved objects alone, and verify ends the refused
 * rollout with rule "refused".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ControllerObject } from '../../../../src/core/diagnose/controller.js';
import { diagnoseWorkloadObjects } from '../../../../src/core/diagnose/workload.js';
import type { K8sObject, KubeEvent, List, Pod, ReplicaSet } from '../../../../src/core/k8s.js';
import { decide, REFUSED_GRACE_SECONDS } from '../../../../src/core/verify/decide.js';
import type { Workload } from '../../../../src/core/verify/workload.js';
import { FIXTURES } from '../../../fakes/diagnoseFixtures.js';

const read = <T>(id: string, part: string): T => JSON.parse(readFileSync(`${FIXTURES}controller/live-${id}.${part}.json`, 'utf8')) as T;
function live(id: string) {
  return {
    workload: read<ControllerObject>(id, 'deployment'),
    replicaSets: read<List<ReplicaSet>>(id, 'replicasets').items,
    pods: read<List<Pod>>(id, 'pods').items,
    events: read<List<KubeEvent>>(id, 'events').items,
  };
}

describe('controller side, from real v1.34 captures', () => {
  it('a quota that wants limits.cpu and a Deployment without it: no pod at all, named admission-refused with the quota to look at', () => {
    const c = live('quota-no-pods');
    expect(c.pods).toHaveLength(0);
    const [top] = diagnoseWorkloadObjects(c);
    expect(top).toMatchObject({ category: 'admission-refused', severity: 'failing', confidence: 'high' });
    expect(top.summary.en).toContain('Deployment api wants 1 pod(s); 0 exist');
    expect(top.summary.en).toContain('ResourceQuota team-quota covers limits.cpu for: api');
  });

  it('a pod-count quota with 2 of 3 pods healthy: the refusal ranks above "healthy"', () => {
    const c = live('quota-beside-healthy');
    const findings = diagnoseWorkloadObjects(c);
    expect(findings[0]).toMatchObject({ category: 'admission-refused', severity: 'degraded' });
    expect(findings[0].summary.en).toContain('wants 3 pod(s); 2 exist');
    expect(findings.some((f) => f.category === 'healthy')).toBe(true);
  });

  it('a privileged "fix" in a baseline namespace: the old pod runs, the new ReplicaSet is refused by Pod Security', () => {
    const c = live('psa-privileged-fix');
    const [top] = diagnoseWorkloadObjects(c);
    expect(top.category).toBe('admission-refused');
    expect(top.summary.en).toContain('of an older version');
    expect(top.summary.en).toContain('privileged (container "api" must not set securityContext.privileged=true)');
  });

  it('verify on that rollout fails with rule "refused" once the refusal has stood for the grace period', () => {
    const c = live('psa-privileged-fix');
    const config = { namespace: c.workload.metadata.namespace!, kind: 'Deployment' as const, name: 'api', marginSeconds: 10, rolloutTimeoutSeconds: 600 };
    const at = Date.parse(c.events.map((e) => e.lastTimestamp ?? '').filter(Boolean).sort().at(-1)!);
    const snap = (s: number) => ({ atMs: at + s * 1000, workload: c.workload as unknown as Workload, replicaSets: c.replicaSets, pods: c.pods, events: c.events });
    expect(decide(config, [snap(0)]).decision.kind).toBe('pending');
    const state = decide(config, [snap(0), snap(REFUSED_GRACE_SECONDS)]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'refused' });
    if (state.decision.kind === 'fail') expect(state.decision.summary.en).toMatch(/^could not roll out: .*\(0 of 1 pods of the current version exist\): violates PodSecurity "baseline:latest": privileged/);
  });

  it('an unbound PVC whose StorageClass does not exist: the claim, the class and the claim\'s own event', () => {
    const c = live('pvc-unbound');
    const [top] = diagnoseWorkloadObjects({ ...c, claims: read<List<K8sObject>>('pvc-unbound', 'claims').items });
    expect(top).toMatchObject({ category: 'node-resources', confidence: 'high' });
    expect(top.summary.en).toBe('PersistentVolumeClaim "store-data" is not bound (StorageClass "fast-ssd"), so the scheduler cannot place the pod: it stays Pending. The claim says: storageclass.storage.k8s.io "fast-ssd" not found');
  });
});

describe('a refused rollout over a crash-looping old version (the game-day case)', () => {
  it('names the refusal first: the learner\'s change never took effect, whatever the old pod does', () => {
    const c = live('psa-privileged-fix');
    const crashing = structuredClone(c.pods);
    const status = crashing[0].status!.containerStatuses![0];
    status.ready = false;
    status.restartCount = 3;
    status.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-12-06T12:17:20Z', finishedAt: '2026-12-06T12:17:21Z' } };
    status.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=api' } };
    const findings = diagnoseWorkloadObjects({ ...c, pods: crashing });
    expect(findings.map((f) => f.category).slice(0, 2)).toEqual(['admission-refused', 'oom-killed']);
  });
});
