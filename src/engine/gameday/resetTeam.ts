/**
 * `gameday reset G --team X`: one team's broken environment back to its instance's start (a
 * team that made a mess of it gets a clean start, the others play on). The same instance id and
 * the same broken manifests, so the team's log, its score so far and the board's judgement carry
 * on; the reset is logged in the instructor's metadata (`resets`), which teams cannot read.
 */
import { archImages } from '../arch.js';
import { GAME_LABEL, INSTANCE_LABEL, TEAM_LABEL } from '../../core/gameday/events.js';
import { teamNamespace } from '../../core/gameday/game.js';
import { opaqueRun, runAnnotations, runLabels } from '../../core/instance.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/k8s.js';
import { prepareForDeploy } from '../../core/manifest.js';
import type { Clock } from '../../ports/clock.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import type { Kube } from '../../ports/kube.js';
import type { ScenarioBundle } from '../scenarioRuns.js';
import { readGameMeta, updateGameMeta } from './control.js';
import { gameRequestError } from './errors.js';

export interface ResetTeamOptions {
  cluster: GameCluster;
  kube: Kube;
  clock: Clock;
  game: string;
  team: string;
  /** Only this instance (default: every instance of the team still deployed). */
  instance?: string;
  bundle(scenario: string): Promise<ScenarioBundle>;
}

export interface ResetTeamResult {
  team: string;
  namespace: string;
  reset: string[];
}

export async function resetTeam(options: ResetTeamOptions): Promise<ResetTeamResult> {
  const { cluster, kube, clock, game, team } = options;
  const { meta } = await readGameMeta(cluster, game);
  if (!meta.teams.includes(team)) throw gameRequestError(`no team "${team}" in game ${game}`, `Teams: ${meta.teams.join(', ')}`);
  const namespace = teamNamespace(game, team);
  const owned = Object.entries(meta.instances).filter(([id, r]) => r.team === team && (!options.instance || id === options.instance));
  if (options.instance && owned.length === 0) throw gameRequestError(`instance ${options.instance} was not released to ${team}`);
  // What the team still has on the cluster (a round may have replaced earlier instances).
  const live: typeof owned = [];
  for (const entry of owned) {
    const deployments = await cluster.findDeployments(namespace, `${INSTANCE_LABEL}=${entry[0]}`);
    if (deployments.length > 0 || options.instance) live.push(entry);
  }
  if (live.length === 0) throw gameRequestError(`${team} has no released instance deployed: nothing to reset`, 'Release one with gameday start or gameday inject --team.');

  for (const [instance, record] of live) {
    const bundle = await options.bundle(record.scenario);
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${game},${INSTANCE_LABEL}=${instance}`;
    // Gone (waited for) before the same names are created again.
    const out = await kube.run(['delete', 'deployments.apps,replicasets.apps,pods,services,configmaps,secrets', '-n', namespace, '-l', selector, '--ignore-not-found', '--wait=true', '--timeout=90s']);
    if (out.exitCode !== 0) throw gameRequestError(`could not remove instance ${instance} in ${namespace}: ${out.stderr.trim()}`);
    const run = opaqueRun(record.scenario, instance, namespace);
    await cluster.applyObjects(
      prepareForDeploy(bundle.broken, { namespace, scenarioId: record.scenario, labels: { ...runLabels(run), [GAME_LABEL]: game, [TEAM_LABEL]: team }, annotations: runAnnotations(run), createNamespace: false, images: await archImages(kube, bundle.scenario) }),
    );
  }
  const at = new Date(clock.now()).toISOString();
  await updateGameMeta(cluster, game, (m) => {
    m.resets = [...(m.resets ?? []), ...live.map(([instance]) => ({ team, instance, at }))];
  });
  return { team, namespace, reset: live.map(([instance]) => instance) };
}
