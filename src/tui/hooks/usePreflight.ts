/** The preflight screen: runs the checks once on entry; `r` re-runs them. */
import { useCallback, useEffect } from 'react';
import type { PreflightResult } from '../../engine/labTypes.js';
import { useSyncState } from './common.js';
import { problemOf, type Problem } from '../problem.js';
import type { HookDeps } from './deps.js';

export interface PreflightState {
  running: boolean;
  results: PreflightResult[];
  error?: Problem;
}

export function usePreflight({ services, dispatch, flowRef, lang }: HookDeps) {
  const [preflight, setPreflight, preflightRef] = useSyncState<PreflightState>({ running: true, results: [] });

  const rerun = useCallback(() => {
    setPreflight({ running: true, results: [] });
    const seen: PreflightResult[] = [];
    services
      .preflight((r) => {
        seen.push(r);
        setPreflight({ running: true, results: [...seen] });
      })
      .then((results) => {
        setPreflight({ running: false, results });
        if (results.every((r) => r.status === 'ok')) dispatch({ type: 'preflight-passed' });
      })
      .catch((error: unknown) => setPreflight({ running: false, results: seen, error: problemOf(error, lang) }));
  }, [services, dispatch, setPreflight]);

  useEffect(() => {
    if (flowRef.current.screen === 'preflight') rerun();
  }, []);

  const failed = preflight.results.some((r) => r.status === 'fail');
  return { preflight, preflightRef, failed, rerun, proceed: () => dispatch({ type: 'preflight-passed' }) };
}
