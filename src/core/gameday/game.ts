/**
 * The instructor side of a game: ConfigMap `crashlab-game` in namespace `crashlab-<G>-control`
 * (teams cannot read it), data key `game`, one JSON document. It holds the clock and the only
 * mapping from opaque instance ids to scenario ids. Pure: schema, clock and lookups.
 */
import { z } from 'zod';

export const GAME_CONFIGMAP = 'crashlab-game';
export const GAME_DATA_KEY = 'game';

/** Namespaces of a game: one per team plus the instructor's control namespace. */
export function teamNamespace(game: string, team: string): string {
  return `crashlab-${game}-${team}`;
}
export function controlNamespace(game: string): string {
  return `crashlab-${game}-control`;
}

export const instanceRecord = z.object({
  scenario: z.string().min(1),
  team: z.string().min(1),
  releasedAt: z.iso.datetime({ offset: true }),
  round: z.number().int().positive().optional(),
  via: z.enum(['round', 'inject']).default('round'),
  /**
   * When a later release removed its objects. The record stays (the board and the export still
   * score it); a removed instance is never deleted again, so a round costs deletes for the live
   * instances only, however many rounds came before.
   */
  removedAt: z.iso.datetime({ offset: true }).optional(),
});

export const gameMetaSchema = z.looseObject({
  name: z.string().min(1),
  teams: z.array(z.string().min(1)).default([]),
  scenarios: z.array(z.string().min(1)).default([]),
  durationSeconds: z.number().int().positive().default(3600),
  overtimeSeconds: z.number().int().nonnegative().default(600),
  mode: z.enum(['game', 'mystery']).default('game'),
  /** When the instructor declared the game would start (`create --starts-at`): tokens are sized from it. */
  plannedStart: z.iso.datetime({ offset: true }).optional(),
  /** When the team tokens handed out stop working (create, `gameday tokens`). */
  tokensEndAt: z.iso.datetime({ offset: true }).optional(),
  /** Set by the first `gameday start`: the game clock runs from here. */
  startedAt: z.iso.datetime({ offset: true }).optional(),
  /** `gameday pause`: the clock stands still from here until `gameday resume`. */
  pausedAt: z.iso.datetime({ offset: true }).optional(),
  /** `gameday reset --team`: each team environment put back to its instance's start (instructor-side log). */
  resets: z.array(z.object({ team: z.string().min(1), instance: z.string().min(1), at: z.iso.datetime({ offset: true }) })).optional(),
  /** `gameday freeze`: the standings are hidden from the room until `gameday reveal`. */
  frozen: z.boolean().optional(),
  /** Seconds the clock stood still in earlier pauses (added by `gameday resume`). */
  pausedSeconds: z.number().int().nonnegative().optional(),
  rounds: z.array(z.object({ round: z.number().int().positive(), scenario: z.string().min(1), at: z.iso.datetime({ offset: true }) })).default([]),
  /** Opaque instance id → what it really is. */
  instances: z.record(z.string(), instanceRecord).default({}),
});

export type GameMeta = z.infer<typeof gameMetaSchema>;
/** What an opaque instance id of a game really is (the instructor's side of the mapping). */
export type ReleasedInstance = z.infer<typeof instanceRecord>;

export type ParsedMeta = { ok: true; meta: GameMeta } | { ok: false; error: string };

export function parseGameMeta(text: string | undefined): ParsedMeta {
  if (text === undefined || text.trim() === '') return { ok: false, error: `ConfigMap ${GAME_CONFIGMAP} has no "${GAME_DATA_KEY}" data` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${GAME_CONFIGMAP}/${GAME_DATA_KEY} is not JSON: ${(error as Error).message}` };
  }
  const parsed = gameMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${GAME_CONFIGMAP}/${GAME_DATA_KEY}: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, meta: parsed.data };
}

export type ClockPhase = 'not-started' | 'running' | 'overtime' | 'over';

export interface GameClock {
  phase: ClockPhase;
  /** Seconds since the start (0 before it). */
  elapsedSeconds: number;
  /** Seconds left of the regular duration (negative in overtime). */
  remainingSeconds: number;
  /** Seconds left of overtime (only meaningful in overtime). */
  overtimeLeftSeconds: number;
  durationSeconds: number;
  overtimeSeconds: number;
  /** The instructor paused the clock (`gameday pause`): it stands still. */
  paused: boolean;
}

type ClockMeta = Pick<GameMeta, 'startedAt' | 'durationSeconds' | 'overtimeSeconds'> & Partial<Pick<GameMeta, 'pausedAt' | 'pausedSeconds'>>;

/** The game clock: regular time, then overtime (verdicts still count), then over. */
export function gameClock(meta: ClockMeta, nowMs: number): GameClock {
  const { durationSeconds, overtimeSeconds } = meta;
  const paused = meta.pausedAt !== undefined;
  if (!meta.startedAt) {
    return { phase: 'not-started', elapsedSeconds: 0, remainingSeconds: durationSeconds, overtimeLeftSeconds: overtimeSeconds, durationSeconds, overtimeSeconds, paused };
  }
  // Paused time does not count: the clock stops at the pause and resumes where it was.
  const until = meta.pausedAt ? Math.min(nowMs, Date.parse(meta.pausedAt)) : nowMs;
  const elapsedSeconds = Math.max(0, Math.floor((until - Date.parse(meta.startedAt)) / 1000) - (meta.pausedSeconds ?? 0));
  const remainingSeconds = durationSeconds - elapsedSeconds;
  const overtimeLeftSeconds = Math.max(0, durationSeconds + overtimeSeconds - elapsedSeconds);
  const phase: ClockPhase = remainingSeconds > 0 ? 'running' : overtimeLeftSeconds > 0 ? 'overtime' : 'over';
  return { phase, elapsedSeconds, remainingSeconds, overtimeLeftSeconds, durationSeconds, overtimeSeconds, paused };
}

/** `gameday pause`: false when already paused or not started (nothing to do). */
export function pauseClock(meta: GameMeta, nowMs: number): boolean {
  if (!meta.startedAt || meta.pausedAt) return false;
  meta.pausedAt = new Date(nowMs).toISOString();
  return true;
}

/** `gameday resume`: the paused span is added to the paused seconds; false when not paused. */
export function resumeClock(meta: GameMeta, nowMs: number): boolean {
  if (!meta.pausedAt) return false;
  meta.pausedSeconds = (meta.pausedSeconds ?? 0) + Math.max(0, Math.floor((nowMs - Date.parse(meta.pausedAt)) / 1000));
  delete meta.pausedAt;
  return true;
}

/** Where a moment falls on the game clock: a verified fix in overtime earns no time bonus. */
export function phaseAt(meta: ClockMeta, atMs: number): ClockPhase {
  return gameClock(meta, atMs).phase;
}

/** "12:05", "-3:10" (overtime), "1:02:03". */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${ss}` : `${sign}${m}:${ss}`;
}

/**
 * The scenario a round without `--scenario` releases: the first offered one no team has had yet
 * (no round used it and no team was injected with it), so nobody replays what it just fixed.
 * `catalog` stands in for the offer when the game offers every scenario.
 */
export function nextRoundScenario(meta: Pick<GameMeta, 'scenarios' | 'rounds' | 'instances'>, catalog: string[]): string | undefined {
  const played = new Set([...meta.rounds.map((r) => r.scenario), ...Object.values(meta.instances).map((i) => i.scenario)]);
  return (meta.scenarios.length > 0 ? meta.scenarios : catalog).find((s) => !played.has(s));
}
