/** The diagnose screen: pick a cause; the API checks it against the scenario and records it. */
import { useEffect } from 'react';
import type { CategoryId } from '../../core/categories.js';
import type { LabTarget } from '../../engine/labTypes.js';
import { useSyncState } from '../hooks.js';
import { t } from '../i18n.js';
import { problemOf } from '../problem.js';
import type { DiagnoseState } from '../screens/state.js';
import type { HookDeps } from './deps.js';

export function useDiagnose({ services, lang, dispatch }: HookDeps, choices: readonly { id: CategoryId }[], target: LabTarget | undefined, podName: string | undefined, labKey: string | undefined) {
  const [diagnose, setDiagnose, diagnoseRef] = useSyncState<DiagnoseState>({ cursor: 0, checking: false });
  useEffect(() => setDiagnose({ cursor: 0, checking: false }), [labKey]);

  return {
    diagnose,
    diagnoseRef,
    move: (delta: number) => setDiagnose((d) => ({ ...d, cursor: Math.max(0, Math.min(choices.length - 1, d.cursor + delta)) })),
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
      const category = choices[diagnoseRef.current.cursor].id;
      setDiagnose((d) => ({ ...d, checking: true, error: undefined, result: undefined }));
      services
        .checkDiagnosis(target, podName, category)
        .then((result) => {
          dispatch({ type: 'diagnosed', picked: category, correct: result.correct });
          setDiagnose((d) => ({ ...d, checking: false, result }));
        })
        .catch((error: unknown) => setDiagnose((d) => ({ ...d, checking: false, error: problemOf(error) })));
    },
  };
}
