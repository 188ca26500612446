/** The cluster screen: find or create it (cancellable), confirm a foreign context, delete a half-made one. */
import { useCallback, useEffect, useRef } from 'react';
import { pick } from '../../core/text.js';
import { useBatched, useSyncState } from './common.js';
import { problemOf } from '../problem.js';
import type { ClusterState } from '../screens/state.js';
import { isAbort, type HookDeps } from './deps.js';

export function useCluster({ services, clock, dispatch, lang }: HookDeps, screen: string) {
  const [cluster, setCluster, clusterRef] = useSyncState<ClusterState>(() => ({ phase: 'idle', lines: [], startedMs: clock() }));
  const abort = useRef<AbortController | undefined>(undefined);
  // kind's chatter is batched so it does not redraw the screen per line.
  const addLine = useBatched<string>((batch) => setCluster((c) => ({ ...c, lines: [...c.lines, ...batch].slice(-200) })));

  const ensure = useCallback(() => {
    const controller = new AbortController();
    abort.current = controller;
    setCluster({ phase: 'working', lines: [], startedMs: clock() });
    services
      .ensureCluster({ onLine: addLine, signal: controller.signal })
      .then((info) => {
        setCluster((c) => ({ ...c, phase: 'ready', info }));
        dispatch({ type: 'cluster-ready' });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) setCluster((c) => ({ ...c, phase: 'cancelled' }));
        else setCluster((c) => ({ ...c, phase: 'failed', error: problemOf(error, lang) }));
      })
      .finally(() => {
        if (abort.current === controller) abort.current = undefined;
      });
  }, [services, clock, addLine, dispatch, setCluster]);

  useEffect(() => {
    if (screen !== 'cluster' || cluster.phase !== 'idle') return;
    const target = services.clusterTarget();
    const question = target.confirmWords ? pick(target.confirmWords, lang) : target.confirmQuestion;
    if (question) setCluster((c) => ({ ...c, phase: 'confirm', question }));
    else ensure();
  }, [screen, cluster.phase, services, ensure, setCluster, lang]);

  const remove = useCallback(() => {
    setCluster((c) => ({ ...c, phase: 'deleting', lines: [] }));
    services
      .deleteCluster(addLine)
      .then(() => setCluster((c) => ({ ...c, phase: 'deleted' })))
      .catch((error: unknown) => setCluster((c) => ({ ...c, phase: 'failed', error: problemOf(error, lang) })));
  }, [services, addLine, setCluster]);

  return {
    cluster,
    clusterRef,
    ensure,
    remove,
    cancel: () => abort.current?.abort(),
    confirm: () => {
      services.confirmContext();
      ensure();
    },
  };
}
