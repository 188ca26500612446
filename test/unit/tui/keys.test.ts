/** The key table is the router, the footer and the help overlay: nothing handled goes unlisted. */
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { GLOBAL_BINDINGS, OVERLAY_BINDINGS, SCREEN_BINDINGS, activeBindings, type KeyActions, type KeyContext } from '../../../src/tui/bindings.js';
import { initialFlow, type FlowState, type Screen } from '../../../src/tui/flow.js';
import { footer, helpRows, keysShown, route, splitChunk } from '../../../src/tui/keys.js';
import { plainRun } from '../../../src/core/instance.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const named: Record<string, Partial<Key>> = {
  up: { upArrow: true }, down: { downArrow: true }, left: { leftArrow: true }, right: { rightArrow: true }, enter: { return: true }, escape: { escape: true },
  tab: { tab: true }, pageUp: { pageUp: true }, pageDown: { pageDown: true }, backspace: { backspace: true },
};
/** Every key a learner can press: printable ASCII, the named keys and Ctrl-C. */
const ALL_KEYS: { input: string; key: Key; name: string }[] = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).map((ch) => ({ input: ch, key: noKey, name: ch })),
  ...Object.entries(named).map(([name, k]) => ({ input: '', key: { ...noKey, ...k }, name })),
  { input: 'c', key: { ...noKey, ctrl: true }, name: 'ctrl-c' },
];

function recorder(): { act: KeyActions; calls: string[] } {
  const calls: string[] = [];
  const act = new Proxy({} as KeyActions, { get: (_t, name) => (...args: unknown[]) => calls.push(`${String(name)}(${args.join(',')})`) });
  return { act, calls };
}

const lab = { target: plainRun('oom'), scenarioId: 'oom', namespace: 'crashlab-oom', startedAt: 0, hintCount: 1, hintsShown: 0, stepsRun: [], diagnoses: [], solvedWithHelp: false, verifying: false };
/** Each screen in each state its keys depend on. */
function states(): { flow: FlowState; extra: Partial<KeyContext> }[] {
  const out: { flow: FlowState; extra: Partial<KeyContext> }[] = [];
  const screens = Object.keys(SCREEN_BINDINGS) as Screen[];
  for (const screen of screens) {
    for (const verifying of [false, true]) {
      for (const overlay of screen === 'lab' ? ([undefined, 'help', 'quit', 'solve', 'redeploy'] as const) : [undefined]) {
        const flow: FlowState = { ...initialFlow, screen, overlay, lab: { ...lab, verifying } };
        out.push({ flow, extra: {} }, { flow, extra: { filtering: true } }, { flow, extra: { preflight: { running: false, failed: true, error: false } } }, { flow, extra: { inGame: true } }, { flow, extra: { selectedPaused: true } });
        for (const phase of ['confirm', 'working', 'cancelled', 'failed', 'deleted'] as const) out.push({ flow, extra: { cluster: { phase, lines: [], startedMs: 0 } } });
        out.push({ flow, extra: { diagnose: { cursor: 0, checking: false, result: { picked: 'oom-killed', correct: true, diagnosis: { pod: 'p', findings: [] } } } } });
        out.push({ flow, extra: { diagnose: { cursor: 0, checking: false, result: { picked: 'oom-killed', correct: false, diagnosis: { pod: 'p', findings: [] } } } } });
      }
    }
  }
  return out;
}

describe('the key table', () => {
  it('lists every key it handles, on every screen and in every state, in the help overlay (and the footer unless help-only)', () => {
    let handled = 0;
    const unlisted: string[] = [];
    const silent: string[] = [];
    for (const { flow, extra } of states()) {
      const { act, calls } = recorder();
      const context: KeyContext = { flow, preflight: { running: false, failed: false, error: false }, cluster: { phase: 'ready', lines: [], startedMs: 0 }, filtering: false, starting: false, selectedPaused: false, labPane: 'routine', diagnose: { cursor: 0, checking: false }, fixBusy: false, inGame: false, act, ...extra };
      const bindings = activeBindings(flow);
      const help = flow.overlay ? helpRows(bindings, 'en') : helpRows([...SCREEN_BINDINGS[flow.screen], ...GLOBAL_BINDINGS], 'en');
      const shownFooter = footer(bindings, context, 'en');
      const helpKeys = new Set(help.map((r) => r.keys));
      for (const { input, key, name } of ALL_KEYS) {
        const before = calls.length;
        const binding = bindings.find((b) => (!b.when || b.when(context)) && route([b], context, input, key));
        if (!binding) {
          // A key the table does not list does nothing at all.
          if (calls.length !== before || route(bindings, context, input, key)) silent.push(`${name} on ${flow.screen}`);
          continue;
        }
        handled++;
        const shown = keysShown(binding);
        if (!helpKeys.has(shown)) unlisted.push(`${name} on ${flow.screen}/${flow.overlay ?? ''}: not in the help`);
        if (!binding.helpOnly && !shownFooter.includes(shown)) unlisted.push(`${name} on ${flow.screen}/${flow.overlay ?? ''}: not in the footer`);
      }
    }
    expect(unlisted).toEqual([]);
    expect(silent).toEqual([]);
    expect(handled).toBeGreaterThan(1000);
  });

  it('shows r (re-check) in the preflight help and footer, the key the old help forgot', () => {
    expect(helpRows(SCREEN_BINDINGS.preflight, 'en').map((r) => r.keys)).toContain('r');
    const { act } = recorder();
    const context = { flow: initialFlow, preflight: { running: false, failed: true, error: false }, act } as unknown as KeyContext;
    expect(footer(activeBindings(initialFlow), context, 'en')).toBe('r re-check · b browse (read-only) · ? keys · q quit');
  });

  it('splits a chunk into keys, Enter included, but not an escape sequence', () => {
    expect(splitChunk('jj\r', noKey).map((k) => [k.input, k.key.return])).toEqual([['j', false], ['j', false], ['', true]]);
    expect(splitChunk('\x1b[B', noKey)).toHaveLength(1);
  });

  it('every overlay answers with its own table only', () => {
    for (const overlay of ['help', 'quit', 'solve'] as const) expect(activeBindings({ ...initialFlow, overlay })).toBe(OVERLAY_BINDINGS[overlay]);
  });
});
