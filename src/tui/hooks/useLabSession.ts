/**
 * The running lab's live data: the pod watch (alive on the lab, diagnose, fix and verify
 * screens), the routine steps for the current pod and their output, events and the previous log.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { KubeEvent, Pod } from '../../core/k8s.js';
import { emptyRestartHistory, recordRestarts, summarizePod, type RestartHistory } from '../../core/podStatus.js';
import type { LabRoutineStep } from '../../engine/labTypes.js';
import { currentPod } from '../components.js';
import { useSyncState } from './common.js';
import { clamp } from '../layout.js';
import { problemOf } from '../problem.js';
import type { LabData } from '../screens/state.js';
import type { HookDeps } from './deps.js';

export function emptyLab(): LabData {
  return { pods: [], history: emptyRestartHistory(), cursor: 0, pane: 'routine', outputs: {}, outputOffset: 0, outputShift: 0, events: [], previousLog: '' };
}

/** Scroll bounds of the output pane, from the layout of the current frame. */
export interface OutputBounds {
  page: number;
  maxOffset: number;
  maxShift: number;
}

export function useLabSession({ services, clock, dispatch, flowRef, lang }: HookDeps, options: { screen: string; wide: boolean; now: number; setNow: (now: number) => void; bounds: () => OutputBounds; container?: string }) {
  const flow = flowRef.current;
  const [lab, setLab, labRef] = useSyncState<LabData>(emptyLab);
  const target = flow.lab?.target;
  const labKey = flow.lab ? `${flow.lab.target.namespace}@${flow.lab.startedAt}` : undefined;
  const pod = currentPod(lab.pods, options.container);
  const podName = pod?.metadata.name;
  // The back-off countdown is the only thing on the lab screens that changes without an event.
  const podSummary = pod ? summarizePod(pod, options.now) : undefined;
  const backingOff = Boolean(podSummary?.containers.some((c) => c.backOff));

  useEffect(() => {
    setLab(emptyLab());
    if (!flow.lab) return;
    const watch = services.watchPods(
      flow.lab.target,
      (pods: Pod[]) => {
        const at = clock();
        options.setNow(at);
        setLab((l) => ({ ...l, pods, history: pods.reduce((h: RestartHistory, p) => recordRestarts(h, p, at), l.history), watchError: undefined }));
      },
      (error: Error) => setLab((l) => ({ ...l, watchError: problemOf(error, lang) })),
    );
    return () => watch.cancel();
  }, [labKey, services, clock]);

  // Routine steps follow the current pod (a fix creates a new one).
  const steps: LabRoutineStep[] = useMemo(() => (target && podName ? services.routine(target, podName) : []), [labKey, podName, services]);

  // Output shown for another pod would be misleading next to this pod's command.
  useEffect(() => {
    setLab((l) => (Object.keys(l.outputs).length ? { ...l, outputs: {}, outputOffset: 0, outputShift: 0 } : l));
  }, [podName]);

  // Events and the previous log, refreshed when the pod, its STATUS or its restarts change.
  const restartKey = `${podName}:${podSummary?.status ?? ''}:${lab.history.restarts.length}:${JSON.stringify(lab.history.counts)}`;
  useEffect(() => {
    if (!target || !podName || !options.wide || options.screen !== 'lab') return;
    let live = true;
    Promise.all([services.events(target, podName), services.logs(target, podName, { previous: true, tail: 50 }).catch((e: unknown) => `(${problemOf(e, lang).message})`)])
      .then(([events, previous]: [KubeEvent[], string]) => live && setLab((l) => ({ ...l, events, previousLog: previous })))
      .catch((error: unknown) => live && setLab((l) => ({ ...l, watchError: problemOf(error, lang) })));
    return () => {
      live = false;
    };
  }, [restartKey, options.wide, options.screen, services]);

  const selected = () => steps[clamp(labRef.current.cursor, 0, Math.max(0, steps.length - 1))];

  const runStep = useCallback((step: LabRoutineStep) => {
    dispatch({ type: 'step-run', stepId: step.id });
    if (step.interactive) return;
    setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: true } }, outputOffset: 0, outputShift: 0 }));
    step
      .run()
      .then((r) => setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: false, output: r.output, exitCode: r.exitCode } } })))
      .catch((error: unknown) => setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: false, error: problemOf(error, lang) } } })));
  }, [dispatch, setLab]);

  const scroll = (delta: number) => setLab((l) => ({ ...l, outputOffset: clamp(l.outputOffset + delta, 0, options.bounds().maxOffset) }));

  return {
    lab,
    steps,
    pod,
    podName,
    backingOff,
    selectedStep: selected,
    runSelected() {
      const step = selected();
      if (step) runStep(step);
    },
    copySelected(copy: (text: string) => void) {
      const step = selected();
      if (!step) return;
      copy(step.command);
      setLab((l) => ({ ...l, copied: step.id }));
    },
    togglePane: () => setLab((l) => ({ ...l, pane: l.pane === 'routine' ? 'output' : 'routine' })),
    move(delta: number) {
      if (labRef.current.pane === 'output') scroll(delta);
      else setLab((l) => ({ ...l, cursor: clamp(l.cursor + delta, 0, Math.max(0, steps.length - 1)), outputOffset: 0, outputShift: 0 }));
    },
    page: (direction: number) => scroll(direction * options.bounds().page),
    shift: (direction: number) => setLab((l) => ({ ...l, outputShift: clamp(l.outputShift + direction * 10, 0, options.bounds().maxShift) })),
    labRef,
  };
}
