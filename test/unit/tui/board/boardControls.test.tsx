/** The instructor's controls in the Ink board: f freeze/reveal, c pause/resume, and a frozen projector view. */
import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { BoardApp, type BoardSource } from '../../../../src/tui/board/app.js';
import { buildBoard, type Board, type BoardControl } from '../../../../src/core/gameday/board.js';
import { CATEGORIES, meta, teamLog, T0 } from '../../../fakes/gameday.js';

function board(overrides: { frozen?: boolean; pausedAt?: string } = {}): Board {
  return buildBoard({
    game: 'g1',
    nowMs: T0 + 700_000,
    meta: meta(overrides),
    teams: [{ team: 'team-1', namespace: 'crashlab-g1-team-1', log: teamLog([[0, 'released', { instance: 'i-aaaaaa' }]]) }],
    pods: [],
    categories: CATEGORIES,
  });
}

const tick = () => new Promise((r) => setTimeout(r, 30));
async function frameWhere(lastFrame: () => string | undefined, test: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 100 && !test(lastFrame() ?? ''); i++) await tick();
  return lastFrame() ?? '';
}

function source(initial: Board, withControl = true) {
  const calls: BoardControl[] = [];
  const s: BoardSource = {
    current: () => initial,
    subscribe: () => () => undefined,
    control: withControl ? async (action) => (calls.push(action), `game g1: did ${action}`) : undefined,
  };
  return { s, calls };
}

describe('board controls', () => {
  it('f freezes a live game and reveals a frozen one; c pauses and resumes the clock', async () => {
    const live = source(board());
    const a = render(<BoardApp source={live.s} tickMs={60_000} />);
    await tick();
    a.stdin.write('f');
    expect(await frameWhere(a.lastFrame, (f) => f.includes('did freeze'))).toContain('game g1: did freeze');
    a.stdin.write('c');
    await frameWhere(a.lastFrame, (f) => f.includes('did pause'));
    expect(live.calls).toEqual(['freeze', 'pause']);
    a.unmount();

    const frozen = source(board({ frozen: true, pausedAt: new Date(T0 + 600_000).toISOString() }));
    const b = render(<BoardApp source={frozen.s} tickMs={60_000} />);
    expect(await frameWhere(b.lastFrame, (f) => f.includes('FROZEN'))).toMatch(/FROZEN \(room sees no standings\) · PAUSED · 50:00 left/);
    b.stdin.write('f');
    b.stdin.write('c');
    await frameWhere(b.lastFrame, (f) => f.includes('did resume'));
    expect(frozen.calls).toEqual(['reveal', 'resume']);
    b.unmount();
  });

  it('projected while frozen: no rank and no score column', async () => {
    const { s } = source(board({ frozen: true }));
    const { lastFrame, stdin, unmount } = render(<BoardApp source={s} tickMs={60_000} />);
    expect(await frameWhere(lastFrame, (f) => f.includes('SCORE'))).toContain('SCORE');
    stdin.write('p');
    const projected = await frameWhere(lastFrame, (f) => !f.includes('SCORE'));
    expect(projected).not.toContain('SCORE');
    expect(projected).toMatch(/TEAM\s+INSTANCE/);
    unmount();
  });

  it('a read-only board says so instead of changing anything', async () => {
    const { s } = source(board(), false);
    const { lastFrame, stdin, unmount } = render(<BoardApp source={s} tickMs={60_000} />);
    await tick();
    stdin.write('f');
    expect(await frameWhere(lastFrame, (f) => f.includes('read-only'))).toContain('this board is read-only: no controls');
    unmount();
  });
});
