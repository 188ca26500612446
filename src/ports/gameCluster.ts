/**
 * What a game day asks of a cluster beyond the lab's Kube port, on the instructor's credentials
 * (a team's lab uses the ConfigMap half with its own namespace-scoped rights): provisioning
 * (access reviews, server-side apply, tokens, deletion of what a game labelled), watches across
 * every namespace of a game (one for pods, one for ConfigMaps), and compare-and-swap writes of a
 * ConfigMap (a team's lab appends to the same log concurrently). One port, one kubectl adapter
 * (adapters/gameClusterKubectl.ts).
 */
import type { Deployment, K8sObject, Pod } from '../core/k8s.js';
import type { AccessCheck } from '../core/gameday/rbac.js';
import type { Endpoint } from '../core/gameday/objects.js';
import type { Watch } from './kube.js';

export interface IssuedToken {
  token: string;
  /** status.expirationTimestamp of the TokenRequest, as the API server granted it. */
  expiresAt: string;
}

export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** The ConfigMap reads and compare-and-swap writes a team log or the game's metadata needs. */
export interface ConfigMapStore {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** Creates the ConfigMap, or replaces it if `resourceVersion` still matches; a PortError of kind conflict otherwise (read again, retry). */
  writeConfigMap(configMap: ConfigMap): Promise<ConfigMap>;
}

export interface GameCluster extends ConfigMapStore {
  readonly context: string;
  /** One watch of every pod matching `labelSelector` in every namespace (one API watch). */
  watchPods(labelSelector: string, onEvent: (event: WatchEvent<Pod>) => void, onError?: (error: Error) => void): Watch;
  /** One watch of every ConfigMap matching `labelSelector` in every namespace. */
  watchConfigMaps(labelSelector: string, onEvent: (event: WatchEvent<ConfigMap>) => void, onError?: (error: Error) => void): Watch;
  /** One list of each, for a snapshot (`board --json`, `export`) without watching. */
  listPods(labelSelector: string): Promise<Pod[]>;
  listConfigMaps(labelSelector: string): Promise<ConfigMap[]>;
  /**
   * Replaces ConfigMaps in one call, each only if its `resourceVersion` still matches (a
   * compare-and-swap per object); resolves with those written. One that moved or is gone is
   * left out, not thrown (the caller writes it again on its own).
   */
  replaceConfigMaps(configMaps: ConfigMap[]): Promise<ConfigMap[]>;
  /** Server-side apply of objects that carry their own namespace (or are cluster-scoped), in one call. */
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

  // ---- provisioning (create, tokens, end)
  /** One SelfSubjectAccessReview per check; `allowed` in the same order. */
  accessReview(checks: AccessCheck[]): Promise<boolean[]>;
  /** TokenRequest for a ServiceAccount with an explicit expiry. */
  createToken(namespace: string, serviceAccount: string, seconds: number): Promise<IssuedToken>;
  /** The server and CA of the context (what a team kubeconfig needs to reach the same API). */
  endpoint(): Promise<Endpoint>;
  getObject(namespace: string, resource: string, name: string): Promise<K8sObject | undefined>;
  /** Labelled objects of the given kinds inside `namespace`, or in every namespace when undefined (one call for a whole game). */
  listLabelled(namespace: string | undefined, kinds: string[], labelSelector: string): Promise<K8sObject[]>;
  /** Deletes each named namespace (several at once), only if it still matches the selector; returns those deleted. */
  deleteNamespaces(names: string[], labelSelector: string, options: { wait: boolean }): Promise<string[]>;
  /** Waits until every named namespace is gone (one wait for all of them). */
  waitNamespacesGone(names: string[], timeoutSeconds: number): Promise<void>;
  /** Whether the API server serves `resource` in `groupVersion` (discovery; false when the group version is absent). */
  serves(groupVersion: string, resource: string): Promise<boolean>;
  /** Cluster-scoped objects of the given kinds (`resource.group`) matching the selector. */
  listClusterLabelled(kinds: string[], labelSelector: string): Promise<K8sObject[]>;
  /** Deletes one cluster-scoped object, only if it still matches the selector; true when it was deleted. */
  deleteClusterObject(kind: string, name: string, labelSelector: string): Promise<boolean>;
  /** Deletes objects of `kinds` in a namespace matching the selector and crashlab's managed-by label (the network probe's pods). */
  deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[], options?: { wait?: boolean }): Promise<string[]>;
}
