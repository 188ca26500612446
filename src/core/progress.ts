/**
 * What a learner's attempt means for their saved progress. One set of rules for the CLI and
 * the lab UI: an attempt runs from `start` to a passing verify; a best time counts only when
 * the learner fixed it without the reference solution.
 */
export interface ScenarioProgress {
  completed: boolean;
  /** Solved with `solve` (reference solution) rather than by the learner. */
  solvedWithHelp: boolean;
  bestSeconds?: number;
  attempts: number;
  hintsUsed: number;
  startedAt?: string;
  /** The current attempt applied the reference solution. */
  attemptUsedHelp?: boolean;
  /** Hint indexes (0-based) revealed in the current attempt. */
  attemptHints?: number[];
  diagnosedAt?: string;
  diagnosedCorrectly?: boolean;
  /** The cause the learner named (a category id). */
  diagnosedCategory?: string;
  lastVerifiedAt?: string;
}

/** A scenario run whose names do not spell the scenario (mystery mode); see core/instance.ts. */
export interface InstanceRecord {
  scenario: string;
  namespace: string;
  startedAt: string;
}

export interface Progress {
  version: 1;
  scenarios: Record<string, ScenarioProgress>;
  /** Opaque instance id → what it runs. The only local place the mapping lives. */
  instances?: Record<string, InstanceRecord>;
}

export function scenarioEntry(progress: Progress, id: string): ScenarioProgress {
  return (progress.scenarios[id] ??= { completed: false, solvedWithHelp: false, attempts: 0, hintsUsed: 0 });
}

export function recordStart(progress: Progress, id: string, nowMs: number): void {
  const entry = scenarioEntry(progress, id);
  entry.attempts += 1;
  entry.startedAt = new Date(nowMs).toISOString();
  entry.attemptUsedHelp = false;
  entry.attemptHints = [];
}

/** A hint was revealed in the current attempt (each index once). */
export function recordHint(progress: Progress, id: string, index: number): void {
  const entry = scenarioEntry(progress, id);
  const taken = new Set(entry.attemptHints ?? []);
  taken.add(index);
  entry.attemptHints = [...taken].sort((a, b) => a - b);
}

/**
 * An attempt was started and has not passed since: its run may still be deployed, and a new
 * start would replace it (the lab asks first).
 */
export function attemptUnfinished(entry: ScenarioProgress | undefined): boolean {
  if (!entry?.startedAt) return false;
  return !(entry.lastVerifiedAt && Date.parse(entry.lastVerifiedAt) >= Date.parse(entry.startedAt));
}

/** The reference solution was applied in this attempt. */
export function recordHelp(progress: Progress, id: string): void {
  scenarioEntry(progress, id).attemptUsedHelp = true;
}

export interface PassRecord {
  nowMs: number;
  /** Lab time of the attempt; default: since the attempt's start. */
  seconds?: number;
  hintsUsed?: number;
}

export function recordPass(progress: Progress, id: string, pass: PassRecord): void {
  const entry = scenarioEntry(progress, id);
  const helped = entry.attemptUsedHelp === true;
  entry.lastVerifiedAt = new Date(pass.nowMs).toISOString();
  if (pass.hintsUsed !== undefined) entry.hintsUsed = pass.hintsUsed;
  if (helped) {
    // Solving it yourself once outranks any later solve with help.
    entry.solvedWithHelp = entry.completed ? entry.solvedWithHelp : true;
  } else {
    const started = entry.startedAt ? Date.parse(entry.startedAt) : NaN;
    const seconds = pass.seconds ?? (Number.isFinite(started) && pass.nowMs >= started ? Math.round((pass.nowMs - started) / 1000) : undefined);
    if (seconds !== undefined) entry.bestSeconds = entry.bestSeconds === undefined ? seconds : Math.min(entry.bestSeconds, seconds);
    entry.solvedWithHelp = false;
  }
  entry.completed = true;
}

/** The learner named a cause; the latest pick is kept (the UI scores the first one). */
export function recordDiagnosis(progress: Progress, id: string, pick: { category: string; correct: boolean; nowMs: number }): void {
  const entry = scenarioEntry(progress, id);
  entry.diagnosedAt = new Date(pick.nowMs).toISOString();
  entry.diagnosedCorrectly = pick.correct;
  entry.diagnosedCategory = pick.category;
}

/** A verdict other than pass changes no result; it keeps the hints the learner took. */
export function recordVerdict(progress: Progress, id: string, outcome: 'pass' | 'fail' | 'unable', pass: PassRecord): void {
  if (outcome === 'pass') recordPass(progress, id, pass);
  else if (pass.hintsUsed !== undefined) scenarioEntry(progress, id).hintsUsed = pass.hintsUsed;
}

export function recordInstance(progress: Progress, instance: string, record: InstanceRecord): void {
  (progress.instances ??= {})[instance] = record;
}

export function forgetInstance(progress: Progress, instance: string): void {
  if (progress.instances) delete progress.instances[instance];
}

/** The opaque instances recorded for a scenario (earlier mystery runs). */
export function instancesOf(progress: Progress, scenarioId: string): { instance: string; namespace: string }[] {
  return Object.entries(progress.instances ?? {})
    .filter(([, record]) => record.scenario === scenarioId)
    .map(([instance, record]) => ({ instance, namespace: record.namespace }));
}
