/**
 * Game control: a round releases one scenario to every team at once; an injection adds a fault
 * to one team (or all) mid-game. Each team gets its own opaque instance (no name or label
 * spells the scenario), the instructor-side mapping goes into `crashlab-game` first (so the
 * board can judge the instance the moment a team sees it), then the workload, then a
 * `released` event in the team's log.
 */
import { archImages } from '../arch.js';
import { appendToTeamLogs, updateConfigMap } from './configMapWrites.js';
import { evenChunks, KUBECTL_CONCURRENCY, mapLimit } from '../../core/limit.js';
import { appendEvents, GAME_LABEL, INSTANCE_LABEL, PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, type GameEvent } from '../../core/gameday/events.js';
import { controlNamespace, GAME_CONFIGMAP, GAME_DATA_KEY, parseGameMeta, teamNamespace, type GameMeta } from '../../core/gameday/game.js';
import { runAnnotations, runLabels } from '../../core/instance.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/k8s.js';
import { prepareForDeploy } from '../../core/manifest.js';
import { planRun } from '../lab/start.js';
import { TEAM_LABEL } from '../../core/gameday/events.js';
import type { Clock } from '../../ports/clock.js';
import type { ConfigMap, GameCluster } from '../../ports/gameCluster.js';
import type { Kube } from '../../ports/kube.js';
import type { ScenarioBundle } from '../scenarioRuns.js';
import { gameRequestError } from './errors.js';

export interface ReleaseOptions {
  cluster: GameCluster;
  kube: Kube;
  clock: Clock;
  game: string;
  bundle: ScenarioBundle;
  via: 'round' | 'inject';
  /** Only this team (inject); default every team of the game. */
  team?: string;
  /** A round removes the previous round's instances unless asked to keep them. */
  keepPrevious?: boolean;
  random: (n: number) => Uint8Array;
  concurrency?: number;
  onTeam?: (team: string, instance: string) => void;
}

export interface ReleaseResult {
  round?: number;
  startedClock: boolean;
  /**
   * The clock just started and the game (with overtime) ends after the tokens handed out stop
   * working (provisioned long before the start): the instructor must re-issue them.
   */
  tokensEndEarly?: { tokensEndAt: string; gameEndsAt: string };
  released: { team: string; namespace: string; instance: string }[];
  removed: { team: string; instance: string }[];
}

export async function readGameMeta(cluster: GameCluster, game: string): Promise<{ meta: GameMeta; resourceVersion?: string }> {
  const cm = await cluster.getConfigMap(controlNamespace(game), GAME_CONFIGMAP);
  if (!cm) throw gameRequestError(`no game "${game}" on this cluster (ConfigMap ${GAME_CONFIGMAP} in ${controlNamespace(game)} not found)`, 'Create it first: crashlab gameday create <game> --teams N');
  const parsed = parseGameMeta(cm.data?.[GAME_DATA_KEY]);
  if (!parsed.ok) throw gameRequestError(parsed.error);
  return { meta: parsed.meta, resourceVersion: cm.metadata.resourceVersion };
}

/** Read-modify-write of the game metadata with compare-and-swap (two instructors, one game). */
export async function updateGameMeta(cluster: GameCluster, game: string, change: (meta: GameMeta) => void): Promise<GameMeta> {
  let meta!: GameMeta;
  await updateConfigMap(cluster, controlNamespace(game), GAME_CONFIGMAP, (cm) => {
    if (!cm) throw gameRequestError(`no game "${game}" on this cluster`);
    const parsed = parseGameMeta(cm.data?.[GAME_DATA_KEY]);
    if (!parsed.ok) throw gameRequestError(parsed.error);
    change(parsed.meta);
    meta = parsed.meta;
    return { ...cm, data: { ...cm.data, [GAME_DATA_KEY]: JSON.stringify(parsed.meta) } };
  });
  return meta;
}

export async function releaseScenario(options: ReleaseOptions): Promise<ReleaseResult> {
  const { cluster, kube, clock, game, bundle, via } = options;
  const { meta } = await readGameMeta(cluster, game);
  if (meta.scenarios.length > 0 && !meta.scenarios.includes(bundle.scenario.id)) {
    throw gameRequestError(`scenario "${bundle.scenario.id}" is not offered in game ${game}`, `Offered: ${meta.scenarios.join(', ')}`);
  }
  const teams = options.team ? [options.team] : meta.teams;
  if (options.team && !meta.teams.includes(options.team)) throw gameRequestError(`no team "${options.team}" in game ${game}`, `Teams: ${meta.teams.join(', ')}`);
  if (teams.length === 0) throw gameRequestError(`game ${game} has no teams`);

  const nowIso = new Date(clock.now()).toISOString();
  const taken = new Set(Object.keys(meta.instances));
  const plan = teams.map((team) => {
    const namespace = teamNamespace(game, team);
    // The lab's one naming function for opaque runs in a shared namespace.
    let run = planRun(bundle.scenario.id, { mystery: true, namespace, randomBytes: options.random });
    // 30 random bits: a collision is rare; a random source that repeats itself is a bug.
    for (let tries = 1; taken.has(run.instance!); tries++) {
      if (tries >= 20) throw gameRequestError('could not draw a fresh instance id (the random source repeats itself)');
      run = planRun(bundle.scenario.id, { mystery: true, namespace, randomBytes: options.random });
    }
    taken.add(run.instance!);
    return { team, namespace, instance: run.instance!, run };
  });
  // Gone before the new instance comes: a round's predecessors (unless kept), and any earlier
  // instance of the same scenario (its objects have the same names).
  const previous = Object.entries(meta.instances).filter(
    ([, r]) => !r.removedAt && teams.includes(r.team) && ((via === 'round' && !options.keepPrevious && r.via === 'round') || r.scenario === bundle.scenario.id),
  );

  let round: number | undefined;
  let startedClock = false;
  await updateGameMeta(cluster, game, (m) => {
    if (via === 'round') {
      round = m.rounds.reduce((n, r) => Math.max(n, r.round), 0) + 1;
      m.rounds.push({ round, scenario: bundle.scenario.id, at: nowIso });
    }
    if (!m.startedAt) {
      m.startedAt = nowIso;
      startedClock = true;
    }
    for (const p of plan) m.instances[p.instance] = { scenario: bundle.scenario.id, team: p.team, releasedAt: nowIso, round, via };
  });

  const removed: ReleaseResult['removed'] = previous.map(([instance, record]) => ({ team: record.team, instance }));
  await removeInstances(kube, game, removed.map((r) => r.instance), options.concurrency ?? KUBECTL_CONCURRENCY);
  // Deleted once, marked once: no later round deletes them again.
  if (removed.length) {
    await updateGameMeta(cluster, game, (m) => {
      for (const { instance } of removed) if (m.instances[instance]) m.instances[instance].removedAt = nowIso;
    });
  }
  // Every team's workload in a few server-side applies (not one per team: on a busy machine
  // each kubectl start costs more than the objects). The game's labels go on top of the run's,
  // so the board's one game-wide watch sees the pods.
  // kubectl applies a list one object after another: the teams split over parallel calls, so
  // the last team's workload lands about as soon as the first's.
  const images = await archImages(kube, bundle.scenario);
  const concurrency = options.concurrency ?? KUBECTL_CONCURRENCY;
  await mapLimit(evenChunks(plan, concurrency, TEAMS_PER_CALL), concurrency, (some) =>
    cluster.applyObjects(
      some.flatMap((p) =>
        prepareForDeploy(bundle.broken, { namespace: p.namespace, scenarioId: bundle.scenario.id, labels: { ...runLabels(p.run), [GAME_LABEL]: game, [TEAM_LABEL]: p.team }, annotations: runAnnotations(p.run), createNamespace: false, images }),
      ),
    ),
  );
  const eventOf = (p: (typeof plan)[number]): GameEvent => ({
    at: nowIso,
    type: 'released',
    instance: p.instance,
    via,
    ...(round !== undefined ? { round } : {}),
    ...(meta.mode === 'mystery' ? {} : { title: bundle.scenario.title }),
  });
  await announceReleases(cluster, game, plan.map((p) => ({ ...p, event: eventOf(p) })), options.concurrency ?? KUBECTL_CONCURRENCY);
  for (const p of plan) options.onTeam?.(p.team, p.instance);
  let tokensEndEarly: ReleaseResult['tokensEndEarly'];
  if (startedClock && meta.tokensEndAt) {
    const gameEndsAt = clock.now() + (meta.durationSeconds + meta.overtimeSeconds) * 1000;
    if (Date.parse(meta.tokensEndAt) < gameEndsAt) tokensEndEarly = { tokensEndAt: meta.tokensEndAt, gameEndsAt: new Date(gameEndsAt).toISOString() };
  }
  return { round, startedClock, ...(tokensEndEarly ? { tokensEndEarly } : {}), released: plan.map(({ team, namespace, instance }) => ({ team, namespace, instance })), removed };
}


/** At most this many teams' objects in one kubectl call (a few objects each): it ends well within the request timeout. */
const TEAMS_PER_CALL = 25;

/**
 * Deletes the objects of the given instances: only crashlab's, only that game's, only those
 * instances'. A few kubectl calls at once, each for a share of the instances (a selector
 * `instance in (…)` across the game's namespaces), not one per team.
 */
async function removeInstances(kube: Kube, game: string, instances: string[], concurrency: number): Promise<void> {
  await mapLimit(evenChunks(instances, concurrency, TEAMS_PER_CALL), concurrency, async (some) => {
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${game},${INSTANCE_LABEL} in (${some.join(',')})`;
    const out = await kube.run(['delete', 'deployments.apps,replicasets.apps,pods,services,configmaps,secrets', '--all-namespaces', '-l', selector, '--wait=false', '--ignore-not-found']);
    if (out.exitCode !== 0) throw gameRequestError(`could not remove instance(s) ${some.join(', ')}: ${out.stderr.trim()}`);
  });
}

/** Each team's `released` event, appended to its log (compare-and-swap per log, a few kubectl calls for all). */
async function announceReleases(cluster: GameCluster, game: string, releases: { team: string; namespace: string; instance: string; event: GameEvent }[], concurrency: number): Promise<void> {
  const has = (text: string | undefined, r: { instance: string }) => (text ?? '').split('\n').some((line) => line.includes('"released"') && line.includes(`"instance":"${r.instance}"`));
  await appendToTeamLogs(cluster, game, releases.map((r) => ({ namespace: r.namespace, team: r.team, events: [r.event], skipIf: (text) => has(text, r) })), concurrency);
}
