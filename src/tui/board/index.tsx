/** Entry of the board UI (imported by `crashlab gameday board` on a terminal). */
import React from 'react';
import { LabTerminal } from '../terminal.js';
import type { BoardSource } from '../../core/gameday/board.js';
import { BoardApp } from './app.js';

export async function runBoardTui(source: BoardSource): Promise<void> {
  const { render } = await import('ink');
  const terminal = new LabTerminal();
  let instance: ReturnType<typeof render> | undefined;
  terminal.enter(() => instance?.unmount());
  try {
    instance = render(<BoardApp source={source} />, {
      stdout: terminal.stdout as unknown as NodeJS.WriteStream,
      stdin: process.stdin,
      exitOnCtrlC: false,
      patchConsole: true,
      maxFps: 10,
    });
    terminal.repaint = () => instance?.clear();
    await instance.waitUntilExit();
  } finally {
    terminal.dispose();
  }
}
