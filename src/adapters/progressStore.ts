/**
 * Learner progress in one JSON file. What it guarantees:
 * - no lost update: every change is a read-modify-write under a lock file shared by all
 *   crashlab processes (proper-lockfile: atomic mkdir, stale locks of dead processes expire);
 * - never half-written: a new version is written to a temp file, fsynced and renamed;
 * - never downgraded: a file of a newer format version is read as "unknown" and never written;
 * - never destroyed: reading changes nothing; a damaged file is copied aside before the first
 *   write, and a damaged scenario entry costs only that entry.
 * Every loop here is bounded: a folder that cannot be created or a lock that is never released
 * ends with a message, not a spin.
 */
import { constants } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Progress, ProgressStore } from '../ports/store.js';

export const PROGRESS_FORMAT_VERSION = 1;

export function defaultProgressPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'crashlab', 'progress.json');
}

/**
 * Why a scenario entry is not usable, or undefined. Hand-written rather than zod on purpose:
 * `crashlab list` reads this file on every run and importing zod alone costs more start-up
 * time than the whole list budget. Fields a newer crashlab added to version 1 are kept.
 */
function entryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'entry: expected an object';
  const e = entry as Record<string, unknown>;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const checks: [string, (v: unknown) => boolean, boolean, string][] = [
    ['completed', (v) => typeof v === 'boolean', true, 'a boolean'],
    ['solvedWithHelp', (v) => typeof v === 'boolean', true, 'a boolean'],
    ['attempts', count, true, 'a whole number ≥ 0'],
    ['hintsUsed', count, true, 'a whole number ≥ 0'],
    ['bestSeconds', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, false, 'a number ≥ 0'],
    ['startedAt', (v) => typeof v === 'string', false, 'a string'],
    ['diagnosedAt', (v) => typeof v === 'string', false, 'a string'],
    ['diagnosedCorrectly', (v) => typeof v === 'boolean', false, 'a boolean'],
    ['lastVerifiedAt', (v) => typeof v === 'string', false, 'a string'],
  ];
  for (const [field, ok, required, expected] of checks) {
    if (e[field] === undefined) {
      if (required) return `${field}: missing (expected ${expected})`;
    } else if (!ok(e[field])) return `${field}: expected ${expected}, found ${JSON.stringify(e[field])}`;
  }
  return undefined;
}

/** The file-system calls the store makes, replaceable so tests can fail a write half-way. */
export interface StoreFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  mkdir(path: string): Promise<unknown>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  open(path: string, flags: string, mode?: number): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string, mode?: number): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export interface FileProgressStoreOptions {
  fs?: StoreFs;
  now?: () => Date;
  /** Where update() reports what it had to keep aside or drop (load() returns it instead). */
  onWarning?: (warning: string) => void;
  /** How long update() waits for another crashlab's lock before giving up (default 15 s). */
  lockWaitMs?: number;
}

export function emptyProgress(): Progress {
  return { version: 1, scenarios: {} };
}

/** An errno in words, for messages a learner reads (the code stays, for searching). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    ENOENT: 'a folder on the way does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder, not a file',
    EIO: 'input/output error (a failing disk?)',
    EMFILE: 'too many open files',
  };
  if (e?.code && words[e.code]) return `${words[e.code]} (${e.code})`;
  const text = (e?.message ?? String(error)).replace(/^[A-Z]+: /, '');
  return e?.code && !text.includes(e.code) ? `${text} (${e.code})` : text;
}

/** What a progress file holds, as far as this crashlab understands it. */
type Reading =
  | { kind: 'absent' }
  | { kind: 'ok'; progress: Progress; dropped: string[] }
  | { kind: 'newer'; version: number }
  | { kind: 'unusable'; problem: string };

function interpret(text: string): Reading {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'unusable', problem: 'is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'unusable', problem: 'is not a JSON object' };
  const record = data as Record<string, unknown>;
  const version = record.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > PROGRESS_FORMAT_VERSION) return { kind: 'newer', version };
  if (version !== PROGRESS_FORMAT_VERSION) return { kind: 'unusable', problem: `has no valid format version (version: ${JSON.stringify(version ?? null)})` };
  const scenarios = record.scenarios ?? {};
  if (typeof scenarios !== 'object' || scenarios === null || Array.isArray(scenarios)) return { kind: 'unusable', problem: 'has no "scenarios" object' };
  // Each entry on its own: one damaged scenario costs that scenario, not the learner's history.
  const kept: Progress['scenarios'] = {};
  const dropped: string[] = [];
  for (const [id, entry] of Object.entries(scenarios)) {
    const problem = entryProblem(entry);
    if (problem) dropped.push(`"${id}" (${problem})`);
    else kept[id] = entry as Progress['scenarios'][string];
  }
  return { kind: 'ok', progress: { ...(record as object), version: 1, scenarios: kept } as Progress, dropped };
}

export class FileProgressStore implements ProgressStore {
  private readonly fs: StoreFs;
  private readonly now: () => Date;
  private readonly onWarning: (warning: string) => void;
  private readonly lockWaitMs: number;
  /** Serialises this process's own updates; the lock file serialises processes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    options: FileProgressStoreOptions = {},
  ) {
    this.fs = options.fs ?? nodeFs;
    this.now = options.now ?? (() => new Date());
    this.onWarning = options.onWarning ?? ((warning) => process.stderr.write(`crashlab: warning: ${warning}\n`));
    this.lockWaitMs = options.lockWaitMs ?? 15_000;
  }

  private async read(): Promise<Reading> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      throw new Error(`cannot read progress file ${this.path}: ${describeFsError(error)}`);
    }
    return interpret(text);
  }

  private newerMessage(version: number): string {
    return `progress file ${this.path} was written by a newer crashlab (format version ${version}; this one knows version ${PROGRESS_FORMAT_VERSION}). It is left untouched; upgrade crashlab to see and save progress.`;
  }

  /** Read-only: never moves, copies or rewrites the file. */
  async load(): Promise<{ progress: Progress; warning?: string }> {
    const reading = await this.read();
    switch (reading.kind) {
      case 'absent':
        return { progress: emptyProgress() };
      case 'newer':
        return { progress: emptyProgress(), warning: this.newerMessage(reading.version) };
      case 'unusable':
        return { progress: emptyProgress(), warning: `progress file ${this.path} ${reading.problem}; progress is not shown (the file is kept aside, not overwritten, when progress is next saved)` };
      case 'ok':
        return reading.dropped.length
          ? { progress: reading.progress, warning: `${this.droppedMessage(reading.dropped)}; the other scenarios are kept` }
          : { progress: reading.progress };
    }
  }

  private droppedMessage(dropped: string[]): string {
    return `progress file ${this.path}: damaged entr${dropped.length === 1 ? 'y' : 'ies'} ignored: ${dropped.join(', ')}`;
  }

  /** Replaces the whole file (under the lock; a newer format is still never overwritten). */
  save(progress: Progress): Promise<void> {
    return this.exclusive(async () => {
      const reading = await this.read();
      if (reading.kind === 'newer') throw new Error(this.newerMessage(reading.version));
      if (reading.kind === 'unusable' || (reading.kind === 'ok' && reading.dropped.length)) await this.keepAside();
      await this.write(progress);
    });
  }

  update(mutate: (progress: Progress) => void): Promise<Progress> {
    return this.exclusive(async () => {
      const reading = await this.read();
      let progress: Progress;
      if (reading.kind === 'newer') throw new Error(this.newerMessage(reading.version));
      if (reading.kind === 'absent') progress = emptyProgress();
      else if (reading.kind === 'unusable') {
        const aside = await this.keepAside();
        this.onWarning(`progress file ${this.path} ${reading.problem}; it was kept as ${aside} (same folder) and progress starts fresh`);
        progress = emptyProgress();
      } else {
        progress = reading.progress;
        if (reading.dropped.length) {
          const aside = await this.keepAside();
          this.onWarning(`${this.droppedMessage(reading.dropped)}; the other scenarios are kept, the old file is kept as ${aside} (same folder)`);
        }
      }
      mutate(progress);
      await this.write(progress);
      return progress;
    });
  }

  /** Runs `work` holding the in-process queue and the cross-process lock. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const dir = dirname(this.path);
      try {
        await ensureDir(this.fs, dir);
      } catch (error) {
        throw new Error(`cannot save progress to ${this.path}: cannot create the folder ${dir}: ${describeFsError(error)}`);
      }
      const release = await this.lock();
      try {
        return await work();
      } finally {
        await release().catch(() => undefined);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * proper-lockfile's own retries would also retry EACCES or EROFS for the whole wait; here
   * only "held by another process" is waited for, so a read-only folder fails at once.
   */
  private async lock(): Promise<() => Promise<void>> {
    // Loaded on the first write only: reading progress (list) does not pay for it.
    const { default: lockfile } = await import('proper-lockfile');
    const deadline = Date.now() + this.lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await lockfile.lock(this.path, {
          realpath: false,
          lockfilePath: `${this.path}.lock`,
          // A lock whose holder died is taken over after 10 s (the holder refreshes it every 5 s).
          stale: 10_000,
          retries: 0,
          // A lock lost mid-write (process frozen > 10 s) cannot be undone; the write is atomic anyway.
          onCompromised: () => undefined,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ELOCKED') throw new Error(`cannot lock progress file ${this.path}: ${describeFsError(error)}`);
        if (Date.now() >= deadline) {
          throw new Error(`progress file ${this.path} stayed locked by another crashlab for ${Math.round(this.lockWaitMs / 1000)} s; if no crashlab is running, delete ${this.path}.lock`);
        }
        await sleep(Math.min(200, 10 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
      }
    }
  }

  /** Copies the current file next to it (never overwriting a copy); returns the copy's name. */
  private async keepAside(): Promise<string> {
    const aside = `${this.path}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await this.fs.copyFile(this.path, aside, constants.COPYFILE_EXCL);
    } catch (error) {
      throw new Error(`cannot keep a copy of the damaged progress file ${this.path}, so it is not overwritten: ${describeFsError(error)}`);
    }
    return basename(aside);
  }

  private async write(progress: Progress): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      const handle = await this.fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(progress, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.fs.rename(temp, this.path);
    } catch (error) {
      await this.fs.rm(temp, { force: true }).catch(() => undefined);
      throw new Error(`cannot save progress to ${this.path}: ${describeFsError(error)}`);
    }
    await syncDirectory(dir);
  }
}

/**
 * mkdir -p with a bounded number of steps. Node's own recursive mkdir loops forever on a path
 * like /proc/crashlab (mkdir says ENOENT although the parent exists), so each level is tried
 * at most twice.
 */
async function ensureDir(fs: StoreFs, dir: string, depth = 0): Promise<void> {
  try {
    await fs.mkdir(dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await fs.stat(dir)).isDirectory()) return;
      throw Object.assign(new Error(`${dir} is a file, not a folder`), { code: 'ENOTDIR' });
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 64) throw error;
    await ensureDir(fs, parent, depth + 1);
  }
  try {
    await fs.mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(dir)).isDirectory()) return;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Makes the rename itself durable; not possible on every platform, so best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await nodeFs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory for fsync; the rename is still atomic there.
  }
}
