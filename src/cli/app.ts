/**
 * How a subcommand reaches the lab: the composition root builds the API from the global
 * options; this file adds what only a command line has (a y/N prompt on a TTY) and turns the
 * API's errors into one clear message with a next step and an exit code.
 */
import { createInterface } from 'node:readline/promises';
import { composeLab, type LabApi } from '../app/compose.js';
import { ClusterError } from '../engine/cluster.js';
import { LabError } from '../engine/scenarioRuns.js';
import { KubeError } from '../ports/kube.js';
import { GameNameError } from '../core/gameday/names.js';
import { GameFilesError } from '../ports/gameday.js';
import { CatalogError } from '../app/compose.js';
import { CliError, EXIT } from './errors.js';
import { eprintln } from './io.js';
import { say, words, type WordKey } from './words.js';
import { pick, type Text } from '../core/text.js';
import type { CommandEnv } from './env.js';

const labs = new WeakMap<CommandEnv, LabApi>();
const toldSlow = new WeakSet<CommandEnv>();

/**
 * The "waiting for the cluster" line, said once per command line however many adapters (the
 * lab's, the game's, a team log's) have a call waiting.
 */
export function slowClusterNotice(env: CommandEnv): (info: { context: string; timeoutMs: number }) => void {
  return ({ context, timeoutMs }) => {
    if (toldSlow.has(env)) return;
    toldSlow.add(env);
    eprintln(env.io, `crashlab: ${say(env.globals().lang, 'slowCluster', { context, s: timeoutMs / 1000 })}`);
  };
}

/** The lab API for this command line (one per run, so a confirmation is asked once). */
/** The lab inside a team namespace, from a team kubeconfig (what `join` opens). */
export function openTeamLab(env: CommandEnv, kubeconfig: string): LabApi {
  const { lang } = env.globals();
  return composeLab(
    { ...env.globals(), context: undefined, kubeconfig },
    { env: env.io.env, signal: env.signal, onSlowCluster: slowClusterNotice(env), onWarning: (warning) => eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${warning}`), ...env.deps },
  );
}

export function openLab(env: CommandEnv): LabApi {
  let lab = labs.get(env);
  if (!lab) {
    const { lang } = env.globals();
    lab = composeLab(env.globals(), {
      env: env.io.env,
      signal: env.signal,
      onWarning: (warning) => eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${warning}`),
      onSlowCluster: slowClusterNotice(env),
      ...env.deps,
      confirm: (question, words) => confirm(env, question, words),
    });
    labs.set(env, lab);
  }
  return lab;
}

async function confirm(env: CommandEnv, question: string, words?: Text): Promise<boolean> {
  if (env.deps.confirm) return env.deps.confirm(question, words);
  if (words) question = pick(words, env.globals().lang);
  if (!env.io.stdin.isTTY) return false;
  const rl = createInterface({ input: env.io.stdin, output: env.io.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const CLUSTER_HINTS: Record<ClusterError['kind'], WordKey> = {
  'kind-unavailable': 'hint.doctor',
  'create-failed': 'hint.createFailed',
  'not-ready': 'hint.notReady',
};

/** Engine, composition-root and adapter errors become one clear message with a next step, in both languages. */
export function asCliError(error: unknown): unknown {
  // Reasons listed under the message (a game that cannot be provisioned), one a line.
  if (error instanceof LabError) return new CliError(withDetails(error.words.message, error.details), EXIT.unable, error.words.hint);
  if (error instanceof GameNameError || error instanceof CatalogError) return new CliError(error.message, EXIT.unable);
  if (error instanceof GameFilesError) return new CliError(error.message, EXIT.unable, error.hint);
  // kubectl's own words (forbidden, invalid...) stay as kubectl printed them.
  if (error instanceof KubeError) return new CliError(error.words?.message ?? error.message, EXIT.unable, kubeHint(error));
  if (error instanceof ClusterError) return new CliError(error.words.message, EXIT.unable, words(CLUSTER_HINTS[error.kind]));
  return error;
}

function withDetails(message: Text, details: string[]): Text {
  const list = details.map((d) => `\n  - ${d}`).join('');
  return { en: `${message.en}${list}`, ko: `${message.ko}${list}` };
}

function kubeHint(error: KubeError): Text | undefined {
  switch (error.kind) {
    case 'unreachable':
      // The message already says what to do for this context (`crashlab up` only for kind-crashlab).
      return words('hint.unreachable');
    case 'missing-tool':
      return words('hint.missingTool');
    case 'forbidden':
      return words('hint.forbidden');
    default:
      return undefined;
  }
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asCliError(error);
  }
}
