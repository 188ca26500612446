/**
 * The one in-memory cluster of the tests (the only class under test/ that implements Kube;
 * layout.test.ts keeps it so). Objects are kept per namespace, namespaces carry labels, deletion
 * honours the managed-by guard like the real adapter, and every read is recorded in `calls`.
 * Tests script its pods, events, ReplicaSets, objects and logs; pod and object watches list what
 * exists first and then hear every scripted change, as `kubectl get -w` would. `readOnly` makes
 * every write throw (the verifier and diagnosis must only read); `goAway` plays a lost API server.
 * SimCluster (cluster.ts) builds on it and plays the Deployment controller and the kubelet for the
 * UI tests; playScript (scriptedKube.ts) moves the clock under a scripted verify run.
 */
import { MANAGED_BY_LABEL, type Deployment, type K8sObject, type KubeEvent, type Pod, type ReplicaSet } from '../../src/core/k8s.js';
import type { Kube, LogOptions, ObjectWatchEvent, PodWatchEvent, Watch } from '../../src/ports/kube.js';
import { kubeError } from '../../src/ports/errors.js';
import { matchesSelector } from '../../src/core/gameday/selector.js';
import type { Progress, ProgressStore } from '../../src/ports/store.js';

/** kubectl's resource names → kinds, for getObject, listObjects and watchObjects. */
const KIND_OF: Record<string, string> = {
  'deployments.apps': 'Deployment',
  'statefulsets.apps': 'StatefulSet',
  'daemonsets.apps': 'DaemonSet',
  'jobs.batch': 'Job',
  'controllerrevisions.apps': 'ControllerRevision',
  'leases.coordination.k8s.io': 'Lease',
  configmap: 'ConfigMap',
  configmaps: 'ConfigMap',
  persistentvolumeclaims: 'PersistentVolumeClaim',
};

const clone = <T>(value: T): T => structuredClone(value);
const sameObject = (a: K8sObject, b: K8sObject) => a.kind === b.kind && a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace;

interface PodWatcher {
  namespace: string;
  selector: string | undefined;
  onEvent: (event: PodWatchEvent) => void;
  onError?: (error: Error) => void;
  end: () => void;
}

interface ObjectWatcher {
  namespace: string;
  kind: string;
  name?: string;
  onEvent: (event: ObjectWatchEvent) => void;
  end: () => void;
}

export class MemoryKube implements Kube {
  /** Every call, in order, e.g. "getPods crashlab-x app=web". */
  readonly calls: string[] = [];
  readonly namespaces = new Map<string, K8sObject>();
  readonly objects: K8sObject[] = [];
  pods: Pod[] = [];
  events: KubeEvent[] = [];
  replicaSets: ReplicaSet[] = [];
  /** Container logs by `namespace/pod/container` (+ `/previous`); an unscripted log reads as empty. */
  readonly logTexts = new Map<string, string>();
  runResults = new Map<string, { exitCode: number; stdout: string; stderr: string }>();
  /** Every write throws: what may only read (verify, diagnose) is held to it. */
  readOnly = false;
  /** Reads fail as kubectl does when the API server refuses the connection. */
  unreachable = false;
  /** Pods the next list still shows although they are gone (deleted between that list and the watch's start). */
  staleInNextList: Pod[] = [];
  private podWatchers = new Set<PodWatcher>();
  private objectWatchers = new Set<ObjectWatcher>();

  constructor(readonly context = 'kind-crashlab') {}

  /** Scripted start state: objects (Deployments, StatefulSets, Leases...), pods, events, ReplicaSets. */
  seed(init: { objects?: K8sObject[]; pods?: Pod[]; events?: KubeEvent[]; replicaSets?: ReplicaSet[]; readOnly?: boolean }): this {
    for (const o of init.objects ?? []) this.setObject(o);
    for (const p of init.pods ?? []) this.setPod(p);
    this.events = [...(init.events ?? this.events)];
    this.replicaSets = [...(init.replicaSets ?? this.replicaSets)];
    this.readOnly = init.readOnly ?? this.readOnly;
    return this;
  }

  // ---------------------------------------------------------------- scripting

  /** Adds or replaces a pod and tells the watchers, as the API server would. */
  setPod(pod: Pod): void {
    const i = this.pods.findIndex((p) => p.metadata.name === pod.metadata.name && p.metadata.namespace === pod.metadata.namespace);
    if (i >= 0) this.pods.splice(i, 1, pod);
    else this.pods.push(pod);
    this.notifyPod(i >= 0 ? 'MODIFIED' : 'ADDED', pod);
  }

  deletePod(name: string): void {
    const i = this.pods.findIndex((p) => p.metadata.name === name);
    if (i < 0) return;
    const [pod] = this.pods.splice(i, 1);
    this.notifyPod('DELETED', pod);
  }

  /** Adds or replaces any namespaced object (Deployment, StatefulSet, Lease...) and tells its watchers. */
  setObject(object: K8sObject): void {
    const i = this.objects.findIndex((o) => sameObject(o, object));
    if (i >= 0) this.objects.splice(i, 1, object);
    else this.objects.push(object);
    this.notifyObject(i >= 0 ? 'MODIFIED' : 'ADDED', object);
  }

  removeObject(kind: string, namespace: string, name: string): void {
    const i = this.objects.findIndex((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
    if (i < 0) return;
    const [object] = this.objects.splice(i, 1);
    this.notifyObject('DELETED', object);
  }

  /** The object of that kind, as stored (a test may edit it in place before the run). */
  object<T = K8sObject>(kind: string, namespace: string, name: string): T | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name) as T | undefined;
  }

  addEvent(event: KubeEvent): void {
    this.events = [...this.events, event];
    this.notifyObject('ADDED', event as unknown as K8sObject);
  }

  setLog(namespace: string, pod: string, container: string, text: string, options: { previous?: boolean } = {}): void {
    this.logTexts.set(`${namespace}/${pod}/${container}${options.previous ? '/previous' : ''}`, text);
  }

  /** The API server goes away: reads fail and open watches end, the pod watches with an error. */
  goAway(): void {
    this.unreachable = true;
    for (const w of [...this.podWatchers]) {
      w.onError?.(kubeError('Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused', 'unreachable'));
      w.end();
    }
    for (const w of [...this.objectWatchers]) w.end();
  }

  /** kubectl's watches exit on their own (the API server closed the stream). */
  endWatches(): void {
    for (const w of [...this.podWatchers]) w.end();
    for (const w of [...this.objectWatchers]) w.end();
  }

  get openWatches(): number {
    return this.podWatchers.size + this.objectWatchers.size;
  }

  private notifyPod(type: PodWatchEvent['type'], pod: Pod): void {
    for (const w of this.podWatchers) if (pod.metadata.namespace === w.namespace && matchesSelector(pod.metadata.labels, w.selector ?? '')) w.onEvent({ type, pod: clone(pod) });
  }

  private notifyObject(type: ObjectWatchEvent['type'], object: K8sObject): void {
    for (const w of this.objectWatchers) {
      if (w.kind === object.kind && w.namespace === object.metadata.namespace && (!w.name || w.name === object.metadata.name)) w.onEvent({ type, object: clone(object) });
    }
  }

  // ---------------------------------------------------------------- reads

  private read<T>(call: string, value: () => T): Promise<T> {
    this.calls.push(call);
    if (this.unreachable) return Promise.reject(kubeError('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?', 'unreachable'));
    return Promise.resolve(clone(value()));
  }

  getPods(namespace: string, labelSelector?: string): Promise<Pod[]> {
    const stale = this.staleInNextList;
    this.staleInNextList = [];
    return this.read(`getPods ${namespace} ${labelSelector ?? ''}`.trim(), () => [...stale, ...this.pods.filter((p) => p.metadata.namespace === namespace && matchesSelector(p.metadata.labels, labelSelector ?? ''))]);
  }
  getPod(namespace: string, name: string): Promise<Pod | undefined> {
    return this.read(`getPod ${namespace} ${name}`, () => this.pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === name));
  }
  getDeployment(namespace: string, name: string): Promise<Deployment | undefined> {
    return this.read(`getDeployment ${namespace} ${name}`, () => this.object<Deployment>('Deployment', namespace, name));
  }
  getReplicaSets(namespace: string, labelSelector?: string): Promise<ReplicaSet[]> {
    return this.read(`getReplicaSets ${namespace} ${labelSelector ?? ''}`, () => this.replicaSets.filter((rs) => rs.metadata.namespace === namespace && matchesSelector(rs.metadata.labels, labelSelector ?? '')));
  }
  getEvents(namespace: string, involvedObjectName?: string): Promise<KubeEvent[]> {
    return this.read(`getEvents ${namespace} ${involvedObjectName ?? ''}`, () => this.events.filter((e) => e.metadata.namespace === namespace && (!involvedObjectName || e.involvedObject.name === involvedObjectName)));
  }
  getNamespace(name: string): Promise<K8sObject | undefined> {
    return this.read(`getNamespace ${name}`, () => this.namespaces.get(name));
  }
  getObject(namespace: string, resource: string, name: string): Promise<K8sObject | undefined> {
    return this.read(`getObject ${namespace} ${resource} ${name}`, () => this.object(KIND_OF[resource], namespace, name));
  }
  listObjects(namespace: string, resource: string, labelSelector?: string): Promise<K8sObject[]> {
    return this.read(`listObjects ${namespace} ${resource} ${labelSelector ?? ''}`, () =>
      this.objects.filter((o) => o.kind === KIND_OF[resource] && o.metadata.namespace === namespace && matchesSelector(o.metadata.labels, labelSelector ?? '')),
    );
  }
  /** The current log, or the previous instance's; an unscripted one is empty. */
  async logs(namespace: string, pod: string, container: string, options: LogOptions = {}): Promise<string> {
    this.calls.push(`logs ${namespace} ${pod} ${container}${options.previous ? ' --previous' : ''}${options.tail !== undefined ? ` --tail=${options.tail}` : ''}`);
    return this.logTexts.get(`${namespace}/${pod}/${container}${options.previous ? '/previous' : ''}`) ?? '';
  }

  watchPods(namespace: string, labelSelector: string | undefined, onEvent: (event: PodWatchEvent) => void, onError?: (error: Error) => void): Watch {
    this.calls.push(`watchPods ${namespace} ${labelSelector ?? ''}`);
    const { watch, end } = this.openWatch(() => this.podWatchers.delete(watcher));
    const watcher: PodWatcher = { namespace, selector: labelSelector, onEvent, onError, end };
    this.podWatchers.add(watcher);
    // kubectl get -w lists what exists first.
    queueMicrotask(() => {
      if (!this.podWatchers.has(watcher)) return;
      for (const pod of this.pods) if (pod.metadata.namespace === namespace && matchesSelector(pod.metadata.labels, labelSelector ?? '')) onEvent({ type: 'ADDED', pod: clone(pod) });
    });
    return watch;
  }

  watchObjects(namespace: string, resource: string, options: { name?: string; labelSelector?: string }, onEvent: (e: ObjectWatchEvent) => void): Watch {
    this.calls.push(`watchObjects ${namespace} ${resource} ${options.name ?? ''}`);
    const kind = resource === 'events' ? 'Event' : KIND_OF[resource];
    const { watch, end } = this.openWatch(() => this.objectWatchers.delete(watcher));
    const watcher: ObjectWatcher = { namespace, kind, name: options.name, onEvent, end };
    this.objectWatchers.add(watcher);
    queueMicrotask(() => {
      if (!this.objectWatchers.has(watcher)) return;
      const existing = kind === 'Event' ? (this.events as unknown as K8sObject[]) : this.objects;
      for (const o of existing) if (o.kind === kind && o.metadata.namespace === namespace && (!options.name || o.metadata.name === options.name)) onEvent({ type: 'ADDED', object: clone(o) });
    });
    return watch;
  }

  private openWatch(forget: () => void): { watch: Watch; end: () => void } {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const end = () => {
      forget();
      resolve();
    };
    return { watch: { done, cancel: end }, end };
  }

  // ---------------------------------------------------------------- writes

  private write(call: string): void {
    if (this.readOnly) throw new Error(`a read-only caller must not write: ${call}`);
    this.calls.push(call);
  }

  async apply(objects: K8sObject[], namespace: string): Promise<string[]> {
    this.write(`apply -n ${namespace} ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(' ')}`);
    return objects.map((o) => {
      if (o.kind === 'Namespace') {
        this.namespaces.set(o.metadata.name, clone(o));
        return `namespace/${o.metadata.name} serverside-applied`;
      }
      return this.applyObject(clone(o), namespace);
    });
  }
  /** One namespaced object in place of its namesake, as server-side apply leaves it. */
  protected applyObject(o: K8sObject, namespace: string): string {
    this.setObject({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } });
    return `${o.kind.toLowerCase()}/${o.metadata.name} serverside-applied`;
  }
  async deleteManagedNamespace(name: string): Promise<'deleted' | 'absent' | 'refused'> {
    this.write(`deleteManagedNamespace ${name}`);
    const ns = this.namespaces.get(name);
    if (!ns) return 'absent';
    if (ns.metadata.labels?.[MANAGED_BY_LABEL] !== 'crashlab') return 'refused';
    this.namespaces.delete(name);
    for (let i = this.objects.length - 1; i >= 0; i--) if (this.objects[i].metadata.namespace === name) this.objects.splice(i, 1);
    return 'deleted';
  }
  async deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[]): Promise<string[]> {
    this.write(`deleteManagedObjects ${namespace} ${labelSelector}`);
    const wanted = [`${MANAGED_BY_LABEL}=crashlab`, labelSelector].filter(Boolean).join(',');
    const deleted: string[] = [];
    for (let i = this.objects.length - 1; i >= 0; i--) {
      const o = this.objects[i];
      if (o.metadata.namespace !== namespace || !kinds.includes(o.kind) || !matchesSelector(o.metadata.labels, wanted)) continue;
      this.objects.splice(i, 1);
      deleted.push(`${o.kind.toLowerCase()} "${o.metadata.name}" deleted`);
    }
    return deleted;
  }
  /** A kubectl command line: `runResults` keyed by its verb, else `get KIND NAME -o json` of a stored object. */
  async run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    // `kubectl get` only reads: a read-only caller (diagnose) may run it.
    if (args[0] === 'get') this.calls.push(`run ${args.join(' ')}`);
    else this.write(`run ${args.join(' ')}`);
    const scripted = this.runResults.get(args[0]);
    if (scripted) return scripted;
    if (args[0] === 'get' && args.includes('json')) {
      const ns = args.includes('-n') ? args[args.indexOf('-n') + 1] : undefined;
      const found = this.objects.find((o) => o.kind.toLowerCase() === args[1] && o.metadata.name === args[2] && (!ns || o.metadata.namespace === ns));
      return found ? { exitCode: 0, stdout: JSON.stringify(found), stderr: '' } : { exitCode: 1, stdout: '', stderr: `Error from server (NotFound): ${args[1]}s "${args[2]}" not found` };
    }
    return { exitCode: 0, stdout: `output of ${args[0]}`, stderr: '' };
  }
}

export class MemoryStore implements ProgressStore {
  progress: Progress = { version: 1, scenarios: {} };
  async load() {
    return { progress: structuredClone(this.progress) };
  }
  async save(progress: Progress) {
    this.progress = structuredClone(progress);
  }
  async update(mutate: (p: Progress) => void) {
    mutate(this.progress);
    return structuredClone(this.progress);
  }
}
