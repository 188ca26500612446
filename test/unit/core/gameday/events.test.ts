import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appendEvents,
  currentInstance,
  foldTeamLog,
  formatEvent,
  GAME_EVENT_TYPES,
  parseEventLog,
  pendingVerifyRequests,
  type FoldOptions,
  type GameEvent,
  type VerifyVerdictEvent,
} from '../../../../src/core/gameday/events.js';
import { SCORING_RULES, scoreInstance } from '../../../../src/core/gameday/scoring.js';

const configMap = JSON.parse(readFileSync(new URL('../../../fixtures/gameday/progress-configmap.json', import.meta.url), 'utf8'));
const text: string = configMap.data.events;

describe('parseEventLog', () => {
  it('reads every valid line and reports the malformed ones with their line numbers', () => {
    const { events, bad } = parseEventLog(text);
    expect(events).toHaveLength(12);
    expect(bad.map((b) => b.line)).toEqual([5, 14]);
    expect(bad[0].error).toMatch(/^not JSON/);
    expect(bad[1].error).toMatch(/type/);
  });

  it('rejects events missing their type-specific fields', () => {
    const { bad } = parseEventLog(
      [
        '{"at":"2026-11-30T10:00:00Z","type":"diagnosis","category":"oom-killed"}',
        '{"at":"2026-11-30T10:00:00Z","type":"verify-verdict","pass":true,"by":"team","reasons":[]}',
        '{"at":"yesterday","type":"started"}',
        '{"at":"2026-11-30T10:00:00Z","type":"released"}',
        '[1,2]',
      ].join('\n'),
    );
    expect(bad.map((b) => b.line)).toEqual([1, 2, 3, 4, 5]);
    expect(bad[0].error).toContain('correct');
    expect(bad[1].error).toContain('by');
    expect(bad[2].error).toContain('at');
    expect(bad[3].error).toContain('instance');
  });

  it('treats an absent or empty log as no events, and skips blank lines', () => {
    expect(parseEventLog(undefined)).toEqual({ events: [], bad: [], lines: [] });
    expect(parseEventLog('\n\n{"at":"2026-11-30T10:00:00+09:00","type":"started"}\n\n').events).toHaveLength(1);
  });

  it('knows the eight event types of the contract', () => {
    expect(GAME_EVENT_TYPES.sort()).toEqual(['diagnosis', 'fix-applied', 'hint', 'note', 'released', 'started', 'step', 'verify-requested', 'verify-verdict']);
  });
});

describe('appendEvents / formatEvent', () => {
  const e: GameEvent = { at: '2026-11-30T10:00:00.000Z', type: 'verify-verdict', instance: 'i-abc123', pass: true, by: 'instructor', reasons: ['ok'] };

  it('appends without touching what is there, adding a missing final newline', () => {
    const out = appendEvents('{"at":"2026-11-30T09:00:00Z","type":"started"}', [e]);
    expect(out.split('\n')).toEqual(['{"at":"2026-11-30T09:00:00Z","type":"started"}', formatEvent(e), '']);
    expect(parseEventLog(out).events).toHaveLength(2);
  });

  it('refuses to write an invalid event', () => {
    expect(() => formatEvent({ ...e, by: 'someone' } as unknown as GameEvent)).toThrow();
  });
});

describe('foldTeamLog', () => {
  it('folds the fixture into one instance with its hints, diagnoses, fixes and instructor verdicts', () => {
    const log = foldTeamLog(parseEventLog(text));
    expect(log.instances).toHaveLength(1);
    const s = currentInstance(log)!;
    expect(s.instance).toBe('i-k3v9qa');
    expect(s.releasedAt).toBe(Date.parse('2026-11-30T10:00:00.000Z'));
    expect(s.startedAt).toBe(Date.parse('2026-11-30T10:00:41.512Z'));
    expect(s.hints).toBe(1);
    expect(s.diagnoses.map((d) => d.category)).toEqual(['liveness-misfire', 'oom-killed']);
    expect(s.fixes.map((f) => f.how)).toEqual(['own', 'editor']);
    expect(s.verdicts.map((v) => v.result)).toEqual(['fail', 'pass']);
    expect(s.participantVerdicts).toHaveLength(1);
    expect(s.requests.every((r) => r.verdict)).toBe(true);
    expect(pendingVerifyRequests(log)).toEqual([]);
    expect(log.bad).toHaveLength(2);
  });

  it('keeps a team’s notes with their instance, trimmed, and refuses an empty or oversized one', () => {
    const lines = [
      { at: '2026-11-30T10:00:00Z', type: 'released', instance: 'i-aaaaaa' },
      { at: '2026-11-30T10:09:00Z', type: 'note', instance: 'i-aaaaaa', text: '  the probe ran before the index loaded; a startupProbe fixed it  ' },
      { at: '2026-11-30T10:09:30Z', type: 'note', text: '' },
      { at: '2026-11-30T10:09:40Z', type: 'note', text: 'x'.repeat(2001) },
    ];
    const parsed = parseEventLog(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(parsed.bad.map((b) => b.line)).toEqual([3, 4]);
    const s = currentInstance(foldTeamLog(parsed))!;
    expect(s.notes).toEqual([{ at: Date.parse('2026-11-30T10:09:00Z'), text: 'the probe ran before the index loaded; a startupProbe fixed it' }]);
    expect(formatEvent({ at: '2026-11-30T10:09:00.000Z', type: 'note', text: 'ok' })).toBe('{"at":"2026-11-30T10:09:00.000Z","type":"note","text":"ok"}');
  });

  it('gives instance-less events to the latest release and counts events before any release as orphans', () => {
    const lines = [
      { at: '2026-11-30T09:59:00Z', type: 'hint' },
      { at: '2026-11-30T10:00:00Z', type: 'released', instance: 'i-aaaaaa' },
      { at: '2026-11-30T10:01:00Z', type: 'hint' },
      { at: '2026-11-30T10:10:00Z', type: 'released', instance: 'i-bbbbbb', via: 'inject' },
      { at: '2026-11-30T10:11:00Z', type: 'hint' },
      { at: '2026-11-30T10:12:00Z', type: 'hint', instance: 'i-aaaaaa' },
      { at: '2026-11-30T10:13:00Z', type: 'hint', instance: 'i-zzzzzz' },
    ];
    const log = foldTeamLog(parseEventLog(lines.map((l) => JSON.stringify(l)).join('\n')));
    expect(log.instances.map((s) => [s.instance, s.hints])).toEqual([
      ['i-aaaaaa', 2],
      ['i-bbbbbb', 1],
    ]);
    expect(log.orphans).toBe(2);
    expect(currentInstance(log)?.via).toBe('inject');
  });

  it('lists unanswered requests; one instructor verdict answers every open request of its instance', () => {
    const base = [
      { at: '2026-11-30T10:00:00Z', type: 'released', instance: 'i-aaaaaa' },
      { at: '2026-11-30T10:05:00Z', type: 'verify-requested' },
      { at: '2026-11-30T10:05:01Z', type: 'verify-requested' },
    ];
    const pending = foldTeamLog(parseEventLog(base.map((l) => JSON.stringify(l)).join('\n')));
    expect(pendingVerifyRequests(pending).map((r) => r.instance)).toEqual(['i-aaaaaa', 'i-aaaaaa']);
    // A participant's own verdict answers nothing.
    const own = [...base, { at: '2026-11-30T10:05:30Z', type: 'verify-verdict', pass: true, by: 'participant', reasons: [] }];
    expect(pendingVerifyRequests(foldTeamLog(parseEventLog(own.map((l) => JSON.stringify(l)).join('\n'))))).toHaveLength(2);
    const answered = [...own, { at: '2026-11-30T10:06:00Z', type: 'verify-verdict', pass: false, by: 'instructor', reasons: ['x'] }];
    const log = foldTeamLog(parseEventLog(answered.map((l) => JSON.stringify(l)).join('\n')));
    expect(pendingVerifyRequests(log)).toEqual([]);
    expect(log.instances[0].verdicts).toHaveLength(1);
  });

  it('ignores instructor verdicts the trust check rejects (a forged one stays unanswered and unscored)', () => {
    const lines = [
      { at: '2026-11-30T10:00:00Z', type: 'released', instance: 'i-aaaaaa' },
      { at: '2026-11-30T10:05:00Z', type: 'verify-requested' },
      { at: '2026-11-30T10:05:01Z', type: 'verify-verdict', pass: true, by: 'instructor', reasons: ['trust me'] },
    ];
    const log = foldTeamLog(parseEventLog(lines.map((l) => JSON.stringify(l)).join('\n')), () => false);
    expect(log.instances[0].verdicts).toEqual([]);
    expect(pendingVerifyRequests(log)).toHaveLength(1);
  });
});

describe('foldTeamLog: what a room must be able to trust (issue 16)', () => {
  const fold = (lines: object[], trusted?: (e: VerifyVerdictEvent) => boolean, options?: FoldOptions) => foldTeamLog(parseEventLog(lines.map((l) => JSON.stringify(l)).join('\n')), trusted, options);
  const rel = { at: '2026-11-30T10:00:00Z', type: 'released', instance: 'i-aaaaaa' };

  it('counts each hint index once, whichever screen showed it (the lab, then `crashlab hint`)', () => {
    const s = fold([rel, { at: '2026-11-30T10:01:00Z', type: 'hint', index: 0 }, { at: '2026-11-30T10:02:00Z', type: 'hint', index: 0 }, { at: '2026-11-30T10:03:00Z', type: 'hint', index: 1 }]).instances[0];
    expect(s.hints).toBe(2);
  });

  it('one verdict per request id: a second board answering the same request counts nothing', () => {
    const verdict = (at: string, request: string) => ({ at, type: 'verify-verdict', pass: false, by: 'instructor', result: 'fail', reasons: ['x'], request });
    const log = fold([rel, { at: '2026-11-30T10:05:00Z', type: 'verify-requested', id: 'r1' }, verdict('2026-11-30T10:06:00Z', 'r1'), verdict('2026-11-30T10:06:01Z', 'r1'), verdict('2026-11-30T10:06:02Z', 'nope')]);
    expect(log.instances[0].verdicts).toHaveLength(1);
    expect(log.duplicateVerdicts).toBe(2);
    expect(scoreInstance(log.instances[0]).failedVerifies).toBe(1);
  });

  it('marks an instructor verdict the signature check rejects as a bad line, and a release the instructor never made', () => {
    const log = fold(
      [rel, { at: '2026-11-30T10:05:00Z', type: 'verify-requested' }, { at: '2026-11-30T10:05:01Z', type: 'verify-verdict', pass: true, by: 'instructor', reasons: ['trust me'] }, { at: '2026-11-30T10:06:00Z', type: 'released', instance: 'i-bbbbbb' }],
      () => false,
      { released: (e) => e.instance === 'i-aaaaaa' },
    );
    expect(log.bad.map((b) => [b.line, b.error])).toEqual([
      [3, expect.stringMatching(/without this game board’s signature/)],
      [4, expect.stringMatching(/release of i-bbbbbb the instructor never made/)],
    ]);
    expect(log.instances.map((s) => s.instance)).toEqual(['i-aaaaaa']);
  });

  it('a diagnosis written after a verdict or a solve cannot earn the first-try bonus', () => {
    const pass = { at: '2026-11-30T10:08:00Z', type: 'verify-verdict', pass: true, by: 'instructor', result: 'pass', reasons: [] };
    const req = { at: '2026-11-30T10:07:00Z', type: 'verify-requested' };
    const diag = { at: '2026-11-30T10:06:00Z', type: 'diagnosis', category: 'oom-killed', correct: true };
    const started = { at: '2026-11-30T10:01:00Z', type: 'started' };
    const score = (lines: object[]) => scoreInstance(fold(lines).instances[0], { category: 'oom-killed' });
    expect(score([rel, started, diag, req, pass]).breakdown).toContain('right cause first try +10');
    // Answered from the CLI without a start in the lab: still the first answer.
    expect(score([rel, diag, req, pass]).breakdown).toContain('right cause first try +10');
    const solve = { at: '2026-11-30T10:05:00Z', type: 'fix-applied', how: 'solve' };
    expect(score([rel, started, { ...solve, how: 'own' }, solve, diag, req, pass]).usedSolution).toBe(true);
    // After the verdict (its reasons and the debrief give the cause away): back-dated `at` does not help.
    expect(score([rel, started, req, pass, diag]).breakdown).not.toContain('right cause first try +10');
  });

  it('a solve appended before the pass is a solve, whatever `at` the team wrote on it', () => {
    const lines = [
      rel,
      { at: '2026-11-30T10:01:00Z', type: 'started' },
      { at: '2026-11-30T10:09:00Z', type: 'fix-applied', how: 'solve' },
      { at: '2026-11-30T10:05:00Z', type: 'verify-requested' },
      { at: '2026-11-30T10:06:00Z', type: 'verify-verdict', pass: true, by: 'instructor', result: 'pass', reasons: [] },
    ];
    expect(scoreInstance(fold(lines).instances[0]).score).toBe(SCORING_RULES.withSolution);
  });
});
