import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/core/k8s.js';
import {
  backOffDelaySeconds,
  emptyRestartHistory,
  humanDuration,
  kubectlStatus,
  knownRestarts,
  parseGoDuration,
  recordRestarts,
  summarizePod,
  unplacedRestarts,
} from '../../../src/core/podStatus.js';
import { at, fixture, podList } from '../../fakes/diagnoseFixtures.js';

describe('kubectlStatus on real-shaped pods', () => {
  it.each([
    ['bad-command-exec', 'CrashLoopBackOff'],
    ['bad-command-runcontainererror', 'RunContainerError'],
    ['secret-key-missing', 'CreateContainerConfigError'],
    ['configmap-volume-missing', 'ContainerCreating'],
    ['image-pull', 'ImagePullBackOff'],
    ['init-crash', 'Init:CrashLoopBackOff'],
    ['port-in-use', 'CrashLoopBackOff'],
    ['liveness-404-exit0', 'Running'],
    ['readiness-404', 'Running'],
    ['healthy', 'Running'],
    ['unschedulable', 'Pending'],
    ['healthy-with-init', 'Running'],
    ['job-succeeded', 'Completed'],
    ['native-sidecar-crash', 'Init:CrashLoopBackOff'],
    // printPod lets a terminated container's reason override status.reason, so evicted pods
    // whose container state was lost read ContainerStatusUnknown, not Evicted.
    ['evicted', 'ContainerStatusUnknown'],
    // What the v1.34 API server printed for these captures (`kubectl get pods`).
    ['real-v1.34/deleted-during-rollout', 'Error'],
    ['real-v1.34/init-error', 'Init:Error'],
    ['real-v1.34/init-container', 'Init:CrashLoopBackOff'],
    ['real-v1.34/secret-typo', 'CreateContainerConfigError'],
  ])('%s → %s', (name, status) => {
    expect(kubectlStatus(fixture(name).pod)).toBe(status);
  });
});

/** A one-container pod to vary field by field; fixtures cover the realistic whole. */
function pod(status: NonNullable<Pod['status']>, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'ns', creationTimestamp: '2026-11-24T09:00:00Z', ...meta },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  };
}

describe('kubectlStatus follows printPod rule by rule', () => {
  const init = { initContainers: [{ name: 'migrate' }] };

  it('names a failed init container by its reason, or by exit code / signal when there is none', () => {
    expect(kubectlStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, init))).toBe('Init:Error');
    expect(kubectlStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }, init))).toBe('Init:ExitCode:3');
    expect(kubectlStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] }, init))).toBe('Init:Signal:9');
  });

  it('counts init progress as Init:N/M while one runs', () => {
    const spec = { initContainers: [{ name: 'a' }, { name: 'b' }] };
    const status = pod(
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-24T09:00:02Z' } } },
        ],
      },
      spec,
    );
    expect(kubectlStatus(status)).toBe('Init:1/2');
  });

  it('shows the main container reason once init is done, including PodInitializing', () => {
    const done = { name: 'migrate', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    const p = pod({ phase: 'Pending', initContainerStatuses: [done], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] }, init);
    expect(kubectlStatus(p)).toBe('PodInitializing');
  });

  it('prints Signal:N / ExitCode:N for a terminated container without reason', () => {
    expect(kubectlStatus(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 15 } } }] }))).toBe('Signal:15');
    expect(kubectlStatus(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }))).toBe('ExitCode:2');
  });

  it('turns Completed back into Running or NotReady while another container still runs', () => {
    const spec = { containers: [{ name: 'app' }, { name: 'job' }] };
    const statuses = [
      { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-24T09:00:02Z' } } },
      { name: 'job', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    const ready = [{ type: 'Ready', status: 'True' as const }];
    const notReady = [{ type: 'Ready', status: 'False' as const }];
    expect(kubectlStatus(pod({ phase: 'Running', containerStatuses: statuses, conditions: ready }, spec))).toBe('Running');
    expect(kubectlStatus(pod({ phase: 'Running', containerStatuses: statuses, conditions: notReady }, spec))).toBe('NotReady');
  });

  it('says Terminating for a pod being deleted, unless it already finished', () => {
    const running = { phase: 'Running' as const, containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] };
    expect(kubectlStatus(pod(running, {}, { deletionTimestamp: '2026-11-24T09:05:00Z' }))).toBe('Terminating');
    expect(kubectlStatus(pod({ phase: 'Succeeded' }, {}, { deletionTimestamp: '2026-11-24T09:05:00Z' }))).toBe('Succeeded');
  });

  it('uses status.reason (Evicted) over the phase', () => {
    expect(kubectlStatus(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage.' }))).toBe('Evicted');
  });

  it('counts a started native sidecar in READY and its restarts in RESTARTS', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };
    const p = pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 2, state: { running: {} } }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 1, state: { running: {} } }],
      },
      spec,
    );
    const summary = summarizePod(p, at('2026-11-24T09:10:00Z'));
    expect(summary.ready).toBe('2/2');
    expect(summary.restarts).toBe(3);
    expect(summary.containers.find((c) => c.name === 'proxy')?.sidecar).toBe(true);
  });
});

describe('summarizePod', () => {
  it('reads the back-off from the kubelet message and dates the next restart from finishedAt', () => {
    const { pod: p } = fixture('bad-command-exec');
    const summary = summarizePod(p, at('2026-11-24T09:13:32Z'));
    expect(summary).toMatchObject({ status: 'CrashLoopBackOff', ready: '0/1', restarts: 4, restartsText: '4 (12s ago)', podTemplateHash: p.metadata.labels!['pod-template-hash'], node: 'crashlab-control-plane', podIP: p.status!.podIP });
    const app = summary.containers[0];
    expect(app).toMatchObject({ name: 'app', init: false, state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 4 });
    expect(app.lastTermination).toMatchObject({ reason: 'StartError', exitCode: 128, startedAt: '1970-01-01T00:00:00Z', finishedAt: '2026-11-24T09:13:20Z' });
    expect(app.backOff).toEqual({ delaySeconds: 80, source: 'message', dueAtMs: at('2026-11-24T09:14:40Z'), remainingSeconds: 68 });
  });

  it('estimates the back-off from restartCount when the message is absent, and says so', () => {
    const { pod: p } = fixture('oom-killed');
    p.status!.containerStatuses![0].state = { waiting: { reason: 'CrashLoopBackOff' } };
    const backOff = summarizePod(p, at('2026-11-24T09:20:00Z')).containers[0].backOff;
    expect(backOff).toMatchObject({ delaySeconds: 80, source: 'estimated', remainingSeconds: 0 });
  });

  it('has no back-off for a running container and prints plain restarts when there are none', () => {
    const summary = summarizePod(fixture('healthy').pod, at('2026-11-24T09:12:03Z'));
    expect(summary).toMatchObject({ status: 'Running', ready: '1/1', restarts: 0, restartsText: '0', age: '60m' });
    expect(summary.containers[0].backOff).toBeUndefined();
  });

  it('lists an init container that blocks the pod and the app waiting behind it', () => {
    const summary = summarizePod(fixture('init-crash').pod, at('2026-11-24T09:14:00Z'));
    expect(summary.status).toBe('Init:CrashLoopBackOff');
    expect(summary.containers.map((c) => [c.name, c.init, c.reason])).toEqual([
      ['migrate', true, 'CrashLoopBackOff'],
      ['app', false, 'PodInitializing'],
    ]);
  });

  it('covers every pod of a List', () => {
    const statuses = podList('list-mixed').items.map((p) => summarizePod(p, at('2026-11-24T09:12:03Z')).status);
    expect(statuses).toEqual(['Running', 'CrashLoopBackOff']);
  });
});

describe('back-off and durations', () => {
  it('restarts immediately once, then 10 s doubling to a 300 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 30].map(backOffDelaySeconds)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('parses the Go durations the kubelet prints', () => {
    expect(['10s', '40s', '1m20s', '2m40s', '5m0s', '1h0m0s'].map(parseGoDuration)).toEqual([10, 40, 80, 160, 300, 3600]);
    expect(parseGoDuration('soon')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  it('formats ages like kubectl', () => {
    const s = 1000;
    expect([12 * s, 119 * s, 125 * s, 600 * s, 185 * 60 * s, (3 * 3600 + 5 * 60) * s, 50 * 3600 * s, 10 * 86400 * s].map(humanDuration)).toEqual([
      '12s', '119s', '2m5s', '10m', '3h5m', '3h5m', '2d2h', '10d',
    ]);
  });
});

describe('restart history', () => {
  const snapshot = (count: number, finishedAt: string): Pod => {
    const { pod: p } = fixture('oom-killed');
    const status = p.status!.containerStatuses![0];
    status.restartCount = count;
    status.lastState = { terminated: { ...status.lastState!.terminated!, finishedAt } };
    return p;
  };

  it('places only the last restart of a first snapshot; the earlier ones are counted, not dated', () => {
    const p = snapshot(4, '2026-11-24T09:13:00Z');
    const history = recordRestarts(emptyRestartHistory(), p, at('2026-11-24T09:13:10Z'));
    const key = `${p.metadata.name}/app`;
    expect(history.restarts).toEqual([{ key, atMs: at('2026-11-24T09:13:00Z'), exact: true, reason: 'OOMKilled', exitCode: 137 }]);
    expect(unplacedRestarts(history, key)).toBe(3);
    expect(knownRestarts(p)).toEqual([{ container: 'app', restartCount: 4, lastAtMs: at('2026-11-24T09:13:00Z') }]);
  });

  it('adds a restart at finishedAt when the count rises, and at now when finishedAt did not move', () => {
    const first = snapshot(4, '2026-11-24T09:13:00Z');
    const key = `${first.metadata.name}/app`;
    let history = recordRestarts(emptyRestartHistory(), first, at('2026-11-24T09:13:10Z'));
    const before = history;
    history = recordRestarts(history, snapshot(4, '2026-11-24T09:13:00Z'), at('2026-11-24T09:13:20Z'));
    expect(history.restarts).toHaveLength(1);
    history = recordRestarts(history, snapshot(5, '2026-11-24T09:14:30Z'), at('2026-11-24T09:14:31Z'));
    history = recordRestarts(history, snapshot(7, '2026-11-24T09:14:30Z'), at('2026-11-24T09:20:00Z'));
    expect(history.restarts.map((r) => [r.atMs, r.exact])).toEqual([
      [at('2026-11-24T09:13:00Z'), true],
      [at('2026-11-24T09:14:30Z'), true],
      [at('2026-11-24T09:20:00Z'), false],
    ]);
    expect(unplacedRestarts(history, key)).toBe(4);
    expect(before.restarts).toHaveLength(1);
  });
});
