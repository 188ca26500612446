import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import type { KubeEvent, List, Pod } from '../../../src/core/k8s.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { VirtualClock } from '../../fakes/clock.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/diagnose/${name}`, import.meta.url), 'utf8'));


let kube: MemoryKube;
let store: MemoryStore;
let contexts: string[];
let deps: Deps;

beforeEach(() => {
  kube = new MemoryKube();
  store = new MemoryStore();
  contexts = [];
  deps = {
    kube: (context) => {
      contexts.push(context);
      return kube;
    },
    store,
    clock: VirtualClock.stopped(Date.parse('2026-11-24T09:14:00Z')),
  };
});

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io, deps);
  return { code, out: c.out(), err: c.err() };
}

/** The bad-command scenario's pod as the API server shows it after a few crashes. */
function brokenPod(): { pod: Pod; events: KubeEvent[] } {
  const pod: Pod = fixture('bad-command-exec.pod.json');
  pod.metadata.namespace = 'crashlab-bad-command';
  pod.metadata.labels = { ...pod.metadata.labels, 'crashlab.dev/scenario': 'bad-command' };
  const last = pod.status!.containerStatuses![0].lastState!.terminated!;
  last.message = last.message!.replaceAll('/bin/server', '/usr/sbin/httpd');
  const events: KubeEvent[] = (fixture('bad-command-exec.events.json') as List<KubeEvent>).items;
  return { pod, events };
}

describe('crashlab start', () => {
  it('applies the broken workload into crashlab-<id> with crashlab labels and records the attempt', async () => {
    const result = await run(['start', 'bad-command']);
    expect(result.code).toBe(0);
    expect(contexts).toEqual(['kind-crashlab']);
    expect(kube.namespaces.get('crashlab-bad-command')?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/scenario': 'bad-command' });
    const deployment = kube.objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata.namespace).toBe('crashlab-bad-command');
    expect(result.out).toContain('deployment/status-page serverside-applied');
    expect(result.out).toContain('crashlab status bad-command');
    expect(store.progress.scenarios['bad-command']).toMatchObject({ attempts: 1, startedAt: '2026-11-24T09:14:00.000Z' });
  });

  it('refuses a namespace of the same name that crashlab did not create', async () => {
    kube.namespaces.set('crashlab-oom', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crashlab-oom', labels: { team: 'payments' } } });
    const result = await run(['start', 'oom']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('namespace crashlab-oom exists and was not created by crashlab');
    expect(kube.calls.some((c) => c.startsWith('apply'))).toBe(false);
  });

  it('asks before touching another context, and goes ahead with --yes', async () => {
    const refused = await run(['--context', 'prod', 'start', 'oom']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('not touching context "prod" without confirmation');
    expect(kube.calls).toEqual([]);
    const accepted = await run(['--context', 'prod', '--yes', 'start', 'oom']);
    expect(accepted.code).toBe(0);
    expect(contexts).toEqual(['prod']);
  });

  it('deploys a scenario with history: the good version, its rollout, then the bad release over it', async () => {
    const result = await run(['start', 'rollback']);
    expect(result.code).toBe(0);
    const steps = kube.calls.filter((c) => c.startsWith('apply') || c.startsWith('run'));
    expect(steps).toEqual([
      'apply -n crashlab-rollback Namespace/crashlab-rollback Service/shop-web Deployment/shop-web',
      'run rollout status deployment/shop-web -n crashlab-rollback --timeout=50s',
      'apply -n crashlab-rollback Namespace/crashlab-rollback Service/shop-web Deployment/shop-web',
    ]);
    const deployment = kube.objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
    expect(deployment.spec.template.spec.containers[0].command[0]).toBe('/usr/local/bin/shop-server');
  });

  it('stops with the reason when the good version of a scenario with history does not roll out', async () => {
    kube.runResults.set('rollout', { exitCode: 1, stdout: '', stderr: 'error: timed out waiting for the condition' });
    const result = await run(['start', 'rollback']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('the good version of deployment shop-web did not finish rolling out within 50 s: error: timed out waiting for the condition');
    expect(kube.calls.filter((c) => c.startsWith('apply'))).toHaveLength(1);
  });

  it('names the scenarios that exist when the id is wrong', async () => {
    const result = await run(['start', 'nope']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no scenario "nope"[\s\S]*bad-command/);
  });
});

describe('crashlab status', () => {
  it('says the scenario is not deployed, with the next step', async () => {
    const result = await run(['status', 'bad-command']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('scenario bad-command is not deployed');
    expect(result.err).toContain('crashlab start bad-command');
  });

  it('shows STATUS, restarts, last termination and whether the pod matches the expected signature', async () => {
    await run(['start', 'bad-command']);
    const { pod, events } = brokenPod();
    kube.pods = [pod];
    kube.events = events;
    const result = await run(['status', 'bad-command']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/web-w9qrrfhvj5-6xv9b\s+CrashLoopBackOff\s+0\/1\s+4 \(\d+s ago\)\s+StartError \(exit 128\)/);
    expect(result.out).toContain('Broken as designed');

    const json = JSON.parse((await run(['status', 'bad-command', '--json'])).out);
    expect(json.matchesExpected).toBe(true);
    expect(json.signature).toMatchObject({ lastTerminated: { reason: 'StartError', exitCode: 128 }, restarts: 4 });
  });

  it('lists the fields that do not match yet', async () => {
    await run(['start', 'bad-command']);
    const { pod } = brokenPod();
    pod.status!.containerStatuses![0].lastState = {};
    kube.pods = [pod];
    const json = JSON.parse((await run(['status', 'bad-command', '--json'])).out);
    expect(json.matchesExpected).toBe(false);
    expect(json.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { field: string }) => c.field)).toEqual(['lastTerminated.reason', 'lastTerminated.exitCode', 'lastTerminated.message', 'event Failed', 'event BackOff']);
  });
});

describe('crashlab routine', () => {
  it('fills in the newest pod and runs only the non-interactive steps', async () => {
    await run(['start', 'bad-command']);
    kube.pods = [brokenPod().pod];
    kube.runResults.set('logs', { exitCode: 0, stdout: '', stderr: '' });
    const result = await run(['routine', 'bad-command', '--run']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('$ kubectl describe pod web-w9qrrfhvj5-6xv9b -n crashlab-bad-command');
    expect(result.out).toContain('│ output of describe');
    expect(result.out).toContain('│ (no output)');
    expect(result.out).toContain('(interactive: run it yourself in a terminal)');
    const ran = kube.calls.filter((c) => c.startsWith('run ')).map((c) => c.split(' ')[1]);
    expect(ran).toEqual(['get', 'describe', 'logs', 'logs', 'get', 'get']);
  });
});

describe('crashlab solve and reset', () => {
  it('applies the reference solution, then reset deletes only the managed namespace', async () => {
    await run(['start', 'bad-command']);
    const solved = await run(['solve', 'bad-command']);
    expect(solved.code).toBe(0);
    const deployment = kube.objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
    expect(deployment.spec.template.spec.containers[0].command.join(' ')).not.toContain('/usr/sbin/httpd');
    expect(store.progress.scenarios['bad-command'].attemptUsedHelp).toBe(true);

    kube.namespaces.set('crashlab-oom', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crashlab-oom' } });
    const reset = await run(['reset', '--json']);
    const results = JSON.parse(reset.out).results as { namespace: string; result: string }[];
    expect(results.find((r) => r.namespace === 'crashlab-bad-command')?.result).toBe('deleted');
    expect(results.find((r) => r.namespace === 'crashlab-oom')?.result).toBe('refused');
    expect(reset.code).toBe(1);
    expect(kube.namespaces.has('crashlab-oom')).toBe(true);
  });

  it('solve before start says to start first', async () => {
    const result = await run(['solve', 'oom']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('crashlab start oom');
  });
});

describe('crashlab status on a fixed pod', () => {
  it('says the pod is Ready and points at verify instead of listing signature mismatches', async () => {
    await run(['start', 'bad-command']);
    const pod: Pod = fixture('healthy.pod.json');
    pod.metadata.namespace = 'crashlab-bad-command';
    pod.metadata.labels = { ...pod.metadata.labels, 'crashlab.dev/scenario': 'bad-command' };
    kube.pods = [pod];
    const result = await run(['status', 'bad-command']);
    expect(result.out).toContain('The pod runs and is Ready. Fixed? Prove it: crashlab verify bad-command');
    expect(result.out).not.toContain('Not (yet) showing');
  });
});
