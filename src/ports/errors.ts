/**
 * The ports' one error type: why a tool or a store behind a port failed, raised by the adapters
 * (and by the engine where it answers in a port's name, e.g. "pod not found"). `port` says which
 * port failed, `kind` what went wrong there; a caller tells failures apart by those two, never
 * by class. The CLI turns it into words and an exit code in one place (cli/errors.ts asCliError).
 */
import type { ErrorWords } from '../core/text.js';

/** What can go wrong, per port. */
export interface PortFailures {
  /** kubectl: conflict is a lost compare-and-swap (HTTP 409): read again, retry. */
  kubectl: 'not-found' | 'unreachable' | 'forbidden' | 'invalid' | 'conflict' | 'missing-tool' | 'other';
  /** kind: not-ready is a cluster that exists but whose node did not become Ready within --wait. */
  kind: 'missing-tool' | 'failed' | 'not-ready';
  /** The instructor's disk: a file or folder crashlab will not write (a planted symlink, a folder others can write). */
  files: 'refused';
  /** The scenario catalog's root cannot be read at all. */
  catalog: 'unreadable';
}
export type PortName = keyof PortFailures;
export type KubeFailure = PortFailures['kubectl'];

export interface PortErrorDetails {
  /** What the tool printed (kubectl's stderr, kind's output), for a caller that reads it again. */
  output?: string;
  /** crashlab's own sentence in every language; absent when the message is the tool's own words. */
  words?: ErrorWords;
  /** The next step, in English. */
  hint?: string;
}

/** `name` keeps the name each failure had before the ports shared one type, so logs read the same. */
const NAMES: Record<PortName, string> = { kubectl: 'KubeError', kind: 'KindError', files: 'GameFilesError', catalog: 'CatalogError' };

export class PortError<P extends PortName = PortName> extends Error {
  readonly output: string;
  readonly words?: ErrorWords;
  readonly hint?: string;

  constructor(
    readonly port: P,
    readonly kind: PortFailures[P],
    message: string,
    details: PortErrorDetails = {},
  ) {
    super(message);
    this.name = port === 'kubectl' && kind === 'conflict' ? 'ConflictError' : NAMES[port];
    this.output = details.output ?? '';
    this.words = details.words;
    this.hint = details.hint;
  }
}

/** A kubectl failure, as the Kube and GameCluster adapters raise it. */
export function kubeError(message: string, kind: KubeFailure, output = '', words?: ErrorWords): PortError<'kubectl'> {
  return new PortError('kubectl', kind, message, { output, words });
}

/** `error` is a failure of `port` (of one of `kinds`, when given). */
export function isPortError<P extends PortName>(error: unknown, port: P, ...kinds: PortFailures[P][]): error is PortError<P> {
  return error instanceof PortError && error.port === port && (kinds.length === 0 || kinds.includes(error.kind as PortFailures[P]));
}
