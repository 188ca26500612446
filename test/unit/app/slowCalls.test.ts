/** compose.ts's onSlowCall: every Kube call still waiting after 2 s is told, and told again when it answers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeLab } from '../../../src/app/compose.js';
import { kubectlCommandOf, timeKubeCalls, type SlowCall } from '../../../src/app/slowCallTimer.js';
import { plainRun } from '../../../src/core/instance.js';
import type { Kube } from '../../../src/ports/kube.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { VirtualClock } from '../../fakes/clock.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A Kube whose calls answer when the test says so. */
function gatedKube(): { kube: Kube; answer: () => void; fail: () => void } {
  const inner = new MemoryKube();
  let release: (() => void) | undefined;
  let reject: ((error: Error) => void) | undefined;
  const gate = () =>
    new Promise<void>((resolve, fail) => {
      release = resolve;
      reject = fail;
    });
  const kube = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'watchPods') return value;
      return async (...args: unknown[]) => {
        await gate();
        return value.apply(target, args);
      };
    },
  }) as Kube;
  return { kube, answer: () => release?.(), fail: () => reject?.(new Error('timed out')) };
}

function recorder() {
  const told: { call: SlowCall; answered: boolean }[] = [];
  const onSlowCall = (call: SlowCall) => {
    const entry = { call, answered: false };
    told.push(entry);
    return () => {
      entry.answered = true;
    };
  };
  return { told, onSlowCall };
}

describe('timeKubeCalls', () => {
  it('tells a call that waited the threshold, with its kubectl command and start, then tells its answer', async () => {
    const { kube, answer } = gatedKube();
    const { told, onSlowCall } = recorder();
    let now = 1_000_000;
    const timed = timeKubeCalls(kube, { slowMs: 2000, now: () => now, onSlowCall });
    const pods = timed.getPods('crashlab-oom', 'crashlab.dev/scenario=oom');
    now += 1999;
    await vi.advanceTimersByTimeAsync(1999);
    expect(told).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(told).toEqual([{ call: { command: 'kubectl get pods', since: 1_000_000, waits: false }, answered: false }]);
    answer();
    await expect(pods).resolves.toEqual([]);
    expect(told[0]!.answered).toBe(true);
  });

  it('a call that answers in time is never told; a failed call is answered too', async () => {
    const { kube, answer, fail } = gatedKube();
    const { told, onSlowCall } = recorder();
    const timed = timeKubeCalls(kube, { slowMs: 2000, now: () => 0, onSlowCall });
    const fast = timed.getEvents('crashlab-oom', 'web-1');
    await vi.advanceTimersByTimeAsync(500);
    answer();
    await fast;
    await vi.advanceTimersByTimeAsync(5000);
    expect(told).toEqual([]);
    const slow = timed.logs('crashlab-oom', 'web-1', 'app', { previous: true });
    await vi.advanceTimersByTimeAsync(2000);
    fail();
    await expect(slow).rejects.toThrow('timed out');
    expect(told).toEqual([{ call: { command: 'kubectl logs web-1', since: 0, waits: false }, answered: true }]);
  });

  it('tells waits that are long on purpose as such, and never watches', async () => {
    const inner = new MemoryKube();
    const { told, onSlowCall } = recorder();
    const never = new Promise<never>(() => {});
    const kube = Object.assign(Object.create(inner) as Kube, {
      deleteManagedNamespace: () => never,
      run: () => never,
    });
    const timed = timeKubeCalls(kube, { slowMs: 2000, now: () => 0, onSlowCall });
    void timed.deleteManagedNamespace('crashlab-oom', { wait: true });
    void timed.run(['rollout', 'status', 'deployment/web', '-n', 'crashlab-oom', '--timeout=50s']);
    void timed.run(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
    void timed.deleteManagedNamespace('crashlab-oom', { wait: false });
    void timed.run(['get', 'pods', '-n', 'crashlab-oom']);
    const watch = timed.watchPods('crashlab-oom', undefined, () => {});
    await vi.advanceTimersByTimeAsync(10_000);
    watch.cancel();
    expect(told.map((t) => [t.call.command, t.call.waits])).toEqual([
      ['kubectl delete namespace crashlab-oom', true],
      ['kubectl rollout status deployment/web', true],
      ['kubectl wait --for=condition=Ready node', true],
      ['kubectl delete namespace crashlab-oom', false],
      ['kubectl get pods', false],
    ]);
  });
});

describe('kubectlCommandOf', () => {
  it('names each Kube call the way kubectl would be typed', () => {
    expect(kubectlCommandOf('getPod', ['crashlab-oom', 'web-1'])).toBe('kubectl get pod web-1');
    expect(kubectlCommandOf('getDeployment', ['crashlab-oom', 'web'])).toBe('kubectl get deployment web');
    expect(kubectlCommandOf('getObject', ['crashlab-oom', 'statefulsets.apps', 'db'])).toBe('kubectl get statefulsets.apps db');
    expect(kubectlCommandOf('listObjects', ['crashlab-oom', 'jobs.batch'])).toBe('kubectl get jobs.batch');
    expect(kubectlCommandOf('deleteManagedObjects', ['crashlab-oom', 'sel', ['Deployment', 'ConfigMap']])).toBe('kubectl delete deployment,configmap');
    expect(kubectlCommandOf('apply', [[], 'crashlab-oom'])).toBe('kubectl apply');
    // A routine step up to its first flag: the seconds after it must fit on the line.
    expect(kubectlCommandOf('run', [['logs', 'queue-worker-8b664b988-sx6wq', '-n', 'crashlab-exit-zero', '-c', 'worker', '--timestamps']])).toBe('kubectl logs queue-worker-8b664b988-sx6wq');
  });
});

describe('composeLab with onSlowCall', () => {
  it('times the lab’s calls on the Kube port (the lab UI’s feed), with the composition’s clock', async () => {
    // The composition root loads the adapter module on first use: once loaded, fake time is enough.
    await import('../../../src/adapters/kubectl.js');
    const { kube, answer } = gatedKube();
    const { told, onSlowCall } = recorder();
    const lab = composeLab({ yes: false, lang: 'en', color: false }, { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(42), env: {}, onSlowCall });
    const events = lab.events(plainRun('oom'), 'web-1');
    await vi.advanceTimersByTimeAsync(2000);
    expect(told).toEqual([{ call: { command: 'kubectl get events', since: 42, waits: false }, answered: false }]);
    answer();
    await events;
    expect(told[0]!.answered).toBe(true);
  });
});
