/**
 * The live board (`gameday board`): the engine's watches (board.ts GameBoard), its JSON lines on
 * a change of state, the Ink board's source, and the web board (the same engine and rules,
 * rendered as HTML for browsers).
 */
import { BoardJson, type Board } from '../../core/gameday/board.js';
import { debrief } from '../../core/gameday/debrief.js';
import type { GameEvent } from '../../core/gameday/events.js';
import { validateGameName } from '../../core/gameday/names.js';
import { BOARD_CSS, BOARD_JS, isLoopbackHost, keepFinalStandings, keepLastLogs, renderBoardHtml, renderPage, type WebBoardInput, type WebView } from '../../core/gameday/webBoard.js';
import type { K8sObject } from '../../core/k8s.js';
import type { Lang } from '../../core/text.js';
import type { WebBoardServer } from '../../ports/webBoard.js';
import type { GamedayPorts, LiveBoard, LiveBoardOptions } from './apiTypes.js';
import { GameBoard } from './board.js';
import { readGameMeta } from './control.js';
import { gameRefused } from './errors.js';
import { applyControl } from './runningActions.js';
import { loadSigner, readSigner, type Signer } from './signing.js';

/** The live board of a game (watches start with `start()`). */
export async function openLiveBoard(ports: GamedayPorts, game: string, options: LiveBoardOptions): Promise<LiveBoard> {
  const { clock } = ports;
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
    // A 1,000-team board renders in ~5 ms: at most a tenth of a core on renders (board.ts schedule).
    renderGapFactor: 9,
    // A release storm (100 teams: up to ~150 pod events a second) drawn at most 40 times a second.
    minRenderGapMs: 25,
    onChange: (b) => listeners.forEach((l) => l(b)),
  });
  const subscribe = (listener: (b: Board) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const json = new BoardJson();
  const categories = Object.fromEntries(Object.values(scenarios).map((sc) => [sc.id, sc.category]));
  return {
    load: () => engine.load(),
    start: () => engine.start(),
    stop: () => engine.stop(),
    // No line before the game's metadata is known: a watch that restarts never shows a
    // running game as `not-started` with no rows; and a line only on a change of state.
    changedLine(board) {
      if (!engine.gameMeta()) return undefined;
      return json.changedLine(board);
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
        control: options.verify ? (action) => applyControl(ports, cluster, game, action) : undefined,
        // After the end the logs are gone: the detail view keeps the last ones seen.
        logs: () => Object.entries((lastLogs = keepLastLogs(lastLogs, engine.logs()))).map(([team, events]) => ({ team, events })),
      };
    },
    serveWeb: (addr) => serveWeb(ports, engine, subscribe, addr, categories),
  };
}

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
