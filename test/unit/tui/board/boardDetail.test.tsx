/**
 * The Ink board's team detail (#17): j/k select a team, Enter shows where it is stuck (routine
 * steps run, hints, causes named, verifications, latest events), j/k move to the next team's
 * detail, Esc goes back to the table (and Esc on the table still quits).
 */
import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { BoardApp, type BoardSource } from '../../../../src/tui/board/app.js';
import { buildBoard } from '../../../../src/core/gameday/board.js';
import { parseEventLog } from '../../../../src/core/gameday/events.js';
import { teamDetail } from '../../../../src/core/gameday/teamDetail.js';
import { CATEGORIES, logText, meta, teamLog, T0 } from '../../../fakes/gameday.js';

type Entry = [number, string, Record<string, unknown>?];
const team1: Entry[] = [
  [0, 'released', { instance: 'i-aaaaaa', round: 1 }],
  [20, 'step', { instance: 'i-aaaaaa', step: 'status' }],
  [40, 'step', { instance: 'i-aaaaaa', step: 'logs-previous' }],
  [60, 'hint', { instance: 'i-aaaaaa', index: 0 }],
  [90, 'diagnosis', { instance: 'i-aaaaaa', category: 'app-exception', correct: false }],
  [120, 'diagnosis', { instance: 'i-aaaaaa', category: 'bad-command', correct: false }],
];
const team2: Entry[] = [
  [0, 'released', { instance: 'i-bbbbbb', round: 1 }],
  [30, 'diagnosis', { instance: 'i-bbbbbb', category: 'oom-killed', correct: true }],
  [50, 'verify-requested', { instance: 'i-bbbbbb', id: 'r1' }],
  [80, 'verify-verdict', { instance: 'i-bbbbbb', pass: false, by: 'instructor', result: 'fail', reasons: ['container app restarted 2 times'], request: 'r1' }],
];

function board() {
  return buildBoard({
    game: 'g1',
    nowMs: T0 + 300_000,
    meta: meta(),
    teams: [
      { team: 'team-1', namespace: 'crashlab-g1-team-1', log: teamLog(team1) },
      { team: 'team-2', namespace: 'crashlab-g1-team-2', log: teamLog(team2) },
    ],
    pods: [],
    categories: CATEGORIES,
  });
}

const tick = () => new Promise((r) => setTimeout(r, 30));
async function frameWhere(lastFrame: () => string | undefined, test: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 100 && !test(lastFrame() ?? ''); i++) await tick();
  return lastFrame() ?? '';
}

describe('the board’s team detail', () => {
  it('says where a team is stuck from its row and log (pure)', () => {
    const b = board();
    const row1 = b.rows.find((r) => r.team === 'team-1')!;
    const d1 = teamDetail(row1, parseEventLog(logText(team1)).events);
    expect(d1.stuckAt).toBe('named 2 wrong causes: back to the evidence');
    expect(d1).toMatchObject({ steps: ['status', 'logs-previous'], hints: [1], diagnoses: [{ category: 'app-exception', judged: 'wrong' }, { category: 'bad-command', judged: 'wrong' }] });
    const row2 = b.rows.find((r) => r.team === 'team-2')!;
    const d2 = teamDetail(row2, parseEventLog(logText(team2)).events);
    expect(d2.stuckAt).toBe('its fix failed verification (fail: container app restarted 2 times): show it what the verdict says');
    expect(d2.diagnoses).toEqual([{ category: 'oom-killed', judged: 'right' }]);
    expect(d2.verifies).toEqual({ requested: 1, failed: 1, lastVerdict: 'fail: container app restarted 2 times' });
  });

  it('Enter opens the selected team, j/k go to the next team, Esc goes back, Esc again quits', async () => {
    const b = board();
    let quit = false;
    const source: BoardSource = {
      current: () => b,
      subscribe: () => () => undefined,
      logs: () => [
        { team: 'team-1', events: parseEventLog(logText(team1)).events },
        { team: 'team-2', events: parseEventLog(logText(team2)).events },
      ],
    };
    // Equal scores rank by name: team-1 first.
    expect(b.rows.map((r) => r.team)).toEqual(['team-1', 'team-2']);
    const { lastFrame, stdin, unmount } = render(<BoardApp source={source} tickMs={60_000} onQuit={() => (quit = true)} />);
    expect(await frameWhere(lastFrame, (f) => f.includes('Enter team detail'))).toContain('team-1');
    stdin.write('\r');
    let frame = await frameWhere(lastFrame, (f) => f.includes('Where it is'));
    expect(frame).toContain('team-1 · #1 · 0 points · oom i-aaaaaa');
    expect(frame).toContain('Where it is: named 2 wrong causes: back to the evidence');
    expect(frame).toContain('Routine steps run: status, logs-previous');
    expect(frame).toContain('Hints: 1');
    expect(frame).toContain('Causes named: app-exception (wrong), bad-command (wrong)');
    expect(frame).toMatch(/10:02:00 diagnosis: bad-command/);
    stdin.write('j');
    frame = await frameWhere(lastFrame, (f) => f.includes('team-2 · #'));
    expect(frame).toContain('Where it is: its fix failed verification');
    expect(frame).toContain('Causes named: oom-killed (right)');
    expect(frame).toContain('Verifications: 1 asked, 1 failed · last: fail: container app restarted 2 times');
    stdin.write('\u001b');
    frame = await frameWhere(lastFrame, (f) => f.includes('Enter team detail'));
    expect(frame).not.toContain('Where it is');
    expect(quit).toBe(false);
    stdin.write('\u001b');
    for (let i = 0; i < 50 && !quit; i++) await tick();
    expect(quit).toBe(true);
    unmount();
  });
});
