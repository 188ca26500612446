/**
 * The scenario catalog as commands use it at run time. The build validates the sources once
 * (scenarioSources.ts) and writes the result to dist/: catalog.json (the scenarios, problems and
 * warnings: all that list, show and images read) and catalog-manifests.json (each scenario's
 * manifests: read by the commands that deploy or check them). A command reads those instead of
 * parsing and validating ~5 YAML files per scenario with js-yaml and zod, so `crashlab list`
 * costs about the same with 8 scenarios or 80. The compiled files are used only while they
 * match the sources (sizes and modification times, else a content hash, e.g. after npm reset
 * the times); otherwise the sources are loaded as before. Nothing here imports js-yaml or zod.
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../core/scenario.js';
import type { Catalog, CatalogEntry, CatalogProblem, ScenarioFiles, SourceFs } from './catalogTypes.js';

export { formatProblem, packageRoot, type Catalog, type CatalogEntry, type CatalogProblem, type ScenarioFiles, type SourceFs } from './catalogTypes.js';

/** Validates every source file: what `crashlab validate` and the build run. */
export async function loadCatalog(root: string, fs?: SourceFs): Promise<Catalog> {
  const { loadCatalogSources } = await import('./scenarioSources.js');
  return loadCatalogSources(root, fs);
}

export const COMPILED_CATALOG_FORMAT = 3;

export function compiledCatalogPath(root: string): string {
  return join(root, 'dist', 'catalog.json');
}

export function compiledManifestsPath(root: string): string {
  return join(root, 'dist', 'catalog-manifests.json');
}

/**
 * The source files the catalog is built from, as paths relative to root, sorted. Paths are
 * joined by hand, here and in stamps(): every `crashlab list` checks some 200 files, and
 * path.join costs as much as the stat itself.
 */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const top of ['scenarios', 'solutions']) {
    let ids: Dirent[];
    try {
      ids = readdirSync(`${root}/${top}`, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const id of ids) {
      const dir = `${root}/${top}/${id.name}`;
      if (!id.isDirectory() && !(id.isSymbolicLink() && statSync(dir).isDirectory())) continue;
      for (const name of readdirSync(dir).sort()) files.push(`${top}/${id.name}/${name}`);
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
      const s = statSync(`${root}/${file}`);
      return `${file}:${s.size}:${Math.round(s.mtimeMs)}`;
    })
    .join('\n');
}

async function contentHash(root: string, files: string[]): Promise<string> {
  // Loaded only when the cheap check fails: node:crypto is a few ms of every start-up otherwise.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

export async function fingerprint(root: string): Promise<Fingerprint> {
  const files = sourceFiles(root);
  return { stamps: stamps(root, files), contentHash: await contentHash(root, files) };
}

/** A catalog without its manifests: what list, show and images need. */
export type CatalogScenarios = Omit<Catalog, 'bundles'>;

/** dist/catalog.json: the validated catalog without the manifests. */
export interface CompiledCatalog {
  format: number;
  sources: Fingerprint;
  scenarios: Scenario[];
  problems: CatalogProblem[];
  warnings: CatalogProblem[];
}

/** dist/catalog-manifests.json: the manifests of catalog.json's scenarios, in its order, with file paths relative to root. */
export interface CompiledManifests {
  format: number;
  /** The sources' hash in the catalog.json it belongs to: a pair from two builds is not used. */
  contentHash: string;
  bundles: (Omit<CatalogEntry, 'scenario' | 'files'> & { files: ScenarioFiles })[];
}

/** The compiled form of a loaded catalog (paths made relative, so the package can move). */
export function compileCatalog(catalog: Catalog, sources: Fingerprint): { catalog: CompiledCatalog; manifests: CompiledManifests } {
  const rel = (path: string) => path.slice(catalog.root.length + 1).split('\\').join('/');
  return {
    catalog: { format: COMPILED_CATALOG_FORMAT, sources, scenarios: catalog.scenarios, problems: catalog.problems, warnings: catalog.warnings },
    manifests: {
      format: COMPILED_CATALOG_FORMAT,
      contentHash: sources.contentHash,
      bundles: catalog.bundles.map(({ scenario: _scenario, ...b }) => ({ ...b, files: mapPaths(b.files, rel) })),
    },
  };
}

/** The build's step: both files under root/dist, each replaced whole. */
export function writeCompiledCatalog(root: string, catalog: Catalog, sources: Fingerprint): void {
  const compiled = compileCatalog(catalog, sources);
  for (const [target, content] of [
    [compiledManifestsPath(root), compiled.manifests],
    [compiledCatalogPath(root), compiled.catalog],
  ] as const) {
    writeFileSync(`${target}.tmp`, `${JSON.stringify(content)}\n`);
    renameSync(`${target}.tmp`, target);
  }
}

function mapPaths(files: ScenarioFiles, f: (path: string) => string): ScenarioFiles {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Array.isArray(v) ? v.map(f) : f(v as string)])) as unknown as ScenarioFiles;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function readCurrent(root: string): Promise<CompiledCatalog | undefined> {
  const compiled = readJson<CompiledCatalog>(compiledCatalogPath(root));
  if (compiled?.format !== COMPILED_CATALOG_FORMAT) return undefined;
  try {
    const files = sourceFiles(root);
    if (stamps(root, files) !== compiled.sources.stamps && (await contentHash(root, files)) !== compiled.sources.contentHash) return undefined;
  } catch {
    // A source that cannot even be listed: the source loader says which scenario it hurts.
    return undefined;
  }
  return compiled;
}

/** The compiled scenarios (no manifests) when they match the sources under root; undefined otherwise. */
export async function readCompiledScenarios(root: string): Promise<CatalogScenarios | undefined> {
  const compiled = await readCurrent(root);
  return compiled && { root, scenarios: compiled.scenarios, problems: compiled.problems, warnings: compiled.warnings };
}

/** The compiled catalog, manifests included, when it matches the sources under root; undefined otherwise. */
export async function readCompiledCatalog(root: string): Promise<Catalog | undefined> {
  const compiled = await readCurrent(root);
  if (!compiled) return undefined;
  const manifests = readJson<CompiledManifests>(compiledManifestsPath(root));
  if (manifests?.format !== COMPILED_CATALOG_FORMAT || manifests.contentHash !== compiled.sources.contentHash || manifests.bundles.length !== compiled.scenarios.length) return undefined;
  const abs = (path: string) => join(root, path);
  const bundles = compiled.scenarios.map((scenario, i) => ({ scenario, ...manifests.bundles[i], files: mapPaths(manifests.bundles[i].files, abs) }));
  return { root, scenarios: compiled.scenarios, bundles, problems: compiled.problems, warnings: compiled.warnings };
}

/** For commands: the compiled catalog while it is current, else the sources. */
export async function loadRuntimeCatalog(root: string): Promise<Catalog> {
  return (await readCompiledCatalog(root)) ?? loadCatalog(root);
}

/** For commands that show scenarios but deploy none: dist/catalog.json alone while it is current, else the sources. */
export async function loadRuntimeScenarios(root: string): Promise<CatalogScenarios> {
  const compiled = await readCompiledScenarios(root);
  if (compiled) return compiled;
  const { bundles: _bundles, ...catalog } = await loadCatalog(root);
  return catalog;
}
