/**
 * The one rule set (src/core/scenario.ts + src/core/scenarioRules.ts) as `crashlab validate`
 * applies it: one test per check, each on a copy of the valid fixture pack with one defect, and
 * one test that every defect the issue lists is reported in a single pass.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadCatalog } from '../../../src/adapters/scenarios.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/scenarios/catalog', import.meta.url));
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-rules-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Text edit, so line numbers stay those of the fixture as written. */
function replace(root: string, file: string, from: string, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(path, text.replace(from, to));
}

function edit(root: string, file: string, change: (doc: Record<string, any>) => void): void {
  const path = join(root, file);
  const doc = yaml.load(readFileSync(path, 'utf8')) as Record<string, any>;
  change(doc);
  writeFileSync(path, yaml.dump(doc));
}

async function problems(root: string): Promise<string[]> {
  return (await loadCatalog(root)).problems.map(formatProblem);
}
async function warnings(root: string): Promise<string[]> {
  return (await loadCatalog(root)).warnings.map(formatProblem);
}

const SCENARIO = 'scenarios/tiny/scenario.yaml';
const lineOf = (root: string, file: string, needle: string) => readFileSync(join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('scenario.yaml rules, each at file:line:column with what to write instead', () => {
  it('exactly three hints', async () => {
    const root = pack();
    replace(root, SCENARIO, '  - {en: Third hint., ko: 세 번째 힌트.}\n', '');
    expect(await problems(root)).toEqual([`${SCENARIO}:${lineOf(root, SCENARIO, 'hints:')}:1: hints: has 2 hint(s); the lab reveals and scores exactly 3 one by one; write three: a nudge, the evidence, the fix`]);
  });

  it('Korean text under ko (English copied there is refused)', async () => {
    const root = pack();
    replace(root, SCENARIO, 'ko: 두 번째 힌트.', 'ko: Second hint.');
    expect(await problems(root)).toEqual([
      // The text sits in a flow mapping on the item's line: the item is where to look.
      `${SCENARIO}:${lineOf(root, SCENARIO, 'Second hint.')}:3: hints.1.ko: has no Korean (Hangul) text; write the Korean translation here (합니다체; keep Kubernetes object names in English)`,
    ]);
  });

  it('STATUS values kubectl really prints', async () => {
    const root = pack();
    replace(root, SCENARIO, '  waitingReasons: [CrashLoopBackOff]', '  waitingReasons: [CrashLoopBackOff]\n  podStatuses: [CrashLoop, Init:CrashLoopBackOff, Init:0/1]');
    const [problem, ...rest] = await problems(root);
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${SCENARIO}:${lineOf(root, SCENARIO, 'podStatuses')}:3: expect\\.podStatuses\\.0: "CrashLoop" is not a STATUS kubectl prints; use one of: CrashLoopBackOff, `));
  });

  it('event reasons, waiting reasons and terminated reasons from the known sets', async () => {
    const root = pack();
    replace(root, SCENARIO, '  waitingReasons: [CrashLoopBackOff]', '  waitingReasons: [CrashLoopBackoff]\n  events: [BackOff, OOMKill]');
    replace(root, SCENARIO, 'reason: Error,', 'reason: Crashed,');
    const found = await problems(root);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/expect\.waitingReasons\.0: "CrashLoopBackoff" is not a waiting reason Kubernetes reports; use one of: CrashLoopBackOff/);
    expect(found[2]).toMatch(/expect\.lastTerminated\.reason: "Crashed" is not a terminated reason Kubernetes reports; use one of: Error, Completed, OOMKilled/);
    expect(found[1]).toMatch(/expect\.events\.1: "OOMKill" is not a pod event reason Kubernetes reports; use one of: BackOff/);
  });

  it('within is at least firstSymptomWithin', async () => {
    const root = pack();
    replace(root, SCENARIO, '  within: 60s', '  within: 10s\n  firstSymptomWithin: 20s');
    expect(await problems(root)).toEqual([
      `${SCENARIO}:${lineOf(root, SCENARIO, 'within: 10s')}:3: expect.within: 10s is shorter than firstSymptomWithin (20s): the whole signature cannot show before its first symptom; write within: 20s or more`,
    ]);
  });

  it('regular expressions compile', async () => {
    const root = pack();
    replace(root, SCENARIO, 'previousLog: "Read-only file system"', 'previousLog: "Read-only file system (errno"');
    const [problem] = await problems(root);
    expect(problem).toMatch(/expect\.previousLog: is a regular expression and does not compile: .*Unterminated group; escape \( \) \[ \] \. \? \+ \* with a backslash/);
  });

  it('a regular expression that reads as text gets a warning saying it is one', async () => {
    const root = pack();
    replace(root, SCENARIO, 'previousLog: "Read-only file system"', 'previousLog: "Read-only file system (errno 30)"');
    expect(await problems(root)).toEqual([]);
    expect(await warnings(root)).toEqual([
      `${SCENARIO}:${lineOf(root, SCENARIO, 'previousLog')}:3: expect.previousLog: is a regular expression: in "Read-only file system (errno 30)", ( ) [ ] ? + * are operators, not the characters themselves (it does not even match its own text); escape them to match literally, e.g. Read-only file system \\(errno 30\\)`,
    ]);
  });

  it('a regular expression written as one (escapes, .*, ranges) gets no warning', async () => {
    const root = pack();
    replace(root, SCENARIO, 'previousLog: "Read-only file system"', "previousLog: 'Read-only file system \\(errno [0-9]+\\).*'");
    expect(await warnings(root)).toEqual([]);
  });

  it('the offline diagnosis check warns, quoting what diagnosis named instead', async () => {
    const root = pack();
    replace(root, SCENARIO, 'previousLog: "Read-only file system"', 'previousLog: "starting"');
    expect(await problems(root)).toEqual([]);
    const [warning] = await warnings(root);
    expect(warning).toMatch(new RegExp(`^${SCENARIO}:3:1: category: offline diagnosis of what expect: describes names app-exception \\(The app exits with code 1`));
    expect(warning).toContain('not read-only-fs');
  });
});

describe('rules over the manifests', () => {
  it('images: pinned, :latest refused', async () => {
    const root = pack();
    replace(root, SCENARIO, 'images: [busybox:1.36]', 'images: [busybox:latest]');
    replace(root, 'scenarios/tiny/manifest.yaml', 'image: busybox:1.36', 'image: busybox:latest');
    const found = await problems(root);
    expect(found).toContain(`${SCENARIO}:${lineOf(root, SCENARIO, 'images:')}:1: images.0: "busybox:latest" uses :latest: the node caches whichever image it pulled first, so rooms would not run the same thing; pin a version tag, e.g. busybox:1.36`);
    expect(found).toContain('solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.containers.0.image: runs busybox:1.36, which scenario.yaml does not declare under images:; add busybox:1.36 to images: in scenario.yaml (workshops pre-load what it lists)');
  });

  it('images: an untagged image is refused, a declared image nobody runs too', async () => {
    const root = pack();
    replace(root, SCENARIO, 'images: [busybox:1.36]', 'images: [busybox:1.36, nginx:1.27]');
    replace(root, 'solutions/tiny/manifest.yaml', 'image: busybox:1.36', 'image: busybox');
    const found = await problems(root);
    expect(found).toContain('solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.containers.0.image: "busybox" has no tag: the node would pull :latest, whatever it is that day; pin a version tag, e.g. busybox:1.36, and list it under images: in scenario.yaml');
    expect(found).toContain(`${SCENARIO}:${lineOf(root, SCENARIO, 'images:')}:1: images.1: nginx:1.27 is declared but no manifest runs it; remove it, or use it in a manifest`);
  });

  it('foreignArch: known architectures, digests, each listed under images; one variant in a manifest uses them all', async () => {
    const AMD = 'busybox@sha256:907ca53d7e2947e849b839b1cd258c98fd3916c60f2e6e70c30edbf741ab6754';
    const ARM = 'busybox@sha256:5e42fbc46b177f10319e8937dd39702e7891ce6d8a42d60c1b4f433f94200bd2';
    const root = pack();
    replace(root, SCENARIO, 'images: [busybox:1.36]', `images: [busybox:1.36, "${AMD}", "${ARM}"]\nforeignArch: {amd64: "${AMD}", arm64: "${ARM}"}`);
    replace(root, 'scenarios/tiny/manifest.yaml', 'image: busybox:1.36', `image: "${ARM}"`);
    expect(await problems(root)).toEqual([]);

    const bad = pack();
    replace(bad, SCENARIO, 'images: [busybox:1.36]', `images: [busybox:1.36, "${ARM}"]\nforeignArch: {amd64: "busybox:1.36", arm: "${AMD}", sparc: "${ARM}"}`);
    replace(bad, 'scenarios/tiny/manifest.yaml', 'image: busybox:1.36', `image: "${ARM}"`);
    const found = (await problems(bad)).join('\n');
    expect(found).toContain('foreignArch.amd64: "busybox:1.36" is not pinned by digest');
    expect(found).toContain(`foreignArch.arm: ${AMD} is not listed under images:`);
    expect(found).toContain('foreignArch.sparc: "sparc" is not an architecture nodes report');
  });

  it('solution, broken manifest and every not-quite-fix pairwise different', async () => {
    const root = pack();
    cpSync(join(root, 'scenarios/tiny/manifest.yaml'), join(root, 'solutions/tiny/manifest.yaml'));
    cpSync(join(root, 'scenarios/tiny/manifest.yaml'), join(root, 'solutions/tiny/not-quite-fix-delete-probe.yaml'));
    const found = await problems(root);
    expect(found).toContain('solutions/tiny/manifest.yaml: is identical to the broken manifest; the solution must remove the fault');
    expect(found).toContain('solutions/tiny/not-quite-fix-delete-probe.yaml: is identical to the broken manifest; a not-quite-fix must be a plausible wrong fix that verify rejects, different from both');
  });

  it('every not-quite-fix-<name>.yaml is loaded with the scenario', async () => {
    const root = pack();
    edit(root, 'scenarios/tiny/manifest.yaml', (d) => (d.spec.template.spec.containers[0].command = ['sh', '-c', 'exit 1']));
    cpSync(join(root, 'scenarios/tiny/manifest.yaml'), join(root, 'solutions/tiny/not-quite-fix-exit.yaml'));
    const catalog = await loadCatalog(root);
    expect(catalog.problems.map(formatProblem)).toEqual(['solutions/tiny/not-quite-fix-exit.yaml: is identical to the broken manifest; a not-quite-fix must be a plausible wrong fix that verify rejects, different from both']);
    replace(root, 'solutions/tiny/not-quite-fix-exit.yaml', 'exit 1', 'exit 2');
    const fixed = await loadCatalog(root);
    expect(fixed.problems).toEqual([]);
    expect(fixed.bundles[0].notQuiteFixes?.map((n) => n.name)).toEqual(['not-quite-fix-exit']);
  });

  it('a shared scenario refuses what Pod Security baseline refuses, naming the level it would need', async () => {
    const root = pack();
    replace(root, SCENARIO, 'order: 5', 'order: 5\nshared: true');
    edit(root, 'solutions/tiny/manifest.yaml', (d) => {
      const spec = d.spec.template.spec;
      spec.hostNetwork = true;
      spec.volumes.push({ name: 'host', hostPath: { path: '/var/log' } });
      spec.containers[0].securityContext.privileged = true;
      spec.containers[0].securityContext.capabilities = { add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] };
    });
    const found = (await problems(root)).filter((p) => p.includes('Pod Security'));
    const tail = 'needs Pod Security level "privileged", but a shared scenario runs in game namespaces that enforce "baseline"; remove it, or write shared: false in scenario.yaml (then game days do not offer it)';
    expect(found).toEqual([
      `solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.hostNetwork: hostNetwork: true ${tail}`,
      `solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.volumes.1.hostPath: a hostPath volume (host) ${tail}`,
      `solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.containers.0.securityContext.privileged: privileged: true (container app) ${tail}`,
      `solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.containers.0.securityContext.capabilities.add: capability SYS_ADMIN (container app) ${tail}`,
    ]);
  });

  it('the same settings are fine in a scenario that is not shared (the default)', async () => {
    const root = pack();
    edit(root, 'solutions/tiny/manifest.yaml', (d) => (d.spec.template.spec.containers[0].securityContext.privileged = true));
    expect(await problems(root)).toEqual([]);
  });

  it('one replica, a grace period of at most 5 s, memory limits, no namespace of its own', async () => {
    const root = pack();
    edit(root, 'solutions/tiny/manifest.yaml', (d) => {
      d.spec.replicas = 3;
      d.spec.template.spec.terminationGracePeriodSeconds = 30;
      delete d.spec.template.spec.containers[0].resources;
    });
    expect(await problems(root)).toEqual([
      'solutions/tiny/manifest.yaml: Deployment/tiny: spec.replicas: is 3; write replicas: 1: one pod shows the fault, more only multiply what a learner reads',
      'solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.terminationGracePeriodSeconds: is 30; write terminationGracePeriodSeconds: 5 or less, so reset and every rollout stay quick',
      "solutions/tiny/manifest.yaml: Deployment/tiny: spec.template.spec.containers.0.resources.limits.memory: container app has no memory limit; set resources.limits.memory (and requests): a game namespace's quota needs it, and one leaking pod must not take the node",
    ]);
  });
});

describe('one pass', () => {
  it('reports every defect the issue lists at once (2 hints, English under ko, :latest, unknown STATUS and event, within < first symptom, solution = broken, privileged in a shared scenario)', async () => {
    const root = pack();
    replace(root, SCENARIO, '  - {en: Third hint., ko: 세 번째 힌트.}\n', '');
    replace(root, SCENARIO, 'ko: 이유.', 'ko: Why.');
    replace(root, SCENARIO, 'images: [busybox:1.36]', 'images: [busybox:latest]');
    replace(root, SCENARIO, '  within: 60s', '  within: 10s\n  firstSymptomWithin: 20s\n  podStatuses: [Crashing]\n  events: [Boom]');
    replace(root, SCENARIO, 'order: 5', 'order: 5\nshared: true');
    writeFileSync(join(root, 'scenarios/tiny/manifest.yaml'), readFileSync(join(root, 'scenarios/tiny/manifest.yaml'), 'utf8').replaceAll('busybox:1.36', 'busybox:latest').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: true\n            privileged: true'));
    cpSync(join(root, 'scenarios/tiny/manifest.yaml'), join(root, 'solutions/tiny/manifest.yaml'));
    const found = (await problems(root)).join('\n');
    for (const defect of [
      'hints: has 2 hint(s)',
      'debrief.ko: has no Korean',
      'expect.within: 10s is shorter',
      '"Crashing" is not a STATUS',
      '"Boom" is not a pod event reason',
      'uses :latest',
      'solutions/tiny/manifest.yaml: is identical to the broken manifest',
      'privileged: true (container app) needs Pod Security level "privileged"',
    ]) {
      expect(found).toContain(defect);
    }
  });
});

describe('folders', () => {
  it('a scenario folder linked in from elsewhere is followed; a stray file or a dangling link is said', async () => {
    const root = pack();
    const elsewhere = pack();
    edit(elsewhere, 'scenarios/tiny/scenario.yaml', (d) => (d.id = 'linked'));
    symlinkSync(join(elsewhere, 'scenarios/tiny'), join(root, 'scenarios/linked'));
    symlinkSync(join(elsewhere, 'solutions/tiny'), join(root, 'solutions/linked'));
    symlinkSync(join(elsewhere, 'nowhere'), join(root, 'scenarios/gone'));
    writeFileSync(join(root, 'scenarios/notes.txt'), 'todo\n');
    const catalog = await loadCatalog(root);
    expect(catalog.problems).toEqual([]);
    expect(catalog.scenarios.map((s) => s.id).sort()).toEqual(['linked', 'tiny']);
    expect(catalog.warnings.map(formatProblem)).toEqual([
      'scenarios/gone: skipped: a link to nothing (its target does not exist)',
      'scenarios/notes.txt: skipped: not a folder (each scenario is a folder named after its id)',
    ]);
  });
});
