/**
 * The controller's side of a workload: pods that were never created leave no pod to diagnose,
 * only a FailedCreate event on the ReplicaSet, StatefulSet, DaemonSet or Job and, for
 * ReplicaSets and Deployments, a ReplicaFailure condition. Desired vs existing pods says how
 * much is missing. Pure: objects in, a finding out.
 */
import { category } from '../categories.js';
import type { Finding } from '../diagnose.js';
import type { KubeEvent, ObjectMeta, Pod, ReplicaSet } from '../k8s.js';
import type { Text } from '../text.js';
import { eventLine, eventMs, oneLine } from './evidence.js';
import { classifyRefusal, isRefusal, refusalReason, type Refusal } from './refusal.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The fields of a Deployment, StatefulSet, DaemonSet, Job or ReplicaSet read here. */
export interface ControllerObject {
  kind?: string;
  metadata: ObjectMeta;
  spec?: { replicas?: number; parallelism?: number; completions?: number | null; suspend?: boolean };
  status?: { desiredNumberScheduled?: number; succeeded?: number; conditions?: Condition[] };
}

export interface ControllerInput {
  workload: ControllerObject;
  /** ReplicaSets of the namespace (or of the selector); those the Deployment owns are read. */
  replicaSets?: ReplicaSet[];
  /** The workload's pods. */
  pods: Pod[];
  /** Events of the namespace. */
  events: KubeEvent[];
}

const t = (en: string, ko: string): Text => ({ en, ko });

function owns(owner: ControllerObject, meta: ObjectMeta): boolean {
  return (meta.ownerReferences ?? []).some((o) => o.kind === owner.kind && (owner.metadata.uid && o.uid ? o.uid === owner.metadata.uid : o.name === owner.metadata.name));
}

/** How many pods the controller should run now; undefined when that is not a fixed number (a finished Job). */
function desiredPods(w: ControllerObject): number | undefined {
  switch (w.kind) {
    case 'DaemonSet':
      return w.status?.desiredNumberScheduled;
    case 'Job': {
      if (w.spec?.suspend || w.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return undefined;
      const left = (w.spec?.completions ?? 1) - (w.status?.succeeded ?? 0);
      return Math.max(0, Math.min(w.spec?.parallelism ?? 1, left));
    }
    default:
      return w.spec?.replicas ?? 1;
  }
}

const live = (p: Pod) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded' && !p.metadata.deletionTimestamp;

interface Seen {
  object: string;
  message: string;
  line: string;
  at: number;
}

/** Refusals the controllers report now: conditions first (they are current by definition), then FailedCreate events, newest first. */
function refusals(input: ControllerInput): { conditions: Seen[]; events: Seen[] } {
  const w = input.workload;
  const name = `${w.kind ?? 'Workload'}/${w.metadata.name}`;
  const owned = (input.replicaSets ?? []).filter((rs) => w.kind === 'ReplicaSet' ? rs.metadata.name === w.metadata.name : owns(w, rs.metadata));
  const conditions: Seen[] = [];
  const failure = (c: Condition) => c.type === 'ReplicaFailure' && c.status === 'True' && Boolean(c.message);
  // The ReplicaSet's own condition first: it is the object refused (a Deployment only copies it).
  for (const rs of owned) {
    for (const c of rs.status?.conditions ?? []) {
      if (failure(c)) conditions.push({ object: `ReplicaSet/${rs.metadata.name}`, message: c.message!, line: `ReplicaSet/${rs.metadata.name} condition ReplicaFailure=True reason=${c.reason ?? '?'} message="${oneLine(c.message!)}"`, at: 0 });
    }
  }
  for (const c of w.status?.conditions ?? []) if (failure(c)) conditions.push({ object: name, message: c.message!, line: `${name} condition ReplicaFailure=True reason=${c.reason ?? '?'} message="${oneLine(c.message!)}"`, at: 0 });
  const objects = new Set([`${w.kind}/${w.metadata.name}`, ...owned.map((rs) => `ReplicaSet/${rs.metadata.name}`)]);
  const events = input.events
    .filter((e) => e.reason === 'FailedCreate' && objects.has(`${e.involvedObject.kind}/${e.involvedObject.name}`))
    .sort((a, b) => eventMs(b) - eventMs(a))
    .map((e) => ({ object: `${e.involvedObject.kind}/${e.involvedObject.name}`, message: e.message ?? '', line: `${e.involvedObject.kind}/${e.involvedObject.name} ${eventLine(e)}`, at: eventMs(e) }));
  return { conditions, events };
}

/**
 * A finding when the controller cannot create the pods it wants (an admission refusal), or when
 * it has created none and says nothing; undefined when pods exist as desired or nothing is known.
 */
export function controllerFinding(input: ControllerInput): Finding | undefined {
  const w = input.workload;
  const kind = w.kind ?? 'Workload';
  const desired = desiredPods(w);
  const existing = input.pods.filter(live).length;
  const { conditions, events } = refusals(input);
  const missing = desired !== undefined && existing < desired;
  // A ReplicaFailure condition is current; an event is, only while pods are missing (it may be an hour old).
  const seen = conditions[0] ?? (missing ? events[0] : undefined);
  const counts = desired !== undefined ? `${kind} ${w.metadata.name} wants ${desired} pod(s); ${existing} exist` : `${kind} ${w.metadata.name}: ${existing} pod(s) exist`;
  const countsKo = desired !== undefined ? `${kind} ${w.metadata.name}은 파드 ${desired}개를 원하지만 ${existing}개만 있습니다` : `${kind} ${w.metadata.name}: 파드 ${existing}개`;
  if (seen) {
    const refusal: Refusal = classifyRefusal(seen.message, w.metadata.namespace);
    // A FailedCreate whose message lost its reason ("Error creating: " and nothing else) is what
    // an admission webhook that denies without a message leaves: a refusal, at low confidence.
    const silent = refusal.reason === '';
    const known = refusal.kind !== 'other' || isRefusal(seen.message) || silent;
    const evidence = [
      `${counts} (desired vs existing)`,
      ...conditions.map((c) => c.line),
      ...events.slice(0, 2).map((e) => e.line),
    ];
    return {
      pod: seen.object,
      namespace: w.metadata.namespace,
      container: '',
      category: known ? 'admission-refused' : 'unknown',
      confidence: refusal.kind !== 'other' ? 'high' : known && !silent ? 'medium' : 'low',
      // Nothing runs, or a rollout's new version gets no pod (the change never takes effect,
      // whatever the old pods do): failing, ranked first. Some of the desired pods run: degraded.
      severity: existing === 0 || !missing ? 'failing' : 'degraded',
      // All desired pods exist but a ReplicaSet is refused: a rollout whose new version gets no pod.
      summary: silent
        ? t(
            `${counts}: the controller cannot create them, and the refusal carries no reason (an admission webhook that denies without a message does this). List the webhooks: \`kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\`.`,
            `${countsKo}: 컨트롤러가 파드를 만들지 못하는데 거부 사유가 비어 있습니다(메시지 없이 거부하는 어드미션 웹훅이 이렇게 합니다). 웹훅 목록: \`kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\`.`,
          )
        : missing
        ? t(`${counts}: the controller cannot create the others. ${refusal.summary.en}`, `${countsKo}: 컨트롤러가 나머지를 만들지 못합니다. ${refusal.summary.ko}`)
        : t(
            `${counts}, of an older version: ${seen.object} of the new one cannot create its pods, so the rollout never progresses. ${refusal.summary.en}`,
            `${countsKo}(이전 버전): 새 버전의 ${seen.object}가 파드를 만들지 못해 롤아웃이 진행되지 않습니다. ${refusal.summary.ko}`,
          ),
      evidence: [...new Set(evidence)],
      nextSteps: known ? refusal.next : category('unknown').nextSteps,
    };
  }
  if (existing === 0 && desired !== undefined && desired > 0) {
    return {
      pod: `${kind}/${w.metadata.name}`,
      namespace: w.metadata.namespace,
      container: '',
      category: 'unknown',
      confidence: 'low',
      severity: 'starting',
      summary: t(
        `${counts}, and no controller reports a refusal (no FailedCreate event, no ReplicaFailure condition): it may be just created, or its controller is not running.`,
        `${countsKo}. 거부를 알리는 컨트롤러도 없습니다(FailedCreate 이벤트, ReplicaFailure 조건 없음): 막 만들어졌거나 컨트롤러가 동작하지 않습니다.`,
      ),
      evidence: [`${counts} (desired vs existing)`],
      nextSteps: [t(`\`kubectl describe ${kind.toLowerCase()} ${w.metadata.name}\` and its events`, `\`kubectl describe ${kind.toLowerCase()} ${w.metadata.name}\`와 그 이벤트 확인`)],
    };
  }
  return undefined;
}

/** The refusal a rollout is stuck on, in one line, for verify; undefined when there is none. */
export function currentRefusal(input: ControllerInput): { refusal: Refusal; object: string; message: string } | undefined {
  const { conditions, events } = refusals(input);
  const desired = desiredPods(input.workload);
  const missing = desired !== undefined && input.pods.filter(live).length < desired;
  const seen = conditions[0] ?? (missing ? events[0] : undefined);
  if (!seen || !isRefusal(seen.message)) return undefined;
  return { refusal: classifyRefusal(seen.message, input.workload.metadata.namespace), object: seen.object, message: refusalReason(seen.message) };
}
