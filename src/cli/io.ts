import { safeJson, safeText } from '../core/untrusted.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** The command line, once main() has it (the language of usage errors and help). */
  argv?: readonly string[];
}

export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
};

// Every line goes through core/untrusted.ts: much of what crashlab prints quotes a pod, a
// cluster, a team or the user's bad input, and none of it may drive the terminal.
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${safeJson(value, 2)}\n`);
}

export function println(io: Io, line = ''): void {
  io.stdout.write(`${safeText(line)}\n`);
}

/**
 * The width prose is reflowed to: the terminal's columns on a TTY; otherwise $COLUMNS when set,
 * else 80, so piped output and CI logs read the same as an 80-column terminal.
 */
export function proseWidth(io: Io): number {
  if (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 0) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  return Number.isInteger(env) && env >= 20 ? env : 80;
}

/**
 * Learner prose (briefings, symptoms, notes): the source's line breaks inside a paragraph are
 * dropped and the text is word-wrapped to the terminal (double-width characters count twice).
 * string-width is loaded here, not at start-up: only commands that print prose pay for it.
 */
export async function printProse(io: Io, text: string, indent = ''): Promise<void> {
  const { wrapWords } = await import('../core/width.js');
  for (const row of wrapWords(text.trim(), Math.max(20, proseWidth(io) - indent.length))) println(io, row ? indent + row : '');
}

export function eprintln(io: Io, line = ''): void {
  io.stderr.write(`${safeText(line)}\n`);
}

/** A line crashlab styled itself (colour codes); the caller has neutralised any quoted text. */
export function printStyled(io: Io, line: string): void {
  io.stdout.write(`${line}\n`);
}

/** Colour only on a TTY, never with NO_COLOR or --no-color (chalk does not read NO_COLOR). */
export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY);
}
