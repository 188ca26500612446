/**
 * The scenario sources on disk: scenarios/<id>/{scenario.yaml,manifest.yaml} and
 * solutions/<id>/{manifest.yaml,not-quite-fix.yaml,README.md}. Loading validates every file
 * and cross-checks them (the workload exists in both manifests, every guard holds on both),
 * so a broken scenario is reported with its file, field path and reason instead of failing
 * halfway through a lab. A file that cannot be read is that scenario's problem, never the
 * catalog's. `validate` and the build (scripts/compile-catalog.mjs) use this; a command at run
 * time reads the compiled catalog (scenarios.ts), which is why this module may be slow to load.
 */
import { readdir, readFile as fsReadFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';
import type { K8sObject } from '../core/k8s.js';
import { deployProblems, findContainer, findDeployment, parseManifest, yamlErrorProblem, type ManifestProblem } from '../core/manifest.js';
import { parseScenario, type Scenario } from '../core/scenario.js';
import { evaluateGuards } from '../core/verify/guards.js';
import { CatalogError, type Catalog, type CatalogEntry, type CatalogProblem, type ScenarioFiles, type SourceFs } from './catalogTypes.js';

/** An errno in words: "permission denied (EACCES)". */
function unreadable(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const words: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'it is a folder, not a file', EIO: 'input/output error' };
  return `cannot read the file: ${e.code && words[e.code] ? `${words[e.code]} (${e.code})` : e.message}`;
}

/** The text, undefined when missing, or the problem that stopped reading it. */
type Read = { text: string } | { missing: true } | { error: string };

async function readSource(fs: SourceFs, file: string): Promise<Read> {
  try {
    return { text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { error: unreadable(error) };
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

export async function loadCatalogSources(root: string, fs: SourceFs = { readFile: fsReadFile }): Promise<Catalog> {
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
  let ids: string[];
  try {
    ids = (await listDirs(scenariosDir)) ?? [];
  } catch (error) {
    throw new CatalogError(`cannot read scenarios in ${root}: ${unreadable(error).replace('cannot read the file: ', '')}`);
  }
  for (const id of ids) {
    const loaded = await loadOne(root, id, fs);
    problems.push(...loaded.problems);
    if (loaded.entry && loaded.problems.length === 0) bundles.push(loaded.entry);
  }
  const solutionDirs = await listDirs(join(root, 'solutions')).catch((error: unknown) => {
    problems.push({ file: 'solutions', message: unreadable(error).replace('the file', 'the folder') });
    return [];
  });
  for (const orphan of (solutionDirs ?? []).filter((d) => !ids.includes(d))) {
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
async function readManifest(root: string, path: string, scenario: string, problems: CatalogProblem[], required: boolean, fs: SourceFs): Promise<K8sObject[] | undefined> {
  const file = relativePath(root, path);
  const read = await readSource(fs, path);
  if ('missing' in read) {
    if (required) problems.push({ file, scenario, message: 'file is missing' });
    return undefined;
  }
  if ('error' in read) {
    problems.push({ file, scenario, message: read.error });
    return undefined;
  }
  const parsed = parseManifest(read.text);
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

async function loadOne(root: string, dirName: string, fs: SourceFs): Promise<{ entry?: CatalogEntry; problems: CatalogProblem[] }> {
  const problems: CatalogProblem[] = [];
  const files: ScenarioFiles = {
    scenario: join(root, 'scenarios', dirName, 'scenario.yaml'),
    manifest: join(root, 'scenarios', dirName, 'manifest.yaml'),
    solution: join(root, 'solutions', dirName, 'manifest.yaml'),
    readme: join(root, 'solutions', dirName, 'README.md'),
  };
  const scenarioFile = relativePath(root, files.scenario);

  let scenario: Scenario | undefined;
  const read = await readSource(fs, files.scenario);
  if ('missing' in read) {
    problems.push({ file: scenarioFile, scenario: dirName, message: 'file is missing' });
  } else if ('error' in read) {
    problems.push({ file: scenarioFile, scenario: dirName, message: read.error });
  } else {
    let raw: unknown;
    let readable = true;
    try {
      raw = yaml.load(read.text);
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

  const broken = await readManifest(root, files.manifest, dirName, problems, true, fs);
  const solution = await readManifest(root, files.solution, dirName, problems, true, fs);
  const notQuitePath = join(root, 'solutions', dirName, 'not-quite-fix.yaml');
  const notQuiteFix = await readManifest(root, notQuitePath, dirName, problems, false, fs);
  if (notQuiteFix) files.notQuiteFix = notQuitePath;
  const previousPath = join(root, 'scenarios', dirName, 'previous.yaml');
  const previous = await readManifest(root, previousPath, dirName, problems, false, fs);
  if (previous) files.previous = previousPath;

  const readme = await readSource(fs, files.readme);
  const readmeFile = relativePath(root, files.readme);
  if ('missing' in readme) problems.push({ file: readmeFile, scenario: dirName, message: 'file is missing' });
  else if ('error' in readme) problems.push({ file: readmeFile, scenario: dirName, message: readme.error });
  else if (!/[\uac00-\ud7a3]/.test(readme.text)) problems.push({ file: readmeFile, scenario: dirName, message: 'has no Korean text (the explanation is written in English, then Korean)' });

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
  if (previous && !findDeployment(previous, scenario.workload.deployment)) {
    problems.push({ file: relativePath(root, previousPath), scenario: dirName, message: `has no Deployment "${scenario.workload.deployment}" (workload.deployment): the history must be of the same workload` });
  }
  if (!broken || !solution || problems.length) return { problems };
  return { entry: { scenario, broken, solution, notQuiteFix, previous, files }, problems };
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
