/**
 * Issue 21, item 2 in the Ink screens: a pod's log in the lab's output pane, a cluster message
 * in an error box and a board note are shown with their escape sequences visible, never raw.
 */
import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { outputRows } from '../../../src/tui/screens/lab.js';
import { ErrorBox } from '../../../src/tui/components.js';
import { BoardView } from '../../../src/tui/board/view.js';
import { buildBoard } from '../../../src/core/gameday/board.js';
import { meta, T0 } from '../../fakes/gameday.js';

const HOSTILE = 'boom \x1b]0;pwned\x07\x1b[2J\x1b]52;c;cm0gLXJm\x07 done';
const RAW = /\x1b\]|\x07|\x1b\[2J/;

describe('untrusted text on Ink screens', () => {
  it("the lab's output pane shows a pod log's ESC sequences escaped", () => {
    const step = { id: 'logs', title: { en: 'logs', ko: 'logs' }, why: { en: '', ko: '' }, command: 'kubectl logs x', interactive: false, run: async () => ({ output: '', exitCode: 0 }) };
    const rows = outputRows(step as never, { output: `${HOSTILE}\nsecond line`, exitCode: 0, running: false } as never, 100, 'en');
    expect(rows.join('\n')).not.toMatch(RAW);
    expect(rows).toContain('boom \\x1b]0;pwned\\x07\\x1b[2J\\x1b]52;c;cm0gLXJm\\x07 done');
  });

  it('an error box with a cluster message, and a board note', () => {
    const box = render(<ErrorBox lang="en" message={HOSTILE} width={100} />);
    expect(box.lastFrame()).not.toMatch(RAW);
    expect(box.lastFrame()).toContain('\\x1b]0;pwned');
    const board = buildBoard({ game: 'g1', nowMs: T0 + 60_000, meta: meta(), teams: [], pods: [], categories: {}, verifying: new Set(), notes: [HOSTILE] });
    const view = render(<BoardView board={board} width={120} height={30} selected={0} showStuck={false} publicView={false} showHelp={false} />);
    expect(view.lastFrame()).not.toMatch(RAW);
    expect(view.lastFrame()).toContain('\\x1b]0;pwned');
  });
});
