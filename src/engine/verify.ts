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
import { NODE_LEASE_NAMESPACE, recoveringNodes, recoveringNodeText, silentNodes, silentNodeText } from '../core/verify/nodeHeartbeat.js';
import type { RequireChange } from '../core/verify/unchanged.js';
import { WORKLOAD_RESOURCES, type ControllerRevision, type Workload, type WorkloadKind } from '../core/verify/workload.js';
import type { Clock } from '../ports/clock.js';
import { isPortError, kubeError } from '../ports/errors.js';
import type { Kube, PodWatchEvent, Watch } from '../ports/kube.js';
import { LabError } from './errors.js';

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
  return new WorkloadVerification(options).run();
}

/**
 * One verification: what the reads and the watches delivered so far, and the decision state
 * (core/verify/decide.ts) they are fed to. Watch callbacks write here and wake the loop.
 */
class WorkloadVerification {
  private readonly kube: Kube;
  private readonly clock: Clock;
  private readonly namespace: string;
  private readonly signal: AbortSignal | undefined;
  private readonly kind: WorkloadKind;
  private readonly pollMs: number;
  private readonly startMs: number;
  private state: VerifyState;

  private workload: Workload | undefined;
  private replicaSets: ReplicaSet[] = [];
  private revisions: ControllerRevision[] = [];
  private readonly events = new Map<string, KubeEvent>();
  private readonly pods = new Map<string, Pod>();
  /** Troubled pod versions the watch delivered since the last decision (a flap must not vanish between two looks). */
  private interim: Pod[] = [];
  private podsListed = false;
  private lastReadMs: number;
  private readonly watches: Watch[] = [];
  private podWatchAlive = false;
  private workloadWatched = false;
  private eventsWatched = false;
  private watchError: Error | undefined;
  private changed = false;
  private wake: (() => void) | undefined;
  /** The watched pods' nodes' Lease renewTime (the kubelet's heartbeat) when the window opened. */
  private heartbeats: { windowStartMs: number; readAtMs: number; renewTimes: Record<string, string | undefined> } | undefined;

  constructor(private readonly options: VerifyWorkloadOptions) {
    this.kube = options.kube;
    this.clock = options.clock;
    this.namespace = options.namespace;
    this.signal = options.signal;
    this.kind = options.kind ?? 'Deployment';
    this.pollMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.startMs = this.clock.now();
    this.lastReadMs = this.startMs;
    this.state = initialVerifyState({
      namespace: options.namespace,
      kind: this.kind,
      name: options.name,
      deployment: options.name,
      guards: options.guards,
      requireChange: options.requireChange,
      crashWithinSeconds: options.crashWithinSeconds,
      marginSeconds: options.marginSeconds ?? DEFAULT_MARGIN_SECONDS,
      windowOverrideSeconds: options.windowOverrideSeconds,
      rolloutTimeoutSeconds: options.rolloutTimeoutSeconds ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
      requestedAtMs: this.startMs,
    });
  }

  async run(): Promise<Verdict> {
    try {
      if (this.signal?.aborted) throw new LabError('verification interrupted', 'interrupted');
      await this.readAll(true);
      this.startWatches();
      this.observeNow();
      await this.heartbeatAtWindowStart();
      await this.decide();
      await this.heartbeatAtPass();
      return this.finish(toVerdict(this.state, this.elapsedSeconds(), this.startMs));
    } catch (error) {
      return this.finish(this.unable(error));
    } finally {
      for (const w of this.watches) w.cancel();
    }
  }

  /** Waits, reads and decides until the decision is final. */
  private async decide(): Promise<void> {
    const { clock, signal, options } = this;
    while (!isFinal(this.state.decision)) {
      const deadline = deadlineMs(this.state);
      const fresh = this.state.decision.kind === 'pending' && this.state.decision.phase === 'waiting-for-rollout' && this.state.decision.needsFreshRead;
      // A countdown wants a tick every second; the tick re-decides from what was already read.
      const tick = options.onProgress ? clock.now() + PROGRESS_TICK_MS : Infinity;
      // In the window, with the workload and events watched, the poll only refreshes the rest
      // (ReplicaSets, revisions): half as often.
      const poll = this.lastReadMs + (this.state.baseline && this.workloadWatched && this.eventsWatched ? this.pollMs * 2 : this.pollMs);
      if (!fresh) await this.waitUntil(Math.min(poll, deadline, tick));
      if (signal?.aborted) throw new LabError('verification interrupted', 'interrupted');
      if (isPortError(this.watchError, 'kubectl', 'unreachable')) throw this.watchError;
      // Decide at once on what the watches brought (a termination, a Job's completion): a read
      // first would only add kubectl's latency. Not when a watched pod went away: that is judged on
      // fresh objects (it is often a second rollout).
      const hadChange = this.changed;
      if (this.changed && !watchedPodGone(this.state, this.pods)) {
        this.observeNow();
        if (isFinal(this.state.decision)) break;
      }
      const now = clock.now();
      const atDeadline = now >= deadline;
      const rolloutPending = this.state.decision.kind === 'pending' && this.state.decision.phase === 'waiting-for-rollout';
      // A pod change during the rollout likely moved the ReplicaSets too: look soon. Trouble with a watched pod is judged on fresh objects: a pod
      // going away is often a second rollout, and a restart's events belong in the verdict.
      const earlyRead = hadChange && ((rolloutPending && now - this.lastReadMs >= MIN_REREAD_MS) || watchedPodInTrouble(this.state, this.pods));
      if (fresh || atDeadline || now >= poll || earlyRead) {
        // Without a pod watch, pods are re-listed at every read; the window opens and the final
        // verdict rest on a fresh list, not on the watch alone.
        // While waiting for the rollout pods are re-listed at each read too: a pod deleted between
        // the first list and the watch's start is never reported as deleted, and must not stay.
        await this.readAll(fresh || atDeadline || !this.podWatchAlive || rolloutPending || (earlyRead && this.state.baseline !== undefined));
        if (signal?.aborted) throw new LabError('verification interrupted', 'interrupted');
      }
      this.observeNow();
      await this.heartbeatAtWindowStart();
    }
  }

  /** The Lease renewTime of the watched pods' nodes; undefined where it cannot be read (a team token). */
  private async readHeartbeats(): Promise<Record<string, string | undefined>> {
    const getObject = this.kube.getObject?.bind(this.kube);
    const keys = Object.keys(this.state.baseline?.pods ?? {});
    const nodes = [...new Set(keys.map((k) => this.pods.get(k)?.spec?.nodeName).filter((n): n is string => Boolean(n)))];
    if (!getObject) return Object.fromEntries(nodes.map((n) => [n, undefined]));
    const renewTime = (node: string) =>
      getObject(NODE_LEASE_NAMESPACE, 'leases.coordination.k8s.io', node).then(
        (lease) => (lease as { spec?: { renewTime?: string } } | undefined)?.spec?.renewTime,
        () => undefined,
      );
    return Object.fromEntries(await Promise.all(nodes.map(async (n) => [n, await renewTime(n)] as const)));
  }

  private async heartbeatAtWindowStart(): Promise<void> {
    const baseline = this.state.baseline;
    if (!baseline || this.heartbeats?.windowStartMs === baseline.startMs || isFinal(this.state.decision)) return;
    this.heartbeats = { windowStartMs: baseline.startMs, readAtMs: this.clock.now(), renewTimes: await this.readHeartbeats() };
  }

  /**
   * A pass at the end of a window in which a node's kubelet never renewed its Lease is "could not
   * verify"; so is any verdict in a window that opened while a kubelet was silent and saw it come
   * back (its pods' readiness is re-checked then, whatever the workload does): that reason is the
   * most specific one.
   */
  private async heartbeatAtPass(): Promise<void> {
    const { heartbeats, state } = this;
    const { kind } = state.decision;
    if ((kind !== 'pass' && kind !== 'fail' && kind !== 'unable') || !heartbeats || !state.baseline || heartbeats.windowStartMs !== state.baseline.startMs) return;
    const atEnd = await this.readHeartbeats();
    const windowMs = this.clock.now() - heartbeats.readAtMs;
    const recovering = recoveringNodes(heartbeats.renewTimes, atEnd, windowMs);
    if (recovering.length > 0) {
      this.state = { ...state, decision: { kind: 'unable', summary: recoveringNodeText(recovering) } };
      return;
    }
    const silent = kind === 'pass' ? silentNodes(heartbeats.renewTimes, atEnd, windowMs) : [];
    if (silent.length > 0) this.state = { ...state, decision: { kind: 'unable', summary: silentNodeText(silent, state.baseline.window.seconds) } };
  }

  /** The `unable` verdict for what stopped the verification: a cancel, a lost or unreadable cluster. */
  private unable(error: unknown): Verdict {
    const verdict = toVerdict(this.state, this.elapsedSeconds(), this.startMs);
    if ((error instanceof LabError && error.kind === 'interrupted') || this.signal?.aborted) {
      const summary = t('verification interrupted before a verdict', '판정 전에 검증이 중단되었습니다');
      return { ...verdict, result: 'unable', summary, rule: undefined, evidence: [], interrupted: true, unableCause: 'interrupted' };
    }
    const message = error instanceof Error ? error.message : String(error);
    const unreachable = isPortError(error, 'kubectl', 'unreachable');
    const summary =
      unreachable && this.state.startedAtMs !== undefined
        ? t(`lost the cluster during verification: ${message}`, `검증 도중 클러스터에 연결할 수 없게 되었습니다: ${message}`)
        : unreachable
          ? // Said once: the kubectl adapter's message already starts "cannot reach the cluster of context ...".
            t(/^cannot reach the cluster/.test(message) ? message : `cannot reach the cluster: ${message}`, `클러스터에 연결할 수 없습니다: ${message}`)
          : t(`could not read the cluster: ${message}`, `클러스터를 읽을 수 없습니다: ${message}`);
    return { ...verdict, result: 'unable', summary, rule: undefined, evidence: [], unableCause: 'cluster' };
  }

  private elapsedSeconds(): number {
    return Math.round((this.clock.now() - this.startMs) / 100) / 10;
  }

  private finish(verdict: Verdict): Verdict {
    this.options.onProgress?.({ phase: 'done', verdict });
    return verdict;
  }

  private async getWorkload(): Promise<Workload | undefined> {
    const { kube, kind, namespace, options } = this;
    if (kind === 'Deployment') return (await kube.getDeployment(namespace, options.name)) as Workload | undefined;
    if (!kube.getObject) throw kubeError(`this cluster connection cannot read ${kind}s`, 'other');
    return (await kube.getObject(namespace, RESOURCE[kind], options.name)) as Workload | undefined;
  }

  private async readAll(withPods: boolean): Promise<void> {
    const { kube, kind, namespace } = this;
    this.workload = await this.getWorkload();
    if (!this.workload) return;
    const selector = labelSelector(this.workload);
    const [rs, revs, ev, podList] = await Promise.all([
      kind === 'Deployment' ? kube.getReplicaSets(namespace, selector) : Promise.resolve([]),
      kind === 'DaemonSet' && kube.listObjects ? kube.listObjects(namespace, 'controllerrevisions.apps', selector) : Promise.resolve([]),
      kube.getEvents(namespace),
      withPods ? kube.getPods(namespace, selector) : Promise.resolve(undefined),
    ]);
    this.replicaSets = rs;
    this.revisions = revs as unknown as ControllerRevision[];
    this.events.clear();
    for (const e of ev) this.events.set(eventKey(e), e);
    if (podList) {
      this.pods.clear();
      for (const pod of podList) this.pods.set(podKey(pod), pod);
      this.interim = [];
      this.podsListed = true;
    }
    this.lastReadMs = this.clock.now();
  }

  private readonly onPodEvent = (event: PodWatchEvent) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') this.pods.set(podKey(event.pod), event.pod);
    else if (event.type === 'DELETED') this.pods.delete(podKey(event.pod));
    else return;
    if (troubled(event.pod)) this.interim = [...this.interim, event.pod].slice(-50);
    this.podsListed = false;
    this.changed = true;
    this.wake?.();
  };

  /** Sleeps until `untilMs`, a change, or cancellation; whichever comes first. */
  private async waitUntil(untilMs: number): Promise<void> {
    const { clock, signal } = this;
    if (this.changed || !(untilMs > clock.now())) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve) => {
        this.wake = () => {
          stop.abort();
          resolve();
        };
        clock.sleep(untilMs - clock.now(), stop.signal).then(resolve, resolve);
      });
    } finally {
      this.wake = undefined;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private snapshot(podList: Pod[], listed: boolean) {
    return {
      atMs: this.clock.now(),
      workload: this.workload,
      replicaSets: this.replicaSets,
      revisions: this.revisions,
      pods: podList,
      events: [...this.events.values()],
      podsListed: listed,
    };
  }

  private observeNow(): void {
    // Troubled versions first, each in place of its pod's latest: a restart, termination or lost
    // readiness decides even when the pod looks fine again by now.
    for (const version of this.interim) {
      if (isFinal(this.state.decision)) break;
      const list = [...this.pods.values()].filter((p) => podKey(p) !== podKey(version));
      this.state = observe(this.state, this.snapshot([...list, version], false));
    }
    this.interim = [];
    if (!isFinal(this.state.decision)) this.state = observe(this.state, this.snapshot([...this.pods.values()], this.podsListed));
    this.changed = false;
    const decision = this.state.decision;
    if (decision.kind !== 'pending') return;
    if (decision.phase === 'watching') {
      this.options.onProgress?.({
        phase: 'watching',
        reason: decision.reason,
        remainingSeconds: decision.remainingSeconds,
        elapsedSeconds: this.elapsedSeconds(),
        windowSeconds: this.state.baseline!.window.seconds,
        pods: this.state.pods,
      });
    } else {
      this.options.onProgress?.({ phase: 'waiting-for-rollout', reason: decision.reason, remainingSeconds: decision.remainingSeconds, elapsedSeconds: this.elapsedSeconds(), windowSeconds: this.state.window?.seconds });
    }
  }

  private readonly onWatchError = (error: Error) => {
    // A bad line is reported but the watch goes on; only a lost cluster matters here, and
    // `done` tells when the watch really ended.
    this.watchError = error;
    if (isPortError(error, 'kubectl', 'unreachable')) this.wake?.();
  };

  private startWatches(): void {
    if (!this.workload) return;
    const podWatch = this.kube.watchPods(this.namespace, labelSelector(this.workload), this.onPodEvent, this.onWatchError);
    this.watches.push(podWatch);
    this.podWatchAlive = true;
    const ended = () => {
      this.podWatchAlive = false;
      this.wake?.();
    };
    podWatch.done.then(ended, ended);
    if (this.kube.watchObjects) this.watchWorkloadAndEvents(this.kube.watchObjects.bind(this.kube));
  }

  private watchWorkloadAndEvents(watchObjects: NonNullable<Kube['watchObjects']>): void {
    // The workload object: a spec change (a guard removed, a second rollout) and its status.
    const w = watchObjects(
      this.namespace,
      RESOURCE[this.kind],
      { name: this.options.name },
      (e) => {
        if (e.type === 'ADDED' || e.type === 'MODIFIED') this.workload = e.object as unknown as Workload;
        else if (e.type === 'DELETED') this.workload = undefined;
        else return;
        this.changed = true;
        this.wake?.();
      },
      this.onWatchError,
    );
    this.watches.push(w);
    this.workloadWatched = true;
    w.done.then(
      () => (this.workloadWatched = false),
      () => (this.workloadWatched = false),
    );
    // Events: a Warning (a failing probe below its threshold) fails within a moment, not at the next poll.
    const ev = watchObjects(
      this.namespace,
      'events',
      {},
      (e) => {
        const event = e.object as unknown as KubeEvent;
        if (e.type === 'ADDED' || e.type === 'MODIFIED') this.events.set(eventKey(event), event);
        else return;
        if (event.type === 'Warning' || event.reason === 'Killing') {
          this.changed = true;
          this.wake?.();
        }
      },
      this.onWatchError,
    );
    this.watches.push(ev);
    this.eventsWatched = true;
    ev.done.then(
      () => (this.eventsWatched = false),
      () => (this.eventsWatched = false),
    );
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

