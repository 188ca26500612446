/**
 * The terminal the lab owns while it runs: the alternate screen (always left again on exit,
 * crash or signal), and a gate on Ink's output so another program ($EDITOR) can have the
 * terminal for a while without Ink painting over it.
 */
import { EventEmitter } from 'node:events';
import { hangUpNow, onHangup } from '../app/hangup.js';

const ENTER_ALT = '\x1b[?1049h\x1b[2J\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

type Out = NodeJS.WriteStream;

/** What Ink needs of stdout, forwarding to the real one unless the gate is closed. */
export class GatedStdout extends EventEmitter {
  open = true;
  readonly isTTY: boolean;
  private readonly onResize = () => this.emit('resize');

  constructor(private readonly out: Out) {
    super();
    this.isTTY = Boolean(out.isTTY);
    out.on('resize', this.onResize);
  }

  get columns(): number {
    return this.out.columns ?? 80;
  }

  get rows(): number {
    return this.out.rows ?? 24;
  }

  write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    if (this.open) return this.out.write(data, callback);
    callback?.();
    return true;
  }

  detach(): void {
    this.out.off('resize', this.onResize);
  }
}

/** Lets the app hand the terminal to another program and take it back. */
export interface TerminalControl {
  /** Leaves the alternate screen, stops Ink's output and input, runs `task`, then restores all. */
  handOver<T>(task: () => Promise<T>): Promise<T>;
  /** Puts text on the system clipboard through the terminal (OSC 52; tmux needs set-clipboard on). */
  copy(text: string): void;
}

/** For tests and non-interactive renders: nothing to hand over, nowhere to copy to. */
export const inertTerminal: TerminalControl = {
  handOver: (task) => task(),
  copy: () => {},
};

export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export class LabTerminal implements TerminalControl {
  readonly stdout: GatedStdout;
  private inAlt = false;
  private readonly cleanups: (() => void)[] = [];
  /** Set by runTui: forget what Ink drew so the next frame is painted in full. */
  repaint: () => void = () => {};
  /** Set by the app: turn Ink's raw-mode input off (true) or on (false); resolves once done. */
  setInputSuspended: (suspended: boolean) => Promise<void> = async () => {};

  constructor(
    private readonly out: Out = process.stdout,
    private readonly input: NodeJS.ReadStream = process.stdin,
  ) {
    this.stdout = new GatedStdout(out);
  }

  /** Enters the alternate screen and makes sure every way out leaves it again. */
  enter(onSignal: (signal: NodeJS.Signals) => void): void {
    this.out.write(ENTER_ALT + HIDE_CURSOR);
    this.inAlt = true;
    const restore = () => this.restore();
    process.on('exit', restore);
    this.cleanups.push(() => process.off('exit', restore));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => onSignal(signal);
      process.on(signal, handler);
      this.cleanups.push(() => process.off(signal, handler));
    }
    // A closed terminal: the screen's own stop (kubectl stopped) and the terminal back, then the
    // process ends by the signal (app/hangup.ts says why it must not exit any other way).
    this.cleanups.push(
      onHangup(() => {
        onSignal('SIGHUP');
        this.restore();
      }),
    );
    // Reading a closed terminal fails before (or instead of) the signal.
    const onInputError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EIO') hangUpNow();
    };
    this.input.on('error', onInputError);
    // In raw mode Ctrl-D is a key: the end of the input is a terminal that went away.
    const onInputEnd = () => hangUpNow();
    this.input.on('end', onInputEnd);
    this.cleanups.push(() => {
      this.input.off('error', onInputError);
      this.input.off('end', onInputEnd);
    });
  }

  /** Idempotent: main screen back, cursor visible, raw mode off. */
  restore(): void {
    if (!this.inAlt) return;
    this.inAlt = false;
    try {
      if (this.input.isTTY) this.input.setRawMode(false);
    } catch {
      // stdin may already be closed during shutdown
    }
    this.out.write(SHOW_CURSOR + LEAVE_ALT);
  }

  dispose(): void {
    this.restore();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stdout.detach();
  }

  copy(text: string): void {
    this.out.write(osc52(text));
  }

  async handOver<T>(task: () => Promise<T>): Promise<T> {
    await this.setInputSuspended(true);
    this.stdout.open = false;
    this.input.pause();
    this.out.write(SHOW_CURSOR + LEAVE_ALT);
    try {
      return await task();
    } finally {
      this.out.write(ENTER_ALT + HIDE_CURSOR);
      this.stdout.open = true;
      this.repaint();
      await this.setInputSuspended(false);
    }
  }
}
