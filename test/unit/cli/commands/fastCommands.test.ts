/**
 * The fast command lines (src/cli/commands/index.ts FAST_COMMANDS: `--version`, `list`, `list --json`) run
 * without commander and within a start-up budget (issue 23: `crashlab list --json` <= 1.5x a
 * bare `node -e 0`, `make bench`). They must print exactly what the parser path prints, and
 * their process must not load the heavy modules again.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../src/cli/main.js';
import { FAST_COMMANDS, fastCommand } from '../../../../src/cli/commands/index.js';
import { MemoryStore } from '../../../fakes/memoryKube.js';
import { capture } from '../../../fakes/captureIo.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/scenarios/catalog');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-fast-'));
  temps.push(dir);
  return dir;
}

async function run(argv: string[], env: NodeJS.ProcessEnv) {
  const store = new MemoryStore();
  store.progress = { version: 1, scenarios: { oom: { completed: true, solvedWithHelp: false, attempts: 1, hintsUsed: 0, bestSeconds: 83 } } };
  const c = capture({ NO_COLOR: '1', ...env });
  const code = await main(argv, c.io, { store });
  return { code, out: c.out(), err: c.err() };
}

describe('the fast command lines', () => {
  it('are exactly `--version`, `-V`, `list` and `list --json`: any other argument takes the parser', () => {
    expect(FAST_COMMANDS.map((f) => f.argv.join(' '))).toEqual(['--version', '-V', 'list', 'list --json']);
    for (const argv of [['list', '--help'], ['--lang', 'ko', 'list'], ['list', '--json', '--json'], ['lst'], ['--json', 'list'], ['--version', '--help'], []]) expect(fastCommand(argv)).toBeUndefined();
  });

  it('print what the parser path prints, in both languages, progress included', async () => {
    for (const { argv } of FAST_COMMANDS) {
      for (const LANG of ['en_US.UTF-8', 'ko_KR.UTF-8']) {
        const fast = await run([...argv], { LANG });
        // --no-color changes nothing here (NO_COLOR is set) but takes the full parser.
        const parsed = await run(['--no-color', ...argv], { LANG });
        expect(fast.code).toBe(0);
        expect(fast.out).toMatch(argv[0] === 'list' ? /oom/ : /^\d+\.\d+\.\d+\n$/);
        expect(fast).toEqual(parsed);
      }
    }
  });

  it('still read and validate a pack given by CRASHLAB_SCENARIOS: its problems are listed as by the parser', async () => {
    const pack = temp();
    cpSync(FIXTURE, pack, { recursive: true });
    const file = join(pack, 'scenarios/tiny/scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^difficulty: .*$/m, 'difficulty: impossible'));
    for (const { argv } of FAST_COMMANDS.filter((f) => f.argv[0] === 'list')) {
      const fast = await run([...argv], { CRASHLAB_SCENARIOS: pack });
      expect(fast).toEqual(await run(['--no-color', ...argv], { CRASHLAB_SCENARIOS: pack }));
    }
    const json = await run(['list', '--json'], { CRASHLAB_SCENARIOS: pack });
    expect(JSON.parse(json.out).problems.join('\n')).toMatch(/tiny\/scenario\.yaml.*difficulty/);
  });
});

describe('`crashlab list --json` and `crashlab list` as processes (the built CLI)', () => {
  it('load neither commander, zod, js-yaml nor the engine (nor string-width for an English table): only what listing needs', () => {
    const bin = join(ROOT, 'bin/crashlab.js');
    expect(existsSync(join(ROOT, 'dist/cli/commands/list.js')), 'dist/ is missing: run make build').toBe(true);
    const dir = temp();
    // ES modules through a loader hook; CommonJS (commander is required) from require.cache at exit.
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.LOADED_FILE, url + '\\n');\n  return next(url, context);\n}\n`);
    writeFileSync(
      join(dir, 'preload.cjs'),
      `const { register } = require('node:module');\nconst { appendFileSync } = require('node:fs');\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\nprocess.on('exit', () => appendFileSync(process.env.LOADED_FILE, Object.keys(require.cache).join('\\n') + '\\n'));\n`,
    );
    for (const argv of [['list', '--json'], ['list']]) {
      const loaded = join(dir, `${argv.join('')}.txt`);
      const result = spawnSync(process.execPath, ['--require', join(dir, 'preload.cjs'), bin, ...argv], {
        encoding: 'utf8',
        env: { ...process.env, LOADED_FILE: loaded, HOME: dir, XDG_CONFIG_HOME: dir, KUBECONFIG: '', CRASHLAB_SCENARIOS: '', CRASHLAB_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C' },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/oom-killed/);
      const files = readFileSync(loaded, 'utf8').split('\n').filter((f) => f && !f.startsWith('node:'));
      // The hook saw the modules (else the next assertion proves nothing).
      expect(files.some((f) => f.endsWith('/dist/cli/commands/list.js'))).toBe(true);
      // engine/errors.js is the one engine module allowed: the error classes the one CLI mapper
      // knows (it imports only core/text), not the engine.
      const heavy = files.filter((f) => /node_modules\/(commander|zod|js-yaml|execa|ink|react|string-width)\/|\/dist\/(engine|tui)\/|\/dist\/app\/compose\.js|\/dist\/adapters\/scenarioSources\.js/.test(f) && !f.endsWith('/dist/engine/errors.js'));
      expect(heavy, argv.join(' ')).toEqual([]);
    }
  });
});
