/**
 * The board screen: state (the latest Board, a 1 s clock tick), one key router over the
 * BOARD_KEYS table, and the render-only BoardView.
 */
import React, { useEffect, useRef, useState } from 'react';
import { useApp, useInput, useStdout } from 'ink';
import type { Board, BoardSource } from '../../core/gameday/board.js';
import { actionFor } from './keys.js';
import { BoardView, TeamDetailView } from './view.js';
import { teamDetail } from '../../core/gameday/teamDetail.js';

export type { BoardSource };

export function BoardApp({ source, tickMs = 1000, onQuit }: { source: BoardSource; tickMs?: number; onQuit?: () => void }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [board, setBoard] = useState<Board>(() => source.current());
  const [selected, setSelected] = useState(0);
  const [showStuck, setShowStuck] = useState(true);
  const [publicView, setPublicView] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  /** The team whose detail is open (by name: the rows re-sort as scores change). */
  const [detail, setDetailState] = useState<string | undefined>();
  // Read by the key handler through a ref: Enter then j typed quickly must not meet a stale closure.
  const detailRef = useRef<string | undefined>(undefined);
  const setDetail = (team: string | undefined) => {
    detailRef.current = team;
    setDetailState(team);
  };
  const control = (action: 'freeze' | 'reveal' | 'pause' | 'resume') => {
    if (!source.control) return setMessage('this board is read-only: no controls');
    setMessage(`${action}…`);
    source.control(action).then(setMessage, (error: Error) => setMessage(`${action} failed: ${error.message}`));
  };

  useEffect(() => source.subscribe(setBoard), [source]);
  useEffect(() => {
    const timer = setInterval(() => setBoard(source.current()), tickMs);
    return () => clearInterval(timer);
  }, [source, tickMs]);

  const quit = () => {
    onQuit?.();
    exit();
  };
  useInput((input, key) => {
    const action = actionFor(input, key);
    const open = detailRef.current;
    if (open !== undefined) {
      // In the detail: Esc back to the table, j/k the next team's detail, q quits.
      const at = board.rows.findIndex((r) => r.team === open);
      if (action === 'back') setDetail(undefined);
      else if (action === 'quit') quit();
      else if ((action === 'down' || action === 'up') && board.rows.length > 0) {
        const next = Math.max(0, Math.min(board.rows.length - 1, at + (action === 'down' ? 1 : -1)));
        setSelected(next);
        setDetail(board.rows[next].team);
      } else if (action === 'help') setShowHelp((v) => !v);
      return;
    }
    switch (action) {
      case 'quit':
      case 'back':
        quit();
        return;
      case 'open':
        if (board.rows[selected]) setDetail(board.rows[selected].team);
        return;
      case 'stuck':
        setShowStuck((v) => !v);
        return;
      case 'public':
        setPublicView((v) => !v);
        return;
      case 'help':
        setShowHelp((v) => !v);
        return;
      case 'freeze':
        control(board.frozen ? 'reveal' : 'freeze');
        return;
      case 'clock':
        control(board.clock.paused ? 'resume' : 'pause');
        return;
      case 'down':
        setSelected((s) => Math.min(s + 1, Math.max(0, board.rows.length - 1)));
        return;
      case 'up':
        setSelected((s) => Math.max(0, s - 1));
        return;
    }
  });

  const detailRow = detail === undefined ? undefined : board.rows.find((r) => r.team === detail);
  if (detailRow) {
    const events = source.logs?.().find((l) => l.team === detailRow.team)?.events ?? [];
    return <TeamDetailView row={detailRow} detail={teamDetail(detailRow, events)} board={board} width={stdout.columns || 120} height={stdout.rows || 40} showHelp={showHelp} />;
  }
  return (
    <BoardView
      board={board}
      width={stdout.columns || 120}
      height={stdout.rows || 40}
      selected={selected}
      showStuck={showStuck}
      publicView={publicView}
      showHelp={showHelp}
      message={message}
    />
  );
}
