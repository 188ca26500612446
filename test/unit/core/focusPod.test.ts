/**
 * core/podStatus.ts focusPod: status and routine look at the pod that runs the scenario's container,
 * not a healthy server created a moment later beside it (expired-ca: ledger and settlement-worker).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/core/k8s.js';
import { focusPod } from '../../../src/core/podStatus.js';
import { sortPods } from '../../../src/engine/scenarioRuns.js';

const pod = (name: string, created: string, containers: string[], init: string[] = []): Pod =>
  ({
    metadata: { name, namespace: 'crashlab-expired-ca', creationTimestamp: created },
    spec: { containers: containers.map((c) => ({ name: c, image: 'busybox:1.36' })), initContainers: init.map((c) => ({ name: c, image: 'busybox:1.36' })) },
    status: { phase: 'Running' },
  }) as unknown as Pod;

describe('focusPod', () => {
  const worker = pod('settlement-worker-6bb99f58b8-qmnlx', '2026-12-06T15:19:15Z', ['worker']);
  const ledger = pod('ledger-555f498fd7-ddknl', '2026-12-06T15:19:16Z', ['tls']);

  it('is the newest pod that runs the container, even when another pod is newer', () => {
    expect(focusPod(sortPods([worker, ledger]), 'worker')?.metadata.name).toBe('settlement-worker-6bb99f58b8-qmnlx');
  });

  it('counts init containers', () => {
    expect(focusPod([ledger, pod('job-x', '2026-12-06T15:19:10Z', ['app'], ['migrate'])], 'migrate')?.metadata.name).toBe('job-x');
  });

  it('falls back to the newest pod, and to nothing without pods', () => {
    expect(focusPod(sortPods([worker, ledger]), 'nope')?.metadata.name).toBe('ledger-555f498fd7-ddknl');
    expect(focusPod([], 'worker')).toBeUndefined();
  });
});

describe('focusPod while pods are replaced', () => {
  it('prefers a live pod to a newer one being deleted, and takes a deleting one when nothing else is left', () => {
    const old = pod('settlement-worker-a', '2026-12-06T15:19:15Z', ['worker']);
    const gone = { ...pod('settlement-worker-b', '2026-12-06T15:20:15Z', ['worker']), metadata: { name: 'settlement-worker-b', creationTimestamp: '2026-12-06T15:20:15Z', deletionTimestamp: '2026-12-06T15:21:00Z' } } as unknown as Pod;
    expect(focusPod([gone, old], 'worker')?.metadata.name).toBe('settlement-worker-a');
    expect(focusPod([gone], 'worker')?.metadata.name).toBe('settlement-worker-b');
  });
});
