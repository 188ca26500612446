import * as fs from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileProgressStore, defaultProgressPath, type StoreFs } from '../../../src/adapters/progressStore.js';
import type { Progress } from '../../../src/ports/store.js';
import { recordStart } from '../../../src/core/progress.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crashlab-store-'));
  file = join(dir, 'crashlab', 'progress.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fixedNow = () => new Date('2026-11-24T09:30:15.123Z');

function solved(attempts: number): Progress {
  return { version: 1, scenarios: { 'bad-command': { completed: true, solvedWithHelp: false, bestSeconds: 184, attempts, hintsUsed: 1, lastVerifiedAt: '2026-11-24T09:29:58Z' } } };
}

async function writeRawFile(text: string): Promise<void> {
  await fs.mkdir(join(dir, 'crashlab'), { recursive: true });
  writeFileSync(file, text);
}

describe('defaultProgressPath', () => {
  it('uses $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultProgressPath({ XDG_CONFIG_HOME: '/cfg', HOME: '/home/ana' })).toBe('/cfg/crashlab/progress.json');
    expect(defaultProgressPath({ HOME: '/home/ana' })).toBe('/home/ana/.config/crashlab/progress.json');
    expect(defaultProgressPath({ XDG_CONFIG_HOME: '', HOME: '/home/ana' })).toBe('/home/ana/.config/crashlab/progress.json');
  });
});

describe('FileProgressStore', () => {
  it('starts empty when there is no file', async () => {
    expect(await new FileProgressStore(file).load()).toEqual({ progress: { version: 1, scenarios: {} } });
  });

  it('saves (creating the folder) and loads back, leaving no temp files', async () => {
    const store = new FileProgressStore(file);
    await store.save(solved(2));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(solved(2));
    expect(await store.load()).toEqual({ progress: solved(2) });
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  });

  it('keeps fields it does not know (written by a newer crashlab)', async () => {
    await writeRawFile(JSON.stringify({ version: 1, scenarios: { oom: { ...solved(1).scenarios['bad-command'], streak: 3 } }, badges: ['first-fix'] }));
    const store = new FileProgressStore(file);
    await store.update((p) => {
      p.scenarios.oom.attempts += 1;
    });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.badges).toEqual(['first-fix']);
    expect(saved.scenarios.oom).toMatchObject({ streak: 3, attempts: 2 });
  });

  it('load() never moves or rewrites a corrupt file: it warns and shows no progress', async () => {
    await writeRawFile('{"version": 1, "scenarios": {"oom": {"complet');
    const result = await new FileProgressStore(file, { now: fixedNow }).load();
    expect(result.progress).toEqual({ version: 1, scenarios: {} });
    expect(result.warning).toBe(`progress file ${file} is not valid JSON; progress is not shown (the file is kept aside, not overwritten, when progress is next saved)`);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "scenarios": {"oom": {"complet');
  });

  it('a newer format version is left untouched by load, update and save, with "upgrade crashlab"', async () => {
    const v2 = JSON.stringify({ version: 2, learners: { ana: {} } });
    await writeRawFile(v2);
    const store = new FileProgressStore(file, { now: fixedNow });
    const loaded = await store.load();
    expect(loaded.progress.scenarios).toEqual({});
    expect(loaded.warning).toContain('was written by a newer crashlab (format version 2; this one knows version 1)');
    expect(loaded.warning).toContain('upgrade crashlab');
    await expect(store.update((p) => recordStart(p, 'oom', 0))).rejects.toThrow(/newer crashlab .*upgrade crashlab/);
    await expect(store.save(solved(1))).rejects.toThrow(/newer crashlab/);
    expect(readFileSync(file, 'utf8')).toBe(v2);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  });

  it('one damaged entry is dropped alone: the others (finished, best times) are kept', async () => {
    const good = solved(3).scenarios['bad-command'];
    await writeRawFile(JSON.stringify({ version: 1, scenarios: { 'bad-command': good, oom: { completed: 'yes' } } }));
    const store = new FileProgressStore(file, { now: fixedNow, onWarning: (w) => warnings.push(w) });
    const warnings: string[] = [];
    const loaded = await store.load();
    expect(loaded.progress.scenarios).toEqual({ 'bad-command': good });
    expect(loaded.warning).toMatch(/damaged entry ignored: "oom" \(completed: .*\); the other scenarios are kept$/);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);

    await store.update((p) => recordStart(p, 'readonly-fs', 0));
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.scenarios['bad-command']).toEqual(good);
    expect(saved.scenarios['readonly-fs'].attempts).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('the old file is kept as progress.json.corrupt-2026-11-24T09-30-15-123Z')]);
    expect(JSON.parse(readFileSync(join(dir, 'crashlab', 'progress.json.corrupt-2026-11-24T09-30-15-123Z'), 'utf8')).scenarios.oom).toEqual({ completed: 'yes' });
  });

  it('a write that fails half-way leaves the previous file intact and no partial file', async () => {
    const store = new FileProgressStore(file);
    await store.save(solved(1));
    const before = readFileSync(file, 'utf8');
    const diskFullHalfway: StoreFs = {
      ...fs,
      open: async (path, flags, mode) => {
        const handle = await fs.open(path, flags, mode);
        return {
          writeFile: async (data: string) => {
            await handle.writeFile(data.slice(0, data.length / 2));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
    const failing = new FileProgressStore(file, { fs: diskFullHalfway });
    await expect(failing.save(solved(5))).rejects.toThrow(`cannot save progress to ${file}: the disk is full (ENOSPC)`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  });

  it('a failed rename leaves the previous file intact and removes the temp file', async () => {
    const store = new FileProgressStore(file);
    await store.save(solved(1));
    const failing = new FileProgressStore(file, {
      fs: { ...fs, rename: async () => Promise.reject(Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' })) },
    });
    await expect(failing.save(solved(9))).rejects.toThrow('cross-device link not permitted (EXDEV)');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(solved(1));
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  });

  it('serialises concurrent updates', async () => {
    const store = new FileProgressStore(file);
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store.update((p) => {
          const s = (p.scenarios.oom ??= { completed: false, solvedWithHelp: false, attempts: 0, hintsUsed: 0 });
          s.attempts += 1;
        }),
      ),
    );
    expect((await store.load()).progress.scenarios.oom.attempts).toBe(8);
  });

  it('update keeps an unreadable file aside (a copy) before writing, and says so through onWarning', async () => {
    await writeRawFile('not json');
    const warnings: string[] = [];
    const store = new FileProgressStore(file, { now: fixedNow, onWarning: (w) => warnings.push(w) });
    const progress = await store.update((p) => {
      p.scenarios.oom = { completed: false, solvedWithHelp: false, attempts: 1, hintsUsed: 0 };
    });
    expect(progress.scenarios.oom.attempts).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBe(`progress file ${file} is not valid JSON; it was kept as progress.json.corrupt-2026-11-24T09-30-15-123Z (same folder) and progress starts fresh`);
    expect(readdirSync(join(dir, 'crashlab')).sort()).toEqual(['progress.json', 'progress.json.corrupt-2026-11-24T09-30-15-123Z']);
    expect(readFileSync(join(dir, 'crashlab', 'progress.json.corrupt-2026-11-24T09-30-15-123Z'), 'utf8')).toBe('not json');
  });

  it('a folder that cannot be created fails fast with the reason in words (XDG_CONFIG_HOME=/proc)', async () => {
    // Node's recursive mkdir spins forever on /proc/crashlab; the store must not.
    const store = new FileProgressStore(defaultProgressPath({ XDG_CONFIG_HOME: '/proc' }));
    const started = Date.now();
    await expect(store.update((p) => recordStart(p, 'oom', 0))).rejects.toThrow('cannot save progress to /proc/crashlab/progress.json: cannot create the folder /proc/crashlab: a folder on the way does not exist (ENOENT)');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a path through a file is refused at once', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const store = new FileProgressStore(join(dir, 'plain-file', 'crashlab', 'progress.json'));
    await expect(store.update(() => undefined)).rejects.toThrow(/a part of the path is a file, not a folder \(ENOTDIR\)/);
  });

  it('a lock held by another process is waited for, boundedly, with a message naming the lock', async () => {
    const store = new FileProgressStore(file, { lockWaitMs: 300 });
    await store.save(solved(1));
    mkdirSync(`${file}.lock`);
    const started = Date.now();
    await expect(store.update(() => undefined)).rejects.toThrow(`stayed locked by another crashlab for 0 s; if no crashlab is running, delete ${file}.lock`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('FileProgressStore across processes (real node processes, built store)', () => {
  const writer = fileURLToPath(new URL('../../fakes/progress-writer.mjs', import.meta.url));
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [writer, ...args], (error, _out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()));
    });

  it('20 concurrent processes: all 20 attempts of one scenario and all 20 distinct scenarios are recorded', async () => {
    // Each process starts "oom" and its own scenario: the two lost-update patterns of issue 8 at once.
    await Promise.all(Array.from({ length: 20 }, (_, i) => run([file, 'oom', `scenario-${i}`])));
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.scenarios.oom.attempts).toBe(20);
    expect(Object.keys(saved.scenarios).filter((id) => id !== 'oom').sort()).toEqual(Array.from({ length: 20 }, (_, i) => `scenario-${i}`).sort());
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  }, 60_000);
});
