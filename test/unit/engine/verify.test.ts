import { describe, expect, it } from 'vitest';
import { verifyDeployment, type VerifyDeploymentOptions, type VerifyProgress } from '../../../src/engine/verify.js';
import { scriptedKube, playScript, type Step } from '../../fakes/scriptedKube.js';
import { VirtualClock } from '../../fakes/clock.js';
import type { KubeEvent } from '../../../src/core/k8s.js';
import { NS, T0, createConfigErrorPod, deployment, events, freshPod, iso, oldCrashLoopPod, podEvent, readyPod, replicaSets, restarted, rollingDeployment } from '../../fakes/objects.js';

/** Fixture W: liveness 5 + 5 × 3 + 1 = 21 s + margin 10. */
const W = 31;

function setup(init: Parameters<typeof scriptedKube>[0] = {}) {
  const kube = scriptedKube({ deployment: deployment(), replicaSets: replicaSets(), pods: [readyPod()], events: events(), ...init });
  const clock = new VirtualClock(T0);
  const progress: VerifyProgress[] = [];
  const run = (steps: Step[] = [], options: Partial<VerifyDeploymentOptions> = {}) =>
    playScript(clock, steps, () =>
      verifyDeployment({
        kube,
        clock,
        namespace: NS,
        deployment: 'web',
        guards: [{ kind: 'probe', container: 'app', probe: 'liveness' }],
        marginSeconds: 10,
        onProgress: (p) => progress.push(p),
        ...options,
      }),
    );
  return { kube, clock, progress, run };
}

describe('verifyDeployment', () => {
  it('passes a flat rollout at the end of W, using the watch instead of polling pods', async () => {
    const { kube, run, progress } = setup();
    const { result, endedAtSeconds } = await run();
    expect(result).toMatchObject({ result: 'pass', windowSeconds: W, evidence: [], namespace: NS, deployment: 'web' });
    expect(result.rule).toBeUndefined();
    expect(endedAtSeconds).toBe(W);
    expect(result.elapsedSeconds).toBe(W);
    expect(result.windowStartedAt).toBe(new Date(T0).toISOString());
    expect(result.guardResults.map((g) => [g.label, g.ok])).toEqual([['livenessProbe on app', true]]);
    expect(result.pods).toEqual([{ pod: 'web-6c8f9d7b54-q7xkz', containers: [{ name: 'app', restartsAtStart: 0, restarts: 0 }] }]);
    // Pods are listed at the start and once more for the final verdict; everything else comes from the watch.
    expect(kube.calls.filter((c) => c.startsWith('getPods'))).toEqual([`getPods ${NS} app=web`, `getPods ${NS} app=web`]);
    expect(kube.calls.filter((c) => c.startsWith('watchPods'))).toEqual([`watchPods ${NS} app=web`]);
    // The Deployment and the events are watched too: the rest is re-read every 5 s, not 2.5 s.
    expect(kube.calls.filter((c) => c.startsWith('watchObjects'))).toEqual([`watchObjects ${NS} deployments.apps web`, `watchObjects ${NS} events `]);
    const eventReads = kube.calls.filter((c) => c.startsWith('getEvents')).length;
    expect(eventReads).toBeGreaterThanOrEqual(W / 5);
    expect(eventReads).toBeLessThanOrEqual(W / 5 + 2);
    expect(kube.openWatches).toBe(0);
    const watching = progress.filter((p) => p.phase === 'watching');
    expect(watching[0]).toMatchObject({ remainingSeconds: W, windowSeconds: W });
    // The countdown ticks every second, from what was already read (no extra cluster reads).
    const remaining = new Set(watching.map((p) => (p.phase === 'watching' ? p.remainingSeconds : -1)));
    for (let s = W; s >= 1; s--) expect(remaining.has(s), `${s} s left`).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'done', verdict: result });
  });

  it('passes requireChange on to the rule: a healthy workload still on the broken template fails at once (rule unchanged)', async () => {
    const { run } = setup();
    const { result, endedAtSeconds } = await run([], { requireChange: { brokenSpec: deployment().spec.template.spec, because: { en: 'the proxy came up', ko: 'proxy가 준비되었기' } } });
    expect(result).toMatchObject({ result: 'fail', rule: 'unchanged' });
    expect(result.summary.en).toMatch(/^nothing was changed: .*because the proxy came up/);
    expect(endedAtSeconds).toBe(0);
  });

  it('fails fast on a restart mid-window: the verdict comes at the moment of the watch event', async () => {
    const { kube, run } = setup();
    const { result, endedAtSeconds } = await run([{ at: 12.2, do: () => kube.setPod(restarted(readyPod(), 12, { exitCode: 0, reason: 'Completed' })) }]);
    expect(endedAtSeconds).toBe(12.2);
    expect(result).toMatchObject({ result: 'fail', rule: 'restart' });
    expect(result.evidence[0]).toMatchObject({ pod: 'web-6c8f9d7b54-q7xkz', container: 'app', reason: 'Completed', exitCode: 0, restarts: { atStart: 0, now: 1 } });
    expect(result.pods[0].containers[0]).toEqual({ name: 'app', restartsAtStart: 0, restarts: 1 });
    expect(kube.openWatches).toBe(0);
  });

  it('fails on a new Warning event for the current pod at the next re-read', async () => {
    const { kube, run } = setup();
    const { result, endedAtSeconds } = await run([
      { at: 20, do: () => kube.addEvent(podEvent(readyPod(), 'Unhealthy', 'Warning', 'Liveness probe failed: Get "http://10.244.0.14:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 20)) },
    ]);
    expect(result).toMatchObject({ result: 'fail', rule: 'event' });
    expect(result.evidence[0].event).toMatchObject({ type: 'Warning', reason: 'Unhealthy' });
    expect(endedAtSeconds).toBeGreaterThanOrEqual(20);
    expect(endedAtSeconds).toBeLessThanOrEqual(22.5);
  });

  it('waits for the rollout, then counts W from the moment every new pod is Ready and the old one gone', async () => {
    const rs = replicaSets();
    rs[0].spec.replicas = 1;
    const { kube, run, progress } = setup({ deployment: rollingDeployment(), replicaSets: rs, pods: [oldCrashLoopPod(), readyPod()] });
    const { result, endedAtSeconds } = await run([
      { at: 6, do: () => kube.deletePod('web-7b5d8c9f6d-h2lwn') },
      {
        at: 6.5,
        do: () => {
          kube.setObject(deployment() as never);
          kube.replicaSets = replicaSets();
        },
      },
    ]);
    expect(result.result).toBe('pass');
    const start = Date.parse(result.windowStartedAt!);
    expect((start - T0) / 1000).toBeGreaterThanOrEqual(6.5);
    // The Deployment status is re-read within one poll interval of its change.
    expect((start - T0) / 1000).toBeLessThanOrEqual(6.5 + 2.5);
    expect(endedAtSeconds).toBe((start - T0) / 1000 + W);
    const first = progress[0];
    expect(first.phase === 'waiting-for-rollout' && first.reason.en).toMatch(/^old pod web-7b5d8c9f6d-h2lwn/);
  });

  it('fails a pod stuck in CreateContainerConfigError after the grace period, not at the rollout timeout', async () => {
    const d = deployment();
    d.status = { ...d.status, readyReplicas: undefined, availableReplicas: undefined, unavailableReplicas: 1 };
    const { run } = setup({ deployment: d, pods: [createConfigErrorPod()] });
    const { result, endedAtSeconds } = await run([], { rolloutTimeoutSeconds: 600 });
    expect(endedAtSeconds).toBe(30);
    expect(result).toMatchObject({ result: 'fail', rule: 'rollout', windowSeconds: W });
    expect(result.evidence[0]).toMatchObject({ reason: 'CreateContainerConfigError', message: `couldn't find key token in Secret ${NS}/api` });
    expect(result.windowStartedAt).toBeUndefined();
  });

  it('says it could not verify when the cluster goes away mid-window', async () => {
    const { kube, run } = setup();
    const { result, endedAtSeconds } = await run([{ at: 10, do: () => kube.goAway() }]);
    expect(endedAtSeconds).toBe(10);
    expect(result).toMatchObject({ result: 'unable', unableCause: 'cluster', windowSeconds: W });
    expect(result.summary.en).toBe('lost the cluster during verification: Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused');
  });

  it('says it could not verify when the Deployment does not exist or the cluster is down from the start', async () => {
    const missing = setup({ deployment: undefined, pods: [] });
    const { result } = await missing.run();
    expect(result).toMatchObject({ result: 'unable', unableCause: 'not-found', summary: { en: `Deployment web not found in namespace ${NS}` } });
    expect(missing.kube.calls.some((c) => c.startsWith('watchPods'))).toBe(false);

    const down = setup();
    down.kube.unreachable = true;
    const second = await down.run();
    expect(second.result.result).toBe('unable');
    expect(second.result).toMatchObject({ unableCause: 'cluster', windowSeconds: 0, evidence: [] });
    expect(second.result.summary.en).toMatch(/^cannot reach the cluster: The connection to the server 127.0.0.1:6443 was refused/);
  });

  it('keeps watching by re-listing pods when kubectl\'s watch ends early', async () => {
    const { kube, run } = setup();
    const { result, endedAtSeconds } = await run([
      { at: 3, do: () => kube.endWatches() },
      { at: 14, do: () => kube.setPod(restarted(readyPod(), 14, { exitCode: 137, reason: 'OOMKilled' })) },
    ]);
    expect(result).toMatchObject({ result: 'fail', rule: 'restart' });
    expect(result.evidence[0]).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(endedAtSeconds).toBeGreaterThan(14);
    expect(endedAtSeconds).toBeLessThanOrEqual(16.5);
    // Re-listed at the read cadence (2.5 s), not at the countdown's 1 s tick.
    expect(kube.calls.filter((c) => c.startsWith('getPods')).length).toBeLessThanOrEqual(1 + Math.ceil(16.5 / 2.5));
  });

  it('restarts the wait for a second rollout that begins inside the window, and notes it in the verdict', async () => {
    const { kube, run } = setup();
    const ofNewRs = (pod: ReturnType<typeof freshPod>) => {
      pod.metadata.labels!['pod-template-hash'] = '7f9b8c6d45';
      pod.metadata.ownerReferences![0].name = 'web-7f9b8c6d45';
      return pod;
    };
    const starting = ofNewRs(freshPod('web-7f9b8c6d45-m2x8q', '5a1c7e3b-2d4f-4e6a-9b8c-0d1e2f3a4b5c', 11));
    const next = ofNewRs(freshPod('web-7f9b8c6d45-m2x8q', '5a1c7e3b-2d4f-4e6a-9b8c-0d1e2f3a4b5c', 11, 16));
    const { result, endedAtSeconds } = await run([
      {
        at: 11,
        do: () => {
          const changed = deployment();
          changed.metadata.generation = 3;
          changed.metadata.annotations!['deployment.kubernetes.io/revision'] = '3';
          changed.status!.observedGeneration = 3;
          const rs = replicaSets();
          const newRs = structuredClone(rs[1]);
          newRs.metadata.name = 'web-7f9b8c6d45';
          newRs.metadata.uid = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
          newRs.metadata.labels!['pod-template-hash'] = '7f9b8c6d45';
          newRs.metadata.annotations!['deployment.kubernetes.io/revision'] = '3';
          kube.replicaSets = [...rs, newRs];
          kube.setObject(changed as never);
        },
      },
      { at: 11.5, do: () => kube.setPod(starting) },
      {
        at: 16.2,
        do: () => {
          const terminating = readyPod();
          terminating.metadata.deletionTimestamp = iso(19);
          kube.setPod(next);
          kube.setPod(terminating);
        },
      },
      { at: 18, do: () => kube.deletePod(readyPod().metadata.name) },
    ]);
    expect(result).toMatchObject({ result: 'pass' });
    // Seen at once through the Deployment watch (the ReplicaSet list is re-read later).
    expect(result.notes.map((n) => n.en)).toEqual(['a second rollout began 11 s into the stability window (generation 2 → 3): the window restarted for the new pods']);
    expect(result.pods.map((p) => p.pod)).toEqual(['web-7f9b8c6d45-m2x8q']);
    // The new window opened once the old pod was gone (18 s) and ran its full W.
    expect(endedAtSeconds).toBeGreaterThanOrEqual(18 + W);
    expect(endedAtSeconds).toBeLessThanOrEqual(18 + W + 3);
  });

  it('says which ReplicaSet deleted a watched pod', async () => {
    const { kube, run } = setup();
    const { result } = await run([
      {
        at: 8,
        do: () => {
          kube.addEvent({
            apiVersion: 'v1',
            count: 1,
            eventTime: null,
            firstTimestamp: iso(8),
            lastTimestamp: iso(8),
            involvedObject: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6c8f9d7b54', namespace: NS, resourceVersion: '2301', uid: '0d3c1c52-8a0f-4e3b-a4f7-6b1e5d2c9e10' } as KubeEvent['involvedObject'],
            kind: 'Event',
            message: 'Deleted pod: web-6c8f9d7b54-q7xkz',
            metadata: { creationTimestamp: iso(8), name: 'web-6c8f9d7b54.187a9c3f0d4b2e61', namespace: NS, resourceVersion: '2302' },
            reason: 'SuccessfulDelete',
            reportingComponent: 'replicaset-controller',
            source: { component: 'replicaset-controller' },
            type: 'Normal',
          });
          kube.deletePod('web-6c8f9d7b54-q7xkz');
        },
      },
    ]);
    expect(result).toMatchObject({ result: 'fail', rule: 'pod-replaced' });
    expect(result.evidence.map((e) => e.reason)).toEqual([undefined, 'SuccessfulDelete']);
    expect(result.evidence[1].summary.en).toBe('ReplicaSet web-6c8f9d7b54: SuccessfulDelete: Deleted pod: web-6c8f9d7b54-q7xkz');
  });

  it('stops with an interrupted verdict when cancelled', async () => {
    const { run } = setup();
    const abort = new AbortController();
    const { result, endedAtSeconds } = await run([{ at: 5, do: () => abort.abort() }], { signal: abort.signal });
    expect(endedAtSeconds).toBe(5);
    expect(result).toMatchObject({ result: 'unable', interrupted: true });
  });

  it('fails at once on a removed guard', async () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].livenessProbe;
    const { run } = setup({ deployment: d });
    const { result, endedAtSeconds } = await run();
    expect(endedAtSeconds).toBe(0);
    expect(result).toMatchObject({ result: 'fail', rule: 'guard' });
    expect(result.guardResults[0]).toMatchObject({ ok: false, label: 'livenessProbe on app' });
  });

  it('obeys a --window override', async () => {
    const { run } = setup();
    const { result, endedAtSeconds } = await run([], { windowOverrideSeconds: 45 });
    expect(endedAtSeconds).toBe(45);
    expect(result.windowReasons[0].en).toBe(`set by --window to 45 s (derived from the spec: ${W} s)`);
  });
});
