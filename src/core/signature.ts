/**
 * The observed "broken signature" of a scenario's pod, and whether it matches what the
 * scenario claims. The cluster suite uses this to prove every scenario breaks as designed;
 * `crashlab status` shows it so a learner can see the lab is broken the intended way.
 */
import type { ContainerStatus, KubeEvent, Pod } from './k8s.js';
import type { ExpectedSignature } from './scenario.js';

export interface ObservedSignature {
  pod: string;
  container: string;
  /** kubectl's STATUS column for the pod (computed by podStatus.ts), when the caller has it. */
  podStatus?: string;
  waitingReason?: string;
  waitingMessage?: string;
  running: boolean;
  restarts: number;
  lastTerminated?: { reason?: string; exitCode: number; message?: string };
  /** Reasons of Warning events about this pod, oldest first, without repeats. */
  warningEvents: string[];
  previousLog?: string;
}

function containerStatus(pod: Pod, name: string): ContainerStatus | undefined {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.find((c) => c.name === name);
}

export function observeSignature(pod: Pod, container: string, events: KubeEvent[] = [], previousLog?: string, podStatus?: string): ObservedSignature {
  const status = containerStatus(pod, container);
  const terminated = status?.lastState?.terminated ?? status?.state?.terminated;
  const warnings: string[] = [];
  for (const event of events) {
    if (event.type !== 'Warning' || !event.reason) continue;
    if (event.involvedObject.name !== pod.metadata.name) continue;
    if (event.involvedObject.uid && pod.metadata.uid && event.involvedObject.uid !== pod.metadata.uid) continue;
    if (!warnings.includes(event.reason)) warnings.push(event.reason);
  }
  return {
    pod: pod.metadata.name,
    container,
    podStatus,
    waitingReason: status?.state?.waiting?.reason,
    waitingMessage: status?.state?.waiting?.message,
    running: Boolean(status?.state?.running),
    restarts: status?.restartCount ?? 0,
    lastTerminated: terminated ? { reason: terminated.reason, exitCode: terminated.exitCode, message: terminated.message } : undefined,
    warningEvents: warnings,
    previousLog,
  };
}

export interface SignatureCheck {
  field: string;
  expected: string;
  observed: string;
  ok: boolean;
}

/**
 * Compares one snapshot with the expectation. Fields that alternate over time (the waiting
 * reason of a container flips between CrashLoopBackOff and RunContainerError) accept any of
 * the listed values; callers poll until every check holds or the scenario's bound passes.
 */
export function matchSignature(expected: ExpectedSignature, observed: ObservedSignature): { matches: boolean; checks: SignatureCheck[] } {
  const checks: SignatureCheck[] = [];
  const add = (field: string, want: string, got: string | undefined, ok: boolean) => checks.push({ field, expected: want, observed: got ?? '(none)', ok });

  if (expected.waitingReasons) {
    add('waitingReason', expected.waitingReasons.join(' | '), observed.waitingReason, expected.waitingReasons.includes(observed.waitingReason ?? ''));
  }
  if (expected.podStatuses) {
    add('podStatus', expected.podStatuses.join(' | '), observed.podStatus, expected.podStatuses.includes(observed.podStatus ?? ''));
  }
  if (expected.waitingMessage) {
    add('waitingMessage', `/${expected.waitingMessage}/`, observed.waitingMessage, new RegExp(expected.waitingMessage).test(observed.waitingMessage ?? ''));
  }
  if (expected.lastTerminated) {
    const want = expected.lastTerminated;
    const got = observed.lastTerminated;
    add('lastTerminated.reason', want.reason, got?.reason, got?.reason === want.reason);
    add('lastTerminated.exitCode', String(want.exitCode), got ? String(got.exitCode) : undefined, got?.exitCode === want.exitCode);
    if (want.message) add('lastTerminated.message', `/${want.message}/`, got?.message, new RegExp(want.message).test(got?.message ?? ''));
  }
  if (expected.minRestarts !== undefined) {
    add('restarts', `>= ${expected.minRestarts}`, String(observed.restarts), observed.restarts >= expected.minRestarts);
  }
  if (expected.maxRestarts !== undefined) {
    add('restarts', `<= ${expected.maxRestarts}`, String(observed.restarts), observed.restarts <= expected.maxRestarts);
  }
  for (const reason of expected.events ?? []) {
    add(`event ${reason}`, reason, observed.warningEvents.join(', ') || undefined, observed.warningEvents.includes(reason));
  }
  if (expected.previousLog) {
    const tail = observed.previousLog?.trim().split('\n').slice(-1)[0];
    add('previousLog', `/${expected.previousLog}/`, tail, new RegExp(expected.previousLog).test(observed.previousLog ?? ''));
  }
  return { matches: checks.every((c) => c.ok), checks };
}
