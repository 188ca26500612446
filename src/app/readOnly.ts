/**
 * Read-only views that need neither a cluster nor the engine: the scenario catalog and the
 * saved progress. Kept apart from compose.ts so that `crashlab list` loads only these two
 * files' worth of modules (no engine, js-yaml, zod, execa): its start-up is measured against
 * `node -e 0` in `make bench`.
 */
import { existsSync } from 'node:fs';
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { formatProblem, loadRuntimeCatalog, loadRuntimeScenarios, packageRoot, type CatalogScenarios } from '../adapters/scenarios.js';
import { loadPackSignatures, loadPacks, packDirsFrom, type PackCatalog } from '../adapters/packs.js';
import type { CatalogContents, CatalogListing, ScenarioCatalog } from '../ports/catalog.js';
import type { Progress, ProgressStore } from '../ports/store.js';

export { packDirsFrom };

/** Merges each pack's signatures.json into the diagnosis library (`crashlab diagnose` reads no catalog). */
export async function loadPackSignaturesFrom(dirs: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const dir of dirs) {
    const file = `${dir}/signatures.json`;
    if (!existsSync(file)) continue;
    const problem = await loadPackSignatures(file);
    if (problem) problems.push(`${file}: ${problem}`);
  }
  return problems;
}

/** The parts of compose.ts's AppOverrides these views use (compose.ts imports this module). */
export interface ReadOnlyOverrides {
  contentRoot?: string;
  /** Scenario packs besides the built-in one (--scenarios, CRASHLAB_SCENARIOS). */
  scenarioDirs?: readonly string[];
  store?: ProgressStore;
  env?: NodeJS.ProcessEnv;
}

export function contentRootOf(overrides: ReadOnlyOverrides = {}): string {
  return overrides.contentRoot ?? packageRoot();
}

/**
 * The catalog port: the built-in pack from the build's validated dist/ files while they match
 * the sources, plus the packs in `dirs` (loaded and validated from their sources).
 */
export function catalogPort(root: string, dirs: readonly string[] = []): ScenarioCatalog {
  return {
    async load(): Promise<CatalogContents> {
      const catalog = dirs.length === 0 ? await loadRuntimeCatalog(root) : await loadPacks(root, dirs);
      return { ...listing(catalog), bundles: catalog.bundles };
    },
  };
}

/**
 * The scenarios without their manifests (list, show, images): the built-in pack alone reads
 * only dist/catalog.json; packs are loaded and validated from their sources all the same.
 */
async function loadListing(root: string, dirs: readonly string[] = []): Promise<CatalogListing> {
  return listing(dirs.length === 0 ? await loadRuntimeScenarios(root) : await loadPacks(root, dirs));
}

function listing(catalog: CatalogScenarios | PackCatalog): CatalogListing {
  const problems = catalog.problems.map((p) => ({ scenario: p.scenario, text: formatProblem(p) }));
  if (!('packOf' in catalog)) return { scenarios: catalog.scenarios, problems };
  return {
    scenarios: catalog.scenarios,
    problems,
    warnings: catalog.warnings.filter((w) => w.message.startsWith('skipped')).map((w) => formatProblem(w)),
    packOf: Object.fromEntries(Object.entries(catalog.packOf).map(([id, p]) => [id, { name: p.name, dir: p.dir, builtIn: p.builtIn }])),
  };
}

export interface CatalogAndProgress {
  catalog: CatalogListing;
  progress?: Progress;
  /** A progress file that is damaged, newer or unreadable: said once, progress shown as far as it can be. */
  progressWarning?: string;
}

/** What `list` shows. Reading never moves or rewrites the progress file. */
export async function readCatalogAndProgress(overrides: ReadOnlyOverrides = {}): Promise<CatalogAndProgress> {
  const catalog = await loadListing(contentRootOf(overrides), overrides.scenarioDirs);
  const store = overrides.store ?? new FileProgressStore(defaultProgressPath(overrides.env ?? process.env));
  try {
    const loaded = await store.load();
    return { catalog, progress: loaded.progress, ...(loaded.warning ? { progressWarning: loaded.warning } : {}) };
  } catch (error) {
    return { catalog, progressWarning: `progress not shown: ${error instanceof Error ? error.message : String(error)}` };
  }
}
