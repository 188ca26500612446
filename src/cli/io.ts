import { safeJson, safeText } from '../core/untrusted.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** The command line, once main() has it (the language of usage errors and help). */
  argv?: readonly string[];
}

// Getters: Node creates each stream on first use (stdin ~1 ms), and most commands never read stdin.
export const processIo: Io = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};

/** `io` with the command line; its streams stay getters (a spread would create them all). */
export function withArgv(io: Io, argv: readonly string[]): Io {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(io), argv: { value: argv, enumerable: true } }) as Io;
}

// Every line goes through core/untrusted.ts: much of what crashlab prints quotes a pod, a
// cluster, a team or the user's bad input, and none of it may drive the terminal.
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${safeJson(value, 2)}\n`);
}

export function println(io: Io, line = ''): void {
  io.stdout.write(`${safeText(line)}\n`);
}

/** A line crashlab coloured itself: its own colour codes pass, everything else is escaped as by println. */
export function printlnPainted(io: Io, line: string): void {
  io.stdout.write(`${line.split(/(\x1b\[(?:0|3[1-3])m)/).map((part, i) => (i % 2 ? part : safeText(part))).join('')}\n`);
}

/**
 * The width prose is reflowed to: the terminal's columns on a TTY; else $COLUMNS when set;
 * else, when only stdout is redirected (`| cat`, `| less`, `| tee log`) and stderr is still a
 * terminal, that terminal's columns: a person is reading. Undefined otherwise (CI, cron, a
 * script's capture): each paragraph is then one line, whole and greppable.
 */
export function proseWidth(io: Io): number | undefined {
  if (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 0) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  if (Number.isInteger(env) && env >= 20) return env;
  return io.stderr.isTTY && io.stderr.columns && io.stderr.columns > 0 ? io.stderr.columns : undefined;
}

/**
 * Learner prose (briefings, symptoms, messages): the source's line breaks inside a paragraph
 * are dropped and the text is word-wrapped to the terminal, double-width characters counting
 * two cells; rows after the first start with `indent`. string-width is loaded here, not at
 * start-up: only commands that print prose pay for it.
 */
export async function proseRows(io: Io, text: string, first = '', indent = first): Promise<string[]> {
  const { cells, reflow, wrapWords } = await import('../core/width.js');
  const width = proseWidth(io);
  const pad = ' '.repeat(cells(indent));
  // Lines the text indents itself (a list under the message) keep their own indent.
  if (width === undefined) return reflow(text.trim()).split('\n').map((row, i) => (!row ? '' : i === 0 ? `${first}${row}` : /^\s/.test(row) ? row : `${indent}${row}`));
  const rows = wrapWords(text.trim(), Math.max(20, width - Math.max(cells(first), cells(pad))));
  return rows.map((row, i) => (row ? `${i === 0 ? first : pad}${row}` : ''));
}

export async function printProse(io: Io, text: string, indent = ''): Promise<void> {
  for (const row of await proseRows(io, text, indent)) println(io, row);
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

/**
 * `crashlab` with the connection flags this invocation was given (--kubeconfig, --context,
 * --yes for a context that needs it), then `rest`: a next step printed to the user works
 * as printed in the same shell.
 */
export function crashlabCommand(globals: { kubeconfig?: string; context?: string; yes?: boolean }, rest: string): string {
  const quote = (arg: string) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const flags = [
    ...(globals.kubeconfig ? ['--kubeconfig', quote(globals.kubeconfig)] : []),
    ...(globals.context ? ['--context', quote(globals.context), ...(globals.yes ? ['--yes'] : [])] : []),
  ];
  return ['crashlab', ...flags, rest].join(' ');
}
