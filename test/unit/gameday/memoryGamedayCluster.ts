/**
 * An in-memory GamedayCluster (what `gameday create/end` ask of a cluster) and GameFiles, for
 * the engine and CLI tests. Server-side apply keeps fields an applied object leaves out, like
 * the API server; `servesPolicies = false` plays a cluster older than Kubernetes 1.30.
 */
import type { K8sObject } from '../../../src/core/k8s.js';
import type { AccessCheck } from '../../../src/core/gameday/rbac.js';
import type { GameFiles, GamedayCluster, IssuedToken } from '../../../src/ports/gameday.js';

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

export class MemoryGameCluster implements GamedayCluster {
  readonly context = 'test';
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
  constructor(private now: () => number) {}
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
  async applyObjects(objects: K8sObject[]) {
    // Server-side apply: fields the applied object leaves out (a ConfigMap's data) stay.
    for (const o of objects) {
      if (RESOURCE_OF[o.kind] && !this.servesPolicies) throw new Error(`no matches for kind "${o.kind}" in version "${o.apiVersion}"`);
      const key = this.key(o.kind, o.metadata.namespace, o.metadata.name);
      this.objects.set(key, { ...this.objects.get(key), ...structuredClone(o), ...this.podStatus(o) });
    }
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

