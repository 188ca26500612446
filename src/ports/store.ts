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
  diagnosedAt?: string;
  diagnosedCorrectly?: boolean;
  /** The cause the learner named (a category id). */
  diagnosedCategory?: string;
  lastVerifiedAt?: string;
}

export interface Progress {
  version: 1;
  scenarios: Record<string, ScenarioProgress>;
}

export interface ProgressStore {
  load(): Promise<{ progress: Progress; warning?: string }>;
  save(progress: Progress): Promise<void>;
  update(mutate: (progress: Progress) => void): Promise<Progress>;
}
