/**
 * The board screen: state (the latest Board, a 1 s clock tick), one key router over the
 * BOARD_KEYS table, and the render-only BoardView.
 */
import React, { useEffect, useState } from 'react';
import { useApp, useInput, useStdout } from 'ink';
import type { Board, BoardSource } from '../../core/gameday/board.js';
import { actionFor } from './keys.js';
import { BoardView } from './view.js';

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

  useInput((input, key) => {
    switch (actionFor(input, key)) {
      case 'quit':
        onQuit?.();
        exit();
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
