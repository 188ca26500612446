import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonLineSplitter, JsonObjectSplitter, Kubectl, replaceFailures, type KubectlOptions } from '../../../src/adapters/kubectl.js';
import type { K8sObject } from '../../../src/core/k8s.js';
import { type PodWatchEvent } from '../../../src/ports/kube.js';
import { FAKES_DIR, isAlive, readPid, setupFakes, type FakeRule, type Fakes } from '../../fakes/index.js';
import { PortError } from '../../../src/ports/errors.js';

const NS = 'crashlab-bad-command';
const POD = 'web-w9qrrfhvj5-6xv9b';
const CTX = ['--context', 'kind-crashlab'];

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

function kubectlWith(
  rules: FakeRule[] | ((dir: string) => FakeRule[]),
  options: Partial<Pick<KubectlOptions, 'context' | 'kubeconfig' | 'timeoutMs' | 'signal' | 'onSlow'>> & { tools?: ('kubectl' | 'kind' | 'docker')[] } = {},
): Kubectl {
  fakes = setupFakes(rules, options.tools);
  const { tools: _tools, ...rest } = options;
  return new Kubectl({ context: 'kind-crashlab', env: fakes.env, ...rest });
}

function argvs(): string[][] {
  return fakes!.calls().map((c) => c.argv);
}

async function rejection(promise: Promise<unknown>): Promise<PortError<'kubectl'>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PortError);
  expect((error as PortError).port).toBe('kubectl');
  return error as PortError<'kubectl'>;
}

describe('Kubectl reads', () => {
  it('gets one pod as JSON with the context flag first', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['get', 'pod', POD], stdoutFile: 'kubectl/get-pod.json' }]);
    const pod = await kube.getPod(NS, POD);
    expect(pod?.metadata.name).toBe(POD);
    expect(pod?.status?.containerStatuses?.[0].lastState?.terminated?.reason).toBe('StartError');
    expect(argvs()).toEqual([[...CTX, 'get', 'pod', POD, '-n', NS, '-o', 'json']]);
  });

  it('passes --kubeconfig on every call when one is given', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['get', 'pods'], stdoutFile: 'kubectl/get-pods.json' }], { kubeconfig: '/tmp/participant-7.kubeconfig' });
    const pods = await kube.getPods(NS, 'app=web');
    expect(pods.map((p) => p.metadata.name)).toEqual([POD]);
    expect(argvs()).toEqual([[...CTX, '--kubeconfig', '/tmp/participant-7.kubeconfig', 'get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json']]);
  });

  it('maps NotFound to undefined for single objects', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['get', 'pod'], stderrFile: 'kubectl/notfound-pod.stderr', exit: 1 },
      { tool: 'kubectl', args: ['get', 'deployment.apps'], stderrFile: 'kubectl/notfound-deployment.stderr', exit: 1 },
      { tool: 'kubectl', args: ['get', 'namespace'], stderrFile: 'kubectl/notfound-namespace.stderr', exit: 1 },
    ]);
    expect(await kube.getPod(NS, POD)).toBeUndefined();
    expect(await kube.getDeployment(NS, 'web')).toBeUndefined();
    expect(await kube.getNamespace(NS)).toBeUndefined();
    expect(argvs()[1]).toEqual([...CTX, 'get', 'deployment.apps', 'web', '-n', NS, '-o', 'json']);
  });

  it('lists events, only about one object when asked', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['get', 'events'], stdoutFile: 'kubectl/get-events.json' }]);
    const events = await kube.getEvents(NS, POD);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.involvedObject.name === POD)).toBe(true);
    await kube.getEvents(NS);
    await kube.getReplicaSets(NS, 'app=web').catch(() => undefined);
    expect(argvs()[0]).toEqual([...CTX, 'get', 'events', '-n', NS, '--field-selector', `involvedObject.name=${POD}`, '-o', 'json']);
    expect(argvs()[1]).toEqual([...CTX, 'get', 'events', '-n', NS, '-o', 'json']);
  });

  it('reads logs with --previous/--tail/--timestamps', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['logs', '--previous'], stdoutFile: 'kubectl/logs-previous.stdout' }]);
    const text = await kube.logs(NS, POD, 'app', { previous: true, tail: 50, timestamps: true });
    expect(text).toContain('open /etc/app/config.yaml: no such file or directory');
    expect(argvs()).toEqual([[...CTX, 'logs', POD, '-n', NS, '-c', 'app', '--previous', '--tail=50', '--timestamps']]);
  });

  it('returns no text, not an error, when there is no previous container or it never started', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['logs', '--previous'], stderrFile: 'kubectl/logs-previous-missing.stderr', exit: 1 },
      { tool: 'kubectl', args: ['logs'], stderrFile: 'kubectl/logs-waiting.stderr', exit: 1 },
    ]);
    expect(await kube.logs(NS, POD, 'app', { previous: true })).toBe('');
    expect(await kube.logs(NS, POD, 'app')).toBe('');
  });

  it('still fails logs for other errors', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['logs'], stderrFile: 'kubectl/notfound-pod.stderr', exit: 1 }]);
    expect((await rejection(kube.logs(NS, POD, 'app'))).kind).toBe('not-found');
  });
});

describe('Kubectl errors', () => {
  it('connection refused → unreachable with the hint, without klog noise', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', stderrFile: 'kubectl/refused.stderr', exit: 1 }]);
    const error = await rejection(kube.getPods(NS));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      'cannot reach the cluster of context "kind-crashlab": The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port? Start the lab cluster with `crashlab up` (if it exists but is stopped: `docker start crashlab-control-plane`).',
    );
    expect(error.message).not.toContain('memcache.go');
  });

  it('an unknown context → unreachable, saying how to get it', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', stderrFile: 'kubectl/context-missing.stderr', exit: 1 }]);
    const error = await rejection(kube.getPod(NS, POD));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe('context "kind-crashlab" is not in your kubeconfig. Create the lab cluster with `crashlab up` (or, if the kind cluster exists, `kind export kubeconfig --name crashlab`).');
  });

  it('Forbidden → forbidden with kubectl’s words', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', stderrFile: 'kubectl/forbidden.stderr', exit: 1 }]);
    const error = await rejection(kube.getPods('kube-system'));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe('pods is forbidden: User "system:serviceaccount:workshop:alice" cannot list resource "pods" in API group "" in the namespace "kube-system"');
  });

  it('kubectl missing from PATH → missing-tool with the install link', async () => {
    const kube = kubectlWith([], { tools: ['kind'] });
    const error = await rejection(kube.getPods(NS));
    expect(error.kind).toBe('missing-tool');
    expect(error.message).toBe('kubectl not found on PATH: install it: https://kubernetes.io/docs/tasks/tools/');
  });

  it('a server that never answers → unreachable after the timeout', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', hang: true }], { timeoutMs: 300 });
    const error = await rejection(kube.getPods(NS));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/^kubectl got no answer from the cluster of context "kind-crashlab" within 0.3 s \(--request-timeout to change\)\./);
  });

  it('a non-kind context that cannot be reached is not told to run `crashlab up`', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', stderrFile: 'kubectl/refused.stderr', exit: 1 }], { context: 'prod-eu' });
    const error = await rejection(kube.getPod(NS, POD));
    expect(error.message).toBe(
      'cannot reach the cluster of context "prod-eu": The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port? Check that the cluster is running and your credentials work: `kubectl --context prod-eu cluster-info`.',
    );
    expect(error.message).not.toContain('crashlab up');
  });

  it('aborting the signal stops a running kubectl and refuses new calls', async () => {
    const controller = new AbortController();
    const kube = kubectlWith([{ tool: 'kubectl', hang: true }], { signal: controller.signal });
    const pending = rejection(kube.getPods(NS));
    setTimeout(() => controller.abort(), 200);
    const error = await pending;
    expect(error.message).toBe('kubectl was stopped: crashlab was interrupted');
    const before = fakes!.calls().length;
    expect((await rejection(kube.getPods(NS))).message).toBe('kubectl was stopped: crashlab was interrupted');
    expect(fakes!.calls().length).toBe(before);
  });

  it('a call that waits on purpose (delete --wait, rollout status) is not cut off by a short request timeout', async () => {
    // The fake answers after 800 ms: what a namespace delete waiting for its pods looks like, slowed down.
    const kube = kubectlWith(
      [
        { tool: 'kubectl', args: ['delete'], stdout: 'namespace "crashlab-oom" deleted\n', lineDelayMs: 800 },
        { tool: 'kubectl', args: ['rollout'], stdout: 'deployment "app" successfully rolled out\n', lineDelayMs: 800 },
        { tool: 'kubectl', args: ['get'], stdout: 'No resources found\n', lineDelayMs: 800 },
      ],
      { timeoutMs: 300 },
    );
    expect(await kube.run(['delete', 'namespace', 'crashlab-oom', '--wait=true'])).toMatchObject({ exitCode: 0, stdout: 'namespace "crashlab-oom" deleted\n' });
    expect((await kube.run(['rollout', 'status', 'deployment/app'])).exitCode).toBe(0);
    // An ordinary request still gives up at the request timeout.
    const plain = await kube.run(['get', 'pods']);
    expect(plain.exitCode).toBe(124);
    expect(plain.stderr).toMatch(/within 0.3 s/);
  });

  it('a slow call is reported once, after 2 s', async () => {
    const slow: { context: string; timeoutMs: number }[] = [];
    const kube = kubectlWith([{ tool: 'kubectl', hang: true }], { timeoutMs: 2600, onSlow: (info) => slow.push(info) });
    await rejection(kube.getPods(NS));
    await rejection(kube.getPods(NS));
    expect(slow).toEqual([{ context: 'kind-crashlab', timeoutMs: 2600 }]);
  }, 10_000);
});

describe('Kubectl apply', () => {
  const objects: K8sObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'app.kubernetes.io/managed-by': 'crashlab' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'crashlab' } }, spec: { replicas: 1 } },
  ];

  it('server-side applies the objects as one List on stdin', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['apply'], stdoutFile: 'kubectl/apply.stdout' }]);
    const lines = await kube.apply(objects, NS);
    expect(lines).toEqual(['namespace/crashlab-bad-command serverside-applied', 'deployment.apps/web serverside-applied']);
    const [call] = fakes!.calls();
    expect(call.argv).toEqual([...CTX, 'apply', '--server-side', '--field-manager=crashlab', '--force-conflicts', '-n', NS, '-f', '-']);
    expect(JSON.parse(call.stdin!)).toEqual({ apiVersion: 'v1', kind: 'List', items: objects });
  });

  // replace-partial.*: real kubectl 1.34 output of `replace -f -` with one existing and one
  // missing ConfigMap (test cluster, 2026-11-30).
  it('exact: replaces the existing objects whole first (not the Namespace), a missing one is left to the apply', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['replace'], stdoutFile: 'kubectl/replace-partial.stdout', stderrFile: 'kubectl/replace-partial.stderr', exit: 1 },
      { tool: 'kubectl', args: ['apply'], stdoutFile: 'kubectl/apply.stdout' },
    ]);
    await kube.apply(objects, NS, { exact: true });
    const [replace, apply] = fakes!.calls();
    expect(replace.argv).toEqual([...CTX, 'replace', '-n', NS, '-f', '-']);
    expect(JSON.parse(replace.stdin!).items.map((o: K8sObject) => o.kind)).toEqual(['Deployment']);
    expect(apply.argv).toContain('--server-side');
  });

  // replace-job-immutable.*: real kubectl 1.34 output of `replace -f -` of a List holding an
  // existing ConfigMap and the job-backoff Job with a changed pod template; replace-force-job.stdout:
  // `replace --force -f -` of that Job (test cluster, namespace job-capture, 2026-11-30).
  it('exact: an object refused as immutable (a Job) is re-created with replace --force, then everything is applied', async () => {
    const job: K8sObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly-report', namespace: NS }, spec: { backoffLimit: 3 } };
    const configMap: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cap-cm', namespace: NS } };
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['replace', '--force'], stdoutFile: 'kubectl/replace-force-job.stdout' },
      { tool: 'kubectl', args: ['replace'], stdoutFile: 'kubectl/replace-job-immutable.stdout', stderrFile: 'kubectl/replace-job-immutable.stderr', exit: 1 },
      { tool: 'kubectl', args: ['apply'], stdout: 'configmap/cap-cm serverside-applied\njob.batch/nightly-report serverside-applied\n' },
    ]);
    const lines = await kube.apply([objects[0], configMap, job], NS, { exact: true });
    const [replace, force, apply] = fakes!.calls();
    expect(replace.argv).toEqual([...CTX, 'replace', '-n', NS, '-f', '-']);
    expect(force.argv).toEqual([...CTX, 'replace', '--force', '-n', NS, '-f', '-']);
    expect(JSON.parse(force.stdin!).items).toEqual([job]);
    expect(apply.argv).toContain('--server-side');
    expect(JSON.parse(apply.stdin!).items).toEqual([objects[0], configMap, job]);
    expect(lines).toEqual([
      'job.batch "nightly-report" deleted from job-capture namespace',
      'job.batch/nightly-report replaced',
      'configmap/cap-cm serverside-applied',
      'job.batch/nightly-report serverside-applied',
    ]);
  });

  it('replaceFailures: one immutable refusal per object, NotFound ignored, anything else is an error', () => {
    const immutable = readFileSync(join(FAKES_DIR, 'outputs/kubectl/replace-job-immutable.stderr'), 'utf8');
    const notFound = readFileSync(join(FAKES_DIR, 'outputs/kubectl/replace-partial.stderr'), 'utf8');
    const forbidden = readFileSync(join(FAKES_DIR, 'outputs/kubectl/forbidden.stderr'), 'utf8');
    expect(replaceFailures(immutable)).toEqual({ immutable: [{ kind: 'Job', name: 'nightly-report' }], conflicts: [], errors: [] });
    expect(replaceFailures(notFound + immutable)).toEqual({ immutable: [{ kind: 'Job', name: 'nightly-report' }], conflicts: [], errors: [] });
    // The 409 a solve hit in a CI run on the v1.34 test cluster (image-pull, a crash-looping Deployment).
    const conflict = readFileSync(join(FAKES_DIR, 'outputs/kubectl/replace-conflict.stderr'), 'utf8');
    expect(replaceFailures(conflict)).toEqual({ immutable: [], conflicts: [conflict.trim()], errors: [] });
    const mixed = replaceFailures(immutable + forbidden);
    expect(mixed.immutable).toEqual([{ kind: 'Job', name: 'nightly-report' }]);
    expect(mixed.errors).toEqual(forbidden.split('\n').filter((l) => l.trim()));
  });

  it('exact: a replace that lost a resourceVersion race (409) is tried again, then everything is applied', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['replace'], stderrFile: 'kubectl/replace-conflict.stderr', exit: 1, times: 2 },
      { tool: 'kubectl', args: ['replace'], stdout: 'deployment.apps/billing-worker replaced\n' },
      { tool: 'kubectl', args: ['apply'], stdoutFile: 'kubectl/apply.stdout' },
    ]);
    await kube.apply(objects, NS, { exact: true });
    expect(argvs().filter((a) => a.includes('replace'))).toHaveLength(3);
    expect(argvs().some((a) => a.includes('apply'))).toBe(true);
  });

  it('exact: a replace that keeps losing the race gives up with kubectl’s message, before the apply', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['replace'], stderrFile: 'kubectl/replace-conflict.stderr', exit: 1 },
      { tool: 'kubectl', args: ['apply'], stdoutFile: 'kubectl/apply.stdout' },
    ]);
    const error = await rejection(kube.apply(objects, NS, { exact: true }));
    expect(error.message).toMatch(/the object has been modified/);
    expect(argvs().filter((a) => a.includes('replace'))).toHaveLength(5);
    expect(argvs().some((a) => a.includes('apply'))).toBe(false);
  });

  it('exact: any other replace error stops before the apply', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['replace'], stderrFile: 'kubectl/forbidden.stderr', exit: 1 },
      { tool: 'kubectl', args: ['apply'], stdoutFile: 'kubectl/apply.stdout' },
    ]);
    await rejection(kube.apply(objects, NS, { exact: true }));
    expect(argvs().some((a) => a.includes('apply'))).toBe(false);
  });

  it('an invalid object → invalid with kubectl’s message', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['apply'], stderrFile: 'kubectl/invalid.stderr', exit: 1 }]);
    const error = await rejection(kube.apply(objects, NS));
    expect(error.kind).toBe('invalid');
    expect(error.message).toBe('The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value');
  });
});

describe('Kubectl deleteManagedNamespace', () => {
  it('deletes a crashlab namespace, repeating the label guard in the delete itself', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['get', 'namespace'], stdoutFile: 'kubectl/get-namespace-managed.json' },
      { tool: 'kubectl', args: ['delete', 'namespace'], stdoutFile: 'kubectl/delete-namespace.stdout' },
    ]);
    expect(await kube.deleteManagedNamespace(NS)).toBe('deleted');
    expect(argvs()).toEqual([
      [...CTX, 'get', 'namespace', NS, '-o', 'json'],
      [...CTX, 'delete', 'namespace', '--field-selector', `metadata.name=${NS}`, '-l', 'app.kubernetes.io/managed-by=crashlab', '--wait=false'],
    ]);
  });

  it('waits only when asked', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['get', 'namespace'], stdoutFile: 'kubectl/get-namespace-managed.json' },
      { tool: 'kubectl', args: ['delete', 'namespace'], stdoutFile: 'kubectl/delete-namespace.stdout' },
    ]);
    await kube.deleteManagedNamespace(NS, { wait: true });
    expect(argvs()[1].at(-1)).toBe('--wait=true');
  });

  it('refuses a namespace crashlab did not create, without calling delete', async () => {
    const kube = kubectlWith([
      { tool: 'kubectl', args: ['get', 'namespace'], stdoutFile: 'kubectl/get-namespace-foreign.json' },
      { tool: 'kubectl', args: ['delete'], stdoutFile: 'kubectl/delete-namespace.stdout' },
    ]);
    expect(await kube.deleteManagedNamespace(NS)).toBe('refused');
    expect(argvs().some((argv) => argv.includes('delete'))).toBe(false);
  });

  it('says absent for a namespace that does not exist', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['get', 'namespace'], stderrFile: 'kubectl/notfound-namespace.stderr', exit: 1 }]);
    expect(await kube.deleteManagedNamespace(NS)).toBe('absent');
    expect(argvs()).toHaveLength(1);
  });
});

describe('Kubectl deleteManagedObjects', () => {
  // Output as kubectl v1.34.4 printed it on the shared test cluster (2026-11-30).
  it('deletes only objects that also carry the managed-by label, never the namespace, and returns what went', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['delete'], stdoutFile: 'kubectl/delete-managed-objects.stdout' }]);
    const deleted = await kube.deleteManagedObjects('crashlab-g1-red', 'crashlab.dev/instance=i-g54pzf', ['ConfigMap', 'Deployment'], { wait: true });
    expect(deleted).toEqual(['configmap "catalog-api-content" deleted from crashlab-g1-red namespace', 'deployment.apps "catalog-api" deleted from crashlab-g1-red namespace']);
    expect(argvs()).toEqual([
      [...CTX, 'delete', 'configmap,deployment', '-n', 'crashlab-g1-red', '-l', 'app.kubernetes.io/managed-by=crashlab,crashlab.dev/instance=i-g54pzf', '--ignore-not-found', '--wait=true'],
    ]);
  });

  it('nothing matched: an empty list, not kubectl’s "No resources found"', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['delete'], stdoutFile: 'kubectl/delete-managed-objects-none.stdout' }]);
    expect(await kube.deleteManagedObjects('crashlab-g1-red', 'crashlab.dev/instance=i-g54pzf', ['ConfigMap'])).toEqual([]);
  });
});

describe('Kubectl run and contexts', () => {
  it('run prepends the context and returns a non-zero exit without throwing', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['describe'], stderrFile: 'kubectl/notfound-pod.stderr', exit: 1 }]);
    const result = await kube.run(['describe', 'pod', POD, '-n', NS]);
    expect(result).toEqual({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "web-w9qrrfhvj5-6xv9b" not found\n' });
    expect(argvs()).toEqual([[...CTX, 'describe', 'pod', POD, '-n', NS]]);
  });

  it('run without kubectl is exit 127 with the install hint', async () => {
    const kube = kubectlWith([], { tools: [] });
    const result = await kube.run(['get', 'pods']);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('kubectl not found on PATH');
  });

  it('reads the current context and the context names', async () => {
    fakes = setupFakes([
      { tool: 'kubectl', args: ['config', 'current-context'], stdoutFile: 'kubectl/current-context.stdout' },
      { tool: 'kubectl', args: ['config', 'get-contexts'], stdoutFile: 'kubectl/contexts.stdout' },
    ]);
    expect(await Kubectl.currentContext({ env: fakes.env })).toBe('prod-eu');
    expect(await Kubectl.contexts({ env: fakes.env })).toEqual(['kind-crashlab', 'prod-eu']);
    expect(argvs()).toEqual([
      ['config', 'current-context'],
      ['config', 'get-contexts', '-o', 'name'],
    ]);
  });

  it('no current context → undefined', async () => {
    fakes = setupFakes([{ tool: 'kubectl', args: ['config', 'current-context'], stderrFile: 'kubectl/current-context-unset.stderr', exit: 1 }]);
    expect(await Kubectl.currentContext({ env: fakes.env })).toBeUndefined();
  });
});

describe('Kubectl watchPods', () => {
  const watchArgv = [...CTX, 'get', 'pods', '-n', NS, '-l', 'app=web', '--watch', '--output-watch-events', '-o', 'json'];

  it('splits kubectl’s pretty-printed event stream into events, and cancel kills kubectl', async () => {
    const kube = kubectlWith((dir) => [{ tool: 'kubectl', args: ['--watch'], stdoutFile: 'kubectl/watch-pods.stream', chunkBytes: 97, hang: true, pidFile: join(dir, 'kubectl.pid') }]);
    const pidFile = join(fakes!.dir, 'kubectl.pid');
    const events: PodWatchEvent[] = [];
    const errors: Error[] = [];
    let resolveThree!: () => void;
    const three = new Promise<void>((resolve) => (resolveThree = resolve));
    const watch = kube.watchPods(NS, 'app=web', (event) => {
      events.push(event);
      if (events.length === 3) resolveThree();
    }, (error) => {
      errors.push(error);
      resolveThree();
    });
    await three;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
    expect(events.map((e) => e.pod.status?.containerStatuses?.[0].restartCount)).toEqual([3, 3, 4]);
    expect(events.map((e) => e.pod.status?.containerStatuses?.[0].state?.waiting?.reason)).toEqual(['CrashLoopBackOff', 'RunContainerError', 'CrashLoopBackOff']);
    expect(events[1].pod.status?.containerStatuses?.[0].state?.waiting?.message).toContain('exec: "/bin/server": stat /bin/server');
    const pid = readPid(pidFile);
    expect(isAlive(pid)).toBe(true);
    watch.cancel();
    await watch.done;
    expect(isAlive(pid)).toBe(false);
    expect(errors).toEqual([]);
    expect(argvs()).toEqual([watchArgv]);
  });

  it('also reads the compact one-line-per-event form (kubectl 1.32, managedFields with braces in keys)', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['--watch'], stdoutFile: 'kubectl/watch-pods-compact.stream', chunkBytes: 61 }]);
    const events: PodWatchEvent[] = [];
    const watch = kube.watchPods(NS, 'app=web', (e) => events.push(e));
    await watch.done;
    expect(events.map((e) => `${e.type} ${e.pod.status?.containerStatuses?.[0].restartCount}`)).toEqual(['ADDED 3', 'MODIFIED 3', 'MODIFIED 4']);
    expect(events[0].pod.metadata.name).toBe(POD);
  });

  it('reports a watch that ended on its own, so the caller can watch again', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['--watch'], stdoutFile: 'kubectl/watch-pods.stream' }]);
    const events: PodWatchEvent[] = [];
    const errors: Error[] = [];
    const watch = kube.watchPods(NS, 'app=web', (e) => events.push(e), (e) => errors.push(e));
    await watch.done;
    expect(events).toHaveLength(3);
    expect(errors.map((e) => e.message)).toEqual(['the pod watch ended (the API server closed it); watch again to keep following the pods']);
  });

  it('reports kubectl failing mid-watch as a kubectl PortError', async () => {
    const kube = kubectlWith([{ tool: 'kubectl', args: ['--watch'], stderrFile: 'kubectl/refused.stderr', exit: 1 }]);
    const errors: Error[] = [];
    const watch = kube.watchPods(NS, undefined, () => undefined, (e) => errors.push(e));
    await watch.done;
    expect(errors).toHaveLength(1);
    expect((errors[0] as PortError).kind).toBe('unreachable');
    expect(argvs()[0]).toEqual([...CTX, 'get', 'pods', '-n', NS, '--watch', '--output-watch-events', '-o', 'json']);
  });
});

describe('JsonObjectSplitter', () => {
  const stream = readFileSync(join(FAKES_DIR, 'outputs/kubectl/watch-pods.stream'), 'utf8');

  it('finds the same objects however the stream is cut', () => {
    const whole = new JsonObjectSplitter().push(stream);
    expect(whole).toHaveLength(3);
    const splitter = new JsonObjectSplitter();
    const byChar = [...stream].flatMap((c) => splitter.push(c));
    expect(byChar).toEqual(whole);
    expect(whole.map((o) => JSON.parse(o).type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
  });

  it('ignores braces and escaped quotes inside strings', () => {
    const a = '{"type":"MODIFIED","object":{"message":"{\\"level\\":\\"fatal\\"} }}} \\\\"}}';
    const b = '\n{"type":"ADDED","object":{"x":"\\"{"}}\n';
    const splitter = new JsonObjectSplitter();
    const out = [...splitter.push(a.slice(0, 40)), ...splitter.push(a.slice(40) + b.slice(0, 5)), ...splitter.push(b.slice(5))];
    expect(out.map((o) => JSON.parse(o))).toEqual([JSON.parse(a), JSON.parse(b)]);
  });

  it('keeps an unfinished object until it ends', () => {
    const splitter = new JsonObjectSplitter();
    expect(splitter.push('{"type":"ADDED","object":{"metadata":{')).toEqual([]);
    expect(splitter.push('}}}{"type":')).toEqual(['{"type":"ADDED","object":{"metadata":{}}}']);
  });
});

describe('JsonLineSplitter', () => {
  it('gives each complete line of the API server\'s watch stream, however it is cut', () => {
    const a = '{"type":"MODIFIED","object":{"message":"a\\nb {"}}';
    const b = '{"type":"ADDED","object":{}}';
    const stream = `${a}\n${b}\n`;
    const splitter = new JsonLineSplitter();
    expect([...stream].flatMap((c) => splitter.push(c))).toEqual([a, b]);
    expect(new JsonLineSplitter().push(`${a}\n${b.slice(0, 9)}`)).toEqual([a]);
  });
});
