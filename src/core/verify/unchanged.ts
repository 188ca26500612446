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
 * true when every field of `expected` is in `actual` with the same value: extra fields in
 * `actual` (the API server's defaults) do not count; a list must have the same length (an added
 * container or env var is a change). A value the API server writes differently counts as a
 * difference: on doubt the workload was changed, never a false "unchanged".
 */
export function containsSubset(expected: unknown, actual: unknown): boolean {
  if (expected === undefined || expected === null) return true;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => containsSubset(e, actual[i]));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => containsSubset(v, a[k]));
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
