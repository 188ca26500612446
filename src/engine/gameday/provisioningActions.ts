/**
 * Provisioning a game: plan (teams, scenarios, sizing), the dry run, create (and the network
 * probe), fresh tokens, and end (the final results kept first).
 */
import type { K8sObject } from '../../core/k8s.js';
import { numberedTeams, parseGameDuration, parseParticipants, validateGameName, type Participant } from '../../core/gameday/names.js';
import { offerScenarios } from '../../core/gameday/offer.js';
import { publishedContent } from '../../core/gameday/teamContent.js';
import type { Lang } from '../../core/text.js';
import type { CreateInput, GamedayPorts, GamePlanned } from './apiTypes.js';
import { gameRefused } from './errors.js';
import { probeNetworkPolicy, type NetpolProbeResult } from './netpolProbe.js';
import { createGame, endGame, kubeconfigPath, planGame, plannedObjects, reissueTokens, type CreateResult, type EndResult, type HandoutContext, type TokensResult } from './provision.js';
import type { ResultActions } from './resultActions.js';

export function provisioningActions(ports: GamedayPorts, results: ResultActions) {
  const { clock } = ports;
  return {
    /** Teams, scenarios, sizing and durations of a game to create; nothing is contacted but the catalog. */
    async plan(input: CreateInput): Promise<{ plan: GamePlanned; note?: string }> {
      validateGameName(input.game);
      const teams: Participant[] = 'participants' in input.teams ? parseParticipants(input.game, input.teams.participants) : numberedTeams(Number(input.teams.count)).map((team) => ({ team, members: [] }));
      const durationSeconds = parseGameDuration(input.duration, 'duration');
      const overtimeSeconds = parseGameDuration(input.overtime, 'overtime');
      const catalog = await ports.catalog(input.packDirs);
      const offer = offerScenarios(catalog.scenarios, input.requested);
      if (!offer.ok) throw gameRefused(offer.message);
      const scenarios = offer.ids.map((id) => {
        const b = catalog.bundles.find((x) => x.scenario.id === id)!;
        return { id, broken: b.broken, solution: b.solution, notQuiteFix: b.notQuiteFix, guards: b.scenario.guards };
      });
      const plan = {
        ...planGame({ game: input.game, teams, scenarios, durationSeconds, overtimeSeconds, outDir: input.outDir, ...(input.mystery ? { mode: 'mystery' as const } : {}) }),
        ...(input.plannedStart ? { plannedStart: input.plannedStart } : {}),
        ...publishedContent(catalog, offer.ids, input.mystery ? 'mystery' : 'game'),
      };
      return { plan, ...(offer.note ? { note: offer.note } : {}) };
    },

    /** What `create --dry-run` shows: every object and file, nothing applied. */
    dryRun(plan: GamePlanned, outDir: string): { objects: K8sObject[]; files: string[] } {
      const objects = plannedObjects(plan, new Date(clock.now()).toISOString());
      const files = plan.teams.flatMap((t) => [kubeconfigPath(outDir, t.team), `${outDir}/${t.team}.handout.md`]);
      return { objects, files };
    },

    /** Provisions the plan, then (unless skipped) proves that the cluster enforces its NetworkPolicy. */
    async create(
      plan: GamePlanned,
      outDir: string,
      options: { allowInsecure?: boolean; networkProbe: boolean; handout: HandoutContext; onProgress?: (line: string) => void; onWarning: (line: string) => void },
    ): Promise<{ result: CreateResult; networkPolicy?: NetpolProbeResult }> {
      const cluster = await ports.openProvisioning();
      const files = await ports.files();
      // Once the teams' objects exist (their NetworkPolicy is what the probe tries to cross),
      // while their tokens are issued: the probe's pod starts overlap the TokenRequests (100
      // teams on the test cluster: create 17.9 s -> 16.1-16.8 s; the two share two cores). It
      // never throws and always removes its pods, so a create that fails after it started still
      // waits for it.
      let probe: Promise<NetpolProbeResult> | undefined;
      const onTeamsApplied = options.networkProbe ? () => void (probe ??= probeNetworkPolicy({ cluster, clock }, plan.game, plan.teams.map((t) => t.team))) : undefined;
      const result = await createGame({ cluster, files, clock, allowInsecure: options.allowInsecure, onProgress: options.onProgress, onWarning: options.onWarning, handout: options.handout, onTeamsApplied }, plan, outDir).finally(() => probe);
      const networkPolicy = await probe;
      return { result, ...(networkPolicy ? { networkPolicy } : {}) };
    },

    async tokens(game: string, outDir: string, options: { team?: string; handout: HandoutContext; onProgress?: (line: string) => void }): Promise<TokensResult> {
      validateGameName(game);
      const cluster = await ports.openProvisioning();
      const files = await ports.files();
      return reissueTokens({ cluster, files, clock, onProgress: options.onProgress, handout: options.handout }, game, outDir, { team: options.team });
    },

    /**
     * Ends a game: the final standings first (once the namespaces go, the team logs go with
     * them), kept in `results` (undefined: the default folder; false: not kept).
     */
    async end(game: string, options: { wait: boolean; results: string | false | undefined; home: string; dataHome?: string; lang: Lang }): Promise<{ result: EndResult; kept?: { dir: string; files: string[]; teams: number } }> {
      validateGameName(game);
      const cluster = await ports.openProvisioning();
      let kept: Awaited<ReturnType<ResultActions['saveFinalResults']>>;
      if (options.results !== false) {
        try {
          kept = await results.saveFinalResults(game, { dir: options.results, home: options.home, dataHome: options.dataHome, lang: options.lang });
        } catch (error) {
          throw gameRefused(`game ${game} not ended: could not keep its final results: ${(error as Error).message}`, [], 'Fix that, or end anyway with --no-results.');
        }
      }
      const result = await endGame(cluster, game, { wait: options.wait });
      return { result, ...(kept ? { kept } : {}) };
    },
  };
}
