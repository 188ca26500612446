import { asText, type ErrorWords, type Words } from '../core/text.js';

export type LabErrorKind =
  // the lab
  | 'not-deployed'
  | 'foreign-namespace'
  | 'no-pod'
  | 'unknown-scenario'
  | 'invalid-scenario'
  | 'catalog'
  | 'not-confirmed'
  | 'invalid-edit'
  | 'not-in-game'
  | 'game-over'
  // a team's lab playing a pack scenario in a room (its content comes from the board)
  | 'not-in-room'
  | 'board-silent'
  // the game day: a game that cannot be provisioned as asked, one that is not there, a bad
  // request about a game (a team it does not have, nothing left to play), a prove run refused
  | 'game-refused'
  | 'no-game'
  | 'game-request'
  | 'prove-refused'
  // the cluster (engine/cluster.ts): kind cannot run, kind could not create it, a node not Ready
  | 'kind-unavailable'
  | 'cluster-create-failed'
  | 'cluster-not-ready'
  // a verification stopped by its signal (engine/verify.ts turns it into an `unable` verdict)
  | 'interrupted';

/**
 * The engine's and the composition root's one error type, for the lab and the game day alike:
 * something the user can act on, in words, with a `kind` a client may tell apart. The CLI maps
 * it to exit code 2 (cli/errors.ts asCliError), the UI shows it with its hint. Adapters raise
 * the ports' one (ports/errors.ts PortError), core its own (core/errors.ts CoreError).
 */
export class LabError extends Error {
  /** The message and hint in every language (message/hint stay English for logs and --json). */
  readonly words: ErrorWords;
  readonly hint?: string;

  constructor(
    message: Words,
    readonly kind: LabErrorKind,
    hint?: Words,
    /** Reasons listed under the message (a game that cannot be provisioned). */
    readonly details: string[] = [],
  ) {
    super(asText(message).en);
    this.name = 'LabError';
    this.hint = hint === undefined ? undefined : asText(hint).en;
    this.words = { message: asText(message), hint: hint === undefined ? undefined : asText(hint) };
  }
}
