/**
 * The instructor board, render-only: a table of teams (rank, team, instance, scenario, pod
 * STATUS / READY / RESTARTS, time on the scenario, hints, diagnosis, verify, score), the game
 * clock, and who is stuck. Everything shown comes from the Board model.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { Board, BoardRow } from '../../core/gameday/board.js';
import type { TeamDetail } from '../../core/gameday/teamDetail.js';
import { formatClock } from '../../core/gameday/game.js';
import { statusColor } from '../components.js';
import { pad, truncate } from '../layout.js';
import { safeText } from '../../core/untrusted.js';
import { BOARD_KEYS } from './keys.js';

export interface BoardViewProps {
  board: Board;
  width: number;
  height: number;
  selected: number;
  showStuck: boolean;
  publicView: boolean;
  showHelp: boolean;
  /** What the last control did (freeze, pause…). */
  message?: string;
}

type Column = { title: string; width: number; cell: (r: BoardRow) => string; color?: (r: BoardRow) => string | undefined };

const diagnosisText: Record<BoardRow['diagnosis'], string> = { none: '-', right: 'right', wrong: 'wrong', unjudged: 'given' };

/** Fits 100 columns; a wider terminal gives STATUS room for CrashLoopBackOff and longer reasons. */
function columns(publicView: boolean, width: number): Column[] {
  const status = Math.max(14, Math.min(26, 14 + (width - 100)));
  const cols: Column[] = [
    { title: '#', width: 2, cell: (r) => String(r.rank) },
    { title: 'TEAM', width: 8, cell: (r) => r.team },
    { title: 'INSTANCE', width: 8, cell: (r) => r.instance ?? '-' },
    { title: 'SCENARIO', width: 13, cell: (r) => r.scenario ?? '-' },
    { title: 'STATUS', width: status, cell: (r) => r.pod?.status ?? (r.instance ? 'no pod' : '-'), color: (r) => (r.pod ? statusColor(r.pod.status) : 'gray') },
    { title: 'READY', width: 5, cell: (r) => r.pod?.ready ?? '-' },
    { title: 'RESTARTS', width: 8, cell: (r) => (r.pod ? String(r.pod.restarts) : '-') },
    { title: 'TIME', width: 5, cell: (r) => (r.secondsOnScenario === undefined ? '-' : formatClock(r.secondsOnScenario)) },
    { title: 'HINT', width: 4, cell: (r) => String(r.hints) },
    { title: 'DIAG', width: 5, cell: (r) => diagnosisText[r.diagnosis], color: (r) => (r.diagnosis === 'right' ? 'green' : r.diagnosis === 'wrong' ? 'red' : undefined) },
    {
      title: 'VERIFY',
      width: 9,
      cell: (r) => (r.verified ? 'verified' : r.verify === 'running' ? 'verifying' : r.verify === 'requested' ? 'requested' : r.failedVerifies ? `${r.failedVerifies} failed` : '-'),
      color: (r) => (r.verified ? 'green' : r.verify !== 'none' ? 'yellow' : r.failedVerifies ? 'red' : undefined),
    },
    { title: 'SCORE', width: 5, cell: (r) => String(r.score) },
  ];
  return publicView ? cols.filter((c) => c.title !== 'SCENARIO') : cols;
}

function clockLine(board: Board): { text: string; color?: string } {
  const c = board.clock;
  if (c.phase === 'not-started') return { text: `not started · ${formatClock(c.durationSeconds)} + ${formatClock(c.overtimeSeconds)} overtime` };
  const marks = `${board.frozen ? 'FROZEN (room sees no standings) · ' : ''}${c.paused && c.phase !== 'over' ? 'PAUSED · ' : ''}`;
  if (marks) return { text: `${marks}${formatClock(c.phase === 'overtime' ? c.overtimeLeftSeconds : c.remainingSeconds)} left`, color: 'yellow' };
  if (c.phase === 'running') return { text: `${formatClock(c.remainingSeconds)} left of ${formatClock(c.durationSeconds)}`, color: c.remainingSeconds < 300 ? 'yellow' : 'green' };
  if (c.phase === 'overtime') return { text: `OVERTIME ${formatClock(c.overtimeLeftSeconds)} left`, color: 'red' };
  return { text: 'game over', color: 'red' };
}

export function BoardView({ board, width, height, selected, showStuck, publicView, showHelp, message }: BoardViewProps) {
  // Projected while frozen: no rank, no score (the room's page hides them the same way).
  const cols = columns(publicView, width).filter((c) => !(publicView && board.frozen && (c.title === '#' || c.title === 'SCORE')));
  const clock = clockLine(board);
  const line = (cells: { text: string; width: number; color?: string }[]) => cells.map((c, i) => (
    <Text key={i} color={c.color}>
      {pad(truncate(safeText(c.text, { multiline: false }), c.width), c.width)}{' '}
    </Text>
  ));
  const stuckRows = showStuck ? Math.min(board.stuck.length, 6) + 2 : 0;
  const visible = Math.max(1, height - 5 - stuckRows - board.notes.length - (message ? 1 : 0));
  const start = Math.max(0, Math.min(selected - visible + 1, board.rows.length - visible));
  const rows = board.rows.slice(start, start + visible);
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        <Text bold>crashlab game {board.game} · {board.rows.length} teams</Text>
        <Text color={clock.color} bold>
          {clock.text}
        </Text>
      </Box>
      <Text wrap="truncate-end" bold>
        {line(cols.map((c) => ({ text: c.title, width: c.width })))}
      </Text>
      {rows.map((r, i) => (
        <Text key={r.team} wrap="truncate-end" inverse={start + i === selected}>
          {line(cols.map((c) => ({ text: c.cell(r), width: c.width, color: c.color?.(r) })))}
          {r.stuck.length > 0 ? <Text color="red">!</Text> : null}
        </Text>
      ))}
      {board.rows.length === 0 ? <Text color="gray">no team yet: waiting for the game's progress logs</Text> : null}
      {showStuck ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={board.stuck.length ? 'red' : 'green'}>
            {board.stuck.length ? `Stuck (${board.stuck.length}): walk over` : 'Nobody is stuck'}
          </Text>
          {board.stuck.slice(0, 6).map((s) => (
            <Text key={s.team} wrap="truncate-end">
              {'  '}
              {s.team}: {safeText(s.reasons.join('; '), { multiline: false })}
            </Text>
          ))}
        </Box>
      ) : null}
      {board.notes.map((n) => (
        <Text key={n} color="yellow" wrap="truncate-end">
          ⚠ {safeText(n, { multiline: false })}
        </Text>
      ))}
      {message ? (
        <Text color="cyan" wrap="truncate-end">
          {message}
        </Text>
      ) : null}
      <Text color="gray" wrap={showHelp ? 'wrap' : 'truncate-end'}>
        {showHelp ? BOARD_KEYS.map((b) => `${b.keys[0]} ${b.help}`).join(' · ') : '? keys · Enter team detail · s stuck · p projector · f freeze · c clock · q quit'}
      </Text>
    </Box>
  );
}

/**
 * One team in detail (Enter on its row): where it is stuck on its current scenario, then what it
 * did there and its latest events. Instructor-only: the projector shows the table.
 */
export function TeamDetailView({ row, detail, board, width, height, showHelp }: { row: BoardRow; detail: TeamDetail; board: Board; width: number; height: number; showHelp: boolean }) {
  const clock = clockLine(board);
  const s = (text: string) => safeText(text, { multiline: false });
  const judged = { right: 'green', wrong: 'red', 'not counted': 'gray' } as const;
  const fixed = 9;
  const eventsRoom = Math.max(1, height - fixed - detail.reasons.length);
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        <Text bold>
          {s(row.team)} · #{row.rank} · {row.score} points · {row.scenario ?? '-'} {row.instance ?? ''}
          {row.secondsOnScenario === undefined ? '' : ` · ${formatClock(row.secondsOnScenario)} on it`}
        </Text>
        <Text color={clock.color} bold>
          {clock.text}
        </Text>
      </Box>
      <Text wrap="truncate-end" color={row.verified ? 'green' : row.stuck.length ? 'red' : 'yellow'} bold>
        Where it is: {s(detail.stuckAt)}
      </Text>
      {detail.reasons.map((r) => (
        <Text key={r} color="red" wrap="truncate-end">
          {'  '}! {s(r)}
        </Text>
      ))}
      <Text wrap="truncate-end">Routine steps run: {detail.steps.length ? s(detail.steps.join(', ')) : 'none'}</Text>
      <Text wrap="truncate-end">Hints: {detail.hints.length ? detail.hints.join(', ') : 'none'}</Text>
      <Text wrap="truncate-end">
        Causes named:{' '}
        {detail.diagnoses.length
          ? detail.diagnoses.map((d, i) => (
              <Text key={i} color={judged[d.judged]}>
                {i ? ', ' : ''}
                {s(d.category)} ({d.judged})
              </Text>
            ))
          : 'none'}
      </Text>
      <Text wrap="truncate-end">
        Verifications: {detail.verifies.requested} asked, {detail.verifies.failed} failed{detail.verifies.lastVerdict ? ` · last: ${s(detail.verifies.lastVerdict)}` : ''}
      </Text>
      <Text bold>Latest events</Text>
      {detail.latest.length === 0 ? <Text color="gray">  no event in its log yet</Text> : null}
      {detail.latest.slice(-eventsRoom).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {'  '}
          {s(line)}
        </Text>
      ))}
      <Text color="gray" wrap={showHelp ? 'wrap' : 'truncate-end'}>
        {showHelp ? BOARD_KEYS.map((b) => `${b.keys[0]} ${b.help}`).join(' · ') : 'Esc back · j/k next/previous team · ? keys · q quit'}
      </Text>
    </Box>
  );
}
