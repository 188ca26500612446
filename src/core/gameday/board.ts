/**
 * The instructor's board as data: one pure function from what the two watches saw (every pod of
 * the game, every team's event log) plus the instructor-side game metadata to the rows the Ink
 * view renders and `--json` prints. No I/O, no React.
 */
import type { Pod } from '../k8s.js';
import { statusColumns } from '../podStatus.js';
import { safeJson } from '../untrusted.js';
import { currentInstance, INSTANCE_LABEL, pendingVerifyRequests, type BadLine, type FoldedTeamLog, type GameEvent, type InstanceState } from './events.js';
import { gameClock, type GameClock, type GameMeta } from './game.js';
import { rankTeams, scoreInstance, type InstanceScore, type ScoringRules, type TeamStanding } from './scoring.js';

export interface TeamInput {
  team: string;
  namespace: string;
  /** Undefined until the team's progress ConfigMap was seen. */
  log?: FoldedTeamLog;
}

export interface StuckRules {
  /** On the same scenario this long without a verified fix. */
  afterSeconds: number;
  /** This many failed instructor verifies on the current scenario. */
  failedVerifies: number;
}

export const DEFAULT_STUCK: StuckRules = { afterSeconds: 600, failedVerifies: 3 };

export interface BoardInput {
  game: string;
  nowMs: number;
  meta?: GameMeta;
  teams: TeamInput[];
  /** Every pod of the game (the one watch, all namespaces), unless given by namespace. */
  pods?: Pod[];
  /**
   * The same pods by namespace, when the caller keeps them so (a live board: a pod event
   * replaces its namespace's list only); `pods` is then not read.
   */
  podsByNamespace?: ReadonlyMap<string, readonly Pod[]>;
  /** scenario id → its real cause category, for judging diagnoses. */
  categories: Record<string, string>;
  /** Instances the board is verifying right now. */
  verifying?: ReadonlySet<string>;
  stuck?: StuckRules;
  rules?: ScoringRules;
  /** For a board shown to the room: no scenario ids, no score breakdowns that name them. */
  hideScenarios?: boolean;
  /** What the instructor should know about the board itself (a lost watch, unsigned verdicts). */
  notes?: string[];
}

export interface PodCell {
  name: string;
  status: string;
  ready: string;
  restarts: number;
}

export interface BoardRow {
  team: string;
  namespace: string;
  instance?: string;
  /** Instructor only (absent with hideScenarios). */
  scenario?: string;
  title?: { en: string; ko: string };
  /** The current instance's pod; undefined when none exists (not deployed, or being replaced). */
  pod?: PodCell;
  podCount: number;
  /** On the current scenario: from its release to its verified fix, or to now. */
  secondsOnScenario?: number;
  hints: number;
  diagnosis: InstanceScore['diagnosis'];
  verified: boolean;
  /** A verify request is waiting for (or being given) the instructor's verdict. */
  verify: 'none' | 'requested' | 'running';
  failedVerifies: number;
  /** Total over every instance the team played. */
  score: number;
  rank: number;
  /** Why the instructor should walk over; empty when fine. */
  stuck: string[];
  /** Lines of the team's log that did not parse. */
  badLines: BadLine[];
  /** Per instance, oldest first (the export's rows). */
  instances: InstanceScore[];
}

export interface Board {
  game: string;
  at: string;
  clock: GameClock;
  rows: BoardRow[];
  /** Teams needing attention, most stuck first. */
  stuck: { team: string; reasons: string[] }[];
  notes: string[];
  /** The standings are frozen (`gameday freeze`): the room's screens hide them, the instructor's show them. */
  frozen: boolean;
}

/**
 * What a live board keeps from one build to the next (engine/gameday/board.ts), so that a pod
 * event costs the changed team's work, not every team's: each log's scores (a log object is
 * replaced, never changed, when its ConfigMap or the game's mapping changes), each pod's cell
 * (a watch event brings a new pod object), and each team's last row, handed out again when
 * equal so that its JSON is not written again (BoardJson). Same board with or without it.
 */
export interface BoardMemo {
  logs: WeakMap<FoldedTeamLog, LogMemo>;
  pods: WeakMap<Pod, PodCell>;
  /** A namespace's pod list (podsByNamespace) → the current instance's pod cell and count. */
  picks: WeakMap<readonly Pod[], PodPick>;
  /** Each team's last row and what it was made of. */
  rows: Map<string, { inputs: RowInputs; row: BoardRow }>;
  /** Each team name's place in name order (the tiebreak), sorted once per set of teams. */
  nameOrder?: Map<string, number>;
  /** The last standings and the score lists they came from: a pod event changes no score. */
  standings?: Standings;
}

interface Standings {
  teams: string[];
  scores: InstanceScore[][];
  order: Map<string, number>;
  byTeam: Map<string, TeamStanding>;
  /** The teams' indices in board order, once asked for. */
  rankOrder?: number[];
}

/** A team's pod of its current instance, and how many pods it has. */
interface PodPick {
  instance?: string;
  pod?: PodCell;
  count: number;
}

type LogScores = Omit<LogMemo, 'meta' | 'categories' | 'rules'>;

interface LogMemo {
  meta?: GameMeta;
  categories: Record<string, string>;
  rules?: ScoringRules;
  instances: InstanceScore[];
  hidden: Omit<InstanceScore, 'scenario'>[];
  current?: InstanceState;
  pending: { instance: string; at: number; id?: string }[];
}

export function boardMemo(): BoardMemo {
  return { logs: new WeakMap(), pods: new WeakMap(), picks: new WeakMap(), rows: new Map() };
}

// Hoisted: localeCompare with options builds a collator per call (most of a 1,000-team sort).
const byTeamName = new Intl.Collator('en', { numeric: true }).compare;

export function buildBoard(input: BoardInput, memo?: BoardMemo): Board {
  const { nowMs, meta } = input;
  const stuckRules = input.stuck ?? DEFAULT_STUCK;
  const hideScenarios = input.hideScenarios === true;
  const clock = gameClock(meta ?? { durationSeconds: 3600, overtimeSeconds: 0 }, nowMs);
  const podsByNamespace = input.podsByNamespace ?? byNamespace(input.pods ?? []);

  const scores = input.teams.map((t) => logScores(t.log));
  // Team tokens that stopped working while the game still runs (it started late or was paused):
  // the teams cannot act any more, and only the instructor can tell (`gameday tokens` re-issues).
  const tokensEndMs = meta?.tokensEndAt ? Date.parse(meta.tokensEndAt) : Number.NaN;
  const tokensExpired = nowMs >= tokensEndMs && clock.phase !== 'over' ? `team token expired at ${new Date(tokensEndMs).toISOString().slice(11, 16)} UTC: re-issue with crashlab gameday tokens ${input.game}` : undefined;
  const order = nameOrder(input.teams, memo);
  const standings = standingsOf(input.teams, scores, order, memo);

  const byInput = input.teams.map((team, i): BoardRow => {
    const { instances, hidden, current, pending: allPending } = scores[i];
    const log = team.log;
    const score = instances.at(-1);
    const pick = instancePod(podsByNamespace.get(team.namespace) ?? NO_PODS, current?.instance);
    const origin = current?.releasedAt ?? current?.startedAt;
    const endMs = score?.secondsToVerifiedFix !== undefined && origin !== undefined ? origin + score.secondsToVerifiedFix * 1000 : nowMs;
    const secondsOnScenario = origin !== undefined ? Math.max(0, Math.floor((endMs - origin) / 1000)) : undefined;
    const verifying = current !== undefined && input.verifying?.has(current.instance) === true;
    const standing = standings.byTeam.get(team.team);
    // The row depends on these alone: the same ones (most rows of most builds) give the last row, unbuilt.
    const inputs: RowInputs = { team: team.team, log, scores: scores[i], pick, secondsOnScenario, verifying, standing, tokensExpired, hideScenarios, stuckRules };
    const kept = memo?.rows.get(team.namespace);
    if (kept && sameInputs(kept.inputs, inputs)) return kept.row;

    const pending = allPending.filter((r) => r.instance === current?.instance);
    const verify: BoardRow['verify'] = verifying ? 'running' : pending.length > 0 ? 'requested' : 'none';
    const stuck: string[] = [];
    if (current && score && !score.verified) {
      if (secondsOnScenario !== undefined && secondsOnScenario >= stuckRules.afterSeconds) stuck.push(`on the same scenario for ${Math.floor(secondsOnScenario / 60)} min`);
      if (score.failedVerifies >= stuckRules.failedVerifies) stuck.push(`${score.failedVerifies} failed verifies`);
    }
    if (tokensExpired) stuck.push(tokensExpired);
    if (log && log.bad.length > 0) stuck.push(`${log.bad.length} line${log.bad.length === 1 ? '' : 's'} of the team's log not counted (unreadable or forged)`);

    const row: BoardRow = {
      team: team.team,
      namespace: team.namespace,
      instance: current?.instance,
      scenario: hideScenarios ? undefined : score?.scenario,
      title: current?.title,
      pod: pick.pod,
      podCount: pick.count,
      secondsOnScenario,
      hints: score?.hints ?? 0,
      diagnosis: score?.diagnosis ?? 'none',
      verified: score?.verified ?? false,
      verify,
      failedVerifies: score?.failedVerifies ?? 0,
      score: standing?.score ?? 0,
      rank: standing?.rank ?? 0,
      stuck,
      badLines: log?.bad ?? [],
      instances: hideScenarios ? hidden : instances,
    };
    if (!memo) return row;
    // An equal row is handed out again (BoardJson then writes nothing for it).
    const same = kept && sameRow(kept.row, row) ? kept.row : row;
    memo.rows.set(team.namespace, { inputs, row: same });
    return same;
  });
  const rows = rankOrder(standings, input.teams, order).map((i) => byInput[i]);
  if (memo && memo.rows.size > rows.length) {
    const shown = new Set(rows.map((r) => r.namespace));
    for (const ns of memo.rows.keys()) if (!shown.has(ns)) memo.rows.delete(ns);
  }

  const stuck = rows
    .filter((r) => r.stuck.length > 0)
    .sort((a, b) => b.stuck.length - a.stuck.length || (b.secondsOnScenario ?? 0) - (a.secondsOnScenario ?? 0))
    .map((r) => ({ team: r.team, reasons: r.stuck }));
  return { game: input.game, at: new Date(nowMs).toISOString(), clock, rows, stuck, notes: input.notes ?? [], frozen: meta?.frozen === true };

  function logScores(log: FoldedTeamLog | undefined): LogScores {
    if (!log) return NO_LOG;
    const cached = log && memo?.logs.get(log);
    if (cached && cached.meta === meta && cached.categories === input.categories && cached.rules === input.rules) return cached;
    const instances = (log?.instances ?? []).map((state) => {
      const record = meta?.instances[state.instance];
      const scenario = record?.scenario;
      // The clock runs from the instructor's own release time, not a line a team could write.
      const timed = record ? { ...state, releasedAt: Date.parse(record.releasedAt) } : state;
      return scoreInstance(timed, { meta, scenario, category: scenario ? input.categories[scenario] : undefined, rules: input.rules });
    });
    const scores: LogMemo = {
      meta,
      categories: input.categories,
      rules: input.rules,
      instances,
      hidden: instances.map(({ scenario: _hidden, ...rest }) => rest),
      current: log ? currentInstance(log) : undefined,
      pending: log ? pendingVerifyRequests(log) : [],
    };
    if (log && memo) memo.logs.set(log, scores);
    return scores;
  }

  /** The team's pod of its current instance (any, before the first), and how many there are. */
  function instancePod(nsPods: readonly Pod[], instance: string | undefined): PodPick {
    const kept = memo?.picks.get(nsPods);
    if (kept && kept.instance === instance) return kept;
    const pods = nsPods.filter((p) => !instance || p.metadata.labels?.[INSTANCE_LABEL] === instance);
    const pick = { instance, pod: pickPod(pods), count: pods.length };
    // Only a list the caller keeps comes back: one built for this call is not worth remembering.
    if (input.podsByNamespace) memo?.picks.set(nsPods, pick);
    return pick;
  }

  function pickPod(candidates: Pod[]): PodCell | undefined {
    // The newest pod that is not going away is what the team is looking at.
    const live = candidates.filter((p) => !p.metadata.deletionTimestamp);
    const chosen = (live.length ? live : candidates).sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
    if (!chosen) return undefined;
    const cached = memo?.pods.get(chosen);
    if (cached) return cached;
    const columns = statusColumns(chosen);
    const cell = { name: chosen.metadata.name, status: columns.status, ready: `${columns.readyCount}/${columns.total}`, restarts: columns.restarts };
    memo?.pods.set(chosen, cell);
    return cell;
  }
}

const NO_PODS: readonly Pod[] = Object.freeze([]);

function byNamespace(pods: Pod[]): Map<string, Pod[]> {
  const grouped = new Map<string, Pod[]>();
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? '';
    const list = grouped.get(ns);
    if (list) list.push(pod);
    else grouped.set(ns, [pod]);
  }
  return grouped;
}

// A team whose log was not seen yet: the same (empty) scores every time, so standings can be kept.
const NO_LOG: LogScores = Object.freeze({ instances: [], hidden: [], current: undefined, pending: [] });

/** Team name → its place in name order (names the collator finds equal share one). */
function nameOrder(teams: readonly TeamInput[], memo: BoardMemo | undefined): Map<string, number> {
  const kept = memo?.nameOrder;
  if (kept && kept.size === teams.length && teams.every((t) => kept.has(t.team))) return kept;
  const sorted = [...new Set(teams.map((t) => t.team))].sort(byTeamName);
  const order = new Map<string, number>();
  sorted.forEach((name, i) => order.set(name, i > 0 && byTeamName(sorted[i - 1], name) === 0 ? order.get(sorted[i - 1])! : i));
  if (memo) memo.nameOrder = order;
  return order;
}

/** Each team's standing; the last ones again while no team's scores changed (the same score lists). */
function standingsOf(teams: readonly TeamInput[], scores: readonly LogScores[], order: Map<string, number>, memo: BoardMemo | undefined): Standings {
  const kept = memo?.standings;
  if (kept && kept.order === order && kept.teams.length === teams.length && teams.every((t, i) => t.team === kept.teams[i] && scores[i].instances === kept.scores[i])) return kept;
  const totals = teams.map((t, i) => ({ team: t.team, scores: scores[i].instances }));
  const standings: Standings = {
    teams: teams.map((t) => t.team),
    scores: scores.map((s) => s.instances),
    order,
    byTeam: new Map(rankTeams(totals, (a, b) => order.get(a)! - order.get(b)!).map((s) => [s.team, s])),
  };
  if (memo) memo.standings = standings;
  return standings;
}

/** The teams' indices in board order (rank, then name), once per standings. */
function rankOrder(standings: Standings, teams: readonly TeamInput[], order: Map<string, number>): number[] {
  if (standings.rankOrder) return standings.rankOrder;
  const rank = (i: number) => standings.byTeam.get(teams[i].team)?.rank ?? 0;
  return (standings.rankOrder = teams.map((_, i) => i).sort((a, b) => rank(a) - rank(b) || order.get(teams[a].team)! - order.get(teams[b].team)!));
}

/** What a row is made of (besides its namespace): equal ones make an equal row. */
interface RowInputs {
  team: string;
  log?: FoldedTeamLog;
  scores: LogScores;
  pick: PodPick;
  secondsOnScenario?: number;
  verifying: boolean;
  standing?: TeamStanding;
  tokensExpired?: string;
  hideScenarios: boolean;
  stuckRules: StuckRules;
}

function sameInputs(a: RowInputs, b: RowInputs): boolean {
  return (
    a.team === b.team &&
    a.log === b.log &&
    a.scores === b.scores &&
    a.pick === b.pick &&
    a.secondsOnScenario === b.secondsOnScenario &&
    a.verifying === b.verifying &&
    a.standing === b.standing &&
    a.tokensExpired === b.tokensExpired &&
    a.hideScenarios === b.hideScenarios &&
    a.stuckRules === b.stuckRules
  );
}

/** Equal rows, but for `except` (the sub-objects compared by identity: they come from the memo). */
function sameRow(a: BoardRow, b: BoardRow, except?: keyof BoardRow): boolean {
  for (const key of Object.keys(b) as (keyof BoardRow)[]) {
    if (key === except) continue;
    if (key === 'stuck') {
      if (a.stuck.length !== b.stuck.length || a.stuck.some((s, i) => s !== b.stuck[i])) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

/**
 * What changed for `--watch`: the board without the fields that move every second, so a JSON
 * line is printed on every change of state, not on every tick.
 */
export function boardFingerprint(board: Board): string {
  return JSON.stringify({ phase: board.clock.phase, paused: board.clock.paused, frozen: board.frozen, notes: board.notes, rows: board.rows.map(({ secondsOnScenario: _s, ...row }) => row), stuck: board.stuck.map((s) => s.team) });
}

/**
 * A live board's JSON lines (`--json --watch`), as UTF-8 bytes: the same text as
 * safeJson(board) plus a newline, given when boardFingerprint(board) changed. Each row's parts
 * are written (and encoded) once while the row object stays the same (BoardMemo hands an
 * unchanged row out again) and the fingerprints are compared part by part: a pod event writes
 * one row's JSON, not every team's, and a line is the rows' bytes copied into one buffer. A row
 * that differs from its team's last one only in secondsOnScenario (every row, every second)
 * reuses that row's fingerprint and bytes around the number.
 */
export class BoardJson {
  /** Namespace → the last row written and its parts (the same row object again: the same parts). */
  private readonly lastRows = new Map<string, { row: BoardRow; parts: RowParts }>();
  private last?: { head: string; rows: readonly BoardRow[]; fingerprints: string[]; stuck: string } | string;

  /** The board's line when its fingerprint changed since the last call, else undefined. */
  changedLine(board: Board): Uint8Array | undefined {
    if (!plainBoard(board)) {
      const fingerprint = boardFingerprint(board);
      if (fingerprint === this.last) return undefined;
      this.last = fingerprint;
      return utf8.encode(`${safeJson(board)}\n`);
    }
    const last = typeof this.last === 'object' ? this.last : undefined;
    const head = JSON.stringify({ phase: board.clock.phase, paused: board.clock.paused, frozen: board.frozen, notes: board.notes });
    const stuck = JSON.stringify(board.stuck.map((s) => s.team));
    let changed = !last || last.head !== head || last.stuck !== stuck || last.rows.length !== board.rows.length;
    // The same row object in the same place has the same fingerprint (most rows of most lines).
    const fingerprints = board.rows.map((r, i) => {
      const fingerprint = last?.rows[i] === r ? last.fingerprints[i] : this.row(r).fingerprint;
      if (!changed && fingerprint !== last!.fingerprints[i]) changed = true;
      return fingerprint;
    });
    if (this.lastRows.size > 2 * board.rows.length) {
      const shown = new Set(board.rows.map((r) => r.namespace));
      for (const ns of this.lastRows.keys()) if (!shown.has(ns)) this.lastRows.delete(ns);
    }
    this.last = { head, rows: board.rows, fingerprints, stuck };
    return changed ? this.line(board) : undefined;
  }

  /** `${safeJson(board)}\n` as UTF-8, from the rows' cached bytes. */
  line(board: Board): Uint8Array {
    if (!plainBoard(board)) return utf8.encode(`${safeJson(board)}\n`);
    const { game, at, clock, stuck, notes, frozen } = board;
    // `{...head, "rows": [rows], ...tail}` as JSON.stringify writes it.
    const head = safeJson({ game, at, clock });
    const tail = safeJson({ stuck, notes, frozen });
    const start = utf8.encode(`${head === '{}' ? '{' : `${head.slice(0, -1)},`}"rows":[`);
    const end = utf8.encode(`]${tail === '{}' ? '}' : `,${tail.slice(1)}`}\n`);
    const rows = board.rows.map((r) => this.row(r).bytes);
    const out = new Uint8Array(start.length + rows.reduce((n, r) => n + r.length, 0) + Math.max(0, rows.length - 1) + end.length);
    out.set(start);
    let offset = start.length;
    rows.forEach((bytes, i) => {
      if (i > 0) out[offset++] = COMMA;
      out.set(bytes, offset);
      offset += bytes.length;
    });
    out.set(end, offset);
    return out;
  }

  private row(row: BoardRow): RowParts {
    const last = this.lastRows.get(row.namespace);
    if (last?.row === row) return last.parts;
    let parts: RowParts;
    if (last?.parts.around && row.secondsOnScenario !== undefined && sameRow(last.row, row, 'secondsOnScenario')) {
      const { fingerprint, around } = last.parts;
      parts = { fingerprint, around, bytes: withSeconds(around, row.secondsOnScenario) };
    } else {
      const { secondsOnScenario: _s, ...rest } = row;
      const around = row.secondsOnScenario === undefined ? undefined : aroundSeconds(row);
      parts = { fingerprint: JSON.stringify(rest), around, bytes: around ? withSeconds(around, row.secondsOnScenario!) : utf8.encode(safeJson(row)) };
    }
    this.lastRows.set(row.namespace, { row, parts });
    return parts;
  }
}

interface RowParts {
  fingerprint: string;
  /** The row's JSON. */
  bytes: Uint8Array;
  /** The row's JSON before and after its secondsOnScenario number. */
  around?: [Uint8Array, Uint8Array];
}

const utf8 = new TextEncoder();
const COMMA = 0x2c;
// No real row has it: where secondsOnScenario's number stands in a row's JSON.
const SECONDS_MARK = -7.25;

function aroundSeconds(row: BoardRow): [Uint8Array, Uint8Array] {
  const key = `"secondsOnScenario":${SECONDS_MARK}`;
  const marked = safeJson({ ...row, secondsOnScenario: SECONDS_MARK });
  const at = marked.indexOf(key);
  return [utf8.encode(marked.slice(0, at + key.length - String(SECONDS_MARK).length)), utf8.encode(marked.slice(at + key.length))];
}

/** A row's JSON: the bytes around its secondsOnScenario with the number between (ASCII digits). */
function withSeconds([before, after]: [Uint8Array, Uint8Array], seconds: number): Uint8Array {
  const digits = String(seconds);
  const out = new Uint8Array(before.length + digits.length + after.length);
  out.set(before);
  for (let i = 0; i < digits.length; i++) out[before.length + i] = digits.charCodeAt(i);
  out.set(after, before.length + digits.length);
  return out;
}

// A board with exactly buildBoard's keys, in its order; anything else is written whole.
const BOARD_KEYS = 'game,at,clock,rows,stuck,notes,frozen';
const plainBoard = (board: Board) => Object.keys(board).join(',') === BOARD_KEYS && Array.isArray(board.rows);

/** What a live board view reads: the board now (the clock moves on its own) and its changes. */
export interface BoardSource {
  current(): Board;
  /** Calls back on every change; returns the unsubscribe. */
  subscribe(onChange: (board: Board) => void): () => void;
  /** The instructor's controls (absent on a read-only board): resolves with what was done. */
  control?(action: BoardControl): Promise<string>;
  /** Each team's events as last seen (the team detail view); kept after the end. */
  logs?(): { team: string; events: GameEvent[] }[];
}

export type BoardControl = 'freeze' | 'reveal' | 'pause' | 'resume';
