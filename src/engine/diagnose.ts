/**
 * Live diagnosis: gathers a pod (or every pod of a workload), its events and the log tail of
 * each container that has crashed, and hands them to the pure engine. Reading only: `get`,
 * `logs`, nothing that changes the cluster.
 *
 * The log of a crashed container is `logs --previous`. Right after a crash the kubelet may
 * already have dropped that log; kubectl then prints "unable to retrieve container logs for
 * containerd://…" and still exits 0. That text is kubectl's, never the app's: it falls back to
 * plain `logs` (during CrashLoopBackOff that is the dead instance's output), and otherwise
 * leaves the log out so the engine reads the termination message instead.
 */
import { diagnose, type Diagnosis } from '../core/diagnose.js';
import type { ControllerObject } from '../core/diagnose/controller.js';
import { diagnoseWorkloadObjects } from '../core/diagnose/workload.js';
import { isKubectlMessage } from '../core/diagnose/logs.js';
import type { ContainerStatus, K8sObject, KubeEvent, Pod, ReplicaSet } from '../core/k8s.js';
import type { Kube } from '../ports/kube.js';
import { kubeError } from '../ports/errors.js';

const LOG_TAIL_LINES = 50;
/** Enough pods to see a pattern; a 200-replica Deployment does not need 200 log fetches. */
const MAX_LOGGED_PODS = 10;

export interface LiveInput {
  pod: Pod;
  events: KubeEvent[];
  /** Keyed "pod/container", as the engine reads them. */
  logs: Record<string, string>;
  claims?: K8sObject[];
}

/** The previous instance's log, or the plain log, whichever is the app's own text. */
async function crashLog(kube: Kube, namespace: string, pod: string, status: ContainerStatus): Promise<string | undefined> {
  const crashed = status.restartCount > 0;
  if (!crashed && !status.state?.terminated) return undefined;
  const attempts = crashed ? [true, false] : [false];
  for (const previous of attempts) {
    try {
      const text = await kube.logs(namespace, pod, status.name, { previous, tail: LOG_TAIL_LINES });
      if (text.trim() !== '' && !isKubectlMessage(text)) return text;
    } catch {
      // No log is evidence too (StartError leaves none); try the next source.
    }
  }
  return undefined;
}

async function podLogs(kube: Kube, namespace: string, pod: Pod): Promise<Record<string, string>> {
  const logs: Record<string, string> = {};
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  await Promise.all(
    statuses.map(async (status) => {
      const text = await crashLog(kube, namespace, pod.metadata.name, status);
      if (text !== undefined) logs[`${pod.metadata.name}/${status.name}`] = text;
    }),
  );
  return logs;
}

/** Undefined when the pod does not exist. */
export async function gatherLive(kube: Kube, namespace: string, name: string): Promise<LiveInput | undefined> {
  const [pod, events] = await Promise.all([kube.getPod(namespace, name), kube.getEvents(namespace, name)]);
  if (!pod) return undefined;
  const claims = await pendingClaims(kube, namespace, [pod]);
  // A Pending pod's claim explains itself in the claim's own events (ProvisioningFailed...).
  const claimEvents = claims.length ? (await kube.getEvents(namespace).catch(() => [])).filter((e) => e.involvedObject.kind === 'PersistentVolumeClaim') : [];
  return { pod, events: [...events, ...claimEvents], logs: await podLogs(kube, namespace, pod), claims };
}

export async function diagnoseLive(kube: Kube, namespace: string, name: string): Promise<Diagnosis & { pod: Pod }> {
  const input = await gatherLive(kube, namespace, name);
  if (!input) throw kubeError(`pod ${name} not found in namespace ${namespace}`, 'not-found');
  return { pod: input.pod, ...diagnose({ pods: input.pod, events: input.events, logs: input.logs, claims: input.claims }) };
}

/** The claims of Pending pods (an unbound one names its StorageClass); best effort, never fatal. */
async function pendingClaims(kube: Kube, namespace: string, pods: Pod[]): Promise<K8sObject[]> {
  if (!kube.getObject) return [];
  const names = new Set(pods.filter((p) => p.status?.phase === 'Pending' && !p.spec.nodeName).flatMap((p) => (p.spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => Boolean(n))));
  const found = await Promise.all([...names].slice(0, 5).map((n) => kube.getObject!(namespace, 'persistentvolumeclaims', n).catch(() => undefined)));
  return found.filter((c): c is K8sObject => c !== undefined);
}

// ---- workloads -------------------------------------------------------------------------

const KINDS: Record<string, string> = {
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  sts: 'statefulset',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  ds: 'daemonset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  job: 'job',
  jobs: 'job',
  rs: 'replicaset',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
};

const KIND_NAMES: Record<string, string> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', job: 'Job', replicaset: 'ReplicaSet' };

/** A pod controller as kubectl names it (`deployment`, `replicaset`...): what `diagnose KIND/NAME` reads. */
export interface ControllerRef {
  /** kubectl's resource name, lower case (core/verify/workload.ts WorkloadRef holds the Kind instead). */
  kind: string;
  name: string;
}

/** `deploy/web`, `statefulset/db`, `ds/agent`, `job/migrate` → a workload; anything else is a pod name. */
export function parseWorkloadRef(arg: string): ControllerRef | undefined {
  const match = /^([a-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/i.exec(arg);
  if (!match) return undefined;
  const kind = KINDS[match[1].toLowerCase()];
  return kind ? { kind, name: match[2] } : undefined;
}

export function isWorkloadArg(arg: string): boolean {
  return arg.includes('/') && !/^(pods?|po)\//i.test(arg);
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A label selector as `kubectl -l` takes it (equality and set-based). */
export function selectorString(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export interface WorkloadDiagnosis extends Diagnosis {
  workload: ControllerRef;
  pods: Pod[];
}

/** Every pod of the workload diagnosed, identical findings grouped into one. */
export async function diagnoseWorkload(kube: Kube, namespace: string, ref: ControllerRef): Promise<WorkloadDiagnosis> {
  const got = await kube.run(['get', ref.kind, ref.name, '-n', namespace, '-o', 'json']);
  if (got.exitCode !== 0) {
    if (/NotFound|not found/i.test(got.stderr)) throw kubeError(`${ref.kind} ${ref.name} not found in namespace ${namespace}`, 'not-found');
    throw kubeError(`kubectl get ${ref.kind} ${ref.name} failed: ${got.stderr.trim().split('\n')[0] ?? ''}`, 'other');
  }
  let object: K8sObject & { spec?: { selector?: LabelSelector } };
  try {
    object = JSON.parse(got.stdout) as typeof object;
  } catch {
    throw kubeError(`kubectl get ${ref.kind} ${ref.name} did not print JSON`, 'other');
  }
  const selector = selectorString(object.spec?.selector);
  if (!selector) throw kubeError(`${ref.kind} ${ref.name} has no label selector to find its pods`, 'other');
  // The controller's side too: pods that were never created leave only a FailedCreate event and
  // a ReplicaFailure condition on the ReplicaSet.
  const [pods, events, replicaSets] = await Promise.all([
    kube.getPods(namespace, selector),
    kube.getEvents(namespace),
    ref.kind === 'deployment' ? Promise.resolve().then(() => kube.getReplicaSets(namespace, selector)).catch(() => [] as ReplicaSet[]) : ref.kind === 'replicaset' ? Promise.resolve([object as unknown as ReplicaSet]) : Promise.resolve([]),
  ]);
  // Logs cost a kubectl call per container: fetch them for the troubled pods first.
  const troubled = pods.filter((p) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].some((s) => s.restartCount > 0 || s.state?.terminated || !s.ready));
  const logs: Record<string, string> = {};
  for (let i = 0; i < Math.min(troubled.length, MAX_LOGGED_PODS); i += 4) {
    const batch = await Promise.all(troubled.slice(i, Math.min(i + 4, MAX_LOGGED_PODS)).map((p) => podLogs(kube, namespace, p)));
    for (const part of batch) Object.assign(logs, part);
  }
  const claims = await pendingClaims(kube, namespace, pods);
  const workload = { ...object, kind: object.kind ?? KIND_NAMES[ref.kind], metadata: object.metadata ?? { name: ref.name, namespace } } as ControllerObject;
  return { workload: ref, pods, findings: diagnoseWorkloadObjects({ workload, replicaSets, pods, events, logs, claims }) };
}
