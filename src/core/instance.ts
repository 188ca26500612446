/**
 * Where a scenario run lives and how crashlab finds its objects again. A plain run is
 * namespace `crashlab-<id>`, labelled `crashlab.dev/scenario=<id>`. In mystery mode (and game
 * days) no name or visible label may spell the scenario id, which is the answer: the run gets an
 * opaque instance id (`i-` + 6 base32 characters), its objects are labelled
 * `crashlab.dev/instance=<opaque>`, and the mapping instance → scenario is kept locally (the
 * progress file) or on the instructor side, never on the cluster objects the learner reads.
 */
import { createHash } from 'node:crypto';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SCENARIO_LABEL, type K8sObject } from './k8s.js';
import { scenarioNamespace } from './context.js';

export const INSTANCE_LABEL = 'crashlab.dev/instance';

/** One run of a scenario: every lab action after start takes it. */
export interface RunTarget {
  scenarioId: string;
  namespace: string;
  /** Label selector for this run's objects and pods. */
  selector: string;
  /** The opaque instance id, when the run must not spell its scenario. */
  instance?: string;
  /**
   * The run owns its namespace (solo lab): replacing or resetting the run deletes the namespace.
   * False in a shared namespace (a game-day team namespace): only this run's labelled objects go.
   */
  ownsNamespace: boolean;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const INSTANCE_ID = /^i-[a-z2-7]{6}$/;

/** `i-` + 6 lowercase base32 characters (30 random bits) from at least 4 random bytes. */
export function opaqueInstanceId(random: Uint8Array): string {
  if (random.length < 4) throw new Error('opaqueInstanceId needs 4 random bytes');
  let bits = ((random[0] << 24) | (random[1] << 16) | (random[2] << 8) | random[3]) >>> 0;
  let id = '';
  for (let i = 0; i < 6; i++) {
    id += BASE32[bits & 31];
    bits >>>= 5;
  }
  return `i-${id}`;
}

export function isInstanceId(value: string): boolean {
  return INSTANCE_ID.test(value);
}

/** The plain run: `crashlab-<id>` (or a given namespace), found by its scenario label. */
export function plainRun(scenarioId: string, namespace?: string): RunTarget {
  return { scenarioId, namespace: namespace ?? scenarioNamespace(scenarioId), selector: `${SCENARIO_LABEL}=${scenarioId}`, ownsNamespace: namespace === undefined };
}

/**
 * An opaque run: namespace `crashlab-<instance>` of its own, or `namespace` when given (a team
 * namespace it shares and must never delete).
 */
export function opaqueRun(scenarioId: string, instance: string, namespace?: string): RunTarget {
  if (!isInstanceId(instance)) throw new Error(`"${instance}" is not an instance id (i- and 6 base32 characters)`);
  return { scenarioId, instance, namespace: namespace ?? scenarioNamespace(instance), selector: `${INSTANCE_LABEL}=${instance}`, ownsNamespace: namespace === undefined };
}

/** The labels every object of the run carries: crashlab's managed-by, and what finds the run. */
export function runLabels(run: RunTarget): Record<string, string> {
  return run.instance ? { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [INSTANCE_LABEL]: run.instance } : { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [SCENARIO_LABEL]: run.scenarioId };
}

/**
 * What lets any crashlab client tell which scenario an opaque instance runs when it has no
 * local record of it (a teammate's laptop, an instance the instructor released): a digest of
 * instance and scenario id, matched against the catalog. It does not spell the answer on a
 * screen, and it differs per instance, so two teams' objects do not show they play the same
 * scenario. It is not a secret: the object names and the catalog give as much away.
 */
export const FINGERPRINT_ANNOTATION = 'crashlab.dev/fingerprint';

export function instanceFingerprint(instance: string, scenarioId: string): string {
  return createHash('sha256').update(`crashlab:${instance}:${scenarioId}`).digest('hex').slice(0, 16);
}

/** Annotations for the run's top-level objects: the fingerprint of an opaque run, none for a plain one. */
export function runAnnotations(run: RunTarget): Record<string, string> {
  return run.instance ? { [FINGERPRINT_ANNOTATION]: instanceFingerprint(run.instance, run.scenarioId) } : {};
}

/** A live opaque instance found in a namespace, with the scenario its fingerprint names. */
export interface LiveInstance {
  instance: string;
  scenarioId: string;
  /** The oldest creationTimestamp among its workloads (when it was deployed). */
  createdAt?: string;
}

/**
 * The opaque instances among `objects` (a namespace's crashlab workloads), each matched to the
 * catalog id whose fingerprint it carries. Objects without a matching fingerprint are left
 * out: crashlab cannot play what it cannot name. Oldest first.
 */
export function liveInstances(objects: K8sObject[], scenarioIds: readonly string[]): LiveInstance[] {
  const found = new Map<string, LiveInstance>();
  for (const object of objects) {
    const instance = object.metadata.labels?.[INSTANCE_LABEL];
    const fingerprint = object.metadata.annotations?.[FINGERPRINT_ANNOTATION];
    if (!instance || !isInstanceId(instance) || !fingerprint || object.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) continue;
    const scenarioId = scenarioIds.find((id) => instanceFingerprint(instance, id) === fingerprint);
    if (!scenarioId) continue;
    const createdAt = object.metadata.creationTimestamp;
    const known = found.get(instance);
    if (!known) found.set(instance, { instance, scenarioId, ...(createdAt ? { createdAt } : {}) });
    else if (createdAt && (!known.createdAt || createdAt < known.createdAt)) known.createdAt = createdAt;
  }
  return [...found.values()].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}
