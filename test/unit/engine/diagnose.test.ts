/**
 * Live diagnosis through the engine: kubectl's own messages are never read as the app's log,
 * and a workload's pods are diagnosed together with identical findings grouped.
 */
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { groupFindings } from '../../../src/core/diagnose/group.js';
import { diagnose } from '../../../src/core/diagnose.js';
import type { K8sObject, KubeEvent, Pod } from '../../../src/core/k8s.js';
import { diagnoseWorkload, gatherLive, parseWorkloadRef, selectorString } from '../../../src/engine/diagnose.js';
import type { Kube } from '../../../src/ports/kube.js';
import { fixture } from '../../fakes/diagnoseFixtures.js';
import { MemoryKube } from '../../fakes/memoryKube.js';

const KUBECTL_SAYS = 'unable to retrieve container logs for containerd://4f1c0e3b2a1d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f\n';

/** A read-only cluster holding what a diagnosis reads: pods, events, workloads and logs. */
function clusterWith(pods: Pod[], events: KubeEvent[] = [], objects: K8sObject[] = []): MemoryKube {
  return new MemoryKube('test').seed({ pods, events, objects, readOnly: true });
}

describe('live diagnosis never reads kubectl as the app', () => {
  it('falls back to the plain log when logs --previous prints kubectl\'s "unable to retrieve container logs" (exit 0)', async () => {
    const { pod, events, logs } = fixture('port-in-use');
    const name = pod.metadata.name;
    const kube = clusterWith([pod], events!.items);
    kube.setLog('team-d', name, 'metrics', KUBECTL_SAYS, { previous: true });
    kube.setLog('team-d', name, 'metrics', logs!);
    const live = await gatherLive(kube, 'team-d', name);
    expect(live!.logs[`${name}/metrics`]).toBe(logs);
    expect(kube.calls).toContain(`logs team-d ${name} metrics --tail=50`);
    const [f] = diagnose({ pods: live!.pod, events: live!.events, logs: live!.logs }).findings;
    expect(f.category).toBe('port-conflict');
  });

  it('leaves the log out when both sources are kubectl\'s messages, so the termination message decides', async () => {
    const { pod, events } = fixture('port-in-use');
    const name = pod.metadata.name;
    const status = pod.status!.containerStatuses!.find((s) => s.name === 'metrics')!;
    status.lastState!.terminated!.message = 'httpd: bind: Address already in use\n';
    const kube = clusterWith([pod], events!.items);
    kube.setLog('team-d', name, 'metrics', KUBECTL_SAYS, { previous: true });
    kube.setLog('team-d', name, 'metrics', KUBECTL_SAYS);
    const live = await gatherLive(kube, 'team-d', name);
    expect(live!.logs).toEqual({});
    const [f] = diagnose({ pods: live!.pod, events: live!.events, logs: live!.logs }).findings;
    expect(f.category).toBe('port-conflict');
    expect(f.evidence.join('\n')).not.toContain('unable to retrieve');
  });

  it('the engine ignores a kubectl message even when it is handed one as a log', () => {
    const { pod, events } = fixture('segfault');
    const [f] = diagnose({ pods: pod, events: events!.items, logs: KUBECTL_SAYS }).findings;
    expect(f.evidence.join('\n')).not.toContain('unable to retrieve');
  });
});

describe('workload references', () => {
  it('parses deploy/sts/ds/job and refuses other kinds', () => {
    expect(parseWorkloadRef('deploy/web')).toEqual({ kind: 'deployment', name: 'web' });
    expect(parseWorkloadRef('sts/db')).toEqual({ kind: 'statefulset', name: 'db' });
    expect(parseWorkloadRef('daemonset/agent')).toEqual({ kind: 'daemonset', name: 'agent' });
    expect(parseWorkloadRef('job/migrate')).toEqual({ kind: 'job', name: 'migrate' });
    expect(parseWorkloadRef('svc/web')).toBeUndefined();
    expect(parseWorkloadRef('web')).toBeUndefined();
  });

  it('turns equality and set-based selectors into kubectl -l syntax', () => {
    expect(selectorString({ matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] })).toBe('app=web,tier=fe,env in (a,b),!canary');
  });
});

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } } } } as K8sObject;

function replica(name: string): Pod {
  const { pod } = fixture('secret-key-missing');
  const copy = structuredClone(pod);
  copy.metadata.name = name;
  copy.metadata.namespace = 'shop';
  return copy;
}

describe('diagnose a workload', () => {

  it('diagnoses every pod through the selector and groups identical findings into one', async () => {
    const pods = ['api-1', 'api-2', 'api-3'].map(replica);
    const kube = clusterWith(pods, [], [deployment]);
    const result = await diagnoseWorkload(kube, 'shop', { kind: 'deployment', name: 'api' });
    expect(kube.calls).toContain('run get deployment api -n shop -o json');
    expect(kube.calls).toContain('getPods shop app=api');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].category).toBe('missing-config');
    expect(result.findings[0].evidence[0]).toBe('same finding on 3 of 3 pods: api-1, api-2, api-3');
  });

  it('keeps different findings apart and says when only one pod shows one', async () => {
    const healthy = structuredClone(fixture('healthy').pod);
    healthy.metadata = { ...healthy.metadata, name: 'api-4', namespace: 'shop', labels: { app: 'api' } };
    const kube = clusterWith([replica('api-1'), healthy], [], [deployment]);
    const result = await diagnoseWorkload(kube, 'shop', { kind: 'deployment', name: 'api' });
    expect(result.findings.map((f) => f.category)).toEqual(['missing-config', 'healthy']);
    expect(result.findings[0].evidence).toContain('only pod api-1 of 2 shows this');
  });

  it('reports a missing workload as not found', async () => {
    const kube = clusterWith([]);
    await expect(diagnoseWorkload(kube, 'shop', { kind: 'statefulset', name: 'db' })).rejects.toThrow('statefulset db not found in namespace shop');
  });

  it('groupFindings leaves a single pod alone', () => {
    const findings = diagnose({ pods: replica('api-1') }).findings;
    expect(groupFindings(findings, 1)).toEqual(findings);
  });
});

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('crashlab diagnose deploy/NAME -n NS', () => {
  async function cli(argv: string[], kube: Kube) {
    const out = new Sink();
    const err = new Sink();
    const code = await main(argv, { stdout: out, stderr: err, stdin: Readable.from([]), env: { NO_COLOR: '1' } }, { kube: () => kube });
    return { code, stdout: out.text, stderr: err.text };
  }

  it('prints the grouped findings as JSON in the usual shape', async () => {
    const kube = clusterWith(['api-1', 'api-2'].map(replica), [], [deployment]);
    const r = await cli(['diagnose', 'deploy/api', '-n', 'shop', '--json'], kube);
    expect(r.code).toBe(0);
    const { findings } = JSON.parse(r.stdout);
    expect(findings).toHaveLength(1);
    // The same fields as a single pod's finding (guideNote only where the guide misleads).
    expect(Object.keys(findings[0]).sort()).toEqual(['category', 'confidence', 'container', 'evidence', 'guideNote', 'namespace', 'nextSteps', 'pod', 'severity', 'summary', 'title'].sort());
    expect(findings[0].evidence[0]).toBe('same finding on 2 of 2 pods: api-1, api-2');
  });

  it('exits 2 with a clear line for an unknown kind or a missing workload', async () => {
    const kube = clusterWith([]);
    const bad = await cli(['diagnose', 'svc/api', '-n', 'shop'], kube);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"svc/api" is not a workload');
    const missing = await cli(['diagnose', 'sts/db', '-n', 'shop'], kube);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('statefulset db not found in namespace shop');
  });
});
