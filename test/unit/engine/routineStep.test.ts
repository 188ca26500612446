import { describe, expect, it } from 'vitest';
import { routineSteps } from '../../../src/core/routine.js';
import { runRoutineStep } from '../../../src/engine/routineStep.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { VirtualClock } from '../../fakes/clock.js';
import { readyPod, restarted, terminatedNow } from '../../fakes/objects.js';

const steps = routineSteps({ namespace: 'crashlab-oom', pod: 'shop-api-6d5f8b7c9-4kq2m', container: 'app' });
const previous = steps.find((s) => s.id === 'logs-previous')!;

type RunResult = { exitCode: number; stdout: string; stderr: string };
/** A kube whose `logs --previous` answers in turn from `previous` (the last one again), and plain `logs` with `plain`. */
function scriptedLogs(previous: RunResult[], plain: RunResult): MemoryKube {
  const kube = new MemoryKube();
  kube.run = async (args: string[]) => {
    kube.calls.push(args.join(' '));
    return args.includes('--previous') ? (previous.length > 1 ? previous.shift()! : previous[0]) : plain;
  };
  return kube;
}

describe('runRoutineStep', () => {
  it('falls back to plain logs when the kubelet already removed the previous container', async () => {
    const kube = scriptedLogs(
      [{ exitCode: 1, stdout: '', stderr: 'unable to retrieve container logs for containerd://48dc9c9f51b0d486003c32da5e9abf7be1be0b6d976f63739eb3d81a7f977a79' }],
      { exitCode: 0, stdout: '2026-11-24T10:02:41.113Z shop-api: loading the product catalogue (64 MiB)...\nKilled', stderr: '' },
    );
    const run = await runRoutineStep(kube, previous);
    expect(kube.calls).toEqual([previous.args.join(' '), previous.args.filter((a) => a !== '--previous').join(' ')]);
    expect(run.exitCode).toBe(0);
    expect(run.output).toContain('unable to retrieve container logs');
    expect(run.output).toContain('--previous is gone');
    expect(run.output).toContain('loading the product catalogue');
  });

  it('also when the kubelet answers with its message as the log, exit 0 (kubelet and kubectl v1.34.4)', async () => {
    // Captured on the test cluster, 2026-12-06: expired-ca's worker between two restarts (state
    // terminated, the older dead container removed); stdout as below, stderr empty, exit 0.
    const kube = scriptedLogs(
      [{ exitCode: 0, stdout: 'unable to retrieve container logs for containerd://4e7d8bee5c6595f0f0e34deae35c2e0e6c44bf9fec12de8ebb04c57e75b116da\n', stderr: '' }],
      { exitCode: 0, stdout: 'curl: (60) SSL certificate problem: certificate has expired\nMore details here: https://curl.se/docs/sslcerts.html\n', stderr: '' },
    );
    const run = await runRoutineStep(kube, previous);
    expect(kube.calls).toHaveLength(2);
    expect(run.output).toContain('--previous is gone');
    expect(run.output).toContain('certificate has expired');
  });

  it('a log that merely mentions those words is the log', async () => {
    const kube = new MemoryKube();
    kube.runResults.set('logs', { exitCode: 0, stdout: 'agent: unable to retrieve container logs for containerd://abc (retrying)\nagent: giving up\n', stderr: '' });
    const run = await runRoutineStep(kube, previous);
    expect(kube.calls).toHaveLength(1);
    expect(run.output).toContain('giving up');
  });

  describe('with the container state known', () => {
    const GONE = { exitCode: 0, stdout: 'unable to retrieve container logs for containerd://4e7d8bee5c6595f0f0e34deae35c2e0e6c44bf9fec12de8ebb04c57e75b116da\n', stderr: '' };
    // Seen in the lab on the test cluster (kubelet v1.34.4) one second after a restart, the pod Running again.
    const NOT_FOUND = { exitCode: 1, stdout: '', stderr: 'Error from server (BadRequest): previous terminated container "app" in pod "checkout-64dcb478bf-mxfc4" not found' };
    const PREVIOUS_LOG = { exitCode: 0, stdout: "checkout: connecting to postgres://orders-db.default.svc.cluster.local:5432/orders\nnc: bad address 'orders-db.default.svc.cluster.local'\n", stderr: '' };
    const NEW_INSTANCE_LOG = { exitCode: 0, stdout: 'checkout: try 1 of 5 failed, retrying in 2 s\n', stderr: '' };
    function kubeWith(podState: 'running' | 'terminated', previousAnswers: RunResult[]) {
      const kube = scriptedLogs(previousAnswers, NEW_INSTANCE_LOG);
      const pod = restarted(readyPod(), Date.parse('2026-12-06T23:25:45Z'), { exitCode: 1, reason: 'Error' });
      const target = { namespace: pod.metadata.namespace!, pod: pod.metadata.name, container: pod.status!.containerStatuses![0].name };
      kube.setPod(podState === 'running' ? pod : terminatedNow(pod, Date.parse('2026-12-06T23:25:55Z'), { exitCode: 1, reason: 'Error' }));
      const clock = VirtualClock.stopped(0);
      const slept: number[] = [];
      clock.sleep = async (ms: number) => void slept.push(ms);
      return { kube, target, clock, slept };
    }

    it('terminated now: the current instance is the one that died, so plain logs', async () => {
      const { kube, target, clock, slept } = kubeWith('terminated', [GONE]);
      const run = await runRoutineStep(kube, previous, { target, clock });
      expect(kube.calls.filter((c) => c.startsWith('logs'))).toEqual([previous.args.join(' '), previous.args.filter((a) => a !== '--previous').join(' ')]);
      expect(run.output).toContain('the container that just died is the current one');
      expect(slept).toEqual([]);
    });

    it('running again: never shows the new instance as the one that died; asks again after 2 s', async () => {
      const { kube, target, clock, slept } = kubeWith('running', [NOT_FOUND, PREVIOUS_LOG]);
      const run = await runRoutineStep(kube, previous, { target, clock });
      expect(slept).toEqual([2000]);
      expect(kube.calls.filter((c) => c.startsWith('logs'))).toEqual([previous.args.join(' '), previous.args.join(' ')]);
      expect(run).toEqual({ exitCode: 0, output: PREVIOUS_LOG.stdout });
    });

    it('running again and still gone: says to run the step again, in the learner\'s language', async () => {
      const { kube, target, clock } = kubeWith('running', [NOT_FOUND, NOT_FOUND]);
      const run = await runRoutineStep(kube, previous, { target, clock, lang: 'ko' });
      expect(run.output).not.toContain('try 1 of 5');
      expect(run.output).toContain('previous terminated container "app"');
      expect(run.output).toContain('몇 초 뒤에 이 단계를 다시 실행하세요');
      expect(run.exitCode).toBe(1);
    });
  });

  it('returns other failures as they are', async () => {
    const kube = new MemoryKube();
    kube.runResults.set('logs', { exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "shop-api-6d5f8b7c9-4kq2m" not found' });
    const run = await runRoutineStep(kube, previous);
    expect(run).toEqual({ exitCode: 1, output: 'Error from server (NotFound): pods "shop-api-6d5f8b7c9-4kq2m" not found' });
    expect(kube.calls).toHaveLength(1);
  });
});
