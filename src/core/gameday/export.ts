/**
 * `crashlab gameday export`: per team and scenario the results, plus every team's event log,
 * for the debrief. Pure formatting of a Board and the parsed logs.
 */
import type { GameEvent } from './events.js';
import type { Board } from './board.js';
import { SCORING_RULES } from './scoring.js';
import { debrief as stuckDebrief } from './debrief.js';
import { formatClock } from './game.js';
import { category } from '../categories.js';
import type { Scenario } from '../scenario.js';
import { pick, type Lang } from '../text.js';
import { safeJson, safeMarkdown, safeText } from '../untrusted.js';

export const EXPORT_FORMATS = ['csv', 'json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ResultRow {
  team: string;
  rank: number;
  instance: string;
  scenario: string;
  released: string;
  started: string;
  seconds_to_right_diagnosis: number | '';
  diagnosis: string;
  hints: number;
  wrong_diagnoses: number;
  failed_verifies: number;
  seconds_to_verified_fix: number | '';
  verified: boolean;
  used_solution: boolean;
  overtime: boolean;
  score: number;
  team_score: number;
}

export const RESULT_COLUMNS: (keyof ResultRow)[] = [
  'team',
  'rank',
  'instance',
  'scenario',
  'released',
  'started',
  'seconds_to_right_diagnosis',
  'diagnosis',
  'hints',
  'wrong_diagnoses',
  'failed_verifies',
  'seconds_to_verified_fix',
  'verified',
  'used_solution',
  'overtime',
  'score',
  'team_score',
];

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

export function resultRows(board: Board): ResultRow[] {
  return board.rows.flatMap((row) =>
    row.instances.map((s) => ({
      team: row.team,
      rank: row.rank,
      instance: s.instance,
      scenario: s.scenario ?? '',
      released: iso(s.releasedAt),
      started: iso(s.startedAt),
      seconds_to_right_diagnosis: s.secondsToRightDiagnosis ?? '',
      diagnosis: s.diagnosis,
      hints: s.hints,
      wrong_diagnoses: s.wrongDiagnoses,
      failed_verifies: s.failedVerifies,
      seconds_to_verified_fix: s.secondsToVerifiedFix ?? '',
      verified: s.verified,
      used_solution: s.usedSolution,
      overtime: s.overtime,
      score: s.score,
      team_score: row.score,
    })),
  );
}

export interface TeamEvents {
  team: string;
  events: GameEvent[];
  /** Line number of each event in the team's log (same order): lets the export mark the lines the board did not count. */
  lines?: number[];
}

/**
 * RFC 4180 field quoting, with a leading `'` on fields a spreadsheet would run as a formula
 * (team names come from a participants file). Hand-written: a dozen lines against a
 * dependency for the whole CLI.
 */
export function csvField(value: unknown): string {
  // Controls escaped (a team's note may carry ESC sequences); line breaks stay (quoted below).
  let text = value === undefined || value === null ? '' : safeText(String(value));
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',');
}

const EVENT_COLUMNS = ['team', 'at', 'type', 'instance', 'details', 'not_counted'];

function eventDetails(event: GameEvent): string {
  const { at: _at, type: _type, instance: _instance, ...rest } = event as GameEvent & Record<string, unknown>;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}

/**
 * csv: the results table, an empty line, then the event log table (two tables, each with its
 * header, so a spreadsheet opens both); json: one document; md: standings, each run and the
 * scoring rule in words, then the debrief sections and the event log.
 */
export function exportGame(board: Board, logs: TeamEvents[], format: ExportFormat, debrief: { scenarios?: Scenario[]; lang?: Lang } = {}): string {
  const rows = resultRows(board);
  // A forged instructor verdict or release reads like a real one: say beside it that it did not count.
  const bad = new Map(board.rows.flatMap((r) => r.badLines.map((b) => [`${r.team}/${b.line}`, b.error] as const)));
  const events = logs.flatMap((l) => l.events.map((e, i) => ({ team: l.team, event: e, notCounted: l.lines ? bad.get(`${l.team}/${l.lines[i]}`) : undefined })));
  if (format === 'json') {
    return `${safeJson({ game: board.game, exportedAt: board.at, clock: board.clock, scoring: SCORING_RULES, results: rows, events: events.map((e) => ({ team: e.team, ...e.event, ...(e.notCounted ? { notCounted: e.notCounted } : {}) })) }, 2)}\n`;
  }
  if (format === 'csv') {
    const results = [csvLine(RESULT_COLUMNS), ...rows.map((r) => csvLine(RESULT_COLUMNS.map((c) => r[c])))];
    const log = [csvLine(EVENT_COLUMNS), ...events.map((e) => csvLine([e.team, e.event.at, e.event.type, e.event.instance ?? '', eventDetails(e.event), e.notCounted ?? '']))];
    return `${results.join('\r\n')}\r\n\r\n${log.join('\r\n')}\r\n`;
  }
  // Every cell is text, never markup: teams write notes, instances and categories.
  const md = (v: unknown) => safeMarkdown(String(v ?? '').replace(/\r?\n/g, ' '));
  const table = (header: string[], body: unknown[][]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');
  return [
    `# Game ${board.game}: results`,
    '',
    `Exported ${board.at}; game clock ${board.clock.phase}, ${Math.floor(board.clock.elapsedSeconds / 60)} min played.`,
    '',
    '## Standings',
    '',
    table(
      ['rank', 'team', 'score', 'verified fixes', 'hints', 'wrong diagnoses', 'failed verifies'],
      board.rows.map((r) => [r.rank, r.team, r.score, ...teamTotals(rows.filter((x) => x.team === r.team))]),
    ),
    '',
    '## Each run',
    '',
    table(
      ['team', 'run', 'right diagnosis', 'fix', 'hints', 'wrong diagnoses', 'failed verifies', 'score'],
      rows.map((r) => [r.team, r.scenario ? `${r.instance} · ${r.scenario}` : r.instance, diagnosisCell(r), fixCell(r), r.hints, r.wrong_diagnoses, r.failed_verifies, r.score]),
    ),
    '',
    'Times are from the release (or the team’s start) to that moment. csv and json have every field.',
    '',
    '## Scoring rules',
    '',
    table(
      ['what', 'points'],
      scoringLines(),
    ),
    '',
    ...conclusions(rows, events, table),
    ...whereStuck(board, logs, debrief.scenarios ?? [], table),
    ...scenarioDebriefs(rows, debrief.scenarios ?? [], debrief.lang ?? 'en'),
    '## Event log',
    '',
    table(
      EVENT_COLUMNS,
      events.map((e) => [e.team, e.event.at, e.event.type, e.event.instance ?? '', eventDetails(e.event), e.notCounted ?? '']),
    ),
    '',
  ].join('\n');
}

/** A team's verified fixes, hints, wrong diagnoses and failed verifies over its runs. */
function teamTotals(rows: ResultRow[]): number[] {
  return [rows.filter((r) => r.verified).length, rows.reduce((n, r) => n + r.hints, 0), rows.reduce((n, r) => n + r.wrong_diagnoses, 0), rows.reduce((n, r) => n + r.failed_verifies, 0)];
}

function diagnosisCell(r: ResultRow): string {
  if (r.seconds_to_right_diagnosis !== '') return `right at ${formatClock(r.seconds_to_right_diagnosis)}`;
  return r.diagnosis === 'none' ? '-' : r.diagnosis;
}

function fixCell(r: ResultRow): string {
  if (!r.verified) return '-';
  const at = r.seconds_to_verified_fix === '' ? 'verified' : `verified at ${formatClock(r.seconds_to_verified_fix)}`;
  return `${at}${r.used_solution ? ', reference solution' : ''}${r.overtime ? ', in overtime' : ''}`;
}

/** The scoring rule in words (the README's table), not its keys. */
function scoringLines(): [string, string][] {
  const r = SCORING_RULES;
  return [
    ['a fix the instructor’s board verified', `${r.verifiedFix}`],
    ['each hint, once per hint and run', `${r.perHint}`],
    ['each wrong diagnosis before the right one', `${r.perWrongDiagnosis}`],
    ['each failed verification', `${r.perFailedVerify}`],
    ['the right cause on the first answer', `+${r.firstTryDiagnosis}`],
    ['speed bonus', `up to +${r.maxTimeBonus}, none after ${Math.round(r.parSeconds / 60)} min`],
    ['a fix made with the reference solution', `${r.withSolution}, flat`],
    ['the least a verified own fix scores', `${r.floor}`],
  ];
}

/** Per scenario played: how far the teams got and how fast, hints, wrong guesses, the step before the right diagnosis. */
function whereStuck(board: Board, logs: TeamEvents[], scenarios: Scenario[], table: (header: string[], body: unknown[][]) => string): string[] {
  const rows = stuckDebrief(board, logs, Object.fromEntries(scenarios.map((s) => [s.id, s.category])));
  if (rows.length === 0) return [];
  const time = (s?: { median: number; p90: number }) => (s ? `${formatClock(s.median)} / ${formatClock(s.p90)}` : '-');
  return [
    '## Where the room got stuck',
    '',
    table(
      ['scenario', 'right diagnosis (median / p90)', 'verified fix (median / p90)', 'hint rate', 'commonest wrong diagnoses', 'routine step before the right diagnosis'],
      rows.map((r) => [
        r.scenario,
        `${r.diagnosed}/${r.instances} · ${time(r.secondsToRightDiagnosis)}`,
        `${r.verified}/${r.instances} · ${time(r.secondsToVerifiedFix)}`,
        `${Math.round(r.hintRate * 100)}%`,
        r.wrongDiagnoses.map((w) => `${w.category} ×${w.count}`).join(', ') || '-',
        r.stepBeforeRightDiagnosis ? `${r.stepBeforeRightDiagnosis.step} ×${r.stepBeforeRightDiagnosis.count}` : '-',
      ]),
    ),
    '',
  ];
}

/** The teams' own notes, in log order, next to the scenario each was about. */
function conclusions(rows: ResultRow[], events: { team: string; event: GameEvent }[], table: (header: string[], body: unknown[][]) => string): string[] {
  const notes = events.flatMap((e) => (e.event.type === 'note' ? [{ team: e.team, at: e.event.at, instance: e.event.instance ?? '', text: e.event.text }] : []));
  if (notes.length === 0) return [];
  const scenarioOf = new Map(rows.map((r) => [`${r.team}/${r.instance}`, r.scenario]));
  return ['## Conclusions (the teams’ notes)', '', table(['team', 'at', 'scenario', 'note'], notes.map((n) => [n.team, n.at, scenarioOf.get(`${n.team}/${n.instance}`) ?? '', n.text])), ''];
}

/** For each scenario the game played: its cause and its debrief, for the instructor to walk through. */
function scenarioDebriefs(rows: ResultRow[], scenarios: Scenario[], lang: Lang): string[] {
  const played = [...new Set(rows.map((r) => r.scenario).filter(Boolean))];
  const found = played.flatMap((id) => scenarios.filter((s) => s.id === id));
  if (found.length === 0) return [];
  return [
    '## What each scenario taught',
    '',
    ...found.flatMap((s) => [`### ${s.id}: ${pick(s.title, lang)}`, '', `Cause: ${pick(category(s.category).title, lang)}.`, '', pick(s.debrief, lang).trim(), '']),
  ];
}
