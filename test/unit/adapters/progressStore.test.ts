import * as fs from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileProgressStore, defaultProgressPath, type StoreFs } from '../../../src/adapters/progressStore.js';
import type { Progress } from '../../../src/ports/store.js';

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

  it('sets a corrupt file aside with a warning instead of losing it', async () => {
    await writeRawFile('{"version": 1, "scenarios": {"oom": {"complet');
    const result = await new FileProgressStore(file, { now: fixedNow }).load();
    const aside = 'progress.json.corrupt-2026-11-24T09-30-15-123Z';
    expect(result.progress).toEqual({ version: 1, scenarios: {} });
    expect(result.warning).toBe(`progress file ${file} is not valid JSON; it was moved to ${aside} (same folder) and progress starts fresh`);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual([aside]);
    expect(readFileSync(join(dir, 'crashlab', aside), 'utf8')).toBe('{"version": 1, "scenarios": {"oom": {"complet');
  });

  it('sets aside a file of an unknown version, and one with damaged fields', async () => {
    await writeRawFile(JSON.stringify({ version: 2, learners: {} }));
    const v2 = await new FileProgressStore(file, { now: fixedNow }).load();
    expect(v2.warning).toContain('has unknown format version 2 (this crashlab reads version 1)');

    await writeRawFile(JSON.stringify({ version: 1, scenarios: { oom: { completed: 'yes' } } }));
    const damaged = await new FileProgressStore(file, { now: () => new Date('2026-11-24T10:00:00Z') }).load();
    expect(damaged.warning).toMatch(/is damaged \(scenarios\.oom\.completed: /);
    expect(readdirSync(join(dir, 'crashlab')).sort()).toEqual(['progress.json.corrupt-2026-11-24T09-30-15-123Z', 'progress.json.corrupt-2026-11-24T10-00-00-000Z']);
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
    await expect(failing.save(solved(5))).rejects.toThrow(`cannot save progress to ${file}: ENOSPC: no space left on device, write`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'crashlab'))).toEqual(['progress.json']);
  });

  it('a failed rename leaves the previous file intact and removes the temp file', async () => {
    const store = new FileProgressStore(file);
    await store.save(solved(1));
    const failing = new FileProgressStore(file, {
      fs: { ...fs, rename: async () => Promise.reject(Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' })) },
    });
    await expect(failing.save(solved(9))).rejects.toThrow('EXDEV');
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

  it('update reports a set-aside file through onWarning', async () => {
    await writeRawFile('not json');
    const warnings: string[] = [];
    const store = new FileProgressStore(file, { now: fixedNow, onWarning: (w) => warnings.push(w) });
    const progress = await store.update((p) => {
      p.scenarios.oom = { completed: false, solvedWithHelp: false, attempts: 1, hintsUsed: 0 };
    });
    expect(progress.scenarios.oom.attempts).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('progress.json.corrupt-2026-11-24T09-30-15-123Z');
    expect(readdirSync(join(dir, 'crashlab')).sort()).toEqual(['progress.json', 'progress.json.corrupt-2026-11-24T09-30-15-123Z']);
  });
});
