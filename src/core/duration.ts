/**
 * The one duration syntax and the one set of bounds for every duration crashlab reads: flags
 * (`verify --window`, `--rollout-timeout`, `gameday create --duration/--overtime`, `board
 * --stuck-after`) and scenario files. Pure: no I/O.
 *
 * Hand-written rather than `ms` or `parse-duration`: the grammar is whole numbers of h, m and s
 * in that order (`90s`, `10m`, `1h30m`), and both libraries accept far more (decimals, years,
 * spaces, `ms` no compound `1h30m`), which a command line should refuse in words instead.
 */
import { excerpt } from './untrusted.js';

/** At least a second; at most a week (nothing crashlab waits for, no game, lasts longer). */
export const DURATION_BOUNDS = { minSeconds: 1, maxSeconds: 7 * 24 * 3600 } as const;

const FORMAT = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export type DurationResult = { ok: true; seconds: number } | { ok: false; error: string };

/**
 * `bareUnit`: what a number alone means (seconds by default; game lengths say minutes).
 * `zero`: a scenario file may say `0s` (no margin); a flag never means nothing.
 */
export function parseDurationText(text: string, options: { bareUnit?: 's' | 'm'; zero?: boolean } = {}): DurationResult {
  const trimmed = text.trim();
  const shown = `"${excerpt(text, 40)}"`;
  let seconds: number;
  if (/^\d+$/.test(trimmed)) seconds = Number(trimmed) * (options.bareUnit === 'm' ? 60 : 1);
  else {
    const m = FORMAT.exec(trimmed);
    if (!m || trimmed === '') return { ok: false, error: `${shown} is not a duration like 45s, 10m or 1h30m` };
    seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  }
  if (!Number.isSafeInteger(seconds) || seconds > DURATION_BOUNDS.maxSeconds) return { ok: false, error: `${shown} is longer than ${DURATION_BOUNDS.maxSeconds / 86400} days (the longest duration crashlab takes)` };
  if (seconds < DURATION_BOUNDS.minSeconds && !(options.zero && seconds === 0)) return { ok: false, error: `${shown} is shorter than ${DURATION_BOUNDS.minSeconds} s` };
  return { ok: true, seconds };
}
