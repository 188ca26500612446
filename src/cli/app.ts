/**
 * How a subcommand reaches the lab: the composition root builds the API from the global
 * options; this file adds what only a command line has (a y/N prompt on a TTY) and turns the
 * API's errors into one clear message with a next step and an exit code.
 */
import { createInterface } from 'node:readline/promises';
import { composeLab, type LabApi } from '../app/compose.js';
import { ClusterError } from '../engine/cluster.js';
import { LabError } from '../engine/lab.js';
import { KubeError } from '../ports/kube.js';
import { CliError, EXIT } from './errors.js';
import { eprintln } from './io.js';
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
    eprintln(env.io, `crashlab: waiting for the cluster of context "${context}"… (giving up after ${timeoutMs / 1000} s; --request-timeout to change)`);
  };
}

/** The lab API for this command line (one per run, so a confirmation is asked once). */
/** The lab inside a team namespace, from a team kubeconfig (what `join` opens). */
export function openTeamLab(env: CommandEnv, kubeconfig: string): LabApi {
  return composeLab(
    { ...env.globals(), context: undefined, kubeconfig },
    { env: env.io.env, signal: env.signal, onSlowCluster: slowClusterNotice(env), onWarning: (warning) => eprintln(env.io, `crashlab: warning: ${warning}`), ...env.deps },
  );
}

export function openLab(env: CommandEnv): LabApi {
  let lab = labs.get(env);
  if (!lab) {
    lab = composeLab(env.globals(), {
      env: env.io.env,
      signal: env.signal,
      onWarning: (warning) => eprintln(env.io, `crashlab: warning: ${warning}`),
      onSlowCluster: slowClusterNotice(env),
      ...env.deps,
      confirm: (question) => confirm(env, question),
    });
    labs.set(env, lab);
  }
  return lab;
}

async function confirm(env: CommandEnv, question: string): Promise<boolean> {
  if (env.deps.confirm) return env.deps.confirm(question);
  if (!env.io.stdin.isTTY) return false;
  const rl = createInterface({ input: env.io.stdin, output: env.io.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const CLUSTER_HINTS: Record<ClusterError['kind'], string> = {
  'kind-unavailable': 'Run `crashlab doctor` to see what is missing and how to install it.',
  'create-failed': 'Run `crashlab doctor`; `crashlab down` removes a half-created cluster.',
  'not-ready': 'Check `kubectl get nodes` and `crashlab doctor`.',
};

/** Engine and cluster errors become one clear message with a next step. */
export function asCliError(error: unknown): unknown {
  if (error instanceof LabError) return new CliError(error.message, EXIT.unable, error.hint);
  if (error instanceof KubeError) return new CliError(error.message, EXIT.unable, kubeHint(error));
  if (error instanceof ClusterError) return new CliError(error.message, EXIT.unable, CLUSTER_HINTS[error.kind]);
  return error;
}

function kubeHint(error: KubeError): string | undefined {
  switch (error.kind) {
    case 'unreachable':
      // The message already says what to do for this context (`crashlab up` only for kind-crashlab).
      return '`crashlab doctor` checks kubectl, the context and the cluster.';
    case 'missing-tool':
      return 'Run `crashlab doctor` for install instructions.';
    case 'forbidden':
      return 'Your kubeconfig user may not do this in that namespace.';
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
