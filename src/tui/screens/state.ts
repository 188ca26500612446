/** The state each screen renders, as the root component keeps it. */
import type { CategoryId } from '../../core/categories.js';
import type { KubeEvent, Pod } from '../../core/k8s.js';
import type { RestartHistory } from '../../core/podStatus.js';
import type { ClusterInfo, Debrief, LabDiagnosis } from '../../engine/labTypes.js';
import type { Problem } from '../problem.js';

export interface ClusterState {
  phase: 'idle' | 'confirm' | 'working' | 'ready' | 'cancelled' | 'failed' | 'deleting' | 'deleted';
  lines: string[];
  startedMs: number;
  question?: string;
  info?: ClusterInfo;
  error?: Problem;
}

export interface StepOutputState {
  running: boolean;
  output?: string;
  exitCode?: number;
  error?: Problem;
}

export interface LabData {
  pods: Pod[];
  history: RestartHistory;
  cursor: number;
  pane: 'routine' | 'output';
  outputs: Record<string, StepOutputState>;
  outputOffset: number;
  /** Columns scrolled sideways in the output pane. */
  outputShift: number;
  /** The step whose command was last put on the clipboard. */
  copied?: string;
  events: KubeEvent[];
  previousLog: string;
  watchError?: Problem;
}

export interface DiagnoseState {
  /** The selected cause's index; -1 while nothing is selected. */
  cursor: number;
  checking: boolean;
  result?: { picked: CategoryId; correct: boolean; diagnosis: LabDiagnosis };
  error?: Problem;
}

export interface FixMessage {
  kind: 'ok' | 'info' | 'rejected' | 'error';
  text: string;
  hint?: string;
  lines?: string[];
}

export interface DebriefState {
  offset: number;
  saved: boolean;
  saveError?: Problem;
  data?: Debrief;
  error?: Problem;
  resetDone?: string;
  /** What became of the team's note (game mode). */
  note?: { ok: boolean; text: string };
  /** Game mode: the team's score by the board's rules, and whether the board's verdict on this run is still to come. */
  team?: { score: number; pending: boolean };
}
