/**
 * The shapes the lab action API (engine/labApi.ts) hands to its clients: the CLI, the lab UI
 * and the game-day clients. Learner-facing strings are already in the learner's language
 * (the API is built for one language by the composition root); kubectl output, server
 * messages and evidence lines are shown as they are.
 *
 * Errors: methods reject with an Error whose `message` is readable by a learner; an optional
 * string property `hint` is the next step (LabError and PortError qualify).
 * Long-running calls take an AbortSignal and stop their child processes when it fires.
 */
import type { CategoryId } from '../core/categories.js';
import type { RoutineStep } from '../core/routine.js';
import type { Scenario } from '../core/scenario.js';
import type { Text } from '../core/text.js';
import type { RunTarget } from '../core/instance.js';
import type { Progress } from '../core/progress.js';
import type { StepRun } from './routineStep.js';

// ---------------------------------------------------------------- preflight

export interface PreflightResult {
  /** Stable id, e.g. docker, docker-daemon, kind, kubectl, context. */
  id: string;
  title: Text;
  /** fail blocks the lab; warn is shown but the learner may continue. */
  status: 'ok' | 'warn' | 'fail';
  /** What was found: a version ("kind v0.27.0"), or what is wrong ("docker: command not found"). */
  detail: string;
  /** The exact fix (install command, link, `sudo systemctl start docker`...). */
  fix?: Text;
}

// ---------------------------------------------------------------- cluster

export interface ClusterTarget {
  /** The kubeconfig context crashlab will use (kind-crashlab unless --context). */
  context: string;
  /**
   * Set when the context is not crashlab's own kind cluster and the learner did not pass
   * --yes: the UI asks this question and calls confirmContext() before anything else.
   */
  confirmQuestion?: string;
  /** confirmQuestion in every language. */
  confirmWords?: Text;
}

export interface ClusterInfo {
  context: string;
  /** True when this call created the cluster, false when an existing one was reused. */
  created: boolean;
  /** e.g. v1.33.1, when the server answered. */
  serverVersion?: string;
}

export interface ClusterOptions {
  /** kind's progress lines (and crashlab's own), one line per call. */
  onLine: (line: string) => void;
  /** Ctrl-C: kill kind; reject with an AbortError-like error (name 'AbortError'). */
  signal: AbortSignal;
}

// ---------------------------------------------------------------- catalog and progress

export interface ProgressSnapshot {
  progress: Progress;
  /** e.g. the progress file was unreadable and was set aside; shown once. */
  warning?: string;
}

/** Identifies the running lab in every later call (core/instance.ts). */
export type LabTarget = RunTarget;

export interface StartedLab extends LabTarget {
  /** Epoch ms when the broken workload was applied (the lab clock starts here). */
  startedAt: number;
  /** kubectl's lines, and a line about a previous run that was removed. */
  lines: string[];
  /** Game mode: the scenario was already live in the team namespace and was joined, not deployed. */
  joined?: boolean;
  /** Hints already taken on this run (a run resumed or joined: the team's log, or the progress file). */
  hintsShown?: number;
  /** An unfinished run of an earlier session, still deployed, taken up as it was (nothing deployed). */
  resumed?: boolean;
}

// ---------------------------------------------------------------- routine

/** A routine step (core/routine.ts) bound to the live pod, runnable by the lab. */
export interface LabRoutineStep extends RoutineStep {
  /** Runs the command; interactive steps are never run (the UI only shows the command). */
  run(signal?: AbortSignal): Promise<StepRun>;
}

// ---------------------------------------------------------------- diagnosis

export interface LabFinding {
  category: CategoryId;
  confidence: 'high' | 'medium' | 'low';
  /** One line each, quoting what was observed (reason, exit code, event, log line). */
  evidence: string[];
}

export interface LabDiagnosis {
  pod: string;
  /** Best first. Empty when nothing is wrong or nothing is known yet. */
  findings: LabFinding[];
}

/** The learner named a cause: was it the scenario's? */
export interface DiagnosisCheck {
  picked: CategoryId;
  correct: boolean;
  diagnosis: LabDiagnosis;
}

// ---------------------------------------------------------------- fix

export type ApplyResult =
  | { ok: true; /** kubectl's per-object lines, e.g. deployment.apps/web configured */ lines: string[] }
  | { ok: false; /** The server's or kubectl's message, readable (no Go stack, no JSON). */ error: string };


// ---------------------------------------------------------------- verify

export interface RestartCount {
  pod: string;
  container: string;
  restarts: number;
}

export type VerifyProgressView =
  | { phase: 'waiting-for-rollout'; elapsedSeconds: number; message?: string }
  | { phase: 'watching'; windowSeconds: number; remainingSeconds: number; restarts: RestartCount[] }
  | { phase: 'done' };

export interface GuardLine {
  /** e.g. "liveness probe on app", "readOnlyRootFilesystem on app". */
  guard: string;
  ok: boolean;
  detail: string;
}

export interface VerdictView {
  outcome: 'pass' | 'fail' | 'unable';
  /** One sentence: why it passed, failed, or could not be decided. */
  summary: string;
  windowSeconds: number;
  /** How W was derived (probe budget, known crash time, margin). */
  windowReasons: string[];
  /** Wall time of the verification, seconds. */
  elapsedSeconds: number;
  /** Which pod, which container, reason, exit code, event text. */
  evidence: string[];
  guards: GuardLine[];
}

export interface VerifyOptions {
  onProgress?: (progress: VerifyProgressView) => void;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------- debrief

export interface Debrief {
  why: Text;
  /** Unified diff (---/+++/@@ lines) of the Deployment: broken manifest → fixed spec. */
  diff: string;
  /** What the "after" side of the diff is: the learner's live spec or the reference solution. */
  diffAgainst: 'live' | 'reference';
  checklist: Text[];
}

/** What the lab UI adds to a verdict when it is recorded (the CLI knows neither). */
export interface VerdictExtras {
  /** Lab time: from start to the verdict, seconds (default: since the recorded start). */
  seconds?: number;
  hintsUsed?: number;
}

