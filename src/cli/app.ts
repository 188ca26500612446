/**
 * Builds the adapters a command needs, applying the safety rules once, here, for every
 * command: the default context is kind-crashlab, anything else needs --yes or a confirmation
 * before crashlab changes it.
 */
import { createInterface } from 'node:readline/promises';
import { decideContext } from '../core/context.js';
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { CatalogError, formatProblem, loadCatalog, packageRoot, type Catalog, type CatalogEntry } from '../adapters/scenarios.js';
import type { Kube } from '../ports/kube.js';
import type { Kind } from '../ports/kind.js';
import type { ProgressStore } from '../ports/store.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { CliError, EXIT } from './errors.js';
import { eprintln } from './io.js';
import type { CommandEnv } from './main.js';

export async function openKube(env: CommandEnv, options: { mutating: boolean }): Promise<Kube> {
  const globals = env.globals();
  const decision = decideContext(globals.context, { mutating: options.mutating, yes: globals.yes });
  if (!decision.allowed) {
    const confirmed = await confirm(env, decision.question);
    if (!confirmed) {
      throw new CliError(`not touching context "${decision.context}" without confirmation`, EXIT.unable, 'Pass --yes to confirm, or omit --context to use the kind cluster crashlab.');
    }
  }
  if (env.deps.kube) return env.deps.kube(decision.context);
  // Loaded on demand: commands that never touch a cluster should not pay for execa.
  const { Kubectl } = await import('../adapters/kubectl.js');
  return new Kubectl({
    context: decision.context,
    env: env.io.env,
    timeoutMs: globals.requestTimeoutMs,
    signal: env.signal,
    onSlow: ({ context, timeoutMs }) =>
      eprintln(env.io, `crashlab: waiting for the cluster of context "${context}"… (giving up after ${timeoutMs / 1000} s; --request-timeout to change)`),
  });
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

export async function openKind(env: CommandEnv): Promise<Kind> {
  if (env.deps.kind) return env.deps.kind;
  const { KindCli } = await import('../adapters/kind.js');
  return new KindCli({ env: env.io.env });
}

export function openStore(env: CommandEnv): ProgressStore {
  return env.deps.store ?? new FileProgressStore(defaultProgressPath(env.io.env));
}

export function openClock(env: CommandEnv): Clock {
  return env.deps.clock ?? systemClock;
}

export function contentRoot(env: CommandEnv): string {
  return env.deps.contentRoot ?? packageRoot();
}

export async function openCatalog(env: CommandEnv): Promise<Catalog> {
  try {
    return await loadCatalog(contentRoot(env));
  } catch (error) {
    if (error instanceof CatalogError) throw new CliError(error.message, EXIT.unable);
    throw error;
  }
}

/** The scenario with its manifests, or a clear error listing the ids that exist. */
export async function findBundle(env: CommandEnv, id: string): Promise<CatalogEntry> {
  const catalog = await openCatalog(env);
  const bundle = catalog.bundles.find((b) => b.scenario.id === id);
  if (!bundle) {
    const broken = catalog.problems.filter((p) => p.scenario === id);
    if (broken.length) throw new CliError(`scenario "${id}" is invalid: ${broken.map(formatProblem).join('; ')}`, EXIT.unable, 'Run `crashlab validate` for details.');
    const ids = catalog.scenarios.map((s) => s.id).join(', ');
    throw new CliError(`no scenario "${id}"`, EXIT.unable, `Known scenarios: ${ids}. See \`crashlab list\`.`);
  }
  return bundle;
}
