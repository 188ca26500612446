/**
 * Read-only views that need neither a cluster nor the engine: the scenario catalog and the
 * saved progress. Kept apart from compose.ts so that `crashlab list` loads only these two
 * files' worth of modules (no engine, js-yaml, zod, execa): its start-up is measured against
 * `node -e 0` in `make bench`.
 */
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { formatProblem, loadRuntimeCatalog, packageRoot } from '../adapters/scenarios.js';
import type { CatalogContents, ScenarioCatalog } from '../ports/catalog.js';
import type { Progress, ProgressStore } from '../ports/store.js';

export { CatalogError } from '../adapters/scenarios.js';

/** The parts of compose.ts's AppOverrides these views use (compose.ts imports this module). */
export interface ReadOnlyOverrides {
  contentRoot?: string;
  store?: ProgressStore;
  env?: NodeJS.ProcessEnv;
}

export function contentRootOf(overrides: ReadOnlyOverrides = {}): string {
  return overrides.contentRoot ?? packageRoot();
}

/** The catalog port: the build's validated dist/catalog.json while it matches the sources. */
export function catalogPort(root: string): ScenarioCatalog {
  return {
    async load(): Promise<CatalogContents> {
      const catalog = await loadRuntimeCatalog(root);
      return { scenarios: catalog.scenarios, bundles: catalog.bundles, problems: catalog.problems.map((p) => ({ scenario: p.scenario, text: formatProblem(p) })) };
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
  const catalog = await catalogPort(contentRootOf(overrides)).load();
  const store = overrides.store ?? new FileProgressStore(defaultProgressPath(overrides.env ?? process.env));
  try {
    const loaded = await store.load();
    return { catalog, progress: loaded.progress, ...(loaded.warning ? { progressWarning: loaded.warning } : {}) };
  } catch (error) {
    return { catalog, progressWarning: `progress not shown: ${error instanceof Error ? error.message : String(error)}` };
  }
}
