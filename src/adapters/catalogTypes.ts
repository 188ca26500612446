/**
 * The catalog's shapes and its one error, shared by the run-time reader (scenarios.ts) and the
 * source loader (scenarioSources.ts), which must not import each other both ways.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from '../core/k8s.js';
import type { Scenario } from '../core/scenario.js';
import { PortError } from '../ports/errors.js';

/** Replaceable so a test can make one file unreadable (root reads any file despite chmod). */
export interface SourceFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

/** Absolute paths of a scenario's files. */
export interface ScenarioFiles {
  scenario: string;
  manifest: string;
  solution: string;
  notQuiteFix?: string;
  /** Every not-quite-fix: not-quite-fix.yaml, then not-quite-fix-<name>.yaml by name. */
  notQuiteFixes?: string[];
  /** scenarios/<id>/previous.yaml, when the scenario starts from a history (a rollout over a good version). */
  previous?: string;
  readme: string;
}

/** A valid scenario with its objects (the engine's ScenarioBundle, plus where it came from). */
export interface CatalogEntry {
  scenario: Scenario;
  broken: K8sObject[];
  solution: K8sObject[];
  /** A plausible wrong fix that must fail verify (the cluster suite applies it). */
  notQuiteFix?: K8sObject[];
  /** Every plausible wrong fix (the first is notQuiteFix); `prove` tries them all. */
  notQuiteFixes?: { name: string; objects: K8sObject[] }[];
  /** The good version deployed and rolled out before the broken manifest (scenarios/<id>/previous.yaml). */
  previous?: K8sObject[];
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
  /** What to write instead. */
  hint?: string;
}

export interface Catalog {
  root: string;
  /** Valid scenarios, by `order` then id. */
  scenarios: Scenario[];
  /** The same scenarios with their manifests, in the same order. */
  bundles: CatalogEntry[];
  problems: CatalogProblem[];
  /** What is worth a look but loads anyway (a regex that reads as text, a folder skipped). */
  warnings: CatalogProblem[];
}

/** `scenarios/oom/scenario.yaml: line 3, column 7: ...` or `...: hints.1.ko: Invalid input...` */
export function formatProblem(problem: CatalogProblem): string {
  const parts = [problem.file];
  if (problem.line !== undefined) parts[0] += problem.column !== undefined ? `:${problem.line}:${problem.column}` : `:${problem.line}`;
  if (problem.path) parts.push(problem.path);
  parts.push(problem.message);
  return parts.join(': ') + (problem.hint ? `; ${problem.hint}` : '');
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
    if (parent === dir) throw new PortError('catalog', 'unreadable', `cannot find the crashlab package root above ${from}`);
    dir = parent;
  }
}

