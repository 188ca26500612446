/**
 * The scenarios crashlab ships: valid, honest to the images they run (those the test cluster builds), and
 * internally consistent — each broken manifest really contains the fault its scenario.yaml
 * describes, each solution removes it, each not-quite-fix is wrong in the way it claims.
 * Whether real Kubernetes agrees is the cluster suite's job (test/cluster/suite.mjs).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog, packageRoot, type CatalogEntry } from '../../src/adapters/scenarios.js';
import type { Container, Deployment, K8sObject } from '../../src/core/k8s.js';
import { findContainer, findWorkload, prepareForDeploy } from '../../src/core/manifest.js';
import { evaluateGuards } from '../../src/core/verify/guards.js';
import { parseQuantity } from '../../src/core/verify/quantity.js';

const catalog = await loadCatalog(packageRoot());
const FIVE = ['bad-command', 'tight-liveness', 'oom', 'secret-typo', 'readonly-fs'];

function bundle(id: string): CatalogEntry {
  const found = catalog.bundles.find((b) => b.scenario.id === id);
  if (!found) throw new Error(`scenario ${id} not loaded`);
  return found;
}

function workload(objects: K8sObject[], b: CatalogEntry): { deployment: Deployment; app: Container } {
  const deployment = findWorkload(objects, b.scenario.workload.kind, b.scenario.workload.name)!;
  return { deployment, app: findContainer(deployment, b.scenario.workload.container)! };
}

function script(c: Container): string {
  return [...(c.command ?? []), ...(c.args ?? [])].join(' ');
}

describe('the shipped catalog', () => {
  it('validates without a single problem', () => {
    expect(catalog.problems).toEqual([]);
  });

  it('contains the five core scenarios, in picker order', () => {
    expect(catalog.scenarios.map((s) => s.id).slice(0, 5)).toEqual(FIVE);
  });
});

// The generic rules (three hints, real Korean, pinned and declared images, one replica, a short
// grace period, memory limits, manifests pairwise different, regular expressions that compile,
// Pod Security for shared scenarios...) are the one rule set of `crashlab validate`
// (src/core/scenario.ts, src/core/scenarioRules.ts): "validates without a single problem" above
// applies them. What follows is the built-in pack's own policy and each scenario's lesson.
/**
 * What test/cluster builds from Debian packages and imports under the public names (lib.sh,
 * mkimage.sh). busybox:1.36's amd64 manifest is foreign-arch's variant for arm64 nodes only: the
 * amd64 test cluster is given the arm64 one.
 */
const TEST_CLUSTER_IMAGES = [
  'busybox:1.36',
  'busybox@sha256:5e42fbc46b177f10319e8937dd39702e7891ce6d8a42d60c1b4f433f94200bd2',
  'busybox@sha256:907ca53d7e2947e849b839b1cd258c98fd3916c60f2e6e70c30edbf741ab6754',
  'curlimages/curl:8.12.1',
  'alpine/openssl:3.3.2',
];

describe.each(catalog.bundles.map((b) => [b.scenario.id, b] as const))('%s', (_id, b) => {
  const manifests = { broken: b.broken, solution: b.solution, notQuiteFix: b.notQuiteFix ?? [], previous: b.previous ?? [] };

  it('runs only images the test cluster builds under their public names (test/cluster/mkimage.sh)', () => {
    for (const image of b.scenario.images) expect(TEST_CLUSTER_IMAGES).toContain(image);
  });

  it('can be prepared for its namespace', () => {
    for (const objects of Object.values(manifests)) {
      const prepared = prepareForDeploy(objects, { namespace: `crashlab-${b.scenario.id}`, scenarioId: b.scenario.id });
      expect(prepared[0].kind).toBe('Namespace');
    }
  });

  it('ships a not-quite-fix', () => {
    expect(b.notQuiteFix).toBeDefined();
  });
});

describe('each fault is really in the broken manifest and gone from the solution', () => {
  it('bad-command: exec form names a path busybox lacks; the expected runtime message names that path', () => {
    const b = bundle('bad-command');
    const broken = workload(b.broken, b).app.command!;
    expect(broken[0]).toBe('/usr/sbin/httpd');
    expect(workload(b.solution, b).app.command![0]).toBe('/bin/httpd');
    // lastState.terminated.message as containerd 2.1.9 + runc reported it on the test cluster,
    // and the older wording (error during container init, trailing ": unknown").
    const seen = [
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/usr/sbin/httpd": stat /usr/sbin/httpd: no such file or directory',
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/usr/sbin/httpd": stat /usr/sbin/httpd: no such file or directory: unknown',
    ];
    for (const message of seen) expect(message).toMatch(new RegExp(b.scenario.expect.lastTerminated!.message!));
    expect(b.scenario.expect.lastTerminated).toMatchObject({ reason: 'StartError', exitCode: 128 });
    // The guide's "fix" serves nothing; without the readiness probe only the guard catches it.
    const notQuite = workload(b.notQuiteFix!, b).app;
    expect(script(notQuite)).not.toContain('httpd');
    expect(notQuite.readinessProbe).toBeUndefined();
  });

  it('tight-liveness: the liveness probe gives up before boot ends; the startup budget outlasts it', () => {
    const b = bundle('tight-liveness');
    const boot = (c: Container) => Number(/sleep (\d+)/.exec(script(c))![1]);
    const broken = workload(b.broken, b).app;
    const live = broken.livenessProbe!;
    const killedAfter = live.initialDelaySeconds! + live.periodSeconds! * live.failureThreshold!;
    expect(killedAfter).toBeLessThan(boot(broken));
    expect(broken.startupProbe).toBeUndefined();
    const fixed = workload(b.solution, b).app;
    expect(fixed.startupProbe!.periodSeconds! * fixed.startupProbe!.failureThreshold!).toBeGreaterThan(boot(fixed));
    expect(fixed.livenessProbe).toEqual(live);
    expect(b.scenario.expect.lastTerminated).toEqual({ reason: 'Error', exitCode: 137 });
  });

  it('oom: the limit is below the 64 MiB the app allocates; the fix is above it and under the guard max', () => {
    const b = bundle('oom');
    const allocated = 64 * 2 ** 20;
    expect(script(workload(b.broken, b).app)).toContain('bs=64M count=1');
    expect(parseQuantity(workload(b.broken, b).app.resources!.limits!.memory)!).toBeLessThan(allocated);
    const fixed = parseQuantity(workload(b.solution, b).app.resources!.limits!.memory)!;
    expect(fixed).toBeGreaterThan(allocated * 1.2);
    expect(fixed).toBeLessThanOrEqual(parseQuantity('256Mi')!);
    expect(b.scenario.expect.lastTerminated).toEqual({ reason: 'OOMKilled', exitCode: 137 });
  });

  it('secret-typo: the broken reference names a key the Secret lacks; the fixed one names a key it has', () => {
    const b = bundle('secret-typo');
    const keys = (objects: K8sObject[]) => Object.keys((objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'db-secret') as unknown as { stringData: object }).stringData);
    const ref = (objects: K8sObject[]) => workload(objects, b).app.env!.find((e) => e.name === 'DB_PASSWORD')!.valueFrom!.secretKeyRef!;
    expect(keys(b.broken)).not.toContain(ref(b.broken).key);
    expect(ref(b.broken).optional).toBeUndefined();
    expect(keys(b.solution)).toContain(ref(b.solution).key);
    expect('couldn\'t find key passwrod in Secret crashlab-secret-typo/db-secret').toMatch(new RegExp(b.scenario.expect.waitingMessage!));
    // Optional hides the missing key; the app's own check then exits 1.
    expect(ref(b.notQuiteFix!).optional).toBe(true);
    expect(script(workload(b.notQuiteFix!, b).app)).toContain('DB_PASSWORD must be set');
  });

  it('readonly-fs: the app writes under /tmp on a read-only root; the fix mounts an emptyDir there', () => {
    const b = bundle('readonly-fs');
    const broken = workload(b.broken, b);
    expect(script(broken.app)).toContain('> /tmp/inventory-api.lock');
    expect(broken.app.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(broken.app.volumeMounts?.some((m) => m.mountPath === '/tmp')).toBe(false);
    expect(broken.app.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    const fixed = workload(b.solution, b);
    const mount = fixed.app.volumeMounts!.find((m) => m.mountPath === '/tmp')!;
    expect(fixed.deployment.spec.template.spec.volumes!.find((v) => v.name === mount.name)!.emptyDir).toBeDefined();
    expect(fixed.app.securityContext?.readOnlyRootFilesystem).toBe(true);
  });

  it('init-container: the init container reads a path its ConfigMap is not mounted at; the app needs its output', () => {
    const b = bundle('init-container');
    const migrate = (objects: K8sObject[]) => findContainer(workload(objects, b).deployment, 'migrate')!;
    const mountOf = (objects: K8sObject[]) => migrate(objects).volumeMounts!.find((m) => m.name === 'migrations')!.mountPath;
    expect(script(migrate(b.broken))).toContain('cat /migrations/001_create_orders.sql');
    expect(mountOf(b.broken)).not.toBe('/migrations');
    expect(mountOf(b.solution)).toBe('/migrations');
    expect(b.scenario.expect.container).toBe('migrate');
    // Without the init container the app finds no schema and exits 1.
    expect(workload(b.notQuiteFix!, b).deployment.spec.template.spec.initContainers).toBeUndefined();
    expect(script(workload(b.notQuiteFix!, b).app)).toContain('[ -f /work/schema-version ] ||');
  });

  it('probe-path: liveness asks for a page the server lacks, readiness for one it has', () => {
    const b = bundle('probe-path');
    const content = b.broken.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    const served = (path: string) => path.slice(1) in content.data;
    const broken = workload(b.broken, b).app;
    expect(served(broken.livenessProbe!.httpGet!.path!)).toBe(false);
    expect(served(broken.readinessProbe!.httpGet!.path!)).toBe(true);
    const fixed = workload(b.solution, b).app;
    expect(served(fixed.livenessProbe!.httpGet!.path!)).toBe(true);
    expect({ ...fixed.livenessProbe, httpGet: undefined }).toEqual({ ...broken.livenessProbe, httpGet: undefined });
  });

  it('run-as-nonroot: runAsNonRoot without a user on a root image; the fix names a non-root uid', () => {
    const b = bundle('run-as-nonroot');
    const podSecurity = (objects: K8sObject[]) => workload(objects, b).deployment.spec.template.spec.securityContext;
    expect(podSecurity(b.broken)).toEqual({ runAsNonRoot: true });
    expect(workload(b.broken, b).app.securityContext?.runAsUser).toBeUndefined();
    expect(podSecurity(b.solution)?.runAsNonRoot).toBe(true);
    expect(podSecurity(b.solution)?.runAsUser).toBeGreaterThan(0);
  });

  it.each(['bad-command', 'tight-liveness', 'oom', 'secret-typo', 'readonly-fs', 'probe-path', 'run-as-nonroot'])('%s: the not-quite-fix breaks a guard', (id) => {
    const b = bundle(id);
    const results = evaluateGuards(b.scenario.guards, workload(b.notQuiteFix!, b).deployment.spec.template.spec);
    expect(results.some((r) => !r.ok)).toBe(true);
  });
});
