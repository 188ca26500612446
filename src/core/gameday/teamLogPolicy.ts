/**
 * The team's event log is append-only during a game (pure: objects only). A team's Role may
 * write ConfigMaps in its namespace, so without this a team could erase its `hint` lines, or
 * delete `crashlab-progress` and start over, and raise its score. One ValidatingAdmissionPolicy
 * and one binding per game (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) make the
 * API server refuse that, whatever client the team uses.
 *
 * Who is constrained: requests by a ServiceAccount of the namespace itself (a team member,
 * through its kubeconfig or a pod running as one of its ServiceAccounts). The instructor's own
 * writes, `gameday create` re-runs, the board's signed verdicts and the releases of `gameday
 * start/inject` run on the instructor's credentials and are not matched; nor is the namespace
 * controller emptying the namespace at `gameday end`.
 *
 * What is kept, on the ConfigMap named crashlab-progress only:
 * - UPDATE (a PATCH or server-side apply arrives as UPDATE): the new `events` must start with
 *   the old ones (a missing key counts as empty: a first append to a log with no `events` yet
 *   passes); the labels crashlab finds the team's log by (managed-by, game, team: the board
 *   reads the team from its label) must not change; nor the game-mode annotation (a mystery
 *   game's lock: without it the team's lab would show titles and categories); and the
 *   ConfigMap must not be made immutable (that would block the board's verdicts and the
 *   instructor's releases). Other data keys and annotations stay free: nothing scores from
 *   them (the offered-scenarios annotation only filters the team's own picker; a release is
 *   checked against the game document in the instructor namespace).
 * - DELETE: refused.
 * - CREATE is not matched: with DELETE refused the team cannot remove the log, so a create of
 *   that name only meets AlreadyExists. It could only matter if the instructor deleted the log
 *   by hand, and then the board's own append re-creates it.
 */
import { MANAGED_BY_LABEL } from '../k8s.js';
import type { K8sObject } from '../k8s.js';
import { GAME_LABEL, PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, TEAM_LABEL } from './events.js';
import { MODE_ANNOTATION, gameLabels } from './names.js';

export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
export const ADMISSION_VERSION = `${ADMISSION_GROUP}/v1`;
export const POLICY_RESOURCE = 'validatingadmissionpolicies';
export const BINDING_RESOURCE = 'validatingadmissionpolicybindings';

export const APPEND_ONLY_MESSAGE = "the team's event log is append-only during a game: only new lines may be added";
export const NO_DELETE_MESSAGE = "the team's event log (ConfigMap crashlab-progress) cannot be deleted during a game";
export const LABELS_MESSAGE = "the labels that tie the team's event log to its game and team (app.kubernetes.io/managed-by, crashlab.dev/game, crashlab.dev/team) cannot change during a game";
export const MODE_MESSAGE = "the game's mode on the team's event log (annotation crashlab.dev/mode) cannot change during a game";
export const IMMUTABLE_MESSAGE = "the team's event log cannot be made immutable during a game: the instructor's board appends to it";

/** Policy and binding share this name (cluster-scoped, one pair per game). */
export function teamLogPolicyName(game: string): string {
  return `crashlab-${game}-team-log`;
}

/** CEL: a data key of `obj`, or '' when the map or key is absent. */
function dataKey(obj: string, key: string): string {
  return `has(${obj}.data) && '${key}' in ${obj}.data ? ${obj}.data['${key}'] : ''`;
}

/** CEL: a label or annotation of `obj`, or '' when absent (so adding, removing and changing all count as change). */
function meta(obj: string, field: 'labels' | 'annotations', key: string): string {
  return `(has(${obj}.metadata.${field}) && '${key}' in ${obj}.metadata.${field} ? ${obj}.metadata.${field}['${key}'] : '')`;
}

export function teamLogPolicy(game: string): K8sObject {
  const identity = [MANAGED_BY_LABEL, GAME_LABEL, TEAM_LABEL];
  // Each rule starts with the operation it is about: on DELETE `object` is null, and CEL's `||`
  // is true as soon as one side is, so the UPDATE expressions are never evaluated then.
  return {
    apiVersion: ADMISSION_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: teamLogPolicyName(game), labels: gameLabels(game) },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['UPDATE', 'DELETE'], resourceNames: [PROGRESS_CONFIGMAP] }],
      },
      matchConditions: [
        {
          name: 'team-service-account',
          expression: "request.userInfo.username.startsWith('system:serviceaccount:' + request.namespace + ':')",
        },
      ],
      variables: [
        { name: 'oldEvents', expression: dataKey('oldObject', PROGRESS_EVENTS_KEY) },
        { name: 'newEvents', expression: dataKey('object', PROGRESS_EVENTS_KEY) },
      ],
      validations: [
        { expression: "request.operation != 'DELETE'", message: NO_DELETE_MESSAGE, reason: 'Forbidden' },
        { expression: "request.operation != 'UPDATE' || variables.newEvents.startsWith(variables.oldEvents)", message: APPEND_ONLY_MESSAGE, reason: 'Forbidden' },
        {
          expression: `request.operation != 'UPDATE' || ${identity.map((k) => `${meta('object', 'labels', k)} == ${meta('oldObject', 'labels', k)}`).join(' && ')}`,
          message: LABELS_MESSAGE,
          reason: 'Forbidden',
        },
        {
          expression: `request.operation != 'UPDATE' || ${meta('object', 'annotations', MODE_ANNOTATION)} == ${meta('oldObject', 'annotations', MODE_ANNOTATION)}`,
          message: MODE_MESSAGE,
          reason: 'Forbidden',
        },
        { expression: "request.operation != 'UPDATE' || !(has(object.immutable) && object.immutable)", message: IMMUTABLE_MESSAGE, reason: 'Forbidden' },
      ],
    },
  };
}

/** Binds the policy to the game's team namespaces (not its instructor namespace: no team has rights there). */
export function teamLogPolicyBinding(game: string): K8sObject {
  const labels = gameLabels(game);
  return {
    apiVersion: ADMISSION_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: teamLogPolicyName(game), labels },
    spec: {
      policyName: teamLogPolicyName(game),
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: { matchLabels: { ...labels }, matchExpressions: [{ key: TEAM_LABEL, operator: 'Exists' }] },
      },
    },
  };
}

export function teamLogPolicyObjects(game: string): K8sObject[] {
  return [teamLogPolicy(game), teamLogPolicyBinding(game)];
}

/** Said once by `gameday create` on a cluster without the API (Kubernetes older than 1.30). */
export const UNPROTECTED_WARNING =
  "this cluster does not serve admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (Kubernetes 1.30 or later), so team event logs are not protected: a team could remove its own hint lines. The board's signed instructor verdicts are still tamper-proof.";
