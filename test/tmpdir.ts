/**
 * Every temporary file the unit tests make goes under one folder per run, removed at the end:
 * a developer's /tmp must not grow with each `make test` (thousands of mkdtemp folders did).
 * Workers start after global setup, so they inherit TMPDIR, which os.tmpdir() reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-test-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
