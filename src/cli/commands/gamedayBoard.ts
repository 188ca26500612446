/**
 * The instructor's side of a running game: `gameday board` (Ink, or --json / --json --watch,
 * or --web), `gameday start` (a round), `gameday inject` (a fault mid-game), the controls,
 * `reset` and `export`. Registered under the one `gameday` command by gameday.ts. Thin: parse,
 * call the game-day API, print.
 */
import type { Command } from 'commander';
import { CONTROLS, DEFAULT_STUCK, EXPORT_FORMATS, composeGameday, formatClock, localTime, safeJson, type Board, type ExportFormat, type GamedayApi, type LiveBoard } from '../../app/gameday.js';
import { parseSeconds } from './verify.js';
import { slowClusterNotice } from '../app.js';
import { CliError, EXIT, guarded as guard } from '../errors.js';
import { crashlabCommand, eprintln, println, type Io } from '../io.js';
import type { CommandEnv } from '../env.js';

const apps = new WeakMap<CommandEnv, GamedayApi>();

/** The game-day API for this command line (one per run, so a confirmation is asked once). */
export function openGameday(env: CommandEnv, interactive = false): GamedayApi {
  let app = apps.get(env);
  if (!app) {
    // The interactive board owns the screen: a stderr line would tear it, so it shows no notice.
    const notice = interactive ? undefined : slowClusterNotice(env);
    app = composeGameday(env.globals(), { env: env.io.env, signal: env.signal, onSlowCluster: notice, ...env.deps, confirm: env.deps.confirm ?? (async () => false) });
    apps.set(env, app);
  }
  return app;
}

interface BoardOpts {
  web?: string | boolean;
  json?: boolean;
  watch?: boolean;
  public?: boolean;
  verify: boolean;
  stuckAfter?: string;
  stuckVerifies?: string;
}

export function registerRunning(gameday: Command, env: CommandEnv): void {

  gameday
    .command('board <game>')
    .description("the instructor's live board: every team's pod, progress, verified fixes, score and rank")
    .option('--json', 'print the board once as one JSON document (with --watch: a JSON line on every change)')
    .option('--watch', 'with --json: keep watching')
    .option('--web [addr]', `serve the live board as a web page (room view + instructor view) on ADDR (default ${DEFAULT_WEB_ADDR}); another address than localhost requires a viewer token, printed in the URL`)
    .option('--public', 'hide scenario ids (a board projected for the room)')
    .option('--no-verify', "do not answer the teams' verify requests (a second, read-only board)")
    .option('--stuck-after <duration>', 'a team on one scenario this long is stuck', '10m')
    .option('--stuck-verifies <n>', 'this many failed verifies is stuck', String(DEFAULT_STUCK.failedVerifies))
    .addHelpText(
      'after',
      '\nTwo watches for the whole game (pods, ConfigMaps), whatever the number of teams. Only verdicts the board\n' +
        'itself gave (it runs `crashlab verify`, read-only, when a team asks) score; they are signed with a key kept\n' +
        'in the game\'s control namespace.',
    )
    .action((game: string, opts: BoardOpts) =>
      guard(async () => {
        const gd = openGameday(env, !opts.json && Boolean(env.io.stdout.isTTY));
        gd.checkGame(game);
        if (opts.watch && !opts.json) throw new CliError('--watch goes with --json (the interactive board always watches)', EXIT.unable);
        if (opts.web !== undefined && opts.json) throw new CliError('--web and --json do not go together (run a second board with --json --no-verify)', EXIT.unable);
        const web = opts.web === undefined ? undefined : parseWebAddr(typeof opts.web === 'string' ? opts.web : DEFAULT_WEB_ADDR);
        const stuck = { afterSeconds: parseSeconds(opts.stuckAfter ?? '10m', '--stuck-after'), failedVerifies: Number(opts.stuckVerifies ?? DEFAULT_STUCK.failedVerifies) };
        if (!Number.isInteger(stuck.failedVerifies) || stuck.failedVerifies < 1) throw new CliError('--stuck-verifies must be a whole number ≥ 1', EXIT.unable);
        const snapshot = Boolean(opts.json && !opts.watch);
        const board = await gd.board(game, { snapshot, verify: opts.verify, hideScenarios: opts.public, stuck, onWarning: (line) => eprintln(env.io, `crashlab: warning: ${line}`) });
        if (snapshot) {
          env.io.stdout.write(`${safeJson(await board.load())}\n`);
          return;
        }
        if (opts.json) return watchJson(env, board);
        if (web) return serveWeb(env, board, web);
        if (!env.io.stdout.isTTY) return printBoardText(env.io, await board.load());
        if (!env.deps.openBoard) throw new CliError('the board UI is not available in this build; use --json', EXIT.unable);
        board.start();
        try {
          await env.deps.openBoard(board.source(), env.signal);
        } finally {
          await board.stop();
        }
        // Closed by SIGINT/SIGTERM to its pid (its screen took the keys, not the signal): said by the exit code.
        if (env.signal?.aborted) env.setExit(/SIGTERM/.test(String((env.signal.reason as Error | undefined)?.message ?? env.signal.reason)) ? 143 : EXIT.interrupted);
      }),
    );

  gameday
    .command('start <game>')
    .description('release a scenario to every team at once (a round); the first round starts the game clock')
    .option('--scenario <id>', 'the scenario (default: the next offered one no team has played yet, in a round or injected)')
    .option('--keep', "keep the previous round's workloads (default: a round replaces them)")
    .option('--json', 'print the result as JSON')
    .action((game: string, opts: { scenario?: string; keep?: boolean; json?: boolean }) =>
      guard(async () => printRelease(env, await openGameday(env).start(game, { scenario: opts.scenario, keep: opts.keep, onTeam: teamLine(env, opts.json) }), opts.json)),
    );

  gameday
    .command('inject <game> <scenario>')
    .description("add a fault mid-game: deploy another scenario into every team's namespace (or one team's)")
    .option('--team <team>', 'only this team')
    .option('--json', 'print the result as JSON')
    .action((game: string, scenario: string, opts: { team?: string; json?: boolean }) =>
      guard(async () => printRelease(env, await openGameday(env).inject(game, scenario, { team: opts.team, onTeam: teamLine(env, opts.json) }), opts.json)),
    );

  for (const control of CONTROLS) {
    gameday
      .command(`${control.name} <game>`)
      .description(control.description)
      .action((game: string) => guard(async () => println(env.io, await openGameday(env).control(game, control.name))));
  }

  gameday
    .command('reset <game>')
    .description("put one team's environment back to its instance's start (same instance, score and log carry on; logged)")
    .requiredOption('--team <team>', 'the team')
    .option('--instance <id>', 'only this instance (default: every instance of the team still deployed)')
    .action((game: string, opts: { team: string; instance?: string }) =>
      guard(async () => {
        const result = await openGameday(env).resetTeam(game, opts.team, opts.instance);
        println(env.io, `game ${game}: ${result.team}'s ${result.reset.join(', ')} back to the start in ${result.namespace} (logged in the game's metadata)`);
      }),
    );

  gameday
    .command('export <game>')
    .description('results per team and scenario, plus the event log, for the debrief')
    .option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, 'md')
    .option('--out <file>', 'write to a new file instead of stdout')
    .option('--force', 'with --out: replace an existing file (never a symbolic link)')
    .action((game: string, opts: { format: string; out?: string; force?: boolean }) =>
      guard(async () => {
        const gd = openGameday(env);
        gd.checkGame(game);
        if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, EXIT.unable);
        const { text, teams } = await gd.export(game, { format: opts.format as ExportFormat, out: opts.out, force: opts.force, lang: env.globals().lang });
        if (opts.out) println(env.io, `wrote ${opts.out} (${teams} teams)`);
        else env.io.stdout.write(text);
      }),
    );
}

const teamLine = (env: CommandEnv, json: boolean | undefined) => (json ? undefined : (t: string, instance: string) => println(env.io, `  ${t}: ${instance}`));

function printRelease(env: CommandEnv, result: Awaited<ReturnType<GamedayApi['start']>>, json: boolean | undefined): void {
  const { game, scenario: id, via } = result;
  if (json) {
    env.io.stdout.write(`${safeJson(result, 2)}\n`);
    return;
  }
  const what = via === 'round' ? `round ${result.round}` : 'injected fault';
  println(env.io, `${what}: ${id} released to ${result.released.length} team${result.released.length === 1 ? '' : 's'} of ${game}${result.startedClock ? ' (the game clock started)' : ''}`);
  if (result.removed.length) println(env.io, `  removed the previous round's ${result.removed.length} instance${result.removed.length === 1 ? '' : 's'}`);
  if (result.tokensEndEarly) {
    const offset = -new Date().getTimezoneOffset();
    eprintln(
      env.io,
      `warning: the team kubeconfigs stop working at ${localTime(result.tokensEndEarly.tokensEndAt, offset)}, before this game ends (${localTime(result.tokensEndEarly.gameEndsAt, offset)}): hand out new ones from ${crashlabCommand(env.globals(), `gameday tokens ${game}`)}`,
    );
  }
}

const DEFAULT_WEB_ADDR = '127.0.0.1:7070';

/** `PORT`, `HOST`, `HOST:PORT` or `[IPv6]:PORT`. */
export function parseWebAddr(addr: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*))(?::(\d+))?$/.exec(addr.trim());
  const bare = /^\d+$/.test(addr.trim());
  const host = bare ? '127.0.0.1' : (m?.[1] ?? m?.[2] ?? '');
  const port = bare ? Number(addr) : m?.[3] !== undefined ? Number(m[3]) : 7070;
  if (!m || (!bare && host === '') || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--web: "${addr}" is not an address`, EXIT.unable, 'e.g. --web, --web 8080, --web 0.0.0.0:8080');
  }
  return { host, port };
}

/** The web board (the same engine and rules as the Ink board, as HTML) until Ctrl-C. */
async function serveWeb(env: CommandEnv, board: LiveBoard, addr: { host: string; port: number }): Promise<void> {
  const server = await board.serveWeb(addr);
  println(env.io, `room view (projector, participants): ${server.roomUrl}`);
  println(env.io, `instructor view (keep private): ${server.instructorUrl}`);
  println(env.io, 'Ctrl-C stops the board.');
  // Ctrl-C is how this board stops: a normal end, not an interruption.
  const signal = env.signal ?? processSignals();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await server.close();
  await board.stop();
  env.setExit(EXIT.ok);
}

/**
 * JSON Lines on every change of state (not on every tick), until SIGINT/SIGTERM: then one last
 * line `{"interrupted":true,...}` and exit 130 (143 for SIGTERM), like every other command.
 * The first line is a listed snapshot, and no line is printed before the game's metadata is
 * known: a watch that restarts never shows a running game as `not-started` with no rows.
 */
async function watchJson(env: CommandEnv, board: LiveBoard): Promise<void> {
  const print = (b: Board) => {
    const line = board.changedLine(b);
    if (line !== undefined) env.io.stdout.write(line);
  };
  board.subscribe(print);
  print(await board.load());
  board.start();
  const signal = env.signal ?? processSignals();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await board.stop();
  const name = /SIGTERM/.test(String((signal.reason as Error | undefined)?.message ?? signal.reason)) ? 'SIGTERM' : 'SIGINT';
  env.io.stdout.write(`${safeJson({ interrupted: true, command: 'gameday board', signal: name })}\n`);
  env.setExit(name === 'SIGTERM' ? 143 : EXIT.interrupted);
}

/** SIGINT/SIGTERM as an AbortSignal, when main() did not hand one down. */
function processSignals(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => controller.abort(new Error(`interrupted (${name})`)));
  return controller.signal;
}

function printBoardText(io: Io, board: Board): void {
  const c = board.clock;
  const clock = c.phase === 'running' ? `${formatClock(c.remainingSeconds)} left` : c.phase === 'overtime' ? `overtime, ${formatClock(c.overtimeLeftSeconds)} left` : c.phase;
  println(io, `game ${board.game} · ${board.rows.length} teams · ${clock}`);
  const header = ['RANK', 'TEAM', 'INSTANCE', 'SCENARIO', 'STATUS', 'READY', 'RESTARTS', 'TIME', 'HINTS', 'DIAGNOSIS', 'VERIFIED', 'SCORE'];
  const rows = board.rows.map((r) => [
    String(r.rank),
    r.team,
    r.instance ?? '-',
    r.scenario ?? '-',
    r.pod?.status ?? '-',
    r.pod?.ready ?? '-',
    r.pod ? String(r.pod.restarts) : '-',
    r.secondsOnScenario === undefined ? '-' : formatClock(r.secondsOnScenario),
    String(r.hints),
    r.diagnosis,
    r.verified ? 'yes' : r.verify !== 'none' ? r.verify : 'no',
    String(r.score),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const line of [header, ...rows]) println(io, line.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  for (const s of board.stuck) println(io, `stuck: ${s.team}: ${s.reasons.join('; ')}`);
  for (const n of board.notes) println(io, `note: ${n}`);
}
