/**
 * Pod status as a learner sees it in `kubectl get pods`, plus what kubectl does not print:
 * per-container last termination and the CrashLoopBackOff countdown. Pure: `nowMs` is passed in.
 */
import type { ContainerStateTerminated, ContainerStatus, Pod } from './k8s.js';

export type ContainerStateKind = 'waiting' | 'running' | 'terminated' | 'unknown';

export interface Termination {
  reason?: string;
  exitCode: number;
  signal?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface BackOff {
  delaySeconds: number;
  /** `message`: read from the kubelet's waiting message (authoritative); `estimated`: from restartCount. */
  source: 'message' | 'estimated';
  /** lastState.terminated.finishedAt + delay, when finishedAt is known. */
  dueAtMs?: number;
  /** Seconds until the next restart is due (0 when overdue); absent without dueAtMs. */
  remainingSeconds?: number;
}

export interface ContainerSummary {
  name: string;
  init: boolean;
  /** A native sidecar: an init container with restartPolicy Always. */
  sidecar: boolean;
  state: ContainerStateKind;
  reason?: string;
  message?: string;
  startedAt?: string;
  /** Set when the current state is terminated. */
  exitCode?: number;
  ready: boolean;
  restartCount: number;
  lastTermination?: Termination;
  backOff?: BackOff;
}

export interface PodSummary {
  name: string;
  namespace?: string;
  uid?: string;
  phase: string;
  /** The STATUS column of `kubectl get pods`. */
  status: string;
  /** The READY column, e.g. "1/1". */
  ready: string;
  readyCount: number;
  total: number;
  /** The sum kubectl prints in RESTARTS. */
  restarts: number;
  /** The RESTARTS column, e.g. "5 (12s ago)". */
  restartsText: string;
  lastRestartAtMs?: number;
  /** The AGE column. */
  age: string;
  podTemplateHash?: string;
  node?: string;
  podIP?: string;
  deleting: boolean;
  containers: ContainerSummary[];
}

const BACK_OFF_INITIAL_SECONDS = 10;
const BACK_OFF_CAP_SECONDS = 300;

/**
 * The kubelet's default crash back-off for a container that has restarted `restartCount`
 * times: the first restart is immediate (0), then 10 s doubling to a 300 s cap.
 */
export function backOffDelaySeconds(restartCount: number): number {
  if (restartCount <= 0) return 0;
  const delay = BACK_OFF_INITIAL_SECONDS * 2 ** Math.min(restartCount - 1, 16);
  return Math.min(delay, BACK_OFF_CAP_SECONDS);
}

/** Parses a Go duration as the kubelet prints it ("40s", "2m40s", "5m0s", "1h0m0s"). */
export function parseGoDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** The delay in the kubelet's message `back-off 40s restarting failed container=app pod=...`. */
export function backOffFromMessage(message: string | undefined): number | undefined {
  const match = /back-off (\S+) restarting failed container/.exec(message ?? '');
  return match ? parseGoDuration(match[1]) : undefined;
}

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration), the AGE format. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

function timeMs(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function sinceText(ms: number | undefined, nowMs: number): string {
  return ms === undefined ? '<unknown>' : humanDuration(nowMs - ms);
}

function isSidecar(pod: Pod, name: string): boolean {
  return pod.spec.initContainers?.some((c) => c.name === name && c.restartPolicy === 'Always') ?? false;
}

function conditionTrue(pod: Pod, type: string): boolean {
  return pod.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

export interface StatusColumns {
  status: string;
  readyCount: number;
  total: number;
  restarts: number;
  lastRestartAtMs?: number;
}

function laterOf(current: number | undefined, terminated: ContainerStateTerminated | undefined): number | undefined {
  const finished = timeMs(terminated?.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || finished > current ? finished : current;
}

/** The STATUS, READY and RESTARTS columns, following kubectl's printPod rule by rule. */
export function statusColumns(pod: Pod): StatusColumns {
  const status = pod.status ?? {};
  const initSpecs = pod.spec.initContainers ?? [];
  let reason: string = status.reason || status.phase || 'Unknown';
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const total = pod.spec.containers.length + initSpecs.filter((c) => c.restartPolicy === 'Always').length;
  let readyCount = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isSidecar(pod, c.name);
    restarts += c.restartCount;
    lastRestart = laterOf(lastRestart, c.lastState?.terminated);
    if (sidecar) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = laterOf(lastSidecarRestart, c.lastState?.terminated);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyCount++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount;
      lastRestart = laterOf(lastRestart, c.lastState?.terminated);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = status.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  return { status: reason, readyCount, total, restarts, lastRestartAtMs: lastRestart };
}

/** The STATUS column exactly as `kubectl get pods` computes it. */
export function kubectlStatus(pod: Pod): string {
  return statusColumns(pod).status;
}

function termination(t: ContainerStateTerminated | undefined): Termination | undefined {
  if (!t) return undefined;
  return { reason: t.reason, exitCode: t.exitCode, signal: t.signal, message: t.message, startedAt: t.startedAt, finishedAt: t.finishedAt };
}

/** The back-off a container waiting in CrashLoopBackOff is serving, and when it ends. */
export function backOffOf(status: ContainerStatus, nowMs: number): BackOff | undefined {
  const waiting = status.state?.waiting;
  if (waiting?.reason !== 'CrashLoopBackOff') return undefined;
  const fromMessage = backOffFromMessage(waiting.message);
  const delaySeconds = fromMessage ?? backOffDelaySeconds(status.restartCount);
  const finished = timeMs(status.lastState?.terminated?.finishedAt);
  const backOff: BackOff = { delaySeconds, source: fromMessage === undefined ? 'estimated' : 'message' };
  if (finished !== undefined) {
    backOff.dueAtMs = finished + delaySeconds * 1000;
    backOff.remainingSeconds = Math.max(0, Math.ceil((backOff.dueAtMs - nowMs) / 1000));
  }
  return backOff;
}

function summarizeContainer(pod: Pod, status: ContainerStatus, init: boolean, nowMs: number): ContainerSummary {
  const state = status.state ?? {};
  const kind: ContainerStateKind = state.waiting ? 'waiting' : state.running ? 'running' : state.terminated ? 'terminated' : 'unknown';
  const current = state.waiting ?? state.terminated;
  return {
    name: status.name,
    init,
    sidecar: init && isSidecar(pod, status.name),
    state: kind,
    reason: current?.reason,
    message: current?.message,
    startedAt: state.running?.startedAt ?? state.terminated?.startedAt,
    exitCode: state.terminated?.exitCode,
    ready: status.ready,
    restartCount: status.restartCount,
    lastTermination: termination(status.lastState?.terminated),
    backOff: backOffOf(status, nowMs),
  };
}

/** Containers the API has not reported on yet still appear, in spec order, as `unknown`. */
function containerSummaries(pod: Pod, nowMs: number): ContainerSummary[] {
  const out: ContainerSummary[] = [];
  const add = (names: string[], statuses: ContainerStatus[] | undefined, init: boolean) => {
    for (const name of names) {
      const status = statuses?.find((s) => s.name === name);
      if (status) out.push(summarizeContainer(pod, status, init, nowMs));
      else out.push({ name, init, sidecar: init && isSidecar(pod, name), state: 'unknown', ready: false, restartCount: 0 });
    }
  };
  add((pod.spec.initContainers ?? []).map((c) => c.name), pod.status?.initContainerStatuses, true);
  add(pod.spec.containers.map((c) => c.name), pod.status?.containerStatuses, false);
  return out;
}

export function summarizePod(pod: Pod, nowMs: number): PodSummary {
  const columns = statusColumns(pod);
  const restartsText =
    columns.restarts !== 0 && columns.lastRestartAtMs !== undefined
      ? `${columns.restarts} (${humanDuration(nowMs - columns.lastRestartAtMs)} ago)`
      : String(columns.restarts);
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    uid: pod.metadata.uid,
    phase: pod.status?.phase ?? 'Unknown',
    status: columns.status,
    ready: `${columns.readyCount}/${columns.total}`,
    readyCount: columns.readyCount,
    total: columns.total,
    restarts: columns.restarts,
    restartsText,
    lastRestartAtMs: columns.lastRestartAtMs,
    age: sinceText(timeMs(pod.metadata.creationTimestamp), nowMs),
    podTemplateHash: pod.metadata.labels?.['pod-template-hash'],
    node: pod.spec.nodeName,
    podIP: pod.status?.podIP,
    deleting: Boolean(pod.metadata.deletionTimestamp),
    containers: containerSummaries(pod, nowMs),
  };
}

// ---- Restart timeline -------------------------------------------------------------------

/** One restart placed on the timeline. */
export interface ObservedRestart {
  /** "pod/container". */
  key: string;
  atMs: number;
  /** true: taken from lastState.terminated.finishedAt; false: the moment we saw the count rise. */
  exact: boolean;
  reason?: string;
  exitCode?: number;
}

/**
 * What a watcher has learnt about restarts. The API keeps only the last termination, so
 * restarts that happened before we started watching (or between two snapshots) can be
 * counted but not placed in time: `unplaced(history, key)` says how many.
 */
export interface RestartHistory {
  /** Latest restartCount seen per "pod/container". */
  counts: Record<string, number>;
  /** Placed restarts, oldest first. */
  restarts: ObservedRestart[];
}

export function emptyRestartHistory(): RestartHistory {
  return { counts: {}, restarts: [] };
}

function allStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/** The restarts one snapshot proves: the count, and the time of the last one only. */
export function knownRestarts(pod: Pod): { container: string; restartCount: number; lastAtMs?: number }[] {
  return allStatuses(pod).map((s) => ({
    container: s.name,
    restartCount: s.restartCount,
    lastAtMs: timeMs(s.lastState?.terminated?.finishedAt),
  }));
}

/**
 * Folds one pod snapshot into the history: each rise of a container's restartCount adds a
 * restart, placed at lastState.terminated.finishedAt when that is newer than the last placed
 * one (else at `nowMs`). Returns a new history; the input is not changed.
 */
export function recordRestarts(history: RestartHistory, pod: Pod, nowMs: number): RestartHistory {
  const counts = { ...history.counts };
  const restarts = [...history.restarts];
  for (const status of allStatuses(pod)) {
    const key = `${pod.metadata.name}/${status.name}`;
    const previous = counts[key];
    counts[key] = status.restartCount;
    const rose = previous === undefined ? status.restartCount > 0 : status.restartCount > previous;
    if (!rose) continue;
    const last = status.lastState?.terminated;
    const finished = timeMs(last?.finishedAt);
    const lastPlaced = restarts.filter((r) => r.key === key).at(-1);
    const exact = finished !== undefined && (lastPlaced === undefined || finished > lastPlaced.atMs);
    restarts.push({ key, atMs: exact ? finished : nowMs, exact, reason: last?.reason, exitCode: last?.exitCode });
  }
  restarts.sort((a, b) => a.atMs - b.atMs);
  return { counts, restarts };
}

/** Restarts counted for `key` that the history could not place in time. */
export function unplacedRestarts(history: RestartHistory, key: string): number {
  const placed = history.restarts.filter((r) => r.key === key).length;
  return Math.max(0, (history.counts[key] ?? 0) - placed);
}

/**
 * The pod a scenario is about: among the live pods (all of them while every one is being
 * deleted), newest first, the first that runs `container` (containers or init containers; a
 * scenario may deploy a healthy server beside the failing client), else the newest. The lab's
 * status, routine and screens all look at this one.
 */
export function focusPod(pods: Pod[], container?: string): Pod | undefined {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const pool = [...(live.length ? live : pods)].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const runs = (pod: Pod) => [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === container);
  return (container !== undefined ? pool.find(runs) : undefined) ?? pool[0];
}
