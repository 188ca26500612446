/**
 * A scripted fake cluster for the verifier, and playScript, which moves the one VirtualClock
 * (clock.ts) only when every promise has settled, so a 60 s window runs in milliseconds.
 */
import type { Deployment, K8sObject, KubeEvent, Pod, ReplicaSet } from '../../src/core/k8s.js';
import type { VirtualClock } from './clock.js';
import { type Kube, type ObjectWatchEvent, type PodWatchEvent, type Watch } from '../../src/ports/kube.js';
import { kubeError } from '../../src/ports/errors.js';

interface Watcher {
  selector: string | undefined;
  onEvent: (event: PodWatchEvent) => void;
  onError?: (error: Error) => void;
  end: () => void;
}

const clone = <T>(value: T): T => structuredClone(value);

/** A cluster the test scripts; verify may only read it. */
export class FakeKube implements Kube {
  readonly context = 'kind-crashlab';
  private deploymentObject: Deployment | undefined;
  replicaSets: ReplicaSet[] = [];
  private eventList: KubeEvent[] = [];
  /** Any other object, by `resource/name` (statefulsets.apps/db, jobs.batch/migrate). */
  readonly objects = new Map<string, K8sObject>();
  /** Lists of other resources (controllerrevisions.apps). */
  readonly lists = new Map<string, K8sObject[]>();
  private objectWatchers = new Set<{ resource: string; name?: string; onEvent: (e: ObjectWatchEvent) => void; end: () => void }>();
  private pods = new Map<string, Pod>();
  private watchers = new Set<Watcher>();
  unreachable = false;
  /** Every call, in order, e.g. "getPods crashlab-x app=web". */
  readonly calls: string[] = [];

  constructor(init: { deployment?: Deployment; replicaSets?: ReplicaSet[]; pods?: Pod[]; events?: KubeEvent[] }) {
    this.deploymentObject = init.deployment;
    this.replicaSets = init.replicaSets ?? [];
    this.eventList = init.events ?? [];
    for (const pod of init.pods ?? []) this.pods.set(pod.metadata.name, pod);
  }

  private read<T>(call: string, value: T): Promise<T> {
    this.calls.push(call);
    if (this.unreachable) return Promise.reject(kubeError('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?', 'unreachable'));
    return Promise.resolve(clone(value));
  }

  // ---- scripting

  /** Adds or replaces a pod and tells the watchers, as the API server would. */
  setPod(pod: Pod): void {
    const type = this.pods.has(pod.metadata.name) ? 'MODIFIED' : 'ADDED';
    this.pods.set(pod.metadata.name, pod);
    for (const w of this.watchers) w.onEvent({ type, pod: clone(pod) });
  }

  deletePod(name: string): void {
    const pod = this.pods.get(name);
    if (!pod) return;
    this.pods.delete(name);
    for (const w of this.watchers) w.onEvent({ type: 'DELETED', pod: clone(pod) });
  }

  get deployment(): Deployment | undefined {
    return this.deploymentObject;
  }

  /** Replaces the Deployment and tells its watchers. */
  set deployment(d: Deployment | undefined) {
    const before = this.deploymentObject;
    this.deploymentObject = d;
    const name = d?.metadata.name ?? before?.metadata.name;
    this.notify('deployments.apps', name, d ? 'MODIFIED' : 'DELETED', (d ?? before) as unknown as K8sObject);
  }

  get events(): KubeEvent[] {
    return this.eventList;
  }

  set events(list: KubeEvent[]) {
    this.eventList = list;
  }

  addEvent(event: KubeEvent): void {
    this.eventList = [...this.eventList, event];
    this.notify('events', undefined, 'ADDED', event as unknown as K8sObject);
  }

  /** Adds or replaces a StatefulSet, DaemonSet or Job and tells its watchers. */
  setObject(resource: string, object: K8sObject): void {
    const key = `${resource}/${object.metadata.name}`;
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.objects.set(key, object);
    this.notify(resource, object.metadata.name, type, object);
  }

  private notify(resource: string, name: string | undefined, type: ObjectWatchEvent['type'], object: K8sObject | undefined): void {
    if (!object) return;
    for (const w of this.objectWatchers) if (w.resource === resource && (!w.name || w.name === name)) w.onEvent({ type, object: clone(object) });
  }

  /** The API server goes away: reads fail and open watches end with an error. */
  goAway(): void {
    this.unreachable = true;
    for (const w of [...this.watchers]) {
      w.onError?.(kubeError('Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused', 'unreachable'));
      w.end();
    }
    for (const w of [...this.objectWatchers]) w.end();
  }

  /** kubectl's watch exits on its own (the API server closed the stream). */
  endWatches(): void {
    for (const w of [...this.watchers]) w.end();
    for (const w of [...this.objectWatchers]) w.end();
  }

  get openWatches(): number {
    return this.watchers.size + this.objectWatchers.size;
  }

  // ---- Kube

  /** Pods the next list still shows although they are gone (deleted between that list and the watch's start). */
  staleInNextList: Pod[] = [];

  getPods(namespace: string, labelSelector?: string): Promise<Pod[]> {
    const stale = this.staleInNextList;
    this.staleInNextList = [];
    return this.read(`getPods ${namespace} ${labelSelector ?? ''}`, [...stale, ...this.pods.values()]);
  }
  getPod(namespace: string, name: string): Promise<Pod | undefined> {
    return this.read(`getPod ${namespace} ${name}`, this.pods.get(name));
  }
  getDeployment(namespace: string, name: string): Promise<Deployment | undefined> {
    return this.read(`getDeployment ${namespace} ${name}`, this.deployment?.metadata.name === name ? this.deployment : undefined);
  }
  getReplicaSets(namespace: string, labelSelector?: string): Promise<ReplicaSet[]> {
    return this.read(`getReplicaSets ${namespace} ${labelSelector ?? ''}`, this.replicaSets);
  }
  getEvents(namespace: string, involvedObjectName?: string): Promise<KubeEvent[]> {
    return this.read(`getEvents ${namespace} ${involvedObjectName ?? ''}`, this.events);
  }
  getObject(namespace: string, resource: string, name: string): Promise<K8sObject | undefined> {
    return this.read(`getObject ${namespace} ${resource} ${name}`, this.objects.get(`${resource}/${name}`));
  }
  listObjects(namespace: string, resource: string, labelSelector?: string): Promise<K8sObject[]> {
    return this.read(`listObjects ${namespace} ${resource} ${labelSelector ?? ''}`, this.lists.get(resource) ?? []);
  }
  watchObjects(namespace: string, resource: string, options: { name?: string; labelSelector?: string }, onEvent: (e: ObjectWatchEvent) => void): Watch {
    this.calls.push(`watchObjects ${namespace} ${resource} ${options.name ?? ''}`);
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const watcher = {
      resource,
      name: options.name,
      onEvent,
      end: () => {
        this.objectWatchers.delete(watcher);
        end();
      },
    };
    this.objectWatchers.add(watcher);
    queueMicrotask(() => {
      if (!this.objectWatchers.has(watcher)) return;
      const initial: K8sObject[] =
        resource === 'events'
          ? (this.eventList as unknown as K8sObject[])
          : resource === 'deployments.apps'
            ? this.deploymentObject && (!options.name || this.deploymentObject.metadata.name === options.name)
              ? [this.deploymentObject as unknown as K8sObject]
              : []
            : [...this.objects.entries()].filter(([k]) => k === `${resource}/${options.name}`).map(([, v]) => v);
      for (const object of initial) onEvent({ type: 'ADDED', object: clone(object) });
    });
    return { done, cancel: () => watcher.end() };
  }
  getNamespace(name: string): Promise<K8sObject | undefined> {
    return this.read(`getNamespace ${name}`, undefined);
  }
  watchPods(namespace: string, labelSelector: string | undefined, onEvent: (event: PodWatchEvent) => void, onError?: (error: Error) => void): Watch {
    this.calls.push(`watchPods ${namespace} ${labelSelector ?? ''}`);
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const watcher: Watcher = {
      selector: labelSelector,
      onEvent,
      onError,
      end: () => {
        this.watchers.delete(watcher);
        end();
      },
    };
    this.watchers.add(watcher);
    // kubectl get -w lists what exists first.
    queueMicrotask(() => {
      if (!this.watchers.has(watcher)) return;
      for (const pod of this.pods.values()) onEvent({ type: 'ADDED', pod: clone(pod) });
    });
    return { done, cancel: () => watcher.end() };
  }

  // ---- verify must never change the cluster
  apply(): Promise<string[]> {
    throw new Error('verify must not apply anything');
  }
  logs(): Promise<string> {
    throw new Error('verify does not read logs');
  }
  deleteManagedNamespace(): Promise<'deleted' | 'absent' | 'refused'> {
    throw new Error('verify must not delete anything');
  }
  deleteManagedObjects(): Promise<string[]> {
    throw new Error('verify must not delete anything');
  }
  run(): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    throw new Error('verify must not run kubectl commands');
  }
}

export interface Step {
  /** Seconds after the start of the run. */
  at: number;
  do: () => void;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `work` while playing `steps` in virtual time: whenever the work sleeps and nothing else can
 * progress, time jumps to the next scripted step or timer. Steps run before timers due at the same instant.
 */
export async function playScript<T>(clock: VirtualClock, steps: Step[], work: () => Promise<T>): Promise<{ result: T; endedAtSeconds: number }> {
  const start = clock.now();
  const queue = [...steps].sort((a, b) => a.at - b.at);
  let finished = false;
  let result!: T;
  let failure: unknown;
  work().then(
    (r) => {
      finished = true;
      result = r;
    },
    (e) => {
      finished = true;
      failure = e;
    },
  );
  for (let guard = 0; guard < 100_000; guard++) {
    await settle();
    if (finished) break;
    // Time only moves while the work sleeps; until then it may be doing real I/O (reading scenario files).
    for (let waited = 0; !finished && clock.pendingTimers() === 0; waited += 5) {
      if (waited > 3000) throw new Error('stuck: the work neither finished nor went to sleep');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (finished) break;
    const nextStep = queue[0] ? start + queue[0].at * 1000 : undefined;
    const nextTimer = clock.nextTimerAt();
    if (nextStep !== undefined && (nextTimer === undefined || nextStep <= nextTimer)) {
      clock.advanceTo(nextStep);
      queue.shift()!.do();
    } else {
      clock.advanceTo(nextTimer!);
    }
  }
  if (!finished) throw new Error('verify did not finish');
  if (failure) throw failure;
  return { result, endedAtSeconds: (clock.now() - start) / 1000 };
}
