/** Entry of the board UI (imported by `crashlab gameday board` on a terminal). */
import React from 'react';
import { LabTerminal } from '../terminal.js';
import type { BoardSource } from '../../core/gameday/board.js';
import { BoardApp } from './app.js';

export async function runBoardTui(source: BoardSource, signal?: AbortSignal): Promise<void> {
  const { render } = await import('ink');
  // Interrupted while the board was still loading: its signal handlers came too late to see it.
  if (signal?.aborted) return;
  const terminal = new LabTerminal();
  let instance: ReturnType<typeof render> | undefined;
  terminal.enter(() => instance?.unmount());
  const onAbort = () => instance?.unmount();
  signal?.addEventListener('abort', onAbort, { once: true });
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
    signal?.removeEventListener('abort', onAbort);
    terminal.dispose();
  }
}
