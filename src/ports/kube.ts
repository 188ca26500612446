import type { Deployment, K8sObject, KubeEvent, Pod, ReplicaSet } from '../core/k8s.js';

/** A watch event as `kubectl get -w --output-watch-events -o json` prints it. */
export interface PodWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  pod: Pod;
}

/** A watch event of any object kind (`kubectl get RESOURCE -w --output-watch-events -o json`). */
export interface ObjectWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: K8sObject;
}

export interface Watch {
  /** Resolves when the watch ended (cancelled, or kubectl exited). */
  done: Promise<void>;
  cancel(): void;
}

export interface LogOptions {
  previous?: boolean;
  tail?: number;
  timestamps?: boolean;
}


/**
 * Everything crashlab asks of a cluster. One instance is bound to one kubeconfig context.
 * Namespaces are parameters everywhere (game days run many learners on one cluster).
 */
export interface Kube {
  readonly context: string;
  /**
   * Server-side apply of objects into `namespace`; returns kubectl's per-object lines. With
   * `exact`, existing objects are first replaced whole, so fields that someone else set (a
   * learner's `kubectl edit`, an extra volume mount) do not survive: server-side apply only
   * removes fields that crashlab itself set before.
   */
  apply(objects: K8sObject[], namespace: string, options?: { exact?: boolean }): Promise<string[]>;
  getPods(namespace: string, labelSelector?: string): Promise<Pod[]>;
  getPod(namespace: string, name: string): Promise<Pod | undefined>;
  getDeployment(namespace: string, name: string): Promise<Deployment | undefined>;
  getReplicaSets(namespace: string, labelSelector?: string): Promise<ReplicaSet[]>;
  /** Events in the namespace, optionally only about one object (involvedObject.name). */
  getEvents(namespace: string, involvedObjectName?: string): Promise<KubeEvent[]>;
  getNamespace(name: string): Promise<K8sObject | undefined>;
  logs(namespace: string, pod: string, container: string, options?: LogOptions): Promise<string>;
  watchPods(namespace: string, labelSelector: string | undefined, onEvent: (event: PodWatchEvent) => void, onError?: (error: Error) => void): Watch;
  /**
   * One object or a list of any resource (`statefulsets.apps`, `jobs.batch`, `controllerrevisions.apps`...).
   * Optional so that fakes serving only Deployments need not implement it; the verifier needs it
   * for StatefulSets, DaemonSets and Jobs.
   */
  getObject?(namespace: string, resource: string, name: string): Promise<K8sObject | undefined>;
  listObjects?(namespace: string, resource: string, labelSelector?: string): Promise<K8sObject[]>;
  /** A watch of one object (`name`) or of a resource in the namespace; optional like getObject. */
  watchObjects?(
    namespace: string,
    resource: string,
    options: { name?: string; labelSelector?: string },
    onEvent: (event: ObjectWatchEvent) => void,
    onError?: (error: Error) => void,
  ): Watch;
  /** Deletes a namespace only when it carries the crashlab managed-by label. */
  deleteManagedNamespace(name: string, options?: { wait?: boolean }): Promise<'deleted' | 'absent' | 'refused'>;
  /**
   * Deletes the objects of these kinds in `namespace` that match `labelSelector` AND carry the
   * crashlab managed-by label (the adapter adds that requirement itself); never the namespace.
   */
  deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[], options?: { wait?: boolean }): Promise<string[]>;
  /** Runs an arbitrary kubectl command line (the routine steps), returning combined output. */
  run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}
