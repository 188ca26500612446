/**
 * The engine's timing rules over the scripted fake cluster: a Warning event fails within a moment
 * (the namespace's events are watched), a readiness flap between two looks is not lost, and a
 * cluster connection without object reads cannot verify a StatefulSet (and says so).
 */
import { describe, expect, it } from 'vitest';
import { verifyDeployment, verifyWorkload } from '../../../src/engine/verify.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { scriptedKube, playScript, type Step } from '../../fakes/scriptedKube.js';
import { VirtualClock } from '../../fakes/clock.js';
import { NS, T0, deployment, events, iso, notReady, oldCrashLoopPod, podEvent, readyPod, replicaSets } from '../../fakes/objects.js';

function setup() {
  const kube = scriptedKube({ deployment: deployment(), replicaSets: replicaSets(), pods: [readyPod()], events: events() });
  const clock = new VirtualClock(T0);
  const run = (steps: Step[] = []) => playScript(clock, steps, () => verifyDeployment({ kube, clock, namespace: NS, deployment: 'web', marginSeconds: 10 }));
  return { kube, clock, run };
}

describe('verify engine: a pod that vanished between the first list and the watch', () => {
  it('does not stay in the picture: pods are re-listed while the rollout is awaited, and the window opens on a fresh list', async () => {
    const { kube, run } = setup();
    const gone = oldCrashLoopPod();
    gone.metadata.deletionTimestamp = iso(-1);
    kube.staleInNextList = [gone];
    const { result, endedAtSeconds } = await run();
    expect(result).toMatchObject({ result: 'pass' });
    // The first poll (2.5 s) re-lists the pods; the window (31 s) opens then.
    expect(endedAtSeconds).toBeGreaterThanOrEqual(31);
    expect(endedAtSeconds).toBeLessThanOrEqual(2.5 + 31 + 0.5);
  });
});

describe('verify engine: fail within a moment of the first evidence', () => {
  it('a Warning event (a probe failing below its threshold) fails at once through the event watch, not at the next poll', async () => {
    const { kube, run } = setup();
    const { result, endedAtSeconds } = await run([{ at: 20, do: () => kube.addEvent(podEvent(readyPod(), 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 20)) }]);
    expect(result).toMatchObject({ result: 'fail', rule: 'event' });
    expect(endedAtSeconds).toBe(20);
  });

  it('a readiness flap that is over by the next look still fails, with the time it was unready', async () => {
    const { kube, run } = setup();
    const back = readyPod();
    for (const c of back.status!.conditions!) if (c.type === 'Ready' || c.type === 'ContainersReady') c.lastTransitionTime = iso(14);
    const { result, endedAtSeconds } = await run([
      {
        at: 12,
        do: () => {
          kube.addEvent(podEvent(readyPod(), 'Unhealthy', 'Warning', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 12));
          kube.setPod(notReady(readyPod(), 12));
          kube.setPod(back);
        },
      },
    ]);
    expect(result).toMatchObject({ result: 'fail', rule: 'ready' });
    expect(result.evidence[0]).toMatchObject({ pod: 'web-6c8f9d7b54-q7xkz', unreadySeconds: 0, at: new Date(T0 + 12_000).toISOString() });
    expect(result.summary.en).toMatch(/^pod web-6c8f9d7b54-q7xkz lost readiness 12 s into the stability window/);
    expect(endedAtSeconds).toBe(12);
  });

  it('without object reads in the cluster connection, a StatefulSet cannot be verified (exit 2, said plainly)', async () => {
    const kube = scriptedKube({});
    (kube as { getObject?: unknown }).getObject = undefined;
    const clock = new VirtualClock(T0);
    const { result } = await playScript(clock, [], () => verifyWorkload({ kube, clock, namespace: NS, kind: 'StatefulSet', name: 'db' }));
    expect(result).toMatchObject({ result: 'unable', unableCause: 'cluster', kind: 'StatefulSet', deployment: 'db' });
    expect(result.summary.en).toBe('could not read the cluster: this cluster connection cannot read StatefulSets');
  });
});

describe('verify engine: a node whose kubelet stopped answering (its Lease, the heartbeat, did not move)', () => {
  const lease = (renewTime: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'crashlab-node', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'crashlab-node', leaseDurationSeconds: 40, renewTime } });
  function onNode() {
    const { kube, clock, run } = setup();
    const pod = readyPod();
    pod.spec = { ...pod.spec!, nodeName: 'crashlab-node' };
    kube.setPod(pod);
    kube.setObject(lease(iso(0)));
    return { kube, clock, run };
  }
  // The kubelet renews every 10 s: a live node's Lease moves during a 31 s window.
  const renewing = (kube: MemoryKube) => [10, 20, 30, 40].map((at) => ({ at, do: () => kube.setObject(lease(iso(at))) }));

  it('passes when the Lease was renewed during the window', async () => {
    const { kube, run } = onNode();
    const { result } = await run(renewing(kube));
    expect(result).toMatchObject({ result: 'pass' });
    expect(kube.calls.filter((c) => c.startsWith('getObject kube-node-lease'))).toHaveLength(2);
  });

  it('says "could not verify" instead of a pass on status nobody refreshed', async () => {
    const { kube, run } = onNode();
    const { result } = await run();
    expect(result).toMatchObject({ result: 'unable' });
    expect(result.summary.en).toBe(
      "node crashlab-node did not renew its heartbeat (Lease) during the 31 s window: its kubelet was not answering, so the pods' status was not fresh; could not verify, run verify again",
    );
  });

  it('says "could not verify" instead of a fail when the window opened on a silent kubelet that came back (readiness re-checked)', async () => {
    const { kube, run } = onNode();
    // Silent since 30 s before the request; back at 12 s; the restarted kubelet marks the pod not Ready at 13 s.
    kube.setObject(lease(iso(-30)));
    const back = { at: 12, do: () => kube.setObject(lease(iso(12))) };
    const pod = notReady(readyPod(), 13);
    pod.spec = { ...pod.spec!, nodeName: 'crashlab-node' };
    const { result } = await run([back, { at: 13, do: () => kube.setPod(pod) }]);
    expect(result).toMatchObject({ result: 'unable' });
    expect(result.summary.en).toMatch(/^node crashlab-node was not answering when the window opened and its kubelet came back/);
  });

  it('keeps its verdict when the Lease cannot be read (a team token has no rights in kube-node-lease)', async () => {
    const { kube, run } = onNode();
    kube.removeObject('Lease', 'kube-node-lease', 'crashlab-node');
    const { result } = await run();
    expect(result).toMatchObject({ result: 'pass' });
  });
});
