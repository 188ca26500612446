/**
 * The instructor's side of a running game: `gameday board` (Ink, or --json / --json --watch),
 * `gameday start` (a round), `gameday inject` (a fault mid-game), `gameday export`. Provisioning
 * (`gameday create` / `end`) lives in gameday.ts; both register under the one `gameday` command.
 */
import type { Command } from 'commander';
import { boardFingerprint, DEFAULT_STUCK, type Board } from '../../core/gameday/board.js';
import { EXPORT_FORMATS, exportGame, type ExportFormat } from '../../core/gameday/export.js';
import { formatClock } from '../../core/gameday/game.js';
import { GameNameError, validateGameName } from '../../core/gameday/names.js';
import { parseSeconds } from './verify.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import { GameFilesError } from '../../ports/gameday.js';
import { gameFiles } from '../../app/gamedayProvision.js';
import type { Kube } from '../../ports/kube.js';
import { GameBoard } from '../../engine/gameday/board.js';
import { GameControlError, readGameMeta, releaseScenario } from '../../engine/gameday/control.js';
import { loadSigner, readSigner, type Signer } from '../../engine/gameday/signing.js';
import { composeGameday, GamedayAppError, type GamedayApp } from '../../app/gameday.js';
import { asCliError, slowClusterNotice } from '../app.js';
import { CliError, EXIT } from '../errors.js';
import { eprintln, println, type Io } from '../io.js';
import { safeJson } from '../../core/untrusted.js';
import type { CommandEnv } from '../env.js';

/** The game name, validated by the one rule (core/gameday/names.ts). */
function checkGame(game: string): string {
  try {
    return validateGameName(game);
  } catch (error) {
    if (error instanceof GameNameError) throw new CliError(error.message, EXIT.unable);
    throw error;
  }
}

/** The `gameday` command, shared with the provisioning module whichever registers first. */
export function gamedayCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'gameday') ??
    program.command('gameday').description('Game days and workshops on one shared cluster: provision, run, board, export.')
  );
}

const apps = new WeakMap<CommandEnv, GamedayApp>();

/** The game-day composition root for this command line. */
function openApp(env: CommandEnv, interactive = false): GamedayApp {
  let app = apps.get(env);
  if (!app) {
    // The interactive board owns the screen: a stderr line would tear it, so it shows no notice.
    const notice = interactive ? undefined : slowClusterNotice(env);
    app = composeGameday(env.globals(), { env: env.io.env, signal: env.signal, onSlowCluster: notice, ...env.deps, confirm: env.deps.confirm ?? (async () => false) });
    apps.set(env, app);
  }
  return app;
}

/** Engine and adapter errors as one clear line with a next step. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GameControlError || error instanceof GamedayAppError || error instanceof GameFilesError) throw new CliError(error.message, EXIT.unable, error.hint);
    throw asCliError(error);
  }
}




interface BoardOpts {
  json?: boolean;
  watch?: boolean;
  public?: boolean;
  verify: boolean;
  stuckAfter?: string;
  stuckVerifies?: string;
}

export function register(program: Command, env: CommandEnv): void {
  const gameday = gamedayCommand(program);

  gameday
    .command('board <game>')
    .description("the instructor's live board: every team's pod, progress, verified fixes, score and rank")
    .option('--json', 'print the board once as one JSON document (with --watch: a JSON line on every change)')
    .option('--watch', 'with --json: keep watching')
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
    .action(async (gameArg: string, opts: BoardOpts) => {
      const game = checkGame(gameArg);
      if (opts.watch && !opts.json) throw new CliError('--watch goes with --json (the interactive board always watches)', EXIT.unable);
      const stuck = { afterSeconds: parseSeconds(opts.stuckAfter ?? '10m', '--stuck-after'), failedVerifies: Number(opts.stuckVerifies ?? DEFAULT_STUCK.failedVerifies) };
      if (!Number.isInteger(stuck.failedVerifies) || stuck.failedVerifies < 1) throw new CliError('--stuck-verifies must be a whole number ≥ 1', EXIT.unable);
      const app = openApp(env, !opts.json && Boolean(env.io.stdout.isTTY));
      const { kube, cluster } = await guard(() => app.open(false));
      // A game that does not exist is an error like start's and export's, not an empty board.
      await guard(() => readGameMeta(cluster, game));
      const clock = app.clock;
      const scenarios = await guard(() => app.scenarios());
      const snapshot = opts.json && !opts.watch;
      let signer: Signer | undefined;
      let trustUnsigned = false;
      if (!snapshot && opts.verify) {
        try {
          signer = await loadSigner(cluster, game);
        } catch (error) {
          eprintln(env.io, `crashlab: warning: verdicts will not be signed: ${(error as Error).message}`);
          trustUnsigned = true;
        }
      } else {
        signer = await guard(() => readSigner(cluster, game));
      }
      const listeners = new Set<(b: Board) => void>();
      const engine = new GameBoard({
        game,
        cluster,
        kube,
        clock,
        scenarios,
        signer,
        trustUnsigned,
        verify: opts.verify,
        hideScenarios: opts.public,
        stuck,
        onChange: (b) => listeners.forEach((l) => l(b)),
      });

      if (snapshot) {
        const board = await guard(() => engine.load());
        env.io.stdout.write(`${safeJson(board)}\n`);
        return;
      }
      if (opts.json) return watchJson(env, engine, listeners);
      if (!env.io.stdout.isTTY) {
        const board = await guard(() => engine.load());
        printBoardText(env.io, board);
        return;
      }
      if (!env.deps.openBoard) throw new CliError('the board UI is not available in this build; use --json', EXIT.unable);
      engine.start();
      try {
        await env.deps.openBoard(
          {
            current: () => engine.board(),
            subscribe: (l) => {
              listeners.add(l);
              return () => listeners.delete(l);
            },
          },
          env.signal,
        );
      } finally {
        await engine.stop();
      }
      // Closed by SIGINT/SIGTERM to its pid (its screen took the keys, not the signal): said by the exit code.
      if (env.signal?.aborted) env.setExit(/SIGTERM/.test(String((env.signal.reason as Error | undefined)?.message ?? env.signal.reason)) ? 143 : EXIT.interrupted);
    });

  gameday
    .command('start <game>')
    .description('release a scenario to every team at once (a round); the first round starts the game clock')
    .option('--scenario <id>', "the scenario (default: the next offered one no round has used)")
    .option('--keep', "keep the previous round's workloads (default: a round replaces them)")
    .option('--json', 'print the result as JSON')
    .action(async (gameArg: string, opts: { scenario?: string; keep?: boolean; json?: boolean }) => {
      const game = checkGame(gameArg);
      const app = openApp(env);
      const { kube, cluster } = await guard(() => app.open(true));
      let id = opts.scenario;
      if (!id) {
        const { meta } = await guard(() => readGameMeta(cluster, game));
        id = meta.scenarios.find((s) => !meta.rounds.some((r) => r.scenario === s));
        if (!id) throw new CliError(`every scenario offered in ${game} has had its round`, EXIT.unable, 'Name one with --scenario.');
      }
      await release(env, app, kube, cluster, game, id, 'round', undefined, opts);
    });

  gameday
    .command('inject <game> <scenario>')
    .description("add a fault mid-game: deploy another scenario into every team's namespace (or one team's)")
    .option('--team <team>', 'only this team')
    .option('--json', 'print the result as JSON')
    .action(async (gameArg: string, scenario: string, opts: { team?: string; json?: boolean }) => {
      const game = checkGame(gameArg);
      const app = openApp(env);
      const { kube, cluster } = await guard(() => app.open(true));
      await release(env, app, kube, cluster, game, scenario, 'inject', opts.team, { keep: true, json: opts.json });
    });

  gameday
    .command('export <game>')
    .description('results per team and scenario, plus the event log, for the debrief')
    .option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, 'md')
    .option('--out <file>', 'write to a new file instead of stdout')
    .option('--force', 'with --out: replace an existing file (never a symbolic link)')
    .action(async (gameArg: string, opts: { format: string; out?: string; force?: boolean }) => {
      const game = checkGame(gameArg);
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, EXIT.unable);
      const files = env.deps.gamedayFiles ?? (await gameFiles());
      // The output first: a refusal costs no cluster call.
      if (opts.out) await guard(() => files.checkNew(opts.out!, { force: opts.force }));
      const app = openApp(env);
      const { kube, cluster } = await guard(() => app.open(false));
      const signer = await guard(() => readSigner(cluster, game));
      const engine = new GameBoard({ game, cluster, kube, clock: app.clock, scenarios: await guard(() => app.scenarios()), signer, verify: false });
      const board = await guard(() => engine.load());
      if (board.rows.length === 0) throw new CliError(`no team of game "${game}" found on context ${kube.context}`, EXIT.unable, 'Check the game name and --context.');
      const text = exportGame(board, engine.logs(), opts.format as ExportFormat, { scenarios: Object.values(await guard(() => app.scenarios())), lang: env.globals().lang });
      if (opts.out) {
        await guard(() => files.writeNew(opts.out!, text, { force: opts.force }));
        println(env.io, `wrote ${opts.out} (${board.rows.length} teams)`);
      } else env.io.stdout.write(text);
    });
}


async function release(env: CommandEnv, app: GamedayApp, kube: Kube, cluster: GameCluster, game: string, id: string, via: 'round' | 'inject', team: string | undefined, opts: { keep?: boolean; json?: boolean }) {
  const bundle = await guard(() => app.bundle(id));
  const result = await guard(() => releaseScenario({
    cluster,
    kube,
    clock: app.clock,
    game,
    bundle,
    via,
    team,
    keepPrevious: opts.keep,
    random: (n) => app.randomBytes(n),
    onTeam: opts.json ? undefined : (t, instance) => println(env.io, `  ${t}: ${instance}`),
  }));
  if (opts.json) {
    env.io.stdout.write(`${safeJson({ game, scenario: id, via, ...result }, 2)}\n`);
    return;
  }
  const what = via === 'round' ? `round ${result.round}` : 'injected fault';
  println(env.io, `${what}: ${id} released to ${result.released.length} team${result.released.length === 1 ? '' : 's'} of ${game}${result.startedClock ? ' (the game clock started)' : ''}`);
  if (result.removed.length) println(env.io, `  removed the previous round's ${result.removed.length} instance${result.removed.length === 1 ? '' : 's'}`);
}

/**
 * JSON Lines on every change of state (not on every tick), until SIGINT/SIGTERM: then one last
 * line `{"interrupted":true,...}` and exit 130 (143 for SIGTERM), like every other command.
 * The first line is a listed snapshot, and no line is printed before the game's metadata is
 * known: a watch that restarts never shows a running game as `not-started` with no rows.
 */
async function watchJson(env: CommandEnv, engine: GameBoard, listeners: Set<(b: Board) => void>): Promise<void> {
  let last = '';
  const print = (board: Board) => {
    if (!engine.gameMeta()) return;
    const fingerprint = boardFingerprint(board);
    if (fingerprint === last) return;
    last = fingerprint;
    env.io.stdout.write(`${safeJson(board)}\n`);
  };
  listeners.add(print);
  print(await guard(() => engine.load()));
  engine.start();
  const signal = env.signal ?? processSignals();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await engine.stop();
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
