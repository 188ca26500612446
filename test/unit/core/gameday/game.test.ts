import { describe, expect, it } from 'vitest';
import { gameClock, pauseClock, resumeClock } from '../../../../src/core/gameday/game.js';
import { meta, T0 } from '../../../fakes/gameday.js';

describe('pausing the game clock', () => {
  it('stands still from the pause and resumes where it was', () => {
    const m = meta();
    expect(pauseClock(m, T0 + 600_000)).toBe(true);
    expect(pauseClock(m, T0 + 700_000)).toBe(false);
    expect(gameClock(m, T0 + 900_000)).toMatchObject({ phase: 'running', elapsedSeconds: 600, remainingSeconds: 3000, paused: true });
    expect(resumeClock(m, T0 + 900_000)).toBe(true);
    expect(resumeClock(m, T0 + 900_000)).toBe(false);
    expect(m.pausedSeconds).toBe(300);
    expect(gameClock(m, T0 + 960_000)).toMatchObject({ elapsedSeconds: 660, remainingSeconds: 2940, paused: false });
    // The end moves by the paused time: over at 3600 + 600 + 300 s, not before.
    expect(gameClock(m, T0 + 4_450_000).phase).toBe('overtime');
    expect(gameClock(m, T0 + 4_510_000).phase).toBe('over');
  });

  it('does nothing before the game starts', () => {
    expect(pauseClock(meta({ startedAt: undefined }), T0)).toBe(false);
  });
});
