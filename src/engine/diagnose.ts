/**
 * Diagnosis of a live pod: gathers what the pure engine needs (the pod, the events about it,
 * the log of every container that has a previous or a finished run) and nothing more.
 */
import { diagnose, type Diagnosis } from '../core/diagnose.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import { KubeError, type Kube } from '../ports/kube.js';

const LOG_TAIL_LINES = 50;

export interface LiveInput {
  pod: Pod;
  events: KubeEvent[];
  /** Keyed "pod/container", as the engine reads them. */
  logs: Record<string, string>;
}

/** Undefined when the pod does not exist. */
export async function gatherLive(kube: Kube, namespace: string, name: string): Promise<LiveInput | undefined> {
  const [pod, events] = await Promise.all([kube.getPod(namespace, name), kube.getEvents(namespace, name)]);
  if (!pod) return undefined;
  const logs: Record<string, string> = {};
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  await Promise.all(
    statuses.map(async (status) => {
      const previous = status.restartCount > 0;
      if (!previous && !status.state?.terminated) return;
      try {
        logs[`${name}/${status.name}`] = await kube.logs(namespace, name, status.name, { previous, tail: LOG_TAIL_LINES });
      } catch {
        // No log is evidence too (StartError leaves none); the engine copes without it.
      }
    }),
  );
  return { pod, events, logs };
}

export async function diagnoseLive(kube: Kube, namespace: string, name: string): Promise<Diagnosis & { pod: Pod }> {
  const input = await gatherLive(kube, namespace, name);
  if (!input) throw new KubeError(`pod ${name} not found in namespace ${namespace}`, 'not-found');
  return { pod: input.pod, ...diagnose({ pods: input.pod, events: input.events, logs: input.logs }) };
}
