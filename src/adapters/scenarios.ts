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
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from '../core/k8s.js';
import type { Scenario } from '../core/scenario.js';
import type { SourceFs } from './scenarioSources.js';

/** Absolute paths of a scenario's files. */
export interface ScenarioFiles {
  scenario: string;
  manifest: string;
  solution: string;
  notQuiteFix?: string;
  readme: string;
}

/** A valid scenario with its objects (the engine's ScenarioBundle, plus where it came from). */
export interface CatalogEntry {
  scenario: Scenario;
  broken: K8sObject[];
  solution: K8sObject[];
  /** A plausible wrong fix that must fail verify (the cluster suite applies it). */
  notQuiteFix?: K8sObject[];
  files: ScenarioFiles;
}

export interface CatalogProblem {
  /** Path relative to the catalog root, with forward slashes: scenarios/oom/scenario.yaml */
  file: string;
  /** The scenario directory the problem belongs to, when there is one. */
  scenario?: string;
  line?: number;
  column?: number;
  /** Dotted field path: hints.1.ko, or document 2 / spec.template... for manifests. */
  path?: string;
  message: string;
}

export interface Catalog {
  root: string;
  /** Valid scenarios, by `order` then id. */
  scenarios: Scenario[];
  /** The same scenarios with their manifests, in the same order. */
  bundles: CatalogEntry[];
  problems: CatalogProblem[];
}

/** The catalog root cannot be read at all (exit code 2 territory). */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** `scenarios/oom/scenario.yaml: line 3, column 7: ...` or `...: hints.1.ko: Invalid input...` */
export function formatProblem(problem: CatalogProblem): string {
  const parts = [problem.file];
  if (problem.line !== undefined) parts.push(problem.column !== undefined ? `line ${problem.line}, column ${problem.column}` : `line ${problem.line}`);
  if (problem.path) parts.push(problem.path);
  parts.push(problem.message);
  return parts.join(': ');
}

/**
 * The directory holding package.json, scenarios/ and solutions/, found from this module's
 * own location (src/adapters when run from source, dist/adapters when built), so the CLI
 * works from any working directory.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'crashlab') return dir;
      } catch {
        // An unreadable package.json is not ours; keep looking upwards.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new CatalogError(`cannot find the crashlab package root above ${from}`);
    dir = parent;
  }
}

/** Validates every source file: what `crashlab validate` and the build run. */
export async function loadCatalog(root: string, fs?: SourceFs): Promise<Catalog> {
  const { loadCatalogSources } = await import('./scenarioSources.js');
  return loadCatalogSources(root, fs);
}

export const COMPILED_CATALOG_FORMAT = 1;

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
      files: Object.fromEntries(Object.entries(b.files).map(([k, v]) => [k, rel(v as string)])) as unknown as ScenarioFiles,
    })),
    problems: catalog.problems,
  };
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
    files: Object.fromEntries(Object.entries(b.files).map(([k, v]) => [k, abs(v as string)])) as unknown as ScenarioFiles,
  }));
  return { root, scenarios: bundles.map((b) => b.scenario), bundles, problems: compiled.problems };
}

/** For commands: the compiled catalog while it is current, else the sources. */
export async function loadRuntimeCatalog(root: string): Promise<Catalog> {
  return (await readCompiledCatalog(root)) ?? loadCatalog(root);
}
