import { describe, expect, it } from 'vitest';
import { rankTeams, scoreInstance, SCORING_RULES, type InstanceScore } from '../../../../src/core/gameday/scoring.js';
import { gameClock, formatClock, parseGameMeta } from '../../../../src/core/gameday/game.js';
import { meta, teamLog, T0 } from '../../../fakes/gameday.js';

const released: [number, string, Record<string, unknown>] = [0, 'released', { instance: 'i-aaaaaa', round: 1 }];
const pass = (s: number): [number, string, Record<string, unknown>] => [s, 'verify-verdict', { pass: true, by: 'instructor', result: 'pass', reasons: [] }];
const fail = (s: number): [number, string, Record<string, unknown>] => [s, 'verify-verdict', { pass: false, by: 'instructor', result: 'fail', reasons: ['restarted'] }];
const score = (entries: [number, string, Record<string, unknown>?][], category = 'oom-killed') =>
  scoreInstance(teamLog(entries).instances[0], { meta: meta(), scenario: 'oom', category });

describe('scoreInstance', () => {
  it('nothing scores without an instructor pass, whatever the team wrote', () => {
    const s = score([released, [60, 'diagnosis', { category: 'oom-killed', correct: true }], [100, 'verify-verdict', { pass: true, by: 'participant', reasons: [] }]]);
    expect(s.verified).toBe(false);
    expect(s.score).toBe(0);
    expect(s.diagnosis).toBe('right');
    expect(s.secondsToRightDiagnosis).toBe(60);
  });

  it('a fast clean fix: 100 + first-try bonus + time bonus', () => {
    const s = score([released, [30, 'started'], [90, 'diagnosis', { category: 'oom-killed', correct: true }], [180, 'verify-requested'], pass(225)]);
    // time bonus: 50 × (1 − 225/900) = 37.5 → 38
    expect(s.score).toBe(100 + 10 + 38);
    expect(s.secondsToVerifiedFix).toBe(225);
    expect(s.breakdown).toEqual(['verified fix +100', 'right cause first try +10', 'time +38']);
  });

  it('hints, wrong diagnoses and failed verifies cost; the team\'s own `correct: true` does not fool the board', () => {
    const s = score([
      released,
      [10, 'hint'],
      [20, 'hint'],
      [60, 'diagnosis', { category: 'liveness-misfire', correct: true }],
      [120, 'diagnosis', { category: 'oom-killed', correct: true }],
      fail(300),
      fail(400),
      pass(900),
    ]);
    expect(s.diagnosis).toBe('right');
    expect(s.wrongDiagnoses).toBe(1);
    expect(s.failedVerifies).toBe(2);
    expect(s.score).toBe(100 - 20 - 5 - 10);
  });

  it('an "unable" verdict is not a failed verify', () => {
    const s = score([released, [100, 'verify-verdict', { pass: false, by: 'instructor', result: 'unable', reasons: ['not deployed'] }], pass(900)]);
    expect(s.failedVerifies).toBe(0);
    expect(s.score).toBe(100);
  });

  it('the reference solution scores a flat consolation', () => {
    const s = score([released, [5, 'hint'], [100, 'fix-applied', { how: 'solve' }], pass(150)]);
    expect(s.usedSolution).toBe(true);
    expect(s.score).toBe(SCORING_RULES.withSolution);
  });

  it('a verified own fix never scores below the floor', () => {
    const hints: [number, string][] = Array.from({ length: 12 }, (_, i) => [i + 1, 'hint']);
    expect(score([released, ...hints, pass(2000)]).score).toBe(SCORING_RULES.floor);
  });

  it('overtime: no time bonus; after overtime nothing scores', () => {
    const inOvertime = score([released, [3500, 'diagnosis', { category: 'x', correct: false }], pass(3700)]);
    expect(inOvertime.overtime).toBe(true);
    expect(inOvertime.score).toBe(100 - 5);
    const late = score([released, pass(4300)]);
    expect(late.verified).toBe(false);
    expect(late.score).toBe(0);
  });

  it('without the scenario mapping, diagnoses stay unjudged (no bonus, no penalty)', () => {
    const state = teamLog([released, [60, 'diagnosis', { category: 'oom-killed', correct: true }], pass(900)]).instances[0];
    const s = scoreInstance(state, {});
    expect(s.diagnosis).toBe('unjudged');
    expect(s.score).toBe(100);
  });
});

describe('rankTeams', () => {
  const s = (score: number, verified: boolean, secs?: number) => ({ score, verified, secondsToVerifiedFix: secs }) as InstanceScore;
  it('orders by score, then verified fixes, then time; equals share a rank', () => {
    const ranks = rankTeams([
      { team: 'team-1', scores: [s(120, true, 300)] },
      { team: 'team-2', scores: [s(120, true, 200)] },
      { team: 'team-3', scores: [s(150, true, 500)] },
      { team: 'team-4', scores: [s(120, true, 200)] },
      { team: 'team-5', scores: [] },
    ]);
    expect(ranks.map((r) => [r.team, r.rank])).toEqual([
      ['team-3', 1],
      ['team-2', 2],
      ['team-4', 2],
      ['team-1', 4],
      ['team-5', 5],
    ]);
  });
});

describe('game clock and metadata', () => {
  it('runs, goes into overtime, then ends', () => {
    const m = meta();
    expect(gameClock(m, T0 + 60_000)).toMatchObject({ phase: 'running', elapsedSeconds: 60, remainingSeconds: 3540 });
    expect(gameClock(m, T0 + 3_700_000)).toMatchObject({ phase: 'overtime', remainingSeconds: -100, overtimeLeftSeconds: 500 });
    expect(gameClock(m, T0 + 4_300_000).phase).toBe('over');
    expect(gameClock({ ...m, startedAt: undefined }, T0).phase).toBe('not-started');
    expect(formatClock(3540)).toBe('59:00');
    expect(formatClock(-100)).toBe('-1:40');
    expect(formatClock(3723)).toBe('1:02:03');
  });

  it('parses the crashlab-game document and says what is wrong with a bad one', () => {
    expect(parseGameMeta(JSON.stringify({ name: 'g1' }))).toMatchObject({ ok: true, meta: { durationSeconds: 3600, instances: {} } });
    expect(parseGameMeta('{')).toMatchObject({ ok: false });
    expect(parseGameMeta(JSON.stringify({ name: 'g1', durationSeconds: -5 }))).toMatchObject({ ok: false, error: expect.stringContaining('durationSeconds') });
    expect(parseGameMeta(undefined)).toMatchObject({ ok: false });
  });
});

describe('nextRoundScenario (issue 16)', () => {
  it('never picks a scenario every team was just injected with, nor one a round used', async () => {
    const { nextRoundScenario } = await import('../../../../src/core/gameday/game.js');
    const at = '2026-12-06T10:00:00Z';
    const meta = {
      scenarios: ['oom', 'bad-command', 'probe-path'],
      rounds: [{ round: 1, scenario: 'oom', at }],
      instances: { 'i-aaaaaa': { scenario: 'bad-command', team: 'team-1', releasedAt: at, via: 'inject' as const } },
    };
    expect(nextRoundScenario(meta, [])).toBe('probe-path');
    expect(nextRoundScenario({ ...meta, scenarios: [] }, ['oom', 'bad-command', 'tight-liveness'])).toBe('tight-liveness');
    expect(nextRoundScenario({ ...meta, scenarios: ['oom', 'bad-command'] }, [])).toBeUndefined();
  });
});
