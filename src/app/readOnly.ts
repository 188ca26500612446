/**
 * Read-only views that need neither a cluster nor the engine: the scenario catalog and the
 * saved progress. Kept apart from compose.ts so that `crashlab list` loads only these two
 * files' worth of modules (no engine, js-yaml, zod, execa): its start-up is measured against
 * `node -e 0` in `make bench`.
 */
import { existsSync } from 'node:fs';
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { formatProblem, loadRuntimeCatalog, packageRoot } from '../adapters/scenarios.js';
import { loadPackSignatures, loadPacks, packDirsFrom } from '../adapters/packs.js';
import type { CatalogContents, ScenarioCatalog } from '../ports/catalog.js';
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
 * The catalog port: the built-in pack from the build's validated dist/catalog.json while it
 * matches the sources, plus the packs in `dirs` (loaded and validated from their sources).
 */
export function catalogPort(root: string, dirs: readonly string[] = []): ScenarioCatalog {
  return {
    async load(): Promise<CatalogContents> {
      if (dirs.length === 0) {
        const catalog = await loadRuntimeCatalog(root);
        return { scenarios: catalog.scenarios, bundles: catalog.bundles, problems: catalog.problems.map((p) => ({ scenario: p.scenario, text: formatProblem(p) })) };
      }
      const catalog = await loadPacks(root, dirs);
      return {
        scenarios: catalog.scenarios,
        bundles: catalog.bundles,
        problems: catalog.problems.map((p) => ({ scenario: p.scenario, text: formatProblem(p) })),
        warnings: catalog.warnings.filter((w) => w.message.startsWith('skipped')).map((w) => formatProblem(w)),
        packOf: Object.fromEntries(Object.entries(catalog.packOf).map(([id, p]) => [id, { name: p.name, dir: p.dir, builtIn: p.builtIn }])),
      };
    },
  };
}

export interface CatalogAndProgress {
  catalog: CatalogContents;
  progress?: Progress;
  /** A progress file that is damaged, newer or unreadable: said once, progress shown as far as it can be. */
  progressWarning?: string;
}

/** What `list` shows. Reading never moves or rewrites the progress file. */
export async function readCatalogAndProgress(overrides: ReadOnlyOverrides = {}): Promise<CatalogAndProgress> {
  const catalog = await catalogPort(contentRootOf(overrides), overrides.scenarioDirs).load();
  const store = overrides.store ?? new FileProgressStore(defaultProgressPath(overrides.env ?? process.env));
  try {
    const loaded = await store.load();
    return { catalog, progress: loaded.progress, ...(loaded.warning ? { progressWarning: loaded.warning } : {}) };
  } catch (error) {
    return { catalog, progressWarning: `progress not shown: ${error instanceof Error ? error.message : String(error)}` };
  }
}
