/**
 * Every Kubernetes object a game creates, built from names and sizing only (pure). Each one
 * carries the managed-by and game labels, so `gameday end` (and an interrupted `create`)
 * can find it, and nothing else.
 */
import type { K8sObject } from '../k8s.js';
import { GAME_DATA_KEY, type GameMeta } from './game.js';
import { CONTROL_NETPOL, CONTROL_TEAM, MODE_ANNOTATION, OFFERED_ANNOTATION, GAME_CONFIGMAP, LIMITS, NETPOL, PLAYER, PROGRESS_CONFIGMAP, QUOTA, ROLE_LABEL, controlNamespace, gameLabels, teamLabels, teamNamespace } from './names.js';
import { PLAYER_RULES } from './rbac.js';
import type { PsaLevel, TeamSizing } from './sizing.js';
import { CONTENT_CONFIGMAP, CONTENT_SCENARIOS_KEY, type PublishedScenario } from './teamContent.js';

export interface GamePlan {
  game: string;
  teams: { team: string; members: string[] }[];
  scenarios: string[];
  durationSeconds: number;
  overtimeSeconds: number;
  sizing: TeamSizing;
  psa: PsaLevel;
  /** mystery: no title reaches a team (events, picker, header) until its debrief. */
  mode?: 'game' | 'mystery';
  /** When the instructor means to start (`create --starts-at`): team tokens are sized from it. */
  plannedStart?: string;
  /** When the tokens of this create stop working (recorded for `gameday start` to check). */
  tokensEndAt?: string;
  /** Offered scenarios a participant's laptop does not have (a pack), as teams may see them (teamContent.ts). */
  published?: PublishedScenario[];
}

function meta(name: string, namespace: string | undefined, labels: Record<string, string>): K8sObject['metadata'] {
  return namespace ? { name, namespace, labels: { ...labels } } : { name, labels: { ...labels } };
}

function psaLabels(level: PsaLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    // Audit at restricted: the instructor's audit log shows what a stricter room would reject.
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}

/** The team's namespace first (so an interruption never leaves objects outside it), then its contents. */
export function teamObjects(plan: GamePlan, team: string): K8sObject[] {
  const ns = teamNamespace(plan.game, team);
  const labels = teamLabels(plan.game, team);
  const { quota, limits } = plan.sizing;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { ...labels, ...psaLabels(plan.psa) }) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(PLAYER, ns, labels), automountServiceAccountToken: false },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(PLAYER, ns, labels), rules: PLAYER_RULES.map((r) => ({ ...r })) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(PLAYER, ns, labels),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: PLAYER },
      subjects: [{ kind: 'ServiceAccount', name: PLAYER, namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(QUOTA, ns, labels),
      spec: {
        hard: {
          pods: String(quota.pods),
          'requests.cpu': `${quota.cpuRequestMilli}m`,
          'requests.memory': `${quota.memoryRequestMi}Mi`,
          'limits.memory': `${quota.memoryLimitMi}Mi`,
          'limits.cpu': `${quota.cpuLimitMilli}m`,
          'limits.ephemeral-storage': `${quota.ephemeralStorageLimitMi}Mi`,
          configmaps: String(quota.configmaps),
          secrets: String(quota.secrets),
          services: String(quota.services),
          'services.nodeports': '0',
          'services.loadbalancers': '0',
          persistentvolumeclaims: String(quota.pvcs),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(LIMITS, ns, labels),
      spec: {
        // No minimum: a LimitRange minimum is how a shared cluster rejects a broken manifest
        // before the lesson shows. Defaults only fill what a container leaves out.
        limits: [
          {
            type: 'Container',
            max: { memory: `${limits.maxMemoryMi}Mi`, cpu: `${limits.maxCpuMilli}m` },
            default: { memory: `${limits.defaults.memoryLimitMi}Mi`, cpu: `${limits.defaults.cpuLimitMilli}m`, 'ephemeral-storage': `${limits.defaults.ephemeralStorageLimitMi}Mi` },
            defaultRequest: { cpu: `${limits.defaults.cpuRequestMilli}m`, memory: `${limits.defaults.memoryRequestMi}Mi`, 'ephemeral-storage': `${limits.defaults.ephemeralStorageRequestMi}Mi` },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(NETPOL, ns, labels),
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...meta(PROGRESS_CONFIGMAP, ns, labels), annotations: { [OFFERED_ANNOTATION]: plan.scenarios.join(','), ...(plan.mode === 'mystery' ? { [MODE_ANNOTATION]: 'mystery' } : {}) } },
      data: { events: '' },
    },
    // The pack's team-visible content (only the `scenarios` key: the board owns `answers`).
    ...(plan.published?.length
      ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(CONTENT_CONFIGMAP, ns, labels), data: { [CONTENT_SCENARIOS_KEY]: JSON.stringify(plan.published) } }]
      : []),
  ];
}

/** Game metadata (GAMEDAY-CONTRACT.md): the instructor namespace, no team has rights there. */
export function controlObjects(plan: GamePlan, createdAt: string, previous?: GameMeta): K8sObject[] {
  const ns = controlNamespace(plan.game);
  const labels = { ...gameLabels(plan.game), [ROLE_LABEL]: CONTROL_TEAM };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { ...labels, ...psaLabels('restricted') }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(GAME_CONFIGMAP, ns, labels), data: { [GAME_DATA_KEY]: JSON.stringify(gameMeta(plan, createdAt, previous)) } },
    // Nothing of the game runs here; should an instructor start a pod, no team pod may reach it.
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(CONTROL_NETPOL, ns, labels), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  ];
}

/**
 * The game document (schema in game.ts). A second `create` keeps what the game already has
 * (its clock, rounds, instances, teams) and adds what is new: it is resumable, not a reset.
 */
export function gameMeta(plan: GamePlan, createdAt: string, previous?: GameMeta): GameMeta & { createdAt: string } {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    ...(previous ?? { mode: 'game', rounds: [], instances: {} }),
    name: plan.game,
    createdAt,
    teams: union(previous?.teams ?? [], plan.teams.map((t) => t.team)),
    scenarios: union(previous?.scenarios ?? [], plan.scenarios),
    mode: plan.mode ?? previous?.mode ?? 'game',
    durationSeconds: plan.durationSeconds,
    overtimeSeconds: plan.overtimeSeconds,
    ...(plan.plannedStart ? { plannedStart: plan.plannedStart } : {}),
    ...(plan.tokensEndAt ? { tokensEndAt: plan.tokensEndAt } : {}),
  } as GameMeta & { createdAt: string };
}

/** The seconds a team token must live: the game plus its overtime. */
export function tokenSeconds(plan: Pick<GamePlan, 'durationSeconds' | 'overtimeSeconds'>): number {
  return plan.durationSeconds + plan.overtimeSeconds;
}

export interface Endpoint {
  server: string;
  /** Base64 PEM of the cluster CA; absent when the instructor's context skips TLS verification. */
  caData?: string;
  insecure?: boolean;
}

/** A kubeconfig object for one team (serialise as YAML; the file gets mode 0600). */
export function teamKubeconfig(game: string, team: string, endpoint: Endpoint, token: string): Record<string, unknown> {
  const name = `crashlab-${game}-${team}`;
  const cluster: Record<string, unknown> = { server: endpoint.server };
  if (endpoint.caData) cluster['certificate-authority-data'] = endpoint.caData;
  else if (endpoint.insecure) cluster['insecure-skip-tls-verify'] = true;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: `crashlab-${game}`, cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: `crashlab-${game}`, user: name, namespace: teamNamespace(game, team) } }],
    'current-context': name,
    preferences: {},
  };
}

/** The `exp` claim of a JWT (seconds since the epoch), read without verifying it. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as { exp?: unknown };
    // Seconds since 1970 up to the year 9999: `exp: 1e20` is no date (Date would throw), so no expiry.
    return typeof json.exp === 'number' && Number.isFinite(json.exp) && json.exp >= 0 && json.exp <= 253_402_300_799 ? json.exp : undefined;
  } catch {
    return undefined;
  }
}
