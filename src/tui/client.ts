/**
 * What the lab UI calls: the lab action API (engine/labApi.ts) with its answers shaped for
 * screens — verdicts and verify progress as lines in the learner's language, a rejected
 * solution as an answer rather than an exception. No lab rule is decided here.
 */
import type { CategoryId } from '../core/categories.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import type { Progress } from '../core/progress.js';
import { pick, type Lang } from '../core/text.js';
import type { LabApi } from '../engine/labApi.js';
import type { TeamInstance } from '../engine/lab/team.js';
import type {
  ApplyResult,
  ClusterInfo,
  ClusterOptions,
  ClusterTarget,
  Debrief,
  DiagnosisCheck,
  LabRoutineStep,
  LabTarget,
  PreflightResult,
  ProgressSnapshot,
  StartedLab,
  VerdictExtras,
  VerdictView,
  VerifyProgressView,
} from '../engine/labTypes.js';
import type { Verdict, VerifyProgress } from '../engine/verify.js';
import type { EditResult } from '../ports/editor.js';
import type { Watch } from '../ports/kube.js';
import type { Scenario } from '../core/scenario.js';
import { SlowCalls, type SlowCallsListener } from './slowCalls.js';

export interface LabClient {
  clusterTarget(): ClusterTarget;
  confirmContext(): void;
  preflight(onResult?: (result: PreflightResult) => void): Promise<PreflightResult[]>;
  ensureCluster(options: ClusterOptions): Promise<ClusterInfo>;
  deleteCluster(onLine: (line: string) => void): Promise<void>;
  scenarios(): Promise<Scenario[]>;
  progress(): Promise<ProgressSnapshot>;
  /** Game mode: the scenarios live in the team namespace (released by the instructor, started by a teammate). */
  teamInstances(): Promise<TeamInstance[]>;
  /** Game mode: the instructor made this a mystery game (symptoms only, switch locked on). */
  mysteryGame(): Promise<boolean>;
  /** Game mode: one cheap read that rejects with a game-over error once the game is over for the team. */
  gameGoesOn(): Promise<void>;
  /** The lab plays in a game-day team namespace. */
  readonly inGame: boolean;
  /** Game mode: the team's note (what it concluded) into its event log. */
  note(text: string, about?: LabTarget): Promise<{ instance?: string }>;
  /** Reveals hint `index` of the run: logged (once per index) in the team's log in game mode. */
  hint(target: LabTarget, index: number): Promise<unknown>;
  /** Game mode: the team's score by the board's rules, from its log. */
  teamScore(): Promise<{ score: number; instances: { instance: string; verified: boolean }[] }>;
  /** `fresh`: deploy again even where a team's live instance would be joined (a confirmed redeploy). */
  start(scenarioId: string, options: { mystery?: boolean; fresh?: boolean; onLine?: (line: string) => void }): Promise<StartedLab>;
  watchPods(target: LabTarget, onPods: (pods: Pod[]) => void, onError?: (error: Error) => void): Watch;
  events(target: LabTarget, pod: string): Promise<KubeEvent[]>;
  logs(target: LabTarget, pod: string, options: { previous: boolean; tail?: number }): Promise<string>;
  routine(target: LabTarget, pod: string): LabRoutineStep[];
  kubectlCommand(args: string[]): string;
  checkDiagnosis(target: LabTarget, pod: string, picked: CategoryId): Promise<DiagnosisCheck>;
  openForEdit(target: LabTarget): Promise<string>;
  applyEdit(target: LabTarget, yaml: string): Promise<ApplyResult>;
  editText(text: string, fileName: string): Promise<EditResult>;
  solve(target: LabTarget): Promise<ApplyResult>;
  verify(target: LabTarget, options: { onProgress: (progress: VerifyProgressView) => void; signal: AbortSignal }): Promise<VerdictView>;
  debrief(target: LabTarget): Promise<Debrief>;
  recordVerdict(target: LabTarget, outcome: VerdictView['outcome'], extras: VerdictExtras): Promise<Progress>;
  reset(target: LabTarget): Promise<void>;
  /** The kubectl calls waiting on a slow cluster, now and on every change; returns the unsubscribe. */
  watchSlowCalls(listener: SlowCallsListener): () => void;
}

export function verifyProgressView(progress: VerifyProgress, lang: Lang): VerifyProgressView {
  switch (progress.phase) {
    case 'waiting-for-rollout':
      return { phase: 'waiting-for-rollout', elapsedSeconds: progress.elapsedSeconds, message: pick(progress.reason, lang) };
    case 'watching':
      return {
        phase: 'watching',
        windowSeconds: progress.windowSeconds,
        remainingSeconds: progress.remainingSeconds,
        restarts: progress.pods.flatMap((p) => p.containers.map((c) => ({ pod: p.pod, container: c.name, restarts: c.restarts }))),
      };
    case 'done':
      return { phase: 'done' };
  }
}

export function verdictView(verdict: Verdict, lang: Lang): VerdictView {
  return {
    outcome: verdict.result,
    summary: pick(verdict.summary, lang),
    windowSeconds: verdict.windowSeconds,
    windowReasons: verdict.windowReasons.map((r) => pick(r, lang)),
    elapsedSeconds: verdict.elapsedSeconds,
    evidence: verdict.evidence.map((e) => pick(e.summary, lang)),
    guards: verdict.guardResults.map((g) => ({ guard: g.label, ok: g.ok, detail: pick(g.message, lang) })),
  };
}

/** `slowCalls` is the feed given to composeLab as onSlowCall (none: the cluster is never slow). */
export function labClient(api: LabApi, lang: Lang, slowCalls: SlowCalls = new SlowCalls()): LabClient {
  return {
    clusterTarget: api.clusterTarget,
    confirmContext: api.confirmContext,
    preflight: api.preflight,
    ensureCluster: api.ensureCluster,
    deleteCluster: async (onLine) => {
      await api.deleteCluster(onLine);
    },
    scenarios: api.scenarios,
    progress: api.progress,
    teamInstances: api.teamInstances,
    mysteryGame: api.mysteryGame,
    gameGoesOn: api.gameGoesOn,
    inGame: api.inGame,
    note: api.note,
    hint: api.hint,
    teamScore: api.teamScore,
    start: (scenarioId, options) => api.start(scenarioId, options),
    watchPods: api.watchPods,
    events: api.events,
    logs: api.logs,
    routine: api.routine,
    kubectlCommand: api.kubectlCommand,
    checkDiagnosis: api.checkDiagnosis,
    openForEdit: api.openForEdit,
    applyEdit: api.applyEdit,
    editText: api.editText,
    solve: async (target) => {
      try {
        return { ok: true, lines: await api.solve(target) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    verify: async (target, options) => verdictView(await api.verify(target, { signal: options.signal, onProgress: (p) => options.onProgress(verifyProgressView(p, lang)) }), lang),
    debrief: api.debrief,
    recordVerdict: api.recordVerdict,
    reset: async (target) => {
      await api.reset(target);
    },
    watchSlowCalls: (listener) => slowCalls.subscribe(listener),
  };
}
