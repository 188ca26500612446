/**
 * The "nothing was changed" rule. Some broken workloads heal by themselves if left alone (the
 * app crash-loops only until a dependency started beside it is up): after that, the untouched
 * broken pod runs fine and the stability window alone would pass it. For a scenario that sets
 * `verify.requireChange`, the fix must have changed the workload's pod template.
 */
import type { K8sObject } from '../k8s.js';
import { findWorkload } from '../manifest.js';
import type { Scenario } from '../scenario.js';
import type { Text } from '../text.js';

/**
 * What the API server writes into a pod template the manifest left out (measured on v1.34:
 * test/fixtures/verify/sidecar-dependency/deployment-broken-live.json), by field name and value.
 * A field added with any other value is the learner's change.
 */
const DEFAULTED: Record<string, readonly unknown[]> = {
  dnsPolicy: ['ClusterFirst'],
  schedulerName: ['default-scheduler'],
  securityContext: [{}],
  terminationGracePeriodSeconds: [30],
  terminationMessagePath: ['/dev/termination-log'],
  terminationMessagePolicy: ['File'],
  imagePullPolicy: ['IfNotPresent', 'Always'],
  resources: [{}],
  protocol: ['TCP'],
  failureThreshold: [3],
  successThreshold: [1],
  timeoutSeconds: [1],
  periodSeconds: [10],
  scheme: ['HTTP'],
  defaultMode: [420],
  apiVersion: ['v1'],
};

function defaulted(key: string, value: unknown, inContainer: boolean): boolean {
  // The pod's restartPolicy defaults to Always; on a container it makes a native sidecar (a fix).
  if (key === 'restartPolicy') return !inContainer && value === 'Always';
  const values = DEFAULTED[key];
  return values !== undefined && values.some((d) => JSON.stringify(d) === JSON.stringify(value));
}

/**
 * true when `actual` is `expected` plus only what the API server adds by default: every field of
 * `expected` has the same value in `actual`; a field only `actual` has is a default (DEFAULTED)
 * or a change (an init container, an env var, a probe added); a list must have the same length.
 * A value the API server writes differently counts as a difference: on doubt the workload was
 * changed, never a false "unchanged".
 */
export function containsSubset(expected: unknown, actual: unknown, inContainer = false): boolean {
  if (expected === undefined || expected === null) return actual === undefined || actual === null;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => containsSubset(e, actual[i], inContainer));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const same = Object.entries(e).every(([k, v]) => containsSubset(v, a[k], inContainer || k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers'));
    return same && Object.entries(a).every(([k, v]) => k in e || v === undefined || defaulted(k, v, inContainer));
  }
  return expected === actual;
}

export interface RequireChange {
  /** The broken manifest's pod template spec (spec.template.spec) of the workload. */
  brokenSpec: unknown;
  /** Why the untouched workload recovers by itself (the scenario's `verify.requireChange.because`). */
  because?: Text;
}

export interface UnchangedResult {
  unchanged: boolean;
  message: Text;
}

/** Whether the live pod template spec still is the broken one, with the learner's reason. */
export function checkChanged(rule: RequireChange, liveSpec: unknown): UnchangedResult {
  if (!containsSubset(rule.brokenSpec, liveSpec)) {
    return { unchanged: false, message: { en: 'the pod template differs from the broken one', ko: 'pod template이 고장 난 버전과 다릅니다' } };
  }
  const because = rule.because ?? { en: 'what it waited for came up in the meantime', ko: '기다리던 대상이 그사이에 준비되었기' };
  return {
    unchanged: true,
    message: {
      en: `nothing was changed: the workload still runs the broken pod template; it recovered by itself because ${because.en}, and it breaks again on the next start. A fix must change the workload so that it starts right every time`,
      ko: `아무것도 바뀌지 않았습니다: 워크로드가 여전히 고장 난 pod template으로 실행됩니다. ${because.ko} 때문에 저절로 회복된 것이고, 다음에 새로 시작하면 다시 고장 납니다. 매번 제대로 시작하도록 워크로드를 고쳐야 합니다`,
    },
  };
}

/** The rule for a scenario whose `verify.requireChange` is set, from its broken manifest; else undefined. */
export function requireChangeFor(scenario: Pick<Scenario, 'verify' | 'workload'>, broken: K8sObject[]): RequireChange | undefined {
  const setting = scenario.verify.requireChange;
  if (!setting) return undefined;
  const workload = findWorkload(broken, scenario.workload.kind, scenario.workload.name);
  const brokenSpec = workload?.spec?.template?.spec;
  // No broken template to compare with: nothing to hold the fix to (validate reports the missing workload).
  if (!brokenSpec) return undefined;
  return { brokenSpec, because: setting === true ? undefined : setting.because };
}
