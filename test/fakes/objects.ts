/**
 * The verify fixtures (real kubectl -o json output) and the changes a cluster makes to them over
 * time: a container restarting, a pod losing readiness, a new event.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContainerStateTerminated, Deployment, KubeEvent, List, Pod, ReplicaSet } from '../../src/core/k8s.js';

const dir = fileURLToPath(new URL('../fixtures/verify/', import.meta.url));
const load = <T>(name: string): T => JSON.parse(readFileSync(dir + name, 'utf8')) as T;

export const NS = 'crashlab-tight-liveness';
/** Verification starts here in every test: 19 s after the current pod became Ready. */
export const T0 = Date.parse('2026-11-24T16:06:06Z');

export const iso = (secondsAfterT0: number): string => new Date(T0 + secondsAfterT0 * 1000).toISOString().replace(/\.000Z$/, 'Z');

export const deployment = (): Deployment => load('deployment.json');
export const replicaSets = (): ReplicaSet[] => load<List<ReplicaSet>>('replicasets.json').items;
export const readyPod = (): Pod => load('pod-ready.json');
export const oldCrashLoopPod = (): Pod => load('pod-old-crashloop.json');
export const createConfigErrorPod = (): Pod => load('pod-create-config-error.json');
export const events = (): KubeEvent[] => load<List<KubeEvent>>('events.json').items;

const containerId = (n: number) => `containerd://${n.toString(16).padStart(8, '0')}${'3c9a7e1f5b2d8046'.repeat(3)}${'9e1d4a7c'}`;

function setReady(pod: Pod, ready: boolean, at: string, reason = 'ContainersNotReady'): void {
  for (const c of pod.status!.conditions!) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') {
      c.status = ready ? 'True' : 'False';
      c.lastTransitionTime = at;
      if (ready) {
        delete c.reason;
        delete c.message;
      } else {
        c.reason = reason;
        c.message = 'containers with unready status: [app]';
      }
    }
  }
}

/** The kubelet restarted container `app`: the old run moves to lastState, a new one runs. */
export function restarted(pod: Pod, at: number, terminated: Partial<ContainerStateTerminated> & { exitCode: number; reason: string }): Pod {
  const next = structuredClone(pod);
  const status = next.status!.containerStatuses![0];
  status.lastState = {
    terminated: {
      containerID: status.containerID,
      startedAt: status.state?.running?.startedAt,
      finishedAt: iso(at),
      ...terminated,
    },
  };
  status.restartCount += 1;
  status.containerID = containerId(status.restartCount);
  status.state = { running: { startedAt: iso(at) } };
  status.ready = false;
  setReady(next, false, iso(at));
  return next;
}

/** Container `app` exited and waits for its back-off. */
export function crashLooping(pod: Pod, at: number, terminated: { exitCode: number; reason: string }, restarts = pod.status!.containerStatuses![0].restartCount): Pod {
  const next = structuredClone(pod);
  const status = next.status!.containerStatuses![0];
  status.lastState = { terminated: { containerID: status.containerID, startedAt: status.state?.running?.startedAt, finishedAt: iso(at), ...terminated } };
  status.restartCount = restarts;
  status.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=app pod=${pod.metadata.name}_${NS}(${pod.metadata.uid})` } };
  status.ready = false;
  status.started = false;
  setReady(next, false, iso(at));
  return next;
}

/** Container `app` has terminated and not been restarted yet. */
export function terminatedNow(pod: Pod, at: number, terminated: { exitCode: number; reason: string }): Pod {
  const next = structuredClone(pod);
  const status = next.status!.containerStatuses![0];
  status.state = { terminated: { containerID: status.containerID, startedAt: status.state?.running?.startedAt, finishedAt: iso(at), ...terminated } };
  status.ready = false;
  status.started = false;
  setReady(next, false, iso(at));
  return next;
}

export function notReady(pod: Pod, at: number): Pod {
  const next = structuredClone(pod);
  next.status!.containerStatuses![0].ready = false;
  setReady(next, false, iso(at));
  return next;
}

/** A pod of the same ReplicaSet created `at`, running and Ready from `readyAt`. */
export function freshPod(name: string, uid: string, at: number, readyAt?: number): Pod {
  const pod = readyPod();
  pod.metadata.name = name;
  pod.metadata.uid = uid;
  pod.metadata.creationTimestamp = iso(at);
  pod.status!.startTime = iso(at);
  const status = pod.status!.containerStatuses![0];
  status.containerID = containerId(0x51);
  status.state = { running: { startedAt: iso(at + 1) } };
  status.ready = readyAt !== undefined;
  setReady(pod, readyAt !== undefined, iso(readyAt ?? at));
  return pod;
}

/** A kubelet event about container app of `pod`, as kubectl prints it. */
export function podEvent(pod: Pod, reason: string, type: 'Normal' | 'Warning', message: string, at: number, count = 1): KubeEvent {
  return {
    apiVersion: 'v1',
    count,
    eventTime: null,
    firstTimestamp: iso(at),
    involvedObject: { apiVersion: 'v1', fieldPath: 'spec.containers{app}', kind: 'Pod', name: pod.metadata.name, namespace: NS, resourceVersion: '2071', uid: pod.metadata.uid } as KubeEvent['involvedObject'],
    kind: 'Event',
    lastTimestamp: iso(at),
    message,
    metadata: { creationTimestamp: iso(at), name: `${pod.metadata.name}.187a9c3${(at * 7919).toString(16).padStart(9, '0')}`, namespace: NS, resourceVersion: String(2200 + at) },
    reason,
    reportingComponent: 'kubelet',
    source: { component: 'kubelet', host: 'crashlab-control-plane' },
    type,
  };
}

/** Just after the fix was applied: the new ReplicaSet's pod is up, the old one not yet removed. */
export function rollingDeployment(): Deployment {
  const d = deployment();
  d.status = {
    ...d.status,
    observedGeneration: 2,
    replicas: 2,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-6c8f9d7b54" is progressing.' },
    ],
  };
  return d;
}
