/**
 * The shape of what kubectl (or a user's file) hands crashlab, checked at the boundary with zod:
 * the fields crashlab reads have the types k8s.ts promises, so a wrong-shaped answer (JSON `42`,
 * `containerStatuses: [null, 5, "x"]`) is one clear message, never "cannot read properties of
 * undefined" deep in a rule. Unknown fields pass through untouched. Pure: no I/O.
 */
import { z } from 'zod';
import type { Deployment, K8sObject, KubeEvent, List, Pod, ReplicaSet } from './k8s.js';
import { excerpt } from './untrusted.js';
import { CoreError } from './errors.js';

const str = z.string();
const num = z.number();
const strMap = z.record(z.string(), z.string());

const meta = z.looseObject({
  name: str,
  namespace: str.optional(),
  uid: str.optional(),
  labels: strMap.nullish(),
  annotations: strMap.nullish(),
  creationTimestamp: str.nullish(),
  deletionTimestamp: str.nullish(),
  generation: num.optional(),
  resourceVersion: str.optional(),
  ownerReferences: z.array(z.looseObject({ kind: str, name: str })).nullish(),
});

const object = z.looseObject({ metadata: meta });

const probe = z.looseObject({
  initialDelaySeconds: num.optional(),
  periodSeconds: num.optional(),
  timeoutSeconds: num.optional(),
  failureThreshold: num.optional(),
  successThreshold: num.optional(),
});

const container = z.looseObject({
  name: str,
  image: str.optional(),
  command: z.array(str).nullish(),
  args: z.array(str).nullish(),
  env: z.array(z.looseObject({ name: str })).nullish(),
  ports: z.array(z.looseObject({ containerPort: num })).nullish(),
  resources: z.looseObject({ limits: strMap.nullish(), requests: strMap.nullish() }).nullish(),
  livenessProbe: probe.nullish(),
  readinessProbe: probe.nullish(),
  startupProbe: probe.nullish(),
  securityContext: z.looseObject({}).nullish(),
  volumeMounts: z.array(z.looseObject({ name: str, mountPath: str })).nullish(),
});

const podSpec = z.looseObject({
  containers: z.array(container),
  initContainers: z.array(container).nullish(),
  volumes: z.array(z.looseObject({ name: str })).nullish(),
});

const state = z.looseObject({
  waiting: z.looseObject({ reason: str.optional(), message: str.optional() }).nullish(),
  running: z.looseObject({ startedAt: str.nullish() }).nullish(),
  terminated: z.looseObject({ exitCode: num, reason: str.optional(), message: str.optional(), startedAt: str.nullish(), finishedAt: str.nullish() }).nullish(),
});

const containerStatus = z.looseObject({
  name: str,
  ready: z.boolean().optional(),
  restartCount: num.optional(),
  state: state.nullish(),
  lastState: state.nullish(),
});

export const podSchema = z.looseObject({
  metadata: meta,
  spec: podSpec,
  status: z
    .looseObject({
      phase: str.optional(),
      conditions: z.array(z.looseObject({ type: str, status: str })).nullish(),
      containerStatuses: z.array(containerStatus).nullish(),
      initContainerStatuses: z.array(containerStatus).nullish(),
    })
    .nullish(),
});

const deploymentSchema = z.looseObject({
  metadata: meta,
  spec: z.looseObject({ replicas: num.optional(), template: z.looseObject({ spec: podSpec }) }),
  status: z.looseObject({ observedGeneration: num.optional(), replicas: num.optional(), updatedReplicas: num.optional(), readyReplicas: num.optional() }).nullish(),
});

/** Any controller with a pod template (StatefulSet, DaemonSet, Job, ReplicaSet, Deployment). */
const workloadSchema = z.looseObject({
  metadata: meta,
  spec: z.looseObject({ replicas: num.optional(), template: z.looseObject({ spec: podSpec }) }),
  status: z.looseObject({}).nullish(),
});

const replicaSetSchema = z.looseObject({ metadata: meta, spec: z.looseObject({ replicas: num.optional() }).optional() });

export const eventSchema = z.looseObject({
  metadata: meta,
  involvedObject: z.looseObject({ name: str.optional(), uid: str.optional() }),
  reason: str.optional(),
  message: str.optional(),
  type: str.optional(),
  count: num.nullish(),
});

export const SHAPES = { object, workload: workloadSchema, pod: podSchema, deployment: deploymentSchema, replicaSet: replicaSetSchema, event: eventSchema } as const;
export type Shape = keyof typeof SHAPES;
interface Shaped {
  object: K8sObject;
  workload: K8sObject;
  pod: Pod;
  deployment: Deployment;
  replicaSet: ReplicaSet;
  event: KubeEvent;
}

/** The shape to check a `kubectl get <resource>` answer against. */
export function shapeOfResource(resource: string): 'object' | 'workload' {
  return /^(deployments?|statefulsets?|daemonsets?|replicasets?|jobs?)(\.|$)/.test(resource.toLowerCase()) ? 'workload' : 'object';
}

const WHAT: Record<Shape, string> = { object: 'a Kubernetes object', workload: 'a workload with a pod template', pod: 'a Pod', deployment: 'a Deployment', replicaSet: 'a ReplicaSet', event: 'an Event' };

function describe(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  let at: unknown = value;
  for (const key of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const shown = at === undefined ? 'nothing' : excerpt(JSON.stringify(at) ?? String(at), 60);
  return `${path || 'the document'}: ${issue.message.replace(/^Invalid input: /, '')} (got ${shown})`;
}

/** The value as `shape`, or a CoreError (shape) saying what is wrong where. */
export function asShape<S extends Shape>(shape: S, value: unknown): Shaped[S] {
  const parsed = SHAPES[shape].safeParse(value);
  if (!parsed.success) throw new CoreError('shape', `not ${WHAT[shape]}: ${describe(parsed.error, value)}`);
  return value as Shaped[S];
}

/** A List of `shape` (`kubectl get … -o json`). */
export function asList<S extends Shape>(shape: S, value: unknown): List<Shaped[S]> {
  const parsed = z.looseObject({ items: z.array(SHAPES[shape]) }).safeParse(value);
  if (!parsed.success) throw new CoreError('shape', `not a List of ${WHAT[shape].replace(/^an? /, '')}s: ${describe(parsed.error, value)}`);
  return value as List<Shaped[S]>;
}
