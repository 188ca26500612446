/**
 * Diagnosis of a live pod: gathers what the pure engine needs (the pod, the events about it,
 * the previous log of every container that has restarted) with as few kubectl calls as that.
 */
import { diagnose, type Diagnosis } from '../core/diagnose.js';
import type { Pod } from '../core/k8s.js';
import { KubeError, type Kube } from '../ports/kube.js';

export interface LiveDiagnosis extends Diagnosis {
  pod: Pod;
}

export async function diagnoseLive(kube: Kube, namespace: string, podName: string): Promise<LiveDiagnosis> {
  const [pod, events] = await Promise.all([kube.getPod(namespace, podName), kube.getEvents(namespace, podName)]);
  if (!pod) throw new KubeError(`pod ${podName} not found in namespace ${namespace}`, 'not-found');
  const restarted = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].filter((c) => c.restartCount > 0 || c.lastState?.terminated);
  const logs: Record<string, string> = {};
  await Promise.all(
    restarted.map(async (c) => {
      logs[`${podName}/${c.name}`] = await kube.logs(namespace, podName, c.name, { previous: true, tail: 50 });
    }),
  );
  return { pod, ...diagnose({ pods: pod, events, logs }) };
}
