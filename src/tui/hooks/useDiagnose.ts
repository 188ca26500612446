/** The diagnose screen: pick a cause; the API checks it against the scenario and records it. */
import { useEffect } from 'react';
import { useRef } from 'react';
import type { CategoryId } from '../../core/categories.js';
import type { LabTarget } from '../../engine/labTypes.js';
import { useSyncState } from './common.js';
import { t } from '../i18n.js';
import { problemOf } from '../problem.js';
import type { DiagnoseState } from '../screens/state.js';
import type { HookDeps } from './deps.js';

/** A second digit within this long makes a two-digit number ("1" then "4" is 14). */
export const DIGIT_PAUSE_MS = 1200;

/**
 * Which choice a typed digit selects: the number as the list shows it (the guide's number), two
 * digits when the second follows the first within DIGIT_PAUSE_MS and the number exists ("0" then
 * "9" is 9 too). Returns the index and the digits kept for a second one.
 */
export function numberChoice(choices: readonly { guideNumber?: number }[], digit: number, pending: number | undefined): { index?: number; pending?: number } {
  const indexOf = (n: number) => {
    const i = choices.findIndex((c) => c.guideNumber === n);
    return i >= 0 ? i : undefined;
  };
  if (pending !== undefined) {
    const two = indexOf(pending * 10 + digit);
    if (two !== undefined) return { index: two };
  }
  // A lone 0 only starts a number ("09").
  if (digit === 0) return { pending: 0 };
  return { index: indexOf(digit), pending: digit };
}

export function useDiagnose(
  { services, lang, dispatch, clock }: HookDeps,
  choices: readonly { id: CategoryId; guideNumber?: number }[],
  target: LabTarget | undefined,
  podName: string | undefined,
  labKey: string | undefined,
) {
  // Nothing is selected until the learner selects it: Enter never names a cause they did not pick.
  const [diagnose, setDiagnose, diagnoseRef] = useSyncState<DiagnoseState>({ cursor: -1, checking: false });
  const digits = useRef<{ pending?: number; at: number }>({ at: 0 });
  useEffect(() => setDiagnose({ cursor: -1, checking: false }), [labKey]);

  return {
    diagnose,
    diagnoseRef,
    move: (delta: number) => {
      digits.current = { at: 0 };
      // From no selection, either arrow selects the first cause.
      setDiagnose((d) => ({ ...d, error: undefined, cursor: d.cursor < 0 ? 0 : Math.max(0, Math.min(choices.length - 1, d.cursor + delta)) }));
    },
    /** A digit key: selects the cause with that number (see numberChoice); never submits. */
    typeDigit(digit: number) {
      const now = clock();
      const pending = now - digits.current.at <= DIGIT_PAUSE_MS ? digits.current.pending : undefined;
      const next = numberChoice(choices, digit, pending);
      digits.current = { pending: next.pending, at: now };
      if (next.index !== undefined) setDiagnose((d) => ({ ...d, error: undefined, cursor: next.index! }));
    },
    /** `+`: the causes without a guide number (the FAQ's image pull, ...), the next one on each press. */
    selectExtra() {
      digits.current = { at: 0 };
      const extras = choices.flatMap((c, i) => (c.guideNumber === undefined ? [i] : []));
      if (!extras.length) return;
      const next = extras.find((i) => i > diagnoseRef.current.cursor) ?? extras[0];
      setDiagnose((d) => ({ ...d, error: undefined, cursor: next }));
    },
    retry: () => setDiagnose((d) => ({ ...d, result: undefined })),
    back() {
      setDiagnose((d) => ({ ...d, result: undefined }));
      dispatch({ type: 'back' });
    },
    choose() {
      if (!target) return;
      if (!podName) {
        setDiagnose((d) => ({ ...d, error: { message: t(lang, 'lab.noPod') } }));
        return;
      }
      const chosen = choices[diagnoseRef.current.cursor];
      if (!chosen) return;
      digits.current = { at: 0 };
      const category = chosen.id;
      setDiagnose((d) => ({ ...d, checking: true, error: undefined, result: undefined }));
      services
        .checkDiagnosis(target, podName, category)
        .then((result) => {
          dispatch({ type: 'diagnosed', picked: category, correct: result.correct });
          setDiagnose((d) => ({ ...d, checking: false, result }));
        })
        .catch((error: unknown) => setDiagnose((d) => ({ ...d, checking: false, error: problemOf(error, lang) })));
    },
  };
}
