import { describe, expect, it } from 'vitest';
import { cleanForEdit, formatManifestProblem, parseManifest, prepareForDeploy } from '../../../src/core/manifest.js';
import type { Deployment, K8sObject } from '../../../src/core/k8s.js';

const WORKLOAD = `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-content
data:
  healthz: ok
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: busybox:1.36
`;

function objects(text = WORKLOAD): K8sObject[] {
  const parsed = parseManifest(text);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatManifestProblem).join('\n'));
  return parsed.objects;
}

describe('parseManifest', () => {
  it('reads every document and skips empty ones', () => {
    expect(objects().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/web-content', 'Deployment/web']);
  });

  it('names the line and column of malformed YAML', () => {
    const parsed = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0].line).toBe(5);
    expect(formatManifestProblem(parsed.problems[0])).toMatch(/^line 5, column \d+: bad indentation/);
  });

  it('names the document and field of an object without a name', () => {
    const parsed = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {}\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map(formatManifestProblem)).toEqual(['document 2: metadata.name: must be a non-empty string']);
  });

  it('rejects a document that is not a mapping', () => {
    const parsed = parseManifest('- just\n- a list\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formatManifestProblem(parsed.problems[0])).toBe('document 1: expected a Kubernetes object (a mapping), got a list');
  });
});

describe('prepareForDeploy', () => {
  const prepared = () => prepareForDeploy(objects(), { namespace: 'crashlab-oom', scenarioId: 'oom' });
  const crashlabLabels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/scenario': 'oom' };

  it('puts a labelled Namespace first', () => {
    expect(prepared()[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crashlab-oom', labels: crashlabLabels } });
  });

  it('sets the namespace and crashlab labels on every object, keeping its own labels', () => {
    const [, configMap, deployment] = prepared();
    expect(configMap.metadata).toEqual({ name: 'web-content', namespace: 'crashlab-oom', labels: crashlabLabels });
    expect(deployment.metadata.labels).toEqual({ app: 'web', ...crashlabLabels });
  });

  it('labels the pod template but leaves the immutable selector alone', () => {
    const deployment = prepared()[2] as unknown as Deployment;
    expect(deployment.spec.template.metadata?.labels).toEqual({ app: 'web', ...crashlabLabels });
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
  });

  it('does not change the objects it was given', () => {
    const input = objects();
    const before = JSON.stringify(input);
    prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('accepts an object that already names the target namespace', () => {
    const input = objects();
    input[0].metadata.namespace = 'crashlab-oom';
    expect(prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' })[1].metadata.namespace).toBe('crashlab-oom');
  });

  it('refuses an object pinned to another namespace', () => {
    const input = objects();
    input[1].metadata.namespace = 'kube-system';
    expect(() => prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' })).toThrow(
      /Deployment\/web sets namespace "kube-system", but it is being deployed into "crashlab-oom"/,
    );
  });

  it.each(['Namespace', 'ClusterRole', 'PersistentVolume'])('refuses cluster-scoped %s', (kind) => {
    const input = [...objects(), { apiVersion: 'v1', kind, metadata: { name: 'x' } }];
    expect(() => prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' })).toThrow(expect.objectContaining({ kind: 'manifest' }));
    expect(() => prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' })).toThrow(/is cluster-scoped/);
  });

  it('refuses kinds it does not know', () => {
    const input = [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }];
    expect(() => prepareForDeploy(input, { namespace: 'crashlab-oom', scenarioId: 'oom' })).toThrow(/does not deploy kind Widget/);
  });

  it('refuses a namespace name kubectl would reject', () => {
    expect(() => prepareForDeploy(objects(), { namespace: 'Crashlab_OOM', scenarioId: 'oom' })).toThrow(/not a valid name/);
  });
});

describe('cleanForEdit', () => {
  it('strips status and server-owned metadata, keeps the spec and other annotations', () => {
    const live = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'crashlab-oom',
        uid: '3f1c2a9e-7b4d-4c1e-9a55-2d6f0b8e1c44',
        resourceVersion: '48213',
        generation: 3,
        creationTimestamp: '2026-11-24T15:02:11Z',
        labels: { app: 'web' },
        annotations: {
          'deployment.kubernetes.io/revision': '3',
          'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1"}\n',
        },
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      },
      spec: { replicas: 1 },
      status: { observedGeneration: 3, replicas: 1 },
    };
    expect(cleanForEdit(live)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'crashlab-oom', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 1 },
    });
    expect(live.status).toBeDefined();
  });

  it('drops the annotations map when only last-applied was in it', () => {
    const cleaned = cleanForEdit({ metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } });
    expect(cleaned.metadata).toEqual({ name: 'x' });
  });
});
