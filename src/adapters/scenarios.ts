/**
 * The scenario catalog as commands use it at run time. The build validates the sources once
 * (scenarioSources.ts) and writes the result to dist/catalog.json; a command reads that one
 * file instead of parsing and validating ~5 YAML files per scenario with js-yaml and zod, so
 * `crashlab list` costs about the same with 8 scenarios or 80. The compiled file is used only
 * while it matches the sources (sizes and modification times, else a content hash, e.g. after
 * npm reset the times); otherwise the sources are loaded as before. Nothing here imports
 * js-yaml or zod.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../core/scenario.js';
import type { Catalog, CatalogEntry, CatalogProblem, ScenarioFiles, SourceFs } from './catalogTypes.js';

export { formatProblem, packageRoot, type Catalog, type CatalogEntry, type CatalogProblem, type ScenarioFiles, type SourceFs } from './catalogTypes.js';

/** Validates every source file: what `crashlab validate` and the build run. */
export async function loadCatalog(root: string, fs?: SourceFs): Promise<Catalog> {
  const { loadCatalogSources } = await import('./scenarioSources.js');
  return loadCatalogSources(root, fs);
}

export const COMPILED_CATALOG_FORMAT = 2;

export function compiledCatalogPath(root: string): string {
  return join(root, 'dist', 'catalog.json');
}

/** The source files the catalog is built from, as paths relative to root, sorted. */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const top of ['scenarios', 'solutions']) {
    let ids: string[];
    try {
      ids = readdirSync(join(root, top)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const id of ids) {
      const dir = join(root, top, id);
      if (!statSync(dir).isDirectory()) continue;
      for (const name of readdirSync(dir).sort()) files.push(`${top}/${id}/${name}`);
    }
  }
  return files;
}

interface Fingerprint {
  /** path:size:mtimeMs of every source file: the cheap check. */
  stamps: string;
  /** sha256 over paths and contents: decides when only the times changed. */
  contentHash: string;
}

function stamps(root: string, files: string[]): string {
  return files
    .map((file) => {
      const s = statSync(join(root, file));
      return `${file}:${s.size}:${Math.round(s.mtimeMs)}`;
    })
    .join('\n');
}

function contentHash(root: string, files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

export function fingerprint(root: string): Fingerprint {
  const files = sourceFiles(root);
  return { stamps: stamps(root, files), contentHash: contentHash(root, files) };
}

/** What dist/catalog.json holds: the validated catalog with file paths relative to root. */
export interface CompiledCatalog {
  format: number;
  sources: Fingerprint;
  scenarios: Scenario[];
  bundles: (Omit<CatalogEntry, 'files'> & { files: ScenarioFiles })[];
  problems: CatalogProblem[];
  warnings: CatalogProblem[];
}

/** The compiled form of a loaded catalog (paths made relative, so the package can move). */
export function compileCatalog(catalog: Catalog, sources: Fingerprint): CompiledCatalog {
  const rel = (path: string) => path.slice(catalog.root.length + 1).split('\\').join('/');
  return {
    format: COMPILED_CATALOG_FORMAT,
    sources,
    scenarios: catalog.scenarios,
    bundles: catalog.bundles.map((b) => ({
      ...b,
      files: mapPaths(b.files, rel),
    })),
    problems: catalog.problems,
    warnings: catalog.warnings,
  };
}

function mapPaths(files: ScenarioFiles, f: (path: string) => string): ScenarioFiles {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Array.isArray(v) ? v.map(f) : f(v as string)])) as unknown as ScenarioFiles;
}

/** The compiled catalog when it matches the sources under root; undefined otherwise. */
export async function readCompiledCatalog(root: string): Promise<Catalog | undefined> {
  let compiled: CompiledCatalog;
  try {
    compiled = JSON.parse(await readFile(compiledCatalogPath(root), 'utf8')) as CompiledCatalog;
  } catch {
    return undefined;
  }
  if (compiled.format !== COMPILED_CATALOG_FORMAT) return undefined;
  try {
    const files = sourceFiles(root);
    if (stamps(root, files) !== compiled.sources.stamps && contentHash(root, files) !== compiled.sources.contentHash) return undefined;
  } catch {
    // A source that cannot even be listed: the source loader says which scenario it hurts.
    return undefined;
  }
  const abs = (path: string) => join(root, path);
  const bundles = compiled.bundles.map((b) => ({
    ...b,
    files: mapPaths(b.files, abs),
  }));
  return { root, scenarios: bundles.map((b) => b.scenario), bundles, problems: compiled.problems, warnings: compiled.warnings };
}

/** For commands: the compiled catalog while it is current, else the sources. */
export async function loadRuntimeCatalog(root: string): Promise<Catalog> {
  return (await readCompiledCatalog(root)) ?? loadCatalog(root);
}
