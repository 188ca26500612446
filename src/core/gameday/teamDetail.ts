/**
 * One team in detail, for the instructor (the Ink board's Enter, issue #17): where it is stuck
 * on its current scenario, what it has done there (routine steps run, hints, causes named,
 * verifications) and its latest events. Pure: the board row and the team's log in, lines out.
 */
import type { BoardRow } from './board.js';
import type { GameEvent } from './events.js';

/** One event of a team's log in a few words (the web board's detail list says the same). */
export function eventLine(event: GameEvent): string {
  switch (event.type) {
    case 'released':
      return `released ${event.instance}${event.round ? ` (round ${event.round})` : event.via === 'inject' ? ' (injected)' : ''}`;
    case 'started':
      return `started ${event.instance}`;
    case 'hint':
      return `hint${event.index !== undefined ? ` ${event.index + 1}` : ''}`;
    case 'diagnosis':
      return `diagnosis: ${event.category}`;
    case 'fix-applied':
      return `fix applied (${event.how})`;
    case 'verify-requested':
      return 'verify requested';
    case 'verify-verdict':
      return `verdict by ${event.by}: ${event.result ?? (event.pass ? 'pass' : 'fail')}${event.reasons.length ? ` — ${event.reasons[0]}` : ''}`;
    case 'note':
      return `note: ${event.text}`;
    case 'step':
      return `routine step: ${event.step}`;
  }
}

export interface TeamDetail {
  /** Where the team is, in one sentence: the first thing an instructor walking over needs. */
  stuckAt: string;
  /** The board's own stuck reasons (time without progress, failed verifies...). */
  reasons: string[];
  steps: string[];
  hints: number[];
  diagnoses: { category: string; judged: 'right' | 'wrong' | 'not counted' }[];
  verifies: { requested: number; failed: number; lastVerdict?: string };
  /** The latest events of the whole log, oldest first: `HH:MM:SS text`. */
  latest: string[];
}

/**
 * The current instance's story. A cause named is judged from the board's count (the first
 * `wrongDiagnoses` were wrong, the next one right), so no category is needed here.
 */
export function teamDetail(row: BoardRow, events: readonly GameEvent[], latest = 12): TeamDetail {
  const current = row.instances.find((i) => i.instance === row.instance);
  const mine = events.filter((e) => row.instance !== undefined && e.instance === row.instance);
  const steps = [...new Set(mine.flatMap((e) => (e.type === 'step' ? [e.step] : [])))];
  const hints = [...new Set(mine.flatMap((e) => (e.type === 'hint' && e.index !== undefined ? [e.index + 1] : [])))].sort((a, b) => a - b);
  const named = mine.flatMap((e) => (e.type === 'diagnosis' ? [e.category] : []));
  const wrongCount = current?.wrongDiagnoses ?? 0;
  const diagnoses = named.map((category, i) => ({
    category,
    judged: (current?.diagnosis === 'right' ? (i < wrongCount ? 'wrong' : i === wrongCount ? 'right' : 'not counted') : current?.diagnosis === 'wrong' ? 'wrong' : 'not counted') as TeamDetail['diagnoses'][number]['judged'],
  }));
  const verdicts = mine.filter((e): e is Extract<GameEvent, { type: 'verify-verdict' }> => e.type === 'verify-verdict' && e.by === 'instructor');
  const last = verdicts.at(-1);
  const verifies = {
    requested: mine.filter((e) => e.type === 'verify-requested').length,
    failed: row.failedVerifies,
    ...(last ? { lastVerdict: `${last.result ?? (last.pass ? 'pass' : 'fail')}${last.reasons.length ? `: ${last.reasons[0]}` : ''}` } : {}),
  };
  return {
    stuckAt: whereStuck(row, steps, named.length, verifies),
    reasons: row.stuck,
    steps,
    hints,
    diagnoses,
    verifies,
    latest: events.slice(-latest).map((e) => `${e.at.slice(11, 19)} ${eventLine(e)}`),
  };
}

function whereStuck(row: BoardRow, steps: string[], named: number, verifies: TeamDetail['verifies']): string {
  if (!row.instance) return 'nothing released to this team yet';
  if (row.verified) return 'fixed: its fix passed the board’s verification';
  if (row.verify !== 'none') return 'waiting for the board’s verdict on its fix';
  if (verifies.failed > 0) return `its fix failed verification${verifies.lastVerdict ? ` (${verifies.lastVerdict})` : ''}: show it what the verdict says`;
  if (row.diagnosis === 'right') return 'knows the cause, has not had a fix verified yet';
  if (row.diagnosis === 'wrong') return `named ${named === 1 ? 'a wrong cause' : `${named} wrong causes`}: back to the evidence`;
  if (steps.length === 0) return 'has run no routine step yet: start with the 60-second routine';
  return `has run ${steps.length} routine step${steps.length === 1 ? '' : 's'}, named no cause yet`;
}
