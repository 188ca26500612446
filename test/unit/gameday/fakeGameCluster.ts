/** An in-memory GameCluster: two kinds of game-wide watches, compare-and-swap ConfigMap writes. */
import type { Deployment, K8sObject, Pod } from '../../../src/core/k8s.js';
import type { Watch } from '../../../src/ports/kube.js';
import { ConflictError, type ConfigMap, type GameCluster, type WatchEvent } from '../../../src/ports/gameCluster.js';
import { matchesSelector } from '../../../src/core/gameday/selector.js';

type Sub<T> = { selector: string; onEvent: (e: WatchEvent<T>) => void; end: () => void };

export class FakeGameCluster implements GameCluster {
  readonly context = 'crashlab-local';
  readonly pods = new Map<string, Pod>();
  readonly configMaps = new Map<string, ConfigMap>();
  deployments: Deployment[] = [];
  secrets = new Map<string, Record<string, string>>();
  private rv = 100;
  private podSubs = new Set<Sub<Pod>>();
  private cmSubs = new Set<Sub<ConfigMap>>();
  readonly opened = { pods: 0, configmaps: 0 };
  /** Make the next N writes lose a race, as a concurrent team append would. */
  conflicts = 0;

  private watch<T extends { metadata: K8sObject["metadata"] }>(subs: Set<Sub<T>>, items: () => T[], selector: string, onEvent: (e: WatchEvent<T>) => void): Watch {
    let end!: () => void;
    const done = new Promise<void>((r) => (end = r));
    const sub: Sub<T> = { selector, onEvent, end: () => (subs.delete(sub), end()) };
    subs.add(sub);
    queueMicrotask(() => {
      for (const o of items()) if (matchesSelector(o.metadata.labels, selector)) onEvent({ type: 'ADDED', object: structuredClone(o) });
    });
    return { done, cancel: () => sub.end() };
  }

  watchPods(selector: string, onEvent: (e: WatchEvent<Pod>) => void): Watch {
    this.opened.pods++;
    return this.watch(this.podSubs, () => [...this.pods.values()], selector, onEvent);
  }
  watchConfigMaps(selector: string, onEvent: (e: WatchEvent<ConfigMap>) => void): Watch {
    this.opened.configmaps++;
    return this.watch(this.cmSubs, () => [...this.configMaps.values()], selector, onEvent);
  }
  /**
   * Ends every open watch, as the API server does when it restarts or answers a resumed watch
   * with 410 Gone (its resourceVersion compacted away); the watcher must list again.
   */
  endWatches(): void {
    for (const s of [...this.podSubs, ...this.cmSubs]) s.end();
  }
  deletePod(namespace: string, name: string): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) return;
    this.pods.delete(`${namespace}/${name}`);
    this.emit(this.podSubs, 'DELETED', pod);
  }
  get openWatches(): number {
    return this.podSubs.size + this.cmSubs.size;
  }

  private emit<T extends { metadata: K8sObject["metadata"] }>(subs: Set<Sub<T>>, type: WatchEvent<T>['type'], object: T): void {
    for (const s of subs) if (matchesSelector(object.metadata.labels, s.selector)) s.onEvent({ type, object: structuredClone(object) });
  }

  setPod(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const type = this.pods.has(key) ? 'MODIFIED' : 'ADDED';
    this.pods.set(key, pod);
    this.emit(this.podSubs, type, pod);
  }

  setConfigMap(cm: ConfigMap): ConfigMap {
    const key = `${cm.metadata.namespace}/${cm.metadata.name}`;
    const type = this.configMaps.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone(cm);
    stored.metadata.resourceVersion = String(++this.rv);
    this.configMaps.set(key, stored);
    this.emit(this.cmSubs, type, stored);
    return stored;
  }

  async listPods(selector: string): Promise<Pod[]> {
    return [...this.pods.values()].filter((p) => matchesSelector(p.metadata.labels, selector)).map((p) => structuredClone(p));
  }
  async listConfigMaps(selector: string): Promise<ConfigMap[]> {
    return [...this.configMaps.values()].filter((c) => matchesSelector(c.metadata.labels, selector)).map((c) => structuredClone(c));
  }
  async getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    const cm = this.configMaps.get(`${namespace}/${name}`);
    return cm ? structuredClone(cm) : undefined;
  }
  async writeConfigMap(cm: ConfigMap): Promise<ConfigMap> {
    const current = this.configMaps.get(`${cm.metadata.namespace}/${cm.metadata.name}`);
    if (this.conflicts > 0) {
      this.conflicts--;
      throw new ConflictError('Operation cannot be fulfilled on configmaps "crashlab-progress": the object has been modified');
    }
    if (current ? current.metadata.resourceVersion !== cm.metadata.resourceVersion : cm.metadata.resourceVersion) throw new ConflictError('conflict');
    return this.setConfigMap(cm);
  }
  readonly applied: K8sObject[][] = [];
  /**
   * Like `kubectl apply --server-side` of a List: each object on its own; a ConfigMap that
   * names a resourceVersion is written only if it still matches (the API server's precondition),
   * the others go on, and the call fails at the end if any did not.
   */
  async applyObjects(objects: K8sObject[]): Promise<string[]> {
    this.applied.push(objects);
    const failed: string[] = [];
    for (const o of objects) {
      if (o.kind !== 'ConfigMap') continue;
      const current = this.configMaps.get(`${o.metadata.namespace}/${o.metadata.name}`);
      if (o.metadata.resourceVersion && current?.metadata.resourceVersion !== o.metadata.resourceVersion) failed.push(o.metadata.name);
      else this.setConfigMap({ ...current, ...o, metadata: { ...current?.metadata, ...o.metadata } } as ConfigMap);
    }
    if (failed.length) throw new ConflictError(`Operation cannot be fulfilled on configmaps ${failed.join(', ')}: the object has been modified`);
    return objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} serverside-applied`);
  }
  async findDeployments(namespace: string, selector: string): Promise<Deployment[]> {
    return this.deployments.filter((d) => d.metadata.namespace === namespace && matchesSelector(d.metadata.labels, selector));
  }
  async listNamespaces(): Promise<K8sObject[]> {
    return [];
  }
  async getSecretData(namespace: string, name: string) {
    return this.secrets.get(`${namespace}/${name}`);
  }
  async createSecret(namespace: string, name: string, data: Record<string, string>) {
    if (this.secrets.has(`${namespace}/${name}`)) return false;
    this.secrets.set(`${namespace}/${name}`, data);
    return true;
  }
}
