/**
 * `gameday create` and `gameday end`, over the GameCluster and GameFiles ports. The object
 * builders, names, RBAC and sizing are pure (src/core/gameday); this file only orders the
 * calls: check rights, create the instructor namespace, then per team the namespace first and
 * its contents after, so an interruption leaves nothing that `end` cannot find.
 */
import yaml from 'js-yaml';
import { handout } from '../../core/gameday/handout.js';
import { CREDENTIAL_RISKS, createRiskMessage, endpointRisks } from '../../core/gameday/endpoint.js';
import { GAME_DATA_KEY, parseGameMeta } from '../../core/gameday/game.js';
import { GAME_LABEL, PLAYER, PROGRESS_CONFIGMAP, GAME_CONFIGMAP, controlNamespace, gameNamespacePrefix, gameSelector, teamNamespace, validateGameName, validateTeamName, type Participant } from '../../core/gameday/names.js';
import { controlObjects, jwtExpiry, teamKubeconfig, teamObjects, tokenSeconds, type Endpoint, type GamePlan } from '../../core/gameday/objects.js';
import { instructorChecks, missingRights } from '../../core/gameday/rbac.js';
import { psaLevel, sizeTeam, type SizingInput } from '../../core/gameday/sizing.js';
import { ADMISSION_GROUP, ADMISSION_VERSION, BINDING_RESOURCE, POLICY_RESOURCE, UNPROTECTED_WARNING, teamLogPolicyObjects } from '../../core/gameday/teamLogPolicy.js';
import type { K8sObject } from '../../core/k8s.js';
import { evenChunks, KUBECTL_CONCURRENCY, mapLimit } from '../../core/limit.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/k8s.js';
import type { Clock } from '../../ports/clock.js';
import type { GameFiles } from '../../ports/gameday.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import { gameRefused } from './errors.js';
import { BOARD_KEY_SECRET, loadSigner } from './signing.js';

export interface CreateRequest {
  game: string;
  teams: Participant[];
  /** The offered scenarios with their manifests and guards. */
  scenarios: SizingInput[];
  durationSeconds: number;
  overtimeSeconds: number;
  outDir: string;
  mode?: 'game' | 'mystery';
}

/** Validates names and sizes the game; throws GamedayError when a scenario cannot be offered. */
export function planGame(request: CreateRequest): GamePlan {
  validateGameName(request.game);
  for (const t of request.teams) validateTeamName(request.game, t.team);
  if (request.durationSeconds < 600) throw gameRefused('--duration must be at least 10m (the shortest token the API server issues)');
  const psa = psaLevel(request.scenarios);
  if (psa.enforce === 'privileged') {
    throw gameRefused('some scenarios need privileges a shared cluster must not give a team', psa.because, 'Leave them out with --scenarios, or mark them shared: false.');
  }
  return {
    game: request.game,
    teams: request.teams,
    scenarios: request.scenarios.map((s) => s.id),
    durationSeconds: request.durationSeconds,
    overtimeSeconds: request.overtimeSeconds,
    sizing: sizeTeam(request.scenarios),
    psa: psa.enforce,
    ...(request.mode ? { mode: request.mode } : {}),
  };
}

/**
 * Every object create would apply, in order (for --dry-run). The team-log policy pair comes
 * before any team: once a team holds a kubeconfig its log is already append-only.
 */
export function plannedObjects(plan: GamePlan, createdAt: string): K8sObject[] {
  return [...controlObjects(plan, createdAt), ...teamLogPolicyObjects(plan.game), ...plan.teams.flatMap((t) => teamObjects(plan, t.team))];
}

/** Whether this cluster can hold the team-log policy (admissionregistration.k8s.io/v1, Kubernetes 1.30+). */
function servesTeamLogPolicy(cluster: GameCluster): Promise<boolean> {
  return cluster.serves(ADMISSION_VERSION, POLICY_RESOURCE);
}

export function kubeconfigPath(outDir: string, team: string): string {
  return `${outDir.replace(/\/+$/, '')}/${team}.kubeconfig`;
}

export function handoutPath(outDir: string, team: string): string {
  return `${outDir.replace(/\/+$/, '')}/${team}.handout.md`;
}

export interface TeamResult {
  team: string;
  namespace: string;
  kubeconfig: string;
  handout: string;
  tokenExpiresAt: string;
  /** false when an existing kubeconfig was still good for the whole game and was kept. */
  newToken: boolean;
  ms: number;
}

export interface CreateResult {
  game: string;
  control: string;
  psa: GamePlan['psa'];
  sizing: GamePlan['sizing'];
  createdAt: string;
  endsAt: string;
  teams: TeamResult[];
  /** The append-only guard of the team logs: applied, or not served by this cluster. */
  teamLogPolicy: 'applied' | 'unsupported';
  /** Said once to the instructor (the CLI prints them on stderr). */
  warnings: string[];
  totalMs: number;
}

export interface CreateDeps {
  cluster: GameCluster;
  files: GameFiles;
  clock: Clock;
  /** Progress lines (the CLI prints them as they come). */
  onProgress?: (line: string) => void;
  /** kubectl calls under way at once (KUBECTL_CONCURRENCY). */
  concurrency?: number;
  /** Said once, as soon as known (the CLI prints it on stderr). */
  onWarning?: (line: string) => void;
  /** Hand out kubeconfigs over plain http:// or without TLS verification (refused otherwise). */
  allowInsecure?: boolean;
  /** What the handouts say beyond the plan (install, local time). */
  handout?: HandoutContext;
  /** Called once every team's objects (namespace, policy, RBAC) exist, before its token is issued. */
  onTeamsApplied?: () => void;
}

/** Refuses, listing the missing rights, unless the instructor may do everything create does. */
export async function checkInstructorRights(cluster: GameCluster, plan: GamePlan, options: { teamLogPolicy: boolean }): Promise<void> {
  const checks = instructorChecks(teamNamespace(plan.game, plan.teams[0].team), options);
  const all = [...checks.direct, checks.escalate, checks.bind, ...checks.granted];
  const answers = await cluster.accessReview(all);
  const allowed = new Map(all.map((c, i) => [c, answers[i]]));
  const missing = missingRights(checks, (c) => allowed.get(c) === true);
  if (missing.length) {
    throw gameRefused(`your credentials (context "${cluster.context}") lack ${missing.length} right${missing.length > 1 ? 's' : ''} that gameday create needs; nothing was changed`, missing, 'Ask a cluster admin for them, or use a context with cluster-admin.');
  }
}

async function keptKubeconfig(files: GameFiles, path: string, endpoint: Endpoint, endsAtSec: number): Promise<{ expiresAt: string } | undefined> {
  const text = await files.read(path);
  if (!text) return undefined;
  try {
    const config = yaml.load(text) as { clusters?: { cluster?: { server?: string } }[]; users?: { user?: { token?: string } }[] };
    const token = config.users?.[0]?.user?.token;
    const exp = token ? jwtExpiry(token) : undefined;
    // Five minutes of slack: a re-run a moment later keeps the kubeconfigs it just wrote.
    if (config.clusters?.[0]?.cluster?.server !== endpoint.server || exp === undefined || exp < endsAtSec - 300) return undefined;
    return { expiresAt: new Date(exp * 1000).toISOString() };
  } catch {
    return undefined;
  }
}

/** What a team's files say beyond the plan: how to install crashlab, the room's clock, whether a scenario is out. */
export interface HandoutContext {
  install?: string;
  utcOffsetMinutes?: number;
  released?: boolean;
}

/**
 * A team's kubeconfig (a fresh TokenRequest token good until `endsAtSec`, unless `keep` and the
 * existing file still covers it) and its handout.
 */
async function issueTeamFiles(
  deps: CreateDeps,
  plan: Pick<GamePlan, 'game' | 'durationSeconds' | 'overtimeSeconds' | 'scenarios' | 'published'>,
  participant: Participant,
  endpoint: Endpoint,
  outDir: string,
  endsAtSec: number,
  options: { keep: boolean },
): Promise<{ kubeconfig: string; handout: string; expiresAt: string; newToken: boolean }> {
  const { team } = participant;
  const ns = teamNamespace(plan.game, team);
  const kubeconfig = kubeconfigPath(outDir, team);
  let expiresAt: string;
  let newToken = false;
  const kept = options.keep ? await keptKubeconfig(deps.files, kubeconfig, endpoint, endsAtSec) : undefined;
  if (kept) {
    expiresAt = kept.expiresAt;
  } else {
    const nowSec = Math.floor(deps.clock.now() / 1000);
    // Until the game's end plus overtime, and never less than the shortest token the API server issues.
    const seconds = Math.max(600, endsAtSec - nowSec);
    const issued = await deps.cluster.createToken(ns, PLAYER, seconds);
    const exp = jwtExpiry(issued.token) ?? Math.floor(Date.parse(issued.expiresAt) / 1000);
    // The API server may cap token lifetimes (--service-account-max-token-expiration): a
    // kubeconfig that dies mid-game is the classic workshop failure, so refuse it.
    if (exp < endsAtSec) {
      throw gameRefused(
        `the API server issued a token for ${ns} that expires at ${new Date(exp * 1000).toISOString()}, before the game ends (${new Date(endsAtSec * 1000).toISOString()})`,
        [],
        'The cluster caps token lifetimes (kube-apiserver --service-account-max-token-expiration): shorten --duration/--overtime or raise the cap.',
      );
    }
    expiresAt = new Date(exp * 1000).toISOString();
    await deps.files.writePrivate(kubeconfig, yaml.dump(teamKubeconfig(plan.game, team, endpoint, issued.token)));
    newToken = true;
  }
  const handoutFile = handoutPath(outDir, team);
  await deps.files.writePrivate(
    handoutFile,
    handout({
      game: plan.game,
      team,
      members: participant.members,
      kubeconfigFile: `${team}.kubeconfig`,
      expiresAt,
      durationSeconds: plan.durationSeconds,
      overtimeSeconds: plan.overtimeSeconds,
      scenarioCount: plan.scenarios.length,
      ...(plan.published?.length ? { packScenarios: plan.published.length } : {}),
      ...deps.handout,
    }),
  );
  return { kubeconfig, handout: handoutFile, expiresAt, newToken };
}

/**
 * When team tokens must stop working: the game's real start (the first `gameday start`), else
 * the start the instructor declared (`create --starts-at`), else the game's first create, plus
 * the game and its overtime. One instant for the whole game: a team provisioned late, or a
 * create run again, gets the same end as everyone (not a longer token).
 */
export function tokensEndSec(meta: { startedAt?: string; plannedStart?: string; createdAt?: string; durationSeconds: number; overtimeSeconds: number }, nowMs: number): number {
  const from = [meta.startedAt, meta.plannedStart, meta.createdAt].map((t) => (t ? Date.parse(t) : NaN)).find((t) => Number.isFinite(t)) ?? nowMs;
  return Math.floor(from / 1000) + tokenSeconds(meta) + TOKEN_GRACE_SECONDS;
}

/**
 * Slack on every team token: a first round started a few minutes after create (or after the
 * declared start) still ends inside the tokens' life. A later start makes `gameday start` say
 * so (ReleaseResult.tokensEndEarly) and `gameday tokens` re-issue them.
 */
export const TOKEN_GRACE_SECONDS = 300;

/** At most this many teams in one apply (about ten objects a team): it ends well within the request timeout. */
const TEAMS_PER_APPLY = 10;

/**
 * Every team's namespace, RBAC, quota, limits, policy and event log: a handful of batched
 * applies (not three kubectl calls per team), then one TokenRequest per team, `concurrency`
 * at a time (a token is per ServiceAccount: there is no batch of them).
 */
async function provisionTeams(deps: CreateDeps, plan: GamePlan, endpoint: Endpoint, outDir: string, endsAtSec: number): Promise<TeamResult[]> {
  const started = deps.clock.now();
  const concurrency = deps.concurrency ?? KUBECTL_CONCURRENCY;
  // The event log is the team's: a second `create` must not wipe it. One list for all teams.
  const logs = await deps.cluster.listLabelled(undefined, ['configmaps'], `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${plan.game}`);
  const hasLog = new Set(logs.filter((o) => o.metadata.name === PROGRESS_CONFIGMAP).map((o) => o.metadata.namespace));
  const perTeam = plan.teams.map((participant) => {
    const ns = teamNamespace(plan.game, participant.team);
    // Server-side apply of the object without `data` updates its labels and annotations (the
    // offered scenarios) and leaves the team's events alone.
    const objects = teamObjects(plan, participant.team).map((o) => (hasLog.has(ns) && o.kind === 'ConfigMap' && o.metadata.name === PROGRESS_CONFIGMAP ? { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata } : o));
    return { participant, ns, objects };
  });
  // The teams split evenly over parallel applies (kubectl applies a list one object at a time).
  const groups = evenChunks(perTeam, concurrency, TEAMS_PER_APPLY);
  // Namespaces alone first: if the apply of the rest is interrupted, only labelled namespaces exist.
  await mapLimit(groups, concurrency, (group) => deps.cluster.applyObjects(group.map((t) => t.objects[0])));
  await mapLimit(groups, concurrency, (group) => deps.cluster.applyObjects(group.flatMap((t) => t.objects.slice(1))));
  deps.onTeamsApplied?.();
  return mapLimit(perTeam, concurrency, async ({ participant, ns }) => {
    const { team } = participant;
    const { kubeconfig, handout: handoutFile, expiresAt, newToken } = await issueTeamFiles(deps, plan, participant, endpoint, outDir, endsAtSec, { keep: true });
    const ms = deps.clock.now() - started;
    deps.onProgress?.(`${team}: namespace ${ns}, kubeconfig ${kubeconfig} (token until ${expiresAt}${newToken ? '' : ', kept'}) in ${ms} ms`);
    return { team, namespace: ns, kubeconfig, handout: handoutFile, tokenExpiresAt: expiresAt, newToken, ms };
  });
}

/** Provisions (or completes) a game. Idempotent: server-side apply, kept event logs and tokens. */
export async function createGame(deps: CreateDeps, plan: GamePlan, outDir: string): Promise<CreateResult> {
  const started = deps.clock.now();
  // The output folder before the cluster: a folder that cannot hold credentials safely is
  // refused while nothing exists yet (no namespaces, RBAC or tokens left behind).
  await deps.files.prepareDir(outDir);
  // Asked first: the rights to ask for depend on it.
  const policySupported = await servesTeamLogPolicy(deps.cluster);
  await checkInstructorRights(deps.cluster, plan, { teamLogPolicy: policySupported });
  const warnings: string[] = [];
  if (!policySupported) {
    warnings.push(UNPROTECTED_WARNING);
    deps.onWarning?.(UNPROTECTED_WARNING);
  }
  const endpoint = await deps.cluster.endpoint();
  // Before any change: a token handed out over plain http or unverified TLS is a token leaked.
  const risks = endpointRisks(endpoint);
  const leaks = risks.filter((r) => CREDENTIAL_RISKS.includes(r));
  if (leaks.length && !deps.allowInsecure) {
    throw gameRefused(`not handing out team tokens over an insecure connection; nothing was changed`, leaks.map((r) => createRiskMessage(r, endpoint.server)), 'Use a context with an https:// server and its CA, or pass --allow-insecure to insist (a rehearsal on a private network).');
  }
  for (const risk of risks) {
    const line = createRiskMessage(risk, endpoint.server);
    warnings.push(line);
    deps.onWarning?.(line);
  }
  // The game clock starts at the first create; a resumed create keeps it.
  const existing = await deps.cluster.getObject(controlNamespace(plan.game), 'configmap', GAME_CONFIGMAP);
  const parsed = parseGameMeta((existing?.data as Record<string, string> | undefined)?.[GAME_DATA_KEY]);
  const previous = parsed.ok ? parsed.meta : undefined;
  const earlier = (previous as { createdAt?: unknown } | undefined)?.createdAt;
  const createdAt = typeof earlier === 'string' && !Number.isNaN(Date.parse(earlier)) ? earlier : new Date(deps.clock.now()).toISOString();
  // Tokens must outlive the game (tokensEndSec). A kubeconfig kept from an earlier run must still cover that.
  const plannedStart = plan.plannedStart ?? previous?.plannedStart;
  const endsAtSec = tokensEndSec({ startedAt: previous?.startedAt, plannedStart, createdAt, durationSeconds: plan.durationSeconds, overtimeSeconds: plan.overtimeSeconds }, deps.clock.now());
  const control = controlObjects({ ...plan, ...(plannedStart ? { plannedStart } : {}), tokensEndAt: new Date(endsAtSec * 1000).toISOString() }, createdAt, previous);
  await deps.cluster.applyObjects(control.slice(0, 1));
  await deps.cluster.applyObjects(control.slice(1));
  // The board key now, not at the first verifying board: a read-only board (`--no-verify`, the
  // web board on a projector) started before it would never trust a verdict.
  await loadSigner(deps.cluster, plan.game);
  deps.onProgress?.(`instructor namespace ${controlNamespace(plan.game)} (game metadata in ConfigMap ${GAME_CONFIGMAP}, board key in Secret ${BOARD_KEY_SECRET})`);
  if (policySupported) {
    const [policy, binding] = teamLogPolicyObjects(plan.game);
    await deps.cluster.applyObjects([policy, binding]);
    deps.onProgress?.(`team event logs append-only: ValidatingAdmissionPolicy and binding ${policy.metadata.name}`);
  }
  const teams = await provisionTeams(deps, plan, endpoint, outDir, endsAtSec);
  return {
    game: plan.game,
    control: controlNamespace(plan.game),
    psa: plan.psa,
    sizing: plan.sizing,
    createdAt,
    endsAt: new Date(endsAtSec * 1000).toISOString(),
    teams,
    teamLogPolicy: policySupported ? 'applied' : 'unsupported',
    warnings,
    totalMs: deps.clock.now() - started,
  };
}

/** Kinds `end` lists before deleting, to say what went with each namespace. */
const REPORTED_KINDS = ['serviceaccounts', 'roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io', 'resourcequotas', 'limitranges', 'networkpolicies.networking.k8s.io', 'configmaps', 'secrets', 'services', 'deployments.apps', 'pods'];

export interface EndResult {
  game: string;
  removed: { namespace: string; objects: string[] }[];
  /** The game's cluster-scoped objects deleted (`Kind/name`): its team-log policy and binding. */
  clusterObjects: string[];
}

const POLICY_KINDS: Record<string, string> = {
  ValidatingAdmissionPolicy: `${POLICY_RESOURCE}.${ADMISSION_GROUP}`,
  ValidatingAdmissionPolicyBinding: `${BINDING_RESOURCE}.${ADMISSION_GROUP}`,
};

/**
 * Deletes every namespace of the game (both labels and the name prefix) and the game's
 * cluster-scoped objects (its team-log policy and binding, by both labels), and nothing else.
 */
export async function endGame(cluster: GameCluster, game: string, options: { wait: boolean }): Promise<EndResult> {
  validateGameName(game);
  const selector = gameSelector(game);
  const prefix = gameNamespacePrefix(game);
  const namespaces = (await cluster.listNamespaces(selector))
    .filter((ns) => ns.metadata.name.startsWith(prefix) && ns.metadata.labels?.[GAME_LABEL] === game && ns.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE)
    .map((ns) => ns.metadata.name)
    .sort();
  const removed: EndResult['removed'] = [];
  const contents = new Map<string, string[]>(namespaces.map((ns) => [ns, []]));
  // One list across the game's namespaces (not one per team): what went with each namespace.
  const objects = await cluster.listLabelled(undefined, REPORTED_KINDS, `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${game}`).catch(() => []);
  for (const o of objects) contents.get(o.metadata.namespace ?? '')?.push(`${o.kind}/${o.metadata.name}`);
  // Every delete first, then one wait for all: namespaces finalize in parallel.
  const deleted = await cluster.deleteNamespaces(namespaces, selector, { wait: false });
  if (options.wait) await cluster.waitNamespacesGone(deleted, 300);
  for (const ns of deleted) removed.push({ namespace: ns, objects: contents.get(ns) ?? [] });
  // After the namespaces: the teams' rights are gone by then (the namespace controller that
  // empties them is not a team identity, so the policy never holds it up).
  const clusterObjects: string[] = [];
  if (await servesTeamLogPolicy(cluster)) {
    const labelled = await cluster.listClusterLabelled(Object.values(POLICY_KINDS), selector);
    const ours = labelled.filter((o) => o.metadata.labels?.[GAME_LABEL] === game && o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && POLICY_KINDS[o.kind]);
    for (const o of ours) {
      if (await cluster.deleteClusterObject(POLICY_KINDS[o.kind], o.metadata.name, selector)) clusterObjects.push(`${o.kind}/${o.metadata.name}`);
    }
  }
  return { game, removed, clusterObjects };
}

export interface TokensResult {
  game: string;
  endsAt: string;
  teams: { team: string; kubeconfig: string; handout: string; tokenExpiresAt: string }[];
}

/**
 * `gameday tokens`: a fresh kubeconfig (and handout) for every team of a game, or one team,
 * good until the game really ends (tokensEndSec, so after `gameday start` from the real
 * start). For a team that lost its file, or tokens minted the night before a late start.
 * The old tokens keep working until they expire (TokenRequest tokens cannot be revoked
 * one by one; `gameday end` kills them all with the ServiceAccounts).
 */
export async function reissueTokens(deps: CreateDeps, game: string, outDir: string, options: { team?: string } = {}): Promise<TokensResult> {
  validateGameName(game);
  const cm = await deps.cluster.getObject(controlNamespace(game), 'configmap', GAME_CONFIGMAP);
  const parsed = parseGameMeta((cm?.data as Record<string, string> | undefined)?.[GAME_DATA_KEY]);
  if (!cm || !parsed.ok) throw gameRefused(`no game "${game}" on this cluster (ConfigMap ${GAME_CONFIGMAP} in ${controlNamespace(game)})`, [], 'Create it first: crashlab gameday create <game> --teams N');
  const meta = parsed.meta as typeof parsed.meta & { createdAt?: string };
  if (options.team !== undefined && !meta.teams.includes(options.team)) throw gameRefused(`no team "${options.team}" in game ${game}`, [], `Teams: ${meta.teams.join(', ')}`);
  const endsAtSec = tokensEndSec(meta, deps.clock.now());
  const endpoint = await deps.cluster.endpoint();
  const teams = options.team !== undefined ? [options.team] : meta.teams;
  const released = Object.keys(meta.instances).length > 0;
  const results = await mapLimit(
    teams.map((team) => ({ team, members: [] })),
    deps.concurrency ?? KUBECTL_CONCURRENCY,
    async (participant) => {
      const files = await issueTeamFiles({ ...deps, handout: { released, ...deps.handout } }, { ...meta, game }, participant, endpoint, outDir, endsAtSec, { keep: false });
      deps.onProgress?.(`${participant.team}: new kubeconfig ${files.kubeconfig} (token until ${files.expiresAt})`);
      return { team: participant.team, kubeconfig: files.kubeconfig, handout: files.handout, tokenExpiresAt: files.expiresAt };
    },
  );
  // Recorded for `gameday start`, which warns when the game would outlive the tokens handed out.
  const endsAt = new Date(endsAtSec * 1000).toISOString();
  if (options.team === undefined) await deps.cluster.applyObjects([{ ...cm, metadata: { name: cm.metadata.name, namespace: cm.metadata.namespace, labels: cm.metadata.labels }, data: { [GAME_DATA_KEY]: JSON.stringify({ ...meta, tokensEndAt: endsAt }) } } as K8sObject]);
  return { game, endsAt, teams: results };
}
