/**
 * The verification contract as a pure state machine over snapshots of the cluster. The engine
 * feeds a snapshot whenever something changed (pod watch) or time passed (re-reads); each one
 * moves the state on and may decide: pass, fail (with evidence and the rule broken) or unable.
 *
 * Phases: waiting for the rollout (the new ReplicaSet's pods all Ready, old pods gone), then the
 * stability window W, which starts the moment that first holds. During W the first restart,
 * termination, lost readiness or Warning event fails at once.
 */
import { eventTime, type ContainerStatus, type Deployment, type KubeEvent, type Pod, type ReplicaSet } from '../k8s.js';
import type { Guard } from '../scenario.js';
import type { Text } from '../text.js';
import { evaluateGuards, type GuardResult } from './guards.js';
import { stabilityWindow, type StabilityWindow } from './window.js';

export interface VerifySnapshot {
  atMs: number;
  /** undefined: the Deployment does not exist. */
  deployment: Deployment | undefined;
  replicaSets: ReplicaSet[];
  /** Pods matching the Deployment's selector. */
  pods: Pod[];
  /** Events of the namespace (filtered here to the Deployment's pods). */
  events: KubeEvent[];
}

export interface VerifyConfig {
  namespace: string;
  deployment: string;
  guards?: readonly Guard[];
  crashWithinSeconds?: number;
  marginSeconds: number;
  windowOverrideSeconds?: number;
  rolloutTimeoutSeconds: number;
}

export type VerifyRule = 'deployment' | 'rollout' | 'ready' | 'restart' | 'termination' | 'event' | 'guard' | 'pod-replaced';

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
  | { kind: 'pending'; phase: 'waiting-for-rollout'; reason: Text; remainingSeconds: number }
  | { kind: 'pending'; phase: 'watching'; reason: Text; remainingSeconds: number }
  | { kind: 'pass'; summary: Text }
  | { kind: 'fail'; rule: VerifyRule; summary: Text; evidence: Evidence[] }
  | { kind: 'unable'; summary: Text };

interface Baseline {
  startMs: number;
  window: StabilityWindow;
  generation?: number;
  /** uid (or name) → pod name and restart count per container. */
  pods: Record<string, { name: string; restarts: Record<string, number> }>;
}

export interface VerifyState {
  config: VerifyConfig;
  decision: Decision;
  startedAtMs?: number;
  /** The Deployment already reported ProgressDeadlineExceeded when verification began. */
  staleProgressDeadline?: boolean;
  /** The derived W (frozen when the window starts). */
  window?: StabilityWindow;
  baseline?: Baseline;
  guardResults: GuardResult[];
  pods: PodRestarts[];
}

const t = (en: string, ko: string): Text => ({ en, ko });

export const HASH_LABEL = 'pod-template-hash';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export function initialVerifyState(config: VerifyConfig): VerifyState {
  return {
    config,
    decision: { kind: 'pending', phase: 'waiting-for-rollout', reason: t('starting', '시작하는 중'), remainingSeconds: config.rolloutTimeoutSeconds },
    guardResults: [],
    pods: [],
  };
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

function ownedReplicaSets(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
  return replicaSets.filter((rs) =>
    (rs.metadata.ownerReferences ?? []).some(
      (o) => o.kind === 'Deployment' && (deployment.metadata.uid && o.uid ? o.uid === deployment.metadata.uid : o.name === deployment.metadata.name),
    ),
  );
}

/** The ReplicaSet of the Deployment's current template: its revision matches the Deployment's. */
export function currentReplicaSet(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  const owned = ownedReplicaSets(deployment, replicaSets);
  const revision = deployment.metadata.annotations?.[REVISION_ANNOTATION];
  const byRevision = revision ? owned.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === revision) : undefined;
  if (byRevision) return byRevision;
  // Without annotations (hand-made objects), the newest revision is the current one.
  return [...owned].sort((a, b) => Number(b.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) - Number(a.metadata.annotations?.[REVISION_ANNOTATION] ?? 0))[0];
}

/** Pods owned by one of the Deployment's ReplicaSets (also ones whose ReplicaSet is already gone). */
function deploymentPods(deployment: Deployment, replicaSets: ReplicaSet[], pods: Pod[]): Pod[] {
  const owned = new Set(ownedReplicaSets(deployment, replicaSets).map((rs) => rs.metadata.name));
  const prefix = `${deployment.metadata.name}-`;
  return pods.filter((pod) => {
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller !== false && o.kind === 'ReplicaSet');
    return Boolean(owner && (owned.has(owner.name) || owner.name.startsWith(prefix)));
  });
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? pod.metadata.name;
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Containers that must stay up: regular ones and native sidecars (init containers with restartPolicy Always). */
function longRunningStatuses(pod: Pod): ContainerStatus[] {
  const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  return [...(pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)), ...(pod.status?.containerStatuses ?? [])];
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
  if (s?.waiting) return `대기 중: ${s.waiting.reason ?? 'unknown'}${s.waiting.message ? ` (${s.waiting.message})` : ''}`;
  if (s?.terminated) return `종료됨: ${s.terminated.reason ?? 'unknown'}, exit ${s.terminated.exitCode}`;
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

function progressDeadlineExceeded(deployment: Deployment): { message?: string } | undefined {
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
  const whatKo = term ? `${term.reason ?? 'terminated'}, 종료 코드 ${term.exitCode}` : '재시작됨';
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
      const lastKo = last ? `; 마지막 종료: ${last.reason ?? 'terminated'}, 종료 코드 ${last.exitCode}` : '';
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

/** The first thing that keeps the rollout from being complete, or undefined when it is. */
function rolloutBlocker(deployment: Deployment, current: ReplicaSet | undefined, pods: Pod[]): Text | undefined {
  const generation = deployment.metadata.generation ?? 0;
  const observed = deployment.status?.observedGeneration ?? 0;
  if (observed < generation) {
    return t(
      `the Deployment controller has not processed the latest change yet (observedGeneration ${observed} < generation ${generation})`,
      `Deployment 컨트롤러가 아직 최신 변경을 반영하지 않았습니다 (observedGeneration ${observed} < generation ${generation})`,
    );
  }
  if (!current) return t('no ReplicaSet for the current pod template yet', '현재 pod template의 ReplicaSet이 아직 없습니다');
  const hash = current.metadata.labels?.[HASH_LABEL];
  const currentPods = pods.filter((p) => p.metadata.labels?.[HASH_LABEL] === hash && !p.metadata.deletionTimestamp);
  for (const pod of currentPods) {
    const reason = podNotReadyReason(pod);
    if (reason) return reason;
  }
  const old = pods.find((p) => p.metadata.labels?.[HASH_LABEL] !== hash);
  if (old) {
    return t(
      `old pod ${old.metadata.name} (pod-template-hash ${old.metadata.labels?.[HASH_LABEL] ?? 'none'}, current ${hash}) is still there`,
      `이전 파드가 아직 남아 있습니다: ${old.metadata.name} (pod-template-hash ${old.metadata.labels?.[HASH_LABEL] ?? '없음'}, 현재 ${hash})`,
    );
  }
  const terminating = pods.find((p) => p.metadata.deletionTimestamp);
  if (terminating) return t(`pod ${terminating.metadata.name} is terminating`, `${terminating.metadata.name} 파드가 종료되는 중입니다`);
  const desired = deployment.spec.replicas ?? 1;
  const s = deployment.status ?? {};
  const counts: [string, number | undefined][] = [
    ['updated', s.updatedReplicas],
    ['ready', s.readyReplicas],
    ['available', s.availableReplicas],
  ];
  for (const [what, value] of counts) {
    if ((value ?? 0) < desired) return t(`${value ?? 0} of ${desired} replicas ${what}`, `레플리카 ${desired}개 중 ${value ?? 0}개 ${what}`);
  }
  if ((s.replicas ?? 0) > desired) {
    return t(`${s.replicas} replicas exist for ${desired} desired: old ones are still being removed`, `원하는 ${desired}개보다 많은 ${s.replicas}개의 레플리카가 있습니다: 이전 것이 아직 정리되는 중`);
  }
  if (currentPods.length < desired) return t(`${currentPods.length} of ${desired} pods exist`, `파드 ${desired}개 중 ${currentPods.length}개만 있습니다`);
  return undefined;
}

/** Terminations of containers that started after verification began: the current version crashing. */
function rolloutCrash(pods: Pod[], sinceMs: number): Evidence | undefined {
  const sinceSecond = Math.floor(sinceMs / 1000) * 1000;
  for (const pod of pods) {
    const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
    const inits = new Set((pod.status?.initContainerStatuses ?? []).map((s) => s.name));
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      for (const term of [status.state?.terminated, status.lastState?.terminated]) {
        if (!term) continue;
        // An init container that completed did its job.
        if (inits.has(status.name) && !sidecars.has(status.name) && term.exitCode === 0) continue;
        // A container that never started (StartError) reports startedAt as the zero time.
        const started = ms(term.startedAt);
        const at = started !== undefined && started > 0 ? started : ms(term.finishedAt);
        if (at === undefined || at < sinceSecond) continue;
        return terminationEvidence('termination', pod, status, t('while the rollout was in progress', '롤아웃 도중'));
      }
    }
  }
  return undefined;
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
        const retry = retryAtMs !== undefined && retryAtMs > nowMs ? Math.ceil((retryAtMs - nowMs) / 1000) : undefined;
        return {
          rule: 'rollout',
          summary: t(
            `the current version is crash-looping: container ${status.name} of pod ${podName} is in CrashLoopBackOff after ${status.restartCount} restarts (last exit: ${what})${retry !== undefined ? `; the kubelet retries in ${retry} s` : ''}. If your fix was outside the pod spec (a Secret, a ConfigMap), restart the pod: ${delete_}`,
            `현재 버전이 크래시 루프 중입니다: ${podName} 파드의 ${status.name} 컨테이너가 ${status.restartCount}번 재시작 후 CrashLoopBackOff 상태입니다 (마지막 종료: ${what})${retry !== undefined ? `; kubelet은 ${retry}초 뒤에 다시 시도합니다` : ''}. 파드 스펙 밖(Secret, ConfigMap)을 고쳤다면 파드를 다시 시작하세요: ${delete_}`,
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

function deploymentGone(state: VerifyState): VerifyState {
  const { namespace, deployment } = state.config;
  if (state.startedAtMs !== undefined) {
    return fail(state, 'deployment', t(`Deployment ${deployment} was deleted during verification`, `검증 도중 ${deployment} Deployment가 삭제되었습니다`), []);
  }
  return {
    ...state,
    decision: { kind: 'unable', summary: t(`Deployment ${deployment} not found in namespace ${namespace}`, `${namespace} 네임스페이스에 ${deployment} Deployment가 없습니다`) },
  };
}

export function observe(state: VerifyState, snapshot: VerifySnapshot): VerifyState {
  if (isFinal(state.decision)) return state;
  const { deployment } = snapshot;
  if (!deployment) return deploymentGone(state);
  const config = state.config;
  let next: VerifyState = state;
  if (next.startedAtMs === undefined) {
    next = { ...next, startedAtMs: snapshot.atMs, staleProgressDeadline: Boolean(progressDeadlineExceeded(deployment)) };
  }
  const spec = deployment.spec.template.spec;
  const guardResults = evaluateGuards(config.guards ?? [], spec);
  next = { ...next, guardResults };
  const pods = deploymentPods(deployment, snapshot.replicaSets, snapshot.pods);
  next = { ...next, pods: restartTable(pods, next.baseline) };

  const broken = guardResults.filter((g) => !g.ok);
  if (broken.length > 0) {
    return fail(
      next,
      'guard',
      t(`the fix removed what the scenario tests: ${broken[0].message.en}`, `이 수정은 시나리오가 확인하는 조건을 없앴습니다: ${broken[0].message.ko}`),
      broken.map((g) => ({ rule: 'guard' as const, summary: g.message, container: g.guard.container, reason: g.label })),
    );
  }
  if ((deployment.spec.replicas ?? 1) === 0) {
    return fail(next, 'rollout', t('the Deployment is scaled to 0 replicas: no pod runs, so nothing shows the fix works', 'Deployment가 0개로 축소되어 실행 중인 파드가 없습니다: 수정이 동작한다는 근거가 없습니다'), []);
  }
  return next.baseline ? observeWindow(next, snapshot, deployment, pods) : observeRollout(next, snapshot, deployment, pods);
}

function observeRollout(state: VerifyState, snapshot: VerifySnapshot, deployment: Deployment, allPods: Pod[]): VerifyState {
  const config = state.config;
  // Evicted (Failed) and finished pods stay listed until garbage-collected but are no part of the rollout.
  const pods = allPods.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
  const startedAtMs = state.startedAtMs ?? snapshot.atMs;
  const current = currentReplicaSet(deployment, snapshot.replicaSets);
  const hash = current?.metadata.labels?.[HASH_LABEL];
  const currentPods = pods.filter((p) => hash !== undefined && p.metadata.labels?.[HASH_LABEL] === hash && !p.metadata.deletionTimestamp);
  const window = stabilityWindow(deployment.spec.template.spec, {
    crashWithinSeconds: config.crashWithinSeconds,
    marginSeconds: config.marginSeconds,
    overrideSeconds: config.windowOverrideSeconds,
  });
  const next = { ...state, window };

  const crash = (deployment.metadata.generation ?? 0) <= (deployment.status?.observedGeneration ?? 0) ? rolloutCrash(currentPods, startedAtMs) : undefined;
  if (crash) {
    return fail(next, 'termination', t(`the current version crashed: ${crash.summary.en}`, `현재 버전이 죽었습니다: ${crash.summary.ko}`), [crash, ...stuckEvidence(currentPods, snapshot.events)]);
  }

  const stuck = (deployment.metadata.generation ?? 0) <= (deployment.status?.observedGeneration ?? 0) ? stuckBeforeVerify(currentPods, startedAtMs, snapshot.atMs) : undefined;
  if (stuck) {
    return fail(next, 'rollout', stuck.summary, [stuck, ...stuckEvidence(currentPods, snapshot.events)]);
  }

  const blocker = rolloutBlocker(deployment, current, pods);
  if (!blocker) {
    const baseline: Baseline = {
      startMs: snapshot.atMs,
      window,
      generation: deployment.metadata.generation,
      pods: Object.fromEntries(currentPods.map((p) => [podKey(p), { name: p.metadata.name, restarts: restartsOf(p) }])),
    };
    const started = { ...next, baseline, pods: restartTable(pods, baseline) };
    return { ...started, decision: watchingDecision(started, snapshot.atMs) };
  }

  const deadline = progressDeadlineExceeded(deployment);
  const elapsedMs = snapshot.atMs - startedAtMs;
  const timedOut = elapsedMs >= config.rolloutTimeoutSeconds * 1000;
  if ((deadline && !state.staleProgressDeadline) || timedOut) {
    const stuck = currentPods.length > 0 ? currentPods : pods;
    const evidence = stuckEvidence(stuck, snapshot.events);
    if (deadline?.message) evidence.push({ rule: 'rollout', summary: t(`Deployment: ProgressDeadlineExceeded: ${deadline.message}`, `Deployment: ProgressDeadlineExceeded: ${deadline.message}`), reason: 'ProgressDeadlineExceeded', message: deadline.message });
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

function observeWindow(state: VerifyState, snapshot: VerifySnapshot, deployment: Deployment, pods: Pod[]): VerifyState {
  const baseline = state.baseline!;
  const during = t('during the stability window', '안정성 확인 구간 동안');
  if (deployment.metadata.generation !== baseline.generation) {
    return fail(
      state,
      'rollout',
      t(
        `the Deployment changed during the window (generation ${baseline.generation} → ${deployment.metadata.generation}): run verify again after your last change`,
        `확인 구간 동안 Deployment가 바뀌었습니다 (generation ${baseline.generation} → ${deployment.metadata.generation}): 마지막 변경 후 verify를 다시 실행하세요`,
      ),
      [],
    );
  }
  const byKey = new Map(pods.map((p) => [podKey(p), p]));
  for (const [key, base] of Object.entries(baseline.pods)) {
    const pod = byKey.get(key);
    if (!pod || pod.metadata.deletionTimestamp) {
      const e: Evidence = {
        rule: 'pod-replaced',
        pod: base.name,
        summary: t(
          `pod ${base.name} was deleted ${during.en} (by a person, an eviction or its ReplicaSet): the pods that were watched are gone, run verify again`,
          `${base.name} 파드가 ${during.ko} 삭제되었습니다 (사람, eviction 또는 ReplicaSet에 의해): 지켜보던 파드가 없어졌으니 verify를 다시 실행하세요`,
        ),
        at: pod?.metadata.deletionTimestamp,
      };
      return fail(state, 'pod-replaced', e.summary, [e, ...deletionEvents(snapshot.events, base.name, baseline.startMs)]);
    }
    for (const status of longRunningStatuses(pod)) {
      const atStart = base.restarts[status.name] ?? 0;
      const finished = ms(status.lastState?.terminated?.finishedAt);
      if (status.restartCount > atStart || status.state?.terminated || (finished !== undefined && finished >= baseline.startMs)) {
        const rule: VerifyRule = status.restartCount > atStart ? 'restart' : 'termination';
        const e = terminationEvidence(rule, pod, status, during, atStart);
        return fail(state, rule, e.summary, [e, ...troubleEvents(snapshot.events, [pod], baseline.startMs)]);
      }
    }
    const notReady = podNotReadyReason(pod);
    if (notReady) {
      const e: Evidence = { rule: 'ready', pod: pod.metadata.name, summary: t(`${notReady.en} ${during.en}`, `${during.ko} ${notReady.ko}`) };
      return fail(state, 'ready', e.summary, [e, ...troubleEvents(snapshot.events, [pod], baseline.startMs)]);
    }
  }
  const watched = [...byKey.values()].filter((p) => baseline.pods[podKey(p)]);
  const events = troubleEvents(snapshot.events, watched, baseline.startMs);
  if (events.length > 0) {
    return fail(state, 'event', t(`new ${events[0].summary.en}`, `새 이벤트: ${events[0].summary.ko}`), events);
  }
  if (snapshot.atMs >= baseline.startMs + baseline.window.seconds * 1000) {
    const podCount = watched.length;
    const guards = state.guardResults.length;
    return {
      ...state,
      decision: {
        kind: 'pass',
        summary: t(
          `rollout complete, ${podCount} pod(s) Ready, no restart, termination or Warning event for ${baseline.window.seconds} s${guards ? `, ${guards} guard(s) hold` : ''}`,
          `롤아웃 완료, 파드 ${podCount}개 Ready, ${baseline.window.seconds}초 동안 재시작·종료·Warning 이벤트 없음${guards ? `, 조건 ${guards}개 유지` : ''}`,
        ),
      },
    };
  }
  return { ...state, decision: watchingDecision(state, snapshot.atMs) };
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
