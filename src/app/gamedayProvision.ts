/**
 * The composition root's game-day half: the instructor's cluster port (kubectl with their
 * context), the local disk for kubeconfigs and handouts, and a team's read of its own
 * namespace for `join`. Clients never construct adapters themselves.
 */
import type { GameFiles, GamedayCluster } from '../ports/gameday.js';

export async function gamedayCluster(options: { context: string; kubeconfig?: string; env: NodeJS.ProcessEnv }): Promise<GamedayCluster> {
  const { Kubectl } = await import('../adapters/kubectl.js');
  return new Kubectl({ context: options.context, kubeconfig: options.kubeconfig, env: options.env });
}

export async function gameFiles(): Promise<GameFiles> {
  return (await import('../adapters/gameFiles.js')).localGameFiles;
}
