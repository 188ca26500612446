import { describe, expect, it } from 'vitest';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../../../../src/core/k8s.js';
import { decide, type VerifyConfig, type VerifySnapshot } from '../../../../src/core/verify/decide.js';
import {
  NS,
  T0,
  crashLooping,
  createConfigErrorPod,
  deployment,
  events,
  freshPod,
  iso,
  notReady,
  oldCrashLoopPod,
  podEvent,
  readyPod,
  replicaSets,
  restarted,
  rollingDeployment,
  terminatedNow,
} from '../../../fakes/objects.js';

const config: VerifyConfig = {
  namespace: NS,
  deployment: 'web',
  guards: [
    { kind: 'probe', container: 'app', probe: 'liveness' },
    { kind: 'resourceLimit', container: 'app', resource: 'memory', max: '256Mi' },
  ],
  crashWithinSeconds: 20,
  marginSeconds: 10,
  rolloutTimeoutSeconds: 120,
};
/** liveness 5 + 5 × 3 + 1 = 21 s, + margin 10. */
const W = 31;

function snap(at: number, parts: { deployment?: Deployment | null; pods?: Pod[]; events?: KubeEvent[]; replicaSets?: ReplicaSet[] } = {}): VerifySnapshot {
  return {
    atMs: T0 + at * 1000,
    deployment: parts.deployment === null ? undefined : (parts.deployment ?? deployment()),
    replicaSets: parts.replicaSets ?? replicaSets(),
    pods: parts.pods ?? [readyPod()],
    events: parts.events ?? events(),
  };
}

describe('decide: pass', () => {
  it('passes a flat, Ready rollout once W has passed, not a second before', () => {
    const early = decide(config, [snap(0), snap(10), snap(W - 0.5)]);
    expect(early.decision).toMatchObject({ kind: 'pending', phase: 'watching', remainingSeconds: 1 });
    const state = decide(config, [snap(0), snap(10), snap(W)]);
    expect(state.decision.kind).toBe('pass');
    expect(state.baseline!.window.seconds).toBe(W);
    expect(state.pods).toEqual([{ pod: 'web-6c8f9d7b54-q7xkz', containers: [{ name: 'app', restartsAtStart: 0, restarts: 0 }] }]);
    expect(state.guardResults.map((g) => g.ok)).toEqual([true, true]);
  });

  it('ignores Warning events from before the window: the old pod, and the new pod before it was Ready', () => {
    const all = events();
    expect(all.filter((e) => e.type === 'Warning' && e.involvedObject.name === 'web-6c8f9d7b54-q7xkz')).toHaveLength(1);
    expect(decide(config, [snap(0, { events: all }), snap(W, { events: all })]).decision.kind).toBe('pass');
  });

  it('starts W when the rollout is first complete and every pod Ready, not when verification began', () => {
    const rolling = rollingDeployment();
    const rs = replicaSets();
    rs[0].spec.replicas = 1;
    const during = { deployment: rolling, replicaSets: rs, pods: [oldCrashLoopPod(), readyPod()] };
    const steps = [snap(0, during), snap(5, during), snap(8)];
    expect(decide(config, steps).baseline!.startMs).toBe(T0 + 8000);
    expect(decide(config, [...steps, snap(8 + W - 1)]).decision.kind).toBe('pending');
    expect(decide(config, [...steps, snap(8 + W)]).decision.kind).toBe('pass');
  });
});

describe('decide: restarts and terminations in the window', () => {
  it('fails fast on the first restart, with pod, container, reason, exit code and the events', () => {
    const pod = readyPod();
    const killed = restarted(pod, 12, { exitCode: 0, reason: 'Completed' });
    const evs = [
      ...events(),
      podEvent(pod, 'Unhealthy', 'Warning', 'Liveness probe failed: HTTP probe failed with statuscode: 404', 11, 3),
      podEvent(pod, 'Killing', 'Normal', 'Container app failed liveness probe, will be restarted', 11),
    ];
    const state = decide(config, [snap(0), snap(12, { pods: [killed], events: evs }), snap(W)]);
    expect(state.decision.kind).toBe('fail');
    if (state.decision.kind !== 'fail') return;
    expect(state.decision.rule).toBe('restart');
    const [first, ...rest] = state.decision.evidence;
    expect(first).toMatchObject({ rule: 'restart', pod: 'web-6c8f9d7b54-q7xkz', container: 'app', reason: 'Completed', exitCode: 0, at: iso(12), restarts: { atStart: 0, now: 1 } });
    expect(first.summary.en).toBe('container app of pod web-6c8f9d7b54-q7xkz restarted during the stability window (restarts 0 → 1; last exit: Completed, exit code 0)');
    expect(rest.map((e) => e.event?.reason)).toEqual(['Unhealthy', 'Killing']);
    expect(rest[0].message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(state.pods[0].containers[0]).toEqual({ name: 'app', restartsAtStart: 0, restarts: 1 });
  });

  it('fails on a container that terminated and is not restarted yet', () => {
    const state = decide(config, [snap(0), snap(6, { pods: [terminatedNow(readyPod(), 6, { exitCode: 137, reason: 'OOMKilled' })] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'termination' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0]).toMatchObject({ reason: 'OOMKilled', exitCode: 137, container: 'app' });
  });

  it('fails when a container terminated and was restarted between two looks', () => {
    const pod = readyPod();
    const twice = restarted(restarted(pod, 7, { exitCode: 1, reason: 'Error' }), 9, { exitCode: 1, reason: 'Error' });
    twice.status!.containerStatuses![0].ready = true;
    twice.status!.conditions!.forEach((c) => (c.status = 'True'));
    const state = decide(config, [snap(0), snap(10, { pods: [twice] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0].restarts).toEqual({ atStart: 0, now: 2 });
  });

  it('counts a lastState termination that finished inside the window even without a higher restart count', () => {
    const pod = readyPod();
    pod.status!.containerStatuses![0].lastState = { terminated: { exitCode: 2, reason: 'Error', startedAt: iso(-30), finishedAt: iso(4), containerID: 'containerd://0b1c' } };
    const state = decide(config, [snap(0), snap(5, { pods: [pod] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'termination' });
  });

  it('fails when a pod loses readiness during the window (its failed probe before it, as the kubelet writes it)', () => {
    const probe = podEvent(readyPod(), 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 14);
    const state = decide(config, [snap(0), snap(15, { pods: [notReady(readyPod(), 15)], events: [...events(), probe] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'ready' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.summary.en).toBe(
        'pod web-6c8f9d7b54-q7xkz lost readiness 15 s into the stability window and has been unready for 0 s (pod web-6c8f9d7b54-q7xkz: container app running, not ready): Readiness probe failed: HTTP probe failed with statuscode: 503',
      );
      expect(state.decision.evidence[0]).toMatchObject({ rule: 'ready', unreadySeconds: 0, at: new Date(T0 + 15_000).toISOString() });
    }
  });

  it('says "could not verify" when readiness is lost with no failed probe and no restart (a kubelet just restarted re-checks every pod)', () => {
    const unready = notReady(readyPod(), 15);
    // First it waits for the Unhealthy event (the two watches deliver in either order), and never passes meanwhile.
    expect(decide(config, [snap(0), snap(15, { pods: [unready] })]).decision).toMatchObject({ kind: 'pending', phase: 'watching' });
    expect(decide(config, [snap(0), snap(15, { pods: [unready] }), snap(W + 1, { pods: [unready] })]).decision.kind).not.toBe('pass');
    // The event comes late: a fail after all.
    const late = podEvent(readyPod(), 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 15);
    expect(decide(config, [snap(0), snap(15, { pods: [unready] }), snap(18, { pods: [unready], events: [...events(), late] })]).decision).toMatchObject({ kind: 'fail', rule: 'ready' });
    const state = decide(config, [snap(0), snap(15, { pods: [unready] }), snap(25, { pods: [unready] })]);
    expect(state.decision.kind).toBe('unable');
    if (state.decision.kind === 'unable') expect(state.decision.summary.en).toBe(`pod web-6c8f9d7b54-q7xkz was not Ready for a while during the stability window (its Ready condition changed at ${new Date(T0 + 15_000).toISOString()}) with no failed probe and no restart: its node re-checked it (a kubelet that restarts marks every pod not Ready until a probe passes again); could not verify, run verify again`);
    // A failed probe from before the window explains nothing now.
    const old = podEvent(readyPod(), 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', -5);
    expect(decide(config, [snap(0), snap(15, { pods: [notReady(readyPod(), 15)], events: [...events(), old] }), snap(25, { pods: [notReady(readyPod(), 15)], events: [...events(), old] })]).decision.kind).toBe('unable');
  });

  it('says "could not verify", not fail, when the pod lost readiness because its node stopped answering (NodeNotReady)', () => {
    // What the node controller does when the kubelet or containerd stops answering for 40 s.
    const pod = notReady(readyPod(), 15);
    pod.spec = { ...pod.spec!, nodeName: 'crashlab-node' };
    const silent = podEvent(pod, 'NodeNotReady', 'Warning', 'Node is not ready', 15);
    silent.involvedObject.fieldPath = undefined;
    const state = decide(config, [snap(0), snap(16, { pods: [pod], events: [...events(), silent] })]);
    expect(state.decision).toEqual({
      kind: 'unable',
      summary: {
        en: 'node crashlab-node stopped answering during the stability window (NodeNotReady on pod web-6c8f9d7b54-q7xkz): could not verify; run verify again once the node is Ready',
        ko: 'crashlab-node 노드가 안정성 확인 구간 동안 응답하지 않았습니다(web-6c8f9d7b54-q7xkz 파드에 NodeNotReady): 검증할 수 없습니다. 노드가 Ready가 된 뒤 검증을 다시 실행하십시오',
      },
    });
    // Still Ready (the event came first): no pass either, whatever the window.
    const ready = readyPod();
    expect(decide(config, [snap(0), snap(W + 1, { events: [...events(), podEvent(ready, 'NodeNotReady', 'Warning', 'Node is not ready', 10)] })]).decision.kind).toBe('unable');
    // A NodeNotReady from before the window (the node was back when it opened) changes nothing.
    expect(decide(config, [snap(0), snap(W + 1, { events: [...events(), podEvent(ready, 'NodeNotReady', 'Warning', 'Node is not ready', -60)] })]).decision.kind).toBe('pass');
    // A restart is still a restart, node or not.
    const crashed = restarted(readyPod(), 12, { exitCode: 1, reason: 'Error' });
    expect(decide(config, [snap(0), snap(16, { pods: [crashed], events: [...events(), podEvent(crashed, 'NodeNotReady', 'Warning', 'Node is not ready', 15)] })]).decision).toMatchObject({ kind: 'fail', rule: 'restart' });
  });

  it('fails when a watched pod is deleted while the Deployment stays the same', () => {
    const gone = decide(config, [snap(0), snap(5, { pods: [] })]);
    expect(gone.decision).toMatchObject({ kind: 'fail', rule: 'pod-replaced' });
  });

  it('goes back to waiting, with a note, when the Deployment changes under the window', () => {
    const changed = deployment();
    changed.metadata.generation = 3;
    const state = decide(config, [snap(0), snap(5, { deployment: changed })]);
    expect(state.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    expect(state.baseline).toBeUndefined();
    expect(state.notes.map((n) => n.en)).toEqual(['a second rollout began 5 s into the stability window (generation 2 → 3): the window restarted for the new pods']);
    expect(state.notes[0].ko).toContain('새 롤아웃');
  });
});

describe('decide: events', () => {
  it('fails on a new Warning event for the current pod during W, matched by reason not wording', () => {
    const pod = readyPod();
    const warning = podEvent(pod, 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 20);
    const state = decide(config, [snap(0), snap(10), snap(21, { events: [...events(), warning] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'event' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.evidence).toHaveLength(1);
      expect(state.decision.evidence[0]).toMatchObject({ pod: pod.metadata.name, container: 'app', reason: 'Unhealthy', at: iso(20) });
    }
  });

  it('counts an old event whose lastTimestamp moves into the window (the count went up)', () => {
    const all = events();
    const readiness = all.find((e) => e.reason === 'Unhealthy' && e.involvedObject.name === 'web-6c8f9d7b54-q7xkz')!;
    readiness.count = 2;
    readiness.lastTimestamp = iso(3);
    expect(decide(config, [snap(0), snap(4, { events: all })]).decision).toMatchObject({ kind: 'fail', rule: 'event' });
  });

  it('ignores a Warning from the second in which the window started: it may predate the start', () => {
    const pod = readyPod();
    // The ConfigMap appeared a moment later and the pod started within the same second.
    const mount = podEvent(pod, 'FailedMount', 'Warning', 'MountVolume.SetUp failed for volume "config" : configmap "web-config" not found', 0);
    mount.involvedObject.fieldPath = undefined;
    const late = (at: number) => ({ ...snap(at, { events: [...events(), mount] }), atMs: T0 + at * 1000 });
    const start = { ...snap(0), atMs: T0 + 600 };
    expect(decide(config, [start, late(10), { ...late(W), atMs: T0 + 600 + W * 1000 }]).decision.kind).toBe('pass');
  });

  it('ignores Warnings about the node\'s DNS set-up that the kubelet repeats on every sync', () => {
    const pod = readyPod();
    const dns = (at: number, count: number) => [
      podEvent(pod, 'MissingClusterDNS', 'Warning', `pod: "${pod.metadata.name}_${NS}(${pod.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`, at, count),
      podEvent(pod, 'DNSConfigForming', 'Warning', 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.0.0.2 10.0.0.3 10.0.0.4', at, count),
    ];
    const state = decide(config, [snap(0), snap(12, { events: [...events(), ...dns(11, 9)] }), snap(W, { events: [...events(), ...dns(30, 15)] })]);
    expect(state.decision.kind).toBe('pass');
  });

  it('ignores events of other pods and Normal events of the current pod', () => {
    const other = podEvent(oldCrashLoopPod(), 'BackOff', 'Warning', 'Back-off restarting failed container app', 5);
    const normal = podEvent(readyPod(), 'Pulled', 'Normal', 'Container image "nginxinc/nginx-unprivileged:1.27-alpine" already present on machine', 5);
    expect(decide(config, [snap(0), snap(W, { events: [...events(), other, normal] })]).decision.kind).toBe('pass');
  });
});

describe('decide: guards', () => {
  it('fails at once when the liveness probe was deleted, naming the guard', () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].livenessProbe;
    const state = decide(config, [snap(0, { deployment: d })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'guard' });
    if (state.decision.kind !== 'fail') return;
    expect(state.decision.summary.en).toBe('the fix removed what the scenario tests: the liveness probe on container app was removed: a fix must keep it (tune its timing instead)');
    expect(state.decision.evidence[0]).toMatchObject({ rule: 'guard', container: 'app', reason: 'livenessProbe on app' });
    expect(state.guardResults.map((g) => g.ok)).toEqual([false, true]);
  });

  it('fails a memory limit raised above the maximum even when the pods are perfectly healthy', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources!.limits!.memory = '2Gi';
    expect(decide(config, [snap(0, { deployment: d }), snap(W, { deployment: d })]).decision).toMatchObject({ kind: 'fail', rule: 'guard' });
  });
});

describe('decide: rollout', () => {
  const rs = () => {
    const list = replicaSets();
    list[0].spec.replicas = 1;
    return list;
  };

  it('does not pass while an old pod is still there and updated < desired, and says why', () => {
    const rolling = rollingDeployment();
    rolling.status!.updatedReplicas = 0;
    rolling.status!.readyReplicas = 0;
    const steps = [0, 10, 40, 60, 100].map((at) => snap(at, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod()] }));
    const state = decide(config, steps);
    expect(state.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout', remainingSeconds: 20 });
    if (state.decision.kind === 'pending') expect(state.decision.reason.en).toMatch(/^old pod web-7b5d8c9f6d-h2lwn \(pod-template-hash 7b5d8c9f6d, current 6c8f9d7b54\) is still there/);
  });

  it('does not trust the Deployment status alone: counts complete but an old pod left means waiting', () => {
    const state = decide(config, [snap(0, { pods: [oldCrashLoopPod(), readyPod()] }), snap(W + 5, { pods: [oldCrashLoopPod(), readyPod()] })]);
    expect(state.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
  });

  it('does not wait for an evicted old pod, which stays listed with phase Failed', () => {
    const evicted = oldCrashLoopPod();
    evicted.status = {
      ...evicted.status,
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87244Ki. ',
    };
    expect(decide(config, [snap(0, { pods: [evicted, readyPod()] }), snap(W, { pods: [evicted, readyPod()] })]).decision.kind).toBe('pass');
  });

  it('waits for the controller to observe the latest generation', () => {
    const d = deployment();
    d.metadata.generation = 3;
    const state = decide(config, [snap(0, { deployment: d })]);
    expect(state.decision.kind === 'pending' && state.decision.reason.en).toBe('the Deployment controller has not processed the latest change yet (observedGeneration 2 < generation 3)');
  });

  it('gives a pod stuck in CreateContainerConfigError 30 s to recover (a fixed Secret), then fails quoting the kubelet message', () => {
    const d = deployment();
    d.status = { ...d.status, readyReplicas: undefined, availableReplicas: undefined, unavailableReplicas: 1 };
    const pod = createConfigErrorPod();
    const failed = podEvent(pod, 'Failed', 'Warning', `Error: couldn't find key token in Secret ${NS}/api`, -20, 14);
    const steps = [0, 10, 29].map((at) => snap(at, { deployment: d, pods: [pod], events: [...events(), failed] }));
    const waiting = decide(config, steps);
    expect(waiting.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    if (waiting.decision.kind === 'pending') expect(waiting.decision.reason.en).toBe(`pod web-6c8f9d7b54-q7xkz: container app waiting: CreateContainerConfigError (couldn't find key token in Secret ${NS}/api)`);
    const state = decide(config, [...steps, snap(30, { deployment: d, pods: [pod], events: [...events(), failed] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'rollout' });
    if (state.decision.kind !== 'fail') return;
    expect(state.decision.summary.en).toBe(`container app of pod web-6c8f9d7b54-q7xkz still cannot start after 30 s: CreateContainerConfigError: couldn't find key token in Secret ${NS}/api`);
    expect(state.decision.evidence[0]).toMatchObject({ pod: 'web-6c8f9d7b54-q7xkz', container: 'app', reason: 'CreateContainerConfigError', message: `couldn't find key token in Secret ${NS}/api` });
    expect(state.decision.evidence.some((e) => e.event?.reason === 'Failed')).toBe(true);
  });

  it('fails an unfixed crash loop at once when the kubelet would not retry within the grace period', () => {
    const d = deployment();
    d.status = { ...d.status, readyReplicas: undefined, availableReplicas: undefined, unavailableReplicas: 1 };
    const pod = createConfigErrorPod();
    // Last crash 10 s before verify began, back-off 80 s: the next attempt is 70 s away.
    const finishedAt = new Date(snap(-10, {}).atMs).toISOString().replace(/\.\d+Z$/, 'Z');
    pod.status!.containerStatuses![0] = {
      ...pod.status!.containerStatuses![0],
      restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=app pod=${pod.metadata.name}_${NS}(${pod.metadata.uid})` } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: finishedAt, finishedAt } },
    };
    const state = decide(config, [snap(0, { deployment: d, pods: [pod] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'rollout' });
    if (state.decision.kind !== 'fail') return;
    expect(state.decision.summary.en).toMatch(/^the current version is crash-looping: container app of pod web-6c8f9d7b54-q7xkz is in CrashLoopBackOff after 4 restarts \(last exit: OOMKilled, exit code 137\); the kubelet retries in 70 s\. If your fix was outside the pod spec/);
    expect(state.decision.summary.en).toContain(`kubectl delete pod web-6c8f9d7b54-q7xkz -n ${NS}`);

    // The same pod with its retry 5 s away gets that retry.
    const soon = structuredClone(pod);
    soon.status!.containerStatuses![0].state!.waiting!.message = 'back-off 10s restarting failed container=app';
    const retrying = decide(config, [snap(0, { deployment: d, pods: [soon] })]);
    expect(retrying.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
  });

  it('fails at once when ProgressDeadlineExceeded appears while watching, but not for a stale one', () => {
    const d = deployment();
    d.status = { ...d.status, readyReplicas: undefined, availableReplicas: undefined, unavailableReplicas: 1 };
    const exceeded = structuredClone(d);
    exceeded.status!.conditions![1] = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-6c8f9d7b54" has timed out progressing.' };
    const pod = createConfigErrorPod();
    const appeared = decide(config, [snap(0, { deployment: d, pods: [pod] }), snap(10, { deployment: exceeded, pods: [pod] })]);
    expect(appeared.decision).toMatchObject({ kind: 'fail', rule: 'rollout' });
    if (appeared.decision.kind === 'fail') {
      expect(appeared.decision.summary.en).toMatch(/before its progress deadline/);
      expect(appeared.decision.evidence.at(-1)).toMatchObject({ reason: 'ProgressDeadlineExceeded' });
    }
    // Already exceeded before verify began (e.g. the learner just fixed the Secret): give the pod its chance.
    const stale = decide(config, [snap(0, { deployment: exceeded, pods: [pod] }), snap(10, { deployment: exceeded, pods: [pod] })]);
    expect(stale.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    const recovered = decide(config, [snap(0, { deployment: exceeded, pods: [pod] }), snap(10), snap(10 + W)]);
    expect(recovered.decision.kind).toBe('pass');
  });

  it('fails fast when the new version crashes during the rollout, before any window', () => {
    const rolling = rollingDeployment();
    rolling.status!.readyReplicas = 0;
    rolling.status!.availableReplicas = 0;
    const fresh = freshPod('web-6c8f9d7b54-zt5mv', '0f6e2d4c-8b1a-4c3e-9d7f-2a5b6c8d0e1f', 1);
    const crashed = crashLooping(fresh, 4, { exitCode: 1, reason: 'Error' }, 1);
    const state = decide(config, [
      snap(0, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod()] }),
      snap(2, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod(), fresh] }),
      snap(5, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod(), crashed] }),
    ]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.summary.en).toBe(
        'the current version crashed: container app of pod web-6c8f9d7b54-zt5mv restarted while the rollout was in progress (restarts 0 → 1; last exit: Error, exit code 1)',
      );
      expect(state.baseline).toBeUndefined();
    }
  });

  it('names the pod that crashed first when several crashed before one look (seen on a loaded cluster: a StatefulSet\'s db-1 then db-0)', () => {
    const rolling = rollingDeployment();
    rolling.status!.readyReplicas = 0;
    rolling.status!.availableReplicas = 0;
    const later = crashLooping(freshPod('web-6c8f9d7b54-aaaaa', '1f6e2d4c-8b1a-4c3e-9d7f-2a5b6c8d0e1f', 1), 6, { exitCode: 1, reason: 'Error' }, 1);
    const earlier = crashLooping(freshPod('web-6c8f9d7b54-zt5mv', '0f6e2d4c-8b1a-4c3e-9d7f-2a5b6c8d0e1f', 1), 4, { exitCode: 1, reason: 'Error' }, 1);
    const state = decide(config, [
      snap(0, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod()] }),
      snap(7, { deployment: rolling, replicaSets: rs(), pods: [later, earlier] }),
    ]);
    expect(state.decision).toMatchObject({ kind: 'fail' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0].pod).toBe('web-6c8f9d7b54-zt5mv');
  });

  it('fails fast on a StartError during the rollout although its startedAt is the zero time', () => {
    const rolling = rollingDeployment();
    rolling.status!.readyReplicas = 0;
    rolling.status!.availableReplicas = 0;
    const pod = freshPod('web-6c8f9d7b54-zt5mv', '0f6e2d4c-8b1a-4c3e-9d7f-2a5b6c8d0e1f', 1);
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/bin/server": stat /bin/server: no such file or directory: unknown';
    const status = pod.status!.containerStatuses![0];
    status.restartCount = 1;
    status.ready = false;
    status.started = false;
    status.state = { waiting: { reason: 'RunContainerError', message: `failed to start containerd task "${status.containerID!.slice(13)}": ${message.slice(30)}` } };
    status.lastState = { terminated: { containerID: status.containerID, exitCode: 128, reason: 'StartError', message, startedAt: '1970-01-01T00:00:00Z', finishedAt: iso(3) } };
    const state = decide(config, [
      snap(0, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod()] }),
      snap(4, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod(), pod] }),
    ]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'termination' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0]).toMatchObject({ reason: 'StartError', exitCode: 128, message, at: iso(3) });
    // The same StartError from before verification began is history, not news.
    status.lastState.terminated!.finishedAt = iso(-40);
    const before = decide(config, [snap(0, { deployment: rolling, replicaSets: rs(), pods: [oldCrashLoopPod(), pod] })]);
    expect(before.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
  });

  it('fails a Deployment scaled to zero, and cannot verify one that does not exist', () => {
    const zero = deployment();
    zero.spec.replicas = 0;
    expect(decide(config, [snap(0, { deployment: zero, pods: [] })]).decision).toMatchObject({ kind: 'fail', rule: 'rollout' });
    const missing = decide(config, [snap(0, { deployment: null, pods: [] })]);
    expect(missing.decision).toEqual({ kind: 'unable', summary: { en: `Deployment web not found in namespace ${NS}`, ko: `${NS} 네임스페이스에 web Deployment가 없습니다` } });
    expect(decide(config, [snap(0), snap(3, { deployment: null })]).decision).toMatchObject({ kind: 'fail', rule: 'deployment' });
  });
});
