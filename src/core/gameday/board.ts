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
import { rankTeams, scoreInstance, type InstanceScore, type ScoringRules } from './scoring.js';

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
  /** Every pod of the game (the one watch, all namespaces). */
  pods: Pod[];
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
  rows: Map<string, BoardRow>;
}

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
  return { logs: new WeakMap(), pods: new WeakMap(), rows: new Map() };
}

// Hoisted: localeCompare with options builds a collator per call (most of a 1,000-team sort).
const byTeamName = new Intl.Collator('en', { numeric: true }).compare;

export function buildBoard(input: BoardInput, memo?: BoardMemo): Board {
  const { nowMs, meta } = input;
  const stuckRules = input.stuck ?? DEFAULT_STUCK;
  const clock = gameClock(meta ?? { durationSeconds: 3600, overtimeSeconds: 0 }, nowMs);
  const podsByNamespace = new Map<string, Pod[]>();
  for (const pod of input.pods) {
    const ns = pod.metadata.namespace ?? '';
    const list = podsByNamespace.get(ns);
    if (list) list.push(pod);
    else podsByNamespace.set(ns, [pod]);
  }

  const scored = input.teams.map((t) => ({ team: t, ...logScores(t.log) }));
  // Team tokens that stopped working while the game still runs (it started late or was paused):
  // the teams cannot act any more, and only the instructor can tell (`gameday tokens` re-issues).
  const tokensEndMs = meta?.tokensEndAt ? Date.parse(meta.tokensEndAt) : Number.NaN;
  const tokensExpired = nowMs >= tokensEndMs && clock.phase !== 'over' ? `team token expired at ${new Date(tokensEndMs).toISOString().slice(11, 16)} UTC: re-issue with crashlab gameday tokens ${input.game}` : undefined;
  const standings = new Map(rankTeams(scored.map((s) => ({ team: s.team.team, scores: s.instances }))).map((s) => [s.team, s]));

  const rows = scored.map(({ team, instances, hidden, current, pending: allPending }): BoardRow => {
    const log = team.log;
    const score = instances.at(-1);
    const pods = (podsByNamespace.get(team.namespace) ?? []).filter((p) => !current || p.metadata.labels?.[INSTANCE_LABEL] === current.instance);
    const pod = pickPod(pods);
    const origin = current?.releasedAt ?? current?.startedAt;
    const endMs = score?.secondsToVerifiedFix !== undefined && origin !== undefined ? origin + score.secondsToVerifiedFix * 1000 : nowMs;
    const secondsOnScenario = origin !== undefined ? Math.max(0, Math.floor((endMs - origin) / 1000)) : undefined;
    const pending = allPending.filter((r) => r.instance === current?.instance);
    const verify: BoardRow['verify'] = current && input.verifying?.has(current.instance) ? 'running' : pending.length > 0 ? 'requested' : 'none';

    const stuck: string[] = [];
    if (current && score && !score.verified) {
      if (secondsOnScenario !== undefined && secondsOnScenario >= stuckRules.afterSeconds) stuck.push(`on the same scenario for ${Math.floor(secondsOnScenario / 60)} min`);
      if (score.failedVerifies >= stuckRules.failedVerifies) stuck.push(`${score.failedVerifies} failed verifies`);
    }
    if (tokensExpired) stuck.push(tokensExpired);
    if (log && log.bad.length > 0) stuck.push(`${log.bad.length} line${log.bad.length === 1 ? '' : 's'} of the team's log not counted (unreadable or forged)`);

    const scenario = input.hideScenarios ? undefined : score?.scenario;
    const row: BoardRow = {
      team: team.team,
      namespace: team.namespace,
      instance: current?.instance,
      scenario,
      title: current?.title,
      pod,
      podCount: pods.length,
      secondsOnScenario,
      hints: score?.hints ?? 0,
      diagnosis: score?.diagnosis ?? 'none',
      verified: score?.verified ?? false,
      verify,
      failedVerifies: score?.failedVerifies ?? 0,
      score: standings.get(team.team)?.score ?? 0,
      rank: standings.get(team.team)?.rank ?? 0,
      stuck,
      badLines: log?.bad ?? [],
      instances: input.hideScenarios ? hidden : instances,
    };
    if (!memo) return row;
    const last = memo.rows.get(team.namespace);
    if (last && sameRow(last, row)) return last;
    memo.rows.set(team.namespace, row);
    return row;
  });
  rows.sort((a, b) => a.rank - b.rank || byTeamName(a.team, b.team));
  if (memo && memo.rows.size > rows.length) {
    const shown = new Set(rows.map((r) => r.namespace));
    for (const ns of memo.rows.keys()) if (!shown.has(ns)) memo.rows.delete(ns);
  }

  const stuck = rows
    .filter((r) => r.stuck.length > 0)
    .sort((a, b) => b.stuck.length - a.stuck.length || (b.secondsOnScenario ?? 0) - (a.secondsOnScenario ?? 0))
    .map((r) => ({ team: r.team, reasons: r.stuck }));
  return { game: input.game, at: new Date(nowMs).toISOString(), clock, rows, stuck, notes: input.notes ?? [], frozen: meta?.frozen === true };

  function logScores(log: FoldedTeamLog | undefined): Omit<LogMemo, 'meta' | 'categories' | 'rules'> {
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

/** Equal rows (the sub-objects compared by identity: they come from the memo). */
function sameRow(a: BoardRow, b: BoardRow): boolean {
  for (const key of Object.keys(b) as (keyof BoardRow)[]) {
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
 * A live board's JSON lines (`--json --watch`): the same text as safeJson(board), printed when
 * boardFingerprint(board) changed, with each row's parts written once while the row object
 * stays the same (BoardMemo hands an unchanged row out again) and the fingerprints compared
 * part by part: a pod event writes one row's JSON, not every team's.
 */
export class BoardJson {
  private readonly parts = new WeakMap<BoardRow, { json: string; fingerprint: string }>();
  private last?: { head: string; rows: string[]; stuck: string } | string;

  /** The board's line when its fingerprint changed since the last call, else undefined. */
  changedJson(board: Board): string | undefined {
    if (!plainBoard(board)) {
      const fingerprint = boardFingerprint(board);
      if (fingerprint === this.last) return undefined;
      this.last = fingerprint;
      return safeJson(board);
    }
    const next = {
      head: JSON.stringify({ phase: board.clock.phase, paused: board.clock.paused, frozen: board.frozen, notes: board.notes }),
      rows: board.rows.map((r) => this.row(r).fingerprint),
      stuck: JSON.stringify(board.stuck.map((s) => s.team)),
    };
    const last = this.last;
    if (typeof last === 'object' && last.head === next.head && last.stuck === next.stuck && last.rows.length === next.rows.length && last.rows.every((r, i) => r === next.rows[i])) return undefined;
    this.last = next;
    return this.json(board);
  }

  /** safeJson(board), from the rows' cached parts. */
  json(board: Board): string {
    if (!plainBoard(board)) return safeJson(board);
    const { game, at, clock, stuck, notes, frozen } = board;
    return splice(safeJson({ game, at, clock }), 'rows', board.rows.map((r) => this.row(r).json), safeJson({ stuck, notes, frozen }));
  }

  private row(row: BoardRow) {
    let parts = this.parts.get(row);
    if (!parts) {
      const { secondsOnScenario: _s, ...rest } = row;
      parts = { json: safeJson(row), fingerprint: JSON.stringify(rest) };
      this.parts.set(row, parts);
    }
    return parts;
  }
}

// A board with exactly buildBoard's keys, in its order; anything else is written whole.
const BOARD_KEYS = 'game,at,clock,rows,stuck,notes,frozen';
const plainBoard = (board: Board) => Object.keys(board).join(',') === BOARD_KEYS && Array.isArray(board.rows);

/** `{...head, key: [items], ...tail}` as JSON.stringify writes it, from the parts' JSON. */
function splice(head: string, key: string, items: string[], tail: string): string {
  const open = head === '{}' ? '{' : `${head.slice(0, -1)},`;
  const close = tail === '{}' ? '}' : `,${tail.slice(1)}`;
  return `${open}${JSON.stringify(key)}:[${items.join(',')}]${close}`;
}

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
