/**
 * Runs the verification contract against a live Deployment: a pod watch for fail-fast on
 * restarts and terminations, re-reads of the Deployment, ReplicaSets and events at a modest
 * cadence, and a final full read when the window ends. The decisions themselves are the pure
 * state machine in core/verify/decide.ts. Read-only: it never changes the cluster.
 */
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../core/k8s.js';
import type { Guard } from '../core/scenario.js';
import type { Text } from '../core/text.js';
import { initialVerifyState, isFinal, observe, type Evidence, type PodRestarts, type VerifyRule, type VerifyState } from '../core/verify/decide.js';
import type { GuardResult } from '../core/verify/guards.js';
import type { Clock } from '../ports/clock.js';
import { KubeError, type Kube, type PodWatchEvent, type Watch } from '../ports/kube.js';

export const DEFAULT_MARGIN_SECONDS = 10;
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 120;
export const DEFAULT_POLL_INTERVAL_MS = 2500;
const PROGRESS_TICK_MS = 1000;
/** While waiting for the rollout, a pod change re-reads the Deployment at most this often. */
const MIN_REREAD_MS = 1000;

export interface VerifyDeploymentOptions {
  kube: Kube;
  clock: Clock;
  namespace: string;
  deployment: string;
  guards?: readonly Guard[];
  windowOverrideSeconds?: number;
  crashWithinSeconds?: number;
  marginSeconds?: number;
  rolloutTimeoutSeconds?: number;
  /** How often the Deployment, ReplicaSets and events are re-read. */
  pollIntervalMs?: number;
  onProgress?: (progress: VerifyProgress) => void;
  signal?: AbortSignal;
}

export interface Verdict {
  result: 'pass' | 'fail' | 'unable';
  namespace: string;
  deployment: string;
  summary: Text;
  /** The rule a failed verdict broke. */
  rule?: VerifyRule;
  windowSeconds: number;
  /** How W was derived, a term a line. */
  windowReasons: Text[];
  /** When the stability window began (all pods Ready, rollout complete). */
  windowStartedAt?: string;
  elapsedSeconds: number;
  evidence: Evidence[];
  guardResults: GuardResult[];
  /** Restart counts per pod and container, at the start of the window and at the end. */
  pods: PodRestarts[];
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

/** The Deployment's selector as a kubectl label selector string. */
export function labelSelector(deployment: Deployment): string {
  const selector = deployment.spec.selector as { matchLabels?: Record<string, string>; matchExpressions?: MatchExpression[] };
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

export async function verifyDeployment(options: VerifyDeploymentOptions): Promise<Verdict> {
  const { kube, clock, namespace, signal } = options;
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const startMs = clock.now();
  let state = initialVerifyState({
    namespace,
    deployment: options.deployment,
    guards: options.guards,
    crashWithinSeconds: options.crashWithinSeconds,
    marginSeconds: options.marginSeconds ?? DEFAULT_MARGIN_SECONDS,
    windowOverrideSeconds: options.windowOverrideSeconds,
    rolloutTimeoutSeconds: options.rolloutTimeoutSeconds ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  });

  let deployment: Deployment | undefined;
  let replicaSets: ReplicaSet[] = [];
  let events: KubeEvent[] = [];
  const pods = new Map<string, Pod>();
  let lastReadMs = startMs;
  let watch: Watch | undefined;
  let watchAlive = false;
  let watchError: Error | undefined;
  let podsChanged = false;
  let wake: (() => void) | undefined;

  const elapsedSeconds = () => Math.round((clock.now() - startMs) / 100) / 10;
  const finish = (verdict: Verdict): Verdict => {
    options.onProgress?.({ phase: 'done', verdict });
    return verdict;
  };

  const readAll = async (withPods: boolean) => {
    deployment = await kube.getDeployment(namespace, options.deployment);
    if (!deployment) return;
    const selector = labelSelector(deployment);
    const [rs, ev, podList] = await Promise.all([
      kube.getReplicaSets(namespace, selector),
      kube.getEvents(namespace),
      withPods ? kube.getPods(namespace, selector) : Promise.resolve(undefined),
    ]);
    replicaSets = rs;
    events = ev;
    if (podList) {
      pods.clear();
      for (const pod of podList) pods.set(podKey(pod), pod);
    }
    lastReadMs = clock.now();
  };

  const onWatchEvent = (event: PodWatchEvent) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') pods.set(podKey(event.pod), event.pod);
    else if (event.type === 'DELETED') pods.delete(podKey(event.pod));
    else return;
    podsChanged = true;
    wake?.();
  };

  /** Sleeps until `untilMs`, a pod change, or cancellation; whichever comes first. */
  const waitUntil = async (untilMs: number) => {
    if (podsChanged || !(untilMs > clock.now())) return;
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

  const observeNow = () => {
    state = observe(state, { atMs: clock.now(), deployment, replicaSets, pods: [...pods.values()], events });
    podsChanged = false;
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

  try {
    if (signal?.aborted) throw new Interrupted();
    await readAll(true);
    if (deployment) {
      watch = kube.watchPods(namespace, labelSelector(deployment), onWatchEvent, (error) => {
        // A bad line is reported but the watch goes on; only a lost cluster matters here, and
        // `done` tells when the watch really ended.
        watchError = error;
        if (error instanceof KubeError && error.kind === 'unreachable') wake?.();
      });
      watchAlive = true;
      watch.done.then(
        () => {
          watchAlive = false;
          wake?.();
        },
        () => {
          watchAlive = false;
          wake?.();
        },
      );
    }
    observeNow();
    while (!isFinal(state.decision)) {
      const deadline = deadlineMs(state);
      // A countdown wants a tick every second; the tick re-decides from what was already read.
      const tick = options.onProgress ? clock.now() + PROGRESS_TICK_MS : Infinity;
      await waitUntil(Math.min(lastReadMs + pollMs, deadline, tick));
      if (signal?.aborted) throw new Interrupted();
      if (watchError instanceof KubeError && watchError.kind === 'unreachable') throw watchError;
      const now = clock.now();
      const atDeadline = now >= deadline;
      const rolloutPending = state.decision.kind === 'pending' && state.decision.phase === 'waiting-for-rollout';
      // A pod change during the rollout likely moved the Deployment status too: look soon. Trouble
      // with a watched pod is judged on fresh objects: a pod going away is often a new rollout,
      // and a restart's events belong in the verdict.
      const earlyRead = podsChanged && ((rolloutPending && now - lastReadMs >= MIN_REREAD_MS) || watchedPodInTrouble(state, pods));
      if (atDeadline || now >= lastReadMs + pollMs || earlyRead) {
        // Without a watch, pods are re-listed at the same cadence; the final read re-lists them
        // too, so the verdict rests on fresh objects, not on the watch alone.
        await readAll(atDeadline || !watchAlive);
        if (signal?.aborted) throw new Interrupted();
      }
      observeNow();
    }
    return finish(toVerdict(state, elapsedSeconds()));
  } catch (error) {
    if (error instanceof Interrupted || signal?.aborted) {
      const summary = t('verification interrupted before a verdict', '판정 전에 검증이 중단되었습니다');
      return finish({ ...toVerdict(state, elapsedSeconds()), result: 'unable', summary, rule: undefined, evidence: [], interrupted: true, unableCause: 'interrupted' });
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
    return finish({ ...toVerdict(state, elapsedSeconds()), result: 'unable', summary, rule: undefined, evidence: [], unableCause: 'cluster' });
  } finally {
    watch?.cancel();
  }
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? pod.metadata.name;
}

/** A pod of the window is gone or terminating, a container restarted, stopped or lost readiness. */
function watchedPodInTrouble(state: VerifyState, pods: Map<string, Pod>): boolean {
  return Object.entries(state.baseline?.pods ?? {}).some(([key, base]) => {
    const pod = pods.get(key);
    if (!pod || pod.metadata.deletionTimestamp) return true;
    return (pod.status?.containerStatuses ?? []).some((s) => s.restartCount !== (base.restarts[s.name] ?? 0) || !s.state?.running || !s.ready);
  });
}

/** When the current phase ends by itself: the end of W, or the rollout timeout. */
function deadlineMs(state: VerifyState): number {
  if (state.baseline) return state.baseline.startMs + state.baseline.window.seconds * 1000;
  return (state.startedAtMs ?? 0) + state.config.rolloutTimeoutSeconds * 1000;
}

function toVerdict(state: VerifyState, elapsedSeconds: number): Verdict {
  const d = state.decision;
  const window = state.baseline?.window ?? state.window;
  const base = {
    result: 'unable' as Verdict['result'],
    summary: t('', ''),
    namespace: state.config.namespace,
    deployment: state.config.deployment,
    windowSeconds: window?.seconds ?? 0,
    windowReasons: window?.reasons ?? [],
    windowStartedAt: state.baseline ? new Date(state.baseline.startMs).toISOString() : undefined,
    elapsedSeconds,
    guardResults: state.guardResults,
    pods: state.pods,
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
