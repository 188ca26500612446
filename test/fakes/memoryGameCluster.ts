/**
 * The one in-memory GameCluster of the tests: what `gameday create/tokens/end` ask of a cluster
 * (server-side apply keeps fields an applied object leaves out, like the API server;
 * `servesPolicies = false` plays a cluster older than Kubernetes 1.30), the board's two kinds of
 * game-wide watches, compare-and-swap ConfigMap writes (`conflicts` loses the next N races), and
 * GameFiles on a Map. Provisioned objects live in `objects`, ConfigMaps and pods the board
 * watches in `configMaps` and `pods` (set them with setConfigMap/setPod).
 */
import type { Deployment, K8sObject, Pod } from '../../src/core/k8s.js';
import type { AccessCheck } from '../../src/core/gameday/rbac.js';
import type { Watch } from '../../src/ports/kube.js';
import type { GameFiles } from '../../src/ports/gameday.js';
import { type ConfigMap, type GameCluster, type IssuedToken, type WatchEvent } from '../../src/ports/gameCluster.js';
import { matchesSelector } from '../../src/core/gameday/selector.js';
import { kubeError } from '../../src/ports/errors.js';

/** A JWT-shaped token with an exp claim (the API server signs real ones; the payload is what matters here). */
function fakeJwt(exp: number): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'RS256' })}.${b64({ exp, sub: 'system:serviceaccount:x:crashlab-player' })}.sig`;
}

/** kubectl's resource.group for the cluster-scoped kinds a game creates. */
const RESOURCE_OF: Record<string, string> = {
  ValidatingAdmissionPolicy: 'validatingadmissionpolicies.admissionregistration.k8s.io',
  ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings.admissionregistration.k8s.io',
};

const matches = (o: K8sObject, selector: string) => selector.split(',').every((kv) => {
  const [k, v] = kv.split('=');
  return o.metadata.labels?.[k] === v;
});

type Sub<T> = { selector: string; onEvent: (e: WatchEvent<T>) => void; end: () => void };

export class MemoryGameCluster implements GameCluster {
  constructor(
    private now: () => number = () => Date.now(),
    readonly context = 'crashlab-local',
  ) {}

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
      throw kubeError('Operation cannot be fulfilled on configmaps "crashlab-progress": the object has been modified', 'conflict');
    }
    if (current ? current.metadata.resourceVersion !== cm.metadata.resourceVersion : cm.metadata.resourceVersion) throw kubeError('conflict', 'conflict');
    return this.setConfigMap(cm);
  }
  /** Like kubectl replace of a list: each object a compare-and-swap of its own (`conflicts` loses races here too); the written ones. */
  async replaceConfigMaps(cms: ConfigMap[]): Promise<ConfigMap[]> {
    this.replaceCalls++;
    const written: ConfigMap[] = [];
    for (const cm of cms) {
      if (!cm.metadata.resourceVersion || !this.configMaps.has(`${cm.metadata.namespace}/${cm.metadata.name}`)) continue;
      try {
        written.push(await this.writeConfigMap(cm));
      } catch {
        // kubectl goes on to the next object.
      }
    }
    return written;
  }
  /** How many replaceConfigMaps calls (one kubectl process each). */
  replaceCalls = 0;
  async findDeployments(namespace: string, selector: string): Promise<Deployment[]> {
    return this.deployments.filter((d) => d.metadata.namespace === namespace && matchesSelector(d.metadata.labels, selector));
  }
  async getSecretData(namespace: string, name: string) {
    return this.secrets.get(`${namespace}/${name}`);
  }
  async createSecret(namespace: string, name: string, data: Record<string, string>) {
    if (this.secrets.has(`${namespace}/${name}`)) return false;
    this.secrets.set(`${namespace}/${name}`, data);
    return true;
  }

  // ---- provisioning

  /** false plays a cluster older than Kubernetes 1.30 (no admissionregistration.k8s.io/v1 policies). */
  servesPolicies = true;
  asked: AccessCheck[] = [];
  objects = new Map<string, K8sObject>();
  tokens: { ns: string; seconds: number }[] = [];
  denied = new Set<string>();
  maxTokenSeconds = Infinity;
  /** What the network probe's client finds: a CNI that enforces NetworkPolicy (default) or one that ignores it. */
  networkPolicyEnforced = true;
  /** Pods cannot reach each other at all (not even the probe's peer in the server's namespace). */
  podNetworkBroken = false;
  /** Pods run at once: the probe server is Ready with an IP, the probe clients (peer and client) have finished. */
  private podStatus(o: K8sObject): { status?: object } {
    if (o.kind !== 'Pod') return {};
    if (o.metadata.name.endsWith('-server')) return { status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] } };
    const reached = !this.podNetworkBroken && (o.metadata.name.endsWith('-peer') || !this.networkPolicyEnforced);
    return { status: { phase: reached ? 'Succeeded' : 'Failed', containerStatuses: [{ name: 'probe', state: { terminated: { exitCode: reached ? 0 : 1 } } }] } };
  }
  async deleteManagedObjects(ns: string, selector: string, kinds: readonly string[]) {
    const deleted: string[] = [];
    for (const [k, o] of this.objects) {
      if (o.metadata.namespace === ns && kinds.includes(`${o.kind.toLowerCase()}s`) && matches(o, selector)) {
        this.objects.delete(k);
        deleted.push(`${o.kind.toLowerCase()}/${o.metadata.name}`);
      }
    }
    return deleted;
  }
  key(kind: string, ns: string | undefined, name: string) {
    return `${kind.toLowerCase()}/${ns ?? ''}/${name}`;
  }
  async accessReview(checks: AccessCheck[]) {
    this.asked.push(...checks);
    return checks.map((c) => !this.denied.has(`${c.verb} ${c.resource}${c.subresource ? `/${c.subresource}` : ""}`));
  }
  /** Every applyObjects call, as given (a round's workloads for every team in one call). */
  readonly applied: K8sObject[][] = [];
  /**
   * Like `kubectl apply --server-side` of a List: each object on its own; fields the applied
   * object leaves out (a ConfigMap's data) stay; a ConfigMap that names a resourceVersion is
   * written only if it still matches (the API server's precondition), the others go on, and
   * the call fails at the end if any did not. Applied ConfigMaps are also what the watches see.
   */
  async applyObjects(objects: K8sObject[]) {
    this.applied.push(objects);
    const failed: string[] = [];
    for (const o of objects) {
      if (RESOURCE_OF[o.kind] && !this.servesPolicies) throw new Error(`no matches for kind "${o.kind}" in version "${o.apiVersion}"`);
      if (o.kind === 'ConfigMap') {
        const current = this.configMaps.get(`${o.metadata.namespace}/${o.metadata.name}`);
        if (o.metadata.resourceVersion && current?.metadata.resourceVersion !== o.metadata.resourceVersion) {
          failed.push(o.metadata.name);
          continue;
        }
        this.setConfigMap({ ...current, ...o, metadata: { ...current?.metadata, ...o.metadata } } as ConfigMap);
      }
      const key = this.key(o.kind, o.metadata.namespace, o.metadata.name);
      this.objects.set(key, { ...this.objects.get(key), ...structuredClone(o), ...this.podStatus(o) });
    }
    if (failed.length) throw kubeError(`Operation cannot be fulfilled on configmaps ${failed.join(', ')}: the object has been modified`, 'conflict');
    return objects.map((o) => `${o.kind}/${o.metadata.name} serverside-applied`);
  }
  async createToken(ns: string, _sa: string, seconds: number): Promise<IssuedToken> {
    this.tokens.push({ ns, seconds });
    const exp = Math.floor(this.now() / 1000) + Math.min(seconds, this.maxTokenSeconds);
    return { token: fakeJwt(exp), expiresAt: new Date(exp * 1000).toISOString() };
  }
  /** What the instructor's context names: a shared cluster's address (set it to test loopback or http). */
  endpointValue: { server: string; caData?: string; insecure?: boolean } = { server: 'https://10.0.0.1:6443', caData: 'Q0E=' };
  async endpoint() {
    return this.endpointValue;
  }
  async listNamespaces(selector: string) {
    const want = Object.fromEntries(selector.split(',').map((kv) => kv.split('=')));
    return [...this.objects.values()].filter((o) => o.kind === 'Namespace' && Object.entries(want).every(([k, v]) => o.metadata.labels?.[k] === v));
  }
  async getObject(ns: string, kind: string, name: string) {
    return this.objects.get(this.key(kind, ns, name));
  }
  async listLabelled(ns: string | undefined, _kinds: string[], selector: string) {
    return [...this.objects.values()].filter((o) => (ns === undefined ? o.metadata.namespace !== undefined : o.metadata.namespace === ns) && matches(o, selector));
  }
  async waitNamespacesGone() {}
  async serves(groupVersion: string, resource: string) {
    return this.servesPolicies && groupVersion === 'admissionregistration.k8s.io/v1' && Object.values(RESOURCE_OF).some((r) => r.startsWith(`${resource}.`));
  }
  async listClusterLabelled(kinds: string[], selector: string) {
    if (!this.servesPolicies) throw new Error('the server doesn\'t have a resource type');
    return [...this.objects.values()].filter((o) => !o.metadata.namespace && kinds.includes(RESOURCE_OF[o.kind]) && matches(o, selector));
  }
  async deleteClusterObject(kind: string, name: string, selector: string) {
    for (const [k, o] of this.objects) {
      if (!o.metadata.namespace && RESOURCE_OF[o.kind] === kind && o.metadata.name === name && matches(o, selector)) return this.objects.delete(k);
    }
    return false;
  }
  async deleteNamespaces(names: string[]) {
    for (const name of names) {
      for (const [k, o] of this.objects) if (o.metadata.namespace === name || (o.kind === 'Namespace' && o.metadata.name === name)) this.objects.delete(k);
      for (const store of [this.configMaps, this.pods] as Map<string, K8sObject>[]) for (const [k, o] of store) if (o.metadata.namespace === name) store.delete(k);
    }
    return names;
  }
}

export function memoryFiles(): GameFiles & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    prepareDir: async () => undefined,
    writePrivate: async (p, c) => void files.set(p, c),
    read: async (p) => files.get(p),
    checkNew: async () => undefined,
    writeNew: async (p, c) => void files.set(p, c),
  };
}

