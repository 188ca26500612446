/** The CLI's Io over in-memory streams: what a command printed on stdout and stderr. */
import { PassThrough } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

export function capture(env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: Io = { stdout, stderr, stdin: new PassThrough(), env };
  return { io, out: () => out, err: () => err };
}
