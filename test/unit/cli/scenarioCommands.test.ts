import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../../../src/cli/io.js';
import { main, type Deps } from '../../../src/cli/main.js';
import type { Progress, ProgressStore } from '../../../src/ports/store.js';
import { category } from '../../../src/core/categories.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/scenarios/catalog', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

class Output extends PassThrough {
  text = '';
  isTTY = false;
  constructor() {
    super();
    this.on('data', (chunk) => (this.text += String(chunk)));
  }
}

class MemoryStore implements ProgressStore {
  constructor(
    private progress: Progress = { version: 1, scenarios: {} },
    private warning?: string,
  ) {}
  async load() {
    return { progress: structuredClone(this.progress), warning: this.warning };
  }
  async save(progress: Progress) {
    this.progress = structuredClone(progress);
  }
  async update(mutate: (p: Progress) => void) {
    mutate(this.progress);
    return structuredClone(this.progress);
  }
}

async function run(argv: string[], deps: Deps = {}) {
  const stdout = new Output();
  const stderr = new Output();
  const io: Io = { stdout, stderr, stdin: new PassThrough(), env: { LANG: 'en_US.UTF-8', NO_COLOR: '1' } };
  const code = await main(argv, io, { store: new MemoryStore(), ...deps });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function brokenCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-cli-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'solutions/tiny/README.md'), 'English only.\n');
  return dir;
}

describe('crashlab list', () => {
  it('lists the shipped scenarios as JSON with id, category, difficulty and title', async () => {
    const { code, stdout } = await run(['list', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { scenarios: { id: string; category: string; difficulty: string; title: string; completed: boolean }[]; problems: string[] };
    expect(listed.problems).toEqual([]);
    expect(listed.scenarios.slice(0, 5).map((s) => s.id)).toEqual(['bad-command', 'tight-liveness', 'oom', 'secret-typo', 'readonly-fs']);
    expect(listed.scenarios.find((s) => s.id === 'oom')).toMatchObject({ category: 'oom-killed', difficulty: 'easy', title: 'Too big for its box', completed: false });
  });

  it('shows progress from the store, and titles, category and difficulty names in the chosen language', async () => {
    const store = new MemoryStore({ version: 1, scenarios: { tiny: { completed: true, solvedWithHelp: false, bestSeconds: 83, attempts: 2, hintsUsed: 1 } } });
    const { code, stdout } = await run(['--lang', 'ko', 'list'], { contentRoot: FIXTURE, store });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+카테고리\s+난이도\s+제목\s+완료\s+최고 기록$/);
    // The category's Korean name (the id stays in --json), the lab's difficulty word.
    expect(lines[1]).toMatch(new RegExp(`^tiny\\s+${category('read-only-fs').title.ko}\\s+쉬움\\s+작은 시나리오\\s+완료\\s+1m23s$`));
  });

  it('reports progress in JSON too', async () => {
    const store = new MemoryStore({ version: 1, scenarios: { tiny: { completed: true, solvedWithHelp: true, bestSeconds: 40, attempts: 1, hintsUsed: 3 } } });
    const { stdout } = await run(['list', '--json'], { contentRoot: FIXTURE, store });
    expect(JSON.parse(stdout).scenarios).toEqual([
      { id: 'tiny', category: 'read-only-fs', difficulty: 'easy', title: 'Tiny', summary: 'A tiny scenario.', completed: true, solvedWithHelp: true, bestSeconds: 40 },
    ]);
  });

  it('passes on the store warning about a corrupt progress file', async () => {
    const store = new MemoryStore(undefined, 'progress file was unreadable and was moved to progress.json.corrupt-1');
    const { code, stderr } = await run(['list'], { contentRoot: FIXTURE, store });
    expect(code).toBe(0);
    expect(stderr).toContain('moved to progress.json.corrupt-1');
  });

  it('leaves invalid scenarios out and says so on stderr', async () => {
    const { code, stdout, stderr } = await run(['list', '--json'], { contentRoot: brokenCopy() });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).scenarios).toEqual([]);
    expect(stderr).toContain('1 problem(s) in the scenario files; those scenarios are not listed. Run `crashlab validate`.');
  });

  it('exits 2 with a clear message when there is no catalog', async () => {
    const { code, stderr } = await run(['list'], { contentRoot: join(tmpdir(), 'crashlab-nothing-here') });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^crashlab: cannot read scenarios in .*crashlab-nothing-here: no scenarios\/ directory/);
  });
});

describe('crashlab validate', () => {
  it('exits 0 on the shipped scenarios', async () => {
    const { code, stdout } = await run(['validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok\s+bad-command$/m);
    expect(stdout).toMatch(/\d+ scenario\(s\) valid(, \d+ warning\(s\))?\.$/m);
  });

  it('exits 1 and lists each problem under its scenario', async () => {
    const dir = brokenCopy();
    const { code, stdout } = await run(['validate', dir]);
    expect(code).toBe(1);
    expect(stdout).toContain('INVALID  tiny\n         solutions/tiny/README.md: has no Korean text');
    expect(stdout).toContain('1 of 1 scenario(s) invalid, 1 problem(s).');
  });

  it('--json gives the verdict, the scenarios and each problem with file and text', async () => {
    const dir = brokenCopy();
    const { code, stdout } = await run(['validate', '--json', dir]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ root: dir, valid: false, scenarios: [{ id: 'tiny', valid: false }] });
    expect(result.problems).toEqual([
      {
        file: 'solutions/tiny/README.md',
        scenario: 'tiny',
        message: 'has no Korean text (the explanation is written in English, then Korean)',
        text: 'solutions/tiny/README.md: has no Korean text (the explanation is written in English, then Korean)',
      },
    ]);
  });

  it('exits 2 when the directory has no scenarios/', async () => {
    const { code, stderr } = await run(['validate', join(tmpdir(), 'crashlab-nothing-here')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no scenarios/ directory');
    expect(stderr).toContain('Pass the directory that holds scenarios/ and solutions/.');
  });
});
