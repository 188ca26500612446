/**
 * Issue 21, item 22: one duration parser and one set of bounds for verify --window,
 * --rollout-timeout, board --stuck-after and the game-day durations (core/duration.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseDurationText } from '../../../src/core/duration.js';
import { parseSeconds } from '../../../src/cli/commands/verify.js';
import { parseGameDuration } from '../../../src/core/gameday/names.js';

describe('one duration parser', () => {
  it('accepts s, m and h, alone or together, for verify and game days alike', () => {
    expect(parseSeconds('1h', '--window')).toBe(3600);
    expect(parseSeconds('45', '--window')).toBe(45);
    expect(parseSeconds('1m30s', '--window')).toBe(90);
    expect(parseGameDuration('1h30m')).toBe(5400);
    expect(parseGameDuration('45')).toBe(45 * 60);
    expect(parseGameDuration('0', 'overtime')).toBe(0);
  });

  it('rejects absurd values in words, the same bound everywhere', () => {
    expect(() => parseSeconds('9999999999999999999s', '--window')).toThrow('--window "9999999999999999999s" is longer than 7 days (the longest duration crashlab takes)');
    expect(() => parseSeconds('99999h', '--window')).toThrow('is longer than 7 days');
    expect(() => parseGameDuration('99999h')).toThrow('--duration "99999h" is longer than 7 days');
    expect(() => parseSeconds('1.5h', '--window')).toThrow('--window "1.5h" is not a duration like 45s, 10m or 1h30m');
    expect(() => parseGameDuration('0')).toThrow('--duration "0" is shorter than 1 s');
    expect(parseDurationText(`${'9'.repeat(5000)}s`)).toEqual({ ok: false, error: expect.stringMatching(/^"9{40}… \(5001 characters\)" is longer than 7 days/) });
  });
});
