import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../../src/core/k8s.js';
import { matchSignature, observeSignature } from '../../../src/core/signature.js';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-5f7c9d8b4-kq2lp', namespace: 'crashlab-bad-command', uid: '0b6f5b7e-2f0e-4b59-9d3c-6a1f7e1c2d11' },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['/bin/web-server'] }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        started: false,
        restartCount: 3,
        image: 'docker.io/library/busybox:1.36',
        imageID: 'docker.io/library/busybox@sha256:7edf5efe6b86dbf01ccc3c76b32a37a8e23b84e6bad81ce8ae8c221fa456fda8',
        containerID: 'containerd://4f1e3c2b1a09d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3',
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 40s restarting failed container=app pod=web-5f7c9d8b4-kq2lp_crashlab-bad-command(0b6f5b7e-2f0e-4b59-9d3c-6a1f7e1c2d11)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 128,
            reason: 'StartError',
            message:
              'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/bin/web-server": stat /bin/web-server: no such file or directory: unknown',
            startedAt: '1970-01-01T00:00:00Z',
            finishedAt: '2026-11-24T10:02:41Z',
            containerID: 'containerd://4f1e3c2b1a09d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3',
          },
        },
      },
    ],
  },
};

const events: KubeEvent[] = [
  {
    metadata: { name: 'web-5f7c9d8b4-kq2lp.187a8f3c2d1e0b9a', namespace: 'crashlab-bad-command' },
    involvedObject: { kind: 'Pod', name: 'web-5f7c9d8b4-kq2lp', namespace: 'crashlab-bad-command', uid: '0b6f5b7e-2f0e-4b59-9d3c-6a1f7e1c2d11', fieldPath: 'spec.containers{app}' },
    reason: 'Failed',
    message: 'Error: failed to create containerd task: ...',
    type: 'Warning',
    count: 4,
  },
  {
    metadata: { name: 'web-5f7c9d8b4-kq2lp.187a8f3d9e8c7b6a', namespace: 'crashlab-bad-command' },
    involvedObject: { kind: 'Pod', name: 'web-5f7c9d8b4-kq2lp', namespace: 'crashlab-bad-command', uid: '0b6f5b7e-2f0e-4b59-9d3c-6a1f7e1c2d11', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod web-5f7c9d8b4-kq2lp_crashlab-bad-command(0b6f5b7e-2f0e-4b59-9d3c-6a1f7e1c2d11)',
    type: 'Warning',
    count: 6,
  },
  {
    metadata: { name: 'web-old.187a8f3d9e8c7b6b', namespace: 'crashlab-bad-command' },
    involvedObject: { kind: 'Pod', name: 'web-5f7c9d8b4-kq2lp', namespace: 'crashlab-bad-command', uid: 'an-earlier-pod-with-the-same-name' },
    reason: 'Unhealthy',
    message: 'Readiness probe failed',
    type: 'Warning',
  },
];

describe('observeSignature + matchSignature', () => {
  it('matches a StartError crash loop with its events, ignoring events of another pod with the same name', () => {
    const observed = observeSignature(pod, 'app', events, undefined, 'CrashLoopBackOff');
    expect(observed.warningEvents).toEqual(['Failed', 'BackOff']);
    const result = matchSignature(
      {
        container: 'app',
        within: 90,
        podStatuses: ['CrashLoopBackOff', 'RunContainerError'],
        waitingReasons: ['CrashLoopBackOff', 'RunContainerError'],
        lastTerminated: { reason: 'StartError', exitCode: 128, message: 'no such file or directory' },
        minRestarts: 1,
        events: ['BackOff'],
      },
      observed,
    );
    expect(result.matches).toBe(true);
  });

  it('reports each field that differs, with what was observed', () => {
    const observed = observeSignature(pod, 'app', events);
    const result = matchSignature(
      { container: 'app', within: 90, lastTerminated: { reason: 'OOMKilled', exitCode: 137 }, events: ['Unhealthy'], maxRestarts: 0 },
      observed,
    );
    expect(result.matches).toBe(false);
    const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.field}: ${c.observed}`);
    expect(failed).toEqual(['lastTerminated.reason: StartError', 'lastTerminated.exitCode: 128', 'restarts: 3', 'event Unhealthy: Failed, BackOff']);
  });

  it('reads an init container by name', () => {
    const initPod: Pod = {
      ...pod,
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    };
    expect(observeSignature(initPod, 'migrate').lastTerminated).toEqual({ reason: 'Error', exitCode: 1, message: undefined });
    expect(observeSignature(initPod, 'app').waitingReason).toBe('PodInitializing');
  });
});
