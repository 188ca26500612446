import { safeJson, safeText } from '../core/untrusted.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
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
