/**
 * The lab's root component: composition only. Each screen's state and effects live in a hook
 * (hooks/use*.ts), every key in the key table (bindings.ts) that also draws the footer and the
 * help overlay; the rules behind the calls live in the lab action API.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from 'ink';
import { CATEGORIES } from '../core/categories.js';
import type { Scenario } from '../core/scenario.js';
import type { Lang } from '../core/text.js';
import { activeBindings, GLOBAL_BINDINGS, SCREEN_BINDINGS, type KeyActions, type KeyContext } from './bindings.js';
import type { LabClient } from './client.js';
import { flowReducer, initialFlow, type FlowState } from './flow.js';
import { useSyncReducer, useTerminalSize, useTicks } from './hooks/common.js';
import { useCluster } from './hooks/useCluster.js';
import type { HookDeps } from './hooks/deps.js';
import { useDiagnose } from './hooks/useDiagnose.js';
import { useFix } from './hooks/useFix.js';
import { useHintText } from './hooks/useHintText.js';
import { useGameOver } from './hooks/useGameOver.js';
import { useKeyRouting } from './hooks/useKeyRouting.js';
import { useLabSession } from './hooks/useLabSession.js';
import { usePicker } from './hooks/usePicker.js';
import { usePreflight } from './hooks/usePreflight.js';
import { useSlowNotice } from './hooks/useSlowNotice.js';
import { useTerminalHandOver, type HandOverTerminal } from './hooks/useTerminalHandOver.js';
import { useVerify } from './hooks/useVerify.js';
import { footer, helpRows } from './keys.js';
import { clamp } from './layout.js';
import {
  ClusterScreen,
  DebriefScreen,
  DiagnoseScreen,
  FixScreen,
  Frame,
  GameOverScreen,
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
} from './screens/index.js';
import { inertTerminal, type TerminalControl } from './terminal.js';

export interface AppProps {
  services: LabClient;
  lang: Lang;
  /** Hands the terminal to $EDITOR; tests use the inert one. */
  terminal?: HandOverTerminal;
  now?: () => number;
  /** Called with the exit code just before the app unmounts. */
  onExit?: (code: number) => void;
  /** How often a team's picker looks for released rounds (tests shorten it). */
  teamRefreshMs?: number;
}

export const DIAGNOSIS_CHOICES = CATEGORIES.filter((c) => c.id !== 'healthy' && c.id !== 'unknown');

export function App({ services, lang, terminal = inertTerminal, now: clock = Date.now, onExit, teamRefreshMs }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [flow, dispatch, flowRef] = useSyncReducer(flowReducer, initialFlow);
  const [now, setNow] = useState(clock);
  const suspended = useTerminalHandOver(terminal);
  const deps: HookDeps = { services, lang, clock, dispatch, flowRef };
  const labKey = flow.lab ? `${flow.lab.target.namespace}@${flow.lab.startedAt}` : undefined;
  const slowNotice = useSlowNotice(services, lang, clock);
  const frameHeight = Math.max(10, rows - 1);
  // The slow-cluster line takes its row from the screen, not from the frame.
  const height = frameHeight - (slowNotice ? 1 : 0);

  const preflight = usePreflight(deps);
  const cluster = useCluster(deps, flow.screen);
  const picker = usePicker(deps, flow.screen, teamRefreshMs);
  const scenario = useMemo(() => picker.scenarios?.find((s) => s.id === flow.lab?.scenarioId), [picker.scenarios, flow.lab?.scenarioId]);
  const hints = useHintText(deps, flow.lab, scenario);
  const hint = hints.hint;
  const layoutRef = useRef({ page: 1, maxOffset: 0, maxShift: 0 });
  const session = useLabSession(deps, { screen: flow.screen, wide: columns >= 140, now, setNow, bounds: () => layoutRef.current, container: scenario?.expect.container });
  const diagnose = useDiagnose(deps, DIAGNOSIS_CHOICES, flow.lab?.target, session.podName, labKey);
  const fix = useFix(deps, terminal, flow.lab?.target, scenario, labKey);
  const debriefRef = useRef({ maxOffset: 0, page: 1 });
  const verify = useVerify(deps, { labKey, onSaved: picker.setProgress, debriefBounds: () => debriefRef.current, terminal });

  // Scroll bounds the keys need, from this frame's layout.
  const layout = labLayout({ columns, height, hint, problem: picker.banner ?? session.lab.watchError });
  const selectedStep = session.selectedStep();
  const selectedRows = selectedStep ? outputRows(selectedStep, session.lab.outputs[selectedStep.id], layout.outputWidth, lang, session.lab.copied === selectedStep.id) : [];
  layoutRef.current = { page: Math.max(1, layout.outputHeight - 1), maxOffset: Math.max(0, selectedRows.length - layout.outputHeight), maxShift: Math.max(0, widest(selectedRows) - layout.outputWidth) };
  const debriefRowCount = verify.debrief.data && scenario ? debriefRows(verify.debrief.data, lang, columns - 2).length : 0;
  debriefRef.current = { maxOffset: Math.max(0, debriefRowCount - (height - 6)), page: height - 7 };

  const quit = useCallback(
    (code = 0) => {
      cluster.cancel();
      verify.abortAll();
      onExit?.(code);
      exit();
    },
    [exit, onExit],
  );

  // Unmounted by a signal or a crash: stop kind before the process goes.
  useEffect(() => () => cluster.cancel(), []);

  // ---- the clock: ticks once a second, only while a countdown or elapsed time is on screen
  const counting =
    (cluster.cluster.phase === 'working' && flow.screen === 'cluster') ||
    Boolean(picker.starting && !picker.starting.error) ||
    Boolean(flow.lab?.verifying) ||
    ((flow.screen === 'lab' || flow.screen === 'fix') && session.backingOff);
  // With a lab open but nothing counting down, the header's minute count still moves: a frame every 30 s is not a storm.
  useTicks(() => setNow(clock()), counting ? 1000 : flow.lab ? 30_000 : undefined);

  // ---- keys: the table decides; the actions are the hooks'
  const actions = keyActions({ quit, dispatch, flowRef, services, terminal, preflight, cluster, picker, session, diagnose, fix, verify, hints });
  // Read at the moment of each key, so a burst acts on the state the previous key left.
  const keyContext = (): KeyContext => ({
    flow: flowRef.current,
    preflight: { running: preflight.preflightRef.current.running, failed: preflight.preflightRef.current.results.some((r) => r.status === 'fail'), error: Boolean(preflight.preflightRef.current.error) },
    cluster: cluster.clusterRef.current,
    filtering: flowRef.current.screen === 'picker' && picker.pickerRef.current.filtering,
    starting: Boolean(picker.startingRef.current && !picker.startingRef.current.error),
    selectedPaused: flowRef.current.screen === 'picker' && picker.selectedPaused(),
    labPane: session.labRef.current.pane,
    diagnose: diagnose.diagnoseRef.current,
    fixBusy: Boolean(fix.fixRef.current.busy),
    inGame: services.inGame,
    act: actionsRef.current,
  });
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  useKeyRouting({
    flowRef,
    keyContext,
    suspended,
    transitionFailed: Boolean(picker.starting?.error || diagnose.diagnose.error),
    typing: () => flowRef.current.screen === 'picker' && picker.pickerRef.current.filtering,
    inTransition: () => {
      const f = flowRef.current;
      if (f.overlay) return false;
      switch (f.screen) {
        case 'preflight':
          return preflight.preflightRef.current.running;
        case 'cluster':
          return cluster.clusterRef.current.phase === 'working' || cluster.clusterRef.current.phase === 'idle';
        case 'picker':
          return (!picker.scenariosRef.current && !picker.bannerRef.current) || Boolean(picker.startingRef.current && !picker.startingRef.current.error);
        case 'diagnose':
          return diagnose.diagnoseRef.current.checking;
        default:
          return false;
      }
    },
  });

  // ---- the game is over for this team (token expired, game ended): whichever call found out first
  useGameOver(deps, flow, [preflight.preflight.error, picker.banner, picker.starting?.error, session.lab.watchError], teamRefreshMs);

  // ---- render
  const body = screenBody({ services, lang, flow, now, columns, height, scenario, layout, preflight, cluster, picker, session, diagnose, fix, verify });

  return (
    <Frame
      lang={lang}
      flow={flow}
      scenario={scenario}
      mystery={flow.mystery}
      now={now}
      width={columns}
      height={frameHeight}
      notice={slowNotice}
      keys={footer(activeBindings(flow), keyContext(), lang)}
      quitQuestion={flow.overlay === 'quit'}
      solveQuestion={flow.overlay === 'solve'}
      redeployQuestion={flow.overlay === 'redeploy'}
    >
      {body}
    </Frame>
  );
}

type Hooks = {
  preflight: ReturnType<typeof usePreflight>;
  cluster: ReturnType<typeof useCluster>;
  picker: ReturnType<typeof usePicker>;
  session: ReturnType<typeof useLabSession>;
  diagnose: ReturnType<typeof useDiagnose>;
  fix: ReturnType<typeof useFix>;
  verify: ReturnType<typeof useVerify>;
};

/** What each key of the key table does: the hooks' actions, and a few flow steps. */
function keyActions({ quit, dispatch, flowRef, terminal, preflight, cluster, picker, session, diagnose, fix, verify, hints }: Hooks & Pick<HookDeps, 'dispatch' | 'flowRef' | 'services'> & { quit: (code?: number) => void; terminal: TerminalControl; hints: ReturnType<typeof useHintText> }): KeyActions {
  return {
    quit,
    askQuit: () => dispatch({ type: 'overlay', overlay: 'quit' }),
    closeOverlay: () => dispatch({ type: 'close-overlay' }),
    openHelp: () => dispatch({ type: 'overlay', overlay: 'help' }),
    back: () => dispatch({ type: 'back' }),
    leaveLab: () => dispatch({ type: 'leave-lab' }),
    open: (screen) => dispatch({ type: 'open', screen }),
    rerunPreflight: preflight.rerun,
    continuePreflight: preflight.proceed,
    confirmContext: cluster.confirm,
    retryCluster: cluster.ensure,
    deleteCluster: cluster.remove,
    cancelCluster: cluster.cancel,
    pickerMove: picker.move,
    filterOpen: picker.filterOpen,
    filterClose: picker.filterClose,
    filterType: picker.filterType,
    filterErase: picker.filterErase,
    filterClear: picker.filterClear,
    toggleMystery: () => dispatch({ type: 'toggle-mystery' }),
    browse: () => dispatch({ type: 'browse' }),
    startSelected: picker.startSelected,
    askRedeploy: () => dispatch({ type: 'overlay', overlay: 'redeploy' }),
    redeploySelected: picker.redeploySelected,
    labPane: session.togglePane,
    labMove: session.move,
    labPage: session.page,
    labShift: session.shift,
    runStep: session.runSelected,
    copyStep: () => session.copySelected((text) => terminal.copy(text)),
    hint: () => {
      const lab = flowRef.current.lab;
      if (!lab || lab.hintsShown >= lab.hintCount) return;
      dispatch({ type: 'hint' });
      // Written to the team's log in a game (counted once per hint); a failed write shows on the next action.
      hints.reveal(lab).catch(() => undefined);
    },
    diagnoseMove: diagnose.move,
    diagnoseChoose: diagnose.choose,
    diagnoseDigit: diagnose.typeDigit,
    diagnoseExtra: diagnose.selectExtra,
    diagnoseRetry: diagnose.retry,
    diagnoseBack: diagnose.back,
    edit: fix.edit,
    askSolve: () => dispatch({ type: 'overlay', overlay: 'solve' }),
    solve: fix.solve,
    verify: verify.start,
    cancelVerify: verify.cancel,
    debriefScroll: verify.scroll,
    debriefPage: verify.page,
    resetRun: verify.reset,
    writeNote: verify.writeNote,
  };
}

/** The screen (or overlay) the flow is on. */
function screenBody(p: Hooks & { services: LabClient; lang: Lang; flow: FlowState; now: number; columns: number; height: number; scenario: Scenario | undefined; layout: ReturnType<typeof labLayout> }) {
  const { services, lang, flow, now, columns, height, scenario, layout, preflight, cluster, picker, session, diagnose, fix, verify } = p;
  const visible = picker.scenarios ? visibleScenarios(picker.scenarios, picker.picker.filter, flow.mystery, lang, services.inGame) : [];
  if (flow.overlay === 'game-over' && flow.gameOver) return <GameOverScreen lang={lang} message={flow.gameOver.message} hint={flow.gameOver.hint} width={columns} />;
  if (flow.overlay === 'help') return <HelpOverlay lang={lang} rows={helpRows([...SCREEN_BINDINGS[flow.screen], ...GLOBAL_BINDINGS], lang)} />;
  switch (flow.screen) {
    case 'preflight':
      return <PreflightScreen lang={lang} {...preflight.preflight} />;
    case 'cluster':
      return <ClusterScreen lang={lang} cluster={cluster.cluster} context={services.clusterTarget().context} now={now} height={height - 3} />;
    case 'picker':
      return (
        <PickerScreen
          lang={lang}
          scenarios={picker.scenarios}
          visible={visible}
          progress={picker.progress}
          cursor={clamp(picker.picker.cursor, 0, Math.max(0, visible.length - 1))}
          filter={picker.picker.filter}
          filtering={picker.picker.filtering}
          mystery={flow.mystery}
          mysteryLocked={flow.mysteryLocked}
          readOnly={flow.readOnly}
          starting={picker.starting}
          problem={picker.banner}
          live={picker.live}
          paused={flow.paused}
          now={now}
          inGame={services.inGame}
          width={columns}
          height={height - 3}
        />
      );
    case 'lab':
      return flow.lab && scenario ? <LabScreen lang={lang} lab={flow.lab} scenario={scenario} data={session.lab} steps={session.steps} layout={layout} now={now} problem={picker.banner ?? session.lab.watchError} /> : null;
    case 'diagnose':
      return scenario ? <DiagnoseScreen lang={lang} state={diagnose.diagnose} choices={DIAGNOSIS_CHOICES} width={columns} height={height - 3} /> : null;
    case 'fix':
      return flow.lab && scenario ? (
        <FixScreen lang={lang} scenario={scenario} lab={flow.lab} data={session.lab} now={now} width={columns} busy={fix.fix.busy} message={fix.fix.message} command={(args) => services.kubectlCommand(args)} />
      ) : null;
    case 'verify':
      return flow.lab && scenario ? <VerifyScreen lang={lang} lab={flow.lab} data={session.lab} scenario={scenario} now={now} width={columns} height={height - 3} /> : null;
    case 'debrief':
      return flow.lab && scenario ? <DebriefScreen lang={lang} lab={flow.lab} scenario={scenario} state={verify.debrief} width={columns} height={height - 3} /> : null;
  }

}
