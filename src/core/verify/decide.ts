/**
 * The verification contract as a pure state machine over snapshots of the cluster. The engine
 * feeds a snapshot whenever something changed (pod watch) or time passed (re-reads); each one
 * moves the state on and may decide: pass, fail (with evidence and the rule broken) or unable.
 *
 * Phases: waiting for the rollout (the current revision's pods all Ready, old pods gone), then
 * the stability window W, which starts the moment that first holds. The first restart or
 * termination of a current pod fails at any phase; during W so does lost readiness or a Warning
 * event. A pod that runs but never becomes Ready fails once its readiness budget is spent. A
 * second rollout that begins during W sends verify back to waiting for the new pods (with a
 * note), since the pods that were watched are no longer the version to judge. A Job has no
 * window: it passes when Complete, and fails on its first failed or restarted pod.
 */
import { eventTime, type ContainerStatus, type Deployment, type KubeEvent, type Pod, type ReplicaSet } from '../k8s.js';
import type { Guard } from '../scenario.js';
import { withParticle, type Text } from '../text.js';
import { currentRefusal } from '../diagnose/controller.js';
import { evaluateGuards, type GuardResult } from './guards.js';
import { checkChanged, type RequireChange } from './unchanged.js';
import { learnedTerms, lifetimeKey, lifetimesOf, type Lifetime } from './lifetimes.js';
import { readinessBudget, stabilityWindow, type StabilityWindow } from './window.js';
import {
  desiredNothing,
  isReady,
  jobCondition,
  rolloutView,
  type ControllerRevision,
  type RolloutView,
  type Workload,
  type WorkloadKind,
} from './workload.js';

export { currentReplicaSet, HASH_LABEL } from './workload.js';
import { currentReplicaSet } from './workload.js';

export interface VerifySnapshot {
  atMs: number;
  /** The workload object; undefined (and no `deployment`) when it does not exist. */
  workload?: Workload;
  /** The same for a Deployment (the original field; `workload` wins when both are set). */
  deployment?: Deployment;
  replicaSets: ReplicaSet[];
  /** ControllerRevisions matching the selector (DaemonSets name their current hash there). */
  revisions?: ControllerRevision[];
  /** Pods matching the workload's selector. */
  pods: Pod[];
  /** Events of the namespace (filtered here to the workload's pods). */
  events: KubeEvent[];
  /**
   * false: the pods come from the watch only, not from a list made with the other objects. The
   * window only opens on a listed snapshot (a pod deleted between a list and the watch's start
   * is never reported as deleted). Absent means listed.
   */
  podsListed?: boolean;
}

export interface VerifyConfig {
  namespace: string;
  /** Default Deployment. */
  kind?: WorkloadKind;
  /** The workload's name (`deployment` is the same, for Deployments, kept for callers that use it). */
  name?: string;
  deployment?: string;
  guards?: readonly Guard[];
  /** The scenario heals by itself if left alone: the fix must change the pod template (unchanged.ts). */
  requireChange?: RequireChange;
  crashWithinSeconds?: number;
  marginSeconds: number;
  windowOverrideSeconds?: number;
  rolloutTimeoutSeconds: number;
  /**
   * When the user asked for verification (the engine's start, before its first read). A
   * termination after it is the current version failing even if the first look came later (a
   * slow first read on a loaded machine).
   */
  requestedAtMs?: number;
}

export type VerifyRule = 'deployment' | 'workload' | 'rollout' | 'refused' | 'ready' | 'restart' | 'termination' | 'event' | 'guard' | 'unchanged' | 'pod-replaced' | 'job';

export interface Evidence {
  rule: VerifyRule;
  summary: Text;
  pod?: string;
  container?: string;
  reason?: string;
  exitCode?: number;
  message?: string;
  /** When it happened (the cluster's timestamp). */
  at?: string;
  restarts?: { atStart: number; now: number };
  event?: { type?: string; reason?: string; message?: string; count?: number };
  /** How long a pod was not Ready (readiness lost during W, or never Ready). */
  unreadySeconds?: number;
}

export interface ContainerRestarts {
  name: string;
  /** At the start of the window; absent before it started. */
  restartsAtStart?: number;
  restarts: number;
}

export interface PodRestarts {
  pod: string;
  containers: ContainerRestarts[];
}

export type Decision =
  | { kind: 'pending'; phase: 'waiting-for-rollout'; reason: Text; remainingSeconds: number; needsFreshRead?: boolean }
  | { kind: 'pending'; phase: 'watching'; reason: Text; remainingSeconds: number }
  | { kind: 'pass'; summary: Text }
  | { kind: 'fail'; rule: VerifyRule; summary: Text; evidence: Evidence[] }
  | { kind: 'unable'; summary: Text };

interface Baseline {
  startMs: number;
  window: StabilityWindow;
  generation?: number;
  /** The revision the window watches (RolloutView.revision). */
  revision?: string;
  revisionLabel?: string;
  /** uid (or name) → pod name and restart count per container. */
  pods: Record<string, { name: string; restarts: Record<string, number>; terminations?: string[]; readySince?: string }>;
}

export interface VerifyState {
  config: VerifyConfig;
  decision: Decision;
  startedAtMs?: number;
  /** The Deployment already reported ProgressDeadlineExceeded when verification began. */
  staleProgressDeadline?: boolean;
  /** The derived W (frozen when the window starts; it only grows after that). */
  window?: StabilityWindow;
  baseline?: Baseline;
  guardResults: GuardResult[];
  pods: PodRestarts[];
  /** Every run of the workload's containers that ended by itself, seen so far (by lifetimeKey). */
  lifetimes: Record<string, Lifetime>;
  /** Restart counts per pod uid and container when the pod was first seen. */
  firstSeen: Record<string, Record<string, number>>;
  /**
   * Terminations (termKey) the pods of the first snapshot already showed: they happened before
   * verify began. Compared by identity, not by timestamp, so a cluster clock ahead of ours does
   * not turn an old crash into a new one.
   */
  preexisting: Record<string, string[]>;
  /** Things the verdict should mention: a second rollout, a window that grew. */
  notes: Text[];
  /** How many times a second rollout sent verify back to waiting. */
  rolloutRestarts: number;
  /** When a pod was first seen unready in the window with no failed probe yet (cleared when explained or Ready). */
  unexplainedUnreadySinceMs?: number;
  /** When a refusal to create the current version's pods was first seen (cleared when it goes away). */
  refusedSinceMs?: number;
}

/**
 * How long a readiness loss may wait for its Unhealthy event: the kubelet writes the event and
 * the pod's status separately, and the two watches deliver them in either order (the verify
 * suite's flapping pod: status first). Past this, no failed probe means "could not verify".
 */
export const PROBE_EVENT_GRACE_MS = 10_000;

const t = (en: string, ko: string): Text => ({ en, ko });

/** A workload that keeps rolling out is not settling: after this many restarts of the wait, fail. */
export const MAX_ROLLOUT_RESTARTS = 3;
/** A pod that cannot even start (unschedulable, a volume that will not mount) gets this long, with a Warning event to show. */
export const PENDING_GRACE_SECONDS = 60;
/**
 * A refusal to create pods (quota, LimitRange, Pod Security, webhook) must still stand after this
 * long: the controller retries, and a quota freed by pods that are going away lets it through.
 */
export const REFUSED_GRACE_SECONDS = 10;
/** A FailedCreate event older than this is history, not the controller retrying now (a condition is always current). */
export const REFUSED_EVENT_MAX_AGE_SECONDS = 300;

export function initialVerifyState(config: VerifyConfig): VerifyState {
  return {
    config,
    decision: { kind: 'pending', phase: 'waiting-for-rollout', reason: t('starting', '시작하는 중'), remainingSeconds: config.rolloutTimeoutSeconds },
    guardResults: [],
    pods: [],
    lifetimes: {},
    firstSeen: {},
    preexisting: {},
    notes: [],
    rolloutRestarts: 0,
  };
}

export function kindOf(config: VerifyConfig): WorkloadKind {
  return config.kind ?? 'Deployment';
}

export function nameOf(config: VerifyConfig): string {
  return config.name ?? config.deployment ?? '';
}

/** Folds a whole sequence (tests, replays); the engine calls observe() as snapshots arrive. */
export function decide(config: VerifyConfig, snapshots: readonly VerifySnapshot[]): VerifyState {
  return snapshots.reduce(observe, initialVerifyState(config));
}

export function isFinal(decision: Decision): boolean {
  return decision.kind !== 'pending';
}

// ------------------------------------------------------------------ reading the objects

function ms(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const value = Date.parse(timestamp);
  return Number.isNaN(value) ? undefined : value;
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? pod.metadata.name;
}

function sidecarNames(pod: Pod): Set<string> {
  return new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
}

/** Containers that must stay up: regular ones and native sidecars (init containers with restartPolicy Always). */
function longRunningStatuses(pod: Pod): ContainerStatus[] {
  const sidecars = sidecarNames(pod);
  return [...(pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)), ...(pod.status?.containerStatuses ?? [])];
}

function allStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/** One run's termination, by container and finishedAt (or containerID). */
function termKey(status: ContainerStatus, term: { finishedAt?: string; containerID?: string }): string {
  return `${status.name}/${term.containerID ?? ''}/${term.finishedAt ?? ''}`;
}

function terminationsOf(pod: Pod): string[] {
  return allStatuses(pod).flatMap((s) => [s.state?.terminated, s.lastState?.terminated].filter((x) => x !== undefined).map((term) => termKey(s, term!)));
}

function readySince(pod: Pod): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
}

function restartsOf(pod: Pod): Record<string, number> {
  return Object.fromEntries(longRunningStatuses(pod).map((s) => [s.name, s.restartCount]));
}

function describeState(status: ContainerStatus): string {
  const s = status.state;
  if (s?.waiting) return `waiting: ${s.waiting.reason ?? 'unknown'}${s.waiting.message ? ` (${s.waiting.message})` : ''}`;
  if (s?.terminated) return `terminated: ${s.terminated.reason ?? 'unknown'}, exit ${s.terminated.exitCode}`;
  if (s?.running && !status.ready) return 'running, not ready';
  if (s?.running) return 'running';
  return 'no state reported yet';
}

function describeStateKo(status: ContainerStatus): string {
  const s = status.state;
  if (s?.waiting) return `대기 중: ${s.waiting.reason ?? '이유 모름'}${s.waiting.message ? ` (${s.waiting.message})` : ''}`;
  if (s?.terminated) return `종료됨: ${s.terminated.reason ?? '이유 모름'}, 종료 코드 ${s.terminated.exitCode}`;
  if (s?.running && !status.ready) return '실행 중이지만 Ready 아님';
  if (s?.running) return '실행 중';
  return '아직 상태 보고 없음';
}

/** Why a pod is not (yet) Ready with every container running, or undefined when it is. */
function podNotReadyReason(pod: Pod): Text | undefined {
  const name = pod.metadata.name;
  const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const init = (pod.status?.initContainerStatuses ?? []).find((s) => !sidecars.has(s.name) && s.state?.terminated?.exitCode !== 0);
  if (init) {
    return t(`pod ${name}: init container ${init.name} ${describeState(init)}`, `파드 ${name}: init 컨테이너 ${init.name} ${describeStateKo(init)}`);
  }
  const statuses = longRunningStatuses(pod);
  const expected = [...sidecars].length + pod.spec.containers.length;
  for (const status of statuses) {
    if (!status.state?.running || !status.ready) {
      return t(`pod ${name}: container ${status.name} ${describeState(status)}`, `파드 ${name}: 컨테이너 ${status.name} ${describeStateKo(status)}`);
    }
  }
  if (statuses.length < expected) {
    const phase = pod.status?.phase ?? 'Pending';
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const detail = cond ? `${cond.reason ?? 'Unschedulable'}${cond.message ? `: ${cond.message}` : ''}` : 'containers not created yet';
    return t(`pod ${name}: ${phase}, ${detail}`, `파드 ${name}: ${phase}, ${cond ? detail : '컨테이너가 아직 생성되지 않음'}`);
  }
  if (!isReady(pod)) {
    const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
    return t(`pod ${name} is not Ready${cond?.reason ? ` (${cond.reason})` : ''}`, `${name} 파드가 Ready 상태가 아닙니다${cond?.reason ? ` (${cond.reason})` : ''}`);
  }
  return undefined;
}

function progressDeadlineExceeded(deployment: Workload): { message?: string } | undefined {
  const status = deployment.status;
  if ((status?.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0)) return undefined;
  const cond = status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
  return cond ? { message: cond.message } : undefined;
}

// ------------------------------------------------------------------ evidence

function terminationEvidence(rule: VerifyRule, pod: Pod, status: ContainerStatus, during: Text, atStart?: number): Evidence {
  const term = status.state?.terminated ?? status.lastState?.terminated;
  const podName = pod.metadata.name;
  const what = term ? `${term.reason ?? 'terminated'}, exit code ${term.exitCode}` : 'restarted';
  const whatKo = term ? `${term.reason ?? '종료'}, 종료 코드 ${term.exitCode}` : '재시작됨';
  const restarted = atStart !== undefined && status.restartCount > atStart;
  return {
    rule,
    summary: restarted
      ? t(
          `container ${status.name} of pod ${podName} restarted ${during.en} (restarts ${atStart} → ${status.restartCount}; last exit: ${what})`,
          `${podName} 파드의 ${status.name} 컨테이너가 ${during.ko} 재시작했습니다 (재시작 ${atStart} → ${status.restartCount}; 마지막 종료: ${whatKo})`,
        )
      : t(`container ${status.name} of pod ${podName} terminated ${during.en} (${what})`, `${podName} 파드의 ${status.name} 컨테이너가 ${during.ko} 종료되었습니다 (${whatKo})`),
    pod: podName,
    container: status.name,
    reason: term?.reason,
    exitCode: term?.exitCode,
    message: term?.message?.trim() || undefined,
    at: term?.finishedAt,
    restarts: atStart !== undefined ? { atStart, now: status.restartCount } : undefined,
  };
}

function eventEvidence(event: KubeEvent): Evidence {
  const pod = event.involvedObject.name ?? '';
  const container = /spec\.(?:initContainers|containers)\{(.+)\}/.exec(event.involvedObject.fieldPath ?? '')?.[1];
  return {
    rule: 'event',
    summary: t(
      `${event.type ?? 'Warning'} event ${event.reason} on pod ${pod}: ${event.message ?? ''}`.trim(),
      `${pod} 파드에 ${event.type ?? 'Warning'} 이벤트 ${event.reason}: ${event.message ?? ''}`.trim(),
    ),
    pod,
    container,
    reason: event.reason,
    message: event.message,
    at: eventTime(event),
    event: { type: event.type, reason: event.reason, message: event.message, count: event.count },
  };
}

/**
 * Warnings the kubelet repeats on every pod sync about the node's DNS set-up or a probe that
 * passed with a remark: they say nothing about whether the workload is healthy, and counting
 * them would fail every fix on such a node (seen on a real cluster without ClusterDNS).
 */
export const NOISE_WARNING_REASONS: readonly string[] = ['MissingClusterDNS', 'DNSConfigForming', 'ProbeWarning'];

/**
 * Warning events, plus Killing (a Normal event: the kubelet stopping a container, e.g. after a
 * failed liveness probe). Matched on reason and type, never on message wording.
 */
function isTroubleEvent(event: KubeEvent): boolean {
  if (event.reason && NOISE_WARNING_REASONS.includes(event.reason)) return false;
  return event.type === 'Warning' || event.reason === 'Killing';
}

/**
 * The node stopped answering (its kubelet or container runtime down): the node controller marks
 * its pods not Ready and puts this Warning on each. Nothing can be known about the workload
 * then, so the verdict is "could not verify": never a fail for the lost readiness, nor a pass.
 */
export const NODE_SILENT_REASONS: readonly string[] = ['NodeNotReady'];

function nodeSilence(events: KubeEvent[], pods: Pod[], sinceMs: number): KubeEvent | undefined {
  return eventsAbout(events, pods).find((e) => NODE_SILENT_REASONS.includes(e.reason ?? '') && (ms(eventTime(e)) ?? -Infinity) >= sinceMs);
}

function nodeSilent(state: VerifyState, event: KubeEvent, pods: Pod[]): VerifyState {
  const pod = event.involvedObject.name ?? '';
  const node = pods.find((p) => p.metadata.name === pod)?.spec?.nodeName;
  const which = node ? `node ${node}` : 'the node';
  return {
    ...state,
    decision: {
      kind: 'unable',
      summary: t(
        `${which} stopped answering during the stability window (${event.reason} on pod ${pod}): could not verify; run verify again once the node is Ready`,
        `${node ? `${node} 노드` : '노드'}가 안정성 확인 구간 동안 응답하지 않았습니다(${pod} 파드에 ${event.reason}): 검증할 수 없습니다. 노드가 Ready가 된 뒤 검증을 다시 실행하십시오`,
      ),
    },
  };
}

function eventsAbout(events: KubeEvent[], pods: Pod[]): KubeEvent[] {
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  return events.filter((e) => {
    if (e.involvedObject.kind && e.involvedObject.kind !== 'Pod') return false;
    const pod = byName.get(e.involvedObject.name ?? '');
    if (!pod) return false;
    return !(e.involvedObject.uid && pod.metadata.uid && e.involvedObject.uid !== pod.metadata.uid);
  });
}

/** What the not-ready pods show: waiting reasons with messages, last terminations, recent Warning events. */
function stuckEvidence(pods: Pod[], events: KubeEvent[]): Evidence[] {
  const evidence: Evidence[] = [];
  for (const pod of pods) {
    const reason = podNotReadyReason(pod);
    if (!reason) continue;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const stuck = statuses.filter((s) => !(s.state?.running && s.ready) && !(s.state?.terminated?.exitCode === 0 && s.state.terminated.reason === 'Completed'));
    if (stuck.length === 0) evidence.push({ rule: 'rollout', summary: reason, pod: pod.metadata.name });
    for (const status of stuck) {
      const last = status.lastState?.terminated;
      const lastEn = last ? `; last exit: ${last.reason ?? 'terminated'}, exit code ${last.exitCode}` : '';
      const lastKo = last ? `; 마지막 종료: ${last.reason ?? '이유 모름'}, 종료 코드 ${last.exitCode}` : '';
      evidence.push({
        rule: 'rollout',
        summary: t(
          `pod ${pod.metadata.name}: container ${status.name} ${describeState(status)}, restarts ${status.restartCount}${lastEn}`,
          `파드 ${pod.metadata.name}: 컨테이너 ${status.name} ${describeStateKo(status)}, 재시작 ${status.restartCount}${lastKo}`,
        ),
        pod: pod.metadata.name,
        container: status.name,
        reason: status.state?.waiting?.reason ?? status.state?.terminated?.reason ?? last?.reason,
        message: status.state?.waiting?.message ?? last?.message?.trim() ?? undefined,
        exitCode: status.state?.terminated?.exitCode ?? last?.exitCode,
        at: last?.finishedAt,
      });
    }
    const troubles = eventsAbout(events, [pod])
      .filter(isTroubleEvent)
      .sort((a, b) => (ms(eventTime(b)) ?? 0) - (ms(eventTime(a)) ?? 0));
    const seen = new Set<string>();
    for (const event of troubles) {
      if (seen.has(event.reason ?? '')) continue;
      seen.add(event.reason ?? '');
      evidence.push({ ...eventEvidence(event), rule: 'rollout' });
      if (seen.size >= 3) break;
    }
  }
  return evidence;
}

/**
 * How long a current pod that was already failing when verify began gets to recover on its
 * own. A fix outside the pod spec (a Secret, a ConfigMap) is picked up on the kubelet's next
 * attempt, which comes within this for config errors; waiting the whole rollout timeout for
 * a pod that keeps failing only delays the same verdict.
 */
export const STUCK_GRACE_SECONDS = 30;

const NEVER_STARTS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'ErrImagePull', 'ImagePullBackOff', 'RunContainerError']);

/**
 * A current pod that is crash-looping or cannot create its container, from before verify
 * began: fail at once when the kubelet's next attempt is further away than the grace period
 * (it would not retry before then), or once the grace period has passed.
 */
function stuckBeforeVerify(pods: Pod[], startedAtMs: number, nowMs: number): Evidence | undefined {
  const graceEndMs = startedAtMs + STUCK_GRACE_SECONDS * 1000;
  for (const pod of pods) {
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = status.state?.waiting;
      if (!waiting?.reason) continue;
      const podName = pod.metadata.name;
      const delete_ = `kubectl delete pod ${podName}${pod.metadata.namespace ? ` -n ${pod.metadata.namespace}` : ''}`;
      if (waiting.reason === 'CrashLoopBackOff') {
        const last = status.lastState?.terminated;
        const delaySeconds = backOffSeconds(waiting.message);
        const finished = ms(last?.finishedAt);
        const retryAtMs = finished !== undefined && delaySeconds !== undefined ? finished + delaySeconds * 1000 : undefined;
        if (retryAtMs !== undefined ? retryAtMs <= graceEndMs && nowMs < graceEndMs : nowMs < graceEndMs) continue;
        const what = last ? `${last.reason ?? 'terminated'}, exit code ${last.exitCode}` : 'crashed';
        const whatKo = last ? `${last.reason ?? '종료'}, 종료 코드 ${last.exitCode}` : '크래시';
        const retry = retryAtMs !== undefined && retryAtMs > nowMs ? Math.ceil((retryAtMs - nowMs) / 1000) : undefined;
        return {
          rule: 'rollout',
          summary: t(
            `the current version is crash-looping: container ${status.name} of pod ${podName} is in CrashLoopBackOff after ${status.restartCount} restarts (last exit: ${what})${retry !== undefined ? `; the kubelet retries in ${retry} s` : ''}. If your fix was outside the pod spec (a Secret, a ConfigMap), restart the pod: ${delete_}`,
            `현재 버전이 크래시 루프 중입니다: ${podName} 파드의 ${status.name} 컨테이너가 ${status.restartCount}번 재시작 후 CrashLoopBackOff 상태입니다 (마지막 종료: ${whatKo})${retry !== undefined ? `; kubelet은 ${retry}초 뒤에 다시 시도합니다` : ''}. 파드 스펙 밖(Secret, ConfigMap)을 고쳤다면 파드를 다시 시작하세요: ${delete_}`,
          ),
          pod: podName,
          container: status.name,
          reason: 'CrashLoopBackOff',
          exitCode: last?.exitCode,
          message: last?.message?.trim() || waiting.message,
          at: last?.finishedAt,
        };
      }
      if (NEVER_STARTS.has(waiting.reason) && nowMs >= graceEndMs) {
        return {
          rule: 'rollout',
          summary: t(
            `container ${status.name} of pod ${podName} still cannot start after ${STUCK_GRACE_SECONDS} s: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
            `${STUCK_GRACE_SECONDS}초가 지나도 ${podName} 파드의 ${status.name} 컨테이너가 시작하지 못합니다: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
          ),
          pod: podName,
          container: status.name,
          reason: waiting.reason,
          message: waiting.message,
        };
      }
    }
  }
  return undefined;
}

/** The kubelet's "back-off 40s restarting failed container=..." message, in seconds. */
function backOffSeconds(message: string | undefined): number | undefined {
  const m = /back-off (?:(\d+)m)?(?:(\d+)s)? restarting/.exec(message ?? '');
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

// ------------------------------------------------------------------ the rules

/** Every failed verdict carries at least one piece of evidence: the summary itself when nothing more is known. */
function fail(state: VerifyState, rule: VerifyRule, summary: Text, evidence: Evidence[]): VerifyState {
  return { ...state, decision: { kind: 'fail', rule, summary, evidence: evidence.length > 0 ? evidence : [{ rule, summary }] } };
}

function restartTable(pods: Pod[], baseline?: Baseline): PodRestarts[] {
  return pods.map((pod) => {
    const atStart = baseline?.pods[podKey(pod)]?.restarts;
    return {
      pod: pod.metadata.name,
      containers: longRunningStatuses(pod).map((s) => ({ name: s.name, restartsAtStart: atStart?.[s.name], restarts: s.restartCount })),
    };
  });
}

/** The newest Unhealthy event (a failing readiness or startup probe) about a pod. */
function probeFailure(events: KubeEvent[], pod: Pod): KubeEvent | undefined {
  return eventsAbout(events, [pod])
    .filter((e) => e.reason === 'Unhealthy')
    .sort((a, b) => (ms(eventTime(b)) ?? 0) - (ms(eventTime(a)) ?? 0))[0];
}

/** A failed readiness probe (an Unhealthy event) about the pod since the window opened. */
function probeFailedSince(events: KubeEvent[], pod: Pod, startMs: number): boolean {
  const probe = probeFailure(events, pod);
  return probe !== undefined && (ms(eventTime(probe)) ?? 0) >= Math.floor(startMs / 1000) * 1000;
}

/**
 * Readiness lost with no failed probe and no restart: nothing the workload did. A kubelet that
 * has just restarted marks every pod not Ready until its first probe passes again (seen on the
 * test cluster right after the kubelet came back); a real probe failure always leaves an
 * Unhealthy event first. So "could not verify", never a fail on the node's account.
 */
function unexplainedUnready(state: VerifyState, lost: Evidence): VerifyState {
  return {
    ...state,
    decision: {
      kind: 'unable',
      summary: t(
        `pod ${lost.pod} was not Ready for a while during the stability window (its Ready condition changed at ${lost.at}) with no failed probe and no restart: its node re-checked it (a kubelet that restarts marks every pod not Ready until a probe passes again); could not verify, run verify again`,
        `${lost.pod} 파드가 안정성 확인 구간 동안(Ready 조건 변경 시각 ${lost.at}) 잠시 Ready가 아니었지만 실패한 프로브도 재시작도 없습니다: 노드가 다시 확인한 것입니다(재시작한 kubelet은 프로브가 다시 통과할 때까지 모든 파드를 Ready가 아니라고 표시합니다). 검증할 수 없습니다. 검증을 다시 실행하십시오`,
      ),
    },
  };
}

/** Since when a pod whose containers all run has been not Ready, or undefined when it is Ready or not running. */
function unreadySinceMs(pod: Pod): number | undefined {
  if (isReady(pod) || pod.metadata.deletionTimestamp) return undefined;
  const statuses = longRunningStatuses(pod);
  const expected = sidecarNames(pod).size + pod.spec.containers.length;
  if (statuses.length < expected || statuses.some((s) => !s.state?.running)) return undefined;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const starts = statuses.map((s) => ms(s.state?.running?.startedAt) ?? 0);
  return Math.max(ms(ready?.lastTransitionTime) ?? 0, ...starts, ms(pod.metadata.creationTimestamp) ?? 0);
}

/**
 * Why a pod is not Ready, in words that say how long and what the probe answers: "pod web-x:
 * not Ready for 45 s: readiness probe failing: HTTP probe failed with statuscode: 503".
 */
function notReadyText(pod: Pod, events: KubeEvent[], nowMs: number, budgetSeconds?: number): Text | undefined {
  const base = podNotReadyReason(pod);
  if (!base) return undefined;
  const since = unreadySinceMs(pod);
  if (since === undefined) return base;
  const seconds = Math.max(0, Math.round((nowMs - since) / 1000));
  const probe = probeFailure(events, pod);
  const what = probe?.message ? `: ${probe.message.trim()}` : '';
  const budget = budgetSeconds !== undefined ? t(` (verdict after ${budgetSeconds} s)`, ` (${budgetSeconds}초가 되면 판정)`) : t('', '');
  return t(`pod ${pod.metadata.name}: not Ready for ${seconds} s${what}${budget.en}`, `파드 ${pod.metadata.name}: ${seconds}초째 Ready 아님${what}${budget.ko}`);
}

/**
 * A current pod whose containers run but which stays not Ready longer than its readiness budget
 * (startup budget + readiness initialDelay + period × failureThreshold + timeout + margin).
 */
function neverReady(state: VerifyState, pods: Pod[], events: KubeEvent[], nowMs: number, spec: Workload['spec']['template']['spec']): Evidence[] | undefined {
  const budget = readinessBudget(spec, state.config.marginSeconds);
  for (const pod of pods) {
    const since = unreadySinceMs(pod);
    // A container whose startup probe has not passed yet is the kubelet's to kill at the end of
    // that budget (then its restart fails verify): give the kill its grace period before judging.
    const starting = longRunningStatuses(pod).some((s) => s.started === false && [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === s.name)?.startupProbe);
    const grace = starting ? (pod.spec.terminationGracePeriodSeconds ?? 30) : 0;
    if (since === undefined || nowMs - since < (budget.seconds + grace) * 1000) continue;
    const seconds = Math.round((nowMs - since) / 1000);
    const probe = probeFailure(events, pod);
    const waiting = longRunningStatuses(pod).find((s) => !s.ready);
    const e: Evidence = {
      rule: 'ready',
      pod: pod.metadata.name,
      container: waiting?.name,
      unreadySeconds: seconds,
      at: new Date(since).toISOString(),
      summary: t(
        `pod ${pod.metadata.name} runs but has not been Ready for ${seconds} s, longer than its readiness budget of ${budget.seconds} s (${budget.reason.en})${probe?.message ? `: ${probe.message.trim()}` : ''}`,
        `${pod.metadata.name} 파드는 실행 중이지만 ${seconds}초 동안 Ready가 아닙니다. readiness 허용 시간 ${budget.seconds}초(${budget.reason.ko})보다 깁니다${probe?.message ? `: ${probe.message.trim()}` : ''}`,
      ),
    };
    return [e, ...(probe ? [{ ...eventEvidence(probe), rule: 'ready' as const }] : [])];
  }
  return undefined;
}

/**
 * The first termination of a current pod since verify began: any run (state or lastState) that
 * finished after the start, whenever that run started (the container may have started a moment
 * before verify did). A restart count alone is not enough: a pod that was crash-looping before
 * verify (a Secret fixed meanwhile) restarts once more, this time with the fix, and that restart
 * counts up without any new termination.
 */
function rolloutCrash(state: VerifyState, pods: Pod[], sinceMs: number): Evidence | undefined {
  const sinceSecond = Math.floor(sinceMs / 1000) * 1000;
  const during = t('while the rollout was in progress', '롤아웃 도중');
  // Several pods may have crashed before one look (a slow first list): name the earliest.
  let earliest: { evidence: Evidence; finished: number } | undefined;
  for (const pod of pods) {
    const sidecars = sidecarNames(pod);
    const inits = new Set((pod.status?.initContainerStatuses ?? []).map((s) => s.name));
    const seen = state.firstSeen[podKey(pod)] ?? {};
    const before = state.preexisting[podKey(pod)];
    for (const status of allStatuses(pod)) {
      for (const term of [status.state?.terminated, status.lastState?.terminated]) {
        if (!term) continue;
        // An init container that completed did its job.
        if (inits.has(status.name) && !sidecars.has(status.name) && term.exitCode === 0) continue;
        if (before) {
          // Seen at the first look: from before verify began, unless it clearly finished after the
          // request (2 s of slack for a cluster clock ahead of ours).
          const finished = ms(term.finishedAt);
          const afterRequest = state.config.requestedAtMs !== undefined && finished !== undefined && finished >= state.config.requestedAtMs + 2000;
          if (before.includes(termKey(status, term)) && !afterRequest) continue;
        } else {
          // A pod first seen after the start: its runs are all new, unless the clocks say otherwise.
          const finished = ms(term.finishedAt);
          if (finished === undefined || finished < sinceSecond) continue;
        }
        const first = seen[status.name];
        const evidence = first !== undefined && status.restartCount > first ? terminationEvidence('restart', pod, status, during, first) : terminationEvidence('termination', pod, status, during);
        const finished = ms(term.finishedAt) ?? Number.POSITIVE_INFINITY;
        if (!earliest || finished < earliest.finished) earliest = { evidence, finished };
        break;
      }
    }
  }
  return earliest?.evidence;
}

/** A pod that cannot start at all (unschedulable, a volume that does not mount) with a Warning to show for it. */
function stuckPending(pods: Pod[], events: KubeEvent[], startedAtMs: number, nowMs: number): Evidence[] | undefined {
  if (nowMs < startedAtMs + PENDING_GRACE_SECONDS * 1000) return undefined;
  for (const pod of pods) {
    const started = allStatuses(pod).some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
    if (started || pod.status?.phase !== 'Pending') continue;
    const warnings = eventsAbout(events, [pod])
      .filter((e) => e.type === 'Warning' && !NOISE_WARNING_REASONS.includes(e.reason ?? ''))
      .sort((a, b) => (ms(eventTime(b)) ?? 0) - (ms(eventTime(a)) ?? 0));
    if (warnings.length === 0) continue;
    const w = warnings[0];
    const summary = t(
      `pod ${pod.metadata.name} still cannot start after ${PENDING_GRACE_SECONDS} s: ${w.reason}: ${w.message ?? ''}`.trim(),
      `${PENDING_GRACE_SECONDS}초가 지나도 ${pod.metadata.name} 파드가 시작하지 못합니다: ${w.reason}: ${w.message ?? ''}`.trim(),
    );
    return [{ rule: 'rollout', summary, pod: pod.metadata.name, reason: w.reason, message: w.message }, ...warnings.slice(0, 3).map((e) => ({ ...eventEvidence(e), rule: 'rollout' as const }))];
  }
  return undefined;
}

/**
 * The controller cannot create the current version's pods: the API server refuses them (a
 * ResourceQuota, a LimitRange, Pod Security, a webhook, a missing ServiceAccount). No pod will
 * ever show the fix, so waiting out the rollout bound proves nothing: once the refusal has stood
 * for REFUSED_GRACE_SECONDS, the verdict quotes it. Read from the current ReplicaSet's
 * ReplicaFailure condition, or recent FailedCreate events while pods are missing.
 */
function refused(state: VerifyState, snapshot: VerifySnapshot, workload: Workload, view: RolloutView): { state: VerifyState; evidence?: Evidence } {
  const kind = kindOf(state.config);
  const rs = kind === 'Deployment' ? currentReplicaSet(workload, snapshot.replicaSets) : undefined;
  const recent = snapshot.events.filter((e) => e.reason !== 'FailedCreate' || (ms(eventTime(e)) ?? snapshot.atMs) >= snapshot.atMs - REFUSED_EVENT_MAX_AGE_SECONDS * 1000);
  const found = currentRefusal({ workload: { ...workload, kind }, replicaSets: rs ? [rs] : [], pods: view.owned, events: recent });
  if (!found) return { state: state.refusedSinceMs === undefined ? state : { ...state, refusedSinceMs: undefined } };
  const since = state.refusedSinceMs ?? snapshot.atMs;
  const next = state.refusedSinceMs === undefined ? { ...state, refusedSinceMs: since } : state;
  if (snapshot.atMs - since < REFUSED_GRACE_SECONDS * 1000) return { state: next };
  // Pods of the current revision: the old version's pods may all still run beside a refused rollout.
  const current = kind === 'Job' ? view.owned.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded').length : view.current.length;
  const summary = t(
    `could not roll out: the API server refuses to create the pods of ${kind} ${nameOf(state.config)} (${current} of ${view.desired} pods of the current version exist): ${found.message}`,
    `롤아웃할 수 없습니다: API 서버가 ${kind} ${nameOf(state.config)}의 파드 생성을 거부합니다 (현재 버전 파드 ${view.desired}개 중 ${current}개 존재): ${found.message}`,
  );
  return { state: next, evidence: { rule: 'refused', summary, reason: found.refusal.kind, message: found.message } };
}

function workloadGone(state: VerifyState): VerifyState {
  const { namespace } = state.config;
  const what = `${kindOf(state.config)} ${nameOf(state.config)}`;
  if (state.startedAtMs !== undefined) {
    return fail(state, kindOf(state.config) === 'Deployment' ? 'deployment' : 'workload', t(`${what} was deleted during verification`, `검증 도중 ${nameOf(state.config)} ${withParticle(kindOf(state.config), '이/가')} 삭제되었습니다`), []);
  }
  return {
    ...state,
    decision: { kind: 'unable', summary: t(`${what} not found in namespace ${namespace}`, `${namespace} 네임스페이스에 ${nameOf(state.config)} ${withParticle(kindOf(state.config), '이/가')} 없습니다`) },
  };
}

/** Remembers every pod's restart counts at first sight, and every ended run (for the learned window). */
function remember(state: VerifyState, pods: Pod[], initial: boolean): VerifyState {
  let firstSeen = state.firstSeen;
  let lifetimes = state.lifetimes;
  let preexisting = state.preexisting;
  for (const pod of pods) {
    const key = podKey(pod);
    if (initial && !preexisting[key]) preexisting = { ...preexisting, [key]: terminationsOf(pod) };
    if (!firstSeen[key]) firstSeen = { ...firstSeen, [key]: Object.fromEntries(allStatuses(pod).map((s) => [s.name, s.restartCount])) };
    else {
      const missing = allStatuses(pod).filter((s) => firstSeen[key][s.name] === undefined);
      if (missing.length) firstSeen = { ...firstSeen, [key]: { ...firstSeen[key], ...Object.fromEntries(missing.map((s) => [s.name, s.restartCount])) } };
    }
    for (const l of lifetimesOf(pod)) {
      const k = lifetimeKey(l);
      if (!lifetimes[k]) lifetimes = { ...lifetimes, [k]: l };
    }
  }
  return firstSeen === state.firstSeen && lifetimes === state.lifetimes && preexisting === state.preexisting ? state : { ...state, firstSeen, lifetimes, preexisting };
}

function windowFor(state: VerifyState, workload: Workload, view: RolloutView): StabilityWindow {
  const config = state.config;
  const currentRevision = view.current[0] ? (view.current[0].metadata.labels?.['pod-template-hash'] ?? view.current[0].metadata.labels?.['controller-revision-hash']) : undefined;
  const learned = learnedTerms(Object.values(state.lifetimes), currentRevision, new Set(view.current.map(podKey)));
  return stabilityWindow(workload.spec.template.spec, {
    crashWithinSeconds: config.crashWithinSeconds,
    marginSeconds: config.marginSeconds,
    overrideSeconds: config.windowOverrideSeconds,
    learned,
  });
}

export function observe(state: VerifyState, snapshot: VerifySnapshot): VerifyState {
  if (isFinal(state.decision)) return state;
  const workload = snapshot.workload ?? (snapshot.deployment as Workload | undefined);
  if (!workload) return workloadGone(state);
  const config = state.config;
  const kind = kindOf(config);
  let next: VerifyState = state;
  if (next.startedAtMs === undefined) {
    next = { ...next, startedAtMs: snapshot.atMs, staleProgressDeadline: Boolean(progressDeadlineExceeded(workload)) };
  }
  const spec = workload.spec.template.spec;
  const guardResults = evaluateGuards(config.guards ?? [], spec);
  next = { ...next, guardResults };
  const notReady = (pod: Pod) => notReadyText(pod, snapshot.events, snapshot.atMs, readinessBudget(spec, config.marginSeconds).seconds);
  const view = rolloutView(kind, { workload, replicaSets: snapshot.replicaSets, revisions: snapshot.revisions ?? [], pods: snapshot.pods }, notReady);
  next = remember(next, view.owned, next.startedAtMs === snapshot.atMs);
  next = { ...next, pods: restartTable(view.owned.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'), next.baseline) };

  const broken = guardResults.filter((g) => !g.ok);
  if (broken.length > 0) {
    return fail(
      next,
      'guard',
      t(`the fix removed what the scenario tests: ${broken[0].message.en}`, `이 수정은 시나리오가 확인하는 조건을 없앴습니다: ${broken[0].message.ko}`),
      broken.map((g) => ({ rule: 'guard' as const, summary: g.message, container: g.guard.container, reason: g.label })),
    );
  }
  if (config.requireChange) {
    const same = checkChanged(config.requireChange, spec);
    if (same.unchanged) return fail(next, 'unchanged', same.message, [{ rule: 'unchanged', summary: same.message }]);
  }
  const nothing = desiredNothing(kind, workload);
  if (nothing) return fail(next, 'rollout', nothing, []);
  if (kind === 'Job') return observeJob(next, snapshot, workload, view);
  return next.baseline ? observeWindow(next, snapshot, workload, view) : observeRollout(next, snapshot, workload, view);
}

function observeRollout(state: VerifyState, snapshot: VerifySnapshot, workload: Workload, view: RolloutView): VerifyState {
  const config = state.config;
  const startedAtMs = state.startedAtMs ?? snapshot.atMs;
  const window = windowFor(state, workload, view);
  let next: VerifyState = { ...state, window };
  const currentPods = view.current;

  // Before the controller has caught up, "current" may still name the old (broken) version.
  if (view.settled) {
    const crash = rolloutCrash(next, currentPods, startedAtMs);
    if (crash) {
      return fail(next, crash.rule, t(`the current version crashed: ${crash.summary.en}`, `현재 버전이 죽었습니다: ${crash.summary.ko}`), [crash, ...stuckEvidence(currentPods, snapshot.events)]);
    }
    const stuck = stuckBeforeVerify(currentPods, startedAtMs, snapshot.atMs);
    if (stuck) return fail(next, 'rollout', stuck.summary, [stuck, ...stuckEvidence(currentPods, snapshot.events)]);
    const pending = stuckPending(currentPods, snapshot.events, startedAtMs, snapshot.atMs);
    if (pending) return fail(next, 'rollout', pending[0].summary, pending);
    const refusal = refused(next, snapshot, workload, view);
    next = refusal.state;
    if (refusal.evidence) return fail(next, 'refused', refusal.evidence.summary, [refusal.evidence, ...stuckEvidence(currentPods, snapshot.events)]);
    const unready = neverReady(next, currentPods, snapshot.events, snapshot.atMs, workload.spec.template.spec);
    if (unready) return fail(next, 'ready', unready[0].summary, unready);
  }

  const blocker = view.blocker;
  const elapsedMs = snapshot.atMs - startedAtMs;
  if (!blocker) {
    const remainingSeconds = Math.max(0, Math.ceil((config.rolloutTimeoutSeconds * 1000 - elapsedMs) / 1000));
    if (snapshot.podsListed === false) {
      // Open the window on a fresh list only: the watch alone may still hold a pod that is gone.
      return { ...next, decision: { kind: 'pending', phase: 'waiting-for-rollout', reason: t('rollout complete; confirming with a fresh read', '롤아웃 완료; 새로 읽어 확인하는 중'), remainingSeconds, needsFreshRead: true } };
    }
    const baseline: Baseline = {
      startMs: snapshot.atMs,
      window,
      generation: workload.metadata.generation,
      revision: view.revision,
      revisionLabel: view.revisionLabel,
      pods: Object.fromEntries(currentPods.map((p) => [podKey(p), { name: p.metadata.name, restarts: restartsOf(p), terminations: terminationsOf(p), readySince: readySince(p) }])),
    };
    const started = { ...next, baseline, pods: restartTable(view.owned.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'), baseline) };
    return { ...started, decision: watchingDecision(started, snapshot.atMs) };
  }

  const deadline = progressDeadlineExceeded(workload);
  const timedOut = elapsedMs >= config.rolloutTimeoutSeconds * 1000;
  if ((deadline && !state.staleProgressDeadline) || timedOut) {
    const stuck = currentPods.length > 0 ? currentPods : view.owned;
    const evidence = stuckEvidence(stuck, snapshot.events);
    if (deadline?.message) evidence.push({ rule: 'rollout', summary: t(`${kindOf(config)}: ProgressDeadlineExceeded: ${deadline.message}`, `${kindOf(config)}: ProgressDeadlineExceeded: ${deadline.message}`), reason: 'ProgressDeadlineExceeded', message: deadline.message });
    if (evidence.length === 0) evidence.push({ rule: 'rollout', summary: blocker });
    const why = timedOut && !deadline ? t(`within ${config.rolloutTimeoutSeconds} s`, `${config.rolloutTimeoutSeconds}초 안에`) : t('before its progress deadline', 'progress deadline 안에');
    return fail(next, 'rollout', t(`the rollout did not finish ${why.en}: ${blocker.en}`, `롤아웃이 ${why.ko} 끝나지 않았습니다: ${blocker.ko}`), evidence);
  }
  const remainingSeconds = Math.max(0, Math.ceil((config.rolloutTimeoutSeconds * 1000 - elapsedMs) / 1000));
  return { ...next, decision: { kind: 'pending', phase: 'waiting-for-rollout', reason: blocker, remainingSeconds } };
}

function watchingDecision(state: VerifyState, atMs: number): Decision {
  const baseline = state.baseline!;
  const remainingSeconds = Math.max(0, Math.ceil((baseline.startMs + baseline.window.seconds * 1000 - atMs) / 1000));
  const count = Object.keys(baseline.pods).length;
  return {
    kind: 'pending',
    phase: 'watching',
    reason: t(`${count} pod(s) Ready; restart counts must stay flat for ${baseline.window.seconds} s`, `파드 ${count}개 Ready; ${baseline.window.seconds}초 동안 재시작 횟수가 그대로여야 합니다`),
    remainingSeconds,
  };
}

/** A new revision (or a spec change) after the window opened: the watched pods are not the version to judge any more. */
function secondRollout(state: VerifyState, workload: Workload, view: RolloutView): Text | undefined {
  const baseline = state.baseline!;
  const generationChanged = workload.metadata.generation !== baseline.generation;
  const revisionChanged = view.settled && view.revision !== undefined && baseline.revision !== undefined && view.revision !== baseline.revision;
  if (!generationChanged && !revisionChanged) return undefined;
  const what = [
    generationChanged ? `generation ${baseline.generation} → ${workload.metadata.generation}` : '',
    revisionChanged ? `${baseline.revisionLabel ?? baseline.revision} → ${view.revisionLabel ?? view.revision}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return t(what, what);
}

function observeWindow(state: VerifyState, snapshot: VerifySnapshot, workload: Workload, view: RolloutView): VerifyState {
  const baseline = state.baseline!;
  const during = t('during the stability window', '안정성 확인 구간 동안');
  const change = secondRollout(state, workload, view);
  if (change) {
    const into = Math.round((snapshot.atMs - baseline.startMs) / 1000);
    if (state.rolloutRestarts >= MAX_ROLLOUT_RESTARTS) {
      return fail(
        state,
        'rollout',
        t(
          `the ${kindOf(state.config)} kept changing: ${state.rolloutRestarts + 1} rollouts during verification (last: ${change.en}); run verify again after your last change`,
          `${withParticle(kindOf(state.config), '이/가')} 계속 바뀌었습니다: 검증 중 롤아웃 ${state.rolloutRestarts + 1}번 (마지막: ${change.ko}); 마지막 변경 후 검증을 다시 실행하세요`,
        ),
        [],
      );
    }
    const note = t(
      `a second rollout began ${into} s into the stability window (${change.en}): the window restarted for the new pods`,
      `안정성 확인 구간 ${into}초 시점에 새 롤아웃이 시작되었습니다 (${change.ko}): 새 파드에 대해 구간을 다시 시작했습니다`,
    );
    const restarted: VerifyState = { ...state, baseline: undefined, notes: [...state.notes, note], rolloutRestarts: state.rolloutRestarts + 1 };
    return observeRollout(restarted, snapshot, workload, view);
  }
  const byKey = new Map(view.owned.map((p) => [podKey(p), p]));
  const silence = nodeSilence(snapshot.events, view.owned, Math.floor(baseline.startMs / 1000) * 1000);
  let unexplainedSince: number | undefined;
  for (const [key, base] of Object.entries(baseline.pods)) {
    const pod = byKey.get(key);
    if (!pod || pod.metadata.deletionTimestamp) {
      const e: Evidence = {
        rule: 'pod-replaced',
        pod: base.name,
        summary: t(
          `pod ${base.name} was deleted ${during.en} (by a person, an eviction or its controller) while the ${kindOf(state.config)} did not change: the pods that were watched are gone, run verify again`,
          `${base.name} 파드가 ${during.ko} 삭제되었습니다 (사람, eviction 또는 컨트롤러에 의해; ${withParticle(kindOf(state.config), '은/는')} 그대로): 지켜보던 파드가 없어졌으니 검증을 다시 실행하세요`,
        ),
        at: pod?.metadata.deletionTimestamp,
      };
      return fail(state, 'pod-replaced', e.summary, [e, ...deletionEvents(snapshot.events, base.name, baseline.startMs)]);
    }
    for (const status of allStatuses(pod)) {
      const sidecars = sidecarNames(pod);
      const plainInit = (pod.status?.initContainerStatuses ?? []).some((s) => s.name === status.name) && !sidecars.has(status.name);
      if (plainInit) continue;
      const atStart = base.restarts[status.name] ?? 0;
      const last = status.lastState?.terminated;
      const newTermination = last !== undefined && !(base.terminations ?? []).includes(termKey(status, last));
      if (status.restartCount > atStart || status.state?.terminated || newTermination) {
        const rule: VerifyRule = status.restartCount > atStart ? 'restart' : 'termination';
        const e = terminationEvidence(rule, pod, status, during, atStart);
        return fail(state, rule, e.summary, [e, ...troubleEvents(snapshot.events, [pod], baseline.startMs)]);
      }
    }
    const lost = lostReadiness(pod, base.readySince, baseline.startMs, snapshot.atMs, snapshot.events);
    if (lost && silence) return nodeSilent(state, silence, view.owned);
    if (lost && !probeFailedSince(snapshot.events, pod, baseline.startMs)) {
      // The pod watch can bring the status before the event watch brings its Unhealthy event.
      const since = state.unexplainedUnreadySinceMs ?? snapshot.atMs;
      if (snapshot.atMs - since >= PROBE_EVENT_GRACE_MS) return unexplainedUnready(state, lost);
      unexplainedSince ??= since;
      continue;
    }
    if (lost) return fail(state, 'ready', lost.summary, [lost, ...troubleEvents(snapshot.events, [pod], baseline.startMs)]);
  }
  if (silence) return nodeSilent(state, silence, view.owned);
  state = { ...state, unexplainedUnreadySinceMs: unexplainedSince };
  const watched = [...byKey.values()].filter((p) => baseline.pods[podKey(p)]);
  const events = troubleEvents(snapshot.events, watched, baseline.startMs);
  if (events.length > 0) {
    return fail(state, 'event', t(`new ${events[0].summary.en}`, `새 이벤트: ${events[0].summary.ko}`), events);
  }
  // What the cluster showed since the window opened may ask for a longer W (it never shrinks).
  let current = state;
  if (state.config.windowOverrideSeconds === undefined) {
    const grown = windowFor(state, workload, view);
    if (grown.seconds > baseline.window.seconds) {
      const note = t(`W grew from ${baseline.window.seconds} s to ${grown.seconds} s during the window: the cluster showed a longer lifetime`, `확인 구간 중 W가 ${baseline.window.seconds}초에서 ${grown.seconds}초로 늘었습니다: 클러스터에서 더 긴 실행 시간이 관찰됨`);
      current = { ...state, window: grown, baseline: { ...baseline, window: grown }, notes: [...state.notes, note] };
    }
  }
  const b = current.baseline!;
  if (unexplainedSince === undefined && snapshot.atMs >= b.startMs + b.window.seconds * 1000) {
    const podCount = watched.length;
    const guards = current.guardResults.length;
    return {
      ...current,
      decision: {
        kind: 'pass',
        summary: t(
          `rollout complete, ${podCount} pod(s) Ready, no restart, termination, lost readiness or Warning event for ${b.window.seconds} s${guards ? `, ${guards} guard(s) hold` : ''}`,
          `롤아웃 완료, 파드 ${podCount}개 Ready, ${b.window.seconds}초 동안 재시작·종료·Ready 상실·Warning 이벤트 없음${guards ? `, 조건 ${guards}개 유지` : ''}`,
        ),
      },
    };
  }
  return { ...current, decision: watchingDecision(current, snapshot.atMs) };
}

/**
 * Readiness must hold through W: a watched pod that is not Ready now, or whose Ready condition
 * changed after the window opened (it dropped out and came back between two looks), fails,
 * with how long it was unready.
 */
function lostReadiness(pod: Pod, readyAtStart: string | undefined, startMs: number, nowMs: number, events: KubeEvent[]): Evidence | undefined {
  const name = pod.metadata.name;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const changedAt = ms(ready?.lastTransitionTime);
  const into = (at: number) => Math.max(0, Math.round((at - startMs) / 1000));
  const probe = probeFailure(events, pod);
  const why = probe?.message && (ms(eventTime(probe)) ?? 0) >= Math.floor(startMs / 1000) * 1000 ? `: ${probe.message.trim()}` : '';
  const reason = podNotReadyReason(pod);
  if (reason) {
    const since = changedAt !== undefined && changedAt >= Math.floor(startMs / 1000) * 1000 ? changedAt : nowMs;
    const seconds = Math.max(0, Math.round((nowMs - since) / 1000));
    return {
      rule: 'ready',
      pod: name,
      unreadySeconds: seconds,
      at: new Date(since).toISOString(),
      summary: t(
        `pod ${name} lost readiness ${into(since)} s into the stability window and has been unready for ${seconds} s (${reason.en})${why}`,
        `${name} 파드가 안정성 확인 구간 ${into(since)}초 시점에 Ready를 잃었고 ${seconds}초째 Ready가 아닙니다 (${reason.ko})${why}`,
      ),
    };
  }
  // Ready now, but not since the same transition as when the window opened: it went and came back.
  if (ready?.lastTransitionTime !== undefined && readyAtStart !== undefined && ready.lastTransitionTime !== readyAtStart && changedAt !== undefined) {
    return {
      rule: 'ready',
      pod: name,
      at: ready?.lastTransitionTime,
      summary: t(
        `pod ${name} dropped out of Ready during the stability window and was Ready again at ${ready?.lastTransitionTime} (${into(changedAt)} s into the window)${why}: a pod that flaps has not proven itself`,
        `${name} 파드가 안정성 확인 구간 동안 Ready에서 빠졌다가 ${ready?.lastTransitionTime}에 다시 Ready가 되었습니다 (구간 ${into(changedAt)}초 시점)${why}: 흔들리는 파드는 증명되지 않았습니다`,
      ),
    };
  }
  return undefined;
}

// ------------------------------------------------------------------ Job

function observeJob(state: VerifyState, snapshot: VerifySnapshot, job: Workload, view: RolloutView): VerifyState {
  const config = state.config;
  const startedAtMs = state.startedAtMs ?? snapshot.atMs;
  let next: VerifyState = {
    ...state,
    window: { seconds: 0, reasons: [t('a Job proves itself by completing: no stability window, but no pod of it may fail or restart', 'Job은 완료로 증명합니다: 안정성 확인 구간은 없지만, 어떤 파드도 실패하거나 재시작하면 안 됩니다')] },
  };
  const name = job.metadata.name;
  const failed = jobCondition(job, 'Failed');
  const podEvidence = jobFailures(view.owned);
  if (failed) {
    const summary = t(
      `Job ${name} failed: ${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''}`,
      `${name} Job이 실패했습니다: ${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''}`,
    );
    return fail(next, 'job', summary, [{ rule: 'job', summary, reason: failed.reason, message: failed.message, at: failed.lastTransitionTime }, ...podEvidence]);
  }
  if (podEvidence.length > 0) {
    const first = podEvidence[0];
    return fail(next, first.rule, t(`a pod of Job ${name} failed: ${first.summary.en}`, `Job ${name}의 파드가 실패했습니다: ${first.summary.ko}`), [...podEvidence, ...troubleEvents(snapshot.events, view.owned, 0).slice(0, 3)]);
  }
  if ((job.status?.failed ?? 0) > 0) {
    const summary = t(`Job ${name} counts ${job.status!.failed} failed pod(s): the current attempt did not run cleanly`, `Job ${name}에 실패한 파드가 ${job.status!.failed}개 있습니다: 현재 시도가 깨끗하게 실행되지 않았습니다`);
    return fail(next, 'job', summary, []);
  }
  const stuck = stuckBeforeVerify(view.current, startedAtMs, snapshot.atMs);
  if (stuck) return fail(next, 'rollout', stuck.summary, [stuck, ...stuckEvidence(view.current, snapshot.events)]);
  const pending = stuckPending(view.current, snapshot.events, startedAtMs, snapshot.atMs);
  if (pending) return fail(next, 'rollout', pending[0].summary, pending);
  const refusal = refused(next, snapshot, job, view);
  next = refusal.state;
  if (refusal.evidence) return fail(next, 'refused', refusal.evidence.summary, [refusal.evidence]);
  const completions = job.spec.completions ?? 1;
  const succeeded = job.status?.succeeded ?? 0;
  if (jobCondition(job, 'Complete')) {
    return {
      ...next,
      decision: {
        kind: 'pass',
        summary: t(`Job ${name} complete: ${succeeded} of ${completions} completion(s), no pod failed or restarted`, `Job ${name} 완료: ${completions}개 중 ${succeeded}개 성공, 실패하거나 재시작한 파드 없음`),
      },
    };
  }
  const elapsedMs = snapshot.atMs - startedAtMs;
  const progress = t(`Job ${name}: ${succeeded} of ${completions} completion(s), ${job.status?.active ?? 0} active`, `Job ${name}: ${completions}개 중 ${succeeded}개 완료, ${job.status?.active ?? 0}개 실행 중`);
  if (elapsedMs >= config.rolloutTimeoutSeconds * 1000) {
    const evidence = stuckEvidence(view.current, snapshot.events);
    return fail(next, 'job', t(`Job ${name} did not complete within ${config.rolloutTimeoutSeconds} s: ${progress.en}`, `${name} Job이 ${config.rolloutTimeoutSeconds}초 안에 완료되지 않았습니다: ${progress.ko}`), evidence);
  }
  const remainingSeconds = Math.max(0, Math.ceil((config.rolloutTimeoutSeconds * 1000 - elapsedMs) / 1000));
  return { ...next, decision: { kind: 'pending', phase: 'waiting-for-rollout', reason: progress, remainingSeconds } };
}

/** Failed pods and restarted containers of the Job: each one is the current attempt failing. */
function jobFailures(pods: Pod[]): Evidence[] {
  const out: Evidence[] = [];
  const during = t('while the Job ran', 'Job 실행 중');
  for (const pod of pods) {
    for (const status of allStatuses(pod)) {
      const term = status.state?.terminated;
      if (status.restartCount > 0) out.push(terminationEvidence('restart', pod, status, during, 0));
      else if (term && term.exitCode !== 0) out.push(terminationEvidence('termination', pod, status, during));
    }
    if (pod.status?.phase === 'Failed' && !out.some((e) => e.pod === pod.metadata.name)) {
      const summary = t(`pod ${pod.metadata.name} failed: ${pod.status.reason ?? 'Failed'}${pod.status.message ? `: ${pod.status.message}` : ''}`, `${pod.metadata.name} 파드 실패: ${pod.status.reason ?? 'Failed'}${pod.status.message ? `: ${pod.status.message}` : ''}`);
      out.push({ rule: 'termination', summary, pod: pod.metadata.name, reason: pod.status.reason, message: pod.status.message });
    }
  }
  return out;
}

/** Who removed a pod: its ReplicaSet's SuccessfulDelete event names it (shown, never decided on). */
function deletionEvents(events: KubeEvent[], podName: string, sinceMs: number): Evidence[] {
  return events
    .filter((e) => (ms(eventTime(e)) ?? -Infinity) >= Math.floor(sinceMs / 1000) * 1000)
    .filter((e) => (e.involvedObject.kind === 'ReplicaSet' && e.reason === 'SuccessfulDelete' && (e.message ?? '').includes(podName)) || (e.involvedObject.name === podName && e.reason === 'Killing'))
    .map((e) => ({
      ...eventEvidence(e),
      rule: 'pod-replaced' as const,
      summary: t(`${e.involvedObject.kind} ${e.involvedObject.name}: ${e.reason}: ${e.message ?? ''}`, `${e.involvedObject.kind} ${e.involvedObject.name}: ${e.reason}: ${e.message ?? ''}`),
    }));
}

/**
 * Warning (and Killing) events about the watched pods since the window started. lastTimestamp
 * has whole seconds, so an event from the window's first (partial) second is not counted: it may
 * be from before the start (a pod without readiness probe is Ready within a second of its
 * creation events). Restarts and terminations are caught from the pod itself, and a probe that
 * keeps failing reports again with a later lastTimestamp.
 */
function troubleEvents(events: KubeEvent[], pods: Pod[], sinceMs: number): Evidence[] {
  return eventsAbout(events, pods)
    .filter((e) => isTroubleEvent(e) && (ms(eventTime(e)) ?? -Infinity) >= sinceMs)
    .sort((a, b) => (ms(eventTime(a)) ?? 0) - (ms(eventTime(b)) ?? 0))
    .map(eventEvidence);
}
