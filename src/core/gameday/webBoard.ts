/**
 * The web board (`gameday board G --web`): the room's page and the instructor's page, rendered
 * as HTML from the same Board the Ink view and `--json` print, so every screen shows the same
 * numbers. Untrusted text (team names, notes, reasons) goes through core/untrusted.ts's safeHtml.
 * Pure: no I/O. The server (adapters/webBoard.ts) pushes `renderBoardHtml` over SSE;
 * the browser only swaps it in (the page works, frozen in time, without JavaScript too).
 */
import { eventLine } from './teamDetail.js';
import type { Lang } from '../text.js';
import type { Board, BoardRow } from './board.js';
import type { GameEvent } from './events.js';
import type { ScenarioDebrief } from './debrief.js';
import { formatClock } from './game.js';
import { safeHtml as escapeHtml } from '../untrusted.js';

export type WebView = 'room' | 'instructor';

export interface WebBoardInput {
  /** The instructor's board (scenario ids included): the room's view is cut from it here. */
  board: Board;
  view: WebView;
  lang: Lang;
  /** Each team's latest note (instructor only: notes may spell the fix). */
  teamNotes?: Record<string, string>;
  /** Each team's event log (instructor only): the detail view of where a team is stuck. */
  teamEvents?: Record<string, GameEvent[]>;
  /** Where the room got stuck, per scenario: shown once the game is over (both views). */
  debrief?: ScenarioDebrief[];
}

/** Loopback: the web board needs no viewer token there (the Host header is checked instead). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Each team's log as last seen: `gameday end` deletes the team namespaces one by one, so a log
 * that turns empty is a log deleted (logs are append-only), and its last events stay for the end
 * view's "where the room got stuck" and the team detail.
 */
export function keepLastLogs<E>(last: Record<string, E[]> | undefined, now: { team: string; events: E[] }[]): Record<string, E[]> {
  const kept: Record<string, E[]> = { ...last };
  for (const { team, events } of now) if (events.length > 0 || !(team in kept)) kept[team] = events;
  return kept;
}

/**
 * After `gameday end` the game's objects go (the instructor's metadata first, then the team
 * logs) and a live board would fall back to "not started", then to no team at all: keep showing
 * the last board of the started game instead, as final (clock over), with `ended` set. A game
 * never goes back to "not started" otherwise.
 */
export function keepFinalStandings(last: Board | undefined, now: Board): Board & { ended?: boolean } {
  const started = (b: Board) => b.rows.length > 0 && b.clock.phase !== 'not-started';
  if (started(now) || !last || !started(last)) return now;
  return { ...last, clock: { ...last.clock, phase: 'over', paused: false }, frozen: false, ended: true };
}

const TEXT = {
  en: {
    title: 'Game day',
    rank: '#',
    team: 'Team',
    state: 'State',
    time: 'Time',
    score: 'Score',
    scenario: 'Scenario',
    diagnosis: 'Diagnosis',
    hints: 'Hints',
    failed: 'Failed verifies',
    note: 'Latest note',
    stuck: 'Stuck',
    notStarted: 'not started',
    paused: 'paused',
    left: 'left',
    overtime: 'overtime',
    over: 'game over',
    ended: 'The game has ended: these are the final standings.',
    final: 'Final standings',
    standings: 'Standings',
    frozen: 'Standings are frozen until the reveal.',
    frozenInstructor: 'Frozen: the room does not see the standings.',
    chart: 'Score over time',
    fixed: 'fixed',
    verifying: 'verifying…',
    requested: 'verify requested',
    waiting: 'waiting',
    noPod: 'no pod',
    teams: 'teams',
    noTeams: 'No team yet.',
    boardNotes: 'Board notes',
    live: 'live',
    offline: 'reconnecting…',
    minutes: 'min',
    details: 'Teams in detail',
    detailsHint: 'the latest events of each team’s log, newest last',
    wrong: 'wrong diagnoses',
    debrief: 'Where the room got stuck',
    diagnosedCol: 'Right diagnosis',
    fixedCol: 'Verified fix',
    hintRate: 'Used hints',
    commonWrong: 'Commonest wrong diagnoses',
    stepBefore: 'Routine step before the right diagnosis',
    medianP90: 'median / p90',
  },
  ko: {
    title: '게임 데이',
    rank: '#',
    team: '팀',
    state: '상태',
    time: '시간',
    score: '점수',
    scenario: '시나리오',
    diagnosis: '진단',
    hints: '힌트',
    failed: '실패한 검증',
    note: '최근 메모',
    stuck: '막힘',
    notStarted: '시작 전',
    paused: '일시 정지',
    left: '남음',
    overtime: '연장전',
    over: '게임 종료',
    ended: '게임이 끝났습니다. 최종 순위입니다.',
    final: '최종 순위',
    standings: '순위',
    frozen: '공개 전까지 순위가 동결되었습니다.',
    frozenInstructor: '동결됨: 참가자 화면에는 순위가 표시되지 않습니다.',
    chart: '시간별 점수',
    fixed: '해결',
    verifying: '검증 중…',
    requested: '검증 요청됨',
    waiting: '대기',
    noPod: 'Pod 없음',
    teams: '팀',
    noTeams: '아직 팀이 없습니다.',
    boardNotes: '보드 알림',
    live: '실시간',
    offline: '다시 연결하는 중…',
    minutes: '분',
    details: '팀별 상세',
    detailsHint: '각 팀 로그의 최근 이벤트(최신이 마지막)',
    wrong: '틀린 진단',
    debrief: '참가자들이 막힌 곳',
    diagnosedCol: '올바른 진단',
    fixedCol: '검증된 해결',
    hintRate: '힌트 사용',
    commonWrong: '가장 흔한 틀린 진단',
    stepBefore: '올바른 진단 직전의 점검 단계',
    medianP90: '중앙값 / p90',
  },
} as const;

type Texts = { [K in keyof (typeof TEXT)['en']]: string };
export function webText(lang: Lang): Texts {
  return TEXT[lang] ?? TEXT.en;
}

/** The clock line: the same words for every screen. */
export function clockText(board: Board, lang: Lang): string {
  const t = webText(lang);
  const c = board.clock;
  if (c.phase === 'not-started') return t.notStarted;
  if (c.paused && c.phase !== 'over') return `${t.paused} · ${formatClock(c.phase === 'overtime' ? c.overtimeLeftSeconds : c.remainingSeconds)} ${t.left}`;
  if (c.phase === 'running') return `${formatClock(c.remainingSeconds)} ${t.left}`;
  if (c.phase === 'overtime') return `${t.overtime} · ${formatClock(c.overtimeLeftSeconds)} ${t.left}`;
  return t.over;
}

/** A team's state in a few words, from its row (the board's own verdicts). */
export function stateText(row: BoardRow, lang: Lang): { text: string; kind: 'fixed' | 'verifying' | 'broken' | 'idle' } {
  const t = webText(lang);
  if (!row.instance) return { text: t.waiting, kind: 'idle' };
  if (row.verified) return { text: t.fixed, kind: 'fixed' };
  if (row.verify === 'running') return { text: t.verifying, kind: 'verifying' };
  if (row.verify === 'requested') return { text: t.requested, kind: 'verifying' };
  if (!row.pod) return { text: t.noPod, kind: 'broken' };
  return { text: `${row.pod.status} · ${row.pod.ready}`, kind: 'broken' };
}

export interface ScorePoint {
  /** Seconds since the game's start. */
  t: number;
  score: number;
}

/**
 * Each team's score over time, from the board's own per-instance scores: a step at every
 * instructor-verified fix, ending at the team's current total (the board's number).
 */
export function scoreSeries(board: Board): { team: string; points: ScorePoint[] }[] {
  const nowMs = Date.parse(board.at);
  const startMs = nowMs - board.clock.elapsedSeconds * 1000;
  const end = board.clock.elapsedSeconds;
  return board.rows.map((row) => {
    const steps = row.instances
      .filter((i) => i.verified && i.secondsToVerifiedFix !== undefined && (i.releasedAt ?? i.startedAt) !== undefined)
      .map((i) => ({ t: Math.max(0, Math.round(((i.releasedAt ?? i.startedAt)! + i.secondsToVerifiedFix! * 1000 - startMs) / 1000)), score: i.score }))
      .sort((a, b) => a.t - b.t);
    const points: ScorePoint[] = [{ t: 0, score: 0 }];
    let total = 0;
    for (const step of steps) {
      points.push({ t: Math.min(step.t, end), score: total });
      total += step.score;
      points.push({ t: Math.min(step.t, end), score: total });
    }
    points.push({ t: end, score: row.score });
    return { team: row.team, points };
  });
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#808000', '#000075'];

/** Inline SVG: one step line per team, no script, no external asset. */
export function renderChart(board: Board, lang: Lang): string {
  const t = webText(lang);
  const series = scoreSeries(board);
  const W = 640;
  const H = 220;
  const pad = { l: 44, r: 12, t: 12, b: 28 };
  const maxT = Math.max(60, board.clock.elapsedSeconds);
  const maxS = Math.max(100, ...series.flatMap((s) => s.points.map((p) => p.score)));
  const minS = Math.min(0, ...series.flatMap((s) => s.points.map((p) => p.score)));
  const x = (v: number) => (pad.l + (v / maxT) * (W - pad.l - pad.r)).toFixed(1);
  const y = (v: number) => (H - pad.b - ((v - minS) / (maxS - minS)) * (H - pad.t - pad.b)).toFixed(1);
  // A team keeps its colour when the ranks change: colours follow the names, not the order.
  const names = series.map((s) => s.team).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const colour = (team: string) => PALETTE[names.indexOf(team) % PALETTE.length];
  const lines = series.map((s) => {
    const color = colour(s.team);
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.t)},${y(p.score)}`).join(' ');
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="3"><title>${escapeHtml(s.team)}</title></path>`;
  });
  const legend = series
    .map((s) => `<span class="key"><span class="swatch" style="background:${colour(s.team)}"></span>${escapeHtml(s.team)}</span>`)
    .join(' ');
  const axis =
    `<line x1="${pad.l}" y1="${y(0)}" x2="${W - pad.r}" y2="${y(0)}" class="axis"/>` +
    `<text x="${pad.l - 6}" y="${y(maxS)}" class="tick" text-anchor="end">${maxS}</text>` +
    `<text x="${pad.l - 6}" y="${y(0)}" class="tick" text-anchor="end">0</text>` +
    `<text x="${W - pad.r}" y="${H - 8}" class="tick" text-anchor="end">${formatClock(maxT)}</text>` +
    `<text x="${pad.l}" y="${H - 8}" class="tick">0:00</text>`;
  return (
    `<section class="chart"><h2>${t.chart}</h2>` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${t.chart}">${axis}${lines.join('')}</svg>` +
    `<div class="legend">${legend}</div></section>`
  );
}

const DETAIL_EVENTS = 20;

/** One event of a team's log as a line: what the team did, in its own words where it has any. */
/** The instructor's detail view: per team, its counters and the latest events of its log. */
function renderDetails(input: WebBoardInput): string {
  const t = webText(input.lang);
  const e = escapeHtml;
  const teams = input.board.rows.map((r) => {
    const events = input.teamEvents?.[r.team] ?? [];
    const wrong = r.instances.reduce((n, i) => n + i.wrongDiagnoses, 0);
    // "label: n" reads right for 1 and for 2 in both languages ("1 hints" did not).
    const summary = [`${t.hints.toLowerCase()} ${r.hints}`, `${t.wrong} ${wrong}`, `${t.failed.toLowerCase()} ${r.failedVerifies}`, ...r.stuck].join(' · ');
    const lines = events
      .slice(-DETAIL_EVENTS)
      .map((ev) => `<li><time>${e(ev.at.slice(11, 19))}</time> ${e(eventLine(ev))}</li>`)
      .join('');
    return `<details data-key="${e(r.team)}"><summary><b>${e(r.team)}</b> <small>${e(summary)}</small></summary><ol class="events">${lines}</ol></details>`;
  });
  return `<section class="details"><h2>${t.details} <small>${t.detailsHint}</small></h2>${teams.join('')}</section>`;
}

/** The debrief table: per scenario, time to the right diagnosis and to the verified fix, hints, wrong guesses. */
function renderDebrief(rows: ScenarioDebrief[], lang: Lang): string {
  const t = webText(lang);
  const e = escapeHtml;
  const time = (s?: { median: number; p90: number }) => (s ? `${formatClock(s.median)} / ${formatClock(s.p90)}` : '-');
  const body = rows
    .map(
      (r) =>
        `<tr data-scenario="${e(r.scenario)}"><td>${e(r.scenario)}</td>` +
        `<td class="num">${r.diagnosed}/${r.instances} · ${time(r.secondsToRightDiagnosis)}</td>` +
        `<td class="num">${r.verified}/${r.instances} · ${time(r.secondsToVerifiedFix)}</td>` +
        `<td class="num">${Math.round(r.hintRate * 100)}%</td>` +
        `<td>${e(r.wrongDiagnoses.map((w) => `${w.category} ×${w.count}`).join(', ') || '-')}</td>` +
        `<td>${e(r.stepBeforeRightDiagnosis ? `${r.stepBeforeRightDiagnosis.step} ×${r.stepBeforeRightDiagnosis.count}` : '-')}</td></tr>`,
    )
    .join('');
  return (
    `<section class="debrief"><h2>${t.debrief}</h2><table><thead><tr><th>${t.scenario}</th>` +
    `<th class="num">${t.diagnosedCol} <small>${t.medianP90}</small></th><th class="num">${t.fixedCol} <small>${t.medianP90}</small></th>` +
    `<th class="num">${t.hintRate}</th><th>${t.commonWrong}</th><th>${t.stepBefore}</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}

/** What the server pushes: the whole live part of the page (header, standings, chart). */
export function renderBoardHtml(input: WebBoardInput): string {
  const { board, view, lang } = input;
  const t = webText(lang);
  const instructor = view === 'instructor';
  const hidden = board.frozen && !instructor;
  const over = board.clock.phase === 'over';
  const e = escapeHtml;

  const head =
    `<header><h1>${e(t.title)} <span class="game">${e(board.game)}</span></h1>` +
    `<div class="clock phase-${board.clock.phase}${board.clock.paused ? ' paused' : ''}" data-phase="${board.clock.phase}" data-paused="${board.clock.paused}">${e(clockText(board, lang))}</div></header>`;
  const ended = (board as { ended?: boolean }).ended ? `<p class="banner ended">${e(t.ended)}</p>` : '';
  const banner = board.frozen ? `<p class="banner frozen">${e(instructor ? t.frozenInstructor : t.frozen)}</p>` : '';

  const rows = hidden ? [...board.rows].sort((a, b) => a.team.localeCompare(b.team, 'en', { numeric: true })) : board.rows;
  const cols = [
    hidden ? '' : `<th class="num">${t.rank}</th>`,
    `<th>${t.team}</th>`,
    instructor ? `<th>${t.scenario}</th>` : '',
    `<th>${t.state}</th>`,
    `<th class="num">${t.time}</th>`,
    instructor ? `<th>${t.diagnosis}</th><th class="num">${t.hints}</th><th class="num">${t.failed}</th>` : '',
    hidden ? '' : `<th class="num">${t.score}</th>`,
    instructor ? `<th>${t.stuck}</th><th>${t.note}</th>` : '',
  ].join('');
  const body = rows
    .map((r) => {
      const state = stateText(r, lang);
      const cells = [
        hidden ? '' : `<td class="num rank">${r.rank}</td>`,
        `<td class="team">${e(r.team)}</td>`,
        instructor ? `<td>${e(r.scenario ?? '-')}${r.instance ? ` <small>${e(r.instance)}</small>` : ''}</td>` : '',
        `<td class="state ${state.kind}">${e(state.text)}</td>`,
        `<td class="num">${r.secondsOnScenario === undefined ? '-' : formatClock(r.secondsOnScenario)}</td>`,
        instructor ? `<td>${e(r.diagnosis)}</td><td class="num">${r.hints}</td><td class="num">${r.failedVerifies}</td>` : '',
        hidden ? '' : `<td class="num score">${r.score}</td>`,
        instructor ? `<td class="stuck">${e(r.stuck.join('; '))}</td><td class="note">${e(input.teamNotes?.[r.team] ?? '')}</td>` : '',
      ].join('');
      return `<tr data-team="${e(r.team)}" data-verified="${r.verified}"${hidden ? '' : ` data-score="${r.score}"`}>${cells}</tr>`;
    })
    .join('');
  const table = board.rows.length
    ? `<table class="standings"><thead><tr>${cols}</tr></thead><tbody>${body}</tbody></table>`
    : `<p class="empty">${t.noTeams}</p>`;
  const heading = `<h2>${over && !hidden ? t.final : t.standings} <small>${board.rows.length} ${t.teams}</small></h2>`;
  const podium =
    over && !hidden && board.rows.length
      ? `<ol class="podium">${board.rows
          .filter((r) => r.rank <= 3)
          .map((r) => `<li class="place-${r.rank}"><span class="team">${e(r.team)}</span> <span class="score">${r.score}</span></li>`)
          .join('')}</ol>`
      : '';
  const chart = hidden || board.rows.length === 0 ? '' : renderChart(board, lang);
  const details = instructor && board.rows.length ? renderDetails(input) : '';
  const debriefHtml = over && !hidden && input.debrief?.length ? renderDebrief(input.debrief, lang) : '';
  const notes = instructor && board.notes.length ? `<section class="notes"><h2>${t.boardNotes}</h2><ul>${board.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>` : '';
  return `${head}${ended}${banner}<section class="board${over ? ' over' : ''}">${heading}${podium}${table}</section>${debriefHtml}${chart}${details}${notes}`;
}

/** The page's shell: the first render inline, then the script keeps it live. */
export function renderPage(input: WebBoardInput): string {
  const t = webText(input.lang);
  const other: Lang = input.lang === 'ko' ? 'en' : 'ko';
  return (
    `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(`${t.title} ${input.board.game}`)}</title>` +
    `<link rel="stylesheet" href="/assets/board.css"></head>` +
    `<body class="view-${input.view}"><div id="status" class="status" data-live="false">${t.offline}</div>` +
    `<nav class="lang"><a href="#" data-lang="${other}">${other.toUpperCase()}</a></nav>` +
    `<main id="board" data-live-text="${escapeHtml(t.live)}" data-offline-text="${escapeHtml(t.offline)}">${renderBoardHtml(input)}</main>` +
    `<script src="/assets/board.js"></script></body></html>`
  );
}

/** The browser side: swap in each pushed render; EventSource reconnects by itself. */
export const BOARD_JS = `(() => {
  const main = document.getElementById('board');
  const status = document.getElementById('status');
  const params = new URLSearchParams(location.search);
  for (const a of document.querySelectorAll('nav.lang a')) {
    a.addEventListener('click', (ev) => { ev.preventDefault(); params.set('lang', a.dataset.lang); location.search = params.toString(); });
  }
  const base = location.pathname.replace(/\\/$/, '');
  const source = new EventSource(base + '/events?' + params.toString());
  const live = (on) => { status.dataset.live = String(on); status.textContent = on ? main.dataset.liveText : main.dataset.offlineText; };
  source.addEventListener('board', (ev) => {
    // A re-render must not close the team details the instructor opened.
    const open = [...main.querySelectorAll('details[open]')].map((d) => d.dataset.key);
    main.innerHTML = JSON.parse(ev.data).html;
    for (const d of main.querySelectorAll('details')) if (open.includes(d.dataset.key)) d.open = true;
    live(true);
  });
  source.addEventListener('open', () => live(true));
  source.addEventListener('error', () => live(false));
})();
`;

export const BOARD_CSS = `
:root { color-scheme: light dark; --bg: #0f1419; --fg: #e6e6e6; --muted: #8b949e; --line: #30363d; --ok: #3fb950; --warn: #d29922; --bad: #f85149; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem; background: var(--bg); color: var(--fg); font: 18px/1.4 system-ui, "Noto Sans CJK KR", "Noto Sans KR", sans-serif; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid var(--line); }
h1 { margin: 0 0 .5rem; font-size: 2rem; } h1 .game { color: var(--muted); font-weight: normal; }
h2 { font-size: 1.2rem; margin: 1.2rem 0 .5rem; } h2 small { color: var(--muted); font-weight: normal; }
.clock { font-size: 2.4rem; font-variant-numeric: tabular-nums; }
.clock.phase-overtime, .clock.paused { color: var(--warn); } .clock.phase-over { color: var(--bad); }
.banner { padding: .6rem 1rem; border-radius: 6px; background: #1f6feb33; border: 1px solid #1f6feb; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .85rem; text-transform: uppercase; }
.num { text-align: right; } td.score { font-weight: 700; font-size: 1.3rem; } td.team { font-weight: 600; white-space: nowrap; max-width: 16rem; overflow: hidden; text-overflow: ellipsis; }
td.state.fixed { color: var(--ok); } td.state.verifying { color: var(--warn); } td.state.broken { color: var(--bad); } td.state.idle { color: var(--muted); }
td small, td.note, td.stuck { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
.chart svg { width: 100%; max-width: 900px; height: auto; background: #161b22; border-radius: 6px; }
.axis { stroke: var(--line); } .tick { fill: var(--muted); font-size: 11px; }
.legend .key { margin-right: 1rem; } .swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; border-radius: 2px; }
.podium { display: flex; gap: 1rem; list-style: none; padding: 0; } .podium li { flex: 1; padding: 1rem; border-radius: 8px; background: #161b22; font-size: 1.4rem; }
.podium .place-1 { border: 2px solid gold; } .podium .score { float: right; font-weight: 700; }
.status { position: fixed; bottom: .5rem; right: 1rem; font-size: .8rem; color: var(--muted); } .status[data-live="false"] { color: var(--warn); }
nav.lang { position: fixed; top: .4rem; right: 1rem; font-size: .8rem; } nav.lang a { color: var(--muted); }
.view-room td.note, .view-room .notes { display: none; }
details { border-bottom: 1px solid var(--line); padding: .3rem 0; } summary { cursor: pointer; } summary small { color: var(--muted); }
ol.events { margin: .3rem 0 .6rem; padding-left: 1.5rem; font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; } ol.events time { font-variant-numeric: tabular-nums; color: var(--fg); }
`;
