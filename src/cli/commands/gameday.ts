/**
 * `crashlab gameday create|end`: provision a game on a shared cluster, and remove it again.
 * Thin: parse flags, call the engine (src/engine/gameday), print.
 */
import { readFile } from 'node:fs/promises';
import { PACKED_FILE } from '../version.js';
import type { Command } from 'commander';
import yaml from 'js-yaml';
import { decideContext } from '../../core/context.js';
import { GameNameError, formatSeconds, numberedTeams, parseGameDuration, parseParticipants, validateGameName, type Participant } from '../../core/gameday/names.js';
import { offerScenarios, type Offerable } from '../../core/gameday/offer.js';
import { publishedContent } from '../../core/gameday/teamContent.js';
import { ADMISSION_VERSION, teamLogPolicyName } from '../../core/gameday/teamLogPolicy.js';
import { PROBE_BUDGET_MS, probeNetworkPolicy } from '../../engine/gameday/netpolProbe.js';
import { PROBE_CLIENT, PROBE_PEER, PROBE_SERVER } from '../../core/gameday/netpolProbe.js';
import { GamedayError, createGame, endGame, kubeconfigPath, planGame, plannedObjects, reissueTokens, type HandoutContext } from '../../engine/gameday/provision.js';
import { localTime } from '../../core/gameday/handout.js';
import { KubeError } from '../../ports/kube.js';
import { GameFilesError, type GameFiles, type GamedayCluster } from '../../ports/gameday.js';
import { asCliError, slowClusterNotice } from '../app.js';
import { gameFiles, gamedayCluster } from '../../app/gamedayProvision.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogError, contentRootOf, openPacks as loadPacks } from '../../app/compose.js';
import { systemClock } from '../../ports/clock.js';
import { CliError, EXIT } from '../errors.js';
import { crashlabCommand, eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';
import { saveFinalResults } from './gamedayBoard.js';

interface CreateOptions {
  teams?: string;
  participants?: string;
  scenarios?: string;
  all?: boolean;
  duration: string;
  overtime: string;
  out?: string;
  dryRun?: boolean;
  json?: boolean;
  mystery?: boolean;
  allowInsecure?: boolean;
  networkProbe?: boolean;
  startsAt?: string;
  install?: string;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GameNameError) throw new CliError(error.message, EXIT.unable);
    if (error instanceof GameFilesError) throw new CliError(error.message, EXIT.unable, error.hint);
    if (error instanceof GamedayError) {
      const details = error.details.map((d) => `\n  - ${d}`).join('');
      throw new CliError(`${error.message}${details}`, EXIT.unable, error.hint);
    }
    if (error instanceof KubeError) return Promise.reject(asCliError(error));
    throw error;
  }
}

async function openCluster(env: CommandEnv): Promise<{ cluster: GamedayCluster; files: GameFiles }> {
  const globals = env.globals();
  const decision = decideContext(globals.context, { mutating: true, yes: globals.yes });
  if (!decision.allowed) {
    throw new CliError(`gameday changes the cluster of context "${decision.context}": pass --yes to confirm`, EXIT.unable, 'crashlab only creates and deletes objects labelled app.kubernetes.io/managed-by=crashlab and crashlab.dev/game=<game>.');
  }
  const files = env.deps.gamedayFiles ?? (await gameFiles());
  if (env.deps.gameday) return { cluster: env.deps.gameday(decision.context), files };
  return {
    cluster: await gamedayCluster({ context: decision.context, kubeconfig: globals.kubeconfig, env: env.io.env, timeoutMs: globals.requestTimeoutMs, signal: env.signal, onSlow: slowClusterNotice(env) }),
    files,
  };
}

async function teamsFrom(game: string, opts: CreateOptions): Promise<Participant[]> {
  if (opts.teams !== undefined && opts.participants !== undefined) throw new CliError('give either --teams N or --participants FILE, not both', EXIT.unable);
  if (opts.participants !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.participants, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read participants file ${opts.participants}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.unable);
    }
    return parseParticipants(game, text);
  }
  if (opts.teams === undefined) throw new CliError('say how many teams: --teams N, or --participants FILE (one team a line)', EXIT.unable);
  if (!/^\d+$/.test(opts.teams)) throw new CliError(`--teams must be a whole number (got "${opts.teams}")`, EXIT.unable);
  return numberedTeams(Number(opts.teams)).map((team) => ({ team, members: [] }));
}

export function register(program: Command, env: CommandEnv): void {
  // One `gameday` command shared with the board module (gamedayBoard.ts), whichever registers first.
  const gameday =
    program.commands.find((c) => c.name() === 'gameday') ??
    program.command('gameday').description('Game days and workshops on one shared cluster: provision, run, board, export.');

  gameday
    .command('create <game>')
    .description('provision a game: per team a namespace, RBAC, quota, limits, Pod Security, a network policy, a kubeconfig and a handout')
    .option('--teams <n>', 'number of teams (team-1, team-2, ...)')
    .option('--participants <file>', 'one team a line: `name` or `name: member, member`')
    .option('--scenarios <ids|dir>', 'comma-separated scenario ids to offer (default: every shareable scenario); a folder adds a scenario pack, like the global --scenarios')
    .option('--all', 'offer every scenario that can run on a shared cluster')
    .option('--duration <d>', 'game length, e.g. 60m, 1h30m', '60m')
    .option('--overtime <d>', 'extra time after the game in which tokens still work', '15m')
    .option('--out <dir>', 'where kubeconfigs and handouts go (default ./crashlab-<game>)')
    .option('--mystery', 'mystery game: teams see symptoms only, never a title or category, until the debrief')
    .option('--allow-insecure', 'hand out kubeconfigs even when the server is plain http:// or skips TLS verification')
    .option('--no-network-probe', 'skip the check that the cluster enforces NetworkPolicy (two short-lived pods)')
    .option('--starts-at <time>', 'when you will run the first round (HH:MM local time, or an ISO time): tokens last from then to the end plus overtime (default: from now)')
    .option('--install <spec>', `what the handout tells teams to install: the file you hand out (made by \`npm pack\` in crashlab's folder), or \`crashlab\` once it is on your npm registry`, PACKED_FILE)
    .option('--dry-run', 'print every object that would be created; change nothing')
    .option('--json', 'machine-readable output')
    .action((game: string, opts: CreateOptions) =>
      guarded(async () => {
        validateGameName(game);
        const teams = await teamsFrom(game, opts);
        const durationSeconds = parseGameDuration(opts.duration, 'duration');
        const overtimeSeconds = parseGameDuration(opts.overtime, 'overtime');
        // The global --scenarios takes every value (commander parses program options anywhere): a
        // folder is a pack, a comma-separated list of ids is what to offer.
        const given = [...(env.globals().scenarioDirs ?? []), ...(opts.scenarios !== undefined ? [opts.scenarios] : [])];
        const isIds = (value: string) => /^[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*,?$/.test(value) && !existsSync(join(value, 'scenarios'));
        const packDirs = given.filter((v) => !isIds(v));
        const idLists = given.filter(isIds);
        if (idLists.length && opts.all) throw new CliError('give either --scenarios or --all, not both', EXIT.unable);
        const catalog = await loadPacks(contentRootOf(env.deps), packDirs).catch((error: unknown) => {
          throw error instanceof CatalogError ? new CliError(error.message, EXIT.unable) : error;
        });
        const requested = idLists.length ? idLists.flatMap((l) => l.split(',')).map((s) => s.trim()).filter(Boolean) : undefined;
        const offer = offerScenarios(catalog.scenarios as Offerable[], requested);
        if (!offer.ok) throw new CliError(offer.message, EXIT.unable);
        if (offer.note && !opts.json) eprintln(env.io, `note: ${offer.note}`);
        const scenarios = offer.ids.map((id) => {
          const b = catalog.bundles.find((x) => x.scenario.id === id)!;
          return { id, broken: b.broken, solution: b.solution, notQuiteFix: b.notQuiteFix, guards: b.scenario.guards };
        });
        const clock = env.deps.clock ?? systemClock;
        const plannedStart = opts.startsAt === undefined ? undefined : parseStartsAt(opts.startsAt, clock.now());
        const plan = {
          ...planGame({ game, teams, scenarios, durationSeconds, overtimeSeconds, outDir: opts.out ?? `crashlab-${game}`, ...(opts.mystery ? { mode: 'mystery' as const } : {}) }),
          ...(plannedStart ? { plannedStart } : {}),
          ...publishedContent(catalog, offer.ids, opts.mystery ? 'mystery' : 'game'),
        };
        const outDir = opts.out ?? `crashlab-${game}`;
        if (opts.dryRun) {
          const objects = plannedObjects(plan, new Date(clock.now()).toISOString());
          const files = teams.flatMap((t) => [kubeconfigPath(outDir, t.team), `${outDir}/${t.team}.handout.md`]);
          if (opts.json) return printJson(env.io, { game, dryRun: true, psa: plan.psa, sizing: plan.sizing, objects, files });
          println(env.io, `# dry run: game ${game}, ${teams.length} team(s), scenarios ${plan.scenarios.join(', ')}`);
          println(env.io, `# Pod Security enforce=${plan.psa}; ${plan.sizing.basis.join('; ')}`);
          for (const object of objects) {
            println(env.io, '---');
            env.io.stdout.write(yaml.dump(object, { noRefs: true, lineWidth: 120 }));
          }
          println(env.io, '---');
          println(env.io, `# ${teamLogPolicyName(game)}: team event logs append-only; applied only where the cluster serves ${ADMISSION_VERSION} ValidatingAdmissionPolicy (Kubernetes 1.30+), elsewhere create warns and goes on`);
          println(env.io, `# files (mode 0600): ${files.join(', ')}`);
          if (opts.networkProbe !== false) println(env.io, `# then a network probe: pod ${PROBE_SERVER} (busybox) in the first team, ${PROBE_PEER} next to it and ${PROBE_CLIENT} across the game's NetworkPolicy try to reach it, for at most ${PROBE_BUDGET_MS / 1000} s, and are removed (skip with --no-network-probe)`);
          println(env.io, `# each kubeconfig: the context's server and CA, a TokenRequest token for crashlab-player valid ${formatSeconds(durationSeconds + overtimeSeconds)}, default namespace the team's`);
          return;
        }
        const { cluster, files } = await openCluster(env);
        const result = await createGame(
          { cluster, files, clock, allowInsecure: opts.allowInsecure, onProgress: opts.json ? undefined : (line) => println(env.io, line), onWarning: (line) => eprintln(env.io, `warning: ${line}`), handout: handoutContext(opts.install) },
          plan,
          outDir,
        );
        // After the teams exist: their NetworkPolicy is what the probe tries to cross.
        const networkPolicy = opts.networkProbe === false ? undefined : await probeNetworkPolicy({ cluster, clock }, game, teams.map((t) => t.team));
        if (networkPolicy && networkPolicy.verdict !== 'enforced') eprintln(env.io, `warning: ${networkPolicy.message}`);
        else if (networkPolicy && !opts.json) println(env.io, `${networkPolicy.message} (${(networkPolicy.ms / 1000).toFixed(1)} s)`);
        if (opts.json) return printJson(env.io, { ...result, ...(networkPolicy ? { networkPolicy } : {}) });
        println(env.io, `game ${game}: ${result.teams.length} team(s) ready in ${(result.totalMs / 1000).toFixed(1)} s (Pod Security ${result.psa}); tokens valid until ${localTime(result.endsAt, -new Date().getTimezoneOffset())}`);
        println(env.io, `hand each team its ${outDir}/<team>.kubeconfig and .handout.md; remove everything with: ${crashlabCommand(env.globals(), `gameday end ${game}`)}`);
        if (opts.install && opts.install !== 'crashlab') println(env.io, `the handouts say to install ${opts.install}: hand it out too (make it with \`npm pack\` in crashlab's folder; --install crashlab once crashlab is on your npm registry)`);
      }),
    );

  gameday
    .command('tokens <game>')
    .description("issue fresh team kubeconfigs (and handouts), good until the game really ends: a team that lost its file, or tokens minted long before the start")
    .option('--team <team>', 'only this team')
    .option('--out <dir>', 'where the files go (default ./crashlab-<game>)')
    .option('--install <spec>', 'what the handout tells teams to install (see create)', PACKED_FILE)
    .option('--json', 'machine-readable output')
    .action((game: string, opts: { team?: string; out?: string; install?: string; json?: boolean }) =>
      guarded(async () => {
        validateGameName(game);
        const { cluster, files } = await openCluster(env);
        const clock = env.deps.clock ?? systemClock;
        const outDir = opts.out ?? `crashlab-${game}`;
        const result = await reissueTokens({ cluster, files, clock, onProgress: opts.json ? undefined : (line) => println(env.io, line), handout: handoutContext(opts.install) }, game, outDir, { team: opts.team });
        if (opts.json) return printJson(env.io, result);
        println(env.io, `game ${game}: ${result.teams.length} new kubeconfig(s), valid until ${localTime(result.endsAt, -new Date().getTimezoneOffset())}; hand each team its ${outDir}/<team>.kubeconfig and .handout.md again`);
      }),
    );

  gameday
    .command('end <game>')
    .description("delete every namespace and object of that game (and nothing else), saying what went")
    .option('--wait', 'wait until the namespaces are gone')
    .option('--results <dir>', 'keep the final results (md + json) here (default: ~/.local/share/crashlab/games/<game>)')
    .option('--no-results', 'end without keeping the final results')
    .option('--json', 'machine-readable output')
    .action((game: string, opts: { wait?: boolean; json?: boolean; results?: string | false }) =>
      guarded(async () => {
        validateGameName(game);
        const { cluster } = await openCluster(env);
        // The final standings first: once the namespaces go, the team logs go with them.
        let kept: Awaited<ReturnType<typeof saveFinalResults>>;
        if (opts.results !== false) {
          try {
            kept = await saveFinalResults(env, game, typeof opts.results === 'string' ? opts.results : undefined);
          } catch (error) {
            throw new CliError(`game ${game} not ended: could not keep its final results: ${(error as Error).message}`, EXIT.unable, 'Fix that, or end anyway with --no-results.');
          }
        }
        const result = await endGame(cluster, game, { wait: Boolean(opts.wait) });
        if (opts.json) return printJson(env.io, { ...result, results: kept?.files ?? [] });
        if (kept) println(env.io, `kept the final results of ${kept.teams} team(s): ${kept.files.join(', ')}`);
        if (result.removed.length === 0 && result.clusterObjects.length === 0) return println(env.io, `game ${game}: nothing to remove (no namespace or policy labelled crashlab.dev/game=${game})`);
        for (const r of result.removed) println(env.io, `removed namespace ${r.namespace}${r.objects.length ? ` with ${r.objects.join(', ')}` : ''}`);
        if (result.clusterObjects.length) println(env.io, `removed ${result.clusterObjects.join(', ')} (the append-only guard of the team logs)`);
        println(env.io, `game ${game}: ${result.removed.length} namespace(s) ${opts.wait ? 'deleted' : 'deleting'}; team tokens die with their ServiceAccounts`);
      }),
    );
}

/** The handout's extras: what to install, and the room's clock (this machine's time zone). */
function handoutContext(install: string | undefined): HandoutContext {
  return { ...(install && install !== 'crashlab' ? { install } : {}), utcOffsetMinutes: -new Date().getTimezoneOffset() };
}

/** `--starts-at`: `HH:MM` (local time, the next one to come) or an ISO time with its offset. */
export function parseStartsAt(text: string, nowMs: number): string {
  const hm = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (hm) {
    const [h, m] = [Number(hm[1]), Number(hm[2])];
    if (h > 23 || m > 59) throw new CliError(`--starts-at ${text}: not a time of day`, EXIT.unable);
    const at = new Date(nowMs);
    at.setHours(h, m, 0, 0);
    if (at.getTime() < nowMs - 60_000) at.setDate(at.getDate() + 1);
    return at.toISOString();
  }
  const ms = Date.parse(text);
  if (!/\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new CliError(`--starts-at ${text}: give HH:MM (local time) or an ISO time such as 2026-12-07T09:00+09:00`, EXIT.unable);
  return new Date(ms).toISOString();
}
