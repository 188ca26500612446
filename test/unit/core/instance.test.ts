/** Opaque instances: ids, the fingerprint that names the scenario without spelling it, and finding live ones. */
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_ANNOTATION, instanceFingerprint, liveInstances, opaqueInstanceId, opaqueRun, plainRun, runAnnotations } from '../../../src/core/instance.js';
import type { K8sObject } from '../../../src/core/k8s.js';

const IDS = ['oom', 'tight-liveness', 'probe-path'];

function workload(kind: string, name: string, instance: string, scenarioId: string, createdAt?: string, managed = true): K8sObject {
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: 'crashlab-g1-team-1',
      ...(createdAt ? { creationTimestamp: createdAt } : {}),
      labels: { ...(managed ? { 'app.kubernetes.io/managed-by': 'crashlab' } : {}), 'crashlab.dev/instance': instance },
      annotations: { [FINGERPRINT_ANNOTATION]: instanceFingerprint(instance, scenarioId) },
    },
  };
}

describe('opaque instances', () => {
  it('draws i- and 6 base32 characters from 4 random bytes', () => {
    expect(opaqueInstanceId(new Uint8Array([0, 0, 0, 0]))).toBe('i-aaaaaa');
    expect(opaqueInstanceId(new Uint8Array([255, 255, 255, 255]))).toMatch(/^i-[a-z2-7]{6}$/);
    expect(() => opaqueInstanceId(new Uint8Array(3))).toThrow(/4 random bytes/);
  });

  it('fingerprints differ per instance and per scenario, and never contain the id', () => {
    const a = instanceFingerprint('i-aaaaaa', 'oom');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(instanceFingerprint('i-aaaaab', 'oom')).not.toBe(a);
    expect(instanceFingerprint('i-aaaaaa', 'probe-path')).not.toBe(a);
    expect(runAnnotations(opaqueRun('oom', 'i-aaaaaa', 'ns'))).toEqual({ [FINGERPRINT_ANNOTATION]: a });
    // A plain run spells its scenario in its label anyway: no fingerprint.
    expect(runAnnotations(plainRun('oom'))).toEqual({});
  });

  it('finds each live instance once, with its scenario and its oldest workload time, oldest first', () => {
    const found = liveInstances(
      [
        workload('Deployment', 'search-api', 'i-bbbbbb', 'tight-liveness', '2026-11-30T10:05:00Z'),
        workload('Deployment', 'catalog-api', 'i-aaaaaa', 'oom', '2026-11-30T10:02:00Z'),
        workload('Job', 'warmup', 'i-aaaaaa', 'oom', '2026-11-30T10:01:00Z'),
      ],
      IDS,
    );
    expect(found).toEqual([
      { instance: 'i-aaaaaa', scenarioId: 'oom', createdAt: '2026-11-30T10:01:00Z' },
      { instance: 'i-bbbbbb', scenarioId: 'tight-liveness', createdAt: '2026-11-30T10:05:00Z' },
    ]);
  });

  it('ignores what crashlab did not create, a fingerprint of no known scenario, and a bad instance label', () => {
    expect(liveInstances([workload('Deployment', 'x', 'i-aaaaaa', 'oom', undefined, false)], IDS)).toEqual([]);
    expect(liveInstances([workload('Deployment', 'x', 'i-aaaaaa', 'readonly-fs')], IDS)).toEqual([]);
    expect(liveInstances([workload('Deployment', 'x', 'oom', 'oom')], IDS)).toEqual([]);
  });
});
