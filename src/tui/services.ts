/**
 * Everything the lab UI asks of the outside world. Components never call kubectl, kind, the
 * filesystem or child processes: they call this facade. The real implementation is
 * src/engine/labServices.ts (`createLabServices(globals)`); tests use a scripted fake.
 *
 * Conventions for implementers:
 * - Methods reject with an Error whose `message` is readable by a learner (no stack traces
 *   are shown). An optional string property `hint` on the error is shown as the next step
 *   (CliError and KubeError-derived messages work as they are).
 * - `Text` fields are shown in the learner's language; plain strings are shown as they are
 *   (kubectl output, server messages, evidence lines).
 * - Long-running calls take an AbortSignal and must stop their child processes when it fires.
 *
 * Keep changes to this file additive: the engine implements it in parallel.
 */
import type { CategoryId } from '../core/categories.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import type { RoutineStep } from '../core/routine.js';
import type { Scenario } from '../core/scenario.js';
import type { Text } from '../core/text.js';
import type { Watch } from '../ports/kube.js';
import type { Progress } from '../ports/store.js';

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

export interface StartedLab {
  scenarioId: string;
  namespace: string;
  /** Epoch ms when the broken workload was applied (the lab clock starts here). */
  startedAt: number;
}

/** Identifies the running lab in every later call. */
export interface LabTarget {
  scenarioId: string;
  namespace: string;
}

// ---------------------------------------------------------------- routine

export interface StepOutput {
  /** stdout and stderr as the learner would see them in a terminal. */
  output: string;
  exitCode: number;
}

/** A routine step (core/routine.ts) bound to the live pod, runnable by the lab. */
export interface LabRoutineStep extends RoutineStep {
  /** Runs the command; interactive steps are never run (the UI only shows the command). */
  run(signal?: AbortSignal): Promise<StepOutput>;
}

// ---------------------------------------------------------------- diagnosis

export interface DiagnosisFinding {
  category: CategoryId;
  confidence: 'high' | 'medium' | 'low';
  /** One line each, quoting what was observed (reason, exit code, event, log line). */
  evidence: string[];
}

export interface Diagnosis {
  pod: string;
  /** Best first. Empty when nothing is wrong or nothing is known yet. */
  findings: DiagnosisFinding[];
}

// ---------------------------------------------------------------- fix

export type ApplyResult =
  | { ok: true; /** kubectl's per-object lines, e.g. deployment.apps/web configured */ lines: string[] }
  | { ok: false; /** The server's or kubectl's message, readable (no Go stack, no JSON). */ error: string };

export type EditResult =
  | { status: 'saved'; text: string }
  /** The editor exited without changing the file, or with a non-zero exit code. */
  | { status: 'unchanged' }
  | { status: 'failed'; error: string };

// ---------------------------------------------------------------- verify

export interface RestartCount {
  pod: string;
  container: string;
  restarts: number;
}

export type VerifyProgress =
  | { phase: 'waiting-for-rollout'; elapsedSeconds: number; message?: string }
  | { phase: 'watching'; windowSeconds: number; remainingSeconds: number; restarts: RestartCount[] }
  | { phase: 'done' };

export interface GuardResult {
  /** e.g. "liveness probe on app", "readOnlyRootFilesystem on app". */
  guard: string;
  ok: boolean;
  detail: string;
}

export interface VerifyVerdict {
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
  guards: GuardResult[];
}

export interface VerifyOptions {
  onProgress: (progress: VerifyProgress) => void;
  signal: AbortSignal;
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

export interface LabResult {
  outcome: 'pass' | 'fail' | 'unable';
  /** Lab time: from start to the verdict, seconds. */
  seconds: number;
  solvedWithHelp: boolean;
  hintsUsed: number;
}

// ---------------------------------------------------------------- the facade

export interface LabServices {
  /** Which context will be used, and whether the learner must confirm it first. */
  clusterTarget(): ClusterTarget;
  /** The learner said yes to ClusterTarget.confirmQuestion. */
  confirmContext(): void;
  /** Checks docker, kind, kubectl (only what the chosen context needs); calls onResult as each finishes. */
  preflight(onResult?: (result: PreflightResult) => void): Promise<PreflightResult[]>;
  /** Finds or creates the cluster; rejects readably (and cleanly on abort). */
  ensureCluster(options: ClusterOptions): Promise<ClusterInfo>;
  /** Deletes crashlab's kind cluster (offered after a cancelled or failed creation). */
  deleteCluster(onLine: (line: string) => void): Promise<void>;

  scenarios(): Promise<Scenario[]>;
  progress(): Promise<ProgressSnapshot>;

  /** Resets any previous run, creates the namespace, applies the broken workload, records the attempt. */
  start(scenarioId: string, onLine?: (line: string) => void): Promise<StartedLab>;
  /** Current pods of the scenario's workload, pushed on every change (full list each time). */
  watchPods(target: LabTarget, onPods: (pods: Pod[]) => void, onError?: (error: Error) => void): Watch;
  /** Events about one pod, oldest first. */
  events(target: LabTarget, pod: string): Promise<KubeEvent[]>;
  /** Log text of the scenario's container; previous = the instance that died. */
  logs(target: LabTarget, pod: string, options: { previous: boolean; tail?: number }): Promise<string>;
  /** The 60-second routine for this pod, commands filled in (context included when needed). */
  routine(target: LabTarget, pod: string): LabRoutineStep[];
  /** A kubectl command line the learner can copy (adds --context when needed). */
  kubectlCommand(args: string[]): string;

  diagnose(target: LabTarget, pod: string): Promise<Diagnosis>;
  recordDiagnosis(scenarioId: string, category: CategoryId, correct: boolean): Promise<void>;

  /** The live Deployment as YAML a person edits (no status, managedFields, uid, resourceVersion...). */
  liveDeploymentYaml(target: LabTarget): Promise<string>;
  applyDeploymentYaml(target: LabTarget, yaml: string): Promise<ApplyResult>;
  /**
   * Opens text in $VISUAL/$EDITOR (fallback vi) on the inherited terminal and waits for it.
   * The UI has already released the terminal (Ink unmounted, raw mode off, main screen).
   */
  editText(text: string, fileName: string): Promise<EditResult>;
  /** Applies the reference solution. */
  solve(target: LabTarget): Promise<ApplyResult>;

  verify(target: LabTarget, options: VerifyOptions): Promise<VerifyVerdict>;
  debrief(target: LabTarget): Promise<Debrief>;
  /** Saves the outcome (best time, solved-with-help, hints); returns the updated progress. */
  recordResult(scenarioId: string, result: LabResult): Promise<Progress>;
  /** Deletes the scenario namespace (only if crashlab created it). */
  reset(target: LabTarget): Promise<void>;
}
