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
import { deployProblems, findContainer, findWorkload, parseManifest, yamlErrorProblem, type ManifestProblem } from '../core/manifest.js';
import { parseScenario, type Scenario } from '../core/scenario.js';
import { offlineDiagnosisMismatch } from '../core/scenarioDiagnosis.js';
import { scenarioFieldRules, scenarioRules, type RuleProblem } from '../core/scenarioRules.js';
import { evaluateGuards } from '../core/verify/guards.js';
import { locateYamlPath } from '../core/yamlLocate.js';
import { PortError } from '../ports/errors.js';
import type { Catalog, CatalogEntry, CatalogProblem, ScenarioFiles, SourceFs } from './catalogTypes.js';

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

/**
 * The folders in dir, symlinks followed (a scenario linked in from elsewhere is a scenario);
 * anything else is said in `skipped` (relative path + why), never silently left out.
 */
async function listDirs(dir: string, root: string, skipped?: CatalogProblem[]): Promise<string[] | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const dirs: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) {
      dirs.push(e.name);
      continue;
    }
    const file = relativePath(root, join(dir, e.name));
    if (e.isSymbolicLink()) {
      const target = await stat(join(dir, e.name)).catch(() => undefined);
      if (target?.isDirectory()) dirs.push(e.name);
      else skipped?.push({ file, message: target ? 'skipped: a link to a file, not to a scenario folder' : 'skipped: a link to nothing (its target does not exist)' });
      continue;
    }
    if (!e.name.startsWith('.') && !/^readme(\.md)?$/i.test(e.name)) skipped?.push({ file, message: 'skipped: not a folder (each scenario is a folder named after its id)' });
  }
  return dirs.sort();
}

export async function loadCatalogSources(root: string, fs: SourceFs = { readFile: fsReadFile }): Promise<Catalog> {
  const scenariosDir = join(root, 'scenarios');
  let rootStat;
  try {
    rootStat = await stat(scenariosDir);
  } catch (error) {
    throw new PortError('catalog', 'unreadable', `cannot read scenarios in ${root}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no scenarios/ directory' : (error as Error).message}`);
  }
  if (!rootStat.isDirectory()) throw new PortError('catalog', 'unreadable', `cannot read scenarios in ${root}: scenarios is not a directory`);

  const problems: CatalogProblem[] = [];
  const warnings: CatalogProblem[] = [];
  const bundles: CatalogEntry[] = [];
  let ids: string[];
  try {
    ids = (await listDirs(scenariosDir, root, warnings)) ?? [];
  } catch (error) {
    throw new PortError('catalog', 'unreadable', `cannot read scenarios in ${root}: ${unreadable(error).replace('cannot read the file: ', '')}`);
  }
  for (const id of ids) {
    const loaded = await loadOne(root, id, fs);
    problems.push(...loaded.problems);
    warnings.push(...loaded.warnings);
    if (loaded.entry && loaded.problems.length === 0) bundles.push(loaded.entry);
  }
  const solutionDirs = await listDirs(join(root, 'solutions'), root, warnings).catch((error: unknown) => {
    problems.push({ file: 'solutions', message: unreadable(error).replace('the file', 'the folder') });
    return [];
  });
  for (const orphan of (solutionDirs ?? []).filter((d) => !ids.includes(d))) {
    problems.push({ file: `solutions/${orphan}`, scenario: orphan, message: `no scenario for this solution (scenarios/${orphan}/scenario.yaml is missing)` });
  }
  bundles.sort((a, b) => a.scenario.order - b.scenario.order || a.scenario.id.localeCompare(b.scenario.id));
  return { root, scenarios: bundles.map((b) => b.scenario), bundles, problems, warnings };
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

async function loadOne(root: string, dirName: string, fs: SourceFs): Promise<{ entry?: CatalogEntry; problems: CatalogProblem[]; warnings: CatalogProblem[] }> {
  const problems: CatalogProblem[] = [];
  const warnings: CatalogProblem[] = [];
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
      else problems.push(...parsed.problems.map((p) => ({ file: scenarioFile, scenario: dirName, ...at(p.path), path: p.path, message: p.message })));
    }
  }
  /** Where a dotted field path of scenario.yaml is written (or its nearest parent). */
  function at(path: string): { line?: number; column?: number } {
    if (!('text' in read) || path === '(top level)') return {};
    return locateYamlPath(read.text, path.split('.')) ?? {};
  }
  if (scenario && scenario.id !== dirName) {
    problems.push({ file: scenarioFile, scenario: dirName, ...at('id'), path: 'id', message: `"${scenario.id}" must equal the directory name "${dirName}"`, hint: `write id: ${dirName}, or rename the folder` });
  }

  const broken = await readManifest(root, files.manifest, dirName, problems, true, fs);
  const solution = await readManifest(root, files.solution, dirName, problems, true, fs);
  const notQuitePath = join(root, 'solutions', dirName, 'not-quite-fix.yaml');
  const notQuiteFix = await readManifest(root, notQuitePath, dirName, problems, false, fs);
  if (notQuiteFix) files.notQuiteFix = notQuitePath;
  // More wrong fixes: solutions/<id>/not-quite-fix-<name>.yaml, all of which must fail verify.
  const notQuiteFixes: { name: string; objects: K8sObject[]; path: string }[] = notQuiteFix ? [{ name: 'not-quite-fix', objects: notQuiteFix, path: notQuitePath }] : [];
  const extraNames = (await readdir(join(root, 'solutions', dirName)).catch(() => [] as string[])).filter((f) => /^not-quite-fix-[a-z0-9-]+\.yaml$/.test(f)).sort();
  for (const name of extraNames) {
    const path = join(root, 'solutions', dirName, name);
    const objects = await readManifest(root, path, dirName, problems, false, fs);
    if (objects) notQuiteFixes.push({ name: name.replace(/\.yaml$/, ''), objects, path });
  }
  if (notQuiteFixes.length) files.notQuiteFixes = notQuiteFixes.map((n) => n.path);
  const previousPath = join(root, 'scenarios', dirName, 'previous.yaml');
  const previous = await readManifest(root, previousPath, dirName, problems, false, fs);
  if (previous) files.previous = previousPath;

  const readme = await readSource(fs, files.readme);
  const readmeFile = relativePath(root, files.readme);
  if ('missing' in readme) problems.push({ file: readmeFile, scenario: dirName, message: 'file is missing' });
  else if ('error' in readme) problems.push({ file: readmeFile, scenario: dirName, message: readme.error });
  else if (!/[\uac00-\ud7a3]/.test(readme.text)) problems.push({ file: readmeFile, scenario: dirName, message: 'has no Korean text (the explanation is written in English, then Korean)' });
  else if (/\bTODO\b/.test(readme.text)) problems.push({ file: readmeFile, scenario: dirName, message: 'is still a placeholder (TODO)', hint: 'explain why it broke, why the fix is right and why the not-quite-fix is not, in English then Korean' });

  if (!scenario) return { problems, warnings };
  const context = { root, id: dirName, scenarioFile, scenario, at };
  if (broken) problems.push(...crossCheck(context, relativePath(root, files.manifest), broken, 'broken'));
  if (solution) problems.push(...crossCheck(context, relativePath(root, files.solution), solution, 'solution'));
  for (const wrong of notQuiteFixes) {
    if (!findWorkload(wrong.objects, scenario.workload.kind, scenario.workload.name)) {
      problems.push({ file: relativePath(root, wrong.path), scenario: dirName, message: `has no ${scenario.workload.kind} "${scenario.workload.name}" (${workloadField(scenario)})` });
    }
  }
  const fileOf = (which: RuleProblem['file']) =>
    which === 'scenario' ? scenarioFile : which === 'broken' ? relativePath(root, files.manifest) : which === 'solution' ? relativePath(root, files.solution) : which === 'previous' ? relativePath(root, previousPath) : relativePath(root, notQuiteFixes[which.notQuiteFix].path);
  // Every rule in one pass: those over scenario.yaml alone even when a manifest is missing.
  const rules = broken && solution ? scenarioRules({ scenario, broken, solution, notQuiteFixes: notQuiteFixes.map((n) => n.objects), previous }) : scenarioFieldRules(scenario);
  for (const rule of rules) {
    const path = Array.isArray(rule.path) ? rule.path.join('.') : rule.path;
    const where = rule.file === 'scenario' && path ? at(path) : {};
    (rule.severity === 'error' ? problems : warnings).push({ file: fileOf(rule.file), scenario: dirName, ...where, ...(path ? { path } : {}), message: rule.message, ...(rule.hint ? { hint: rule.hint } : {}) });
  }
  if (broken && solution) {
    const named = offlineDiagnosisMismatch(scenario, findWorkload(broken, scenario.workload.kind, scenario.workload.name)?.spec?.template?.spec);
    if (named) {
      warnings.push({ file: scenarioFile, scenario: dirName, ...at('category'), path: 'category', message: `offline diagnosis of what expect: describes names ${named}, not ${scenario.category}`, hint: 'make expect: (lastTerminated, events, previousLog) carry the evidence of the cause, or teach diagnosis the log line in the pack\'s signatures.json' });
    }
  }
  if (previous && !findWorkload(previous, scenario.workload.kind, scenario.workload.name)) {
    problems.push({ file: relativePath(root, previousPath), scenario: dirName, message: `has no ${scenario.workload.kind} "${scenario.workload.name}" (${workloadField(scenario)}): the history must be of the same workload` });
  }
  if (!broken || !solution || problems.length) return { problems, warnings };
  return {
    entry: { scenario, broken, solution, notQuiteFix, ...(notQuiteFixes.length ? { notQuiteFixes: notQuiteFixes.map(({ name, objects }) => ({ name, objects })) } : {}), previous, files },
    problems,
    warnings,
  };
}

/** The scenario.yaml field that names the workload, for messages. */
function workloadField(scenario: Scenario): string {
  return scenario.workload.kind === 'Deployment' ? 'workload.deployment' : 'workload.name';
}

interface CheckContext {
  id: string;
  scenarioFile: string;
  scenario: Scenario;
  at: (path: string) => { line?: number; column?: number };
}

/**
 * What the scenario says about a manifest must be true of it: the workload (its kind and name) and its
 * containers exist, and every guard holds (the broken workload contains the thing under test,
 * and so does the reference fix).
 */
function crossCheck(context: CheckContext, file: string, objects: K8sObject[], which: 'broken' | 'solution'): CatalogProblem[] {
  const { id, scenarioFile, scenario } = context;
  const problems: CatalogProblem[] = [];
  const problem = (path: string, message: string, where = scenarioFile) => problems.push({ file: where, scenario: id, ...(where === scenarioFile ? context.at(path) : {}), path, message });
  const { kind, name } = scenario.workload;
  const field = workloadField(scenario);
  const workload = findWorkload(objects, kind, name);
  if (!workload) {
    problem(field, `no ${kind} "${name}" in ${file}`);
    return problems;
  }
  if (!workload.spec?.template?.spec?.containers?.length) {
    problems.push({ file, scenario: id, path: `${kind}/${name}: spec.template.spec.containers`, message: 'must list at least one container' });
    return problems;
  }
  if (!findContainer(workload, scenario.workload.container)) problem('workload.container', `no container "${scenario.workload.container}" in ${kind} ${name} of ${file}`);
  if (which === 'broken' && !findContainer(workload, scenario.expect.container)) problem('expect.container', `no container "${scenario.expect.container}" in ${kind} ${name} of ${file}`);
  if (which === 'solution' && scenario.verify.deployment !== name) {
    problem('verify.deployment', `"${scenario.verify.deployment}" must be the workload's ${kind} "${name}"`);
  }
  evaluateGuards(scenario.guards, workload.spec.template.spec).forEach((result, index) => {
    if (!result.ok) problem(`guards.${index}`, `does not hold on ${file}: ${result.message.en}`);
  });
  return problems;
}
