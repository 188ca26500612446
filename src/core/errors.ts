/**
 * The core's one error type: input that breaks one of the core's rules (a game or team name, a
 * kubeconfig, the shape of a Kubernetes object, a manifest that cannot be deployed where asked),
 * in words, with a `kind` a caller tells apart. Core raises nothing else.
 */
import { asText, type ErrorWords, type Words } from './text.js';

export type CoreErrorKind =
  /** A game or team name, a team count, a participants file (core/gameday/names.ts). */
  | 'game-name'
  /** A team's kubeconfig crashlab cannot use (core/gameday/participant.ts). */
  | 'kubeconfig'
  /** A value without the shape crashlab reads (core/k8sSchema.ts). */
  | 'shape'
  /** Manifests that cannot go into the namespace asked for (core/manifest.ts). */
  | 'manifest';

/** `name` keeps the name each failure had before core shared one type, so logs read the same. */
const NAMES: Record<CoreErrorKind, string> = { 'game-name': 'GameNameError', kubeconfig: 'KubeconfigError', shape: 'ShapeError', manifest: 'ManifestError' };

export class CoreError extends Error {
  /** The message in every language (`message` stays English for --json and logs). */
  readonly words: ErrorWords;

  constructor(
    readonly kind: CoreErrorKind,
    message: Words,
  ) {
    super(asText(message).en);
    this.name = NAMES[kind];
    this.words = { message: asText(message) };
  }
}

/** `error` is a CoreError of `kind`. */
export function isCoreError(error: unknown, kind: CoreErrorKind): error is CoreError {
  return error instanceof CoreError && error.kind === kind;
}
