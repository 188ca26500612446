/**
 * The composition root's game-day half: the instructor's cluster port (kubectl with their
 * context), the local disk for kubeconfigs and handouts, and a team's read of its own
 * namespace for `join`. Clients never construct adapters themselves.
 */
import type { GameFiles, GamedayCluster } from '../ports/gameday.js';

export interface CallBounds {
  /** --request-timeout / CRASHLAB_REQUEST_TIMEOUT. */
  timeoutMs?: number;
  /** Ctrl-C or a signal to crashlab: running kubectl processes are stopped with their children. */
  signal?: AbortSignal;
  /** Told when a call has waited 2 s. */
  onSlow?: (info: { context: string; timeoutMs: number }) => void;
}

export async function gamedayCluster(options: { context: string; kubeconfig?: string; env: NodeJS.ProcessEnv } & CallBounds): Promise<GamedayCluster> {
  const { Kubectl } = await import('../adapters/kubectl.js');
  return new Kubectl({ context: options.context, kubeconfig: options.kubeconfig, env: options.env, timeoutMs: options.timeoutMs, signal: options.signal, onSlow: options.onSlow });
}

export async function gameFiles(): Promise<GameFiles> {
  return (await import('../adapters/gameFiles.js')).localGameFiles;
}
