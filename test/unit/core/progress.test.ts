import { describe, expect, it } from 'vitest';
import { attemptUnfinished, recordHelp, recordPass, recordStart, recordVerdict } from '../../../src/core/progress.js';
import type { Progress } from '../../../src/ports/store.js';

const T = Date.parse('2026-11-24T10:00:00Z');
const empty = (): Progress => ({ version: 1, scenarios: {} });

describe('progress rules', () => {
  it('an attempt is unfinished from its start until a pass; a failed verdict does not finish it', () => {
    const p = empty();
    expect(attemptUnfinished(p.scenarios.oom)).toBe(false);
    recordStart(p, 'oom', T);
    expect(attemptUnfinished(p.scenarios.oom)).toBe(true);
    recordVerdict(p, 'oom', 'fail', { nowMs: T + 10_000 });
    expect(attemptUnfinished(p.scenarios.oom)).toBe(true);
    recordPass(p, 'oom', { nowMs: T + 60_000 });
    expect(attemptUnfinished(p.scenarios.oom)).toBe(false);
    recordStart(p, 'oom', T + 120_000);
    expect(attemptUnfinished(p.scenarios.oom)).toBe(true);
  });

  it('a pass without help completes the scenario with the attempt time as best time', () => {
    const p = empty();
    recordStart(p, 'oom', T);
    recordPass(p, 'oom', { nowMs: T + 95_000 });
    expect(p.scenarios.oom).toMatchObject({ completed: true, solvedWithHelp: false, attempts: 1, bestSeconds: 95 });
  });

  it('a pass with the reference solution completes it as solved-with-help and sets no best time', () => {
    const p = empty();
    recordStart(p, 'oom', T);
    recordHelp(p, 'oom');
    recordPass(p, 'oom', { nowMs: T + 20_000 });
    expect(p.scenarios.oom).toMatchObject({ completed: true, solvedWithHelp: true });
    expect(p.scenarios.oom.bestSeconds).toBeUndefined();
  });

  it('help in an earlier attempt does not taint a later own solve, and an own solve is never downgraded', () => {
    const p = empty();
    recordStart(p, 'oom', T);
    recordHelp(p, 'oom');
    recordPass(p, 'oom', { nowMs: T + 20_000 });
    recordStart(p, 'oom', T + 60_000);
    recordPass(p, 'oom', { nowMs: T + 60_000 + 130_000, hintsUsed: 2 });
    expect(p.scenarios.oom).toMatchObject({ completed: true, solvedWithHelp: false, attempts: 2, bestSeconds: 130, hintsUsed: 2 });
    recordStart(p, 'oom', T + 400_000);
    recordHelp(p, 'oom');
    recordPass(p, 'oom', { nowMs: T + 410_000 });
    expect(p.scenarios.oom).toMatchObject({ solvedWithHelp: false, bestSeconds: 130 });
  });

  it('keeps the best of several times, and uses an explicit lab time when given', () => {
    const p = empty();
    recordStart(p, 'oom', T);
    recordPass(p, 'oom', { nowMs: T + 300_000, seconds: 200 });
    recordStart(p, 'oom', T + 400_000);
    recordPass(p, 'oom', { nowMs: T + 700_000 });
    expect(p.scenarios.oom.bestSeconds).toBe(200);
  });
});
