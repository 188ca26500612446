/** The fix screen: edit the live Deployment in $EDITOR and apply it, or apply the reference solution. */
import { useEffect } from 'react';
import type { Scenario } from '../../core/scenario.js';
import type { LabTarget } from '../../engine/labTypes.js';
import { useSyncState } from './common.js';
import { t } from '../i18n.js';
import { problemOf } from '../problem.js';
import type { FixMessage } from '../screens/state.js';
import type { TerminalControl } from '../terminal.js';
import type { HookDeps } from './deps.js';

export interface FixState {
  busy?: string;
  message?: FixMessage;
  /** An edit the server rejected: the next edit starts from it. */
  pendingYaml?: string;
}

export function useFix({ services, lang, dispatch }: HookDeps, terminal: TerminalControl, target: LabTarget | undefined, scenario: Scenario | undefined, labKey: string | undefined) {
  const [fix, setFix, fixRef] = useSyncState<FixState>({});
  useEffect(() => setFix({}), [labKey]);

  async function edit() {
    if (!target || !scenario) return;
    const pending = fixRef.current.pendingYaml;
    setFix((f) => ({ ...f, busy: t(lang, 'fix.loading'), message: undefined }));
    try {
      const original = pending ?? (await services.openForEdit(target));
      const edited = await terminal.handOver(() => services.editText(original, `${scenario.workload.deployment}.yaml`));
      if (edited.status === 'failed') {
        setFix({ message: { kind: 'error', text: edited.error } });
        return;
      }
      if (edited.status === 'unchanged' || edited.text === original) {
        setFix({ pendingYaml: pending, message: { kind: 'info', text: t(lang, 'fix.unchanged') } });
        return;
      }
      setFix({ busy: t(lang, 'fix.applying') });
      const applied = await services.applyEdit(target, edited.text);
      if (applied.ok) setFix({ message: { kind: 'ok', text: t(lang, 'fix.applied'), lines: applied.lines } });
      else setFix({ pendingYaml: edited.text, message: { kind: 'rejected', text: applied.error } });
    } catch (error) {
      setFix((f) => ({ ...f, busy: undefined, message: { kind: 'error', text: problemOf(error, lang).message, hint: problemOf(error, lang).hint } }));
    }
  }

  function solve() {
    if (!target) return;
    dispatch({ type: 'close-overlay' });
    setFix({ busy: t(lang, 'fix.applying') });
    services
      .solve(target)
      .then((r) => {
        if (r.ok) {
          dispatch({ type: 'solved-with-help' });
          setFix({ message: { kind: 'ok', text: t(lang, 'fix.solved'), lines: r.lines } });
        } else setFix({ message: { kind: 'rejected', text: r.error } });
      })
      .catch((error: unknown) => setFix({ message: { kind: 'error', text: problemOf(error, lang).message, hint: problemOf(error, lang).hint } }));
  }

  return { fix, fixRef, edit: () => void edit(), solve };
}
