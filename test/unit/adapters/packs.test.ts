/**
 * Packs read everywhere: `--scenarios DIR` (repeatable) and CRASHLAB_SCENARIOS add packs to the
 * built-in one, through the same loader; an id defined twice is refused naming both places;
 * pack.yaml orders a pack; signatures.json teaches diagnosis the pack's own log lines.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPacks, packDirsFrom } from '../../../src/adapters/packs.js';
import { formatProblem, packageRoot } from '../../../src/adapters/scenarios.js';
import type { Io } from '../../../src/cli/io.js';
import { main, type Deps } from '../../../src/cli/main.js';
import { diagnose } from '../../../src/core/diagnose.js';
import type { Pod } from '../../../src/core/k8s.js';
import type { Progress, ProgressStore } from '../../../src/ports/store.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/scenarios/catalog', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pack(id = 'tiny'): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-pack-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  if (id !== 'tiny') renameScenario(dir, 'tiny', id);
  return dir;
}

function renameScenario(dir: string, from: string, to: string): void {
  cpSync(join(dir, 'scenarios', from), join(dir, 'scenarios', to), { recursive: true });
  cpSync(join(dir, 'solutions', from), join(dir, 'solutions', to), { recursive: true });
  rmSync(join(dir, 'scenarios', from), { recursive: true });
  rmSync(join(dir, 'solutions', from), { recursive: true });
  const file = join(dir, 'scenarios', to, 'scenario.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(`id: ${from}`, `id: ${to}`));
}

class Store implements ProgressStore {
  private progress: Progress = { version: 1, scenarios: {} };
  async load() {
    return { progress: structuredClone(this.progress) };
  }
  async save(progress: Progress) {
    this.progress = progress;
  }
  async update(mutate: (p: Progress) => void) {
    mutate(this.progress);
    return structuredClone(this.progress);
  }
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, deps: Deps = {}) {
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (c) => (out += String(c)));
  const stderr = new PassThrough().on('data', (c) => (err += String(c)));
  const io = { stdout, stderr, stdin: new PassThrough(), env: { LANG: 'en_US.UTF-8', NO_COLOR: '1', ...env } } as unknown as Io;
  const code = await main(argv, io, { store: new Store(), ...deps });
  return { code, stdout: out, stderr: err };
}

describe('where packs come from', () => {
  it('--scenarios flags first, then CRASHLAB_SCENARIOS, each folder once', () => {
    expect(packDirsFrom(['a', 'b'], { CRASHLAB_SCENARIOS: ['c', 'a', ''].join(delimiter) })).toEqual(['a', 'b', 'c']);
    expect(packDirsFrom(undefined, {})).toEqual([]);
  });
});

describe('loadPacks', () => {
  it('adds a pack to the built-in one, saying which pack each scenario comes from', async () => {
    const dir = pack('acme-tiny');
    const catalog = await loadPacks(packageRoot(), [dir]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.scenarios.map((s) => s.id)).toContain('oom');
    expect(catalog.scenarios.at(-1)?.id).toBe('acme-tiny');
    expect(catalog.packOf['acme-tiny']).toMatchObject({ dir, builtIn: false });
    expect(catalog.packOf.oom).toMatchObject({ name: 'built-in', builtIn: true });
  });

  it('refuses an id defined twice, naming both places, and keeps the first', async () => {
    const a = pack('twice');
    const b = pack('twice');
    const catalog = await loadPacks(packageRoot(), [a, b]);
    expect(catalog.scenarios.filter((s) => s.id === 'twice')).toHaveLength(1);
    expect(catalog.packOf.twice.dir).toBe(a);
    expect(catalog.problems.map(formatProblem)).toEqual([
      `${b}/scenarios/twice/scenario.yaml: id: scenario "twice" is defined twice: in ${a}/scenarios/twice and in ${b}/scenarios/twice; rename one of them (its folder and its id:)`,
    ]);
  });

  it('refuses a pack scenario that reuses a built-in id', async () => {
    const dir = pack('oom');
    const catalog = await loadPacks(packageRoot(), [dir]);
    expect(catalog.problems.map(formatProblem)[0]).toMatch(/scenario "oom" is defined twice: in the built-in pack \(.*scenarios\/oom\) and in .*\/scenarios\/oom/);
  });

  it('names the pack folder in its problems, and refuses a folder that is not a pack', async () => {
    const dir = pack('acme-tiny');
    writeFileSync(join(dir, 'solutions/acme-tiny/README.md'), 'English only.\n');
    const catalog = await loadPacks(packageRoot(), [dir]);
    expect(catalog.problems.map(formatProblem)).toEqual([`${dir}/solutions/acme-tiny/README.md: has no Korean text (the explanation is written in English, then Korean)`]);
    await expect(loadPacks(packageRoot(), [join(dir, 'nope')])).rejects.toThrow(/nope is not a scenario pack: it has no scenarios\/ folder \(the folder does not exist\)/);
  });

  it('pack.yaml: its path orders the pack; an unknown id in it and an unknown field are problems', async () => {
    const dir = pack('b-second');
    cpSync(join(dir, 'scenarios/b-second'), join(dir, 'scenarios/a-first'), { recursive: true });
    cpSync(join(dir, 'solutions/b-second'), join(dir, 'solutions/a-first'), { recursive: true });
    writeFileSync(join(dir, 'scenarios/a-first/scenario.yaml'), readFileSync(join(dir, 'scenarios/a-first/scenario.yaml'), 'utf8').replace('id: b-second', 'id: a-first'));
    writeFileSync(join(dir, 'pack.yaml'), 'name: acme\nversion: "1.0"\npath: [b-second, a-first]\n');
    const ordered = await loadPacks(packageRoot(), [dir]);
    expect(ordered.problems).toEqual([]);
    expect(ordered.packs[1]).toMatchObject({ name: 'acme', scenarios: ['b-second', 'a-first'] });
    writeFileSync(join(dir, 'pack.yaml'), 'name: acme\nlanguage: [en]\npath: [b-second, c-third]\n');
    expect((await loadPacks(packageRoot(), [dir])).problems.map(formatProblem)).toEqual([`${dir}/pack.yaml: (top level): Unrecognized key: "language"`]);
    writeFileSync(join(dir, 'pack.yaml'), 'name: acme\npath: [b-second, c-third]\n');
    expect((await loadPacks(packageRoot(), [dir])).problems.map(formatProblem)).toEqual([`${dir}/pack.yaml: path: names "c-third", which is not a scenario of this pack; one of: a-first, b-second`]);
  });

  it('signatures.json: merged into the diagnosis library, checked by the same code', async () => {
    const dir = pack('acme-tiny');
    // A log line the built-in library does not know, from the pack's own app.
    const pod = {
      metadata: { name: 'ledger-1', namespace: 'x' },
      spec: { containers: [{ name: 'app', image: 'acme/ledger:2.1' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 3 } } }] },
    } as unknown as Pod;
    const log = 'ACME-LEDGER-0042 ledger key ring not unsealed\n';
    expect(diagnose({ pods: [pod], logs: log }).findings[0].category).not.toBe('missing-config');
    const signature = { id: 'acme-ledger-unsealed', product: 'acme-ledger', category: 'missing-config', confidence: 'high', specificity: 90, pattern: 'ACME-LEDGER-0042', summary: { en: 'The ledger key ring is sealed.', ko: '원장 키 링이 봉인되어 있습니다.' } };
    writeFileSync(join(dir, 'signatures.json'), JSON.stringify({ signatures: [{ ...signature, category: 'no-such-category' }] }));
    expect((await loadPacks(packageRoot(), [dir])).problems.map(formatProblem)[0]).toMatch(/signatures\.json: signature acme-ledger-unsealed: unknown category no-such-category; write entries in the built-in library's schema/);
    writeFileSync(join(dir, 'signatures.json'), JSON.stringify({ signatures: [signature] }));
    const catalog = await loadPacks(packageRoot(), [dir]);
    expect(catalog.problems).toEqual([]);
    expect(diagnose({ pods: [pod], logs: log }).findings[0].category).toBe('missing-config');
  });
});

describe('every command reads packs', () => {
  it('list --scenarios DIR (repeatable) shows the pack column; CRASHLAB_SCENARIOS does the same', async () => {
    const a = pack('acme-a');
    const b = pack('acme-b');
    writeFileSync(join(a, 'pack.yaml'), 'name: acme\n');
    const flags = await run(['list', '--scenarios', a, '--scenarios', b]);
    expect(flags.code).toBe(0);
    expect(flags.stdout.split('\n')[0]).toMatch(/^ID\s+PACK\s+CATEGORY/);
    expect(flags.stdout).toMatch(/^acme-a\s+acme\s+read-only-fs/m);
    expect(flags.stdout).toMatch(new RegExp(`^acme-b\\s+${b.replace(/[/.]/g, '\\$&')}\\s+read-only-fs`, 'm'));
    expect(flags.stdout).toMatch(/^oom\s+built-in\s+oom-killed/m);
    const fromEnv = await run(['list', '--json'], { CRASHLAB_SCENARIOS: [a, b].join(delimiter) });
    const listed = JSON.parse(fromEnv.stdout) as { scenarios: { id: string; pack?: string }[] };
    expect(listed.scenarios.filter((s) => s.id.startsWith('acme-')).map((s) => [s.id, s.pack])).toEqual([
      ['acme-a', 'acme'],
      ['acme-b', b],
    ]);
  });

  it('list says what it skipped and refuses a folder that is not a pack', async () => {
    const a = pack('acme-a');
    writeFileSync(join(a, 'scenarios/notes.txt'), 'x');
    const listed = await run(['list', '--scenarios', a]);
    expect(listed.stderr).toContain(`crashlab: ${a}/scenarios/notes.txt: skipped: not a folder (each scenario is a folder named after its id)`);
    const missing = await run(['list', '--scenarios', join(a, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a scenario pack: it has no scenarios/ folder');
  });

  it('validate DIR of the built-in pack itself is that pack, not 23 duplicates', async () => {
    const { code, stdout } = await run(['validate', packageRoot()]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('defined twice');
  });

  it('validate checks the built-in pack and every --scenarios pack in one run', async () => {
    const a = pack('acme-a');
    writeFileSync(join(a, 'solutions/acme-a/README.md'), 'English only.\n');
    const { code, stdout } = await run(['validate', '--scenarios', a]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ok\s+oom$/m);
    expect(stdout).toContain(`INVALID  acme-a\n         ${a}/solutions/acme-a/README.md: has no Korean text`);
  });
});

describe('reading without a cluster', () => {
  it('show prints the briefing, and hints and debrief on request, in the chosen language', async () => {
    const plain = await run(['show', 'oom']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^# Too big for its box\noom · oom-killed · easy\n/);
    expect(plain.stdout).toContain('## Briefing\n\ncatalog-api keeps the whole product catalogue in memory');
    expect(plain.stdout).not.toContain('## Hints');
    const ko = await run(['show', 'oom', '--hints', '--debrief', '--lang', 'ko']);
    expect(ko.stdout).toContain('## 힌트\n\n1. 아무 말 없이 끊긴 로그는');
    expect(ko.stdout).toContain('## 회고\n\n컨테이너 메모리 limit(32Mi)이');
    const mystery = await run(['show', 'oom', '--mystery', '--json']);
    expect(JSON.parse(mystery.stdout)).not.toHaveProperty('title');
  });

  it('show reads a pack scenario, and names an unknown id with the known ones', async () => {
    const dir = pack('acme-tiny');
    writeFileSync(join(dir, 'pack.yaml'), 'name: acme\n');
    const shown = await run(['show', 'acme-tiny', '--scenarios', dir]);
    expect(shown.stdout).toMatch(/^# Tiny\nacme-tiny · read-only-fs · easy · pack acme\n/);
    const unknown = await run(['show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^crashlab: no scenario "nope"\n  Known scenarios: bad-command, /);
  });

  it('images lists each image with the scenarios that run it, packs included', async () => {
    const dir = pack('acme-tiny');
    const { code, stdout } = await run(['images', '--json', '--scenarios', dir]);
    expect(code).toBe(0);
    const images = (JSON.parse(stdout) as { images: { image: string; scenarios: string[] }[] }).images;
    const busybox = images.find((i) => i.image === 'busybox:1.36')!;
    expect(busybox.scenarios).toContain('acme-tiny');
    expect(busybox.scenarios).toContain('oom');
    expect(images.find((i) => i.image === 'curlimages/curl:8.12.1')?.scenarios).toEqual(['expired-ca']);
  });
});

describe('images --load', () => {
  it('loads each image into the kind cluster "crashlab" with kind, and refuses another context', async () => {
    const loaded: string[] = [];
    const kind = { version: async () => '0.29.0', clusters: async () => ['crashlab'], create: async () => undefined, delete: async () => undefined, loadImage: async (name: string, image: string) => void loaded.push(`${name}:${image}`) };
    const { code, stdout } = await run(['images', '--load'], {}, { kind });
    expect(code).toBe(0);
    expect(loaded).toContain('crashlab:busybox:1.36');
    expect(loaded).toContain('crashlab:alpine/openssl:3.3.2');
    expect(stdout).toContain(`Loaded ${loaded.length} image(s) into the kind cluster.`);
    const other = await run(['images', '--load', '--context', 'prod'], {}, { kind });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('crashlab loads images only into its own kind cluster, not context prod');
  });
});
