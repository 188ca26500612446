/**
 * The lab's root component: holds the state, runs the effects through LabServices, and owns
 * the one key router (a single useInput) that dispatches to the active screen and pane.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useApp, useInput, type Key } from 'ink';
import { CATEGORIES, type CategoryId } from '../core/categories.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import { emptyRestartHistory, recordRestarts, summarizePod, type RestartHistory } from '../core/podStatus.js';
import type { Scenario } from '../core/scenario.js';
import { pick, type Lang } from '../core/text.js';
import type { Progress } from '../ports/store.js';
import { currentPod } from './components.js';
import { useBatched, useTerminalSize, useTicks } from './hooks.js';
import { problemOf, type Problem } from './problem.js';
import { flowReducer, initialFlow, type FlowState } from './flow.js';
import { t } from './i18n.js';
import { clamp } from './layout.js';
import {
  ClusterScreen,
  DebriefScreen,
  DiagnoseScreen,
  FixScreen,
  Frame,
  HelpOverlay,
  LabScreen,
  PickerScreen,
  PreflightScreen,
  VerifyScreen,
  debriefRows,
  labLayout,
  outputRows,
  widest,
  visibleScenarios,
  type ClusterState,
  type DebriefState,
  type DiagnoseState,
  type FixMessage,
  type LabData,
} from './screens/index.js';
import type { LabRoutineStep, LabTarget, PreflightResult } from '../engine/labTypes.js';
import type { LabClient } from './client.js';
import { inertTerminal, type TerminalControl } from './terminal.js';

export interface AppProps {
  services: LabClient;
  lang: Lang;
  /** Hands the terminal to $EDITOR; tests use the inert one. */
  terminal?: TerminalControl & { setInputSuspended?: (suspended: boolean) => Promise<void> };
  now?: () => number;
  /** Called with the exit code just before the app unmounts. */
  onExit?: (code: number) => void;
}

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

export const DIAGNOSIS_CHOICES = CATEGORIES.filter((c) => c.id !== 'healthy' && c.id !== 'unknown');

export function App({ services, lang, terminal = inertTerminal, now: clock = Date.now, onExit }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [flow, dispatch] = useReducer(flowReducer, initialFlow);
  const flowRef = useRef<FlowState>(flow);
  flowRef.current = flow;
  const [now, setNow] = useState(clock);
  const [suspended, setSuspended] = useState(false);
  const [banner, setBanner] = useState<Problem | undefined>();

  const [preflight, setPreflight] = useState<{ running: boolean; results: PreflightResult[]; error?: Problem }>({ running: true, results: [] });
  const [cluster, setCluster] = useState<ClusterState>({ phase: 'idle', lines: [], startedMs: clock() });
  const clusterAbort = useRef<AbortController | undefined>(undefined);

  const [scenarios, setScenarios] = useState<Scenario[] | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [picker, setPicker] = useState({ cursor: 0, filter: '', filtering: false });
  const [starting, setStarting] = useState<{ id: string; lines: string[]; error?: Problem } | undefined>();

  const [lab, setLab] = useState<LabData>(emptyLab());
  const [diagnose, setDiagnose] = useState<DiagnoseState>({ cursor: 0, checking: false });
  const [fix, setFix] = useState<{ busy?: string; message?: FixMessage; pendingYaml?: string }>({});
  const verifyAbort = useRef<AbortController | undefined>(undefined);
  const [debrief, setDebrief] = useState<DebriefState>({ offset: 0, saved: false });

  const scenario = useMemo(() => scenarios?.find((s) => s.id === flow.lab?.scenarioId), [scenarios, flow.lab?.scenarioId]);
  const target: LabTarget | undefined = flow.lab?.target;
  const pod = currentPod(lab.pods);
  const podName = pod?.metadata.name;
  // The back-off countdown is the only thing on the lab screens that changes without an event.
  const podSummary = pod ? summarizePod(pod, now) : undefined;
  const backingOff = Boolean(podSummary?.containers.some((c) => c.backOff));

  const quit = useCallback(
    (code = 0) => {
      clusterAbort.current?.abort();
      verifyAbort.current?.abort();
      onExit?.(code);
      exit();
    },
    [exit, onExit],
  );

  // Unmounted by a signal or a crash: stop kind and kubectl children before the process goes.
  useEffect(
    () => () => {
      clusterAbort.current?.abort();
      verifyAbort.current?.abort();
    },
    [],
  );

  // ---- terminal hand-over (editor): input off until the editor is done
  const suspendResolve = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (!terminal.setInputSuspended) return;
    (terminal as { setInputSuspended: (s: boolean) => Promise<void> }).setInputSuspended = (value: boolean) =>
      new Promise<void>((resolve) => {
        suspendResolve.current = resolve;
        setSuspended(value);
      });
  }, [terminal]);
  useEffect(() => {
    suspendResolve.current?.();
    suspendResolve.current = undefined;
  }, [suspended]);

  // ---- the clock: ticks once a second, only while a countdown or elapsed time is on screen
  const counting =
    (cluster.phase === 'working' && flow.screen === 'cluster') ||
    Boolean(starting && !starting.error) ||
    Boolean(flow.lab?.verifying) ||
    ((flow.screen === 'lab' || flow.screen === 'fix') && backingOff);
  // With a lab open but nothing counting down, the header's minute count still moves: a
  // frame every 30 s is not a storm.
  const slowTick = Boolean(flow.lab) && !counting;
  useTicks(() => setNow(clock()), counting ? 1000 : slowTick ? 30_000 : undefined);

  // ---- preflight
  const runPreflight = useCallback(() => {
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
      .catch((error: unknown) => setPreflight({ running: false, results: seen, error: problemOf(error) }));
  }, [services]);
  useEffect(() => {
    if (flow.screen === 'preflight') runPreflight();
    // Runs once on entry; `r` re-runs it.
  }, []);

  // ---- cluster: kind's chatter is batched so it does not redraw the screen per line
  const addClusterLine = useBatched<string>((batch) => setCluster((c) => ({ ...c, lines: [...c.lines, ...batch].slice(-200) })));

  const ensureCluster = useCallback(() => {
    const abort = new AbortController();
    clusterAbort.current = abort;
    setCluster({ phase: 'working', lines: [], startedMs: clock() });
    services
      .ensureCluster({ onLine: addClusterLine, signal: abort.signal })
      .then((info) => {
        setCluster((c) => ({ ...c, phase: 'ready', info }));
        dispatch({ type: 'cluster-ready' });
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted || isAbort(error)) setCluster((c) => ({ ...c, phase: 'cancelled' }));
        else setCluster((c) => ({ ...c, phase: 'failed', error: problemOf(error) }));
      })
      .finally(() => {
        if (clusterAbort.current === abort) clusterAbort.current = undefined;
      });
  }, [services, clock, addClusterLine]);

  useEffect(() => {
    if (flow.screen !== 'cluster' || cluster.phase !== 'idle') return;
    const question = services.clusterTarget().confirmQuestion;
    if (question) setCluster((c) => ({ ...c, phase: 'confirm', question }));
    else ensureCluster();
  }, [flow.screen, cluster.phase, services, ensureCluster]);

  const deleteCluster = useCallback(() => {
    setCluster((c) => ({ ...c, phase: 'deleting', lines: [] }));
    services
      .deleteCluster(addClusterLine)
      .then(() => setCluster((c) => ({ ...c, phase: 'deleted' })))
      .catch((error: unknown) => setCluster((c) => ({ ...c, phase: 'failed', error: problemOf(error) })));
  }, [services, addClusterLine]);

  // ---- picker data, refreshed on each visit so best times and done marks are current
  useEffect(() => {
    if (flow.screen !== 'picker') return;
    let live = true;
    Promise.all([services.scenarios(), services.progress()])
      .then(([list, snapshot]) => {
        if (!live) return;
        setScenarios([...list].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)));
        setProgress(snapshot.progress);
        if (snapshot.warning) setBanner({ message: snapshot.warning });
      })
      .catch((error: unknown) => live && setBanner(problemOf(error)));
    return () => {
      live = false;
    };
  }, [flow.screen, services]);

  const startScenario = useCallback(
    (s: Scenario) => {
      setStarting({ id: s.id, lines: [] });
      setBanner(undefined);
      const lines: string[] = [];
      services
        .start(s.id, {
          mystery: flowRef.current.mystery,
          onLine: (line) => {
            lines.push(line);
            setStarting({ id: s.id, lines: [...lines] });
          },
        })
        .then((started) => {
          setStarting(undefined);
          setLab(emptyLab());
          setDiagnose({ cursor: 0, checking: false });
          setFix({});
          setDebrief({ offset: 0, saved: false });
          dispatch({ type: 'lab-started', target: started, startedAt: started.startedAt, hintCount: s.hints.length });
        })
        .catch((error: unknown) => setStarting({ id: s.id, lines, error: problemOf(error) }));
    },
    [services],
  );

  // ---- the pod watch, alive for the whole lab (lab, diagnose, fix, verify screens)
  const labKey = flow.lab ? `${flow.lab.scenarioId}@${flow.lab.namespace}@${flow.lab.startedAt}` : undefined;
  useEffect(() => {
    if (!flow.lab) return;
    const watch = services.watchPods(
      flow.lab.target,
      (pods: Pod[]) => {
        const at = clock();
        setNow(at);
        setLab((l) => ({ ...l, pods, history: pods.reduce((h: RestartHistory, p) => recordRestarts(h, p, at), l.history), watchError: undefined }));
      },
      (error: Error) => setLab((l) => ({ ...l, watchError: problemOf(error) })),
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
  const wide = columns >= 140;
  useEffect(() => {
    if (!target || !podName || !wide || flow.screen !== 'lab') return;
    let live = true;
    Promise.all([services.events(target, podName), services.logs(target, podName, { previous: true, tail: 50 }).catch((e: unknown) => `(${problemOf(e).message})`)])
      .then(([events, previous]: [KubeEvent[], string]) => live && setLab((l) => ({ ...l, events, previousLog: previous })))
      .catch((error: unknown) => live && setLab((l) => ({ ...l, watchError: problemOf(error) })));
    return () => {
      live = false;
    };
  }, [restartKey, wide, flow.screen, services]);

  const runStep = useCallback(
    (step: LabRoutineStep) => {
      dispatch({ type: 'step-run', stepId: step.id });
      if (step.interactive) return;
      setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: true } }, outputOffset: 0, outputShift: 0 }));
      step
        .run()
        .then((r) => setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: false, output: r.output, exitCode: r.exitCode } } })))
        .catch((error: unknown) => setLab((l) => ({ ...l, outputs: { ...l.outputs, [step.id]: { running: false, error: problemOf(error) } } })));
    },
    [],
  );

  const checkDiagnosis = useCallback(
    (category: CategoryId) => {
      if (!target || !scenario) return;
      if (!podName) {
        setDiagnose((d) => ({ ...d, error: { message: t(lang, 'lab.noPod') } }));
        return;
      }
      setDiagnose((d) => ({ ...d, checking: true, error: undefined, result: undefined }));
      services
        .checkDiagnosis(target, podName, category)
        .then((result) => {
          dispatch({ type: 'diagnosed', picked: category, correct: result.correct });
          setDiagnose((d) => ({ ...d, checking: false, result }));
        })
        .catch((error: unknown) => setDiagnose((d) => ({ ...d, checking: false, error: problemOf(error) })));
    },
    [services, scenario, podName, lang, flow.lab?.namespace],
  );

  const editDeployment = useCallback(async () => {
    if (!target || !scenario) return;
    setFix((f) => ({ ...f, busy: t(lang, 'fix.loading'), message: undefined }));
    try {
      const original = fix.pendingYaml ?? (await services.openForEdit(target));
      const edited = await terminal.handOver(() => services.editText(original, `${scenario.workload.deployment}.yaml`));
      if (edited.status === 'failed') {
        setFix({ message: { kind: 'error', text: edited.error } });
        return;
      }
      if (edited.status === 'unchanged' || edited.text === original) {
        setFix({ pendingYaml: fix.pendingYaml, message: { kind: 'info', text: t(lang, 'fix.unchanged') } });
        return;
      }
      setFix({ busy: t(lang, 'fix.applying') });
      const applied = await services.applyEdit(target, edited.text);
      if (applied.ok) setFix({ message: { kind: 'ok', text: t(lang, 'fix.applied'), lines: applied.lines } });
      else setFix({ pendingYaml: edited.text, message: { kind: 'rejected', text: applied.error } });
    } catch (error) {
      setFix((f) => ({ ...f, busy: undefined, message: { kind: 'error', text: problemOf(error).message, hint: problemOf(error).hint } }));
    }
  }, [services, scenario, terminal, lang, fix.pendingYaml, flow.lab?.namespace]);

  const solve = useCallback(() => {
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
      .catch((error: unknown) => setFix({ message: { kind: 'error', text: problemOf(error).message, hint: problemOf(error).hint } }));
  }, [services, lang, flow.lab?.namespace]);

  const startVerify = useCallback(() => {
    if (!target || flowRef.current.lab?.verifying) return;
    const abort = new AbortController();
    verifyAbort.current = abort;
    dispatch({ type: 'verify-started' });
    services
      .verify(target, { signal: abort.signal, onProgress: (p) => dispatch({ type: 'verify-progress', progress: p }) })
      // A verdict that arrives after the learner cancelled is not theirs to keep.
      .then((verdict) => dispatch(abort.signal.aborted ? { type: 'verify-cancelled' } : { type: 'verify-finished', verdict, at: clock() }))
      .catch((error: unknown) => {
        if (abort.signal.aborted || isAbort(error)) dispatch({ type: 'verify-cancelled' });
        else {
          const p = problemOf(error);
          dispatch({
            type: 'verify-finished',
            at: clock(),
            verdict: { outcome: 'unable', summary: p.message, evidence: p.hint ? [p.hint] : [], guards: [], windowSeconds: 0, windowReasons: [], elapsedSeconds: 0 },
          });
        }
      })
      .finally(() => {
        if (verifyAbort.current === abort) verifyAbort.current = undefined;
      });
  }, [services, clock, flow.lab?.namespace]);

  // ---- a verdict is saved as soon as it arrives; the debrief loads its data on a pass
  useEffect(() => {
    const l = flow.lab;
    if (!l?.verdict || l.verdictAt === undefined) return;
    const outcome = l.verdict.outcome;
    setDebrief((d) => ({ ...d, saved: false, saveError: undefined }));
    services
      .recordVerdict(l.target, outcome, { seconds: Math.round((l.verdictAt - l.startedAt) / 1000), hintsUsed: l.hintsShown })
      .then((p) => {
        setProgress(p);
        setDebrief((d) => ({ ...d, saved: true }));
      })
      .catch((error: unknown) => setDebrief((d) => ({ ...d, saveError: problemOf(error) })));
    if (outcome === 'pass' && target) {
      services
        .debrief(target)
        .then((data) => setDebrief((d) => ({ ...d, data })))
        .catch((error: unknown) => setDebrief((d) => ({ ...d, error: problemOf(error) })));
    }
  }, [flow.lab?.verdictAt]);

  const resetNamespace = useCallback(() => {
    if (!target) return;
    services
      .reset(target)
      .then(() => setDebrief((d) => ({ ...d, resetDone: target.namespace })))
      .catch((error: unknown) => setDebrief((d) => ({ ...d, error: problemOf(error) })));
  }, [services, flow.lab?.namespace]);

  // ---- layout numbers the key router needs (page sizes)
  const height = Math.max(10, rows - 1);
  const layout = labLayout({ columns, height, hint: flow.lab && flow.lab.hintsShown > 0 && scenario ? pick(scenario.hints[flow.lab.hintsShown - 1], lang) : undefined, banner: Boolean(banner || lab.watchError) });
  const selectedStep = steps[clamp(lab.cursor, 0, Math.max(0, steps.length - 1))];
  const selectedRows = selectedStep ? outputRows(selectedStep, lab.outputs[selectedStep.id], layout.outputWidth, lang, lab.copied === selectedStep.id) : [];
  const outputRowCount = selectedRows.length;
  const outputMaxWidth = widest(selectedRows);
  const visible = scenarios ? visibleScenarios(scenarios, picker.filter, flow.mystery, lang) : [];
  const debriefRowCount = debrief.data && scenario ? debriefRows(debrief.data, lang, columns - 2).length : 0;

  // ---- the one key router
  const handleKey = (input: string, key: Key) => {
    const state = flowRef.current;
    const ctrlC = key.ctrl && input === 'c';
    if (state.overlay === 'help') {
      dispatch({ type: 'close-overlay' });
      return;
    }
    if (state.overlay === 'quit') {
      if (input === 'y' || ctrlC) quit(0);
      else if (input === 'n' || key.escape) dispatch({ type: 'close-overlay' });
      return;
    }
    if (state.overlay === 'solve') {
      if (input === 'y') solve();
      else if (input === 'n' || key.escape) dispatch({ type: 'close-overlay' });
      return;
    }
    const typing = state.screen === 'picker' && picker.filtering;
    if (ctrlC) {
      if (state.screen === 'cluster' && cluster.phase === 'working') {
        clusterAbort.current?.abort();
        return;
      }
      if (state.lab?.verifying) dispatch({ type: 'overlay', overlay: 'quit' });
      else quit(0);
      return;
    }
    if (!typing && input === '?') {
      dispatch({ type: 'overlay', overlay: 'help' });
      return;
    }
    if (!typing && input === 'q') {
      if (state.lab?.verifying) dispatch({ type: 'overlay', overlay: 'quit' });
      else quit(0);
      return;
    }
    const up = key.upArrow || (!typing && input === 'k');
    const down = key.downArrow || (!typing && input === 'j');

    switch (state.screen) {
      case 'preflight':
        if (input === 'r' && !preflight.running) runPreflight();
        else if (key.return && !preflight.running && !preflight.error && preflight.results.every((r) => r.status !== 'fail')) dispatch({ type: 'preflight-passed' });
        return;

      case 'cluster':
        if (cluster.phase === 'confirm') {
          if (input === 'y') {
            services.confirmContext();
            ensureCluster();
          } else if (input === 'n' || key.escape) quit(2);
          return;
        }
        if (cluster.phase === 'cancelled' || cluster.phase === 'failed' || cluster.phase === 'deleted') {
          if (input === 'r') ensureCluster();
          else if (input === 'd' && cluster.phase !== 'deleted') deleteCluster();
        }
        return;

      case 'picker': {
        if (starting && !starting.error) return;
        if (picker.filtering) {
          if (key.return || key.escape) setPicker((p) => ({ ...p, filtering: false }));
          else if (key.backspace || key.delete) setPicker((p) => ({ ...p, filter: p.filter.slice(0, -1), cursor: 0 }));
          else if (key.upArrow) setPicker((p) => ({ ...p, cursor: Math.max(0, p.cursor - 1) }));
          else if (key.downArrow) setPicker((p) => ({ ...p, cursor: Math.min(visible.length - 1, p.cursor + 1) }));
          else if (input && !key.ctrl && !key.meta) {
            // A pasted "oom\r" types the text and closes the field.
            const text = input.split(/[\r\n]/)[0].replace(/[\x00-\x1f]/g, '');
            setPicker((p) => ({ ...p, filter: p.filter + text, cursor: 0, filtering: !/[\r\n]/.test(input) }));
          }
          return;
        }
        if (up) setPicker((p) => ({ ...p, cursor: Math.max(0, p.cursor - 1) }));
        else if (down) setPicker((p) => ({ ...p, cursor: Math.max(0, Math.min(visible.length - 1, p.cursor + 1)) }));
        else if (input === '/') setPicker((p) => ({ ...p, filtering: true }));
        else if (input === 'm') dispatch({ type: 'toggle-mystery' });
        else if (key.escape && picker.filter) setPicker({ cursor: 0, filter: '', filtering: false });
        else if (key.return) {
          const chosen = visible[clamp(picker.cursor, 0, visible.length - 1)];
          if (chosen) startScenario(chosen.scenario);
        }
        return;
      }

      case 'lab': {
        const page = Math.max(1, layout.outputHeight - 1);
        const maxOffset = Math.max(0, outputRowCount - layout.outputHeight);
        const scroll = (delta: number) => setLab((l) => ({ ...l, outputOffset: clamp(l.outputOffset + delta, 0, maxOffset) }));
        if (key.tab) setLab((l) => ({ ...l, pane: l.pane === 'routine' ? 'output' : 'routine' }));
        else if (key.pageUp) scroll(-page);
        else if (key.pageDown) scroll(page);
        else if (key.leftArrow || key.rightArrow) {
          const maxShift = Math.max(0, outputMaxWidth - layout.outputWidth);
          setLab((l) => ({ ...l, outputShift: clamp(l.outputShift + (key.leftArrow ? -10 : 10), 0, maxShift) }));
        }
        else if (up || down) {
          if (lab.pane === 'output') scroll(up ? -1 : 1);
          else setLab((l) => ({ ...l, cursor: clamp(l.cursor + (up ? -1 : 1), 0, Math.max(0, steps.length - 1)), outputOffset: 0, outputShift: 0 }));
        } else if (key.return && selectedStep) runStep(selectedStep);
        else if (input === 'y' && selectedStep) {
          terminal.copy(selectedStep.command);
          setLab((l) => ({ ...l, copied: selectedStep.id }));
        } else if (input === 'h') dispatch({ type: 'hint' });
        else if (input === 'd') dispatch({ type: 'open', screen: 'diagnose' });
        else if (input === 'f') dispatch({ type: 'open', screen: 'fix' });
        else if (input === 'v') startVerify();
        else if (key.escape) dispatch({ type: 'back' });
        return;
      }

      case 'diagnose':
        if (diagnose.checking) return;
        if (diagnose.result) {
          if (diagnose.result.correct && input === 'f') dispatch({ type: 'open', screen: 'fix' });
          else if (key.return && !diagnose.result.correct) setDiagnose((d) => ({ ...d, result: undefined }));
          else if (key.escape) {
            setDiagnose((d) => ({ ...d, result: undefined }));
            dispatch({ type: 'back' });
          }
          return;
        }
        if (up) setDiagnose((d) => ({ ...d, cursor: Math.max(0, d.cursor - 1) }));
        else if (down) setDiagnose((d) => ({ ...d, cursor: Math.min(DIAGNOSIS_CHOICES.length - 1, d.cursor + 1) }));
        else if (key.return) checkDiagnosis(DIAGNOSIS_CHOICES[diagnose.cursor].id);
        else if (key.escape) dispatch({ type: 'back' });
        return;

      case 'fix':
        if (fix.busy) return;
        if (input === 'e') void editDeployment();
        else if (input === 's') dispatch({ type: 'overlay', overlay: 'solve' });
        else if (input === 'v') startVerify();
        else if (key.escape) dispatch({ type: 'back' });
        return;

      case 'verify':
        if (state.lab?.verifying) {
          if (key.escape) verifyAbort.current?.abort();
          return;
        }
        if (input === 'f') dispatch({ type: 'back' });
        else if (input === 'v') startVerify();
        else if (key.escape) dispatch({ type: 'open', screen: 'lab' });
        return;

      case 'debrief': {
        const maxOffset = Math.max(0, debriefRowCount - (height - 6));
        if (up || down) setDebrief((d) => ({ ...d, offset: clamp(d.offset + (up ? -1 : 1), 0, maxOffset) }));
        else if (key.pageUp || key.pageDown) setDebrief((d) => ({ ...d, offset: clamp(d.offset + (key.pageUp ? -1 : 1) * (height - 7), 0, maxOffset) }));
        else if (input === 'r') resetNamespace();
        else if (key.return || key.escape) dispatch({ type: 'leave-lab' });
        return;
      }
    }
  };
  // Keys typed faster than a frame arrive as one chunk ("jj\r", "/oom"). Outside the filter
  // field each character is a command of its own, and each must see the state the previous
  // one produced: they are replayed one per render through the latest handler.
  const latestHandler = useRef(handleKey);
  latestHandler.current = handleKey;
  const replay = useRef<NodeJS.Timeout | undefined>(undefined);
  useEffect(() => () => clearTimeout(replay.current), []);
  useInput(
    (input: string, key: Key) => {
      const typing = flowRef.current.screen === 'picker' && picker.filtering;
      if (typing || input.length <= 1 || key.ctrl || key.meta || input.includes('\x1b')) {
        handleKey(input, key);
        return;
      }
      const chars = [...input];
      const next = () => {
        const ch = chars.shift();
        if (ch === undefined) return;
        latestHandler.current(ch === '\r' ? '' : ch, { ...key, return: ch === '\r' });
        if (chars.length) replay.current = setTimeout(next, 15);
      };
      next();
    },
    { isActive: !suspended },
  );

  // ---- render
  const body = (() => {
    if (flow.overlay === 'help') return <HelpOverlay lang={lang} />;
    switch (flow.screen) {
      case 'preflight':
        return <PreflightScreen lang={lang} {...preflight} />;
      case 'cluster':
        return <ClusterScreen lang={lang} cluster={cluster} context={services.clusterTarget().context} now={now} height={height - 3} />;
      case 'picker':
        return (
          <PickerScreen
            lang={lang}
            scenarios={scenarios}
            visible={visible}
            progress={progress}
            cursor={clamp(picker.cursor, 0, Math.max(0, visible.length - 1))}
            filter={picker.filter}
            filtering={picker.filtering}
            mystery={flow.mystery}
            starting={starting}
            problem={banner}
            width={columns}
            height={height - 3}
          />
        );
      case 'lab':
        return flow.lab && scenario ? (
          <LabScreen lang={lang} lab={flow.lab} scenario={scenario} data={lab} steps={steps} layout={layout} now={now} problem={banner ?? lab.watchError} />
        ) : null;
      case 'diagnose':
        return scenario ? <DiagnoseScreen lang={lang} state={diagnose} choices={DIAGNOSIS_CHOICES} width={columns} height={height - 3} /> : null;
      case 'fix':
        return flow.lab && scenario ? (
          <FixScreen lang={lang} scenario={scenario} lab={flow.lab} data={lab} now={now} width={columns} busy={fix.busy} message={fix.message} command={(args) => services.kubectlCommand(args)} />
        ) : null;
      case 'verify':
        return flow.lab && scenario ? <VerifyScreen lang={lang} lab={flow.lab} data={lab} scenario={scenario} now={now} width={columns} height={height - 3} /> : null;
      case 'debrief':
        return flow.lab && scenario ? <DebriefScreen lang={lang} lab={flow.lab} scenario={scenario} state={debrief} width={columns} height={height - 3} /> : null;
    }
  })();

  return (
    <Frame
      lang={lang}
      flow={flow}
      scenario={scenario}
      mystery={flow.mystery}
      now={now}
      width={columns}
      height={height}
      keys={footerKeys(flow, lang, { cluster, preflightFailed: preflight.results.some((r) => r.status === 'fail'), diagnose, filtering: picker.filtering })}
      quitQuestion={flow.overlay === 'quit'}
      solveQuestion={flow.overlay === 'solve'}
    >
      {body}
    </Frame>
  );
}

function emptyLab(): LabData {
  return { pods: [], history: emptyRestartHistory(), cursor: 0, pane: 'routine', outputs: {}, outputOffset: 0, outputShift: 0, events: [], previousLog: '' };
}

function footerKeys(
  flow: FlowState,
  lang: Lang,
  ctx: { cluster: ClusterState; preflightFailed: boolean; diagnose: DiagnoseState; filtering: boolean },
): string {
  if (flow.overlay === 'help') return t(lang, 'help.close');
  switch (flow.screen) {
    case 'preflight':
      return ctx.preflightFailed ? t(lang, 'preflight.keysFailed') : t(lang, 'preflight.keys');
    case 'cluster':
      if (ctx.cluster.phase === 'confirm') return t(lang, 'cluster.confirm');
      if (ctx.cluster.phase === 'working') return `${t(lang, 'cluster.cancelKey')} · q`;
      return t(lang, 'cluster.afterStop');
    case 'picker':
      return ctx.filtering ? t(lang, 'picker.filterKeys') : t(lang, 'picker.keys');
    case 'lab':
      return t(lang, 'lab.keys');
    case 'diagnose':
      if (ctx.diagnose.result) return ctx.diagnose.result.correct ? t(lang, 'diagnose.keysRight') : t(lang, 'diagnose.keysWrong');
      return t(lang, 'diagnose.keys');
    case 'fix':
      return t(lang, 'fix.keys');
    case 'verify':
      return flow.lab?.verifying ? t(lang, 'verify.keysRunning') : t(lang, 'verify.keysDone');
    case 'debrief':
      return t(lang, 'debrief.keys');
  }
}
