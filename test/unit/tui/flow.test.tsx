/** The learner-flow reducer and the timeline drawing, without Ink. */
import { describe, expect, it } from 'vitest';
import { flowReducer, initialFlow, labSeconds, score, type FlowAction, type FlowState } from '../../../src/tui/flow.js';
import { timelineRows } from '../../../src/tui/components.js';
import { cells } from '../../../src/core/width.js';
import { plainRun } from '../../../src/core/instance.js';
import type { VerdictView as VerifyVerdict } from '../../../src/engine/labTypes.js';

const run = (actions: FlowAction[], from: FlowState = initialFlow) => actions.reduce(flowReducer, from);
const verdict = (outcome: VerifyVerdict['outcome']): VerifyVerdict => ({ outcome, summary: '', windowSeconds: 20, windowReasons: [], elapsedSeconds: 20, evidence: [], guards: [] });
const started: FlowAction[] = [
  { type: 'preflight-passed' },
  { type: 'cluster-ready' },
  { type: 'lab-started', target: plainRun('bad-command'), startedAt: 1_000_000, hintCount: 2 },
];

describe('flowReducer', () => {
  it('walks preflight → cluster → picker → lab and ignores out-of-order steps', () => {
    expect(run([{ type: 'cluster-ready' }]).screen).toBe('preflight');
    const state = run(started);
    expect(state.screen).toBe('lab');
    expect(state.lab).toMatchObject({ scenarioId: 'bad-command', hintsShown: 0, stepsRun: [], solvedWithHelp: false });
  });

  it('a mystery game turns mystery on and keeps it on; a solo learner toggles freely', () => {
    expect(run([{ type: 'toggle-mystery' }, { type: 'toggle-mystery' }]).mystery).toBe(false);
    const locked = run([{ type: 'mystery-game' }, { type: 'toggle-mystery' }]);
    expect(locked).toMatchObject({ mystery: true, mysteryLocked: true });
  });

  it('counts hints up to the number there are, and each routine step once', () => {
    const state = run([...started, { type: 'hint' }, { type: 'hint' }, { type: 'hint' }, { type: 'step-run', stepId: 'describe' }, { type: 'step-run', stepId: 'describe' }]);
    expect(state.lab?.hintsShown).toBe(2);
    expect(state.lab?.stepsRun).toEqual(['describe']);
  });

  it('goes to the debrief on a pass and stays on verify on a fail', () => {
    const verifying = run([...started, { type: 'verify-started' }]);
    expect(verifying.screen).toBe('verify');
    expect(run([{ type: 'back' }], verifying).screen).toBe('verify');
    expect(run([{ type: 'open', screen: 'fix' }], verifying).screen).toBe('verify');
    const failed = run([{ type: 'verify-finished', verdict: verdict('fail'), at: 1_060_000 }], verifying);
    expect(failed.screen).toBe('verify');
    expect(failed.lab?.verifying).toBe(false);
    const passed = run([{ type: 'verify-started' }, { type: 'verify-finished', verdict: verdict('pass'), at: 1_095_000 }], failed);
    expect(passed.screen).toBe('debrief');
    expect(labSeconds(passed.lab!, 0)).toBe(95);
  });

  it('drops the quit question when the verify it was about ends', () => {
    const asking = run([...started, { type: 'verify-started' }, { type: 'overlay', overlay: 'quit' }]);
    expect(run([{ type: 'verify-finished', verdict: verdict('fail'), at: 2 }], asking).overlay).toBeUndefined();
  });

  it('cancelling a verify returns to the fix screen', () => {
    expect(run([...started, { type: 'verify-started' }, { type: 'verify-cancelled' }]).screen).toBe('fix');
  });

  it('scores hints, a wrong first diagnosis and the reference solution', () => {
    const pass = { type: 'verify-finished', verdict: verdict('pass'), at: 2_000_000 } as const;
    expect(score(run([...started, { type: 'verify-started' }, pass]).lab!)).toBe(100);
    const helped = run([...started, { type: 'hint' }, { type: 'diagnosed', picked: 'app-exception', correct: false }, { type: 'diagnosed', picked: 'bad-command', correct: true }, { type: 'verify-started' }, pass]);
    expect(score(helped.lab!)).toBe(70);
    expect(score(run([...started, { type: 'solved-with-help' }, { type: 'verify-started' }, pass]).lab!)).toBe(30);
    expect(score(run([...started, { type: 'verify-started' }, { type: 'verify-finished', verdict: verdict('fail'), at: 2 }]).lab!)).toBe(0);
  });

  it('Esc closes an overlay first, then goes back; leaving the lab forgets it', () => {
    const help = run([...started, { type: 'open', screen: 'diagnose' }, { type: 'overlay', overlay: 'help' }]);
    const closed = run([{ type: 'back' }], help);
    expect(closed).toMatchObject({ screen: 'diagnose', overlay: undefined });
    const lab = run([{ type: 'back' }], closed);
    expect(lab.screen).toBe('lab');
    const picker = run([{ type: 'back' }], lab);
    expect(picker).toMatchObject({ screen: 'picker', lab: undefined });
  });
});

describe('timelineRows', () => {
  it('puts one mark per restart on the axis and writes the growing gaps under it', () => {
    const start = 0;
    // Container dies 2 s after each start; back-off 10 s, 20 s, 40 s.
    const restarts = [3_000, 15_000, 37_000, 79_000];
    const [axis, gaps] = timelineRows(restarts, start, 90_000, 60);
    expect(axis).toHaveLength(60);
    expect(axis.match(/●/g)).toHaveLength(4);
    expect(gaps.trim().split(/\s+/)).toEqual(['12s', '22s', '42s']);
    const positions = [...axis].flatMap((ch, i) => (ch === '●' ? [i] : []));
    const distances = positions.slice(1).map((p, i) => p - positions[i]);
    expect(distances[1]).toBeGreaterThan(distances[0]);
    expect(distances[2]).toBeGreaterThan(distances[1]);
  });

  it('draws an empty axis when nothing restarted', () => {
    const [axis, gaps] = timelineRows([], 0, 1000, 20);
    expect(axis).toBe(`├${'─'.repeat(18)}┤`);
    expect(gaps.trim()).toBe('');
  });
});

import { reflow, wrapWords } from '../../../src/tui/layout.js';

describe('wrapWords', () => {
  it('reflows lines broken for the YAML file but keeps paragraphs and list items', () => {
    const text = 'The command is in exec form, so the runtime\nexecutes it directly.\n\nThe fix:\n- point at /bin/httpd\n- keep the probe';
    expect(reflow(text)).toBe('The command is in exec form, so the runtime executes it directly.\n\nThe fix:\n- point at /bin/httpd\n- keep the probe');
    expect(wrapWords(text, 30)).toEqual(['The command is in exec form,', 'so the runtime executes it', 'directly.', '', 'The fix:', '- point at /bin/httpd', '- keep the probe']);
  });

  it('counts Korean characters as two cells and hard-wraps long tokens', () => {
    // wrap-ansi's hard mode: a word longer than a line starts on the current one.
    const rows = wrapWords('파드가 계속 재시작합니다', 10);
    expect(rows).toEqual(['파드가', '계속 재시', '작합니다']);
    expect(rows.every((row) => cells(row) <= 10)).toBe(true);
    expect(wrapWords('pod=status-page-cf94d5f88-rjnwc', 12)).toEqual(['pod=status-p', 'age-cf94d5f8', '8-rjnwc']);
  });
});
