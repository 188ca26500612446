/**
 * The GameCluster port over kubectl: `kubectl get … -A -l … --watch --output-watch-events -o
 * json` for the two game-wide watches (one kubectl process, one API watch connection each),
 * `kubectl replace`/`create` with the object's resourceVersion for compare-and-swap writes.
 */
import type { Deployment, K8sObject, List, Pod } from '../core/k8s.js';
import { KubeError, type Watch } from '../ports/kube.js';
import { ConflictError, type ConfigMap, type GameCluster, type WatchEvent } from '../ports/gameCluster.js';
import { kubeErrorFrom, runKubectl, shaped, streamWatch } from './kubectl.js';
import { asList, asShape } from '../core/k8sSchema.js';

export interface GameClusterKubectlOptions {
  context: string;
  kubeconfig?: string;
  bin?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Stops running kubectl processes (with their children) and refuses new calls. */
  signal?: AbortSignal;
  /** Called when a call has been waiting 2 s (the caller says it once). */
  onSlow?: (info: { context: string; timeoutMs: number }) => void;
}

export class GameClusterKubectl implements GameCluster {
  readonly context: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: GameClusterKubectlOptions) {
    this.context = options.context;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  private args(args: string[]): string[] {
    return ['--context', this.context, ...(this.options.kubeconfig ? ['--kubeconfig', this.options.kubeconfig] : []), ...args];
  }

  private async call(args: string[], input?: string): Promise<string> {
    const onSlow = this.options.onSlow;
    const outcome = await runKubectl(
      this.args(args),
      { bin: this.options.bin, env: this.options.env, timeoutMs: this.timeoutMs, signal: this.options.signal, onSlow: onSlow ? () => onSlow({ context: this.context, timeoutMs: this.timeoutMs }) : undefined },
      input,
    );
    if (outcome.exitCode !== 0 || outcome.spawnError || outcome.timedOut || outcome.canceled) {
      if (/\(Conflict\)|the object has been modified|AlreadyExists|already exists/.test(outcome.stderr)) throw new ConflictError(outcome.stderr.trim());
      throw kubeErrorFrom(outcome, this.context, this.timeoutMs);
    }
    return outcome.stdout;
  }

  private async getJson<T>(args: string[]): Promise<T | undefined> {
    try {
      return JSON.parse(await this.call(['get', ...args, '-o', 'json'])) as T;
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  private watch<T>(resource: string, shape: 'pod' | 'object', labelSelector: string, onEvent: (event: WatchEvent<T>) => void, onError?: (error: Error) => void): Watch {
    return streamWatch(
      { bin: this.options.bin ?? 'kubectl', env: this.options.env ?? process.env, signal: this.options.signal },
      this.args(['get', resource, '-A', '-l', labelSelector]),
      (type, object) => {
        // A wrong-shaped object is reported through onError (streamWatch catches), never half-read.
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent({ type, object: shaped(() => asShape(shape, object)) as T });
      },
      (outcome) =>
        outcome.exitCode === 0 && !outcome.spawnError ? new KubeError(`the ${resource} watch ended (the API server closed it)`, 'other') : kubeErrorFrom(outcome, this.context, this.timeoutMs),
      (message, raw) => new KubeError(`${resource} watch error: ${message}`, 'other', raw),
      onError,
    );
  }

  watchPods(labelSelector: string, onEvent: (event: WatchEvent<Pod>) => void, onError?: (error: Error) => void): Watch {
    return this.watch<Pod>('pods', 'pod', labelSelector, onEvent, onError);
  }

  watchConfigMaps(labelSelector: string, onEvent: (event: WatchEvent<ConfigMap>) => void, onError?: (error: Error) => void): Watch {
    return this.watch<ConfigMap>('configmaps', 'object', labelSelector, onEvent, onError);
  }

  async listPods(labelSelector: string): Promise<Pod[]> {
    const list = await this.getJson<unknown>(['pods', '-A', '-l', labelSelector]);
    return list === undefined ? [] : shaped(() => asList('pod', list)).items;
  }

  async listConfigMaps(labelSelector: string): Promise<ConfigMap[]> {
    const list = await this.getJson<unknown>(['configmaps', '-A', '-l', labelSelector]);
    return list === undefined ? [] : (shaped(() => asList('object', list)).items as ConfigMap[]);
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.getJson<ConfigMap>(['configmap', name, '-n', namespace]);
  }

  async writeConfigMap(configMap: ConfigMap): Promise<ConfigMap> {
    const body = JSON.stringify({ ...configMap, apiVersion: 'v1', kind: 'ConfigMap' });
    const ns = configMap.metadata.namespace;
    if (!ns) throw new KubeError('a ConfigMap needs a namespace', 'invalid');
    // replace with metadata.resourceVersion is a compare-and-swap: 409 Conflict if it moved.
    const verb = configMap.metadata.resourceVersion ? 'replace' : 'create';
    return JSON.parse(await this.call([verb, '-n', ns, '-f', '-', '-o', 'json'], body)) as ConfigMap;
  }

  async applyObjects(objects: K8sObject[]): Promise<string[]> {
    const out = await this.call(['apply', '--server-side', '--field-manager=crashlab', '--force-conflicts', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    return out.split('\n').filter((l) => l.trim() !== '');
  }

  async findDeployments(namespace: string, labelSelector: string): Promise<Deployment[]> {
    return (await this.getJson<List<Deployment>>(['deployments.apps', '-n', namespace, '-l', labelSelector]))?.items ?? [];
  }

  async listNamespaces(labelSelector: string): Promise<K8sObject[]> {
    return (await this.getJson<List<K8sObject>>(['namespaces', '-l', labelSelector]))?.items ?? [];
  }

  async getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const secret = await this.getJson<K8sObject & { data?: Record<string, string> }>(['secret', name, '-n', namespace]);
    return secret ? (secret.data ?? {}) : undefined;
  }

  async serverTime(namespace: string): Promise<string> {
    // A dry-run create runs the API server's registry (which stamps creationTimestamp) and stores nothing.
    const out = await this.call(['create', 'configmap', 'crashlab-clock', '-n', namespace, '--dry-run=server', '-o', 'jsonpath={.metadata.creationTimestamp}']);
    return out.trim();
  }

  async createSecret(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string>): Promise<boolean> {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace, labels }, data });
    try {
      await this.call(['create', '-n', namespace, '-f', '-'], body);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }
}
