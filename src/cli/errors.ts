import { asText, type ErrorWords, type Text, type Words } from '../core/text.js';
import { CoreError } from '../core/errors.js';
import { PortError, type KubeFailure } from '../ports/errors.js';
import { LabError, type LabErrorKind } from '../engine/errors.js';
import { words, type WordKey } from './words.js';

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

const CLUSTER_HINTS: Partial<Record<LabErrorKind, WordKey>> = {
  'kind-unavailable': 'hint.doctor',
  'cluster-create-failed': 'hint.createFailed',
  'cluster-not-ready': 'hint.notReady',
};

const KUBECTL_HINTS: Partial<Record<KubeFailure, WordKey>> = {
  // The message already says what to do for this context (`crashlab up` only for kind-crashlab).
  unreachable: 'hint.unreachable',
  'missing-tool': 'hint.missingTool',
  forbidden: 'hint.forbidden',
};

/**
 * The one place where an error of a layer below (engine, composition root, core, ports) becomes
 * a clear message with a next step, in both languages, and an exit code. Anything else passes.
 */
export function asCliError(error: unknown): unknown {
  if (error instanceof LabError) {
    const hint = CLUSTER_HINTS[error.kind];
    return new CliError(withDetails(error.words.message, error.details), EXIT.unable, error.words.hint ?? (hint && words(hint)));
  }
  if (error instanceof CoreError) return new CliError(error.words.message, EXIT.unable);
  if (error instanceof PortError) {
    // kubectl's own words (forbidden, invalid...) stay as kubectl printed them.
    const hint = error.port === 'kubectl' ? KUBECTL_HINTS[error.kind as KubeFailure] : undefined;
    return new CliError(error.words?.message ?? error.message, EXIT.unable, hint ? words(hint) : error.hint);
  }
  return error;
}

/** Reasons listed under the message (a game that cannot be provisioned), one a line. */
function withDetails(message: Text, details: string[]): Text {
  const list = details.map((d) => `\n  - ${d}`).join('');
  return { en: `${message.en}${list}`, ko: `${message.ko}${list}` };
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asCliError(error);
  }
}
