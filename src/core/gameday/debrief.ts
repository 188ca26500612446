/**
 * Where the room got stuck, per scenario, for the debrief (the web board's end view): how long
 * teams took to the right diagnosis and to the verified fix (median and p90, over the teams
 * that got there), how many of them got there, the hint rate, and the commonest wrong
 * diagnoses, and the routine step that most often came last before the right diagnosis.
 * Computed from the board's own per-instance scores and the teams' logs. Pure.
 */
import type { Board } from './board.js';
import type { GameEvent } from './events.js';

export interface ScenarioDebrief {
  scenario: string;
  instances: number;
  diagnosed: number;
  verified: number;
  secondsToRightDiagnosis?: { median: number; p90: number };
  secondsToVerifiedFix?: { median: number; p90: number };
  /** Share of instances where at least one hint was revealed (0..1). */
  hintRate: number;
  /** Wrong categories named, commonest first (at most 3). */
  wrongDiagnoses: { category: string; count: number }[];
  /**
   * The routine step run last before a team's first right diagnosis, the commonest one (ties:
   * the earlier step id alphabetically), with how many of the diagnosing teams it preceded.
   * Absent when no team's log has a step before its right diagnosis (an older lab logs none).
   */
  stepBeforeRightDiagnosis?: { step: string; count: number };
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const spread = (values: number[]) => (values.length ? { median: percentile(values, 50), p90: percentile(values, 90) } : undefined);

/**
 * `categories`: scenario id → its real cause category. Needs the instructor's board (scenario
 * ids present); a board without them gives an empty debrief.
 */
export function debrief(board: Board, logs: { team: string; events: GameEvent[] }[], categories: Record<string, string>): ScenarioDebrief[] {
  const byScenario = new Map<string, { team: string; instance: string; score: Board['rows'][number]['instances'][number] }[]>();
  for (const row of board.rows) {
    for (const score of row.instances) {
      if (!score.scenario) continue;
      byScenario.set(score.scenario, [...(byScenario.get(score.scenario) ?? []), { team: row.team, instance: score.instance, score }]);
    }
  }
  const events = new Map(logs.map((l) => [l.team, l.events]));
  return [...byScenario]
    .map(([scenario, played]): ScenarioDebrief => {
      const wrong = new Map<string, number>();
      const preceding = new Map<string, number>();
      for (const { team, instance } of played) {
        // Log order, not the team-written `at`: what the team ran before it named the cause.
        let lastStep: string | undefined;
        let right = false;
        for (const e of events.get(team) ?? []) {
          if (e.instance !== instance) continue;
          if (e.type === 'step' && !right) lastStep = e.step;
          if (e.type === 'diagnosis' && e.category !== categories[scenario]) wrong.set(e.category, (wrong.get(e.category) ?? 0) + 1);
          if (e.type === 'diagnosis' && e.category === categories[scenario] && !right) {
            right = true;
            if (lastStep) preceding.set(lastStep, (preceding.get(lastStep) ?? 0) + 1);
          }
        }
      }
      const [step] = [...preceding].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const diagnosed = played.map((p) => p.score.secondsToRightDiagnosis).filter((s): s is number => s !== undefined);
      const fixed = played.map((p) => p.score.secondsToVerifiedFix).filter((s): s is number => s !== undefined);
      return {
        scenario,
        instances: played.length,
        diagnosed: diagnosed.length,
        verified: played.filter((p) => p.score.verified).length,
        secondsToRightDiagnosis: spread(diagnosed),
        secondsToVerifiedFix: spread(fixed),
        hintRate: played.filter((p) => p.score.hints > 0).length / played.length,
        wrongDiagnoses: [...wrong].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)).slice(0, 3),
        ...(step ? { stepBeforeRightDiagnosis: { step: step[0], count: step[1] } } : {}),
      };
    })
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
}
