/**
 * Game-day scoring: pure, one rule table, documented in the README ("Game-day scoring").
 *
 * ControlPlane's simulator scores 100 minus 10 per hint. That rewards nothing but hint
 * abstinence: a team that guesses five wrong causes and bounces off verify ten times scores
 * the same as one that reads the evidence and fixes it first time. Here:
 * - only an instructor-verified fix scores (the board ran the verifier itself); a team's own
 *   "pass" and claims of a right diagnosis are never trusted;
 * - the diagnosis is re-judged by the board from the category the team named against the
 *   scenario's real category (the team's lab could write `correct: true` for anything);
 * - speed earns a bonus that decays linearly to 0 at the par time, measured from the release
 *   (every team gets a round at the same moment, so the clock is fair across the room);
 * - wrong diagnoses and failed verifies cost a little (guessing is not troubleshooting);
 * - the first-try bonus needs a first answer given before any instructor verdict or
 *   reference solution on the instance (both can give the cause away);
 * - the reference solution (`solve`) scores a flat consolation, no bonus;
 * - a verified fix never scores below the floor (it always beats no fix);
 * - a fix verified in overtime earns no time bonus; after overtime nothing scores.
 */
import type { InstanceState, InstructorVerdict } from './events.js';
import { phaseAt, type GameMeta } from './game.js';

/** The rule, as data: the README prints this table. */
export const SCORING_RULES = {
  /** Points for an instructor-verified fix. */
  verifiedFix: 100,
  /** Per hint revealed (ControlPlane's rule). */
  perHint: -10,
  /** Per wrong diagnosis answered before the right one (re-judged by the board). */
  perWrongDiagnosis: -5,
  /** Per instructor verdict "fail" (an "unable" verdict costs nothing). */
  perFailedVerify: -5,
  /** Right cause on the first answer. */
  firstTryDiagnosis: 10,
  /** Speed bonus at 0 s, decaying linearly to 0 at the par time. */
  maxTimeBonus: 50,
  parSeconds: 900,
  /** A fix that applied the reference solution scores this, flat. */
  withSolution: 20,
  /** The least a verified own fix scores. */
  floor: 10,
} as const;

export type ScoringRules = { [K in keyof typeof SCORING_RULES]: number };

/** What one instance of one team earned, with the reasoning, for the board and the debrief. */
export interface InstanceScore {
  instance: string;
  scenario?: string;
  releasedAt?: number;
  startedAt?: number;
  /** Seconds from release (or start, if the release is unknown) to the first right diagnosis. */
  secondsToRightDiagnosis?: number;
  diagnosis: 'none' | 'right' | 'wrong' | 'unjudged';
  wrongDiagnoses: number;
  hints: number;
  failedVerifies: number;
  /** Seconds from release to the first instructor pass. */
  secondsToVerifiedFix?: number;
  verified: boolean;
  usedSolution: boolean;
  /** An instructor verdict counted in overtime. */
  overtime: boolean;
  score: number;
  /** Each term of the score, e.g. ["fix +100", "2 hints -20", "time +31"]. */
  breakdown: string[];
}

export interface ScoreContext {
  meta?: Pick<GameMeta, 'startedAt' | 'durationSeconds' | 'overtimeSeconds'>;
  /** The scenario behind the instance (instructor-side mapping), if known. */
  scenario?: string;
  /** The scenario's real cause category: lets the board judge diagnoses itself. */
  category?: string;
  rules?: ScoringRules;
}

export function scoreInstance(state: InstanceState, ctx: ScoreContext = {}): InstanceScore {
  const rules = ctx.rules ?? SCORING_RULES;
  const origin = state.releasedAt ?? state.startedAt;
  const since = (at: number) => (origin === undefined ? undefined : Math.max(0, Math.round((at - origin) / 1000)));

  const judged = state.diagnoses.map((d) => (ctx.category !== undefined ? d.category === ctx.category : undefined));
  const firstRight = judged.indexOf(true);
  const diagnosis: InstanceScore['diagnosis'] =
    state.diagnoses.length === 0 ? 'none' : ctx.category === undefined ? 'unjudged' : firstRight >= 0 ? 'right' : 'wrong';
  const wrongDiagnoses = firstRight >= 0 ? firstRight : judged.filter((j) => j === false).length;

  // Only verdicts before the end of overtime count.
  const counted = state.verdicts.filter((v) => !ctx.meta || phaseAt(ctx.meta, v.at) !== 'over');
  const firstPass: InstructorVerdict | undefined = counted.find((v) => v.result === 'pass');
  const failedVerifies = counted.filter((v) => v.result === 'fail' && (!firstPass || v.at <= firstPass.at)).length;
  // Log order, not the team-written `at`: a solve appended before the pass helped it.
  const usedSolution = state.fixes.some((f) => f.how === 'solve' && (!firstPass || f.seq < firstPass.seq));
  const overtime = firstPass !== undefined && ctx.meta !== undefined && phaseAt(ctx.meta, firstPass.at) === 'overtime';

  const breakdown: string[] = [];
  let score = 0;
  if (firstPass) {
    if (usedSolution) {
      score = rules.withSolution;
      breakdown.push(`solved with the reference solution +${rules.withSolution}`);
    } else {
      score = rules.verifiedFix;
      breakdown.push(`verified fix +${rules.verifiedFix}`);
      const term = (n: number, per: number, what: string) => {
        if (n > 0 && per !== 0) {
          score += n * per;
          breakdown.push(`${n} ${what} ${n * per}`);
        }
      };
      term(state.hints, rules.perHint, state.hints === 1 ? 'hint' : 'hints');
      term(wrongDiagnoses, rules.perWrongDiagnosis, wrongDiagnoses === 1 ? 'wrong diagnosis' : 'wrong diagnoses');
      term(failedVerifies, rules.perFailedVerify, failedVerifies === 1 ? 'failed verify' : 'failed verifies');
      // Only a genuine first answer: before any verdict or solve showed the cause.
      if (firstRight === 0 && state.diagnoses[0].genuine && rules.firstTryDiagnosis) {
        score += rules.firstTryDiagnosis;
        breakdown.push(`right cause first try +${rules.firstTryDiagnosis}`);
      }
      const seconds = since(firstPass.at);
      if (!overtime && seconds !== undefined) {
        const bonus = Math.round(rules.maxTimeBonus * Math.max(0, 1 - seconds / rules.parSeconds));
        if (bonus > 0) {
          score += bonus;
          breakdown.push(`time +${bonus}`);
        }
      } else if (overtime) {
        breakdown.push('overtime: no time bonus');
      }
      if (score < rules.floor) {
        breakdown.push(`floor ${rules.floor}`);
        score = rules.floor;
      }
    }
  }

  return {
    instance: state.instance,
    scenario: ctx.scenario,
    releasedAt: state.releasedAt,
    startedAt: state.startedAt,
    secondsToRightDiagnosis: firstRight >= 0 ? since(state.diagnoses[firstRight].at) : undefined,
    diagnosis,
    wrongDiagnoses,
    hints: state.hints,
    failedVerifies,
    secondsToVerifiedFix: firstPass ? since(firstPass.at) : undefined,
    verified: firstPass !== undefined,
    usedSolution,
    overtime,
    score,
    breakdown,
  };
}

export interface TeamStanding {
  team: string;
  score: number;
  verified: number;
  /** Sum of the times to a verified fix: the tie-break (less is better). */
  seconds: number;
  rank: number;
}

/**
 * Ranks teams by total score, then by more verified fixes, then by less total time to those
 * fixes. Equal on all three share a rank (1, 2, 2, 4: standard competition ranking).
 */
// Hoisted: the same order as localeCompare, without a collator per comparison (every tie, 1,000 teams).
const byName = new Intl.Collator().compare;

/** `tiebreak` orders the teams of one rank (names, by default); the ranks do not depend on it. */
export function rankTeams(totals: { team: string; scores: InstanceScore[] }[], tiebreak: (a: string, b: string) => number = byName): TeamStanding[] {
  const rows = totals.map(({ team, scores }) => ({
    team,
    score: scores.reduce((a, s) => a + s.score, 0),
    verified: scores.filter((s) => s.verified).length,
    seconds: scores.reduce((a, s) => a + (s.secondsToVerifiedFix ?? 0), 0),
    rank: 0,
  }));
  const cmp = (a: TeamStanding, b: TeamStanding) => b.score - a.score || b.verified - a.verified || a.seconds - b.seconds;
  rows.sort((a, b) => cmp(a, b) || tiebreak(a.team, b.team));
  rows.forEach((row, i) => {
    row.rank = i > 0 && cmp(rows[i - 1], row) === 0 ? rows[i - 1].rank : i + 1;
  });
  return rows;
}
