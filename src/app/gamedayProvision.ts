/**
 * The composition root's game-day half: the instructor's cluster port (kubectl with their
 * context), the local disk for kubeconfigs and handouts, and a team's read of its own
 * namespace for `join`. Clients never construct adapters themselves.
 */
import type { GameFiles } from '../ports/gameday.js';
import type { GameCluster } from '../ports/gameCluster.js';

export interface CallBounds {
  /** --request-timeout / CRASHLAB_REQUEST_TIMEOUT. */
  timeoutMs?: number;
  /** Ctrl-C or a signal to crashlab: running kubectl processes are stopped with their children. */
  signal?: AbortSignal;
  /** Told when a call has waited 2 s. */
  onSlow?: (info: { context: string; timeoutMs: number }) => void;
}

export async function gamedayCluster(options: { context: string; kubeconfig?: string; env: NodeJS.ProcessEnv } & CallBounds): Promise<GameCluster> {
  const { GameClusterKubectl } = await import('../adapters/gameClusterKubectl.js');
  return new GameClusterKubectl({ context: options.context, kubeconfig: options.kubeconfig, env: options.env, timeoutMs: options.timeoutMs, signal: options.signal, onSlow: options.onSlow });
}

export async function gameFiles(): Promise<GameFiles> {
  return (await import('../adapters/gameFiles.js')).localGameFiles;
}
