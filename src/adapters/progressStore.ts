/**
 * Learner progress in one JSON file. Writes are atomic (temp file in the same directory,
 * fsync, rename), so a crash or a full disk never leaves half a file; a file crashlab cannot
 * read is moved aside, never overwritten.
 */
import * as nodeFs from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { Progress, ProgressStore } from '../ports/store.js';

export function defaultProgressPath(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'crashlab', 'progress.json');
}

// Loose: fields a newer crashlab added to version 1 survive a save by this one.
const scenarioProgressSchema = z.looseObject({
  completed: z.boolean(),
  solvedWithHelp: z.boolean(),
  bestSeconds: z.number().nonnegative().optional(),
  attempts: z.number().int().nonnegative(),
  hintsUsed: z.number().int().nonnegative(),
  startedAt: z.string().optional(),
  diagnosedAt: z.string().optional(),
  diagnosedCorrectly: z.boolean().optional(),
  lastVerifiedAt: z.string().optional(),
});

const progressSchema = z.looseObject({
  version: z.literal(1),
  scenarios: z.record(z.string(), scenarioProgressSchema),
});

/** The file-system calls the store makes, replaceable so tests can fail a write half-way. */
export interface StoreFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string, mode?: number): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export interface FileProgressStoreOptions {
  fs?: StoreFs;
  now?: () => Date;
  /** Where update() reports a file it had to set aside (load() returns it instead). */
  onWarning?: (warning: string) => void;
}

export function emptyProgress(): Progress {
  return { version: 1, scenarios: {} };
}

export class FileProgressStore implements ProgressStore {
  private readonly fs: StoreFs;
  private readonly now: () => Date;
  private readonly onWarning: (warning: string) => void;
  /** Serialises update() calls in this process so two mutations never race on one file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    options: FileProgressStoreOptions = {},
  ) {
    this.fs = options.fs ?? nodeFs;
    this.now = options.now ?? (() => new Date());
    this.onWarning = options.onWarning ?? ((warning) => process.stderr.write(`crashlab: ${warning}\n`));
  }

  async load(): Promise<{ progress: Progress; warning?: string }> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() };
      throw new Error(`cannot read progress file ${this.path}: ${(error as Error).message}`);
    }
    const problem = describeProblem(text);
    if (!problem) return { progress: progressSchema.parse(JSON.parse(text)) as Progress };
    const aside = `${this.path}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    await this.fs.rename(this.path, aside);
    return {
      progress: emptyProgress(),
      warning: `progress file ${this.path} ${problem}; it was moved to ${basename(aside)} (same folder) and progress starts fresh`,
    };
  }

  async save(progress: Progress): Promise<void> {
    const dir = dirname(this.path);
    await this.fs.mkdir(dir, { recursive: true });
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
      throw new Error(`cannot save progress to ${this.path}: ${(error as Error).message}`);
    }
    await syncDirectory(dir);
  }

  update(mutate: (progress: Progress) => void): Promise<Progress> {
    const next = this.queue.then(async () => {
      const { progress, warning } = await this.load();
      if (warning) this.onWarning(warning);
      mutate(progress);
      await this.save(progress);
      return progress;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Why the text is not a progress file crashlab can use, or undefined when it is. */
function describeProblem(text: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'is not valid JSON';
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== 1) return `has unknown format version ${JSON.stringify(version ?? null)} (this crashlab reads version 1)`;
  const result = progressSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return `is damaged (${issue.path.join('.') || 'top level'}: ${issue.message})`;
  }
  return undefined;
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
