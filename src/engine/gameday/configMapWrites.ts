/**
 * The one compare-and-swap loop of a game day, over the ConfigMapStore port: read, change,
 * replace with the read resourceVersion, and on a conflict (PortError) read again. Two writes go
 * through it: a team's event log (the board, the instructor's rounds and the team's labs append
 * concurrently) and the game's metadata (two instructors, or a board and a command, at once).
 */
import { appendEvents, GAME_LABEL, PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, TEAM_LABEL, type GameEvent } from '../../core/gameday/events.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/k8s.js';
import { isPortError } from '../../ports/errors.js';
import type { ConfigMap, ConfigMapStore, GameCluster } from '../../ports/gameCluster.js';
import { evenChunks, mapLimit } from '../../core/limit.js';

/**
 * A lost race is tried again after a random pause that grows (jitter, so writers that collided
 * do not collide again), 16 times at most. One limit for both writes: 16 is what 20 notes at
 * once from one team need to all land (test/unit/engine/gameday/appendRetry.test.ts); the metadata
 * loop had 6 tries without a pause, which two boards answering verifies at once can exhaust.
 * A write that wins at once pays nothing for the higher bound.
 */
export const MAX_WRITE_ATTEMPTS = 16;
const backoffMs = (attempt: number) => Math.random() * 40 * 2 ** Math.min(attempt, 5);
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes `change(current)` with compare-and-swap; `change` returns undefined to write nothing
 * (and updateConfigMap then resolves undefined). `change` may run more than once.
 */
export async function updateConfigMap(store: ConfigMapStore, namespace: string, name: string, change: (current: ConfigMap | undefined) => ConfigMap | undefined): Promise<ConfigMap | undefined> {
  for (let attempt = 1; ; attempt++) {
    const next = change(await store.getConfigMap(namespace, name));
    if (!next) return undefined;
    try {
      return await store.writeConfigMap(next);
    } catch (error) {
      if (!isPortError(error, 'kubectl', 'conflict') || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      await pause(backoffMs(attempt));
    }
  }
}

/** The team log with `events` appended to its text. */
const withEvents = (log: ConfigMap, events: GameEvent[]): ConfigMap => ({ ...log, data: { ...log.data, [PROGRESS_EVENTS_KEY]: appendEvents(log.data?.[PROGRESS_EVENTS_KEY], events) } });

/**
 * Appends events to a team's log (created when missing, with the game's labels); false when
 * `skipIf` says the log already holds what would be appended (a verdict already given).
 */
export async function appendToTeamLog(store: ConfigMapStore, namespace: string, game: string, team: string, events: GameEvent[], skipIf?: (text: string | undefined) => boolean): Promise<boolean> {
  let skipped = false;
  await updateConfigMap(store, namespace, PROGRESS_CONFIGMAP, (current) => {
    skipped = Boolean(skipIf?.(current?.data?.[PROGRESS_EVENTS_KEY]));
    if (skipped) return undefined;
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [GAME_LABEL]: game, [TEAM_LABEL]: team };
    return withEvents(current ?? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: PROGRESS_CONFIGMAP, namespace, labels } }, events);
  });
  return !skipped;
}

/** At most this many logs in one kubectl replace (it writes them one after another). */
const LOGS_PER_CALL = 25;

/**
 * Appends events to many teams' logs in a few kubectl calls instead of two per team (a round
 * for 100 teams: 4 processes, not 200, which on a laptop also hold back the controller-manager
 * creating the round's pods): every log read in one list, then replaced a share per call, each
 * with the resourceVersion it was read at (a compare-and-swap per log, as appendToTeamLog's). A
 * log that moved meanwhile, or is missing, gets appendToTeamLog's retries on its own. Replace,
 * not a server-side apply: crashlab's apply manager would then own the events, and the next
 * `gameday create` (a late team), which applies the logs without them, would remove them.
 */
export async function appendToTeamLogs(
  cluster: GameCluster,
  game: string,
  appends: { namespace: string; team: string; events: GameEvent[]; skipIf?: (text: string | undefined) => boolean }[],
  concurrency: number,
): Promise<void> {
  const logs = new Map((await cluster.listConfigMaps(`${GAME_LABEL}=${game}`)).filter((cm) => cm.metadata.name === PROGRESS_CONFIGMAP).map((cm) => [cm.metadata.namespace ?? '', cm]));
  const batched: { append: (typeof appends)[number]; log: ConfigMap }[] = [];
  const alone: (typeof appends)[number][] = [];
  for (const append of appends) {
    const log = logs.get(append.namespace);
    if (log?.metadata.resourceVersion) batched.push({ append, log });
    else alone.push(append);
  }
  const written = new Set<string>();
  // As few calls as hold them (each kubectl start costs more than its writes; measured: a
  // 100-team round's pods spread 4.2-4.8 s with 4 calls, 4.8-5.1 s with 8), run at once.
  await mapLimit(evenChunks(batched, Math.ceil(batched.length / LOGS_PER_CALL) || 1), concurrency, async (some) => {
    const changed: ConfigMap[] = [];
    for (const { append, log } of some) {
      const text = log.data?.[PROGRESS_EVENTS_KEY];
      if (append.skipIf?.(text)) written.add(append.namespace);
      else changed.push(withEvents(log, append.events));
    }
    for (const cm of await cluster.replaceConfigMaps(changed)) written.add(cm.metadata.namespace ?? '');
  });
  alone.push(...batched.filter(({ append }) => !written.has(append.namespace)).map(({ append }) => append));
  await mapLimit(alone, concurrency, (a) => appendToTeamLog(cluster, a.namespace, game, a.team, a.events, a.skipIf));
}
