/**
 * How far this laptop's clock is from the cluster's, measured once with one call: a team's
 * events are written in the server's time (core/gameday/serverTime.ts says why).
 */
import { clockOffsetMs } from '../../core/gameday/serverTime.js';
import type { Clock } from '../../ports/clock.js';
import type { GameCluster } from '../../ports/gameCluster.js';

/** The server's time minus the laptop's (ms); 0 when the cluster cannot say (the events keep the laptop's time). */
export async function serverOffsetMs(cluster: Pick<GameCluster, 'serverTime'>, namespace: string, clock: Clock): Promise<number> {
  if (!cluster.serverTime) return 0;
  const before = clock.now();
  const iso = await cluster.serverTime(namespace).catch(() => undefined);
  return clockOffsetMs(iso, before, clock.now());
}
