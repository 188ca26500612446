import { describe, expect, it } from 'vitest';
import { boardFingerprint, buildBoard, type BoardInput } from '../../../../src/core/gameday/board.js';
import { exportGame, csvField, RESULT_COLUMNS } from '../../../../src/core/gameday/export.js';
import { foldTeamLog, parseEventLog } from '../../../../src/core/gameday/events.js';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';
import { at, CATEGORIES, logText, meta, realPod, teamLog, T0 } from '../../../fakes/gameday.js';

const team1 = teamLog([
  [0, 'released', { instance: 'i-aaaaaa', round: 1 }],
  [40, 'started'],
  [100, 'diagnosis', { category: 'oom-killed', correct: true }],
  [200, 'verify-requested'],
  [260, 'verify-verdict', { pass: true, by: 'instructor', result: 'pass', reasons: [] }],
]);
const team2Entries: [number, string, Record<string, unknown>?][] = [
  [0, 'released', { instance: 'i-bbbbbb', round: 1 }],
  [50, 'hint'],
  [60, 'diagnosis', { category: 'bad-command', correct: true }],
  [300, 'verify-verdict', { pass: false, by: 'instructor', result: 'fail', reasons: ['x'] }],
  [400, 'verify-verdict', { pass: false, by: 'instructor', result: 'fail', reasons: ['x'] }],
  [500, 'verify-verdict', { pass: false, by: 'instructor', result: 'fail', reasons: ['x'] }],
  [700, 'verify-requested'],
];

function input(overrides: Partial<BoardInput> = {}): BoardInput {
  return {
    game: 'g1',
    nowMs: T0 + 720_000,
    meta: meta(),
    teams: [
      { team: 'team-1', namespace: 'crashlab-g1-team-1', log: team1 },
      { team: 'team-2', namespace: 'crashlab-g1-team-2', log: teamLog(team2Entries) },
      { team: 'team-3', namespace: 'crashlab-g1-team-3' },
    ],
    pods: [
      realPod('secret-fixed', 'crashlab-g1-team-1', 'i-aaaaaa'),
      realPod('oom', 'crashlab-g1-team-2', 'i-bbbbbb'),
      // A leftover pod of another instance in the same namespace is not the team's current one.
      realPod('bad-command', 'crashlab-g1-team-2', 'i-oldold', 'old-pod'),
    ],
    categories: CATEGORIES,
    ...overrides,
  };
}

describe('buildBoard', () => {
  it('gives each team its pod columns, progress, score and rank', () => {
    const board = buildBoard(input());
    expect(board.clock).toMatchObject({ phase: 'running', elapsedSeconds: 720 });
    const [first, second, third] = board.rows;
    expect(first).toMatchObject({
      team: 'team-1',
      rank: 1,
      instance: 'i-aaaaaa',
      scenario: 'oom',
      pod: { status: 'Running', ready: '1/1', restarts: 0 },
      secondsOnScenario: 260,
      diagnosis: 'right',
      verified: true,
      verify: 'none',
    });
    expect(first.score).toBeGreaterThan(100);
    expect(second).toMatchObject({ team: 'team-2', rank: 2, pod: { status: 'CrashLoopBackOff', ready: '0/1', restarts: 4 }, podCount: 1, hints: 1, diagnosis: 'wrong', verified: false, verify: 'requested', failedVerifies: 3, score: 0 });
    expect(second.secondsOnScenario).toBe(720);
    expect(third).toMatchObject({ team: 'team-3', instance: undefined, pod: undefined, score: 0, rank: 2 });
  });

  it('marks every team once the team tokens expired while the game still runs, not before, not once it is over', () => {
    // Tokens until 10:11 (the game was paused: it runs until 11:00 and more); now is 10:12.
    const expired = buildBoard(input({ meta: meta({ tokensEndAt: at(660) }) }));
    for (const row of expired.rows) expect(row.stuck).toContain('team token expired at 10:11 UTC: re-issue with crashlab gameday tokens g1');
    expect(expired.stuck.map((s) => s.team)).toEqual(['team-2', 'team-1', 'team-3']);
    expect(buildBoard(input({ meta: meta({ tokensEndAt: at(721) }) })).rows.flatMap((r) => r.stuck).filter((s) => s.includes('token'))).toEqual([]);
    const over = buildBoard(input({ meta: meta({ tokensEndAt: at(660) }), nowMs: Date.parse(at(3600 + 600 + 1)) }));
    expect(over.clock.phase).toBe('over');
    expect(over.rows.flatMap((r) => r.stuck).filter((s) => s.includes('token'))).toEqual([]);
  });

  it('names who is stuck and why, most stuck first', () => {
    const board = buildBoard(input());
    expect(board.stuck).toEqual([{ team: 'team-2', reasons: ['on the same scenario for 12 min', '3 failed verifies'] }]);
    expect(buildBoard(input({ stuck: { afterSeconds: 3600, failedVerifies: 5 } })).stuck).toEqual([]);
  });

  it('shows a verification the board is running', () => {
    expect(buildBoard(input({ verifying: new Set(['i-bbbbbb']) })).rows[1].verify).toBe('running');
  });

  it('hides scenario ids on a board shown to the room', () => {
    const board = buildBoard(input({ hideScenarios: true }));
    expect(JSON.stringify(board)).not.toContain('"oom"');
    expect(board.rows[0].scenario).toBeUndefined();
  });

  it('reports unreadable lines of a team log', () => {
    const log = { ...teamLog(team2Entries), bad: parseEventLog('{oops').bad };
    const board = buildBoard(input({ teams: [{ team: 'team-2', namespace: 'crashlab-g1-team-2', log }] }));
    expect(board.rows[0].stuck).toContain("1 line of the team's log not counted (unreadable or forged)");
  });

  it('fingerprint changes with state, not with the passing second', () => {
    const a = boardFingerprint(buildBoard(input()));
    expect(boardFingerprint(buildBoard(input({ nowMs: T0 + 721_000 })))).toBe(a);
    const crashed = input();
    crashed.pods![0].status!.containerStatuses![0].restartCount = 1;
    expect(boardFingerprint(buildBoard(crashed))).not.toBe(a);
  });
});

describe('exportGame', () => {
  const board = buildBoard(input());
  const logs = [
    { team: 'team-1', events: parseEventLog(logText([[0, 'released', { instance: 'i-aaaaaa' }], [40, 'started']])).events },
    { team: '=cmd|x', events: parseEventLog(logText([[5, 'hint', { instance: 'i-bbbbbb' }]])).events },
  ];

  it('csv: the results table then the event log table', () => {
    const csv = exportGame(board, logs, 'csv');
    const [results, events] = csv.split('\r\n\r\n');
    const lines = results.split('\r\n');
    expect(lines[0]).toBe(RESULT_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^team-1,1,i-aaaaaa,oom,2026-11-30T10:00:00.000Z,2026-11-30T10:00:40.000Z,100,right,0,0,0,260,true,false,false,\d+,\d+$/);
    expect(events.split('\r\n')[0]).toBe('team,at,type,instance,details,not_counted');
    expect(events).toContain(`'=cmd|x,2026-11-30T10:00:05.000Z,hint,i-bbbbbb,`);
  });

  it('csv quoting and formula neutralising', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(undefined)).toBe('');
  });

  it('json: one document with results, the scoring rule and the events', () => {
    const doc = JSON.parse(exportGame(board, logs, 'json'));
    expect(doc.results).toHaveLength(2);
    expect(doc.results[1]).toMatchObject({ team: 'team-2', failed_verifies: 3, verified: false, score: 0 });
    expect(doc.scoring.perHint).toBe(-10);
    expect(doc.events[0]).toMatchObject({ team: 'team-1', type: 'released', instance: 'i-aaaaaa' });
  });

  it('md: standings, each run and the rule in words (no 17-column table, no rule keys), and the events', () => {
    const md = exportGame(board, logs, 'md');
    expect(md).toContain('# Game g1: results');
    expect(md).toMatch(/^\| 1 \| team-1 \| \d+ \| 1 \| /m);
    expect(md).toMatch(/^\| team-1 \| i-aaaaaa · oom \| right at \d+:\d\d \| verified at \d+:\d\d/m);
    expect(md).toContain('| each hint, once per hint and run | -10 |');
    expect(md).not.toMatch(/perHint|seconds_to_right_diagnosis/);
    for (const header of md.split('\n').filter((l) => l.startsWith('| ') && /\|$/.test(l))) expect(header.split(' | ').length).toBeLessThanOrEqual(9);
    expect(md).toContain('| =cmd\\|x |');
    // Without notes or a catalog there is nothing to add for the debrief.
    expect(md).not.toContain('## Conclusions');
    expect(md).not.toContain('## What each scenario taught');
  });

  it('md: the teams’ notes next to their scenario, and each played scenario’s cause and debrief', async () => {
    const withNotes = [
      ...logs,
      { team: 'team-1', events: parseEventLog(logText([[300, 'note', { instance: 'i-aaaaaa', text: 'memory limit 64Mi below the heap | raised to 256Mi' }]])).events },
    ];
    const { scenarios } = await loadCatalog(packageRoot());
    const md = exportGame(board, withNotes, 'md', { scenarios, lang: 'ko' });
    expect(md).toContain('## Conclusions (the teams’ notes)');
    expect(md).toContain('| team-1 | 2026-11-30T10:05:00.000Z | oom | memory limit 64Mi below the heap \\| raised to 256Mi |');
    const oom = scenarios.find((x) => x.id === 'oom')!;
    expect(md).toContain(`### oom: ${oom.title.ko}`);
    expect(md).toContain(oom.debrief.ko.trim().split('\n')[0]);
    // Only what was played.
    expect(md).not.toContain('### probe-path');
  });
});

describe('export marks the lines the board did not count (issue 16)', () => {
  it('a forged instructor verdict is exported with why it did not count, in json, csv and md', () => {
    const text = logText([
      [0, 'released', { instance: 'i-aaaaaa' }],
      [30, 'verify-verdict', { instance: 'i-aaaaaa', pass: true, by: 'instructor', result: 'pass', reasons: ['trust me'], sig: 'f'.repeat(64) }],
    ]);
    const parsed = parseEventLog(text);
    const base = input();
    const board = buildBoard({ ...base, teams: base.teams.map((t) => (t.team === 'team-1' ? { ...t, log: foldTeamLog(parsed, () => false) } : t)) });
    const logs = [{ team: 'team-1', events: parsed.events, lines: parsed.lines!.map((l) => l.line) }];
    const json = JSON.parse(exportGame(board, logs, 'json'));
    expect(json.events.find((e: { type: string }) => e.type === 'verify-verdict').notCounted).toMatch(/signature/);
    expect(json.events.find((e: { type: string }) => e.type === 'released').notCounted).toBeUndefined();
    expect(exportGame(board, logs, 'csv')).toMatch(/verify-verdict,i-aaaaaa,.*signature/);
    expect(exportGame(board, logs, 'md')).toMatch(/\| verify-verdict \| i-aaaaaa \| .* \| an instructor verdict without this game board’s signature/);
  });
});
