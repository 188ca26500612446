/**
 * The learner's path through the lab as a pure reducer: which screen is shown, what the
 * learner has done in the current lab (steps run, hints revealed, diagnosis, help taken) and
 * where verification stands. No React, no I/O: the root component turns actions into effects.
 */
import type { CategoryId } from '../core/categories.js';
import type { LabTarget, VerdictView, VerifyProgressView } from '../engine/labTypes.js';

export type Screen = 'preflight' | 'cluster' | 'picker' | 'lab' | 'diagnose' | 'fix' | 'verify' | 'debrief';
export type Overlay = 'help' | 'quit' | 'solve' | 'redeploy' | 'game-over';

export interface LabProgress {
  /** The run every lab call names. */
  target: LabTarget;
  scenarioId: string;
  namespace: string;
  /** Epoch ms, the lab clock starts when the broken workload was applied. */
  startedAt: number;
  hintCount: number;
  hintsShown: number;
  /** Routine step ids the learner has run, in the order first run. */
  stepsRun: string[];
  /** Every pick, first first; the first one is what the score counts. */
  diagnoses: { picked: CategoryId; correct: boolean }[];
  solvedWithHelp: boolean;
  verifying: boolean;
  verifyProgress?: VerifyProgressView;
  verdict?: VerdictView;
  /** Epoch ms when the last verdict arrived. */
  verdictAt?: number;
}

export interface FlowState {
  screen: Screen;
  overlay?: Overlay;
  mystery: boolean;
  /** A mystery game: the instructor turned mystery on for the room; the learner cannot turn it off. */
  mysteryLocked?: boolean;
  /** No cluster could be reached: the picker only reads (briefings), nothing starts. */
  readOnly?: boolean;
  lab?: LabProgress;
  /**
   * Runs the learner left for the picker (Esc) without finishing, by scenario id: Enter on the
   * scenario resumes one as it was (hints, clock, steps, diagnoses); only an explicit, confirmed
   * redeploy replaces it.
   */
  paused?: Record<string, LabProgress>;
  /** The game is over for this team: what the game-over screen says (it stays until quit). */
  gameOver?: { message: string; hint?: string };
}

export type FlowAction =
  | { type: 'preflight-passed' }
  | { type: 'cluster-ready' }
  | { type: 'browse' }
  | { type: 'toggle-mystery' }
  | { type: 'mystery-game' }
  | { type: 'lab-started'; target: LabTarget; startedAt: number; hintCount: number; hintsShown?: number }
  | { type: 'hint' }
  | { type: 'step-run'; stepId: string }
  | { type: 'open'; screen: 'lab' | 'diagnose' | 'fix' }
  | { type: 'diagnosed'; picked: CategoryId; correct: boolean }
  | { type: 'solved-with-help' }
  | { type: 'verify-started' }
  | { type: 'verify-progress'; progress: VerifyProgressView }
  | { type: 'verify-finished'; verdict: VerdictView; at: number }
  | { type: 'verify-cancelled' }
  | { type: 'back' }
  | { type: 'leave-lab' }
  | { type: 'resume'; scenarioId: string }
  | { type: 'overlay'; overlay: Overlay }
  | { type: 'close-overlay' }
  | { type: 'game-over'; message: string; hint?: string };

export const initialFlow: FlowState = { screen: 'preflight', mystery: false };

const BACK: Partial<Record<Screen, Screen>> = {
  diagnose: 'lab',
  fix: 'lab',
  verify: 'fix',
  debrief: 'picker',
  lab: 'picker',
};

function withLab(state: FlowState, change: (lab: LabProgress) => Partial<LabProgress>): FlowState {
  if (!state.lab) return state;
  return { ...state, lab: { ...state.lab, ...change(state.lab) } };
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'preflight-passed':
      return state.screen === 'preflight' ? { ...state, screen: 'cluster' } : state;
    case 'cluster-ready':
      return state.screen === 'cluster' ? { ...state, screen: 'picker', readOnly: false } : state;
    case 'browse':
      return state.screen === 'preflight' || state.screen === 'cluster' ? { ...state, screen: 'picker', readOnly: true } : state;
    case 'toggle-mystery':
      return state.mysteryLocked ? state : { ...state, mystery: !state.mystery };
    case 'mystery-game':
      return { ...state, mystery: true, mysteryLocked: true };
    case 'lab-started':
      return {
        ...state,
        // A fresh run replaces the paused one of that scenario.
        paused: without(state.paused, action.target.scenarioId),
        screen: 'lab',
        lab: {
          target: action.target,
          scenarioId: action.target.scenarioId,
          namespace: action.target.namespace,
          startedAt: action.startedAt,
          hintCount: action.hintCount,
          // A run taken up again keeps the hints already taken on it.
          hintsShown: Math.min(action.hintsShown ?? 0, action.hintCount),
          stepsRun: [],
          diagnoses: [],
          solvedWithHelp: false,
          verifying: false,
        },
      };
    case 'hint':
      return withLab(state, (lab) => ({ hintsShown: Math.min(lab.hintsShown + 1, lab.hintCount) }));
    case 'step-run':
      return withLab(state, (lab) => (lab.stepsRun.includes(action.stepId) ? {} : { stepsRun: [...lab.stepsRun, action.stepId] }));
    case 'open':
      return state.lab && !state.lab.verifying ? { ...state, screen: action.screen } : state;
    case 'diagnosed':
      return withLab(state, (lab) => ({ diagnoses: [...lab.diagnoses, { picked: action.picked, correct: action.correct }] }));
    case 'solved-with-help':
      return withLab(state, () => ({ solvedWithHelp: true }));
    case 'verify-started':
      if (!state.lab || state.lab.verifying) return state;
      return { ...withLab(state, () => ({ verifying: true, verifyProgress: undefined, verdict: undefined, verdictAt: undefined })), screen: 'verify' };
    case 'verify-progress':
      return state.lab?.verifying ? withLab(state, () => ({ verifyProgress: action.progress })) : state;
    case 'verify-finished': {
      if (!state.lab?.verifying) return state;
      const next = withLab(state, () => ({ verifying: false, verdict: action.verdict, verdictAt: action.at }));
      // A quit question about a running verify is moot once it ended.
      const overlay = state.overlay === 'quit' ? undefined : state.overlay;
      return { ...next, overlay, screen: action.verdict.outcome === 'pass' ? 'debrief' : 'verify' };
    }
    case 'verify-cancelled':
      return state.lab?.verifying ? { ...withLab(state, () => ({ verifying: false, verifyProgress: undefined })), screen: 'fix' } : state;
    case 'back': {
      if (state.gameOver) return state;
      if (state.overlay) return { ...state, overlay: undefined };
      if (state.lab?.verifying) return state;
      const target = BACK[state.screen];
      if (!target) return state;
      if (target !== 'picker') return { ...state, screen: target };
      // Left unfinished: kept, to resume. A passed run is done (its debrief said so).
      const lab = state.lab;
      const paused = lab && lab.verdict?.outcome !== 'pass' ? { ...state.paused, [lab.scenarioId]: lab } : without(state.paused, lab?.scenarioId);
      return { ...state, screen: 'picker', lab: undefined, paused };
    }
    case 'leave-lab':
      return state.lab?.verifying ? state : { ...state, screen: 'picker', lab: undefined, overlay: undefined, paused: without(state.paused, state.lab?.scenarioId) };
    case 'resume': {
      const lab = state.paused?.[action.scenarioId];
      if (!lab || state.screen !== 'picker') return state;
      return { ...state, screen: 'lab', overlay: undefined, lab, paused: without(state.paused, action.scenarioId) };
    }
    case 'overlay':
      return state.gameOver ? state : { ...state, overlay: action.overlay };
    case 'close-overlay':
      return state.gameOver ? state : { ...state, overlay: undefined };
    case 'game-over':
      return state.gameOver ? state : { ...state, overlay: 'game-over', gameOver: { message: action.message, ...(action.hint ? { hint: action.hint } : {}) } };
  }
}

function without(paused: Record<string, LabProgress> | undefined, scenarioId: string | undefined): Record<string, LabProgress> | undefined {
  if (!paused || scenarioId === undefined || !(scenarioId in paused)) return paused;
  const { [scenarioId]: _gone, ...rest } = paused;
  return rest;
}

/** The learner's first pick counts; later picks only teach. */
export function firstDiagnosisCorrect(lab: LabProgress): boolean | undefined {
  return lab.diagnoses[0]?.correct;
}

/** Lab time in whole seconds, from start to the verdict (or to now while running). */
export function labSeconds(lab: LabProgress, now: number): number {
  return Math.max(0, Math.round(((lab.verdictAt ?? now) - lab.startedAt) / 1000));
}

/**
 * A simple, explainable score: 100, minus 10 per hint, minus 20 for a wrong first diagnosis,
 * and at most 30 when the reference solution was applied. Shown in the debrief.
 */
export function score(lab: LabProgress): number {
  if (lab.verdict?.outcome !== 'pass') return 0;
  let points = 100 - 10 * lab.hintsShown;
  if (firstDiagnosisCorrect(lab) === false) points -= 20;
  if (lab.solvedWithHelp) points = Math.min(points, 30);
  return Math.max(0, points);
}
