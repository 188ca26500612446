/**
 * A game-day team's event log: JSON Lines in ConfigMap `crashlab-progress`, data key `events`,
 * in the team's namespace (see GAMEDAY-CONTRACT). The participant's lab appends to it; the
 * instructor's board reads it, answers `verify-requested` with its own `verify-verdict`
 * (`by: 'instructor'`) and scores only those. Pure: parsing and folding, no I/O.
 *
 * The log is written by a participant, so nothing in it is trusted for scoring except what the
 * instructor side wrote (and the scoring re-judges diagnoses itself, see scoring.ts).
 */
import { z } from 'zod';

export const PROGRESS_CONFIGMAP = 'crashlab-progress';
export const PROGRESS_EVENTS_KEY = 'events';
export const GAME_LABEL = 'crashlab.dev/game';
export const TEAM_LABEL = 'crashlab.dev/team';
/** One definition of the instance label: the lab's (core/instance.ts). */
export { INSTANCE_LABEL } from '../instance.js';

const at = z.iso.datetime({ offset: true });
/** Opaque instance ids (`i-` + base32) never spell a scenario id; any DNS-label-ish token is accepted. */
const instance = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label');

const base = { at, instance: instance.optional() };

export const releasedEvent = z.object({
  ...base,
  type: z.literal('released'),
  instance,
  /** Learner-facing title; absent in mystery mode. Never the scenario id. */
  title: z.object({ en: z.string(), ko: z.string() }).optional(),
  /** Round number when released by `gameday start`; absent for an injected fault. */
  round: z.number().int().positive().optional(),
  /** `inject` adds a fault mid-game; `round` releases one to every team. */
  via: z.enum(['round', 'inject']).optional(),
});
export const startedEvent = z.object({ ...base, type: z.literal('started') });
export const hintEvent = z.object({ ...base, type: z.literal('hint'), index: z.number().int().nonnegative().optional() });
export const diagnosisEvent = z.object({
  ...base,
  type: z.literal('diagnosis'),
  category: z.string().min(1),
  /** The participant's lab says whether it was right; the board re-judges from the category. */
  correct: z.boolean(),
});
/**
 * A routine step the team ran (once per step and run), for the debrief: which step most often
 * preceded the right diagnosis. Scores nothing. A log without any is an older lab's.
 */
export const stepEvent = z.object({ ...base, type: z.literal('step'), step: z.string().regex(/^[a-z0-9-]{1,40}$/) });
export const fixAppliedEvent = z.object({ ...base, type: z.literal('fix-applied'), how: z.enum(['own', 'solve', 'editor']) });
export const verifyRequestedEvent = z.object({
  ...base,
  type: z.literal('verify-requested'),
  /** Lets a verdict name the request it answers; optional, matching falls back to time order. */
  id: z.string().min(1).max(64).optional(),
});
export const verifyVerdictEvent = z.object({
  ...base,
  type: z.literal('verify-verdict'),
  pass: z.boolean(),
  by: z.enum(['participant', 'instructor']),
  reasons: z.array(z.string()),
  /** `unable`: could not verify (nothing deployed, cluster trouble); neither a pass nor a failed verify. */
  result: z.enum(['pass', 'fail', 'unable']).optional(),
  /** The `verify-requested` id this verdict answers. */
  request: z.string().min(1).max(64).optional(),
  /**
   * The board's signature (HMAC-SHA256, hex, over the event without `sig`, keyed by a Secret in
   * the instructor namespace that teams cannot read): what makes `by: 'instructor'` unforgeable.
   */
  sig: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** What the team concluded (a game day ends in recorded conclusions): free text, for the debrief. */
export const NOTE_MAX_CHARS = 2000;
/**
 * A note's length in characters as a person counts them, approximated by Unicode code points
 * (an emoji is one, not two UTF-16 units). Code points, not graphemes: the bound also caps the
 * bytes a note adds to the log (at most 4 each), which a grapheme (any number of combining
 * marks) would not.
 */
export function noteLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
export const noteEvent = z.object({
  ...base,
  type: z.literal('note'),
  text: z.string().trim().min(1).refine((t) => noteLength(t) <= NOTE_MAX_CHARS, { message: `at most ${NOTE_MAX_CHARS} characters` }),
});

export const gameEventSchema = z.discriminatedUnion('type', [
  releasedEvent,
  startedEvent,
  hintEvent,
  diagnosisEvent,
  fixAppliedEvent,
  verifyRequestedEvent,
  verifyVerdictEvent,
  noteEvent,
  stepEvent,
]);

export type GameEvent = z.infer<typeof gameEventSchema>;
export type GameEventType = GameEvent['type'];
export type VerifyVerdictEvent = z.infer<typeof verifyVerdictEvent>;
export type VerifyRequestedEvent = z.infer<typeof verifyRequestedEvent>;
export const GAME_EVENT_TYPES = gameEventSchema.options.map((o) => o.shape.type.value) as GameEventType[];

/** A line that is not a valid event: kept with its line number so the board can say which. */
export interface BadLine {
  line: number;
  text: string;
  error: string;
}

export interface ParsedLog {
  events: GameEvent[];
  bad: BadLine[];
  /** Line number (1-based) and text of each event, same order: lets the fold mark a valid-looking line it will not count. */
  lines?: { line: number; text: string }[];
}

/**
 * Parses the `events` JSON Lines. Tolerant: a malformed line (hand-edited, truncated by a
 * concurrent write, from a newer crashlab) is reported, never fatal, and the rest still counts.
 * Blank lines are skipped. Events keep log order (append order), not `at` order: a participant
 * with a skewed clock must not reorder the instructor's verdicts.
 */
export function parseEventLog(text: string | undefined): ParsedLog {
  const events: GameEvent[] = [];
  const bad: BadLine[] = [];
  const lines: { line: number; text: string }[] = [];
  (text ?? '').split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      bad.push({ line: index + 1, text: clip(line), error: `not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = gameEventSchema.safeParse(json);
    if (parsed.success) {
      events.push(parsed.data);
      lines.push({ line: index + 1, text: clip(line) });
    } else bad.push({ line: index + 1, text: clip(line), error: describeIssues(parsed.error) });
  });
  return { events, bad, lines };
}

/** One line of the log; validates so that crashlab never writes what it would refuse to read. */
export function formatEvent(event: GameEvent): string {
  return JSON.stringify(gameEventSchema.parse(event));
}

/** The log with `events` appended (the existing text kept byte for byte). */
export function appendEvents(text: string | undefined, events: GameEvent[]): string {
  const existing = text ?? '';
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return existing + sep + events.map((e) => `${formatEvent(e)}\n`).join('');
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

// ------------------------------------------------------------------ folding

/** Where one scenario instance of one team stands, folded from the log. Times are epoch ms. */
export interface InstanceState {
  instance: string;
  title?: { en: string; ko: string };
  round?: number;
  via?: 'round' | 'inject';
  releasedAt?: number;
  startedAt?: number;
  /** Hints revealed, each hint index counted once however many screens showed it. */
  hints: number;
  /**
   * Every diagnosis answered, in order (the scoring re-judges `category`). `seq` is the event's
   * place in the log: the log is append-only, so its order (unlike a team-written `at`) is
   * something a team cannot forge. `genuine`: given before any instructor verdict or
   * reference solution on the instance (both can give the cause away); only a genuine first
   * answer can earn the first-try bonus.
   */
  diagnoses: { at: number; seq: number; category: string; claimedCorrect: boolean; genuine: boolean }[];
  fixes: { at: number; seq: number; how: 'own' | 'solve' | 'editor' }[];
  /** Requests in log order, each with the instructor verdict that answered it (if any). */
  requests: { at: number; id?: string; verdict?: InstructorVerdict }[];
  /** Instructor verdicts in log order (the only ones that score). */
  verdicts: InstructorVerdict[];
  /** Verdicts the participant's own lab wrote: shown, never scored. */
  participantVerdicts: { at: number; pass: boolean }[];
  /** The team's notes (conclusions) about this instance: never scored. */
  notes: { at: number; text: string }[];
}

export interface InstructorVerdict {
  at: number;
  /** Place in the log (see InstanceState.diagnoses). */
  seq: number;
  result: 'pass' | 'fail' | 'unable';
  reasons: string[];
  request?: string;
}

export interface FoldedTeamLog {
  /** Instances in release order; the last released is the team's current one. */
  instances: InstanceState[];
  /** Events that name no instance and came before any release, or name an unknown instance. */
  orphans: number;
  /** Unreadable lines, and valid-looking lines that are not counted (a forged instructor verdict, a release the instructor never made). */
  bad: BadLine[];
  /** Instructor verdicts that answered a request another board had already answered (two boards watching): shown, counted once. */
  duplicateVerdicts: number;
}

export interface FoldOptions {
  /**
   * Whether a `released` line is the instructor's (the board checks the instance against the
   * game's own mapping). Default: every release counts.
   */
  released?: (event: z.infer<typeof releasedEvent>) => boolean;
}

/**
 * Folds a team's events into per-instance state. An event without `instance` belongs to the
 * team's latest released instance at that point of the log (the lab has one current scenario).
 * `trusted` decides which `by: 'instructor'` verdicts count: the participant can write its own
 * log, so the engine passes a check of the board's signature; without one every instructor
 * verdict counts (tests, a board that signs nothing).
 */
export function foldTeamLog(parsed: ParsedLog, trusted: (event: VerifyVerdictEvent) => boolean = () => true, fold: FoldOptions = {}): FoldedTeamLog {
  const byId = new Map<string, InstanceState>();
  const instances: InstanceState[] = [];
  let current: InstanceState | undefined;
  let orphans = 0;
  let duplicateVerdicts = 0;
  const bad = [...parsed.bad];
  const hintIndexes = new Map<InstanceState, Set<number>>();
  /** Per instance: an instructor verdict or a solve already in the log (they can give the cause away). */
  const seen = new Map<InstanceState, { revealed: boolean }>();
  const mark = (seq: number, error: string) => {
    const where = parsed.lines?.[seq];
    if (where) bad.push({ line: where.line, text: where.text, error });
  };

  for (const [seq, event] of parsed.events.entries()) {
    const ms = Date.parse(event.at);
    if (event.type === 'released') {
      if (fold.released && !fold.released(event)) {
        mark(seq, `a release of ${event.instance} the instructor never made: not counted`);
        continue;
      }
      let state = byId.get(event.instance);
      if (!state) {
        state = { instance: event.instance, hints: 0, diagnoses: [], fixes: [], requests: [], verdicts: [], participantVerdicts: [], notes: [] };
        byId.set(event.instance, state);
        instances.push(state);
      }
      // A re-release (the instructor re-ran a round) keeps the first release time: the clock
      // started when the team first could see it.
      state.releasedAt ??= ms;
      state.title ??= event.title;
      state.round ??= event.round;
      state.via ??= event.via;
      current = state;
      continue;
    }
    const state = event.instance !== undefined ? byId.get(event.instance) : current;
    if (!state) {
      orphans++;
      continue;
    }
    const flags = seen.get(state) ?? { revealed: false };
    seen.set(state, flags);
    switch (event.type) {
      case 'started':
        state.startedAt ??= ms;
        break;
      case 'hint': {
        // The same hint shown on two screens (the lab, then `crashlab hint`) costs once.
        if (event.index === undefined) state.hints++;
        else {
          const taken = hintIndexes.get(state) ?? new Set<number>();
          hintIndexes.set(state, taken);
          if (!taken.has(event.index)) {
            taken.add(event.index);
            state.hints++;
          }
        }
        break;
      }
      case 'diagnosis':
        state.diagnoses.push({ at: ms, seq, category: event.category, claimedCorrect: event.correct, genuine: !flags.revealed });
        break;
      case 'fix-applied':
        state.fixes.push({ at: ms, seq, how: event.how });
        if (event.how === 'solve') flags.revealed = true;
        break;
      case 'verify-requested':
        state.requests.push({ at: ms, id: event.id });
        break;
      case 'note':
        state.notes.push({ at: ms, text: event.text });
        break;
      case 'step':
        break;
      case 'verify-verdict': {
        if (event.by === 'participant') {
          state.participantVerdicts.push({ at: ms, pass: event.pass });
          break;
        }
        if (!trusted(event)) {
          mark(seq, 'an instructor verdict without this game board’s signature: forged or copied, not counted');
          break;
        }
        // Idempotent by request id: a second board's verdict on a request already answered
        // (or on one never made) counts nothing; a verdict naming no request is an older board's.
        if (event.request !== undefined) {
          const asked = state.requests.find((r) => r.id === event.request);
          if (!asked || asked.verdict) {
            duplicateVerdicts++;
            break;
          }
        }
        const verdict: InstructorVerdict = { at: ms, seq, result: event.result ?? (event.pass ? 'pass' : 'fail'), reasons: event.reasons, request: event.request };
        state.verdicts.push(verdict);
        flags.revealed = true;
        // One verdict answers every request still open for the instance: a team that presses
        // verify five times gets one verification (and one failed verify, not five).
        for (const r of state.requests) r.verdict ??= verdict;
        break;
      }
    }
  }
  bad.sort((a, b) => a.line - b.line);
  return { instances, orphans, bad, duplicateVerdicts };
}

/** Requests the instructor side has not answered yet, oldest first, with their instance. */
export function pendingVerifyRequests(log: FoldedTeamLog): { instance: string; at: number; id?: string }[] {
  return log.instances.flatMap((s) => s.requests.filter((r) => !r.verdict).map((r) => ({ instance: s.instance, at: r.at, id: r.id })));
}

/** The team's current instance: the last one released. */
export function currentInstance(log: FoldedTeamLog): InstanceState | undefined {
  return log.instances.at(-1);
}
