/**
 * What a team may do in its own namespace, and what the instructor must be allowed to do to
 * provision a game. Pure data: the Role is built from PLAYER_RULES, the pre-flight
 * SelfSubjectAccessReviews from instructorChecks().
 */
import { PLAYER, PROGRESS_CONFIGMAP } from './names.js';
import { ADMISSION_GROUP, BINDING_RESOURCE, POLICY_RESOURCE } from './teamLogPolicy.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * Everything the 60-second routine (get -o wide, describe, logs [--previous], events, debug
 * --copy-to), kubectl edit/apply/patch/rollout (status, history, restart, undo), scale, exec
 * and port-forward need, in one namespace. Deliberately absent: roles/rolebindings (no
 * escalation), resourcequotas/limitranges/networkpolicies writes (the room's guard rails),
 * serviceaccounts/token (no other identity), pods/eviction, anything cluster-scoped (a Role
 * cannot grant it anyway).
 */
export const PLAYER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: [...READ, ...WRITE] },
  // kubectl 1.34 streams over WebSockets (an HTTP GET) and falls back to SPDY (POST = create).
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'], verbs: ['get', 'create'] },
  // kubectl debug <pod> --image (ephemeral containers) patches this subresource.
  { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'persistentvolumeclaims'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['events', 'endpoints', 'serviceaccounts', 'resourcequotas', 'limitranges', 'replicationcontrollers'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['apps'], resources: ['controllerrevisions'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [...READ, ...WRITE] },
  // The team's event log (GAMEDAY-CONTRACT.md): the one object the crashlab client writes for
  // the team. Named, so the rule still reads right if configmaps writes are ever narrowed.
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update', 'patch'], resourceNames: [PROGRESS_CONFIGMAP] },
];

/** One SelfSubjectAccessReview question. */
export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Absent for cluster-scoped questions. */
  namespace?: string;
}

export function describeCheck(check: AccessCheck): string {
  const resource = `${check.resource}${check.subresource ? `/${check.subresource}` : ''}${check.group ? `.${check.group}` : ''}`;
  return `${check.verb} ${resource}${check.namespace ? ` (in ${check.namespace})` : ' (cluster-wide)'}`;
}

/**
 * The rights `gameday create` uses on the instructor's own credentials, asked in one of the
 * game's namespaces (the namespace need not exist for the review). Creating the Role needs
 * either `escalate` on roles or every right the Role grants; binding it needs `bind` or the
 * same rights. Both alternatives are asked; the caller decides (missingRights). The team-log
 * policy and its binding (cluster-scoped: apply, and list + delete at `end`) are asked only
 * when the cluster serves them (`teamLogPolicy: false` on older clusters).
 */
export function instructorChecks(sampleNamespace: string, options: { teamLogPolicy?: boolean } = {}): { direct: AccessCheck[]; escalate: AccessCheck; bind: AccessCheck; granted: AccessCheck[] } {
  const ns = sampleNamespace;
  const policyChecks: AccessCheck[] =
    options.teamLogPolicy === false ? [] : [POLICY_RESOURCE, BINDING_RESOURCE].flatMap((resource) => ['create', 'get', 'list', 'patch', 'delete'].map((verb) => ({ verb, group: ADMISSION_GROUP, resource })));
  const direct: AccessCheck[] = [
    ...['create', 'get', 'list', 'patch', 'delete'].map((verb) => ({ verb, group: '', resource: 'namespaces' })),
    ...['create', 'get', 'patch'].map((verb) => ({ verb, group: '', resource: 'serviceaccounts', namespace: ns })),
    { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: ns },
    ...['create', 'get', 'patch'].flatMap((verb) =>
      [
        ['rbac.authorization.k8s.io', 'roles'],
        ['rbac.authorization.k8s.io', 'rolebindings'],
        ['', 'resourcequotas'],
        ['', 'limitranges'],
        ['', 'configmaps'],
        ['networking.k8s.io', 'networkpolicies'],
      ].map(([group, resource]) => ({ verb, group, resource, namespace: ns })),
    ),
    ...policyChecks,
  ];
  const granted: AccessCheck[] = [];
  for (const rule of PLAYER_RULES) {
    if (rule.resourceNames) continue;
    for (const group of rule.apiGroups) {
      for (const full of rule.resources) {
        const [resource, subresource] = full.split('/');
        for (const verb of rule.verbs) granted.push({ verb, group, resource, subresource, namespace: ns });
      }
    }
  }
  return {
    direct,
    escalate: { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: ns },
    bind: { verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: ns },
    granted,
  };
}

/** The rights missing from the answers, in words; empty when provisioning may go ahead. */
export function missingRights(checks: ReturnType<typeof instructorChecks>, allowed: (check: AccessCheck) => boolean): string[] {
  const missing = checks.direct.filter((c) => !allowed(c)).map(describeCheck);
  const lackingGrants = checks.granted.filter((c) => !allowed(c));
  if (lackingGrants.length > 0) {
    const need = lackingGrants.map(describeCheck);
    if (!allowed(checks.escalate)) missing.push(`${describeCheck(checks.escalate)}, or else the rights the team Role grants: ${need.join(', ')}`);
    else if (!allowed(checks.bind)) missing.push(`${describeCheck(checks.bind)}, or else the rights the team Role grants: ${need.join(', ')}`);
  }
  return missing;
}

export const PLAYER_SERVICE_ACCOUNT = PLAYER;
