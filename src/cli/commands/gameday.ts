/**
 * `crashlab gameday ...`: the one module that registers the `gameday` command; here create,
 * tokens and end (provisioning), the running game's commands in gamedayBoard.ts. Thin: parse
 * flags, call the game-day API (app/gameday.ts, engine/gameday/api.ts), print.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import yaml from 'js-yaml';
import { PACKED_FILE } from '../version.js';
import { ADMISSION_VERSION, PROBE_BUDGET_MS, PROBE_CLIENT, PROBE_PEER, PROBE_SERVER, formatSeconds, localTime, teamLogPolicyName, type CreateInput } from '../../app/gameday.js';
import { CliError, EXIT, guarded } from '../errors.js';
import { crashlabCommand, eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';
import { openGameday, registerRunning } from './gamedayBoard.js';

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

/** `--teams N` or the participants file's text: which, and read, here; what they mean, in the engine. */
async function teamsFrom(opts: CreateOptions): Promise<CreateInput['teams']> {
  if (opts.teams !== undefined && opts.participants !== undefined) throw new CliError('give either --teams N or --participants FILE, not both', EXIT.unable);
  if (opts.participants !== undefined) {
    try {
      return { participants: await readFile(opts.participants, 'utf8') };
    } catch (error) {
      throw new CliError(`cannot read participants file ${opts.participants}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.unable);
    }
  }
  if (opts.teams === undefined) throw new CliError('say how many teams: --teams N, or --participants FILE (one team a line)', EXIT.unable);
  if (!/^\d+$/.test(opts.teams)) throw new CliError(`--teams must be a whole number (got "${opts.teams}")`, EXIT.unable);
  return { count: opts.teams };
}

export function register(program: Command, env: CommandEnv): void {
  const gameday = program.command('gameday').description('Game days and workshops on one shared cluster: provision, run, board, export.');
  registerProvisioning(gameday, env);
  registerRunning(gameday, env);
}

function registerProvisioning(gameday: Command, env: CommandEnv): void {
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
        const gd = openGameday(env);
        gd.checkGame(game);
        const teams = await teamsFrom(opts);
        // The global --scenarios takes every value (commander parses program options anywhere): a
        // folder is a pack, a comma-separated list of ids is what to offer.
        const given = [...(env.globals().scenarioDirs ?? []), ...(opts.scenarios !== undefined ? [opts.scenarios] : [])];
        const isIds = (value: string) => /^[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*,?$/.test(value) && !existsSync(join(value, 'scenarios'));
        const idLists = given.filter(isIds);
        if (idLists.length && opts.all) throw new CliError('give either --scenarios or --all, not both', EXIT.unable);
        const outDir = opts.out ?? `crashlab-${game}`;
        const { plan, note } = await gd.plan({
          game,
          teams,
          packDirs: given.filter((v) => !isIds(v)),
          requested: idLists.length ? idLists.flatMap((l) => l.split(',')).map((s) => s.trim()).filter(Boolean) : undefined,
          duration: opts.duration,
          overtime: opts.overtime,
          outDir,
          mystery: opts.mystery,
          plannedStart: opts.startsAt === undefined ? undefined : parseStartsAt(opts.startsAt, gd.clock.now()),
        });
        if (note && !opts.json) eprintln(env.io, `note: ${note}`);
        if (opts.dryRun) {
          const { objects, files } = gd.dryRun(plan, outDir);
          if (opts.json) return printJson(env.io, { game, dryRun: true, psa: plan.psa, sizing: plan.sizing, objects, files });
          println(env.io, `# dry run: game ${game}, ${plan.teams.length} team(s), scenarios ${plan.scenarios.join(', ')}`);
          println(env.io, `# Pod Security enforce=${plan.psa}; ${plan.sizing.basis.join('; ')}`);
          for (const object of objects) {
            println(env.io, '---');
            env.io.stdout.write(yaml.dump(object, { noRefs: true, lineWidth: 120 }));
          }
          println(env.io, '---');
          println(env.io, `# ${teamLogPolicyName(game)}: team event logs append-only; applied only where the cluster serves ${ADMISSION_VERSION} ValidatingAdmissionPolicy (Kubernetes 1.30+), elsewhere create warns and goes on`);
          println(env.io, `# files (mode 0600): ${files.join(', ')}`);
          if (opts.networkProbe !== false) println(env.io, `# then a network probe: pod ${PROBE_SERVER} (busybox) in the first team, ${PROBE_PEER} next to it and ${PROBE_CLIENT} across the game's NetworkPolicy try to reach it, for at most ${PROBE_BUDGET_MS / 1000} s, and are removed (skip with --no-network-probe)`);
          println(env.io, `# each kubeconfig: the context's server and CA, a TokenRequest token for crashlab-player valid ${formatSeconds(plan.durationSeconds + plan.overtimeSeconds)}, default namespace the team's`);
          return;
        }
        const { result, networkPolicy } = await gd.create(plan, outDir, {
          allowInsecure: opts.allowInsecure,
          networkProbe: opts.networkProbe !== false,
          handout: handoutContext(opts.install),
          onProgress: opts.json ? undefined : (line) => println(env.io, line),
          onWarning: (line) => eprintln(env.io, `warning: ${line}`),
        });
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
        const outDir = opts.out ?? `crashlab-${game}`;
        const result = await openGameday(env).tokens(game, outDir, { team: opts.team, onProgress: opts.json ? undefined : (line) => println(env.io, line), handout: handoutContext(opts.install) });
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
        const { result, kept } = await openGameday(env).end(game, {
          wait: Boolean(opts.wait),
          results: opts.results === false ? false : typeof opts.results === 'string' ? opts.results : undefined,
          home: env.io.env.HOME || homedir(),
          dataHome: env.io.env.XDG_DATA_HOME,
          lang: env.globals().lang,
        });
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
function handoutContext(install: string | undefined): { install?: string; utcOffsetMinutes: number } {
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
