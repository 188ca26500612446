/**
 * Times the lab's calls on the Kube port and reports each one still waiting after `slowMs`,
 * with a function to call when it answers: the lab UI's "the cluster is slow" line appears and
 * goes away with it. The adapter's own onSlow is not enough there: it tells once per Kubectl,
 * which is the whole session in the lab UI, and never says when the cluster answers again.
 */
import type { Kube } from '../ports/kube.js';
import { waitsOnPurpose } from '../core/kubectlText.js';

export interface SlowCall {
  /** The kubectl command, short (`kubectl get pods`): what the learner would type. */
  command: string;
  /** When the call started (ms, the lab's clock). */
  since: number;
  /**
   * The call waits for something on purpose (delete --wait, rollout status, kubectl wait): long
   * is normal there, so it is said as waiting, not as a slow cluster. Still told: a start that
   * first deletes the previous run waits for its pods' grace period, and that should show.
   */
  waits: boolean;
}

/** Told when a call has waited `slowMs`; the function it returns is called once that call answered or failed. */
export type OnSlowCall = (call: SlowCall) => () => void;

/** Watches run until cancelled: they are never "slow". */
const LONG_LIVED = new Set(['watchPods', 'watchObjects']);

export function timeKubeCalls(kube: Kube, options: { slowMs: number; now: () => number; onSlowCall: OnSlowCall }): Kube {
  return new Proxy(kube, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || LONG_LIVED.has(property)) return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const since = options.now();
        let answered: (() => void) | undefined;
        const timer = setTimeout(() => (answered = options.onSlowCall({ command: kubectlCommandOf(property, args), since, waits: waitsByDesign(property, args) })), options.slowMs);
        timer.unref?.();
        const settled = () => {
          clearTimeout(timer);
          answered?.();
        };
        result.then(settled, settled);
        return result;
      };
    },
  });
}

/** A delete with wait: true waits for finalizers and grace periods, `rollout status` for a rollout, `kubectl wait` for its condition. */
function waitsByDesign(method: string, args: unknown[]): boolean {
  if (method === 'run' && Array.isArray(args[0])) return waitsOnPurpose(args[0]);
  const options = method === 'deleteManagedNamespace' ? args[1] : method === 'deleteManagedObjects' ? args[3] : undefined;
  return Boolean((options as { wait?: boolean } | undefined)?.wait);
}

/** The kubectl command a Kube call runs (see adapters/kubectl.ts), short: no namespace, output or other flags. */
export function kubectlCommandOf(method: string, args: unknown[]): string {
  const s = (i: number) => (typeof args[i] === 'string' ? (args[i] as string) : '');
  const words = (() => {
    switch (method) {
      case 'apply':
        return ['apply'];
      case 'getPods':
        return ['get', 'pods'];
      case 'getPod':
        return ['get', 'pod', s(1)];
      case 'getDeployment':
        return ['get', 'deployment', s(1)];
      case 'getReplicaSets':
        return ['get', 'replicasets'];
      case 'getEvents':
        return ['get', 'events'];
      case 'getNamespace':
        return ['get', 'namespace', s(0)];
      case 'logs':
        return ['logs', s(1)];
      case 'getObject':
        return ['get', s(1), s(2)];
      case 'listObjects':
        return ['get', s(1)];
      case 'deleteManagedNamespace':
        return ['delete', 'namespace', s(0)];
      case 'deleteManagedObjects':
        return ['delete', Array.isArray(args[2]) ? args[2].join(',').toLowerCase() : ''];
      case 'run': {
        // Up to the first flag (but what `kubectl wait` waits for): the status line has one
        // row, and the seconds must fit in it.
        const argv = Array.isArray(args[0]) ? args[0].map(String) : [];
        const flag = argv.findIndex((a) => a.startsWith('-') && !a.startsWith('--for='));
        return flag < 0 ? argv : argv.slice(0, flag);
      }
      default:
        return [`(${method})`];
    }
  })();
  return ['kubectl', ...words.filter(Boolean)].join(' ');
}
