/**
 * Which kubeconfig file could make this run a game-day team's, found without parsing it. Kept
 * apart from compose.ts (whose parser loads js-yaml, zod and the engine), so that `crashlab
 * list`, whose start-up is a target (`make bench`), pays for the parser only when a team file
 * is possible.
 */
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';

/** A single kubeconfig file named by $KUBECONFIG (a list of files is never a team's). */
export function kubeconfigFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.KUBECONFIG;
  return value && !value.includes(delimiter) ? value : undefined;
}

/** --kubeconfig, else $KUBECONFIG, unless --context names another cluster. */
export function teamKubeconfigFile(options: { kubeconfig?: string; context?: string }, env: NodeJS.ProcessEnv): string | undefined {
  return options.context === undefined ? (options.kubeconfig ?? kubeconfigFromEnv(env)) : undefined;
}

/**
 * The text of a kubeconfig that may be a team's, else undefined. A team file's current context
 * names its namespace crashlab-<game>-<team> (compose.ts teamScope), so a file without that
 * text is no team's and need not be parsed. An unreadable file is none either: kubectl reports
 * it on first use, in its words.
 */
export function teamKubeconfigText(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text.includes('crashlab-') ? text : undefined;
}
