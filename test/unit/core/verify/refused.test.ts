/**
 * A learner's change that the API server refuses (Pod Security, a quota): the new ReplicaSet
 * never gets a pod, so verify ends promptly with the refusal in one line instead of waiting out
 * the rollout bound. Scripted snapshots over the verify fixtures (real kubectl -o json), moved to
 * a third revision the way the deployment and replicaset controllers write it.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../../../../src/core/k8s.js';
import { decide, REFUSED_EVENT_MAX_AGE_SECONDS, REFUSED_GRACE_SECONDS, type VerifyConfig, type VerifySnapshot } from '../../../../src/core/verify/decide.js';
import type { Workload } from '../../../../src/core/verify/workload.js';
import { NS, T0, deployment, events, freshPod, iso, readyPod, replicaSets } from '../../../fakes/objects.js';

const config: VerifyConfig = { namespace: NS, deployment: 'web', marginSeconds: 10, rolloutTimeoutSeconds: 120 };
const PSA = 'pods "web-59d7c8b6f4-x8k2p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)';
const NEW_RS = 'web-59d7c8b6f4';

/** Revision 3 (the learner's privileged "fix") is refused; revision 2's pod still serves. */
function refusedRollout(message = PSA, at = -2): { deployment: Deployment; replicaSets: ReplicaSet[]; events: KubeEvent[] } {
  const d = deployment();
  d.metadata.generation = 3;
  d.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
  d.status = {
    ...d.status,
    observedGeneration: 3,
    replicas: 1,
    updatedReplicas: 0,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${NEW_RS}" is progressing.` },
    ],
  };
  const rs = replicaSets();
  const fresh = structuredClone(rs[1]);
  fresh.metadata.name = NEW_RS;
  fresh.metadata.uid = '5e0c7a1b-93d2-4f64-b1a8-2c7d9e4f6a03';
  fresh.metadata.annotations = { ...fresh.metadata.annotations, 'deployment.kubernetes.io/revision': '3' };
  fresh.metadata.labels = { ...fresh.metadata.labels, 'pod-template-hash': '59d7c8b6f4' };
  fresh.spec.replicas = 1;
  fresh.status = { replicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: iso(at) }] };
  const event: KubeEvent = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${NEW_RS}.187e2a1b3c4d5e6f`, namespace: NS, creationTimestamp: iso(at) },
    involvedObject: { kind: 'ReplicaSet', name: NEW_RS, namespace: NS, uid: fresh.metadata.uid },
    reason: 'FailedCreate',
    message: `Error creating: ${message}`,
    type: 'Warning',
    count: 3,
    firstTimestamp: iso(at),
    lastTimestamp: iso(at),
    source: { component: 'replicaset-controller' },
  };
  return { deployment: d, replicaSets: [...rs, fresh], events: [...events(), event] };
}

function snap(at: number, parts: { deployment: Deployment; replicaSets: ReplicaSet[]; events: KubeEvent[]; pods?: Pod[] }): VerifySnapshot {
  return { atMs: T0 + at * 1000, deployment: parts.deployment, replicaSets: parts.replicaSets, pods: parts.pods ?? [readyPod()], events: parts.events };
}

describe('verify: a rollout the API server refuses', () => {
  it(`waits ${REFUSED_GRACE_SECONDS} s (the controller retries), then fails with rule "refused" quoting the refusal in one line`, () => {
    const r = refusedRollout();
    const early = decide(config, [snap(0, r), snap(REFUSED_GRACE_SECONDS - 1, r)]);
    expect(early.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    const state = decide(config, [snap(0, r), snap(4, r), snap(REFUSED_GRACE_SECONDS, r)]);
    expect(state.decision.kind).toBe('fail');
    if (state.decision.kind !== 'fail') return;
    expect(state.decision.rule).toBe('refused');
    expect(state.decision.summary.en).toBe(
      'could not roll out: the API server refuses to create the pods of Deployment web (0 of 1 pods of the current version exist): violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
    );
    expect(state.decision.summary.en).not.toContain('\n');
    expect(state.decision.evidence[0]).toMatchObject({ rule: 'refused', reason: 'pod-security' });
    expect(state.decision.summary.ko).toContain('롤아웃할 수 없습니다');
  });

  it('a quota that frees up in time is not a verdict: the new pod is created and the rollout goes on', () => {
    const r = refusedRollout('pods "web-59d7c8b6f4-x8k2p" is forbidden: exceeded quota: team-quota, requested: limits.memory=256Mi, used: limits.memory=256Mi, limited: limits.memory=384Mi');
    const freed = refusedRollout();
    freed.deployment.status!.conditions = freed.deployment.status!.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    freed.replicaSets[2].status = { replicas: 1 };
    const pod = freshPod(`${NEW_RS}-x8k2p`, 'uid-new', 6);
    pod.metadata.labels = { ...pod.metadata.labels, 'pod-template-hash': '59d7c8b6f4' };
    pod.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: NEW_RS, uid: freed.replicaSets[2].metadata.uid, controller: true }];
    const state = decide(config, [snap(0, r), snap(6, { ...freed, pods: [readyPod(), pod] }), snap(REFUSED_GRACE_SECONDS + 5, { ...freed, pods: [readyPod(), pod] })]);
    expect(state.decision.kind).toBe('pending');
    expect(state.refusedSinceMs).toBeUndefined();
  });

  it('an old FailedCreate event (history) does not decide while pods are missing for another reason', () => {
    const r = refusedRollout(PSA, -(REFUSED_EVENT_MAX_AGE_SECONDS + 60));
    r.deployment.status!.conditions = r.deployment.status!.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    r.replicaSets[2].status = { replicas: 0 };
    const state = decide(config, [snap(0, r), snap(REFUSED_GRACE_SECONDS + 1, r)]);
    expect(state.decision.kind).toBe('pending');
  });

  it('a Job whose pods are refused (FailedCreate on the Job, no pod at all) fails the same way', () => {
    const job: Workload = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: NS, uid: 'job-uid', generation: 1 },
      spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } }, template: { spec: { containers: [{ name: 'migrate', image: 'busybox:1.36' }], restartPolicy: 'Never' } }, completions: 1, parallelism: 1, backoffLimit: 3 },
      status: { startTime: iso(-3) },
    };
    const event: KubeEvent = {
      metadata: { name: 'migrate.187e', namespace: NS },
      involvedObject: { kind: 'Job', name: 'migrate', namespace: NS, uid: 'job-uid' },
      reason: 'FailedCreate',
      type: 'Warning',
      message: 'Error creating: pods "migrate-7xk2p" is forbidden: failed quota: team-quota: must specify limits.memory for: migrate',
      lastTimestamp: iso(-2),
      count: 2,
    };
    const jobConfig: VerifyConfig = { namespace: NS, kind: 'Job', name: 'migrate', marginSeconds: 10, rolloutTimeoutSeconds: 120 };
    const s = (at: number): VerifySnapshot => ({ atMs: T0 + at * 1000, workload: job, replicaSets: [], pods: [], events: [event] });
    const state = decide(jobConfig, [s(0), s(REFUSED_GRACE_SECONDS)]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'refused' });
    if (state.decision.kind === 'fail') expect(state.decision.summary.en).toContain('(0 of 1 pods of the current version exist): failed quota: team-quota: must specify limits.memory for: migrate');
  });
});
