/**
 * Renders the lab at a fixed terminal size (ink-testing-library's stdout is fixed at 100
 * columns; the lab must be judged at 80×24) and lets tests type keys and wait for frames.
 */
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink';
import { App } from '../../src/tui/app.js';
import { createDemoServices, type DemoOptions, type DemoServices } from '../../src/tui/demo.js';
import type { Lang } from '../../src/core/text.js';

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  write(data: string) {
    this.pending.push(data);
    this.emit('readable');
  }
  read = () => this.pending.shift() ?? null;
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
  pause() {}
  resume() {}
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  backspace: '\x7f',
  ctrlC: '\x03',
};

export interface Lab {
  services: DemoServices;
  stdout: FakeStdout;
  /** Raw input: one write is one chunk, however many keys it holds. */
  stdin: FakeStdin;
  frame(): string;
  /** Types keys one at a time, letting the app render between them. */
  type(...keys: string[]): Promise<void>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  exitCode(): number | undefined;
  /** What the app put on the clipboard (OSC 52 in a real terminal). */
  copied: string[];
  exited: Promise<unknown>;
  unmount(): void;
}

/** Long enough for a render and its effects (Ink re-subscribes the key handler after each commit). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function renderLab(
  options: { columns?: number; rows?: number; lang?: Lang; demo?: DemoOptions; patch?: (services: DemoServices) => void; clock?: () => number } = {},
): Lab {
  const services = createDemoServices({ manual: true, ...options.demo });
  options.patch?.(services);
  const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
  const stdin = new FakeStdin();
  let code: number | undefined;
  const copied: string[] = [];
  const terminal = { handOver: <T,>(task: () => Promise<T>) => task(), copy: (text: string) => copied.push(text) };
  const instance = render(<App services={services} lang={options.lang ?? 'en'} terminal={terminal} now={options.clock ?? services.now} onExit={(c) => (code = c)} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => stdout.frames.at(-1) ?? '';
  return {
    services,
    stdout,
    stdin,
    frame,
    async type(...keys: string[]) {
      for (const key of keys) {
        await settle();
        stdin.write(key);
        await settle();
      }
    },
    async waitFor(text, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = frame();
        if (typeof text === 'string' ? current.includes(text) : text.test(current)) return current;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${current}`);
        await settle(5);
      }
    },
    exitCode: () => code,
    copied,
    exited: instance.waitUntilExit(),
    unmount: () => instance.unmount(),
  };
}

/** From launch to the lab view of the first scenario (bad-command). */
export async function openFirstLab(lab: Lab): Promise<void> {
  await lab.waitFor('Pick a scenario');
  await lab.type(KEY.enter);
  await lab.waitFor('60-second routine');
  await lab.waitFor(/READY 0\/1/);
}

/** Waits until `check` holds (for effects that finish after the frame that shows them). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await settle(5);
  }
}
