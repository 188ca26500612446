/**
 * What a learner's attempt means for their saved progress. One set of rules for the CLI and
 * the lab UI: an attempt runs from `start` to a passing verify; a best time counts only when
 * the learner fixed it without the reference solution.
 */
import type { Progress, ScenarioProgress } from '../ports/store.js';

export function scenarioEntry(progress: Progress, id: string): ScenarioProgress {
  return (progress.scenarios[id] ??= { completed: false, solvedWithHelp: false, attempts: 0, hintsUsed: 0 });
}

export function recordStart(progress: Progress, id: string, nowMs: number): void {
  const entry = scenarioEntry(progress, id);
  entry.attempts += 1;
  entry.startedAt = new Date(nowMs).toISOString();
  entry.attemptUsedHelp = false;
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
