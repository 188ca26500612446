/**
 * What the cluster has already seen: how long containers of this workload ran before they died.
 * A still-broken version that crashes after 30 s of running passes any window shorter than
 * that, whatever its probes say; the kubelet keeps the evidence in lastState.terminated
 * (startedAt, finishedAt) of every pod that restarted, so the verifier learns W from it.
 */
import type { ContainerStateTerminated, ContainerStatus, Pod } from '../k8s.js';
import type { Text } from '../text.js';

/** One observed run of a container that ended by itself (crash, exit, probe kill), not by a deletion. */
export interface Lifetime {
  pod: string;
  podUid?: string;
  container: string;
  seconds: number;
  finishedAt: string;
  reason?: string;
  exitCode: number;
  /** The pod's revision label (pod-template-hash / controller-revision-hash). */
  revision?: string;
}

/** Where a lifetime came from, relative to the version being verified. */
export type LifetimeSource = 'previous-version' | 'own-history' | 'same-version';

/**
 * A learned term never asks for more than this: the kubelet's longest back-off, so a container
 * that once ran for hours before dying does not hold a learner for hours.
 */
export const LEARNED_CAP_SECONDS = 300;

const t = (en: string, ko: string): Text => ({ en, ko });

function ms(timestamp: string | undefined): number | undefined {
  if (!timestamp) return undefined;
  const value = Date.parse(timestamp);
  return Number.isNaN(value) ? undefined : value;
}

export function revisionOf(pod: Pod): string | undefined {
  return pod.metadata.labels?.['pod-template-hash'] ?? pod.metadata.labels?.['controller-revision-hash'];
}

function run(pod: Pod, status: ContainerStatus, term: ContainerStateTerminated): Lifetime | undefined {
  const started = ms(term.startedAt);
  const finished = ms(term.finishedAt);
  // StartError reports startedAt as the zero time: the container never ran.
  if (started === undefined || finished === undefined || started <= 0 || finished < started) return undefined;
  return {
    pod: pod.metadata.name,
    podUid: pod.metadata.uid,
    container: status.name,
    seconds: Math.round((finished - started) / 1000),
    finishedAt: term.finishedAt!,
    reason: term.reason,
    exitCode: term.exitCode,
    revision: revisionOf(pod),
  };
}

/**
 * The runs of a pod's long-running containers (and failed init containers) that ended on their
 * own: every lastState.terminated (the kubelet restarted it), and a current termination of a
 * pod nobody is deleting. A container stopped because its pod was deleted says nothing.
 */
export function lifetimesOf(pod: Pod): Lifetime[] {
  const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const inits = new Set((pod.spec.initContainers ?? []).map((c) => c.name));
  const always = (pod.spec.restartPolicy ?? 'Always') === 'Always';
  const out: Lifetime[] = [];
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const plainInit = inits.has(status.name) && !sidecars.has(status.name);
    const candidates = [status.lastState?.terminated];
    if (!pod.metadata.deletionTimestamp) candidates.push(status.state?.terminated);
    for (const term of candidates) {
      if (!term) continue;
      // A finished init container or a Job's successful run did its job: no crash.
      if (term.exitCode === 0 && (plainInit || !always)) continue;
      const lifetime = run(pod, status, term);
      if (lifetime) out.push(lifetime);
    }
  }
  return out;
}

export function lifetimeKey(l: Lifetime): string {
  return `${l.podUid ?? l.pod}/${l.container}/${l.finishedAt}`;
}

export interface LearnedTerm {
  seconds: number;
  source: LifetimeSource;
  lifetime: Lifetime;
  reason: Text;
}

function describe(l: Lifetime): { en: string; ko: string } {
  const how = `${l.reason ?? 'terminated'}, exit ${l.exitCode}`;
  const howKo = `${l.reason ?? '종료'}, 종료 코드 ${l.exitCode}`;
  return { en: `pod ${l.pod}, container ${l.container}: ${how} at ${l.finishedAt}`, ko: `${l.pod} 파드, ${l.container} 컨테이너: ${howKo}, ${l.finishedAt}` };
}

/**
 * The longest observed lifetime per source, as window terms with a reason naming the
 * observation ("the previous version crashed after 31 s of running").
 */
export function learnedTerms(lifetimes: Iterable<Lifetime>, currentRevision: string | undefined, currentPodUids: ReadonlySet<string>): LearnedTerm[] {
  const best = new Map<LifetimeSource, Lifetime>();
  for (const l of lifetimes) {
    const source: LifetimeSource =
      l.podUid !== undefined && currentPodUids.has(l.podUid) ? 'own-history' : currentRevision !== undefined && l.revision === currentRevision ? 'same-version' : 'previous-version';
    const seen = best.get(source);
    if (!seen || l.seconds > seen.seconds) best.set(source, l);
  }
  const order: LifetimeSource[] = ['previous-version', 'own-history', 'same-version'];
  return order.flatMap((source) => {
    const l = best.get(source);
    if (!l) return [];
    const capped = Math.min(l.seconds, LEARNED_CAP_SECONDS);
    const d = describe(l);
    const cap = capped < l.seconds ? t(` (counted as ${LEARNED_CAP_SECONDS} s at most)`, ` (최대 ${LEARNED_CAP_SECONDS}초까지만 반영)`) : t('', '');
    const reason =
      source === 'previous-version'
        ? t(`the previous version crashed after ${l.seconds} s of running (${d.en})${cap.en}`, `이전 버전은 ${l.seconds}초 실행 후 죽었습니다 (${d.ko})${cap.ko}`)
        : source === 'own-history'
          ? t(`this pod's own history: it ran ${l.seconds} s before its last crash (${d.en})${cap.en}`, `이 파드의 이력: 마지막으로 죽기 전 ${l.seconds}초 실행됨 (${d.ko})${cap.ko}`)
          : t(`another pod of this version crashed after ${l.seconds} s of running (${d.en})${cap.en}`, `같은 버전의 다른 파드가 ${l.seconds}초 실행 후 죽었습니다 (${d.ko})${cap.ko}`);
    return [{ seconds: capped, source, lifetime: l, reason }];
  });
}
