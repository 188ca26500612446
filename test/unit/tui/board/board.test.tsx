import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { BoardApp, type BoardSource } from '../../../../src/tui/board/app.js';
import { buildBoard, type Board, type BoardInput } from '../../../../src/core/gameday/board.js';
import { actionFor, BOARD_KEYS } from '../../../../src/tui/board/keys.js';
import { CATEGORIES, meta, realPod, teamLog, T0 } from '../../../fakes/gameday.js';

function input(): BoardInput {
  return {
    game: 'g1',
    nowMs: T0 + 700_000,
    meta: meta(),
    teams: [
      {
        team: 'team-1',
        namespace: 'crashlab-g1-team-1',
        log: teamLog([
          [0, 'released', { instance: 'i-aaaaaa' }],
          [100, 'diagnosis', { category: 'oom-killed', correct: true }],
          [260, 'verify-verdict', { pass: true, by: 'instructor', result: 'pass', reasons: [] }],
        ]),
      },
      {
        team: 'team-2',
        namespace: 'crashlab-g1-team-2',
        log: teamLog([
          [0, 'released', { instance: 'i-bbbbbb' }],
          [50, 'hint'],
          [300, 'verify-verdict', { pass: false, by: 'instructor', result: 'fail', reasons: ['x'] }],
          [650, 'verify-requested'],
        ]),
      },
    ],
    pods: [realPod('secret-fixed', 'crashlab-g1-team-1', 'i-aaaaaa'), realPod('oom', 'crashlab-g1-team-2', 'i-bbbbbb')],
    categories: CATEGORIES,
  };
}

class Source implements BoardSource {
  private listeners = new Set<(b: Board) => void>();
  constructor(public board: Board) {}
  current = () => this.board;
  subscribe = (l: (b: Board) => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  push(board: Board) {
    this.board = board;
    for (const l of this.listeners) l(board);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 30));
/** Waits for a frame that passes `test` (the machine may be slow), then returns it. */
async function frameWhere(lastFrame: () => string | undefined, test: (frame: string) => boolean): Promise<string> {
  for (let i = 0; i < 100 && !test(lastFrame() ?? ''); i++) await tick();
  return lastFrame() ?? '';
}

describe('board UI', () => {
  it('shows every team with pod columns, progress, score and rank, the clock and who is stuck', async () => {
    const source = new Source(buildBoard(input()));
    const { lastFrame, unmount } = render(<BoardApp source={source} tickMs={60_000} />);
    const frame = await frameWhere(lastFrame, (f) => f.includes('Stuck'));
    expect(frame).toContain('crashlab game g1 · 2 teams');
    expect(frame).toContain('48:20 left of 1:00:00');
    expect(frame).toMatch(/TEAM\s+INSTANCE\s+SCENARIO\s+STATUS\s+READY\s+RESTARTS\s+TIME\s+HINT\s+DIAG\s+VERIFY\s+SCORE/);
    expect(frame).toMatch(/1\s+team-1\s+i-aaaaaa\s+oom\s+Running\s+1\/1\s+0\s+4:20\s+0\s+right\s+verified\s+1\d\d/);
    expect(frame).toMatch(/2\s+team-2\s+i-bbbbbb\s+oom\s+CrashLoopBack…\s+0\/1\s+4\s+11:40\s+1\s+-\s+requested\s+0\s+!/);
    expect(frame).toContain('Stuck (1): walk over');
    expect(frame).toContain('team-2: on the same scenario for 11 min');
    unmount();
  });

  it('follows changes pushed by the engine', async () => {
    const source = new Source(buildBoard(input()));
    const { lastFrame, unmount } = render(<BoardApp source={source} tickMs={60_000} />);
    await tick();
    const next = input();
    next.verifying = new Set(['i-bbbbbb']);
    source.push(buildBoard(next));
    expect(await frameWhere(lastFrame, (f) => /team-2.*verifying/.test(f))).toMatch(/team-2.*verifying/);
    unmount();
  });

  it('keys: p hides scenario ids for a projector, s hides the stuck list, ? lists the keys', async () => {
    const source = new Source(buildBoard(input()));
    const { lastFrame, stdin, unmount } = render(<BoardApp source={source} tickMs={60_000} />);
    await tick();
    stdin.write('p');
    const projected = await frameWhere(lastFrame, (f) => !f.includes('SCENARIO'));
    expect(projected).not.toContain('SCENARIO');
    expect(projected).not.toMatch(/\boom\b/);
    stdin.write('s');
    expect(await frameWhere(lastFrame, (f) => !f.includes('Stuck (1)'))).not.toContain('Stuck (1)');
    stdin.write('?');
    const help = await frameWhere(lastFrame, (f) => f.includes(BOARD_KEYS[0].help));
    for (const b of BOARD_KEYS) expect(help).toContain(b.help);
    unmount();
  });

  it('maps keys through one table', () => {
    expect(actionFor('q', {})).toBe('quit');
    expect(actionFor('c', { ctrl: true })).toBe('quit');
    expect(actionFor('', { downArrow: true })).toBe('down');
    expect(actionFor('x', {})).toBeUndefined();
  });
});

describe('board UI width', () => {
  it('a wide terminal shows the whole STATUS', async () => {
    const { BoardView } = await import('../../../../src/tui/board/view.js');
    const { lastFrame, unmount } = render(<BoardView board={buildBoard(input())} width={120} height={30} selected={0} showStuck={false} publicView={false} showHelp={false} />);
    expect(lastFrame()).toContain('CrashLoopBackOff');
    unmount();
  });
});

describe('the board UI and an interruption', () => {
  it('a signal that came while the board was loading: the board does not open (it would wait for keys forever)', async () => {
    const { runBoardTui } = await import('../../../../src/tui/board/index.js');
    const board = buildBoard(input());
    const source: BoardSource = { current: () => board, subscribe: () => () => undefined };
    const writes: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      writes.push(String(chunk));
      return write(chunk as string, ...(rest as []));
    }) as typeof process.stdout.write;
    try {
      await runBoardTui(source, AbortSignal.abort());
    } finally {
      process.stdout.write = write;
    }
    expect(writes.join('')).not.toContain('\x1b[?1049h');
  });
});
