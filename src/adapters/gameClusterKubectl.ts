/**
 * The game day's cluster port (ports/gameCluster.ts) over kubectl, on the one kubectl core
 * (adapters/kubectl.ts KubectlCore): `kubectl get --raw '/api/v1/pods?watch=1&labelSelector=…'`
 * for the two game-wide watches (one kubectl process, one API watch connection each),
 * `kubectl replace`/`create` with the object's resourceVersion for compare-and-swap writes, and
 * provisioning (access reviews, server-side apply, TokenRequests, labelled deletes).
 */
import { readFile } from 'node:fs/promises';
import type { Deployment, K8sObject, Pod } from '../core/k8s.js';
import type { AccessCheck } from '../core/gameday/rbac.js';
import type { Endpoint } from '../core/gameday/objects.js';
import type { Watch } from '../ports/kube.js';
import { isPortError, kubeError } from '../ports/errors.js';
import type { ConfigMap, GameCluster, IssuedToken, WatchEvent } from '../ports/gameCluster.js';
import { JsonObjectSplitter, KubectlCore, kubeErrorFrom, nonEmptyLines, rawWatch, shaped, streamWatch, type KubectlOptions, type Outcome } from './kubectl.js';
import { asShape } from '../core/k8sSchema.js';
import { KUBECTL_CONCURRENCY, mapLimit } from '../core/limit.js';

export type GameClusterKubectlOptions = KubectlOptions;

export class GameClusterKubectl extends KubectlCore implements GameCluster {
  /** A lost compare-and-swap (409) or a create that found the object: a conflict, the engine retries. */
  protected override failure(outcome: Outcome, args: readonly string[]): Error {
    if (/\(Conflict\)|the object has been modified|AlreadyExists|already exists/.test(outcome.stderr)) return kubeError(outcome.stderr.trim(), 'conflict');
    return super.failure(outcome, args);
  }

  /** Every namespace's `resource` (a core/v1 one) with the label: the API server's stream through `kubectl get --raw`. */
  private watch<T>(resource: 'pods' | 'configmaps', shape: 'pod' | 'object', labelSelector: string, onEvent: (event: WatchEvent<T>) => void, onError?: (error: Error) => void): Watch {
    return streamWatch(
      { bin: this.tool.bin ?? 'kubectl', env: this.tool.env ?? process.env, signal: this.tool.signal },
      rawWatch(this.globalArgs(), `/api/v1/${resource}?watch=1&labelSelector=${encodeURIComponent(labelSelector)}`),
      (type, object) => {
        // A wrong-shaped object is reported through onError (streamWatch catches), never half-read.
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent({ type, object: shaped(() => asShape(shape, object)) as T });
      },
      (outcome) =>
        outcome.exitCode === 0 && !outcome.spawnError ? kubeError(`the ${resource} watch ended (the API server closed it)`, 'other') : kubeErrorFrom(outcome, this.context, this.timeoutMs),
      (message, raw) => kubeError(`${resource} watch error: ${message}`, 'other', raw),
      onError,
    );
  }

  watchPods(labelSelector: string, onEvent: (event: WatchEvent<Pod>) => void, onError?: (error: Error) => void): Watch {
    return this.watch<Pod>('pods', 'pod', labelSelector, onEvent, onError);
  }

  watchConfigMaps(labelSelector: string, onEvent: (event: WatchEvent<ConfigMap>) => void, onError?: (error: Error) => void): Watch {
    return this.watch<ConfigMap>('configmaps', 'object', labelSelector, onEvent, onError);
  }

  listPods(labelSelector: string): Promise<Pod[]> {
    return this.list('pod', ['pods', '-A', '-l', labelSelector]);
  }

  async listConfigMaps(labelSelector: string): Promise<ConfigMap[]> {
    return (await this.list('object', ['configmaps', '-A', '-l', labelSelector])) as ConfigMap[];
  }

  async getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return (await this.getRaw(['configmap', name, '-n', namespace])) as ConfigMap | undefined;
  }

  async writeConfigMap(configMap: ConfigMap): Promise<ConfigMap> {
    const body = JSON.stringify({ ...configMap, apiVersion: 'v1', kind: 'ConfigMap' });
    const ns = configMap.metadata.namespace;
    if (!ns) throw kubeError('a ConfigMap needs a namespace', 'invalid');
    // replace with metadata.resourceVersion is a compare-and-swap: 409 Conflict if it moved.
    const verb = configMap.metadata.resourceVersion ? 'replace' : 'create';
    return JSON.parse(await this.call([verb, '-n', ns, '-f', '-', '-o', 'json'], body)) as ConfigMap;
  }

  async replaceConfigMaps(configMaps: ConfigMap[]): Promise<ConfigMap[]> {
    if (configMaps.length === 0) return [];
    const list = { apiVersion: 'v1', kind: 'List', items: configMaps.map((cm) => ({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' })) };
    // kubectl replaces a list one object at a time and goes on past a conflict (exit 1): what it
    // printed is what was written; the rest is the caller's to write again.
    const outcome = await this.exec(['replace', '-f', '-', '-o', 'json'], JSON.stringify(list));
    if (outcome.spawnError || outcome.timedOut || outcome.canceled) throw this.failure(outcome, ['replace']);
    return new JsonObjectSplitter().push(outcome.stdout).map((text) => JSON.parse(text) as ConfigMap);
  }

  async findDeployments(namespace: string, labelSelector: string): Promise<Deployment[]> {
    return ((await this.getRaw(['deployments.apps', '-n', namespace, '-l', labelSelector])) as { items?: Deployment[] } | undefined)?.items ?? [];
  }

  async getSecretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const secret = (await this.getRaw(['secret', name, '-n', namespace])) as (K8sObject & { data?: Record<string, string> }) | undefined;
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
      if (isPortError(error, 'kubectl', 'conflict')) return false;
      throw error;
    }
  }

  // ---- provisioning (create, tokens, end), on the instructor's credentials

  async accessReview(checks: AccessCheck[]): Promise<boolean[]> {
    if (checks.length === 0) return [];
    const items = checks.map((c) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: c.verb, group: c.group, resource: c.resource, subresource: c.subresource, namespace: c.namespace } },
    }));
    // One kubectl process for every question (it posts them one by one).
    const out = await this.call(['create', '-f', '-', '-o', 'json'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    // kubectl prints one JSON document per created object (not a List).
    const docs = new JsonObjectSplitter().push(out).map((text) => JSON.parse(text) as { items?: { status?: { allowed?: boolean } }[]; status?: { allowed?: boolean } });
    const answers = docs.flatMap((d) => d.items ?? [d]);
    if (answers.length !== checks.length) throw kubeError(`expected ${checks.length} access reviews, kubectl returned ${answers.length}`, 'other');
    return answers.map((a) => a.status?.allowed === true);
  }

  async applyObjects(objects: K8sObject[]): Promise<string[]> {
    const list = { apiVersion: 'v1', kind: 'List', items: objects };
    const out = await this.call(['apply', '--server-side', '--field-manager=crashlab', '--force-conflicts', '-f', '-'], JSON.stringify(list));
    return nonEmptyLines(out);
  }

  async createToken(namespace: string, serviceAccount: string, seconds: number): Promise<IssuedToken> {
    const out = await this.call(['create', 'token', serviceAccount, '-n', namespace, `--duration=${seconds}s`, '-o', 'json']);
    const parsed = JSON.parse(out) as { status?: { token?: string; expirationTimestamp?: string } };
    if (!parsed.status?.token || !parsed.status.expirationTimestamp) throw kubeError('the TokenRequest came back without a token', 'other', out);
    return { token: parsed.status.token, expiresAt: parsed.status.expirationTimestamp };
  }

  async endpoint(): Promise<Endpoint> {
    const out = await this.call(['config', 'view', '--minify', '--raw', '-o', 'json']);
    const config = JSON.parse(out) as { clusters?: { cluster?: Record<string, unknown> }[] };
    const cluster = config.clusters?.[0]?.cluster;
    const server = cluster?.server;
    if (typeof server !== 'string') throw kubeError(`context "${this.context}" names no cluster server`, 'other');
    const data = cluster?.['certificate-authority-data'];
    if (typeof data === 'string') return { server, caData: data };
    const file = cluster?.['certificate-authority'];
    if (typeof file === 'string') {
      try {
        return { server, caData: Buffer.from(await readFile(file)).toString('base64') };
      } catch (error) {
        throw kubeError(`cannot read the cluster CA file ${file} of context "${this.context}": ${(error as Error).message}`, 'other');
      }
    }
    return { server, insecure: cluster?.['insecure-skip-tls-verify'] === true };
  }

  async listNamespaces(labelSelector: string): Promise<K8sObject[]> {
    return this.list('object', ['namespaces', '-l', labelSelector]);
  }

  listLabelled(namespace: string | undefined, kinds: string[], labelSelector: string): Promise<K8sObject[]> {
    return this.list('object', [kinds.join(','), ...(namespace === undefined ? ['--all-namespaces'] : ['-n', namespace]), '-l', labelSelector]);
  }

  async deleteNamespaces(names: string[], labelSelector: string, options: { wait: boolean }): Promise<string[]> {
    // One namespace a call (a name and a selector cannot go together in one delete), several at once.
    const gone = await mapLimit(names, KUBECTL_CONCURRENCY, async (name) => {
      // The selector repeats the guard in the delete itself (see deleteManagedNamespace).
      const out = await this.call(['delete', 'namespace', '--field-selector', `metadata.name=${name}`, '-l', labelSelector, `--wait=${options.wait}`, '--ignore-not-found']);
      return out.includes(`namespace "${name}" deleted`);
    });
    return names.filter((_, i) => gone[i]);
  }

  async waitNamespacesGone(names: string[], timeoutSeconds: number): Promise<void> {
    if (names.length === 0) return;
    await this.call(['wait', '--for=delete', ...names.map((n) => `namespace/${n}`), `--timeout=${timeoutSeconds}s`]);
  }

  async serves(groupVersion: string, resource: string): Promise<boolean> {
    const outcome = await this.exec(['get', '--raw', `/apis/${groupVersion}`]);
    if (outcome.exitCode !== 0 || outcome.spawnError || outcome.timedOut || outcome.canceled) {
      const error = kubeErrorFrom(outcome, this.context, this.timeoutMs);
      // An API server without that group version answers 404.
      if (error.kind === 'not-found') return false;
      throw error;
    }
    try {
      const list = JSON.parse(outcome.stdout) as { resources?: { name?: string }[] };
      return (list.resources ?? []).some((r) => r.name === resource);
    } catch {
      throw kubeError(`kubectl get --raw /apis/${groupVersion} printed something that is not JSON`, 'other', outcome.stdout.slice(0, 200));
    }
  }

  listClusterLabelled(kinds: string[], labelSelector: string): Promise<K8sObject[]> {
    return this.list('object', [kinds.join(','), '-l', labelSelector]);
  }

  async deleteClusterObject(kind: string, name: string, labelSelector: string): Promise<boolean> {
    // The selector repeats the guard in the delete itself (see deleteManagedNamespace).
    const out = await this.call(['delete', kind, '--field-selector', `metadata.name=${name}`, '-l', labelSelector, '--wait=false', '--ignore-not-found']);
    return out.includes(`"${name}" deleted`);
  }
}
