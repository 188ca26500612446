/**
 * The compiled catalog (dist/catalog.json, written by the build) and unreadable scenario files
 * (issue 8 case 7): one file crashlab cannot read is that scenario's problem only.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compiledCatalogPath,
  fingerprint,
  formatProblem,
  loadCatalog,
  loadRuntimeCatalog,
  packageRoot,
  compiledManifestsPath,
  readCompiledCatalog,
  readCompiledScenarios,
  writeCompiledCatalog,
} from '../../../src/adapters/scenarios.js';
import { main } from '../../../src/cli/main.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { VirtualClock } from '../../fakes/clock.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/scenarios/catalog', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The fixture catalog with a second scenario, "other", copied from "tiny". */
function twoScenarios(): string {
  const root = mkdtempSync(join(tmpdir(), 'crashlab-compiled-'));
  temps.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  for (const top of ['scenarios', 'solutions']) cpSync(join(root, top, 'tiny'), join(root, top, 'other'), { recursive: true });
  const file = join(root, 'scenarios', 'other', 'scenario.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^id: tiny$/m, 'id: other'));
  return root;
}

async function compile(root: string): Promise<void> {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const sources = await fingerprint(root);
  writeCompiledCatalog(root, await loadCatalog(root), sources);
}


describe('one unreadable scenario file', () => {
  it('is that scenario\'s problem, in words; the other scenarios load', async () => {
    const root = twoScenarios();
    expect((await loadCatalog(root)).scenarios.map((s) => s.id).sort()).toEqual(['other', 'tiny']);
    const denied = join(root, 'scenarios', 'other', 'scenario.yaml');
    const catalog = await loadCatalog(root, {
      // Root reads any file whatever its mode, so the EACCES a learner gets is injected.
      readFile: async (path, encoding) => {
        if (path === denied) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
        return readFile(path, encoding);
      },
    });
    expect(catalog.scenarios.map((s) => s.id)).toEqual(['tiny']);
    expect(catalog.problems.map(formatProblem)).toEqual(['scenarios/other/scenario.yaml: cannot read the file: permission denied (EACCES)']);
  });

  it('list, validate and start of another scenario still work (a manifest that is a folder: EISDIR)', async () => {
    const root = twoScenarios();
    unlinkSync(join(root, 'scenarios', 'other', 'manifest.yaml'));
    mkdirSync(join(root, 'scenarios', 'other', 'manifest.yaml'));
    const problem = 'scenarios/other/manifest.yaml: cannot read the file: it is a folder, not a file (EISDIR)';

    const list = capture();
    expect(await main(['list', '--json'], list.io, { contentRoot: root, store: new MemoryStore() })).toBe(0);
    expect(JSON.parse(list.out())).toMatchObject({ scenarios: [{ id: 'tiny' }], problems: [problem] });

    const validate = capture();
    expect(await main(['validate', root], validate.io)).toBe(1);
    expect(validate.out()).toContain(`INVALID  other\n         ${problem}\n`);
    expect(validate.out()).toContain('ok       tiny');

    const start = capture();
    const kube = new MemoryKube();
    expect(await main(['start', 'tiny'], start.io, { contentRoot: root, kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(0) })).toBe(0);
    expect(kube.objects.some((o) => o.kind === 'Deployment')).toBe(true);
    expect(start.err()).toBe('');
  });
});

describe('the compiled catalog', () => {
  it('holds exactly what the sources load to (any schema field, with absolute file paths restored)', async () => {
    const root = twoScenarios();
    await compile(root);
    const compiled = await readCompiledCatalog(root);
    expect(compiled).toEqual(await loadCatalog(root));
  });

  it('is not used once a source changes: the runtime loads the sources instead', async () => {
    const root = twoScenarios();
    await compile(root);
    const file = join(root, 'scenarios', 'tiny', 'scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^order: (\d+)$/m, (_m, n) => `order: ${Number(n) + 100}`));
    expect(await readCompiledCatalog(root)).toBeUndefined();
    expect((await loadRuntimeCatalog(root)).scenarios.find((s) => s.id === 'tiny')?.order).toBeGreaterThanOrEqual(100);
  });

  it('a new scenario directory makes it stale; new modification times alone (npm pack) do not', async () => {
    const root = twoScenarios();
    await compile(root);
    const old = new Date('1985-10-26T08:15:00Z');
    for (const f of ['scenarios/tiny/scenario.yaml', 'solutions/other/manifest.yaml']) utimesSync(join(root, f), old, old);
    expect(await readCompiledCatalog(root)).toBeDefined();
    cpSync(join(root, 'scenarios', 'tiny'), join(root, 'scenarios', 'third'), { recursive: true });
    expect(await readCompiledCatalog(root)).toBeUndefined();
  });

  it('list reads the scenarios without their manifests; manifests from another build are never paired with them', async () => {
    const root = twoScenarios();
    await compile(root);
    const full = (await readCompiledCatalog(root))!;
    const { bundles: _bundles, ...scenarios } = full;
    expect(await readCompiledScenarios(root)).toEqual(scenarios);
    const manifests = JSON.parse(readFileSync(compiledManifestsPath(root), 'utf8'));
    writeFileSync(compiledManifestsPath(root), JSON.stringify({ ...manifests, contentHash: 'f'.repeat(64) }));
    expect(await readCompiledCatalog(root)).toBeUndefined();
    expect((await loadRuntimeCatalog(root)).bundles).toEqual(full.bundles);
    expect(await readCompiledScenarios(root)).toEqual(scenarios);
  });

  it('the build wrote dist/catalog.json for the shipped scenarios and it is current (run `make build` after editing scenarios)', async () => {
    const root = packageRoot();
    expect(existsSync(compiledCatalogPath(root))).toBe(true);
    const compiled = await readCompiledCatalog(root);
    expect(compiled, 'dist/catalog.json is stale: run make build').toBeDefined();
    expect(compiled!.scenarios.map((s) => s.id)).toEqual((await loadCatalog(root)).scenarios.map((s) => s.id));
  });
});
