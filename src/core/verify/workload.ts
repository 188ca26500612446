/**
 * The four kinds of workload verify understands, each read the way its controller writes it:
 * which pods belong to it, which of them run the current revision, and what (if anything)
 * keeps its rollout from being complete. Pure: objects in, a view out.
 *
 * - Deployment: the ReplicaSet whose revision annotation matches the Deployment's; pods carry
 *   its pod-template-hash; updated = ready = available = desired, old pods gone.
 * - StatefulSet: pods carry controller-revision-hash = status.updateRevision; the rollout is
 *   done when currentRevision = updateRevision and every ordinal 0..n-1 is updated and Ready
 *   (pods are created in order, so a missing ordinal is reported by name).
 * - DaemonSet: the newest ControllerRevision names the current hash; desired = updated =
 *   ready = available across nodes.
 * - Job: no rollout: it passes when Complete and fails when Failed (verify/decide.ts).
 */
import type { Deployment, ObjectMeta, Pod, PodSpec, ReplicaSet } from '../k8s.js';
import { withParticle, type Text } from '../text.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** kubectl resource names per kind. */
export const WORKLOAD_RESOURCES: Record<WorkloadKind, string> = {
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  Job: 'jobs.batch',
};

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** The fields of apps/v1 Deployment, StatefulSet, DaemonSet and batch/v1 Job that verify reads. */
export interface Workload {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
    template: { metadata?: Partial<ObjectMeta>; spec: PodSpec };
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    podManagementPolicy?: string;
    progressDeadlineSeconds?: number;
    completions?: number | null;
    parallelism?: number;
    backoffLimit?: number;
    suspend?: boolean;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberMisscheduled?: number;
    active?: number;
    succeeded?: number;
    failed?: number;
    ready?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: Condition[];
  };
}

/** apps/v1 ControllerRevision: the history of StatefulSets and DaemonSets. */
export interface ControllerRevision {
  metadata: ObjectMeta;
  revision: number;
}

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
}

const t = (en: string, ko: string): Text => ({ en, ko });

export const HASH_LABEL = 'pod-template-hash';
export const REVISION_LABEL = 'controller-revision-hash';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** `deploy/web`, `sts/db`, `ds/agent`, `job/migrate` (kubectl's short names and full names). */
export function parseWorkloadRef(raw: string): WorkloadRef | undefined {
  const m = /^([a-z.]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(raw.trim());
  if (!m) return undefined;
  const kinds: Record<string, WorkloadKind> = {
    deploy: 'Deployment',
    deployment: 'Deployment',
    deployments: 'Deployment',
    'deployment.apps': 'Deployment',
    sts: 'StatefulSet',
    statefulset: 'StatefulSet',
    statefulsets: 'StatefulSet',
    'statefulset.apps': 'StatefulSet',
    ds: 'DaemonSet',
    daemonset: 'DaemonSet',
    daemonsets: 'DaemonSet',
    'daemonset.apps': 'DaemonSet',
    job: 'Job',
    jobs: 'Job',
    'job.batch': 'Job',
  };
  const kind = kinds[m[1]];
  return kind ? { kind, name: m[2] } : undefined;
}

/** How a kind is named in text: "Deployment web". */
export function workloadLabel(ref: WorkloadRef): string {
  return `${ref.kind} ${ref.name}`;
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function controllerOf(pod: Pod): { kind: string; name: string; uid?: string } | undefined {
  return (pod.metadata.ownerReferences ?? []).find((o) => o.controller !== false);
}

function ownedBy(meta: ObjectMeta, owner: Workload, kind: string): boolean {
  return (meta.ownerReferences ?? []).some(
    (o) => o.kind === kind && (owner.metadata.uid && o.uid ? o.uid === owner.metadata.uid : o.name === owner.metadata.name),
  );
}

export interface RolloutView {
  /** Every pod of the workload, of any revision (Failed/Succeeded ones included). */
  owned: Pod[];
  /** Pods of the current revision that are not being deleted. */
  current: Pod[];
  /** Names the current revision; a second rollout changes it. Undefined until the controller caught up. */
  revision?: string;
  /** A word for the revision in text: "ReplicaSet web-6c8f9d7b54", "revision db-7c9f8". */
  revisionLabel?: string;
  /** The controller has processed the latest spec (observedGeneration ≥ generation). */
  settled: boolean;
  desired: number;
  /** What keeps the rollout from being complete; undefined when it is. */
  blocker?: Text;
}

function notSettled(w: Workload): Text | undefined {
  const generation = w.metadata.generation ?? 0;
  const observed = w.status?.observedGeneration ?? 0;
  if (observed >= generation) return undefined;
  return t(
    `the ${w.kind ?? 'workload'} controller has not processed the latest change yet (observedGeneration ${observed} < generation ${generation})`,
    `${w.kind ?? '워크로드'} 컨트롤러가 아직 최신 변경을 반영하지 않았습니다 (observedGeneration ${observed} < generation ${generation})`,
  );
}

const live = (p: Pod) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

// ------------------------------------------------------------------ Deployment

function ownedReplicaSets(deployment: Workload, replicaSets: ReplicaSet[]): ReplicaSet[] {
  return replicaSets.filter((rs) => ownedBy(rs.metadata, deployment, 'Deployment'));
}

/** The ReplicaSet of the Deployment's current template: its revision matches the Deployment's. */
export function currentReplicaSet(deployment: Workload | Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  const owned = ownedReplicaSets(deployment as Workload, replicaSets);
  const revision = deployment.metadata.annotations?.[REVISION_ANNOTATION];
  const byRevision = revision ? owned.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === revision) : undefined;
  if (byRevision) return byRevision;
  // The Deployment names a revision no ReplicaSet we read carries yet (a stale list): unknown,
  // not the newest old one, or an old version's pods would be judged as the current ones.
  if (revision) return undefined;
  // Without annotations (hand-made objects), the newest revision is the current one.
  return [...owned].sort((a, b) => Number(b.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) - Number(a.metadata.annotations?.[REVISION_ANNOTATION] ?? 0))[0];
}

/** Pods owned by one of the Deployment's ReplicaSets (also ones whose ReplicaSet is already gone). */
function deploymentPods(deployment: Workload, replicaSets: ReplicaSet[], pods: Pod[]): Pod[] {
  const owned = new Set(ownedReplicaSets(deployment, replicaSets).map((rs) => rs.metadata.name));
  const prefix = `${deployment.metadata.name}-`;
  return pods.filter((pod) => {
    const owner = controllerOf(pod);
    return Boolean(owner && owner.kind === 'ReplicaSet' && (owned.has(owner.name) || owner.name.startsWith(prefix)));
  });
}

function deploymentView(d: Workload, replicaSets: ReplicaSet[], pods: Pod[], notReady: (pod: Pod) => Text | undefined): RolloutView {
  const owned = deploymentPods(d, replicaSets, pods);
  const rs = currentReplicaSet(d, replicaSets);
  const hash = rs?.metadata.labels?.[HASH_LABEL];
  const livePods = owned.filter(live);
  const current = livePods.filter((p) => hash !== undefined && p.metadata.labels?.[HASH_LABEL] === hash && !p.metadata.deletionTimestamp);
  const settledText = notSettled(d);
  const desired = d.spec.replicas ?? 1;
  const view: RolloutView = { owned, current, revision: settledText ? undefined : rs?.metadata.name, revisionLabel: rs ? `ReplicaSet ${rs.metadata.name}` : undefined, settled: !settledText, desired };
  view.blocker = settledText ?? deploymentBlocker(d, hash, livePods, current, notReady);
  if (!rs && !view.blocker) view.blocker = t('no ReplicaSet for the current pod template yet', '현재 pod template의 ReplicaSet이 아직 없습니다');
  return view;
}

function deploymentBlocker(d: Workload, hash: string | undefined, pods: Pod[], current: Pod[], notReady: (pod: Pod) => Text | undefined): Text | undefined {
  if (hash === undefined) return t('no ReplicaSet for the current pod template yet', '현재 pod template의 ReplicaSet이 아직 없습니다');
  for (const pod of current) {
    const reason = notReady(pod);
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
  const desired = d.spec.replicas ?? 1;
  const s = d.status ?? {};
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
  if (current.length < desired) return t(`${current.length} of ${desired} pods exist`, `파드 ${desired}개 중 ${current.length}개만 있습니다`);
  return undefined;
}

// ------------------------------------------------------------------ StatefulSet

function ordinal(pod: Pod, setName: string): number | undefined {
  const m = new RegExp(`^${setName.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(pod.metadata.name);
  return m ? Number(m[1]) : undefined;
}

function statefulSetView(s: Workload, pods: Pod[], notReady: (pod: Pod) => Text | undefined): RolloutView {
  const name = s.metadata.name;
  const owned = pods.filter((p) => controllerOf(p)?.kind === 'StatefulSet' && ownedBy(p.metadata, s, 'StatefulSet'));
  const update = s.status?.updateRevision;
  const settledText = notSettled(s);
  const desired = s.spec.replicas ?? 1;
  const partition = s.spec.updateStrategy?.type === 'OnDelete' ? 0 : (s.spec.updateStrategy?.rollingUpdate?.partition ?? 0);
  const livePods = owned.filter(live);
  const current = livePods.filter((p) => update !== undefined && p.metadata.labels?.[REVISION_LABEL] === update && !p.metadata.deletionTimestamp);
  const view: RolloutView = { owned, current, revision: settledText ? undefined : update, revisionLabel: update ? `revision ${update}` : undefined, settled: !settledText, desired };
  view.blocker = settledText ?? statefulSetBlocker();
  return view;

  function statefulSetBlocker(): Text | undefined {
    if (!update) return t('the StatefulSet has no updateRevision yet', 'StatefulSet에 아직 updateRevision이 없습니다');
    // Ordered: pod-0 first; the first missing or unready ordinal is what everything waits on.
    for (let i = 0; i < desired; i++) {
      const pod = livePods.find((p) => ordinal(p, name) === i && !p.metadata.deletionTimestamp);
      if (!pod) {
        const going = livePods.find((p) => ordinal(p, name) === i);
        return going
          ? t(`pod ${name}-${i} is terminating (it is replaced by the new revision)`, `${name}-${i} 파드가 종료되는 중입니다 (새 revision으로 교체 중)`)
          : t(`pod ${name}-${i} does not exist yet (a StatefulSet creates its pods in order)`, `${name}-${i} 파드가 아직 없습니다 (StatefulSet은 파드를 순서대로 만듭니다)`);
      }
      const revision = pod.metadata.labels?.[REVISION_LABEL];
      if (i >= partition && revision !== update) {
        return t(
          `pod ${pod.metadata.name} still runs revision ${revision ?? 'unknown'} (update revision ${update}); the StatefulSet replaces pods from the highest ordinal down`,
          `${pod.metadata.name} 파드가 아직 revision ${revision ?? '알 수 없음'}입니다 (새 revision ${update}); StatefulSet은 가장 큰 번호부터 교체합니다`,
        );
      }
      const reason = notReady(pod);
      if (reason) return reason;
    }
    const extra = livePods.find((p) => (ordinal(p, name) ?? 0) >= desired);
    if (extra) return t(`pod ${extra.metadata.name} is beyond ${desired} replicas and still there`, `${extra.metadata.name} 파드는 레플리카 ${desired}개를 넘는데 아직 남아 있습니다`);
    const st = s.status ?? {};
    if (partition === 0 && st.currentRevision !== update) {
      return t(`currentRevision ${st.currentRevision ?? 'none'} ≠ updateRevision ${update}: the rolling update has not finished`, `currentRevision ${st.currentRevision ?? '없음'} ≠ updateRevision ${update}: 롤링 업데이트가 끝나지 않았습니다`);
    }
    const counts: [string, number | undefined][] = [
      ['updated', (st.updatedReplicas ?? 0) + partition],
      ['ready', st.readyReplicas],
      ['available', st.availableReplicas ?? st.readyReplicas],
    ];
    for (const [what, value] of counts) {
      if ((value ?? 0) < desired) return t(`${value ?? 0} of ${desired} replicas ${what}`, `레플리카 ${desired}개 중 ${value ?? 0}개 ${what}`);
    }
    return undefined;
  }
}

// ------------------------------------------------------------------ DaemonSet

/** The DaemonSet's current hash: its newest ControllerRevision's controller-revision-hash. */
function daemonSetHash(d: Workload, revisions: ControllerRevision[], pods: Pod[]): string | undefined {
  const mine = revisions.filter((r) => ownedBy(r.metadata, d, 'DaemonSet'));
  const newest = [...mine].sort((a, b) => b.revision - a.revision)[0];
  const hash = newest?.metadata.labels?.[REVISION_LABEL];
  if (hash) return hash;
  // Without the history: pods created for the current generation say it.
  return pods.find((p) => p.metadata.labels?.['pod-template-generation'] === String(d.metadata.generation))?.metadata.labels?.[REVISION_LABEL];
}

function daemonSetView(d: Workload, revisions: ControllerRevision[], pods: Pod[], notReady: (pod: Pod) => Text | undefined): RolloutView {
  const owned = pods.filter((p) => controllerOf(p)?.kind === 'DaemonSet' && ownedBy(p.metadata, d, 'DaemonSet'));
  const livePods = owned.filter(live);
  const hash = daemonSetHash(d, revisions, livePods);
  const settledText = notSettled(d);
  const st = d.status ?? {};
  const desired = st.desiredNumberScheduled ?? 0;
  const current = livePods.filter((p) => hash !== undefined && p.metadata.labels?.[REVISION_LABEL] === hash && !p.metadata.deletionTimestamp);
  const view: RolloutView = { owned, current, revision: settledText ? undefined : hash, revisionLabel: hash ? `revision ${hash}` : undefined, settled: !settledText, desired };
  view.blocker = settledText ?? daemonSetBlocker();
  return view;

  function daemonSetBlocker(): Text | undefined {
    if (!hash) return t('no pod of the current DaemonSet revision yet', '현재 DaemonSet revision의 파드가 아직 없습니다');
    for (const pod of current) {
      const reason = notReady(pod);
      if (reason) return reason;
    }
    const old = livePods.find((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
    if (old) {
      return t(`old pod ${old.metadata.name} (revision ${old.metadata.labels?.[REVISION_LABEL] ?? 'none'}, current ${hash}) is still there`, `이전 파드가 아직 남아 있습니다: ${old.metadata.name} (revision ${old.metadata.labels?.[REVISION_LABEL] ?? '없음'}, 현재 ${hash})`);
    }
    const terminating = livePods.find((p) => p.metadata.deletionTimestamp);
    if (terminating) return t(`pod ${terminating.metadata.name} is terminating`, `${terminating.metadata.name} 파드가 종료되는 중입니다`);
    const counts: [string, number | undefined][] = [
      ['updated', st.updatedNumberScheduled],
      ['ready', st.numberReady],
      ['available', st.numberAvailable],
    ];
    for (const [what, value] of counts) {
      if ((value ?? 0) < desired) return t(`${value ?? 0} of ${desired} nodes ${what}`, `노드 ${desired}개 중 ${value ?? 0}개 ${what}`);
    }
    if (current.length < desired) return t(`${current.length} of ${desired} pods exist`, `파드 ${desired}개 중 ${current.length}개만 있습니다`);
    return undefined;
  }
}

// ------------------------------------------------------------------ Job

export function jobPods(job: Workload, pods: Pod[]): Pod[] {
  return pods.filter((p) => controllerOf(p)?.kind === 'Job' && ownedBy(p.metadata, job, 'Job'));
}

export function jobCondition(job: Workload, type: string): Condition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

// ------------------------------------------------------------------ any kind

export interface ViewInput {
  workload: Workload;
  replicaSets: ReplicaSet[];
  revisions: ControllerRevision[];
  pods: Pod[];
}

export function rolloutView(kind: WorkloadKind, input: ViewInput, notReady: (pod: Pod) => Text | undefined): RolloutView {
  switch (kind) {
    case 'StatefulSet':
      return statefulSetView(input.workload, input.pods, notReady);
    case 'DaemonSet':
      return daemonSetView(input.workload, input.revisions, input.pods, notReady);
    case 'Job': {
      const owned = jobPods(input.workload, input.pods);
      return { owned, current: owned.filter((p) => !p.metadata.deletionTimestamp), revision: input.workload.metadata.uid, settled: true, desired: input.workload.spec.completions ?? 1 };
    }
    default:
      return deploymentView(input.workload, input.replicaSets, input.pods, notReady);
  }
}

/** How many pods the workload asks for: 0 means nothing runs, so nothing can prove a fix. */
export function desiredNothing(kind: WorkloadKind, w: Workload): Text | undefined {
  if ((kind === 'Deployment' || kind === 'StatefulSet') && (w.spec.replicas ?? 1) === 0) {
    return t(`the ${kind} is scaled to 0 replicas: no pod runs, so nothing shows the fix works`, `${withParticle(kind, '이/가')} 0개로 축소되어 실행 중인 파드가 없습니다: 수정이 동작한다는 근거가 없습니다`);
  }
  if (kind === 'DaemonSet' && (w.status?.observedGeneration ?? 0) >= (w.metadata.generation ?? 0) && w.status?.desiredNumberScheduled === 0) {
    return t('the DaemonSet is scheduled on no node: no pod runs, so nothing shows the fix works', 'DaemonSet이 어느 노드에도 배치되지 않아 실행 중인 파드가 없습니다: 수정이 동작한다는 근거가 없습니다');
  }
  if (kind === 'Job' && w.spec.suspend) {
    return t('the Job is suspended: no pod runs, so nothing shows the fix works', 'Job이 일시 중지되어 실행 중인 파드가 없습니다: 수정이 동작한다는 근거가 없습니다');
  }
  return undefined;
}
