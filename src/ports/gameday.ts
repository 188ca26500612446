/**
 * What game-day provisioning asks of a cluster (on the instructor's credentials) and of the
 * local disk. Kept apart from the learner's Kube port: a participant never needs any of it.
 */
import type { K8sObject } from '../core/k8s.js';
import type { AccessCheck } from '../core/gameday/rbac.js';
import type { Endpoint } from '../core/gameday/objects.js';
import type { GameEvent } from '../core/gameday/events.js';

export interface IssuedToken {
  token: string;
  /** status.expirationTimestamp of the TokenRequest, as the API server granted it. */
  expiresAt: string;
}

export interface GamedayCluster {
  readonly context: string;
  /** One SelfSubjectAccessReview per check; `allowed` in the same order. */
  accessReview(checks: AccessCheck[]): Promise<boolean[]>;
  /** Server-side apply of objects that carry their own namespace (or are cluster-scoped). */
  applyObjects(objects: K8sObject[]): Promise<string[]>;
  /** TokenRequest for a ServiceAccount with an explicit expiry. */
  createToken(namespace: string, serviceAccount: string, seconds: number): Promise<IssuedToken>;
  /** The server and CA of the context (what a team kubeconfig needs to reach the same API). */
  endpoint(): Promise<Endpoint>;
  listNamespaces(labelSelector: string): Promise<K8sObject[]>;
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

/** A file or folder crashlab will not write (a planted symlink, a folder others can write), in words. */
export class GameFilesError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'GameFilesError';
  }
}

export interface GameFiles {
  /**
   * Creates the folder (mode 0700) or checks an existing one: refused (GameFilesError) when
   * another user owns it or may write to it. Called before anything is provisioned.
   */
  prepareDir(dir: string): Promise<void>;
  /**
   * Writes a file readable by its owner only (mode 0600) into a private folder: always a file
   * crashlab creates itself (O_EXCL, O_NOFOLLOW), renamed over whatever had that name.
   */
  writePrivate(path: string, content: string): Promise<void>;
  read(path: string): Promise<string | undefined>;
  /** Refuses (GameFilesError) a symlink, a folder, or an existing file without `force`. */
  checkNew(path: string, options: { force?: boolean }): Promise<void>;
  /** Writes a new file (0600), or with `force` replaces a regular one; never through a symlink. */
  writeNew(path: string, content: string, options: { force?: boolean }): Promise<void>;
}

/**
 * A team's event log (ConfigMap crashlab-progress in its namespace, GAMEDAY-CONTRACT.md), as
 * the participant's lab appends to it with the team's own, namespace-scoped rights.
 */
export interface TeamLog {
  append(namespace: string, events: GameEvent[]): Promise<void>;
}
