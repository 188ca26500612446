/**
 * What the instructor's game-day board asks of a cluster beyond the lab's Kube port: watches
 * across every namespace of a game (one for pods, one for ConfigMaps), and compare-and-swap
 * writes of a ConfigMap (a team's lab appends to the same log concurrently).
 */
import type { Deployment, K8sObject, Pod } from '../core/k8s.js';
import type { Watch } from './kube.js';

export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** A write lost a race: the object changed since it was read (HTTP 409). Read again, retry. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface GameCluster {
  readonly context: string;
  /** One watch of every pod matching `labelSelector` in every namespace (`get pods -A -l … --watch`). */
  watchPods(labelSelector: string, onEvent: (event: WatchEvent<Pod>) => void, onError?: (error: Error) => void): Watch;
  /** One watch of every ConfigMap matching `labelSelector` in every namespace. */
  watchConfigMaps(labelSelector: string, onEvent: (event: WatchEvent<ConfigMap>) => void, onError?: (error: Error) => void): Watch;
  /** One list of each, for a snapshot (`board --json`, `export`) without watching. */
  listPods(labelSelector: string): Promise<Pod[]>;
  listConfigMaps(labelSelector: string): Promise<ConfigMap[]>;
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** Creates the ConfigMap, or replaces it if `resourceVersion` still matches; ConflictError otherwise. */
  writeConfigMap(configMap: ConfigMap): Promise<ConfigMap>;
  /** Server-side apply of objects that carry their own namespaces, in one call (a round's workloads for every team). */
  applyObjects(objects: K8sObject[]): Promise<string[]>;
  /** Deployments in one namespace matching a label selector. */
  findDeployments(namespace: string, labelSelector: string): Promise<Deployment[]>;
  /** Namespaces matching a label selector (the teams of a game). */
  listNamespaces(labelSelector: string): Promise<K8sObject[]>;
  /** Reads a Secret's data (base64 values, as the API returns them). */
  getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /**
   * The API server's clock now (an RFC 3339 time to the second), from a server-side dry run in
   * `namespace`: nothing is written. Optional: a cluster that cannot say leaves times local.
   */
  serverTime?(namespace: string): Promise<string>;
  /** Creates a Secret; false when it already exists. */
  createSecret(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string>): Promise<boolean>;
}
