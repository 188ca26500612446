import { describe, expect, it } from 'vitest';
import { buildBoard } from '../../../../src/core/gameday/board.js';
import { debrief, percentile } from '../../../../src/core/gameday/debrief.js';
import { parseEventLog } from '../../../../src/core/gameday/events.js';
import { renderBoardHtml } from '../../../../src/core/gameday/webBoard.js';
import { exportGame } from '../../../../src/core/gameday/export.js';
import { CATEGORIES, logText, meta, teamLog, T0 } from '../../../fakes/gameday.js';

type Entry = [number, string, Record<string, unknown>?];
const logs: Record<string, Entry[]> = {
  'team-1': [
    [0, 'released', { instance: 'i-aaaaaa', round: 1 }],
    [100, 'diagnosis', { category: 'oom-killed', correct: true }],
    [260, 'verify-verdict', { pass: true, by: 'instructor', result: 'pass', reasons: [] }],
  ],
  'team-2': [
    [0, 'released', { instance: 'i-bbbbbb', round: 1 }],
    [50, 'hint'],
    [60, 'diagnosis', { category: 'bad-command', correct: false }],
    [70, 'diagnosis', { category: 'bad-command', correct: false }],
    [80, 'diagnosis', { category: 'missing-config', correct: false }],
    [300, 'diagnosis', { category: 'oom-killed', correct: true }],
  ],
  'team-3': [
    [0, 'released', { instance: 'i-cccccc', round: 1 }],
    [20, 'hint'],
  ],
};
// Every logged event carries its instance (the lab writes it).
const withInstance = (entries: Entry[]): Entry[] => entries.map(([s, type, f]) => [s, type, { instance: (entries[0][2] as { instance: string }).instance, ...f }]);

function board(nowSeconds = 4300) {
  const m = meta({ teams: ['team-1', 'team-2', 'team-3'], instances: { ...meta().instances, 'i-cccccc': { scenario: 'oom', team: 'team-3', releasedAt: new Date(T0).toISOString(), round: 1, via: 'round' } } });
  return buildBoard({
    game: 'g1',
    nowMs: T0 + nowSeconds * 1000,
    meta: m,
    teams: Object.entries(logs).map(([team, entries]) => ({ team, namespace: `crashlab-g1-${team}`, log: teamLog(withInstance(entries)) })),
    pods: [],
    categories: CATEGORIES,
  });
}
const events = Object.entries(logs).map(([team, entries]) => ({ team, events: parseEventLog(logText(withInstance(entries))).events }));

describe('debrief: where the room got stuck', () => {
  it('nearest-rank percentiles', () => {
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('per scenario: teams that got there and how fast, hint rate, commonest wrong diagnoses', () => {
    expect(debrief(board(), events, CATEGORIES)).toEqual([
      {
        scenario: 'oom',
        instances: 3,
        diagnosed: 2,
        verified: 1,
        secondsToRightDiagnosis: { median: 100, p90: 300 },
        secondsToVerifiedFix: { median: 260, p90: 260 },
        hintRate: 2 / 3,
        wrongDiagnoses: [
          { category: 'bad-command', count: 2 },
          { category: 'missing-config', count: 1 },
        ],
      },
    ]);
  });

  it('is shown on the end view only, after the standings', () => {
    const d = debrief(board(), events, CATEGORIES);
    const html = renderBoardHtml({ board: board(), view: 'room', lang: 'en', debrief: d });
    expect(html).toContain('Where the room got stuck');
    expect(html).toMatch(/<tr data-scenario="oom"><td>oom<\/td><td class="num">2\/3 · 1:40 \/ 5:00<\/td><td class="num">1\/3 · 4:20 \/ 4:20<\/td><td class="num">67%<\/td><td>bad-command ×2, missing-config ×1<\/td><td>-<\/td><\/tr>/);
    expect(renderBoardHtml({ board: board(720), view: 'room', lang: 'en', debrief: d })).not.toContain('Where the room got stuck');
  });

  it('the routine step run last before each team’s first right diagnosis, commonest first; steps after it or of another run do not count', () => {
    const steps: Record<string, Entry[]> = {
      'team-1': [
        [0, 'released', { instance: 'i-aaaaaa', round: 1 }],
        [10, 'step', { step: 'get-wide' }],
        [20, 'step', { step: 'last-state' }],
        [100, 'diagnosis', { category: 'oom-killed', correct: true }],
        [110, 'step', { step: 'logs' }],
      ],
      'team-2': [
        [0, 'released', { instance: 'i-bbbbbb', round: 1 }],
        [10, 'step', { step: 'describe' }],
        [60, 'diagnosis', { category: 'bad-command', correct: false }],
        [70, 'step', { step: 'last-state' }],
        [300, 'diagnosis', { category: 'oom-killed', correct: true }],
        [310, 'diagnosis', { category: 'oom-killed', correct: true }],
      ],
      'team-3': [
        [0, 'released', { instance: 'i-cccccc', round: 1 }],
        [20, 'step', { step: 'describe' }],
        [30, 'step', { step: 'describe', instance: 'i-dddddd' }],
      ],
    };
    const withSteps = Object.entries(steps).map(([team, entries]) => ({ team, events: parseEventLog(logText(withInstance(entries))).events }));
    const [oom] = debrief(board(), withSteps, CATEGORIES);
    expect(oom.stepBeforeRightDiagnosis).toEqual({ step: 'last-state', count: 2 });
    const html = renderBoardHtml({ board: board(), view: 'room', lang: 'ko', debrief: [oom] });
    expect(html).toContain('올바른 진단 직전의 점검 단계');
    expect(html).toContain('<td>last-state ×2</td>');
  });

  it('the md export has the same table, readable: one row per scenario, six columns, no rule keys', () => {
    const withSteps = events.map((l) => (l.team === 'team-1' ? { ...l, events: [l.events[0], { at: l.events[0].at, type: 'step' as const, instance: 'i-aaaaaa', step: 'last-state' }, ...l.events.slice(1)] } : l));
    const oom = { id: 'oom', category: 'oom-killed', title: { en: 'Too big for its box', ko: '상자보다 큰' }, debrief: { en: 'The limit was too low.', ko: '한도가 너무 낮았습니다.' } };
    const md = exportGame(board(), withSteps, 'md', { scenarios: [oom as never] });
    const section = md.split('## Where the room got stuck')[1].split('\n## ')[0];
    expect(section).toContain('| scenario | right diagnosis (median / p90) | verified fix (median / p90) | hint rate | commonest wrong diagnoses | routine step before the right diagnosis |');
    expect(section).toContain('| oom | 2/3 · 1:40 / 5:00 | 1/3 · 4:20 / 4:20 | 67% | bad-command ×2, missing-config ×1 | last-state ×1 |');
  });
});
