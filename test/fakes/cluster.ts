/**
 * An in-memory cluster behind the real Kube port, driven by the virtual clock (clock.ts): what the lab UI
 * tests run the real engine (verify decisions, diagnosis, progress rules) over.
 *
 * It plays the Deployment controller and the kubelet just far enough for the lab: applying a
 * Deployment with a new pod template creates a ReplicaSet (pod-template-hash, revision
 * annotation, owner references) and a pod, replacing the old ones. A pod whose template is a
 * scenario's broken (or not-quite-fixed) one behaves as the scenario's `expect` says it does
 * on a real cluster (test/cluster/report.md): it starts, dies with the expected reason and exit
 * code, and is restarted on the kubelet's back-off schedule (10 s, 20 s, 40 s...), with the
 * matching Warning events and previous log; a CreateContainerConfigError one never starts. Any
 * other template runs and is Ready a second after creation. Nothing here decides a verdict or a
 * diagnosis: the engine does, from these objects.
 */
import { createHash } from 'node:crypto';
import type { Deployment, K8sObject, KubeEvent, Pod, ReplicaSet } from '../../src/core/k8s.js';
import { backOffDelaySeconds } from '../../src/core/podStatus.js';
import type { Scenario } from '../../src/core/scenario.js';
import type { ScenarioBundle } from '../../src/ports/catalog.js';
import type { VirtualClock } from './clock.js';
import { MemoryKube } from './memoryKube.js';
import { matchesSelector } from '../../src/core/gameday/selector.js';
import type { LogOptions, ObjectWatchEvent, PodWatchEvent, Watch } from '../../src/ports/kube.js';

/** Seconds a broken container runs before it dies (a crash, an OOM kill, a probe's SIGKILL). */
const RUN_SECONDS = 2;
const START_DELAY_MS = 1000;

interface SimPod {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  hash: string;
  replicaSet: string;
  createdMs: number;
  spec: Pod['spec'];
  broken?: Scenario;
}

interface Watcher {
  namespace: string;
  selector?: string;
  onEvent: (event: PodWatchEvent) => void;
  seen: Map<string, string>;
  end: () => void;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const short = (text: string, n: number) => createHash('sha256').update(text).digest('hex').slice(0, n);

/** The pod template's spec without what crashlab adds at deploy time (labels). */
const templateKey = (deployment: Deployment) => JSON.stringify(deployment.spec.template.spec);

/** MemoryKube's objects, namespaces and deletes, with pods, ReplicaSets and events played over time. */
export class SimCluster extends MemoryKube {
  simPods: SimPod[] = [];
  private watchers = new Set<Watcher>();
  private uids = 0;
  private brokenTemplates = new Map<string, Scenario>();

  constructor(
    readonly clock: VirtualClock,
    bundles: ScenarioBundle[],
    context = 'kind-crashlab',
  ) {
    super(context);
    for (const b of bundles) {
      for (const objects of [b.broken, b.notQuiteFix ?? []]) {
        const d = objects.find((o) => o.kind === 'Deployment') as Deployment | undefined;
        if (d) this.brokenTemplates.set(templateKey(d), b.scenario);
      }
    }
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  /** Moves the clock and tells watchers what changed, a second at a time. */
  advance(ms: number): void {
    for (let left = ms; left > 0; left -= 1000) {
      this.clock.advance(Math.min(1000, left));
      this.notify();
    }
  }

  private uid(): string {
    this.uids += 1;
    return `00000000-0000-4000-8000-${String(this.uids).padStart(12, '0')}`;
  }

  override async apply(objects: K8sObject[], namespace: string): Promise<string[]> {
    const had = new Set(this.namespaces.keys());
    const lines = await super.apply(objects, namespace);
    this.notify();
    return lines.map((line, i) => (objects[i].kind === 'Namespace' && had.has(objects[i].metadata.name) ? `namespace/${objects[i].metadata.name} unchanged` : line));
  }

  protected override applyObject(o: K8sObject, namespace: string): string {
    if (o.kind === 'Deployment') return this.applyDeployment(o as unknown as Deployment, namespace);
    return super.applyObject({ ...o, metadata: { ...o.metadata, namespace } }, namespace);
  }

  private applyDeployment(incoming: Deployment, namespace: string): string {
    const name = incoming.metadata.name;
    const existing = this.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name && o.metadata.namespace === namespace) as unknown as Deployment | undefined;
    if (existing && JSON.stringify(existing.spec.template) === JSON.stringify(incoming.spec.template)) return `deployment.apps/${name} unchanged`;
    const generation = (existing?.metadata.generation ?? 0) + 1;
    const revision = String(Number(existing?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) + 1);
    const uid = existing?.metadata.uid ?? this.uid();
    const deployment = {
      ...incoming,
      metadata: { ...incoming.metadata, namespace, uid, generation, annotations: { ...incoming.metadata.annotations, 'deployment.kubernetes.io/revision': revision } },
    } as Deployment;
    if (existing) this.objects.splice(this.objects.indexOf(existing as unknown as K8sObject), 1);
    this.objects.push(deployment as unknown as K8sObject);
    const hash = short(JSON.stringify(incoming.spec.template), 10);
    const rsName = `${name}-${hash}`;
    const labels = { ...incoming.spec.template.metadata?.labels, 'pod-template-hash': hash };
    this.replicaSets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        uid: this.uid(),
        labels,
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true }],
        creationTimestamp: iso(this.clock.now()),
      },
      spec: { replicas: 1, selector: incoming.spec.selector, template: incoming.spec.template },
      status: { replicas: 1 },
    } as unknown as ReplicaSet);
    // Old pods go as the new one is created (a Recreate-like rollout keeps this simple).
    this.simPods = this.simPods.filter((p) => !(p.namespace === namespace && p.replicaSet.startsWith(`${name}-`)));
    this.simPods.push({
      name: `${rsName}-${short(`${rsName}${this.clock.now()}${this.uids}`, 5)}`,
      namespace,
      uid: this.uid(),
      labels,
      hash,
      replicaSet: rsName,
      createdMs: this.clock.now(),
      spec: structuredClone(incoming.spec.template.spec) as Pod['spec'],
      broken: this.brokenTemplates.get(templateKey(incoming)),
    });
    return `deployment.apps/${name} ${existing ? 'serverside-applied' : 'serverside-applied'}`;
  }

  // ---------------------------------------------------------------- the kubelet

  /** When each container run ended, up to now. */
  private crashes(pod: SimPod, at: number): number[] {
    const died: number[] = [];
    let start = pod.createdMs + START_DELAY_MS;
    while (start + RUN_SECONDS * 1000 <= at) {
      const end = start + RUN_SECONDS * 1000;
      died.push(end);
      start = end + backOffDelaySeconds(died.length) * 1000;
    }
    return died;
  }

  private podObject(pod: SimPod, at: number): Pod {
    const scenario = pod.broken;
    const expect = scenario?.expect;
    const failing = expect?.container;
    const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
    const started = at >= pod.createdMs + START_DELAY_MS;
    const configError = expect?.waitingReasons?.includes('CreateContainerConfigError') && !expect.lastTerminated;
    const died = scenario && !configError ? this.crashes(pod, at) : [];
    const lastDied = died.at(-1);
    const nextStart = lastDied === undefined ? pod.createdMs + START_DELAY_MS : lastDied + backOffDelaySeconds(died.length) * 1000;
    const runningNow = started && at >= nextStart;
    const healthy = !scenario;
    const failingIsInit = failing !== undefined && inits.includes(failing);

    const statusOf = (name: string, init: boolean) => {
      const base = { name, image: 'docker.io/library/busybox:1.36', imageID: 'docker.io/library/busybox@sha256:7c3c3cea5d4d', restartCount: 0, ready: false, started: false };
      if (healthy || (failingIsInit && !init) || (!failingIsInit && init)) {
        if (healthy || (!failingIsInit && init)) {
          // Healthy containers, and init containers before a failing main one, ran fine.
          if (init) return { ...base, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(pod.createdMs), finishedAt: iso(pod.createdMs + 500) } } };
          return started ? { ...base, ready: true, started: true, state: { running: { startedAt: iso(pod.createdMs + START_DELAY_MS) } } } : { ...base, state: { waiting: { reason: 'ContainerCreating' } } };
        }
        return { ...base, state: { waiting: { reason: 'PodInitializing' } } };
      }
      if (name !== failing) return { ...base, state: { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } } };
      if (configError) {
        return { ...base, state: { waiting: { reason: 'CreateContainerConfigError', message: (expect?.waitingMessage ?? 'configuration error').replace('[a-z0-9-]+', pod.namespace) } } };
      }
      const term = expect?.lastTerminated;
      const terminated =
        lastDied === undefined
          ? undefined
          : { exitCode: term?.exitCode ?? 1, reason: term?.reason ?? 'Error', message: term?.message, startedAt: iso(lastDied - RUN_SECONDS * 1000), finishedAt: iso(lastDied), containerID: `containerd://${short(pod.name + died.length, 64)}` };
      const state = !started
        ? { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } }
        : runningNow
          ? { running: { startedAt: iso(nextStart) } }
          : { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backOffDelaySeconds(died.length)}s restarting failed container=${name} pod=${pod.name}_${pod.namespace}(${pod.uid})` } };
      return { ...base, restartCount: died.length, started: runningNow, state, lastState: terminated ? { terminated } : {} };
    };

    const ready = healthy && started;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        uid: pod.uid,
        labels: pod.labels,
        creationTimestamp: iso(pod.createdMs),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: pod.replicaSet, uid: pod.replicaSet, controller: true }],
      },
      spec: { ...pod.spec, nodeName: 'crashlab-control-plane' },
      status: {
        phase: healthy ? 'Running' : failingIsInit ? 'Pending' : 'Running',
        podIP: '10.244.0.7',
        startTime: iso(pod.createdMs),
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Initialized', status: failingIsInit && !healthy ? 'False' : 'True' },
          { type: 'Ready', status: ready ? 'True' : 'False' },
          { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        ],
        ...(inits.length ? { initContainerStatuses: inits.map((n) => statusOf(n, true)) } : {}),
        containerStatuses: pod.spec.containers.map((c) => statusOf(c.name, false)),
      },
    } as unknown as Pod;
  }

  private eventsOf(pod: SimPod, at: number): KubeEvent[] {
    const ev = (reason: string, type: string, message: string, first: number, last: number, count = 1): KubeEvent =>
      ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.name}.${reason.toLowerCase()}`, namespace: pod.namespace, uid: `${pod.uid}-${reason}` },
        involvedObject: { kind: 'Pod', name: pod.name, namespace: pod.namespace, uid: pod.uid },
        reason,
        type,
        message,
        count,
        firstTimestamp: iso(first),
        lastTimestamp: iso(last),
        source: { component: 'kubelet', host: 'crashlab-control-plane' },
      }) as KubeEvent;
    const list = [ev('Scheduled', 'Normal', `Successfully assigned ${pod.namespace}/${pod.name} to crashlab-control-plane`, pod.createdMs, pod.createdMs)];
    if (at < pod.createdMs + START_DELAY_MS) return list;
    list.push(ev('Pulled', 'Normal', 'Container image "busybox:1.36" already present on machine', pod.createdMs + 500, pod.createdMs + 500));
    const expect = pod.broken?.expect;
    if (!expect) return list;
    if (expect.waitingReasons?.includes('CreateContainerConfigError') && !expect.lastTerminated) {
      list.push(ev('Failed', 'Warning', `Error: ${(expect.waitingMessage ?? 'configuration error').replace('[a-z0-9-]+', pod.namespace)}`, pod.createdMs + START_DELAY_MS, at));
      return list;
    }
    const died = this.crashes(pod, at);
    if (died.length === 0) return list;
    const first = died[0];
    const last = died.at(-1)!;
    if (expect.events?.includes('Unhealthy')) list.push(ev('Unhealthy', 'Warning', 'Liveness probe failed: HTTP probe failed with statuscode: 404', first - 1000, last - 1000, died.length));
    if (expect.events?.includes('Failed') && expect.lastTerminated) list.push(ev('Failed', 'Warning', `Error: failed to create containerd task: ${expect.lastTerminated.message ?? 'exit'}`, first, last, died.length));
    list.push(ev('BackOff', 'Warning', `Back-off restarting failed container ${expect.container} in pod ${pod.name}_${pod.namespace}(${pod.uid})`, first + 500, last + 500, died.length));
    return list;
  }

  private livePods(namespace: string, selector?: string): Pod[] {
    const at = this.clock.now();
    return this.simPods.filter((p) => p.namespace === namespace && matchesSelector(p.labels, selector ?? '')).map((p) => this.podObject(p, at));
  }

  private notify(): void {
    for (const w of this.watchers) {
      const now = new Map(this.livePods(w.namespace, w.selector).map((p) => [p.metadata.name, p]));
      for (const [name, pod] of now) {
        const text = JSON.stringify(pod);
        if (w.seen.get(name) === text) continue;
        w.onEvent({ type: w.seen.has(name) ? 'MODIFIED' : 'ADDED', pod });
        w.seen.set(name, text);
      }
      for (const name of [...w.seen.keys()]) {
        if (now.has(name)) continue;
        w.seen.delete(name);
        w.onEvent({ type: 'DELETED', pod: { metadata: { name, namespace: w.namespace } } as Pod });
      }
    }
  }

  // ---------------------------------------------------------------- reads

  override async getPods(namespace: string, labelSelector?: string): Promise<Pod[]> {
    return this.livePods(namespace, labelSelector);
  }
  override async getPod(namespace: string, name: string): Promise<Pod | undefined> {
    return this.livePods(namespace).find((p) => p.metadata.name === name);
  }
  override async getDeployment(namespace: string, name: string): Promise<Deployment | undefined> {
    const d = this.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === namespace && o.metadata.name === name) as unknown as Deployment | undefined;
    if (!d) return undefined;
    const pods = this.livePods(namespace).filter((p) => p.metadata.ownerReferences?.[0]?.name.startsWith(`${name}-`));
    const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    return structuredClone({ ...d, status: { observedGeneration: d.metadata.generation, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready } }) as Deployment;
  }
  /** Deployments and Jobs only (what a team's lab lists); `key` alone is kubectl's existence selector. */
  override async listObjects(namespace: string, resource: string, labelSelector?: string): Promise<K8sObject[]> {
    const kind = ({ 'deployments.apps': 'Deployment', 'jobs.batch': 'Job' } as Record<string, string>)[resource];
    const wanted = (labelSelector ?? '').split(',').filter(Boolean).map((term) => term.split('='));
    const matches = (labels: Record<string, string> | undefined) => wanted.every(([k, v]) => (v === undefined ? labels?.[k] !== undefined : labels?.[k] === v));
    return structuredClone(this.objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace && matches(o.metadata.labels)));
  }
  /** ConfigMaps only (a team's event log): the instructor's side writes them into `objects`. */
  override async getObject(namespace: string, resource: string, name: string): Promise<K8sObject | undefined> {
    if (resource !== 'configmaps') return undefined;
    const found = this.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === namespace && o.metadata.name === name);
    return found && structuredClone(found);
  }
  override async getReplicaSets(namespace: string, labelSelector?: string): Promise<ReplicaSet[]> {
    return structuredClone(this.replicaSets.filter((rs) => rs.metadata.namespace === namespace && matchesSelector(rs.metadata.labels, labelSelector ?? '')));
  }
  override async getEvents(namespace: string, involvedObjectName?: string): Promise<KubeEvent[]> {
    const at = this.clock.now();
    return this.simPods.filter((p) => p.namespace === namespace && (!involvedObjectName || p.name === involvedObjectName)).flatMap((p) => this.eventsOf(p, at));
  }
  override async logs(namespace: string, pod: string, _container: string, options: LogOptions = {}): Promise<string> {
    const p = this.simPods.find((x) => x.namespace === namespace && x.name === pod);
    if (!p) return '';
    if (!p.broken) return 'listening on :8080\n';
    if (!options.previous) return '';
    return p.broken.expect.previousLog ? `${p.broken.expect.previousLog}\n` : '';
  }
  /** No object watches here (a stream that ends at once): the verifier polls the Deployment, whose status this cluster computes on each read. */
  override watchObjects(_namespace: string, _resource: string, _options: { name?: string }, _onEvent: (e: ObjectWatchEvent) => void): Watch {
    return { done: Promise.resolve(), cancel: () => undefined };
  }
  override watchPods(namespace: string, labelSelector: string | undefined, onEvent: (event: PodWatchEvent) => void): Watch {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const watcher: Watcher = { namespace, selector: labelSelector, onEvent, seen: new Map(), end };
    this.watchers.add(watcher);
    queueMicrotask(() => this.notify());
    return {
      done,
      cancel: () => {
        this.watchers.delete(watcher);
        end();
      },
    };
  }

  // ---------------------------------------------------------------- deletes (crashlab's own objects only)

  override async deleteManagedNamespace(name: string): Promise<'deleted' | 'absent' | 'refused'> {
    const result = await super.deleteManagedNamespace(name);
    if (result !== 'deleted') return result;
    for (let i = this.replicaSets.length - 1; i >= 0; i--) if (this.replicaSets[i].metadata.namespace === name) this.replicaSets.splice(i, 1);
    this.simPods = this.simPods.filter((p) => p.namespace !== name);
    this.notify();
    return result;
  }
  /** MemoryKube's delete; a deleted Deployment's pods go with it. */
  override async deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[]): Promise<string[]> {
    const before = [...this.objects];
    const gone = await super.deleteManagedObjects(namespace, labelSelector, kinds);
    for (const o of before.filter((x) => !this.objects.includes(x))) this.simPods = this.simPods.filter((p) => !(p.namespace === namespace && p.replicaSet.startsWith(`${o.metadata.name}-`)));
    this.notify();
    return gone;
  }

  // ---------------------------------------------------------------- kubectl command lines (routine steps, cluster checks)

  override async run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    this.calls.push(`run ${args.join(' ')}`);
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (args[0] === 'wait') return ok('node/crashlab-control-plane condition met\n');
    if (args[0] === 'version') return ok(JSON.stringify({ clientVersion: { gitVersion: 'v1.34.1' }, serverVersion: { gitVersion: 'v1.34.1' } }));
    const ns = args[args.indexOf('-n') + 1];
    // A team's readiness check (engine/cluster.ts): `get pods -n NS`, as kubectl prints an empty namespace.
    if (args[0] === 'get' && args[1] === 'pods' && args[2] === '-n') return { exitCode: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` };
    const podName = args[0] === 'logs' ? args[1] : args[2];
    const pod = (await this.getPod(ns, podName)) as Pod | undefined;
    if (args[0] === 'logs') {
      if (!pod) return { exitCode: 1, stdout: '', stderr: `Error from server (NotFound): pods "${podName}" not found\n` };
      return ok(await this.logs(ns, podName, args[args.indexOf('-c') + 1], { previous: args.includes('--previous') }));
    }
    if (args[0] === 'get' && args[1] === 'events') {
      const events = await this.getEvents(ns, args.find((a) => a.startsWith('involvedObject.name='))?.split('=')[1]);
      return ok(['LAST SEEN   TYPE      REASON      OBJECT       MESSAGE', ...events.map((e) => `10s         ${(e.type ?? '').padEnd(9)} ${(e.reason ?? '').padEnd(11)} pod/${e.involvedObject.name}   ${e.message}`)].join('\n'));
    }
    if (!pod) return { exitCode: 1, stdout: '', stderr: `Error from server (NotFound): pods "${podName}" not found\n` };
    const c = pod.status?.containerStatuses?.[0];
    const status = c?.state?.waiting?.reason ?? (c?.state?.running ? 'Running' : 'Pending');
    if (args[0] === 'get' && args.includes('wide')) {
      return ok(`NAME${' '.repeat(Math.max(1, podName.length - 1))}READY   STATUS             RESTARTS   AGE   IP           NODE\n${podName}   ${c?.ready ? 1 : 0}/1     ${status.padEnd(18)} ${String(c?.restartCount ?? 0).padEnd(10)} 2m    10.244.0.7   crashlab-control-plane`);
    }
    if (args[0] === 'get') {
      const t = c?.lastState?.terminated;
      return ok(`${c?.name}\trestarts=${c?.restartCount ?? 0}\treason=${t?.reason ?? ''}\texitCode=${t?.exitCode ?? ''}\tfinishedAt=${t?.finishedAt ?? ''}`);
    }
    if (args[0] === 'describe') {
      const t = c?.lastState?.terminated;
      return ok([`Name:             ${podName}`, `Namespace:        ${ns}`, 'Containers:', `  ${c?.name}:`, '    State:          Waiting', `      Reason:       ${status}`, '    Last State:     Terminated', `      Reason:       ${t?.reason ?? ''}`, `      Exit Code:    ${t?.exitCode ?? ''}`, `    Restart Count:  ${c?.restartCount ?? 0}`].join('\n'));
    }
    return ok('');
  }
}
