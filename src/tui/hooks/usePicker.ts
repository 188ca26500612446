/** The scenario picker: the catalog and progress (fresh on each visit), cursor, filter, mystery, start. */
import { useCallback, useEffect, useRef } from 'react';
import { attemptUnfinished, type Progress } from '../../core/progress.js';
import type { Scenario } from '../../core/scenario.js';
import type { TeamInstance } from '../../engine/lab/team.js';
import { useSyncState } from './common.js';
import { clamp } from '../layout.js';
import { problemOf, type Problem } from '../problem.js';
import { visibleScenarios } from '../screens/index.js';
import type { HookDeps } from './deps.js';

export interface PickerState {
  cursor: number;
  filter: string;
  filtering: boolean;
}

export interface Starting {
  id: string;
  lines: string[];
  /** The scenario already runs in the team namespace: start joins it. */
  joining?: boolean;
  error?: Problem;
}

/** What the team plays comes first: the round the instructor released is one Enter away. */
function liveFirst(list: Scenario[], running: Map<string, TeamInstance>): Scenario[] {
  return [...list].sort((a, b) => Number(running.has(b.id)) - Number(running.has(a.id)) || a.order - b.order || a.id.localeCompare(b.id));
}

/** The instances' identity and release, to tell whether a refresh changed anything. */
const liveKey = (instances: Iterable<TeamInstance>) =>
  JSON.stringify([...instances].map((i) => [i.scenarioId, i.instance, i.released?.at ?? '']).sort());

/** The filter field's keys: open, close, erase, clear, type. */
function filterActions(setPicker: (update: (p: PickerState) => PickerState) => void) {
  return {
    filterOpen: () => setPicker((p) => ({ ...p, filtering: true })),
    filterClose: () => setPicker((p) => ({ ...p, filtering: false })),
    filterErase: () => setPicker((p) => ({ ...p, filter: p.filter.slice(0, -1), cursor: 0 })),
    filterClear: () => setPicker((p) => (p.filter ? { cursor: 0, filter: '', filtering: false } : p)),
    /** A pasted "oom\r" types the text and closes the field. */
    filterType(input: string) {
      const text = input.split(/[\r\n]/)[0].replace(/[\x00-\x1f]/g, '');
      setPicker((p) => ({ ...p, filter: p.filter + text, cursor: 0, filtering: !/[\r\n]/.test(input) }));
    },
  };
}

/** How often a team's picker asks for what the instructor released or injected (one engine call). */
export const TEAM_REFRESH_MS = 5000;

export function usePicker({ services, lang, dispatch, flowRef }: HookDeps, screen: string, teamRefreshMs = TEAM_REFRESH_MS) {
  const [scenarios, setScenarios, scenariosRef] = useSyncState<Scenario[] | undefined>(undefined);
  const [progress, setProgress, progressRef] = useSyncState<Progress | undefined>(undefined);
  const [picker, setPicker, pickerRef] = useSyncState<PickerState>({ cursor: 0, filter: '', filtering: false });
  const [starting, setStarting, startingRef] = useSyncState<Starting | undefined>(undefined);
  const [banner, setBanner, bannerRef] = useSyncState<Problem | undefined>(undefined);
  const [live, setLive, liveRef] = useSyncState<Map<string, TeamInstance>>(new Map());
  /** The scenario whose lab was opened last (started or resumed). */
  const lastOpened = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (screen !== 'picker') return;
    let mounted = true;
    // The team's live instances are a nice-to-have: the picker works without them.
    Promise.all([services.scenarios(), services.progress(), services.teamInstances().catch((error: unknown) => (problemOf(error).gameOver ? Promise.reject(error) : ([] as TeamInstance[]))), services.mysteryGame()])
      .then(([list, snapshot, instances, mysteryGame]) => {
        if (!mounted) return;
        if (mysteryGame && !flowRef.current.mysteryLocked) dispatch({ type: 'mystery-game' });
        const running = new Map(instances.map((i) => [i.scenarioId, i]));
        setLive(running);
        setScenarios(liveFirst(list, running));
        // Back from a lab: the cursor stays on that scenario (the order may have changed), one Enter from resuming it.
        const back = visibleNow().findIndex((v) => v.scenario.id === lastOpened.current);
        if (back >= 0) setPicker((p) => ({ ...p, cursor: back }));
        setProgress(snapshot.progress);
        if (snapshot.warning) setBanner({ message: snapshot.warning });
      })
      .catch((error: unknown) => mounted && setBanner(problemOf(error, lang)));
    return () => {
      mounted = false;
    };
  }, [screen, services, dispatch, flowRef]);

  // A team's picker follows the game while it is shown: a round released or a fault injected
  // appears without a restart. Not while a start is under way (that start re-reads on return).
  useEffect(() => {
    if (screen !== 'picker' || !services.inGame) return;
    let mounted = true;
    let busy = false;
    const timer = setInterval(() => {
      if (busy || (startingRef.current && !startingRef.current.error) || !scenariosRef.current) return;
      busy = true;
      services
        .teamInstances()
        .then((instances) => {
          const running = new Map(instances.map((i) => [i.scenarioId, i]));
          if (!mounted || !scenariosRef.current || liveKey(running.values()) === liveKey(liveRef.current.values())) return;
          // The cursor stays on the scenario it was on, wherever the new order puts it.
          const selected = selectedNow()?.scenario.id;
          setLive(running);
          setScenarios(liveFirst(scenariosRef.current, running));
          const index = visibleNow().findIndex((v) => v.scenario.id === selected);
          if (index >= 0) setPicker((p) => ({ ...p, cursor: index }));
        })
        // A passing failure waits for the next look; the end of the game does not.
        .catch((error: unknown) => {
          const problem = problemOf(error, lang);
          if (mounted && problem.gameOver) setBanner(problem);
        })
        .finally(() => {
          busy = false;
        });
    }, teamRefreshMs);
    return () => {
      mounted = false;
      clearInterval(timer);
    };
  }, [screen, services, teamRefreshMs]);

  /** What the list shows now, read at the moment of a key. */
  const visibleNow = () => (scenariosRef.current ? visibleScenarios(scenariosRef.current, pickerRef.current.filter, flowRef.current.mystery, lang, services.inGame) : []);
  const selectedNow = () => {
    const visible = visibleNow();
    return visible[clamp(pickerRef.current.cursor, 0, visible.length - 1)];
  };

  const start = useCallback(
    (s: Scenario, fresh = false, resume = false) => {
      const joining = live.has(s.id) && !fresh;
      setStarting({ id: s.id, lines: [], joining });
      setBanner(undefined);
      const lines: string[] = [];
      services
        .start(s.id, {
          mystery: flowRef.current.mystery,
          ...(fresh ? { fresh: true } : {}),
          ...(resume ? { resume: true } : {}),
          onLine: (line) => {
            lines.push(line);
            setStarting({ id: s.id, lines: [...lines], joining });
          },
        })
        .then((started) => {
          setStarting(undefined);
          dispatch({ type: 'lab-started', target: started, startedAt: started.startedAt, hintCount: s.hints.length, hintsShown: started.hintsShown });
        })
        .catch((error: unknown) => setStarting({ id: s.id, lines, error: problemOf(error, lang) }));
    },
    [services, dispatch, setStarting, flowRef, live],
  );

  return {
    scenarios,
    scenariosRef,
    progress,
    live,
    setProgress,
    picker,
    starting,
    startingRef,
    banner,
    bannerRef,
    setBanner,
    pickerRef,
    move(delta: number) {
      const count = visibleNow().length;
      setPicker((p) => ({ ...p, cursor: clamp(p.cursor + delta, 0, Math.max(0, count - 1)) }));
    },
    ...filterActions(setPicker),
    /** Enter: resumes the run the learner left (Esc) as it was; starts one when there is none. */
    startSelected() {
      const chosen = selectedNow();
      if (!chosen) return;
      lastOpened.current = chosen.scenario.id;
      if (flowRef.current.paused?.[chosen.scenario.id]) dispatch({ type: 'resume', scenarioId: chosen.scenario.id });
      // Started in an earlier session and not passed: taken up as it was while it is still
      // deployed (deployed anew only when it is gone; `n` asks before replacing it). A team's
      // live run is joined the same way.
      else start(chosen.scenario, false, !services.inGame && attemptUnfinished(progressRef.current?.scenarios[chosen.scenario.id]));
    },
    /** Whether the selected scenario has a run to resume (then `n` asks before deploying it again). */
    selectedPaused: () => {
      const id = selectedNow()?.scenario.id ?? '';
      return Boolean(flowRef.current.paused?.[id]) || (!services.inGame && attemptUnfinished(progressRef.current?.scenarios[id]));
    },
    /** The confirmed redeploy: a new run from scratch, replacing the paused one. */
    redeploySelected() {
      dispatch({ type: 'close-overlay' });
      const chosen = selectedNow();
      if (!chosen) return;
      lastOpened.current = chosen.scenario.id;
      start(chosen.scenario, true);
    },
  };
}
