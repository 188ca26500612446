/**
 * The controller's side of a workload (pods refused at admission) and the scheduler's reason for
 * a Pending pod. Fixtures: test/fixtures/diagnose/controller/ (README there says where the
 * messages come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose, rankFindings } from '../../../../src/core/diagnose.js';
import { controllerFinding, currentRefusal, type ControllerObject } from '../../../../src/core/diagnose/controller.js';
import { groupFindings } from '../../../../src/core/diagnose/group.js';
import { classifyRefusal } from '../../../../src/core/diagnose/refusal.js';
import type { K8sObject, KubeEvent, Pod, ReplicaSet } from '../../../../src/core/k8s.js';
import { FIXTURES, fixture } from '../../../fakes/diagnoseFixtures.js';

interface Case {
  deployment: ControllerObject;
  replicaSets: ReplicaSet[];
  events: KubeEvent[];
}
const load = (name: string): Case => JSON.parse(readFileSync(`${FIXTURES}controller/${name}.json`, 'utf8')) as Case;

/** The same Deployment refused with another plugin's message (condition and events alike). */
function refusedWith(message: string): Case {
  const c = load('quota-no-pods');
  for (const cond of [...(c.deployment.status?.conditions ?? []), ...(c.replicaSets[0].status?.conditions ?? [])]) if (cond.type === 'ReplicaFailure') cond.message = message;
  for (const e of c.events) if (e.reason === 'FailedCreate') e.message = `Error creating: ${message}`;
  return c;
}

/** A healthy pod of the Deployment's ReplicaSet (from the healthy fixture, renamed and re-owned). */
function healthyPod(name: string): Pod {
  const pod = structuredClone(fixture('healthy').pod);
  pod.metadata.name = name;
  pod.metadata.namespace = 'team-a';
  pod.metadata.uid = `uid-${name}`;
  pod.metadata.labels = { app: 'api', 'pod-template-hash': '6d9c8b7f5d' };
  pod.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'api-6d9c8b7f5d', uid: '0b1c2d3e-4f50-4617-8a9b-c0d1e2f30415', controller: true }];
  return pod;
}

describe('controller findings: pods that are never created', () => {
  it('names a quota refusal on a Deployment with no pods at all, with desired vs existing and the quota to look at', () => {
    const c = load('quota-no-pods');
    const f = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods: [], events: c.events })!;
    expect(f.category).toBe('admission-refused');
    expect(f.severity).toBe('failing');
    expect(f.confidence).toBe('high');
    expect(f.pod).toBe('ReplicaSet/api-6d9c8b7f5d');
    expect(f.summary.en).toContain('Deployment api wants 2 pod(s); 0 exist');
    expect(f.summary.en).toContain('ResourceQuota team-quota covers limits.cpu for: api; limits.memory for: api');
    expect(f.evidence).toContain('Deployment api wants 2 pod(s); 0 exist (desired vs existing)');
    expect(f.evidence.some((l) => l.startsWith('ReplicaSet/api-6d9c8b7f5d condition ReplicaFailure=True reason=FailedCreate'))).toBe(true);
    expect(f.evidence.some((l) => l.startsWith('ReplicaSet/api-6d9c8b7f5d event Warning FailedCreate (x4): Error creating: pods "api-6d9c8b7f5d-8wz4m"'))).toBe(true);
    expect(f.nextSteps[0].en).toBe('See what the quota covers: `kubectl describe resourcequota team-quota -n team-a`');
  });

  it('names the refusal beside healthy pods (2 of 3): the refusal ranks above the healthy group', () => {
    const c = refusedWith('pods "api-6d9c8b7f5d-zt9pd" is forbidden: exceeded quota: team-quota, requested: limits.memory=256Mi, used: limits.memory=512Mi, limited: limits.memory=600Mi');
    c.deployment.spec!.replicas = 3;
    const pods = [healthyPod('api-6d9c8b7f5d-a1'), healthyPod('api-6d9c8b7f5d-b2')];
    const podFindings = diagnose({ pods, events: c.events }).findings;
    expect(podFindings.every((f) => f.category === 'healthy')).toBe(true);
    const controller = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods, events: c.events })!;
    const top = rankFindings([...groupFindings(podFindings, 2), controller])[0];
    expect(top.category).toBe('admission-refused');
    expect(top.severity).toBe('degraded');
    expect(top.summary.en).toContain('wants 3 pod(s); 2 exist');
    expect(top.summary.en).toContain('ResourceQuota team-quota refuses the pod: the namespace would exceed its quota (requested limits.memory=256Mi, used limits.memory=512Mi, limit limits.memory=600Mi)');
  });

  it('reads a Pod Security refusal of a privileged container, and points at the namespace label', () => {
    const message = 'pods "api-6d9c8b7f5d-k2x7q" is forbidden: violates PodSecurity "baseline:latest": privileged (container "api" must not set securityContext.privileged=true)';
    const c = refusedWith(message);
    const f = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods: [], events: c.events })!;
    expect(f.category).toBe('admission-refused');
    expect(f.summary.en).toContain('the namespace enforces "baseline:latest" and the pod template breaks it: privileged (container "api" must not set securityContext.privileged=true)');
    expect(f.nextSteps[0].en).toContain('kubectl get namespace team-a --show-labels');
  });

  it('a rollout whose new ReplicaSet is refused while the old version still runs every pod: names the refusal, not "healthy"', () => {
    const c = refusedWith('pods "api-6d9c8b7f5d-k2x7q" is forbidden: violates PodSecurity "baseline:latest": privileged (container "api" must not set securityContext.privileged=true)');
    const old = healthyPod('api-5b7c9d8e4f-q1');
    old.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'api-5b7c9d8e4f', uid: 'old-rs', controller: true }];
    c.deployment.spec!.replicas = 1;
    const f = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods: [old], events: c.events })!;
    expect(f).toMatchObject({ category: 'admission-refused', severity: 'failing' });
    expect(f.summary.en).toContain('Deployment api wants 1 pod(s); 1 exist, of an older version: ReplicaSet/api-6d9c8b7f5d of the new one cannot create its pods');
  });

  it('reads a StatefulSet that cannot create its first pod (missing ServiceAccount) from its FailedCreate event alone', () => {
    const sts: ControllerObject = { kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop', uid: 'sts-uid' }, spec: { replicas: 1 }, status: {} };
    const events: KubeEvent[] = [
      {
        metadata: { name: 'db.187e3', namespace: 'shop' },
        involvedObject: { kind: 'StatefulSet', name: 'db', namespace: 'shop', uid: 'sts-uid' },
        reason: 'FailedCreate',
        type: 'Warning',
        count: 12,
        message: 'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: error looking up service account shop/db-sa: serviceaccount "db-sa" not found',
        lastTimestamp: '2026-12-06T12:20:00Z',
      },
    ];
    const f = controllerFinding({ workload: sts, pods: [], events })!;
    expect(f.category).toBe('admission-refused');
    expect(f.summary.en).toContain('ServiceAccount "db-sa" does not exist in the namespace');
    expect(f.nextSteps[0].en).toBe('Check it: `kubectl get serviceaccount db-sa -n shop`');
  });

  it('a DaemonSet and a Job read their desired counts from their own fields (desiredNumberScheduled; parallelism and completions left)', () => {
    const event = (kind: string, name: string, message: string): KubeEvent => ({
      metadata: { name: `${name}.1`, namespace: 'ops' },
      involvedObject: { kind, name, namespace: 'ops' },
      reason: 'FailedCreate',
      type: 'Warning',
      message,
      lastTimestamp: '2026-12-06T12:20:00Z',
    });
    const ds: ControllerObject = { kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, status: { desiredNumberScheduled: 3 } };
    const dsFinding = controllerFinding({ workload: ds, pods: [], events: [event('DaemonSet', 'agent', 'Error creating: pods "agent-x7k2p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)')] })!;
    expect(dsFinding.summary.en).toContain('DaemonSet agent wants 3 pod(s); 0 exist');
    expect(dsFinding.category).toBe('admission-refused');
    const job: ControllerObject = { kind: 'Job', metadata: { name: 'migrate', namespace: 'ops' }, spec: { completions: 4, parallelism: 2 }, status: { succeeded: 3 } };
    const jobFinding = controllerFinding({ workload: job, pods: [], events: [event('Job', 'migrate', 'Error creating: pods "migrate-q2w9z" is forbidden: maximum memory usage per Container is 64Mi, but limit is 128Mi')] })!;
    expect(jobFinding.summary.en).toContain('Job migrate wants 1 pod(s); 0 exist');
    // A finished Job wants nothing: its old refusal events are history.
    const done: ControllerObject = { ...job, status: { succeeded: 4, conditions: [{ type: 'Complete', status: 'True' }] } };
    expect(controllerFinding({ workload: done, pods: [], events: [event('Job', 'migrate', 'Error creating: pods "x" is forbidden: exceeded quota: q')] })).toBeUndefined();
  });

  it('a FailedCreate whose message lost its reason is a low-confidence refusal that points at the webhooks', () => {
    const c = refusedWith('');
    for (const cond of [...(c.deployment.status?.conditions ?? []), ...(c.replicaSets[0].status?.conditions ?? [])]) if (cond.type === 'ReplicaFailure') cond.message = 'Error creating: ';
    const f = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods: [], events: c.events })!;
    expect(f).toMatchObject({ category: 'admission-refused', confidence: 'low' });
    expect(f.summary.en).toContain('the refusal carries no reason');
    expect(currentRefusal({ workload: c.deployment, replicaSets: c.replicaSets, pods: [], events: c.events })).toBeUndefined();
  });

  it('ignores an old FailedCreate event once every desired pod exists (no ReplicaFailure condition left)', () => {
    const c = load('quota-no-pods');
    c.deployment.status!.conditions = c.deployment.status!.conditions!.filter((x) => x.type !== 'ReplicaFailure');
    c.replicaSets[0].status!.conditions = [];
    const pods = [healthyPod('api-6d9c8b7f5d-a1'), healthyPod('api-6d9c8b7f5d-b2')];
    expect(controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods, events: c.events })).toBeUndefined();
    expect(currentRefusal({ workload: c.deployment, replicaSets: c.replicaSets, pods, events: c.events })).toBeUndefined();
  });

  it('says so, without a cause, when no pod exists and no controller reports a refusal', () => {
    const c = load('quota-no-pods');
    c.deployment.status!.conditions = [];
    c.replicaSets[0].status!.conditions = [];
    const f = controllerFinding({ workload: c.deployment, replicaSets: c.replicaSets, pods: [], events: [] })!;
    expect(f.category).toBe('unknown');
    expect(f.severity).toBe('starting');
  });
});

describe('refusal messages, per admission plugin', () => {
  it.each([
    ['pods "w-1" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi', 'limit-range', 'maximum memory per Container is 512Mi, the pod\'s limit is 1Gi'],
    ['pods "w-1" is forbidden: minimum cpu usage per Container is 100m, but request is 50m', 'limit-range', 'minimum cpu per Container is 100m'],
    ['admission webhook "validation.gatekeeper.sh" denied the request: [psp-privileged-container] Privileged container is not allowed: app', 'webhook', 'validation.gatekeeper.sh denies the pod: [psp-privileged-container]'],
    ['Internal error occurred: failed calling webhook "mpod.elbv2.k8s.aws": failed to call webhook: Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-pod?timeout=10s": no endpoints available for service "aws-load-balancer-webhook-service"', 'webhook', 'cannot be reached'],
    ['pods "x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10', 'quota', 'ResourceQuota compute'],
    ['pods "x" is forbidden: failed quota: compute-resources: must specify limits.cpu,limits.memory,requests.cpu,requests.memory', 'quota-unspecified', 'must set them'],
    ['pods "x" is forbidden: unable to validate against any security context constraint: [provider "anyuid": Forbidden: not usable by user or serviceaccount]', 'other', 'refuses to create the pod'],
  ])('%s', (message, kind, words) => {
    const r = classifyRefusal(message, 'ns');
    expect(r.kind).toBe(kind);
    expect(r.summary.en).toContain(words);
    expect(r.summary.ko).not.toBe('');
  });
});

describe('Pending pods: the scheduler reason in words, and the object to look at next', () => {
  const pending = (message: string, spec: Partial<Pod['spec']> = {}, extra: KubeEvent[] = [], claims: K8sObject[] = []) => {
    const { pod, events } = fixture('unschedulable');
    pod.status!.conditions![0].message = message;
    Object.assign(pod.spec, spec);
    for (const e of events!.items) if (e.reason === 'FailedScheduling') e.message = message;
    return diagnose({ pods: pod, events: [...events!.items, ...extra], claims }).findings[0];
  };

  it('an unbound PVC: names the claim, its StorageClass and what the claim says', () => {
    const claimEvent: KubeEvent = {
      metadata: { name: 'data.187e4', namespace: 'team-e' },
      involvedObject: { kind: 'PersistentVolumeClaim', name: 'data', namespace: 'team-e' },
      reason: 'ProvisioningFailed',
      type: 'Warning',
      count: 5,
      message: 'storageclass.storage.k8s.io "fast-ssd" not found',
      lastTimestamp: '2026-11-24T09:11:30Z',
    };
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'team-e' }, spec: { storageClassName: 'fast-ssd' }, status: { phase: 'Pending' } } as K8sObject;
    const f = pending(
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
      [claimEvent],
      [claim],
    );
    expect(f.category).toBe('node-resources');
    expect(f.confidence).toBe('high');
    expect(f.summary.en).toBe('PersistentVolumeClaim "data" is not bound (StorageClass "fast-ssd"), so the scheduler cannot place the pod: it stays Pending. The claim says: storageclass.storage.k8s.io "fast-ssd" not found');
    expect(f.evidence).toContain('PersistentVolumeClaim/data status.phase=Pending spec.storageClassName=fast-ssd');
    expect(f.nextSteps[0].en).toBe('Look at the claim: `kubectl describe pvc data -n team-e` (Status, StorageClass, Events)');
  });

  it('a node selector no node matches: names the label and the command that compares it', () => {
    const f = pending("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", { nodeSelector: { disktype: 'ssd' } });
    expect(f.summary.en).toContain('nodeSelector disktype=ssd');
    expect(f.nextSteps[0].en).toContain('kubectl get nodes -L disktype');
  });

  it('required anti-affinity with more replicas than nodes, and an untolerated taint', () => {
    expect(pending("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.").summary.en).toContain('anti-affinity');
    expect(pending('0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.').summary.en).toContain('{node.kubernetes.io/disk-pressure: }');
  });

  it('insufficient cpu and memory are named together', () => {
    expect(pending('0/3 nodes are available: 1 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.').summary.en).toBe(
      "No node has enough free cpu and memory for the pod's requests: it stays Pending and never starts.",
    );
  });
});
