/**
 * The in-memory cluster of the tests: applied objects are kept per namespace, namespaces carry
 * labels, and deletion honours the managed-by guard like the real adapter. The lifecycle and
 * CLI tests script its pods, events and logs; SimCluster (cluster.ts) builds on it and plays
 * the Deployment controller and the kubelet for the UI tests.
 */
import { MANAGED_BY_LABEL, type Deployment, type K8sObject, type KubeEvent, type Pod, type ReplicaSet } from '../../src/core/k8s.js';
import type { Kube, PodWatchEvent, Watch } from '../../src/ports/kube.js';
import type { Progress, ProgressStore } from '../../src/ports/store.js';

export class MemoryKube implements Kube {
  readonly calls: string[] = [];
  readonly namespaces = new Map<string, K8sObject>();
  readonly objects: K8sObject[] = [];
  pods: Pod[] = [];
  events: KubeEvent[] = [];
  previousLogs = '';
  runResults = new Map<string, { exitCode: number; stdout: string; stderr: string }>();

  constructor(readonly context = 'kind-crashlab') {}

  async apply(objects: K8sObject[], namespace: string): Promise<string[]> {
    this.calls.push(`apply -n ${namespace} ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(' ')}`);
    return objects.map((o) => {
      if (o.kind === 'Namespace') {
        this.namespaces.set(o.metadata.name, structuredClone(o));
        return `namespace/${o.metadata.name} serverside-applied`;
      }
      return this.applyObject(structuredClone(o), namespace);
    });
  }
  /** One namespaced object in place of its namesake, as server-side apply leaves it. */
  protected applyObject(o: K8sObject, namespace: string): string {
    const i = this.objects.findIndex((x) => x.kind === o.kind && x.metadata.name === o.metadata.name && x.metadata.namespace === o.metadata.namespace);
    if (i >= 0) this.objects.splice(i, 1);
    this.objects.push(o);
    return `${o.kind.toLowerCase()}/${o.metadata.name} serverside-applied`;
  }
  async getPods(namespace: string, labelSelector?: string): Promise<Pod[]> {
    this.calls.push(`getPods ${namespace} ${labelSelector ?? ''}`.trim());
    const [key, value] = (labelSelector ?? '=').split('=');
    return this.pods.filter((p) => p.metadata.namespace === namespace && (!key || p.metadata.labels?.[key] === value));
  }
  async getPod(namespace: string, name: string) {
    return this.pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  }
  async getDeployment(namespace: string, name: string) {
    this.calls.push(`getDeployment ${namespace} ${name}`);
    return this.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === namespace && o.metadata.name === name) as Deployment | undefined;
  }
  async getReplicaSets(_namespace?: string, _labelSelector?: string): Promise<ReplicaSet[]> {
    return [];
  }
  async getEvents(namespace: string, involvedObjectName?: string) {
    return this.events.filter((e) => e.metadata.namespace === namespace && (!involvedObjectName || e.involvedObject.name === involvedObjectName));
  }
  async getNamespace(name: string) {
    return this.namespaces.get(name);
  }
  async logs(namespace: string, pod: string, container: string, options?: { previous?: boolean }) {
    this.calls.push(`logs ${namespace} ${pod} ${container}${options?.previous ? ' --previous' : ''}`);
    return options?.previous ? this.previousLogs : '';
  }
  watchPods(_ns: string, _sel: string | undefined, _onEvent: (e: PodWatchEvent) => void): Watch {
    return { done: Promise.resolve(), cancel: () => undefined };
  }
  async deleteManagedNamespace(name: string) {
    this.calls.push(`deleteManagedNamespace ${name}`);
    const ns = this.namespaces.get(name);
    if (!ns) return 'absent' as const;
    if (ns.metadata.labels?.[MANAGED_BY_LABEL] !== 'crashlab') return 'refused' as const;
    this.namespaces.delete(name);
    for (let i = this.objects.length - 1; i >= 0; i--) if (this.objects[i].metadata.namespace === name) this.objects.splice(i, 1);
    return 'deleted' as const;
  }
  async deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[]) {
    this.calls.push(`deleteManagedObjects ${namespace} ${labelSelector}`);
    // `key=value` must match; a bare `key` only has to exist (kubectl's existence selector).
    const wanted = [`${MANAGED_BY_LABEL}=crashlab`, ...labelSelector.split(',')].filter(Boolean).map((r) => r.split('='));
    const deleted: string[] = [];
    for (let i = this.objects.length - 1; i >= 0; i--) {
      const o = this.objects[i];
      if (o.metadata.namespace !== namespace || !kinds.includes(o.kind)) continue;
      if (!wanted.every(([k, v]) => (v === undefined ? o.metadata.labels?.[k] !== undefined : o.metadata.labels?.[k] === v))) continue;
      this.objects.splice(i, 1);
      deleted.push(`${o.kind.toLowerCase()} "${o.metadata.name}" deleted`);
    }
    return deleted;
  }
  async run(args: string[]) {
    this.calls.push(`run ${args.join(' ')}`);
    return this.runResults.get(args[0]) ?? { exitCode: 0, stdout: `output of ${args[0]}`, stderr: '' };
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
