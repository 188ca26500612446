/**
 * The verifier's hard cases (issue 10) as scripted snapshot sequences over the Deployment
 * fixtures: a window learned from the previous version's lifetimes, a pod that never becomes
 * Ready, the first termination during the rollout, a native sidecar restarting, readiness that
 * flaps inside W, and a second rollout that begins after the window opened.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../../../../src/core/k8s.js';
import { decide, type VerifyConfig, type VerifySnapshot } from '../../../../src/core/verify/decide.js';
import { learnedTerms, lifetimesOf } from '../../../../src/core/verify/lifetimes.js';
import { NS, T0, deployment, events, freshPod, iso, oldCrashLoopPod, podEvent, readyPod, replicaSets, restarted, rollingDeployment } from '../../../fakes/objects.js';

const base: VerifyConfig = { namespace: NS, deployment: 'web', marginSeconds: 10, rolloutTimeoutSeconds: 120 };

function snap(at: number, parts: { deployment?: Deployment; pods?: Pod[]; events?: KubeEvent[]; replicaSets?: ReplicaSet[]; podsListed?: boolean } = {}): VerifySnapshot {
  return {
    atMs: T0 + at * 1000,
    deployment: parts.deployment ?? deployment(),
    replicaSets: parts.replicaSets ?? replicaSets(),
    pods: parts.pods ?? [readyPod()],
    events: parts.events ?? events(),
    podsListed: parts.podsListed,
  };
}

/** The fixture Deployment with no probes at all: the spec alone asks only for the 15 s minimum. */
function noProbes(d: Deployment = deployment()): Deployment {
  for (const c of d.spec.template.spec.containers) {
    delete c.livenessProbe;
    delete c.readinessProbe;
  }
  return d;
}

function withoutProbes(pod: Pod): Pod {
  for (const c of pod.spec.containers) {
    delete c.livenessProbe;
    delete c.readinessProbe;
  }
  return pod;
}

/** The old ReplicaSet's pod, Running again after a crash that came 31 s after its start (the example). */
function oldPodThatRan31s(): Pod {
  const pod = withoutProbes(oldCrashLoopPod());
  const s = pod.status!.containerStatuses![0];
  s.lastState = { terminated: { containerID: s.containerID, exitCode: 1, reason: 'Error', startedAt: iso(-45), finishedAt: iso(-14) } };
  s.state = { running: { startedAt: iso(-13) } };
  return pod;
}

describe('a window learned from observed lifetimes', () => {
  it('reads a run as finishedAt − startedAt, and ignores a container stopped by its pod being deleted', () => {
    expect(lifetimesOf(oldPodThatRan31s()).map((l) => [l.container, l.seconds, l.exitCode])).toEqual([['app', 31, 1]]);
    const deleting = oldPodThatRan31s();
    deleting.metadata.deletionTimestamp = iso(0);
    deleting.status!.containerStatuses![0].state = { terminated: { exitCode: 137, reason: 'Error', startedAt: iso(-13), finishedAt: iso(1) } };
    // The lastState crash still counts; the SIGKILL of the deletion does not.
    expect(lifetimesOf(deleting).map((l) => l.seconds)).toEqual([31]);
  });

  it('a fix that still crashes after 31 s: W covers the previous version\'s 31 s, so it cannot pass at 15 s', () => {
    const d = noProbes(rollingDeployment());
    const done = noProbes();
    const fresh = withoutProbes(readyPod());
    const seq = [snap(0, { deployment: d, pods: [oldPodThatRan31s(), fresh] }), snap(2, { deployment: done, pods: [fresh] })];
    const opened = decide(base, seq);
    expect(opened.baseline?.window.seconds).toBe(41);
    const reasons = opened.baseline!.window.reasons.map((r) => r.en);
    expect(reasons).toContain('the previous version crashed after 31 s of running (pod web-7b5d8c9f6d-h2lwn, container app: Error, exit 1 at 2026-11-24T16:05:52Z)');
    expect(opened.baseline!.window.reasons.find((r) => r.en.startsWith('the previous version'))!.ko).toBe(
      '이전 버전은 31초 실행 후 죽었습니다 (web-7b5d8c9f6d-h2lwn 파드, app 컨테이너: Error, 종료 코드 1, 2026-11-24T16:05:52Z)',
    );
    // 18 s after the start (where a 15 s window would have passed) it is still watching...
    expect(decide(base, [...seq, snap(20, { deployment: done, pods: [fresh] })]).decision).toMatchObject({ kind: 'pending', phase: 'watching' });
    // ...and the crash at 33 s fails it.
    const crashed = restarted(fresh, 33, { exitCode: 1, reason: 'Error' });
    expect(decide(base, [...seq, snap(33.4, { deployment: done, pods: [crashed] })]).decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    // A real fix passes at the end of the learned W.
    expect(decide(base, [...seq, snap(2 + 41, { deployment: done, pods: [fresh] })]).decision.kind).toBe('pass');
  });

  it('without that observation W is the 15 s minimum (what the issue saw pass)', () => {
    const done = noProbes();
    const state = decide(base, [snap(0, { deployment: done, pods: [withoutProbes(readyPod())] })]);
    expect(state.baseline?.window.seconds).toBe(15);
  });

  it('learns from the pod\'s own history, and caps a very long lifetime at 300 s', () => {
    const pod = withoutProbes(readyPod());
    const s = pod.status!.containerStatuses![0];
    s.restartCount = 1;
    s.lastState = { terminated: { exitCode: 2, reason: 'Error', startedAt: '2026-11-24T15:00:00Z', finishedAt: '2026-11-24T15:40:00Z' } };
    const state = decide(base, [snap(0, { deployment: noProbes(), pods: [pod] })]);
    expect(state.baseline?.window.seconds).toBe(310);
    expect(state.baseline!.window.reasons[0].en).toMatch(/^this pod's own history: it ran 2400 s before its last crash \(.*\) \(counted as 300 s at most\)$/);
    expect(learnedTerms(lifetimesOf(pod), 'x', new Set())[0].source).toBe('previous-version');
  });
});

describe('a pod that never becomes Ready', () => {
  const unhealthy = (pod: Pod, at: number) => podEvent(pod, 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', at, Math.max(1, Math.floor(at / 5)));

  /** Running since 1 s, never Ready (readiness: period 5 × failureThreshold 3 + timeout 1 = 16 s, + margin 10 → 26 s). */
  function neverReadyPod(): Pod {
    const pod = freshPod('web-6c8f9d7b54-n8r2k', '2c4e6a8b-0d1f-4a3c-8e5b-7d9f1a3c5e7b', 0);
    pod.status!.containerStatuses![0].state = { running: { startedAt: iso(1) } };
    return pod;
  }

  it('says how long and what the probe answers while waiting, then fails once its readiness budget is spent', () => {
    const pod = neverReadyPod();
    const at = (s: number) => snap(s, { pods: [pod], events: [...events(), unhealthy(pod, Math.min(s, 20))] });
    const waiting = decide(base, [at(0), at(20)]);
    expect(waiting.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    if (waiting.decision.kind === 'pending') {
      expect(waiting.decision.reason.en).toBe('pod web-6c8f9d7b54-n8r2k: not Ready for 19 s: Readiness probe failed: HTTP probe failed with statuscode: 503 (verdict after 26 s)');
      expect(waiting.decision.reason.ko).toContain('19초째 Ready 아님');
    }
    const failed = decide(base, [at(0), at(20), at(27)]);
    expect(failed.decision).toMatchObject({ kind: 'fail', rule: 'ready' });
    if (failed.decision.kind === 'fail') {
      expect(failed.decision.summary.en).toBe(
        'pod web-6c8f9d7b54-n8r2k runs but has not been Ready for 26 s, longer than its readiness budget of 26 s (app: readiness 0 + 5 × 3 + 1 = 16 s, + margin 10 s → 26 s): Readiness probe failed: HTTP probe failed with statuscode: 503',
      );
      expect(failed.decision.evidence[0]).toMatchObject({ pod: 'web-6c8f9d7b54-n8r2k', container: 'app', unreadySeconds: 26 });
      expect(failed.decision.evidence[1]).toMatchObject({ reason: 'Unhealthy', event: { type: 'Warning', reason: 'Unhealthy' } });
    }
  });

  it('counts the startup probe\'s budget before readiness', () => {
    const d = deployment();
    const app = d.spec.template.spec.containers[0];
    app.startupProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2, failureThreshold: 12 };
    const pod = neverReadyPod();
    const state = decide(base, [snap(0, { deployment: d, pods: [pod] }), snap(40, { deployment: d, pods: [pod] })]);
    expect(state.decision.kind).toBe('pending');
    expect(decide(base, [snap(0, { deployment: d, pods: [pod] }), snap(51, { deployment: d, pods: [pod] })]).decision).toMatchObject({ kind: 'fail', rule: 'ready' });
  });
});

describe('the first termination, at any phase', () => {
  it('fails at the first startup-probe kill even when that container started just before verify did', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].startupProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 6 };
    const starting = freshPod('web-6c8f9d7b54-s4k9d', '7e9a1c3b-5d7f-4b2e-8a0c-3e5f7a9c1b3d', -2);
    starting.status!.containerStatuses![0].state = { running: { startedAt: iso(-1) } };
    starting.status!.containerStatuses![0].started = false;
    const killed = restarted(starting, 62, { exitCode: 137, reason: 'Error' });
    const state = decide(base, [snap(0, { deployment: d, pods: [starting] }), snap(30, { deployment: d, pods: [starting] }), snap(62.5, { deployment: d, pods: [killed] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.evidence[0]).toMatchObject({ restarts: { atStart: 0, now: 1 }, exitCode: 137, at: iso(62) });
      expect(state.decision.summary.en).toContain('restarts 0 → 1');
    }
  });
});

describe('native sidecars', () => {
  function withSidecar(pod: Pod, restarts = 0): Pod {
    const next = structuredClone(pod);
    next.spec.initContainers = [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', command: ['sh', '-c', 'exec nc -lk -p 15000'] }];
    next.status!.initContainerStatuses = [
      {
        name: 'proxy',
        image: 'docker.io/library/busybox:1.36',
        ready: true,
        started: true,
        restartCount: restarts,
        state: { running: { startedAt: iso(restarts ? 12 : -20) } },
        lastState: restarts ? { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(-20), finishedAt: iso(12) } } : {},
      },
    ];
    return next;
  }

  it('a restarting sidecar fails the window like a main container', () => {
    const d = deployment();
    d.spec.template.spec.initContainers = withSidecar(readyPod()).spec.initContainers;
    const state = decide(base, [snap(0, { deployment: d, pods: [withSidecar(readyPod())] }), snap(12.5, { deployment: d, pods: [withSidecar(readyPod(), 1)] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0]).toMatchObject({ container: 'proxy', restarts: { atStart: 0, now: 1 } });
    expect(state.pods[0].containers.map((c) => c.name)).toEqual(['proxy', 'app']);
  });
});

describe('readiness must hold through W', () => {
  it('a flap between two looks fails with when it was Ready again', () => {
    const flapped = readyPod();
    for (const c of flapped.status!.conditions!) if (c.type === 'Ready' || c.type === 'ContainersReady') c.lastTransitionTime = iso(14);
    const probe = podEvent(flapped, 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 12);
    const state = decide(base, [snap(0), snap(15, { pods: [flapped], events: [...events(), probe] })]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'ready' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.summary.en).toBe(
        `pod web-6c8f9d7b54-q7xkz dropped out of Ready during the stability window and was Ready again at ${iso(14)} (14 s into the window): Readiness probe failed: HTTP probe failed with statuscode: 503: a pod that flaps has not proven itself`,
      );
    }
    // The same flap with no failed probe (a restarted kubelet re-checking it): could not verify.
    expect(decide(base, [snap(0), snap(15, { pods: [flapped] }), snap(25, { pods: [flapped] })]).decision.kind).toBe('unable');
  });
});

describe('a second rollout after the window opened (tight-liveness: kubectl replace, then solve)', () => {
  it('the window opens only on a listed snapshot: pods from the watch alone ask for a fresh read first', () => {
    const state = decide(base, [snap(0, { podsListed: false })]);
    expect(state.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout', needsFreshRead: true });
    expect(decide(base, [snap(0, { podsListed: false }), snap(0.3)]).decision).toMatchObject({ kind: 'pending', phase: 'watching' });
  });
});

describe('a pod that was crash-looping before verify began', () => {
  it('restarts once more with a fix made outside the spec (a Secret) and passes: a restart without a new termination is no crash', () => {
    const looping = readyPod();
    const s = looping.status!.containerStatuses![0];
    s.restartCount = 3;
    s.ready = false;
    s.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(-12), finishedAt: iso(-10) } };
    s.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off 20s restarting failed container=app pod=${looping.metadata.name}_${NS}(${looping.metadata.uid})` } };
    for (const c of looping.status!.conditions!) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
    const running = structuredClone(looping);
    const r = running.status!.containerStatuses![0];
    r.restartCount = 4;
    r.ready = true;
    r.state = { running: { startedAt: iso(10) } };
    for (const c of running.status!.conditions!) if (c.type === 'Ready' || c.type === 'ContainersReady') {
      c.status = 'True';
      c.lastTransitionTime = iso(10);
    }
    const seq = [snap(0, { pods: [looping] }), snap(10.5, { pods: [running] }), snap(11.5, { pods: [running] })];
    expect(decide(base, seq).decision).toMatchObject({ kind: 'pending', phase: 'watching' });
    // The crash before verify began still taught W something: it ran 2 s.
    expect(decide(base, [...seq, snap(11.5 + 31, { pods: [running] })]).decision.kind).toBe('pass');
  });
});

/**
 * The tight-liveness sequence of the scenario suite, as the test cluster played it (recorded with
 * watches of the Deployment, its ReplicaSets and pods, 2026-11-30): `kubectl replace` of the
 * not-quite-fix makes ReplicaSet A (revision 2), `solve` 3.5 s later makes ReplicaSet B
 * (revision 3). A's pod becomes Ready first (its template has no startup probe), so the
 * Deployment reports ready=1 while B's pod is still starting; then B's pod is Ready and A's pod
 * is deleted. A window that opens on A's pod, or on a pod list the watch never corrected, ends
 * with "pod … was deleted during the stability window".
 */
describe('replace, then solve: two new ReplicaSets', () => {
  const rsA = 'web-78d8dfbb7';
  const rsB = 'web-dbc758d5f';
  function rs(name: string, hash: string, revision: string, replicas: number): ReplicaSet {
    const r = structuredClone(replicaSets()[1]);
    r.metadata.name = name;
    r.metadata.uid = `${hash}-uid`;
    r.metadata.labels!['pod-template-hash'] = hash;
    r.metadata.annotations!['deployment.kubernetes.io/revision'] = revision;
    r.spec.replicas = replicas;
    return r;
  }
  function pod(name: string, rsName: string, hash: string, created: number, readyAt?: number): Pod {
    const p = freshPod(name, `${name}-uid`, created, readyAt);
    p.metadata.labels!['pod-template-hash'] = hash;
    p.metadata.ownerReferences![0].name = rsName;
    return p;
  }
  function deploymentAt(status: { replicas: number; updated: number; ready: number }, generation = 3): Deployment {
    const d = deployment();
    d.metadata.generation = generation;
    d.metadata.annotations!['deployment.kubernetes.io/revision'] = String(generation);
    d.status = { ...d.status, observedGeneration: generation, replicas: status.replicas, updatedReplicas: status.updated, readyReplicas: status.ready, availableReplicas: status.ready };
    return d;
  }
  const sets = (a: number, b: number) => [replicaSets()[0], rs(rsA, '78d8dfbb7', '2', a), rs(rsB, 'dbc758d5f', '3', b)];
  const a1 = (readyAt?: number) => pod(`${rsA}-x7k2p`, rsA, '78d8dfbb7', -4, readyAt);
  const b1 = (readyAt?: number) => pod(`${rsB}-q4n8w`, rsB, 'dbc758d5f', 1, readyAt);

  it('waits while the old ReplicaSet\'s pod is the Ready one, opens the window on the new pod once the old one is gone, and passes', () => {
    const seq = [
      snap(0, { deployment: deploymentAt({ replicas: 2, updated: 1, ready: 0 }), replicaSets: sets(1, 1), pods: [a1(), b1()] }),
      // A's pod is Ready first: the Deployment counts it (ready=1), B's is still starting.
      snap(17, { deployment: deploymentAt({ replicas: 2, updated: 1, ready: 1 }), replicaSets: sets(1, 1), pods: [a1(17), b1()] }),
      snap(20, { deployment: deploymentAt({ replicas: 2, updated: 1, ready: 2 }), replicaSets: sets(0, 1), pods: [{ ...a1(17), metadata: { ...a1(17).metadata, deletionTimestamp: iso(23) } }, b1(20)] }),
    ];
    const waiting = decide(base, seq);
    expect(waiting.baseline).toBeUndefined();
    if (waiting.decision.kind === 'pending') expect(waiting.decision.reason.en).toMatch(/^old pod web-78d8dfbb7-x7k2p/);
    const gone = snap(21, { deployment: deploymentAt({ replicas: 1, updated: 1, ready: 1 }), replicaSets: sets(0, 1), pods: [b1(20)] });
    const opened = decide(base, [...seq, gone]);
    expect(Object.values(opened.baseline!.pods).map((p) => p.name)).toEqual([`${rsB}-q4n8w`]);
    expect(decide(base, [...seq, gone, snap(21 + 31, { deployment: deploymentAt({ replicas: 1, updated: 1, ready: 1 }), replicaSets: sets(0, 1), pods: [b1(20)] })]).decision.kind).toBe('pass');
  });

  it('a third change inside the window: back to waiting for its pods, then a pass with a note', () => {
    const rsC = 'web-5f6c7d8e9';
    const settled = (generation: number, pods: Pod[], status = { replicas: 1, updated: 1, ready: 1 }) =>
      snap(0, { deployment: deploymentAt(status, generation), replicaSets: [...sets(0, generation === 3 ? 1 : 0), rs(rsC, '5f6c7d8e9', '4', generation === 4 ? 1 : 0)], pods });
    const at = (s: number, x: VerifySnapshot) => ({ ...x, atMs: T0 + s * 1000 });
    const c1 = (readyAt?: number) => pod(`${rsC}-m3v9z`, rsC, '5f6c7d8e9', 30, readyAt);
    const seq = [
      at(0, settled(3, [b1(-2)])),
      at(30, settled(4, [b1(-2), c1()], { replicas: 2, updated: 1, ready: 1 })),
      at(34, settled(4, [b1(-2), c1(34)], { replicas: 2, updated: 1, ready: 2 })),
      at(36, settled(4, [c1(34)])),
      at(36 + 31, settled(4, [c1(34)])),
    ];
    const state = decide(base, seq);
    expect(state.decision.kind).toBe('pass');
    expect(state.notes.map((n) => n.en)).toEqual([
      'a second rollout began 30 s into the stability window (generation 3 → 4, ReplicaSet web-dbc758d5f → ReplicaSet web-5f6c7d8e9): the window restarted for the new pods',
    ]);
    expect(Object.values(state.baseline!.pods).map((p) => p.name)).toEqual([`${rsC}-m3v9z`]);
  });
});

describe('a slow first look', () => {
  it('counts a termination that came after verify was asked for, even when the first read came later', () => {
    const asked: VerifyConfig = { ...base, requestedAtMs: T0 - 40_000 };
    // The first look came at T0, 40 s after the request; the kill was at T0 - 20 s, after the request.
    const early = restarted(readyPod(), -20, { exitCode: 137, reason: 'Error' });
    expect(decide(asked, [snap(0, { pods: [early] })]).decision).toMatchObject({ kind: 'fail', rule: 'termination' });
    // Without the request time it is taken as history from before verify.
    expect(decide(base, [snap(0, { pods: [early] })]).decision.kind).toBe('pending');
  });
});
