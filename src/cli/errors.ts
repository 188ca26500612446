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
  constructor(
    message: string,
    readonly exitCode: number = EXIT.unable,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
