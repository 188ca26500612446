/**
 * The instructor's game-day API, like the lab's (labApi.ts): every game-day rule behind one
 * object, over ports the composition root (app/gameday.ts) fills in. The CLI's `gameday`
 * commands parse flags, call one of these and print what comes back, nothing else.
 */
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { boardFingerprint, type Board, type BoardControl, type BoardSource, type StuckRules } from '../../core/gameday/board.js';
import { debrief } from '../../core/gameday/debrief.js';
import type { GameEvent } from '../../core/gameday/events.js';
import { exportGame, type ExportFormat } from '../../core/gameday/export.js';
import { nextRoundScenario, pauseClock, resumeClock, type GameMeta } from '../../core/gameday/game.js';
import { numberedTeams, parseGameDuration, parseParticipants, validateGameName, type Participant } from '../../core/gameday/names.js';
import { offerScenarios, type Offerable } from '../../core/gameday/offer.js';
import { publishedContent } from '../../core/gameday/teamContent.js';
import { BOARD_CSS, BOARD_JS, isLoopbackHost, keepFinalStandings, keepLastLogs, renderBoardHtml, renderPage, type WebBoardInput, type WebView } from '../../core/gameday/webBoard.js';
import type { K8sObject } from '../../core/k8s.js';
import { safeJson } from '../../core/untrusted.js';
import type { Scenario } from '../../core/scenario.js';
import type { Lang } from '../../core/text.js';
import type { CatalogContents } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import type { GameFiles } from '../../ports/gameday.js';
import type { Kube } from '../../ports/kube.js';
import type { WebBoardServer, WebBoardServerOptions } from '../../ports/webBoard.js';
import type { ScenarioBundle } from '../scenarioRuns.js';
import { GameBoard } from './board.js';
import { readGameMeta, releaseScenario, updateGameMeta, type ReleaseResult } from './control.js';
import { probeNetworkPolicy, type NetpolProbeResult } from './netpolProbe.js';
import { createGame, endGame, kubeconfigPath, planGame, plannedObjects, reissueTokens, type CreateResult, type EndResult, type HandoutContext, type TokensResult } from './provision.js';
import { resetTeam, type ResetTeamResult } from './resetTeam.js';
import { loadSigner, readSigner, type Signer } from './signing.js';
import { gameRefused, gameRequestError } from './errors.js';

/** What the game-day API asks of the composition root. */
export interface GamedayPorts {
  readonly clock: Clock;
  /** The context the instructor's commands address. */
  readonly context: string;
  /** The board's ports, after the context rule (`mutating`: the command changes the cluster). */
  open(mutating: boolean): Promise<{ kube: Kube; cluster: GameCluster }>;
  /** The cluster for provisioning (create, tokens, end), after the context rule. */
  openProvisioning(): Promise<GameCluster>;
  /** The instructor's disk: kubeconfigs, handouts, exports, final results. */
  files(): Promise<GameFiles>;
  scenarios(): Promise<Record<string, Scenario>>;
  bundle(id: string): Promise<ScenarioBundle>;
  /** The catalog with these packs besides the built-in one (what `create` may offer). */
  catalog(packDirs: string[]): Promise<{ scenarios: Offerable[]; bundles: ScenarioBundle[]; packOf?: CatalogContents['packOf'] }>;
  randomBytes(count: number): Uint8Array;
  serveWebBoard(options: WebBoardServerOptions): Promise<WebBoardServer>;
}

export interface CreateInput {
  game: string;
  /** `--teams N` as given, or the text of a participants file (one team a line). */
  teams: { count: string } | { participants: string };
  packDirs: string[];
  /** The scenario ids asked for (undefined: every shareable one). */
  requested?: string[];
  duration: string;
  overtime: string;
  outDir: string;
  mystery?: boolean;
  /** ISO time of the first round (tokens last from then). */
  plannedStart?: string;
}

export type GamePlanned = ReturnType<typeof planGame> & { plannedStart?: string };

export interface LiveBoardOptions {
  /** One read, no watches (`board --json`). */
  snapshot: boolean;
  verify: boolean;
  hideScenarios?: boolean;
  stuck: StuckRules;
  /** Said when the board runs without a signing key. */
  onWarning: (line: string) => void;
}

/** A running board: the engine's watches, its listeners, and what the clients need of it. */
export interface LiveBoard {
  load(): Promise<Board>;
  start(): void;
  stop(): Promise<void>;
  /** The JSON line of a board when it differs from the last one printed (undefined: nothing to print yet). */
  changedJson(board: Board): string | undefined;
  subscribe(listener: (board: Board) => void): () => void;
  /** The Ink board's source: the final standings stay after `gameday end`. */
  source(): BoardSource;
  serveWeb(addr: { host: string; port: number }): Promise<WebBoardServer>;
}

// The instructor's controls: one field of the game metadata each, so every board (Ink, web,
// --json) and every browser sees the same state.
export const CONTROLS: { name: BoardControl; description: string; change: (meta: GameMeta, nowMs: number) => boolean; done: string; already: string }[] = [
  { name: 'freeze', description: "hide the standings from the room's screens (the instructor's board still shows them)", change: (m) => (m.frozen ? false : ((m.frozen = true), true)), done: 'standings frozen: the room sees no scores until `gameday reveal`', already: 'already frozen' },
  { name: 'reveal', description: 'show the standings to the room again (after a freeze)', change: (m) => (m.frozen ? ((m.frozen = false), true) : false), done: 'standings revealed to the room', already: 'not frozen' },
  { name: 'pause', description: 'stop the game clock (teams keep working; the end moves by the pause)', change: (m, now) => pauseClock(m, now), done: 'game clock paused', already: 'not started or already paused' },
  { name: 'resume', description: 'restart the game clock where it stopped', change: (m, now) => resumeClock(m, now), done: 'game clock resumed', already: 'not paused' },
];

export function createGameday(ports: GamedayPorts) {
  const { clock } = ports;

  /** The metadata and logs of a game as the board sees them once (export, final results). */
  async function snapshot(game: string) {
    const { kube, cluster } = await ports.open(false);
    const signer = await readSigner(cluster, game);
    const scenarios = await ports.scenarios();
    const engine = new GameBoard({ game, cluster, kube, clock, scenarios, signer, verify: false });
    const board = await engine.load();
    return { kube, board, logs: engine.logs(), scenarios };
  }

  async function applyControl(cluster: GameCluster, game: string, name: BoardControl): Promise<string> {
    const control = CONTROLS.find((c) => c.name === name)!;
    let changed = false;
    await updateGameMeta(cluster, game, (meta) => {
      changed = control.change(meta, clock.now());
    });
    return `game ${game}: ${changed ? control.done : `nothing to do (${control.already})`}`;
  }

  async function release(game: string, id: string, via: 'round' | 'inject', team: string | undefined, keep: boolean | undefined, onTeam?: (team: string, instance: string) => void) {
    const { kube, cluster } = await ports.open(true);
    const bundle = await ports.bundle(id);
    const result = await releaseScenario({ cluster, kube, clock, game, bundle, via, team, keepPrevious: keep, random: (n) => ports.randomBytes(n), onTeam });
    return { game, scenario: id, via, ...result };
  }

  const api = {
    clock,
    context: ports.context,

    /** The game name, by the one rule (core/gameday/names.ts). */
    checkGame(game: string): string {
      return validateGameName(game);
    },

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
      const result = await createGame({ cluster, files, clock, allowInsecure: options.allowInsecure, onProgress: options.onProgress, onWarning: options.onWarning, handout: options.handout }, plan, outDir);
      // After the teams exist: their NetworkPolicy is what the probe tries to cross.
      const networkPolicy = options.networkProbe ? await probeNetworkPolicy({ cluster, clock }, plan.game, plan.teams.map((t) => t.team)) : undefined;
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
      let kept: Awaited<ReturnType<typeof api.saveFinalResults>>;
      if (options.results !== false) {
        try {
          kept = await api.saveFinalResults(game, { dir: options.results, home: options.home, dataHome: options.dataHome, lang: options.lang });
        } catch (error) {
          throw gameRefused(`game ${game} not ended: could not keep its final results: ${(error as Error).message}`, [], 'Fix that, or end anyway with --no-results.');
        }
      }
      const result = await endGame(cluster, game, { wait: options.wait });
      return { result, ...(kept ? { kept } : {}) };
    },

    /**
     * The final results on the instructor's disk before anything is deleted: the md debrief and
     * the json export, in DIR (default: $XDG_DATA_HOME/crashlab/games/<game>, i.e.
     * ~/.local/share/crashlab/games/<game>). Undefined when the game has no team.
     */
    async saveFinalResults(game: string, options: { dir?: string; home: string; dataHome?: string; lang: Lang }): Promise<{ dir: string; files: string[]; teams: number } | undefined> {
      const { board, logs, scenarios } = await snapshot(game);
      if (board.rows.length === 0) return undefined;
      const target = resolvePath(options.dir ?? joinPath(options.dataHome || joinPath(options.home, '.local', 'share'), 'crashlab', 'games', game));
      // The provisioning's file rules: a private folder (0700, refused if another user may write
      // to it), private files (0600) never written through a symbolic link.
      const store = await ports.files();
      await store.prepareDir(target);
      const stamp = board.at.replace(/[:.]/g, '-');
      const files: string[] = [];
      for (const format of ['md', 'json'] as const) {
        const file = joinPath(target, `${game}-final-${stamp}.${format}`);
        await store.writePrivate(file, exportGame(board, logs, format, { scenarios: Object.values(scenarios), lang: options.lang }));
        files.push(file);
      }
      return { dir: target, files, teams: board.rows.length };
    },

    /** A round: the named scenario, or the next offered one nobody played yet. */
    async start(game: string, options: { scenario?: string; keep?: boolean; onTeam?: (team: string, instance: string) => void }): Promise<ReleaseResult & { game: string; scenario: string; via: 'round' | 'inject' }> {
      validateGameName(game);
      let id = options.scenario;
      if (!id) {
        const { cluster } = await ports.open(true);
        const { meta } = await readGameMeta(cluster, game);
        id = nextRoundScenario(meta, Object.keys(await ports.scenarios()));
        if (!id) throw gameRequestError(`every scenario offered in ${game} was already played (a round or an injected fault)`, 'Name one with --scenario.');
      }
      return release(game, id, 'round', undefined, options.keep, options.onTeam);
    },

    /** A fault mid-game, into every team's namespace or one team's. */
    inject(game: string, scenario: string, options: { team?: string; onTeam?: (team: string, instance: string) => void }) {
      validateGameName(game);
      return release(game, scenario, 'inject', options.team, true, options.onTeam);
    },

    /** freeze / reveal / pause / resume: what was done, in words. */
    async control(game: string, name: BoardControl): Promise<string> {
      validateGameName(game);
      const { cluster } = await ports.open(true);
      return applyControl(cluster, game, name);
    },

    async resetTeam(game: string, team: string, instance?: string): Promise<ResetTeamResult> {
      validateGameName(game);
      const { kube, cluster } = await ports.open(true);
      return resetTeam({ cluster, kube, clock, game, team, instance, bundle: (id) => ports.bundle(id) });
    },

    /** Results per team and scenario plus the event log; the output is checked before any cluster call. */
    async export(game: string, options: { format: ExportFormat; out?: string; force?: boolean; lang: Lang }): Promise<{ text: string; teams: number }> {
      validateGameName(game);
      const files = await ports.files();
      if (options.out) await files.checkNew(options.out, { force: options.force });
      const { kube, board, logs, scenarios } = await snapshot(game);
      if (board.rows.length === 0) throw gameRequestError(`no team of game "${game}" found on context ${kube.context}`, 'Check the game name and --context.');
      const text = exportGame(board, logs, options.format, { scenarios: Object.values(scenarios), lang: options.lang });
      if (options.out) await files.writeNew(options.out, text, { force: options.force });
      return { text, teams: board.rows.length };
    },

    /** The live board of a game (watches start with `start()`). */
    async board(game: string, options: LiveBoardOptions): Promise<LiveBoard> {
      validateGameName(game);
      const { kube, cluster } = await ports.open(false);
      // A game that does not exist is an error like start's and export's, not an empty board.
      await readGameMeta(cluster, game);
      const scenarios = await ports.scenarios();
      let signer: Signer | undefined;
      let trustUnsigned = false;
      if (!options.snapshot && options.verify) {
        try {
          signer = await loadSigner(cluster, game);
        } catch (error) {
          options.onWarning(`verdicts will not be signed: ${(error as Error).message}`);
          trustUnsigned = true;
        }
      } else {
        signer = await readSigner(cluster, game);
      }
      const listeners = new Set<(b: Board) => void>();
      const engine = new GameBoard({
        game,
        cluster,
        kube,
        clock,
        scenarios,
        brokenObjects: await brokenObjectsOf(ports, Object.keys(scenarios)),
        signer,
        trustUnsigned,
        verify: options.verify,
        hideScenarios: options.hideScenarios,
        stuck: options.stuck,
        // A 1,000-team board renders in ~16 ms: at most a tenth of a core on renders (engine/gameday/board.ts schedule).
        renderGapFactor: 9,
        onChange: (b) => listeners.forEach((l) => l(b)),
      });
      const subscribe = (listener: (b: Board) => void) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      };
      let lastPrinted = '';
      const categories = Object.fromEntries(Object.values(scenarios).map((sc) => [sc.id, sc.category]));
      return {
        load: () => engine.load(),
        start: () => engine.start(),
        stop: () => engine.stop(),
        // No line before the game's metadata is known: a watch that restarts never shows a
        // running game as `not-started` with no rows; and a line only on a change of state.
        changedJson(board) {
          if (!engine.gameMeta()) return undefined;
          const fingerprint = boardFingerprint(board);
          if (fingerprint === lastPrinted) return undefined;
          lastPrinted = fingerprint;
          return safeJson(board);
        },
        subscribe,
        source() {
          let last: Board | undefined;
          let lastLogs: Record<string, GameEvent[]> | undefined;
          return {
            // After `gameday end`, the final standings stay on screen.
            current: () => (last = keepFinalStandings(last, engine.board())),
            subscribe: (l) => subscribe((b) => l((last = keepFinalStandings(last, b)))),
            // A second, read-only board (--no-verify) changes nothing.
            control: options.verify ? (action) => applyControl(cluster, game, action) : undefined,
            // After the end the logs are gone: the detail view keeps the last ones seen.
            logs: () => Object.entries((lastLogs = keepLastLogs(lastLogs, engine.logs()))).map(([team, events]) => ({ team, events })),
          };
        },
        serveWeb: (addr) => serveWeb(ports, engine, subscribe, addr, categories),
      };
    },
  };
  return api;
}

export type GamedayApi = ReturnType<typeof createGameday>;

/** The web board: the same engine (and rules) as the Ink board, rendered as HTML for browsers. */
async function serveWeb(
  ports: GamedayPorts,
  engine: GameBoard,
  subscribe: (listener: (b: Board) => void) => () => void,
  addr: { host: string; port: number },
  categories: Record<string, string>,
): Promise<WebBoardServer> {
  const token = () => Buffer.from(ports.randomBytes(18)).toString('base64url');
  const instructorToken = token();
  const viewerToken = isLoopbackHost(addr.host) ? undefined : token();
  let cached: { at: number; input: Omit<WebBoardInput, 'view' | 'lang'>; html: Map<string, string> } | undefined;
  let last: Board | undefined;
  // Kept outside `cached` (which every change drops): after the end the logs are gone, and the
  // last ones seen must stay with the final standings (the end view's "where the room got stuck").
  let seen: Pick<WebBoardInput, 'teamEvents' | 'teamNotes' | 'debrief'> = {};
  // Followed on every change, whether or not a browser is looking: a game ended while no page
  // was open must still show its final standings and where the room got stuck.
  subscribe((b) => {
    last = keepFinalStandings(last, b);
    seen = { ...seen, teamEvents: keepLastLogs(seen.teamEvents, engine.logs()) };
  });
  // One board and one render per view and language per clock second, whatever the number of browsers.
  const input = (view: WebView, lang: Lang): WebBoardInput => {
    const now = Math.floor(ports.clock.now() / 1000);
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
  let server: WebBoardServer;
  try {
    server = await ports.serveWebBoard({
      ...addr,
      render,
      page: (view, lang) => renderPage(input(view, lang)),
      assets: { '/assets/board.js': { type: 'text/javascript; charset=utf-8', body: BOARD_JS }, '/assets/board.css': { type: 'text/css; charset=utf-8', body: BOARD_CSS } },
      subscribe: (onChange) =>
        subscribe(() => {
          cached = undefined;
          onChange();
        }),
      viewerToken,
      instructorToken,
    });
  } catch (error) {
    throw gameRefused(`--web: cannot listen on ${addr.host}:${addr.port}: ${(error as Error).message}`, [], 'Choose another port, e.g. --web 127.0.0.1:0 for any free one.');
  }
  engine.start();
  return server;
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

/** Each scenario's broken objects, for the verifier's "nothing was changed" rule. */
async function brokenObjectsOf(ports: GamedayPorts, ids: string[]): Promise<Record<string, K8sObject[]>> {
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await ports.bundle(id)).broken] as const)));
}
