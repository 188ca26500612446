/**
 * The instructor's side of a running game: `gameday board` (Ink, or --json / --json --watch),
 * `gameday start` (a round), `gameday inject` (a fault mid-game), `gameday export`. Provisioning
 * (`gameday create` / `end`) lives in gameday.ts; both register under the one `gameday` command.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { boardFingerprint, DEFAULT_STUCK, type Board, type BoardControl } from '../../core/gameday/board.js';
import { EXPORT_FORMATS, exportGame, type ExportFormat } from '../../core/gameday/export.js';
import type { GameEvent } from '../../core/gameday/events.js';
import { debrief } from '../../core/gameday/debrief.js';
import { BOARD_CSS, BOARD_JS, isLoopbackHost, keepFinalStandings, keepLastLogs, renderBoardHtml, renderPage, type WebBoardInput, type WebView } from '../../core/gameday/webBoard.js';
import type { Lang } from '../../core/text.js';
import { formatClock, nextRoundScenario, pauseClock, resumeClock, type GameMeta } from '../../core/gameday/game.js';
import { GameNameError, validateGameName } from '../../core/gameday/names.js';
import { parseSeconds } from './verify.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import { GameFilesError } from '../../ports/gameday.js';
import { gameFiles } from '../../app/gamedayProvision.js';
import type { Kube } from '../../ports/kube.js';
import { GameBoard } from '../../engine/gameday/board.js';
import { resetTeam } from '../../engine/gameday/resetTeam.js';
import { GameControlError, readGameMeta, releaseScenario, updateGameMeta } from '../../engine/gameday/control.js';
import { loadSigner, readSigner, type Signer } from '../../engine/gameday/signing.js';
import { composeGameday, GamedayAppError, type GamedayApp } from '../../app/gameday.js';
import type { K8sObject } from '../../core/k8s.js';
import { asCliError, slowClusterNotice } from '../app.js';
import { CliError, EXIT } from '../errors.js';
import { crashlabCommand, eprintln, println, type Io } from '../io.js';
import { safeJson } from '../../core/untrusted.js';
import { localTime } from '../../core/gameday/handout.js';
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
  web?: string | boolean;
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
    .action(async (gameArg: string, opts: BoardOpts) => {
      const game = checkGame(gameArg);
      if (opts.watch && !opts.json) throw new CliError('--watch goes with --json (the interactive board always watches)', EXIT.unable);
      if (opts.web !== undefined && opts.json) throw new CliError('--web and --json do not go together (run a second board with --json --no-verify)', EXIT.unable);
      const web = opts.web === undefined ? undefined : parseWebAddr(typeof opts.web === 'string' ? opts.web : DEFAULT_WEB_ADDR);
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
        brokenObjects: await guard(() => brokenObjectsOf(app, Object.keys(scenarios))),
        signer,
        trustUnsigned,
        verify: opts.verify,
        hideScenarios: opts.public,
        stuck,
        // A 1,000-team board renders in ~16 ms: at most a tenth of a core on renders (engine/gameday/board.ts schedule).
        renderGapFactor: 9,
        onChange: (b) => listeners.forEach((l) => l(b)),
      });

      if (snapshot) {
        const board = await guard(() => engine.load());
        env.io.stdout.write(`${safeJson(board)}\n`);
        return;
      }
      if (opts.json) return watchJson(env, engine, listeners);
      if (web) return serveWeb(env, app, engine, listeners, web, Object.fromEntries(Object.values(scenarios).map((sc) => [sc.id, sc.category])));
      if (!env.io.stdout.isTTY) {
        const board = await guard(() => engine.load());
        printBoardText(env.io, board);
        return;
      }
      if (!env.deps.openBoard) throw new CliError('the board UI is not available in this build; use --json', EXIT.unable);
      engine.start();
      try {
        let last: Board | undefined;
        let lastLogs: Record<string, GameEvent[]> | undefined;
        await env.deps.openBoard(
          {
            // After `gameday end`, the final standings stay on screen.
            current: () => (last = keepFinalStandings(last, engine.board())),
            subscribe: (l) => {
              const listener = (b: Board) => l((last = keepFinalStandings(last, b)));
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
            // A second, read-only board (--no-verify) changes nothing.
            control: opts.verify ? (action) => applyControl(cluster, app, game, action) : undefined,
            // After the end the logs are gone: the detail view keeps the last ones seen.
            logs: () => Object.entries((lastLogs = keepLastLogs(lastLogs, engine.logs()))).map(([team, events]) => ({ team, events })),
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
    .option('--scenario <id>', 'the scenario (default: the next offered one no team has played yet, in a round or injected)')
    .option('--keep', "keep the previous round's workloads (default: a round replaces them)")
    .option('--json', 'print the result as JSON')
    .action(async (gameArg: string, opts: { scenario?: string; keep?: boolean; json?: boolean }) => {
      const game = checkGame(gameArg);
      const app = openApp(env);
      const { kube, cluster } = await guard(() => app.open(true));
      let id = opts.scenario;
      if (!id) {
        const { meta } = await guard(() => readGameMeta(cluster, game));
        id = nextRoundScenario(meta, Object.keys(await guard(() => app.scenarios())));
        if (!id) throw new CliError(`every scenario offered in ${game} was already played (a round or an injected fault)`, EXIT.unable, 'Name one with --scenario.');
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

  for (const control of CONTROLS) {
    gameday
      .command(`${control.name} <game>`)
      .description(control.description)
      .action(async (gameArg: string) => {
        const game = checkGame(gameArg);
        const app = openApp(env);
        const { cluster } = await guard(() => app.open(true));
        println(env.io, await guard(() => applyControl(cluster, app, game, control.name)));
      });
  }

  gameday
    .command('reset <game>')
    .description("put one team's environment back to its instance's start (same instance, score and log carry on; logged)")
    .requiredOption('--team <team>', 'the team')
    .option('--instance <id>', 'only this instance (default: every instance of the team still deployed)')
    .action(async (gameArg: string, opts: { team: string; instance?: string }) => {
      const game = checkGame(gameArg);
      const app = openApp(env);
      const { kube, cluster } = await guard(() => app.open(true));
      const result = await guard(() => resetTeam({ cluster, kube, clock: app.clock, game, team: opts.team, instance: opts.instance, bundle: (id) => app.bundle(id) }));
      println(env.io, `game ${game}: ${result.team}'s ${result.reset.join(', ')} back to the start in ${result.namespace} (logged in the game's metadata)`);
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
  if (result.tokensEndEarly) {
    const offset = -new Date().getTimezoneOffset();
    eprintln(
      env.io,
      `warning: the team kubeconfigs stop working at ${localTime(result.tokensEndEarly.tokensEndAt, offset)}, before this game ends (${localTime(result.tokensEndEarly.gameEndsAt, offset)}): hand out new ones from ${crashlabCommand(env.globals(), `gameday tokens ${game}`)}`,
    );
  }
}

// The instructor's controls: one field of the game metadata each, so every board (Ink, web,
// --json) and every browser sees the same state.
const CONTROLS: { name: BoardControl; description: string; change: (meta: GameMeta, nowMs: number) => boolean; done: string; already: string }[] = [
  { name: 'freeze', description: "hide the standings from the room's screens (the instructor's board still shows them)", change: (m) => (m.frozen ? false : ((m.frozen = true), true)), done: 'standings frozen: the room sees no scores until `gameday reveal`', already: 'already frozen' },
  { name: 'reveal', description: 'show the standings to the room again (after a freeze)', change: (m) => (m.frozen ? ((m.frozen = false), true) : false), done: 'standings revealed to the room', already: 'not frozen' },
  { name: 'pause', description: 'stop the game clock (teams keep working; the end moves by the pause)', change: (m, now) => pauseClock(m, now), done: 'game clock paused', already: 'not started or already paused' },
  { name: 'resume', description: 'restart the game clock where it stopped', change: (m, now) => resumeClock(m, now), done: 'game clock resumed', already: 'not paused' },
];

async function applyControl(cluster: GameCluster, app: GamedayApp, game: string, name: BoardControl): Promise<string> {
  const control = CONTROLS.find((c) => c.name === name)!;
  let changed = false;
  await updateGameMeta(cluster, game, (meta) => {
    changed = control.change(meta, app.clock.now());
  });
  return `game ${game}: ${changed ? control.done : `nothing to do (${control.already})`}`;
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

/** The web board: the same engine (and rules) as the Ink board, rendered as HTML for browsers. */
async function serveWeb(env: CommandEnv, app: GamedayApp, engine: GameBoard, listeners: Set<(b: Board) => void>, addr: { host: string; port: number }, categories: Record<string, string>): Promise<void> {
  const token = () => Buffer.from(app.randomBytes(18)).toString('base64url');
  const instructorToken = token();
  const viewerToken = isLoopbackHost(addr.host) ? undefined : token();
  let cached: { at: number; input: Omit<WebBoardInput, 'view' | 'lang'>; html: Map<string, string> } | undefined;
  let last: Board | undefined;
  // Kept outside `cached` (which every change drops): after the end the logs are gone, and the
  // last ones seen must stay with the final standings (the end view's "where the room got stuck").
  let seen: Pick<WebBoardInput, 'teamEvents' | 'teamNotes' | 'debrief'> = {};
  // Followed on every change, whether or not a browser is looking: a game ended while no page
  // was open must still show its final standings and where the room got stuck.
  listeners.add((b) => {
    last = keepFinalStandings(last, b);
    seen = { ...seen, teamEvents: keepLastLogs(seen.teamEvents, engine.logs()) };
  });
  // One board and one render per view and language per clock second, whatever the number of browsers.
  const input = (view: WebView, lang: Lang): WebBoardInput => {
    const now = Math.floor(app.clock.now() / 1000);
    if (!cached || cached.at !== now) {
      last = keepFinalStandings(last, engine.board());
      const logs = engine.logs();
      const teamEvents = keepLastLogs(seen.teamEvents, logs);
      const over = last.clock.phase === 'over';
      // The debrief once the game is over (from the logs last seen, after the end too).
      const scenarioDebrief = over ? debrief(last, Object.entries(teamEvents).map(([team, events]) => ({ team, events })), categories) : undefined;
      seen = { teamEvents, teamNotes: { ...seen.teamNotes, ...latestNotes(logs) }, debrief: scenarioDebrief };
      cached = { at: now, input: { board: last, ...seen }, html: new Map() };
    }
    return { ...cached.input, view, lang };
  };
  const render = (view: WebView, lang: Lang): string => {
    const args = input(view, lang);
    const key = `${view}/${lang}`;
    const html = cached!.html.get(key) ?? renderBoardHtml(args);
    cached!.html.set(key, html);
    return html;
  };
  const server = await guard(async () => {
    try {
      return await app.serveWebBoard({
        ...addr,
        render,
        page: (view, lang) => renderPage(input(view, lang)),
        assets: { '/assets/board.js': { type: 'text/javascript; charset=utf-8', body: BOARD_JS }, '/assets/board.css': { type: 'text/css; charset=utf-8', body: BOARD_CSS } },
        subscribe: (onChange) => {
          const listener = () => {
            cached = undefined;
            onChange();
          };
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        viewerToken,
        instructorToken,
      });
    } catch (error) {
      throw new CliError(`--web: cannot listen on ${addr.host}:${addr.port}: ${(error as Error).message}`, EXIT.unable, 'Choose another port, e.g. --web 127.0.0.1:0 for any free one.');
    }
  });
  engine.start();
  println(env.io, `room view (projector, participants): ${server.roomUrl}`);
  println(env.io, `instructor view (keep private): ${server.instructorUrl}`);
  println(env.io, 'Ctrl-C stops the board.');
  // Ctrl-C is how this board stops: a normal end, not an interruption.
  const signal = env.signal ?? processSignals();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await server.close();
  await engine.stop();
  env.setExit(EXIT.ok);
}

/**
 * `gameday end` keeps the final results on the instructor's disk before anything is deleted:
 * the md debrief and the json export, in DIR (default: $XDG_DATA_HOME/crashlab/games/<game>,
 * i.e. ~/.local/share/crashlab/games/<game>). Undefined when the game has no team (nothing to keep).
 */
export async function saveFinalResults(env: CommandEnv, game: string, dir?: string): Promise<{ dir: string; files: string[]; teams: number } | undefined> {
  const app = openApp(env);
  const { kube, cluster } = await guard(() => app.open(false));
  const signer = await guard(() => readSigner(cluster, game));
  const scenarios = await guard(() => app.scenarios());
  const engine = new GameBoard({ game, cluster, kube, clock: app.clock, scenarios, signer, verify: false });
  const board = await guard(() => engine.load());
  if (board.rows.length === 0) return undefined;
  const home = env.io.env.HOME || homedir();
  const target = resolve(dir ?? join(env.io.env.XDG_DATA_HOME || join(home, '.local', 'share'), 'crashlab', 'games', game));
  // The provisioning's file rules: a private folder (0700, refused if another user may write
  // to it), private files (0600) never written through a symbolic link.
  const store = env.deps.gamedayFiles ?? (await gameFiles());
  await store.prepareDir(target);
  const stamp = board.at.replace(/[:.]/g, '-');
  const files: string[] = [];
  for (const format of ['md', 'json'] as const) {
    const file = join(target, `${game}-final-${stamp}.${format}`);
    await store.writePrivate(file, exportGame(board, engine.logs(), format, { scenarios: Object.values(scenarios), lang: env.globals().lang }));
    files.push(file);
  }
  return { dir: target, files, teams: board.rows.length };
}

/** Each team's latest note (the web board's instructor view). */
function latestNotes(logs: { team: string; events: GameEvent[] }[]): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const { team, events } of logs) {
    const note = events.filter((e) => e.type === 'note').at(-1);
    if (note && note.type === 'note') notes[team] = note.text;
  }
  return notes;
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

/** Each scenario's broken objects, for the verifier's "nothing was changed" rule. */
async function brokenObjectsOf(app: GamedayApp, ids: string[]): Promise<Record<string, K8sObject[]>> {
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await app.bundle(id)).broken] as const)));
}
