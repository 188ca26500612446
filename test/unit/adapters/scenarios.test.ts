import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import { MAX_FIRST_SYMPTOM_SECONDS } from '../../../src/core/scenario.js';
import { PortError } from '../../../src/ports/errors.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/scenarios/catalog', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the valid fixture catalog, so each test can break one file. */
function catalogCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-catalog-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Loads a YAML file of the copy, lets the test change it, writes it back. */
function edit(root: string, file: string, change: (doc: Record<string, any>) => void): void {
  const path = join(root, file);
  const doc = yaml.load(readFileSync(path, 'utf8')) as Record<string, any>;
  change(doc);
  writeFileSync(path, yaml.dump(doc));
}

async function problemsOf(root: string): Promise<string[]> {
  return (await loadCatalog(root)).problems.map(formatProblem);
}

/** A problem of scenario.yaml as formatted, at some line and column (the exact place is tested once, below). */
function at(text: string): unknown {
  const [file, rest] = [text.slice(0, text.indexOf(': ')), text.slice(text.indexOf(': ') + 2)];
  return expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: ${rest.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
}

describe('the fixture catalog', () => {
  it('is valid, so every other test here fails for the one reason it introduces', async () => {
    const catalog = await loadCatalog(catalogCopy());
    expect(catalog.problems).toEqual([]);
    expect(catalog.scenarios.map((s) => s.id)).toEqual(['tiny']);
    expect(catalog.bundles[0].solution[0].kind).toBe('Deployment');
  });
});

describe('schema problems name the file, the field path and what is wrong', () => {
  it('missing Korean text', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => delete d.hints[1].ko);
    expect(await problemsOf(root)).toEqual([at('scenarios/tiny/scenario.yaml: hints.1.ko: missing (required: string)')]);
  });

  it('unknown category', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.category = 'disk-full'));
    const problems = await problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^scenarios\/tiny\/scenario\.yaml:\d+:1: category: "disk-full" is not one of the allowed values: app-exception, bad-command, /);
  });

  it('bad duration', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.verify.crashWithin = '10 seconds'));
    expect(await problemsOf(root)).toContainEqual(at('scenarios/tiny/scenario.yaml: verify.crashWithin: must be a duration like 45s, 2m or 1m30s'));
  });

  it('unknown guard kind', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.guards[0].kind = 'noPrivileged'));
    const problems = await problemsOf(root);
    expect(problems).toEqual([
      at("scenarios/tiny/scenario.yaml: guards.0.kind: Invalid discriminator value. Expected 'probe' | 'readOnlyRootFilesystem' | 'runAsNonRoot' | 'resourceLimit' | 'secretKeyRef' | 'image' | 'command'"),
    ]);
  });

  it('a first symptom later than 30 s: a learner must not sit waiting', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.expect.firstSymptomWithin = '45s'));
    expect(await problemsOf(root)).toEqual([
      at('scenarios/tiny/scenario.yaml: expect.firstSymptomWithin: must be at most 30s: a learner must not sit waiting for the first symptom'),
    ]);
  });

  it('shared defaults to false; an absent firstSymptomWithin means the 30 s maximum', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => {
      delete d.shared;
      delete d.expect.firstSymptomWithin;
    });
    const [tiny] = (await loadCatalog(root)).scenarios;
    expect(tiny.shared).toBe(false);
    expect(tiny.expect.firstSymptomWithin ?? MAX_FIRST_SYMPTOM_SECONDS).toBe(30);
  });

  it('shared must be a boolean', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.shared = 'yes'));
    expect(await problemsOf(root)).toEqual([at('scenarios/tiny/scenario.yaml: shared: Invalid input: expected boolean, received string')]);
  });

  it('a field the schema does not know', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.verify.windw = '30s'));
    expect(await problemsOf(root)).toEqual([at('scenarios/tiny/scenario.yaml: verify: Unrecognized key: "windw"')]);
  });

  it('an id that is not the directory name', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.id = 'small'));
    expect(await problemsOf(root)).toEqual([at('scenarios/tiny/scenario.yaml: id: "small" must equal the directory name "tiny"; write id: tiny, or rename the folder')]);
  });
});

describe('file problems', () => {
  it('malformed YAML names the file and the line', async () => {
    const root = catalogCopy();
    const path = join(root, 'scenarios/tiny/scenario.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('difficulty: easy', 'difficulty: easy\n  order: [5'));
    const problems = await problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^scenarios\/tiny\/scenario\.yaml:\d+:\d+: /);
  });

  it('malformed manifest names the file and the line', async () => {
    const root = catalogCopy();
    writeFileSync(join(root, 'solutions/tiny/manifest.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiny\n   spec: {}\n');
    expect(await problemsOf(root)).toEqual(['solutions/tiny/manifest.yaml:5:8: bad indentation of a mapping entry']);
  });

  it('a missing solution and README', async () => {
    const root = catalogCopy();
    rmSync(join(root, 'solutions/tiny'), { recursive: true });
    expect(await problemsOf(root)).toEqual(['solutions/tiny/manifest.yaml: file is missing', 'solutions/tiny/README.md: file is missing']);
  });

  it('a README without the Korean half', async () => {
    const root = catalogCopy();
    writeFileSync(join(root, 'solutions/tiny/README.md'), '# tiny\n\nEnglish only.\n');
    expect(await problemsOf(root)).toEqual(['solutions/tiny/README.md: has no Korean text (the explanation is written in English, then Korean)']);
  });

  it('a solution without a scenario', async () => {
    const root = catalogCopy();
    mkdirSync(join(root, 'solutions/ghost'));
    expect(await problemsOf(root)).toEqual(['solutions/ghost: no scenario for this solution (scenarios/ghost/scenario.yaml is missing)']);
  });

  it('a manifest that sets its own namespace', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/manifest.yaml', (d) => (d.metadata.namespace = 'default'));
    expect(await problemsOf(root)).toEqual([
      'scenarios/tiny/manifest.yaml: document 1: metadata.namespace: Deployment/tiny sets namespace "default"; scenario objects carry no namespace (it is injected at deploy time)',
    ]);
  });

  it('an unreadable root is an error, not a problem list', async () => {
    await expect(loadCatalog(join(tmpdir(), 'crashlab-no-such-dir'))).rejects.toMatchObject({ port: 'catalog', kind: 'unreadable' });
    await expect(loadCatalog(join(tmpdir(), 'crashlab-no-such-dir'))).rejects.toThrow(/no scenarios\/ directory/);
  });
});

describe('cross-checks between scenario.yaml and the manifests', () => {
  it('the workload Deployment must exist in the solution', async () => {
    const root = catalogCopy();
    edit(root, 'solutions/tiny/manifest.yaml', (d) => (d.metadata.name = 'tiny-v2'));
    expect(await problemsOf(root)).toContainEqual(at('scenarios/tiny/scenario.yaml: workload.deployment: no Deployment "tiny" in solutions/tiny/manifest.yaml'));
  });

  it('the workload container must exist in the broken manifest', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/manifest.yaml', (d) => (d.spec.template.spec.containers[0].name = 'main'));
    const problems = await problemsOf(root);
    expect(problems).toContainEqual(at('scenarios/tiny/scenario.yaml: workload.container: no container "app" in Deployment tiny of scenarios/tiny/manifest.yaml'));
    expect(problems).toContainEqual(at('scenarios/tiny/scenario.yaml: expect.container: no container "app" in Deployment tiny of scenarios/tiny/manifest.yaml'));
  });

  it('a history (previous.yaml) must hold the workload Deployment', async () => {
    const root = catalogCopy();
    writeFileSync(join(root, 'scenarios/tiny/previous.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec: {}\n');
    expect(await problemsOf(root)).toContain('scenarios/tiny/previous.yaml: has no Deployment "tiny" (workload.deployment): the history must be of the same workload');
  });

  it('a history (previous.yaml) is loaded with the scenario', async () => {
    const root = catalogCopy();
    cpSync(join(root, 'solutions/tiny/manifest.yaml'), join(root, 'scenarios/tiny/previous.yaml'));
    // A rollout over a history keeps two pods (one old, one new) in every manifest.
    for (const file of ['scenarios/tiny/manifest.yaml', 'solutions/tiny/manifest.yaml', 'scenarios/tiny/previous.yaml']) edit(root, file, (d) => (d.spec.replicas = 2));
    const catalog = await loadCatalog(root);
    expect(catalog.problems).toEqual([]);
    expect(catalog.bundles[0].previous?.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Deployment/tiny');
  });

  it('every guard must hold on the reference solution', async () => {
    const root = catalogCopy();
    edit(root, 'solutions/tiny/manifest.yaml', (d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false));
    const problems = await problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^scenarios\/tiny\/scenario\.yaml:\d+:\d+: guards\.0: does not hold on solutions\/tiny\/manifest\.yaml: readOnlyRootFilesystem on container app is false/);
  });

  it('every guard must hold on the broken manifest (it contains the thing under test)', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/manifest.yaml', (d) => delete d.spec.template.spec.containers[0].securityContext);
    expect((await problemsOf(root))[0]).toMatch(/guards\.0: does not hold on scenarios\/tiny\/manifest\.yaml: readOnlyRootFilesystem on container app is no longer set/);
  });

  it('verify.deployment must be the workload', async () => {
    const root = catalogCopy();
    edit(root, 'scenarios/tiny/scenario.yaml', (d) => (d.verify.deployment = 'other'));
    expect(await problemsOf(root)).toEqual([at('scenarios/tiny/scenario.yaml: verify.deployment: "other" must be the workload\'s Deployment "tiny"')]);
  });

  it('a not-quite-fix identical to the solution is refused', async () => {
    const root = catalogCopy();
    cpSync(join(root, 'solutions/tiny/manifest.yaml'), join(root, 'solutions/tiny/not-quite-fix.yaml'));
    expect(await problemsOf(root)).toEqual(['solutions/tiny/not-quite-fix.yaml: is identical to the solution; a not-quite-fix must be a plausible wrong fix that verify rejects, different from both']);
  });

  it('an invalid scenario is left out of the catalog, the valid ones stay', async () => {
    const root = catalogCopy();
    cpSync(join(root, 'scenarios/tiny'), join(root, 'scenarios/tiny2'), { recursive: true });
    cpSync(join(root, 'solutions/tiny'), join(root, 'solutions/tiny2'), { recursive: true });
    edit(root, 'scenarios/tiny2/scenario.yaml', (d) => {
      d.id = 'tiny2';
      d.order = 1;
    });
    expect((await loadCatalog(root)).scenarios.map((s) => s.id)).toEqual(['tiny2', 'tiny']);
    edit(root, 'scenarios/tiny2/scenario.yaml', (d) => delete d.title);
    const catalog = await loadCatalog(root);
    expect(catalog.scenarios.map((s) => s.id)).toEqual(['tiny']);
    expect(catalog.problems.map((p) => p.scenario)).toEqual(['tiny2']);
  });
});

describe('packageRoot', () => {
  it('finds the repository from the module, whatever the working directory', () => {
    expect(packageRoot()).toBe(resolve(fileURLToPath(new URL('../../..', import.meta.url))));
  });
});
