import type { Progress } from '../core/progress.js';

/** The progress shapes are core's (the rules that change them live there); re-exported for adapters. */
export type { Progress, ScenarioProgress, InstanceRecord } from '../core/progress.js';

export interface ProgressStore {
  load(): Promise<{ progress: Progress; warning?: string }>;
  save(progress: Progress): Promise<void>;
  update(mutate: (progress: Progress) => void): Promise<Progress>;
}
