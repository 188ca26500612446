/** What every subcommand is handed: the terminal, the replaceable parts, the global options. */
import type { AppOptions } from '../app/compose.js';
import type { GamedayOverrides } from '../app/gameday.js';
import type { Io } from './io.js';
import type { BoardSource } from '../core/gameday/board.js';

/** Replaceable side effects, so commands can be tested in-process without a cluster. */
export interface Deps extends GamedayOverrides {
  /** Opens the lab UI and resolves with its exit code (src/main.ts wires the Ink app in). */
  openLab?: (options: AppOptions) => Promise<number>;
  /** The board UI; it closes when `signal` aborts (SIGINT/SIGTERM to the pid, even before it drew). */
  openBoard?: (source: BoardSource, signal?: AbortSignal) => Promise<void>;
}

export interface CommandEnv {
  io: Io;
  deps: Deps;
  /** Global options, read when an action runs (after commander parsed them). */
  globals(): AppOptions;
  setExit(code: number): void;
  /**
   * Aborted on Ctrl-C (SIGINT) or SIGTERM: adapters stop their child processes with it, and a
   * command that can say something useful about an interruption (verify's verdict) reads it.
   */
  signal?: AbortSignal;
}
