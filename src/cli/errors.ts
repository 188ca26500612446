import { asText, type ErrorWords, type Words } from '../core/text.js';

/** Exit codes are part of the CLI contract (scripts and CI read them). */
export const EXIT = {
  ok: 0,
  /** A verdict that is "no": verify failed, a check did not pass. */
  failed: 1,
  /** Could not do it at all: bad input, missing tool, no cluster, not deployed. */
  unable: 2,
  interrupted: 130,
} as const;

/** An error the user can act on: printed as one clear message, never a stack trace. */
export class CliError extends Error {
  /** The message and hint in every language; message/hint stay English (--json, logs). */
  readonly words: ErrorWords;
  readonly hint?: string;

  constructor(
    message: Words,
    readonly exitCode: number = EXIT.unable,
    hint?: Words,
  ) {
    super(asText(message).en);
    this.name = 'CliError';
    this.hint = hint === undefined ? undefined : asText(hint).en;
    this.words = { message: asText(message), hint: hint === undefined ? undefined : asText(hint) };
  }
}
