/**
 * The scenario catalog on disk: scenarios/<id>/{scenario.yaml,manifest.yaml} and
 * solutions/<id>/{manifest.yaml,not-quite-fix.yaml,README.md}. Loading validates every file
 * and cross-checks them (the workload exists in both manifests, every guard holds on both),
 * so a broken scenario is reported with its file, field path and reason instead of failing
 * halfway through a lab.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { K8sObject } from '../core/k8s.js';
import { deployProblems, findContainer, findDeployment, parseManifest, yamlErrorProblem, type ManifestProblem } from '../core/manifest.js';
import { parseScenario, type Scenario } from '../core/scenario.js';
import { evaluateGuards } from '../core/verify/guards.js';

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

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function listDirs(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function loadCatalog(root: string): Promise<Catalog> {
  const scenariosDir = join(root, 'scenarios');
  let rootStat;
  try {
    rootStat = await stat(scenariosDir);
  } catch (error) {
    throw new CatalogError(`cannot read scenarios in ${root}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no scenarios/ directory' : (error as Error).message}`);
  }
  if (!rootStat.isDirectory()) throw new CatalogError(`cannot read scenarios in ${root}: scenarios is not a directory`);

  const problems: CatalogProblem[] = [];
  const bundles: CatalogEntry[] = [];
  const ids = (await listDirs(scenariosDir)) ?? [];
  for (const id of ids) {
    const loaded = await loadOne(root, id);
    problems.push(...loaded.problems);
    if (loaded.entry && loaded.problems.length === 0) bundles.push(loaded.entry);
  }
  for (const orphan of ((await listDirs(join(root, 'solutions'))) ?? []).filter((d) => !ids.includes(d))) {
    problems.push({ file: `solutions/${orphan}`, scenario: orphan, message: `no scenario for this solution (scenarios/${orphan}/scenario.yaml is missing)` });
  }
  bundles.sort((a, b) => a.scenario.order - b.scenario.order || a.scenario.id.localeCompare(b.scenario.id));
  return { root, scenarios: bundles.map((b) => b.scenario), bundles, problems };
}

function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

function manifestProblems(file: string, scenario: string, list: ManifestProblem[]): CatalogProblem[] {
  return list.map((p) => ({
    file,
    scenario,
    line: p.line,
    column: p.column,
    path: [p.document !== undefined && p.line === undefined ? `document ${p.document}` : undefined, p.path].filter(Boolean).join(': ') || undefined,
    message: p.message,
  }));
}

/** Reads and parses a manifest file; undefined (with a problem) when it is missing or invalid. */
async function readManifest(root: string, path: string, scenario: string, problems: CatalogProblem[], required: boolean): Promise<K8sObject[] | undefined> {
  const file = relativePath(root, path);
  const text = await readOptional(path);
  if (text === undefined) {
    if (required) problems.push({ file, scenario, message: 'file is missing' });
    return undefined;
  }
  const parsed = parseManifest(text);
  if (!parsed.ok) {
    problems.push(...manifestProblems(file, scenario, parsed.problems));
    return undefined;
  }
  if (parsed.objects.length === 0) {
    problems.push({ file, scenario, message: 'has no Kubernetes objects' });
    return undefined;
  }
  const placement = deployProblems(parsed.objects);
  if (placement.length) {
    problems.push(...manifestProblems(file, scenario, placement));
    return undefined;
  }
  return parsed.objects;
}

async function loadOne(root: string, dirName: string): Promise<{ entry?: CatalogEntry; problems: CatalogProblem[] }> {
  const problems: CatalogProblem[] = [];
  const files: ScenarioFiles = {
    scenario: join(root, 'scenarios', dirName, 'scenario.yaml'),
    manifest: join(root, 'scenarios', dirName, 'manifest.yaml'),
    solution: join(root, 'solutions', dirName, 'manifest.yaml'),
    readme: join(root, 'solutions', dirName, 'README.md'),
  };
  const scenarioFile = relativePath(root, files.scenario);

  let scenario: Scenario | undefined;
  const text = await readOptional(files.scenario);
  if (text === undefined) {
    problems.push({ file: scenarioFile, scenario: dirName, message: 'file is missing' });
  } else {
    let raw: unknown;
    let readable = true;
    try {
      raw = yaml.load(text);
    } catch (error) {
      readable = false;
      const p = yamlErrorProblem(error);
      problems.push({ file: scenarioFile, scenario: dirName, line: p.line, column: p.column, message: p.message });
    }
    if (readable) {
      const parsed = parseScenario(raw);
      if (parsed.ok) scenario = parsed.scenario;
      else problems.push(...parsed.problems.map((p) => ({ file: scenarioFile, scenario: dirName, path: p.path, message: p.message })));
    }
  }
  if (scenario && scenario.id !== dirName) {
    problems.push({ file: scenarioFile, scenario: dirName, path: 'id', message: `"${scenario.id}" must equal the directory name "${dirName}"` });
  }

  const broken = await readManifest(root, files.manifest, dirName, problems, true);
  const solution = await readManifest(root, files.solution, dirName, problems, true);
  const notQuitePath = join(root, 'solutions', dirName, 'not-quite-fix.yaml');
  const notQuiteFix = await readManifest(root, notQuitePath, dirName, problems, false);
  if (notQuiteFix) files.notQuiteFix = notQuitePath;

  const readme = await readOptional(files.readme);
  const readmeFile = relativePath(root, files.readme);
  if (readme === undefined) problems.push({ file: readmeFile, scenario: dirName, message: 'file is missing' });
  else if (!/[\uac00-\ud7a3]/.test(readme)) problems.push({ file: readmeFile, scenario: dirName, message: 'has no Korean text (the explanation is written in English, then Korean)' });

  if (!scenario) return { problems };
  const context = { root, id: dirName, scenarioFile, scenario };
  if (broken) problems.push(...crossCheck(context, relativePath(root, files.manifest), broken, 'broken'));
  if (solution) problems.push(...crossCheck(context, relativePath(root, files.solution), solution, 'solution'));
  if (notQuiteFix) {
    const file = relativePath(root, notQuitePath);
    if (!findDeployment(notQuiteFix, scenario.workload.deployment)) {
      problems.push({ file, scenario: dirName, message: `has no Deployment "${scenario.workload.deployment}" (workload.deployment)` });
    }
    if (solution && JSON.stringify(notQuiteFix) === JSON.stringify(solution)) {
      problems.push({ file, scenario: dirName, message: 'is identical to the reference solution; it must be a wrong fix that verify rejects' });
    }
  }
  if (!broken || !solution || problems.length) return { problems };
  return { entry: { scenario, broken, solution, notQuiteFix, files }, problems };
}

interface CheckContext {
  id: string;
  scenarioFile: string;
  scenario: Scenario;
}

/**
 * What the scenario says about a manifest must be true of it: the workload Deployment and its
 * containers exist, and every guard holds (the broken workload contains the thing under test,
 * and so does the reference fix).
 */
function crossCheck(context: CheckContext, file: string, objects: K8sObject[], which: 'broken' | 'solution'): CatalogProblem[] {
  const { id, scenarioFile, scenario } = context;
  const problems: CatalogProblem[] = [];
  const problem = (path: string, message: string, where = scenarioFile) => problems.push({ file: where, scenario: id, path, message });
  const name = scenario.workload.deployment;
  const deployment = findDeployment(objects, name);
  if (!deployment) {
    problem('workload.deployment', `no Deployment "${name}" in ${file}`);
    return problems;
  }
  if (!deployment.spec?.template?.spec?.containers?.length) {
    problems.push({ file, scenario: id, path: `Deployment/${name}: spec.template.spec.containers`, message: 'must list at least one container' });
    return problems;
  }
  if (!findContainer(deployment, scenario.workload.container)) problem('workload.container', `no container "${scenario.workload.container}" in Deployment ${name} of ${file}`);
  if (which === 'broken' && !findContainer(deployment, scenario.expect.container)) problem('expect.container', `no container "${scenario.expect.container}" in Deployment ${name} of ${file}`);
  if (which === 'solution' && scenario.verify.deployment !== name) {
    problem('verify.deployment', `"${scenario.verify.deployment}" must be the workload's Deployment "${name}"`);
  }
  evaluateGuards(scenario.guards, deployment.spec.template.spec).forEach((result, index) => {
    if (!result.ok) problem(`guards.${index}`, `does not hold on ${file}: ${result.message.en}`);
  });
  return problems;
}
