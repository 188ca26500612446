/**
 * Scenario packs: the built-in one (the package's scenarios/ and solutions/, read through the
 * compiled dist/catalog.json while it is current) plus every folder given by `--scenarios DIR`
 * or CRASHLAB_SCENARIOS, each loaded and validated by the same source loader as `validate`.
 * One catalog comes out: an id defined twice is refused naming both places, a pack's problems
 * name its own folder, its pack.yaml and signatures.json are read and checked here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { PackManifest } from '../core/pack.js';
import type { Catalog, CatalogEntry, CatalogProblem } from './catalogTypes.js';
import { PortError } from '../ports/errors.js';
import { loadCatalog, loadRuntimeCatalog } from './scenarios.js';

export interface PackInfo {
  /** The folder as the user named it (absolute for the built-in pack). */
  dir: string;
  /** Absolute. */
  root: string;
  builtIn: boolean;
  name: string;
  manifest?: PackManifest;
  /** Ids of the pack's valid scenarios, in its `path:` order when it has one. */
  scenarios: string[];
  /** signatures.json, when the pack has one (merged into the diagnosis library). */
  signatures?: string;
}

export interface PackCatalog extends Catalog {
  packs: PackInfo[];
  /** The pack each scenario comes from. */
  packOf: Record<string, PackInfo>;
}

export const BUILT_IN_PACK = 'built-in';

/** --scenarios flags first (in order), then CRASHLAB_SCENARIOS (a path list, ':' or ';' by platform). */
export function packDirsFrom(flags: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.CRASHLAB_SCENARIOS ?? '').split(delimiter).filter((d) => d.trim() !== '');
  const seen = new Set<string>();
  return [...(flags ?? []), ...fromEnv].filter((d) => {
    const key = resolve(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const signaturesLoaded = new Set<string>();

/** Merges a pack's signatures.json into the diagnosis library once per process; the problem, if any. */
export async function loadPackSignatures(file: string): Promise<string | undefined> {
  if (signaturesLoaded.has(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `cannot read it: ${(error as Error).message}`;
  }
  try {
    const { addSignatures } = await import('../core/diagnose/logs.js');
    addSignatures(raw);
    signaturesLoaded.add(file);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function readPackManifest(dir: string, root: string, problems: CatalogProblem[]): Promise<PackManifest | undefined> {
  const file = join(root, 'pack.yaml');
  if (!existsSync(file)) return undefined;
  const [{ default: yaml }, { parsePack }, { locateYamlPath }] = await Promise.all([import('js-yaml'), import('../core/pack.js'), import('../core/yamlLocate.js')]);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (error) {
    problems.push({ file: join(dir, 'pack.yaml'), message: (error as Error).message.split('\n')[0] });
    return undefined;
  }
  const parsed = parsePack(raw);
  if (parsed.ok) return parsed.pack;
  for (const p of parsed.problems) problems.push({ file: join(dir, 'pack.yaml'), ...(locateYamlPath(text, p.path.split('.')) ?? {}), path: p.path, message: p.message });
  return undefined;
}

export interface LoadPacksOptions {
  /** Validate the built-in pack from its sources too (validate, tests), not dist/catalog.json. */
  sources?: boolean;
  /** Leave the built-in pack out (validate DIR checks that one pack, duplicates still against built-in ids). */
  builtIn?: boolean;
  /** File names relative to each pack (validate DIR, which names the one folder once). */
  bareFiles?: boolean;
}

/**
 * The built-in pack plus `dirs`, as one catalog. A folder that is not a pack at all (no
 * scenarios/) is a catalog PortError: the user named it, so it is not skipped quietly.
 */
export async function loadPacks(builtInRoot: string, dirs: readonly string[], options: LoadPacksOptions = {}): Promise<PackCatalog> {
  const builtIn = options.sources && options.builtIn !== false ? await loadCatalog(builtInRoot) : await loadRuntimeCatalog(builtInRoot);
  const place = (dir: string, file: string) => (options.bareFiles ? file : join(dir, file).split('\\').join('/'));
  const builtInPack: PackInfo = { dir: builtInRoot, root: builtInRoot, builtIn: true, name: BUILT_IN_PACK, scenarios: builtIn.scenarios.map((s) => s.id) };
  const packs: PackInfo[] = [builtInPack];
  const packOf: Record<string, PackInfo> = {};
  const bundles: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [];
  const warnings: CatalogProblem[] = [];
  const where = new Map<string, string>();
  const add = (pack: PackInfo, catalog: Catalog, keep: boolean) => {
    for (const entry of catalog.bundles) {
      const id = entry.scenario.id;
      const here = pack.builtIn ? `the built-in pack (${join(pack.root, 'scenarios', id)})` : join(pack.dir, 'scenarios', id);
      const first = where.get(id);
      if (first) {
        problems.push({ file: place(pack.dir, `scenarios/${id}/scenario.yaml`), scenario: id, path: 'id', message: `scenario "${id}" is defined twice: in ${first} and in ${here}`, hint: 'rename one of them (its folder and its id:)' });
        pack.scenarios = pack.scenarios.filter((s) => s !== id);
        continue;
      }
      where.set(id, here);
      if (!keep) continue;
      bundles.push(entry);
      packOf[id] = pack;
    }
  };
  add(builtInPack, builtIn, options.builtIn !== false);
  if (options.builtIn !== false) {
    problems.push(...builtIn.problems);
    warnings.push(...builtIn.warnings);
  } else {
    packs.length = 0;
  }

  for (const dir of dirs) {
    const root = isAbsolute(dir) ? dir : resolve(dir);
    if (!existsSync(join(root, 'scenarios'))) {
      throw new PortError('catalog', 'unreadable', `${dir} is not a scenario pack: it has no scenarios/ folder${existsSync(root) ? '' : ' (the folder does not exist)'}`);
    }
    // The pack's signatures first: the offline diagnosis check of its scenarios uses them.
    const signatures = join(root, 'signatures.json');
    const signatureProblem = existsSync(signatures) ? await loadPackSignatures(signatures) : undefined;
    if (signatureProblem) problems.push({ file: place(dir, 'signatures.json'), message: signatureProblem, hint: 'write entries in the built-in library\'s schema (src/core/diagnose/signatures.json); see docs/authoring.md' });
    const catalog = await loadCatalog(root);
    const manifest = await readPackManifest(options.bareFiles ? '' : dir, root, problems);
    const pack: PackInfo = { dir, root, builtIn: false, name: manifest?.name ?? dir, ...(manifest ? { manifest } : {}), ...(existsSync(signatures) ? { signatures } : {}), scenarios: catalog.scenarios.map((s) => s.id) };
    problems.push(...catalog.problems.map((p) => ({ ...p, file: place(dir, p.file) })));
    warnings.push(...catalog.warnings.map((p) => ({ ...p, file: place(dir, p.file) })));
    for (const id of manifest?.path ?? []) {
      if (!pack.scenarios.includes(id) && !catalog.problems.some((p) => p.scenario === id)) {
        problems.push({ file: place(dir, 'pack.yaml'), path: 'path', message: `names "${id}", which is not a scenario of this pack`, hint: `one of: ${pack.scenarios.join(', ') || '(none yet)'}` });
      }
    }
    // The pack's own order: its path first, then the rest by order and id.
    const rank = (id: string) => {
      const i = manifest?.path?.indexOf(id) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const sorted = { ...catalog, bundles: [...catalog.bundles].sort((a, b) => rank(a.scenario.id) - rank(b.scenario.id)) };
    add(pack, sorted, true);
    pack.scenarios = sorted.bundles.map((b) => b.scenario.id).filter((id) => packOf[id] === pack);
    packs.push(pack);
  }
  return { root: builtInRoot, scenarios: bundles.map((b) => b.scenario), bundles, problems, warnings, packs, packOf };
}
