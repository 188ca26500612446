/**
 * A participant's laptop clock can be minutes off, while the times in a team's log must be the
 * cluster's: the board, the debrief and the times to a right cause read them next to the
 * instructor's release and verdict times. One server timestamp (the API server truncates to
 * the second) read between two local readings gives the laptop's offset (pure).
 */

/** A laptop this close to the server is taken as right (the measure itself is ±0.5 s plus the call). */
export const CLOCK_TOLERANCE_MS = 2000;

/** The server's time minus the laptop's, in ms; 0 when unknown or within the tolerance. */
export function clockOffsetMs(serverIso: string | undefined, beforeMs: number, afterMs: number): number {
  const server = serverIso ? Date.parse(serverIso) : Number.NaN;
  if (!Number.isFinite(server) || afterMs < beforeMs) return 0;
  // Truncated to the second: the server's clock read somewhere in [server, server + 1000).
  const offset = server + 500 - (beforeMs + afterMs) / 2;
  return Math.abs(offset) <= CLOCK_TOLERANCE_MS + (afterMs - beforeMs) / 2 ? 0 : Math.round(offset);
}

/** The events with their `at` moved onto the server's clock. */
export function onServerTime<E extends { at: string }>(events: readonly E[], offsetMs: number): E[] {
  if (offsetMs === 0) return [...events];
  return events.map((event) => {
    const ms = Date.parse(event.at);
    return Number.isFinite(ms) ? { ...event, at: new Date(ms + offsetMs).toISOString() } : event;
  });
}
