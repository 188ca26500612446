/**
 * The game-day API's ports and the shapes its clients see (engine/gameday/api.ts assembles the
 * actions; app/gameday.ts fills the ports in).
 */
import type { Board, BoardSource, StuckRules } from '../../core/gameday/board.js';
import type { Offerable } from '../../core/gameday/offer.js';
import type { Scenario } from '../../core/scenario.js';
import type { CatalogContents } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import type { GameFiles } from '../../ports/gameday.js';
import type { Kube } from '../../ports/kube.js';
import type { WebBoardServer, WebBoardServerOptions } from '../../ports/webBoard.js';
import type { ScenarioBundle } from '../scenarioRuns.js';
import type { planGame } from './provision.js';

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
  /** The JSON line of a board (UTF-8, with its newline) when it differs from the last one printed (undefined: nothing to print yet). */
  changedLine(board: Board): Uint8Array | undefined;
  subscribe(listener: (board: Board) => void): () => void;
  /** The Ink board's source: the final standings stay after `gameday end`. */
  source(): BoardSource;
  serveWeb(addr: { host: string; port: number }): Promise<WebBoardServer>;
}
