/**
 * The verifier's scripted cluster (MemoryKube, read-only), and playScript, which moves the one VirtualClock
 * (clock.ts) only when every promise has settled, so a 60 s window runs in milliseconds.
 */
import type { Deployment, K8sObject, KubeEvent, Pod, ReplicaSet } from '../../src/core/k8s.js';
import type { VirtualClock } from './clock.js';
import { MemoryKube } from './memoryKube.js';

/** The verifier's cluster: a read-only MemoryKube holding a Deployment, its ReplicaSets, pods and events. */
export function scriptedKube(init: { deployment?: Deployment; replicaSets?: ReplicaSet[]; pods?: Pod[]; events?: KubeEvent[] } = {}): MemoryKube {
  const { deployment, ...rest } = init;
  return new MemoryKube().seed({ ...rest, objects: deployment ? [deployment as unknown as K8sObject] : [], readOnly: true });
}

export interface Step {
  /** Seconds after the start of the run. */
  at: number;
  do: () => void;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `work` while playing `steps` in virtual time: whenever the work sleeps and nothing else can
 * progress, time jumps to the next scripted step or timer. Steps run before timers due at the same instant.
 */
export async function playScript<T>(clock: VirtualClock, steps: Step[], work: () => Promise<T>): Promise<{ result: T; endedAtSeconds: number }> {
  const start = clock.now();
  const queue = [...steps].sort((a, b) => a.at - b.at);
  let finished = false;
  let result!: T;
  let failure: unknown;
  work().then(
    (r) => {
      finished = true;
      result = r;
    },
    (e) => {
      finished = true;
      failure = e;
    },
  );
  for (let guard = 0; guard < 100_000; guard++) {
    await settle();
    if (finished) break;
    // Time only moves while the work sleeps; until then it may be doing real I/O (reading scenario files).
    for (let waited = 0; !finished && clock.pendingTimers() === 0; waited += 5) {
      if (waited > 3000) throw new Error('stuck: the work neither finished nor went to sleep');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (finished) break;
    const nextStep = queue[0] ? start + queue[0].at * 1000 : undefined;
    const nextTimer = clock.nextTimerAt();
    if (nextStep !== undefined && (nextTimer === undefined || nextStep <= nextTimer)) {
      clock.advanceTo(nextStep);
      queue.shift()!.do();
    } else {
      clock.advanceTo(nextTimer!);
    }
  }
  if (!finished) throw new Error('verify did not finish');
  if (failure) throw failure;
  return { result, endedAtSeconds: (clock.now() - start) / 1000 };
}
