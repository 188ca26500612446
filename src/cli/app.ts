/**
 * How a subcommand reaches the lab: the composition root builds the API from the global
 * options; this file adds what only a command line has (a y/N prompt on a TTY). Its errors become
 * words and an exit code in cli/errors.ts (asCliError).
 */
import { createInterface } from 'node:readline/promises';
import type { LabContext } from '../engine/lab/context.js';
import { composeLabContext, labFamilies, type LabFamilies, type LabFamily } from '../app/compose.js';
import { eprintln } from './io.js';
import { say } from './words.js';
import { pick, type Text } from '../core/text.js';
import type { CommandEnv } from './env.js';

const labs = new WeakMap<CommandEnv, LabContext>();
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

/** The lab inside a team namespace, from a team kubeconfig (what `join` opens): the families it calls. */
export function openTeamLab<F extends LabFamily>(env: CommandEnv, kubeconfig: string, family: F, ...more: F[]): LabFamilies<F> {
  const { lang } = env.globals();
  const lab = composeLabContext(
    { ...env.globals(), context: undefined, kubeconfig },
    { env: env.io.env, signal: env.signal, onSlowCluster: slowClusterNotice(env), onWarning: (warning) => eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${warning}`), ...env.deps },
  );
  return labFamilies(lab, [family, ...more]);
}

/**
 * The lab's action families a command calls, for this command line: a command builds only
 * those, all over one lab context per run (so a confirmation is asked once).
 */
export function openLab<F extends LabFamily>(env: CommandEnv, family: F, ...more: F[]): LabFamilies<F> {
  let lab = labs.get(env);
  if (!lab) {
    const { lang } = env.globals();
    lab = composeLabContext(env.globals(), {
      env: env.io.env,
      signal: env.signal,
      onWarning: (warning) => eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${warning}`),
      onSlowCluster: slowClusterNotice(env),
      ...env.deps,
      confirm: (question, words) => confirm(env, question, words),
    });
    labs.set(env, lab);
  }
  return labFamilies(lab, [family, ...more]);
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

