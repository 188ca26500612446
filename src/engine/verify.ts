/**
 * Runs the verification contract against a live workload (Deployment, StatefulSet, DaemonSet or
 * Job): watches of its pods, of the workload object and of the namespace's events for fail-fast
 * verdicts, re-reads of the rest (ReplicaSets, ControllerRevisions) at a modest cadence, and a
 * final full read when the window ends. The decisions themselves are the pure state machine in
 * core/verify/decide.ts. Read-only: it never changes the cluster.
 */
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../core/k8s.js';
import type { Guard } from '../core/scenario.js';
import type { Text } from '../core/text.js';
import { initialVerifyState, isFinal, observe, type Evidence, type PodRestarts, type VerifyRule, type VerifyState } from '../core/verify/decide.js';
import type { GuardResult } from '../core/verify/guards.js';
import type { RequireChange } from '../core/verify/unchanged.js';
import { WORKLOAD_RESOURCES, type ControllerRevision, type Workload, type WorkloadKind } from '../core/verify/workload.js';
import type { Clock } from '../ports/clock.js';
import { KubeError, type Kube, type PodWatchEvent, type Watch } from '../ports/kube.js';

export const DEFAULT_MARGIN_SECONDS = 10;
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 120;
export const DEFAULT_POLL_INTERVAL_MS = 2500;
const PROGRESS_TICK_MS = 1000;
/** While waiting for the rollout, a pod change re-reads the workload at most this often. */
const MIN_REREAD_MS = 1000;

const RESOURCE = WORKLOAD_RESOURCES;

export interface VerifyWorkloadOptions {
  kube: Kube;
  clock: Clock;
  namespace: string;
  /** Default Deployment. */
  kind?: WorkloadKind;
  name: string;
  guards?: readonly Guard[];
  /** The scenario heals by itself: the fix must change the pod template (core/verify/unchanged.ts). */
  requireChange?: RequireChange;
  windowOverrideSeconds?: number;
  crashWithinSeconds?: number;
  marginSeconds?: number;
  rolloutTimeoutSeconds?: number;
  /** How often the workload, ReplicaSets and events are re-read (watches make most verdicts sooner). */
  pollIntervalMs?: number;
  onProgress?: (progress: VerifyProgress) => void;
  signal?: AbortSignal;
}

export type VerifyDeploymentOptions = Omit<VerifyWorkloadOptions, 'kind' | 'name'> & { deployment: string; kind?: WorkloadKind };

export interface Verdict {
  result: 'pass' | 'fail' | 'unable';
  namespace: string;
  kind: WorkloadKind;
  /** The workload's name (kept under this key for every kind: callers read it). */
  deployment: string;
  summary: Text;
  /** The rule a failed verdict broke. */
  rule?: VerifyRule;
  windowSeconds: number;
  /** How W was derived, a term a line. */
  windowReasons: Text[];
  /** When verification began (elapsedSeconds counts from here), and when the stability window began. */
  startedAt: string;
  windowStartedAt?: string;
  elapsedSeconds: number;
  evidence: Evidence[];
  guardResults: GuardResult[];
  /** Restart counts per pod and container, at the start of the window and at the end. */
  pods: PodRestarts[];
  /** What else the verdict should say: a second rollout restarted the window, W grew. */
  notes: Text[];
  /** The verification was cancelled (Ctrl-C, the learner left the screen). */
  interrupted?: boolean;
  /** Why an `unable` verdict could not decide: nothing to verify, or no usable cluster. */
  unableCause?: 'not-found' | 'cluster' | 'interrupted';
}

export type VerifyProgress =
  | { phase: 'waiting-for-rollout'; reason: Text; remainingSeconds: number; elapsedSeconds: number; windowSeconds?: number }
  | { phase: 'watching'; reason: Text; remainingSeconds: number; elapsedSeconds: number; windowSeconds: number; pods: PodRestarts[] }
  | { phase: 'done'; verdict: Verdict };

const t = (en: string, ko: string): Text => ({ en, ko });

type MatchExpression = { key: string; operator: string; values?: string[] };

/** The workload's selector as a kubectl label selector string. */
export function labelSelector(workload: Deployment | Workload): string {
  const selector = workload.spec.selector as { matchLabels?: Record<string, string>; matchExpressions?: MatchExpression[] };
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

class Interrupted extends Error {}

/** The Deployment entry point (the lab, scripts): the same verifier with kind Deployment. */
export function verifyDeployment(options: VerifyDeploymentOptions): Promise<Verdict> {
  const { deployment, ...rest } = options;
  return verifyWorkload({ ...rest, name: deployment });
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? pod.metadata.name;
}

function eventKey(e: KubeEvent): string {
  return e.metadata.uid ?? `${e.metadata.namespace}/${e.metadata.name}`;
}

/** A pod version worth deciding on by itself even if a newer one follows before the next look: trouble. */
function troubled(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return true;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return !ready || statuses.some((s) => Boolean(s.state?.terminated) || s.restartCount > 0);
}

export async function verifyWorkload(options: VerifyWorkloadOptions): Promise<Verdict> {
  const { kube, clock, namespace, signal } = options;
  const kind = options.kind ?? 'Deployment';
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const startMs = clock.now();
  let state = initialVerifyState({
    namespace,
    kind,
    name: options.name,
    deployment: options.name,
    guards: options.guards,
    requireChange: options.requireChange,
    crashWithinSeconds: options.crashWithinSeconds,
    marginSeconds: options.marginSeconds ?? DEFAULT_MARGIN_SECONDS,
    windowOverrideSeconds: options.windowOverrideSeconds,
    rolloutTimeoutSeconds: options.rolloutTimeoutSeconds ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
    requestedAtMs: startMs,
  });

  let workload: Workload | undefined;
  let replicaSets: ReplicaSet[] = [];
  let revisions: ControllerRevision[] = [];
  const events = new Map<string, KubeEvent>();
  const pods = new Map<string, Pod>();
  /** Troubled pod versions the watch delivered since the last decision (a flap must not vanish between two looks). */
  let interim: Pod[] = [];
  let podsListed = false;
  let lastReadMs = startMs;
  const watches: Watch[] = [];
  let podWatchAlive = false;
  let workloadWatched = false;
  let eventsWatched = false;
  let watchError: Error | undefined;
  let changed = false;
  let wake: (() => void) | undefined;

  const elapsedSeconds = () => Math.round((clock.now() - startMs) / 100) / 10;
  const finish = (verdict: Verdict): Verdict => {
    options.onProgress?.({ phase: 'done', verdict });
    return verdict;
  };

  const getWorkload = async (): Promise<Workload | undefined> => {
    if (kind === 'Deployment') return (await kube.getDeployment(namespace, options.name)) as Workload | undefined;
    if (!kube.getObject) throw new KubeError(`this cluster connection cannot read ${kind}s`, 'other');
    return (await kube.getObject(namespace, RESOURCE[kind], options.name)) as Workload | undefined;
  };

  const readAll = async (withPods: boolean) => {
    workload = await getWorkload();
    if (!workload) return;
    const selector = labelSelector(workload);
    const [rs, revs, ev, podList] = await Promise.all([
      kind === 'Deployment' ? kube.getReplicaSets(namespace, selector) : Promise.resolve([]),
      kind === 'DaemonSet' && kube.listObjects ? kube.listObjects(namespace, 'controllerrevisions.apps', selector) : Promise.resolve([]),
      kube.getEvents(namespace),
      withPods ? kube.getPods(namespace, selector) : Promise.resolve(undefined),
    ]);
    replicaSets = rs;
    revisions = revs as unknown as ControllerRevision[];
    events.clear();
    for (const e of ev) events.set(eventKey(e), e);
    if (podList) {
      pods.clear();
      for (const pod of podList) pods.set(podKey(pod), pod);
      interim = [];
      podsListed = true;
    }
    lastReadMs = clock.now();
  };

  const onPodEvent = (event: PodWatchEvent) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') pods.set(podKey(event.pod), event.pod);
    else if (event.type === 'DELETED') pods.delete(podKey(event.pod));
    else return;
    if (troubled(event.pod)) interim = [...interim, event.pod].slice(-50);
    podsListed = false;
    changed = true;
    wake?.();
  };

  /** Sleeps until `untilMs`, a change, or cancellation; whichever comes first. */
  const waitUntil = async (untilMs: number) => {
    if (changed || !(untilMs > clock.now())) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve) => {
        wake = () => {
          stop.abort();
          resolve();
        };
        clock.sleep(untilMs - clock.now(), stop.signal).then(resolve, resolve);
      });
    } finally {
      wake = undefined;
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const snapshot = (podList: Pod[], listed: boolean) => ({
    atMs: clock.now(),
    workload,
    replicaSets,
    revisions,
    pods: podList,
    events: [...events.values()],
    podsListed: listed,
  });

  const observeNow = () => {
    // Troubled versions first, each in place of its pod's latest: a restart, termination or lost
    // readiness decides even when the pod looks fine again by now.
    for (const version of interim) {
      if (isFinal(state.decision)) break;
      const list = [...pods.values()].filter((p) => podKey(p) !== podKey(version));
      state = observe(state, snapshot([...list, version], false));
    }
    interim = [];
    if (!isFinal(state.decision)) state = observe(state, snapshot([...pods.values()], podsListed));
    changed = false;
    const decision = state.decision;
    if (decision.kind !== 'pending') return;
    if (decision.phase === 'watching') {
      options.onProgress?.({
        phase: 'watching',
        reason: decision.reason,
        remainingSeconds: decision.remainingSeconds,
        elapsedSeconds: elapsedSeconds(),
        windowSeconds: state.baseline!.window.seconds,
        pods: state.pods,
      });
    } else {
      options.onProgress?.({ phase: 'waiting-for-rollout', reason: decision.reason, remainingSeconds: decision.remainingSeconds, elapsedSeconds: elapsedSeconds(), windowSeconds: state.window?.seconds });
    }
  };

  const onWatchError = (error: Error) => {
    // A bad line is reported but the watch goes on; only a lost cluster matters here, and
    // `done` tells when the watch really ended.
    watchError = error;
    if (error instanceof KubeError && error.kind === 'unreachable') wake?.();
  };

  const startWatches = () => {
    if (!workload) return;
    const podWatch = kube.watchPods(namespace, labelSelector(workload), onPodEvent, onWatchError);
    watches.push(podWatch);
    podWatchAlive = true;
    const ended = () => {
      podWatchAlive = false;
      wake?.();
    };
    podWatch.done.then(ended, ended);
    if (kube.watchObjects) {
      // The workload object: a spec change (a guard removed, a second rollout) and its status.
      const w = kube.watchObjects(
        namespace,
        RESOURCE[kind],
        { name: options.name },
        (e) => {
          if (e.type === 'ADDED' || e.type === 'MODIFIED') workload = e.object as unknown as Workload;
          else if (e.type === 'DELETED') workload = undefined;
          else return;
          changed = true;
          wake?.();
        },
        onWatchError,
      );
      watches.push(w);
      workloadWatched = true;
      w.done.then(
        () => (workloadWatched = false),
        () => (workloadWatched = false),
      );
      // Events: a Warning (a failing probe below its threshold) fails within a moment, not at the next poll.
      const ev = kube.watchObjects(
        namespace,
        'events',
        {},
        (e) => {
          const event = e.object as unknown as KubeEvent;
          if (e.type === 'ADDED' || e.type === 'MODIFIED') events.set(eventKey(event), event);
          else return;
          if (event.type === 'Warning' || event.reason === 'Killing') {
            changed = true;
            wake?.();
          }
        },
        onWatchError,
      );
      watches.push(ev);
      eventsWatched = true;
      ev.done.then(
        () => (eventsWatched = false),
        () => (eventsWatched = false),
      );
    }
  };

  try {
    if (signal?.aborted) throw new Interrupted();
    await readAll(true);
    startWatches();
    observeNow();
    while (!isFinal(state.decision)) {
      const deadline = deadlineMs(state);
      const fresh = state.decision.kind === 'pending' && state.decision.phase === 'waiting-for-rollout' && state.decision.needsFreshRead;
      // A countdown wants a tick every second; the tick re-decides from what was already read.
      const tick = options.onProgress ? clock.now() + PROGRESS_TICK_MS : Infinity;
      // In the window, with the workload and events watched, the poll only refreshes the rest
      // (ReplicaSets, revisions): half as often.
      const poll = lastReadMs + (state.baseline && workloadWatched && eventsWatched ? pollMs * 2 : pollMs);
      if (!fresh) await waitUntil(Math.min(poll, deadline, tick));
      if (signal?.aborted) throw new Interrupted();
      if (watchError instanceof KubeError && watchError.kind === 'unreachable') throw watchError;
      // Decide at once on what the watches brought (a termination, a Job's completion): a read
      // first would only add kubectl's latency. Not when a watched pod went away: that is judged on
      // fresh objects (it is often a second rollout).
      const hadChange = changed;
      if (changed && !watchedPodGone(state, pods)) {
        observeNow();
        if (isFinal(state.decision)) break;
      }
      const now = clock.now();
      const atDeadline = now >= deadline;
      const rolloutPending = state.decision.kind === 'pending' && state.decision.phase === 'waiting-for-rollout';
      // A pod change during the rollout likely moved the ReplicaSets too: look soon. Trouble with a watched pod is judged on fresh objects: a pod
      // going away is often a second rollout, and a restart's events belong in the verdict.
      const earlyRead = hadChange && ((rolloutPending && now - lastReadMs >= MIN_REREAD_MS) || watchedPodInTrouble(state, pods));
      if (fresh || atDeadline || now >= poll || earlyRead) {
        // Without a pod watch, pods are re-listed at every read; the window opens and the final
        // verdict rest on a fresh list, not on the watch alone.
        // While waiting for the rollout pods are re-listed at each read too: a pod deleted between
        // the first list and the watch's start is never reported as deleted, and must not stay.
        await readAll(fresh || atDeadline || !podWatchAlive || rolloutPending || (earlyRead && state.baseline !== undefined));
        if (signal?.aborted) throw new Interrupted();
      }
      observeNow();
    }
    return finish(toVerdict(state, elapsedSeconds(), startMs));
  } catch (error) {
    if (error instanceof Interrupted || signal?.aborted) {
      const summary = t('verification interrupted before a verdict', '판정 전에 검증이 중단되었습니다');
      return finish({ ...toVerdict(state, elapsedSeconds(), startMs), result: 'unable', summary, rule: undefined, evidence: [], interrupted: true, unableCause: 'interrupted' });
    }
    const message = error instanceof Error ? error.message : String(error);
    const unreachable = error instanceof KubeError && error.kind === 'unreachable';
    const summary =
      unreachable && state.startedAtMs !== undefined
        ? t(`lost the cluster during verification: ${message}`, `검증 도중 클러스터에 연결할 수 없게 되었습니다: ${message}`)
        : unreachable
          ? // Said once: the kubectl adapter's message already starts "cannot reach the cluster of context ...".
            t(/^cannot reach the cluster/.test(message) ? message : `cannot reach the cluster: ${message}`, `클러스터에 연결할 수 없습니다: ${message}`)
          : t(`could not read the cluster: ${message}`, `클러스터를 읽을 수 없습니다: ${message}`);
    return finish({ ...toVerdict(state, elapsedSeconds(), startMs), result: 'unable', summary, rule: undefined, evidence: [], unableCause: 'cluster' });
  } finally {
    for (const w of watches) w.cancel();
  }
}

/** A pod of the window is gone or terminating, a container restarted, stopped or lost readiness. */
function watchedPodInTrouble(state: VerifyState, pods: Map<string, Pod>): boolean {
  return Object.entries(state.baseline?.pods ?? {}).some(([key, base]) => {
    const pod = pods.get(key);
    if (!pod || pod.metadata.deletionTimestamp) return true;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    return statuses.some((s) => (base.restarts[s.name] !== undefined && s.restartCount !== base.restarts[s.name]) || (base.restarts[s.name] !== undefined && (!s.state?.running || !s.ready)));
  });
}

/** A pod of the window is gone or being deleted. */
function watchedPodGone(state: VerifyState, pods: Map<string, Pod>): boolean {
  return Object.keys(state.baseline?.pods ?? {}).some((key) => {
    const pod = pods.get(key);
    return !pod || Boolean(pod.metadata.deletionTimestamp);
  });
}

/** When the current phase ends by itself: the end of W, or the rollout timeout. */
function deadlineMs(state: VerifyState): number {
  if (state.baseline) return state.baseline.startMs + state.baseline.window.seconds * 1000;
  return (state.startedAtMs ?? 0) + state.config.rolloutTimeoutSeconds * 1000;
}

function toVerdict(state: VerifyState, elapsedSeconds: number, startMs: number): Verdict {
  const d = state.decision;
  const window = state.baseline?.window ?? state.window;
  const base = {
    result: 'unable' as Verdict['result'],
    summary: t('', ''),
    namespace: state.config.namespace,
    kind: state.config.kind ?? 'Deployment',
    deployment: state.config.name ?? state.config.deployment ?? '',
    windowSeconds: window?.seconds ?? 0,
    windowReasons: window?.reasons ?? [],
    startedAt: new Date(startMs).toISOString(),
    windowStartedAt: state.baseline ? new Date(state.baseline.startMs).toISOString() : undefined,
    elapsedSeconds,
    guardResults: state.guardResults,
    pods: state.pods,
    notes: state.notes,
  };
  switch (d.kind) {
    case 'pass':
      return { ...base, result: 'pass', summary: d.summary, evidence: [] };
    case 'fail':
      return { ...base, result: 'fail', summary: d.summary, rule: d.rule, evidence: d.evidence };
    case 'unable':
      return { ...base, result: 'unable', summary: d.summary, evidence: [], unableCause: 'not-found' };
    case 'pending':
      return { ...base, result: 'unable', summary: d.reason, evidence: [] };
  }
}

