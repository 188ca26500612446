/**
 * The rules a scenario must meet beyond its schema (core/scenario.ts), over its files taken
 * together: the one rule set `crashlab validate`, the build and the project's own tests apply
 * to every pack, the built-in one included. Pure: the loader (adapters/scenarioSources.ts)
 * reads the files and turns these into file:line:column problems.
 */
import { ARCHITECTURES } from './arch.js';
import type { Container, K8sObject, PodSpec } from './k8s.js';
import { HANGUL, HINT_COUNT, KNOWN_EVENT_REASONS, KNOWN_POD_STATUSES, KNOWN_TERMINATED_REASONS, KNOWN_WAITING_REASONS, isKnownPodStatus, parseDuration, regexError, type Scenario } from './scenario.js';
import type { Text } from './text.js';
import { checkChanged, requireChangeFor } from './verify/unchanged.js';

export interface RuleProblem {
  /** Which file: the scenario's own (scenario.yaml) or one of its manifests. */
  file: 'scenario' | 'broken' | 'solution' | 'previous' | { notQuiteFix: number };
  /** For scenario.yaml: the field path; for a manifest: "Deployment/web: spec...". */
  path?: (string | number)[] | string;
  message: string;
  /** What to write instead. */
  hint?: string;
  severity: 'error' | 'warning';
}

export interface RuleInput {
  scenario: Scenario;
  broken: K8sObject[];
  solution: K8sObject[];
  notQuiteFixes: K8sObject[][];
  previous?: K8sObject[];
}

/** Capabilities Pod Security `baseline` lets a container add; anything else needs `privileged`. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

interface PodTemplateOwner {
  object: K8sObject;
  spec: PodSpec;
  /** Path of the pod spec inside the object. */
  at: string;
}

/** Every pod spec in the objects: a Pod's own, a workload's template, a CronJob's job template. */
export function podSpecs(objects: K8sObject[]): PodTemplateOwner[] {
  const out: PodTemplateOwner[] = [];
  for (const object of objects) {
    const o = object as unknown as { spec?: { containers?: unknown; template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } };
    if (object.kind === 'Pod' && o.spec?.containers) out.push({ object, spec: o.spec as unknown as PodSpec, at: 'spec' });
    else if (o.spec?.template?.spec) out.push({ object, spec: o.spec.template.spec, at: 'spec.template.spec' });
    else if (o.spec?.jobTemplate?.spec?.template?.spec) out.push({ object, spec: o.spec.jobTemplate.spec.template.spec, at: 'spec.jobTemplate.spec.template.spec' });
  }
  return out;
}

function containersOf(spec: PodSpec): { container: Container; field: string }[] {
  return [
    ...(spec.initContainers ?? []).map((container, i) => ({ container, field: `initContainers.${i}` })),
    ...(spec.containers ?? []).map((container, i) => ({ container, field: `containers.${i}` })),
  ];
}

/** The images a set of manifests runs, in order of first use. */
export function manifestImages(objects: K8sObject[]): string[] {
  const seen = new Set<string>();
  for (const { spec } of podSpecs(objects)) for (const { container } of containersOf(spec)) if (container.image) seen.add(container.image);
  return [...seen];
}

/** "busybox:1.36" and "registry:5000/team/app:2.1" have a tag; "busybox", "x:latest" do not pin one. */
export function imageTagProblem(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return `"${image}" has no tag: the node would pull :latest, whatever it is that day`;
  if (image.slice(colon + 1) === 'latest') return `"${image}" uses :latest: the node caches whichever image it pulled first, so rooms would not run the same thing`;
  return undefined;
}

/** Characters that make a regular expression differ from the text it reads as ("." matches itself too, so it is left alone). */
const META = /(?<!\\)[()[\]?+*]/;
/** Signs that the author wrote a regular expression on purpose: an escape, .* or .+, a range, an alternative, an anchor. */
const DELIBERATE = /\\|\.[*+]|\[[^\]]*-[^\]]*\]|\||^\^|\$$/;

/**
 * A pattern that reads as plain text but holds unescaped ( ) [ ] ? + *: "already running (pid 1)"
 * does not match "already running (pid 1)", because ( ) group and do not match parentheses.
 */
export function regexReadsAsText(pattern: string): boolean {
  return META.test(pattern) && !DELIBERATE.test(pattern);
}

function manifestLabel(object: K8sObject, at: string): string {
  return `${object.kind}/${object.metadata.name}: ${at}`;
}

/** Pod Security `baseline` refusals in one pod spec: what a shared (game-day) scenario may not use. */
function baselineViolations(owner: PodTemplateOwner): { path: string; what: string }[] {
  const { spec, at, object } = owner;
  const out: { path: string; what: string }[] = [];
  const p = (field: string) => manifestLabel(object, `${at}.${field}`);
  const s = spec as PodSpec & { hostPID?: boolean; hostIPC?: boolean };
  if (s.hostNetwork) out.push({ path: p('hostNetwork'), what: 'hostNetwork: true' });
  if (s.hostPID) out.push({ path: p('hostPID'), what: 'hostPID: true' });
  if (s.hostIPC) out.push({ path: p('hostIPC'), what: 'hostIPC: true' });
  (spec.volumes ?? []).forEach((v, i) => {
    if (v.hostPath) out.push({ path: p(`volumes.${i}.hostPath`), what: `a hostPath volume (${v.name})` });
  });
  for (const { container, field } of containersOf(spec)) {
    const sc = container.securityContext;
    if (sc?.privileged) out.push({ path: p(`${field}.securityContext.privileged`), what: `privileged: true (container ${container.name})` });
    for (const cap of sc?.capabilities?.add ?? []) {
      if (!BASELINE_CAPABILITIES.has(cap.replace(/^CAP_/, ''))) out.push({ path: p(`${field}.securityContext.capabilities.add`), what: `capability ${cap} (container ${container.name})` });
    }
    (container.ports ?? []).forEach((port, i) => {
      if ((port as { hostPort?: number }).hostPort) out.push({ path: p(`${field}.ports.${i}.hostPort`), what: `hostPort ${(port as { hostPort?: number }).hostPort} (container ${container.name})` });
    });
  }
  return out;
}

/** The rules over scenario.yaml alone (its schema has passed): text, timing, what `expect` may name. */
export function scenarioFieldRules(scenario: Scenario): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const error = (path: (string | number)[], message: string, hint?: string) => problems.push({ file: 'scenario', path, message, ...(hint ? { hint } : {}), severity: 'error' });
  if (scenario.foreignArch) {
    const entries = Object.entries(scenario.foreignArch);
    if (entries.length < 2) error(['foreignArch'], 'needs two or more architectures, so one is foreign to any single-architecture cluster', 'list the amd64 and the arm64 manifest of the image by digest');
    for (const [arch, image] of entries) {
      if (!(ARCHITECTURES as readonly string[]).includes(arch)) error(['foreignArch', arch], `"${arch}" is not an architecture nodes report (${ARCHITECTURES.join(', ')})`);
      if (!image.includes('@sha256:')) error(['foreignArch', arch], `"${image}" is not pinned by digest: a tag names an index, and containerd picks the node's own platform from it (or refuses the pull)`, 'use the digest of that architecture\'s single-platform manifest');
      if (!scenario.images.includes(image)) error(['foreignArch', arch], `${image} is not listed under images:`, 'list every variant under images: (workshops pre-load what it lists)');
    }
  }
  if (scenario.hints.length !== HINT_COUNT) error(['hints'], `has ${scenario.hints.length} hint(s); the lab reveals and scores exactly ${HINT_COUNT} one by one`, 'write three: a nudge, the evidence, the fix');
  const texts: [(string | number)[], Text][] = [
    [['title'], scenario.title],
    [['summary'], scenario.summary],
    [['briefing'], scenario.briefing],
    [['symptoms'], scenario.symptoms],
    ...scenario.hints.map((t, i): [(string | number)[], Text] => [['hints', i], t]),
    [['debrief'], scenario.debrief],
    ...scenario.checklist.map((t, i): [(string | number)[], Text] => [['checklist', i], t]),
  ];
  for (const [path, t] of texts) {
    for (const lang of ['en', 'ko'] as const) if (/\bTODO\b/.test(t[lang])) error([...path, lang], 'is still a placeholder (TODO)', 'write the learner text here');
    if (!HANGUL.test(t.ko) && !/\bTODO\b/.test(t.ko)) error([...path, 'ko'], 'has no Korean (Hangul) text', 'write the Korean translation here (합니다체; keep Kubernetes object names in English)');
  }
  const e = scenario.expect;
  if (e.firstSymptomWithin !== undefined && parseDuration(e.within) < parseDuration(e.firstSymptomWithin)) {
    error(['expect', 'within'], `${e.within} is shorter than firstSymptomWithin (${e.firstSymptomWithin}): the whole signature cannot show before its first symptom`, `write within: ${e.firstSymptomWithin} or more`);
  }
  const known = (values: string[] | undefined, path: string, isKnown: (v: string) => boolean, what: string, list: readonly string[]) =>
    (values ?? []).forEach((v, i) => {
      if (!isKnown(v)) error(['expect', path, i], `"${v}" is not ${what}`, `use one of: ${list.join(', ')}`);
    });
  known(e.podStatuses, 'podStatuses', isKnownPodStatus, 'a STATUS kubectl prints', [...KNOWN_POD_STATUSES, 'Init:<reason>', 'Init:N/M']);
  known(e.waitingReasons, 'waitingReasons', (v) => (KNOWN_WAITING_REASONS as readonly string[]).includes(v), 'a waiting reason Kubernetes reports', KNOWN_WAITING_REASONS);
  known(e.events, 'events', (v) => (KNOWN_EVENT_REASONS as readonly string[]).includes(v), 'a pod event reason Kubernetes reports', KNOWN_EVENT_REASONS);
  if (e.lastTerminated && !(KNOWN_TERMINATED_REASONS as readonly string[]).includes(e.lastTerminated.reason)) {
    error(['expect', 'lastTerminated', 'reason'], `"${e.lastTerminated.reason}" is not a terminated reason Kubernetes reports`, `use one of: ${KNOWN_TERMINATED_REASONS.join(', ')}`);
  }
  for (const [path, pattern] of regexFields(scenario)) {
    if (pattern && /\bTODO\b/.test(pattern)) error(path, 'is still a placeholder (TODO)', 'write what the broken workload really shows (a regular expression)');
    const why = pattern === undefined ? undefined : regexError(pattern);
    if (why) error(path, `is a regular expression and does not compile: ${why}`, 'escape ( ) [ ] . ? + * with a backslash to match them literally');
  }
  return problems;
}

function regexFields(scenario: Scenario): [(string | number)[], string | undefined][] {
  const e = scenario.expect;
  return [
    [['expect', 'waitingMessage'], e.waitingMessage],
    [['expect', 'lastTerminated', 'message'], e.lastTerminated?.message],
    [['expect', 'previousLog'], e.previousLog],
  ];
}

export function scenarioRules(input: RuleInput): RuleProblem[] {
  const { scenario } = input;
  const problems: RuleProblem[] = scenarioFieldRules(scenario);
  const manifests: { file: RuleProblem['file']; name: string; objects: K8sObject[] }[] = [
    { file: 'broken', name: 'the broken manifest', objects: input.broken },
    { file: 'solution', name: 'the solution', objects: input.solution },
    ...input.notQuiteFixes.map((objects, i) => ({ file: { notQuiteFix: i }, name: `not-quite-fix ${i + 1}`, objects })),
    ...(input.previous ? [{ file: 'previous' as const, name: 'previous.yaml', objects: input.previous }] : []),
  ];

  // Images: declared, pinned, and nothing declared that nothing runs.
  const declared = new Set(scenario.images);
  scenario.images.forEach((image, i) => {
    const why = imageTagProblem(image);
    if (why) problems.push({ file: 'scenario', path: ['images', i], message: why, hint: 'pin a version tag, e.g. busybox:1.36', severity: 'error' });
  });
  // An image-pull scenario names an image that does not exist on purpose: only what must run is declared.
  const mayBeMissing = (file: RuleProblem['file']) => scenario.category === 'image-pull' && (file === 'broken' || typeof file === 'object');
  const used = new Set<string>();
  for (const m of manifests) {
    for (const owner of podSpecs(m.objects)) {
      for (const { container, field } of containersOf(owner.spec)) {
        const image = container.image;
        if (!image) continue;
        used.add(image);
        if (declared.has(image) || mayBeMissing(m.file)) continue;
        const why = imageTagProblem(image);
        problems.push({
          file: m.file,
          path: manifestLabel(owner.object, `${owner.at}.${field}.image`),
          message: why ? why : `runs ${image}, which scenario.yaml does not declare under images:`,
          hint: why ? 'pin a version tag, e.g. busybox:1.36, and list it under images: in scenario.yaml' : `add ${image} to images: in scenario.yaml (workshops pre-load what it lists)`,
          severity: 'error',
        });
      }
    }
  }
  // The per-architecture variants are chosen at deploy time: one of them in a manifest uses them all.
  const variants = Object.values(scenario.foreignArch ?? {});
  if (variants.some((v) => used.has(v))) for (const v of variants) used.add(v);
  scenario.images.forEach((image, i) => {
    if (!used.has(image)) problems.push({ file: 'scenario', path: ['images', i], message: `${image} is declared but no manifest runs it`, hint: 'remove it, or use it in a manifest', severity: 'error' });
  });

  // Every manifest is a different lesson: a "fix" equal to the broken manifest proves nothing.
  for (let a = 0; a < manifests.length; a++) {
    for (let b = a + 1; b < manifests.length; b++) {
      if (manifests[a].file === 'previous' || manifests[b].file === 'previous') continue;
      if (JSON.stringify(manifests[a].objects) === JSON.stringify(manifests[b].objects)) {
        problems.push({ file: manifests[b].file, message: `is identical to ${manifests[a].name}`, hint: manifests[b].file === 'solution' ? 'the solution must remove the fault' : 'a not-quite-fix must be a plausible wrong fix that verify rejects, different from both', severity: 'error' });
      }
    }
  }

  // What makes a scenario quick to prove and reset, and fit for a game's quota (was only in the tests).
  for (const m of manifests) {
    for (const owner of podSpecs(m.objects)) {
      const { object, spec, at } = owner;
      const replicas = (object.spec as { replicas?: number } | undefined)?.replicas;
      const wanted = input.previous ? 2 : 1;
      if (object.kind === 'Deployment' && replicas !== undefined && replicas !== wanted && object.metadata.name === scenario.workload.name) {
        problems.push({ file: m.file, path: manifestLabel(object, 'spec.replicas'), message: `is ${replicas}`, hint: `write replicas: ${wanted}${wanted === 2 ? ' (a rollout over a history keeps two pods)' : ''}: one pod shows the fault, more only multiply what a learner reads`, severity: 'error' });
      }
      const grace = spec.terminationGracePeriodSeconds;
      if (grace === undefined || grace > 5) {
        problems.push({ file: m.file, path: manifestLabel(object, `${at}.terminationGracePeriodSeconds`), message: grace === undefined ? 'is not set (30 s by default)' : `is ${grace}`, hint: 'write terminationGracePeriodSeconds: 5 or less, so reset and every rollout stay quick', severity: 'error' });
      }
      // A not-quite-fix may drop the limit on purpose (the oom scenario's wrong fix does).
      if (typeof m.file !== 'object') {
        for (const { container, field } of containersOf(spec)) {
          if (!container.resources?.limits?.memory) problems.push({ file: m.file, path: manifestLabel(object, `${at}.${field}.resources.limits.memory`), message: `container ${container.name} has no memory limit`, hint: 'set resources.limits.memory (and requests): a game namespace\'s quota needs it, and one leaking pod must not take the node', severity: 'error' });
        }
      }
    }
    for (const object of m.objects) {
      if (object.metadata.namespace !== undefined) problems.push({ file: m.file, path: manifestLabel(object, 'metadata.namespace'), message: `names namespace ${object.metadata.namespace}`, hint: 'remove metadata.namespace: crashlab deploys into crashlab-<id> (or the team\'s namespace)', severity: 'error' });
    }
  }

  // A shared scenario runs in game-day team namespaces, which enforce Pod Security baseline.
  if (scenario.shared) {
    for (const m of manifests) {
      for (const owner of podSpecs(m.objects)) {
        for (const v of baselineViolations(owner)) {
          problems.push({ file: m.file, path: v.path, message: `${v.what} needs Pod Security level "privileged", but a shared scenario runs in game namespaces that enforce "baseline"`, hint: 'remove it, or write shared: false in scenario.yaml (then game days do not offer it)', severity: 'error' });
        }
      }
    }
  }

  // verify.requireChange: the untouched broken workload must read as unchanged, the reference solution as changed.
  problems.push(...requireChangeProblems(input));

  // Regular expressions that read as text but do not match it.
  for (const [path, pattern] of regexFields(scenario)) {
    if (pattern && regexError(pattern) === undefined && regexReadsAsText(pattern)) {
      problems.push({
        file: 'scenario',
        path,
        message: `is a regular expression: in "${pattern}", ( ) [ ] ? + * are operators, not the characters themselves${new RegExp(pattern).test(pattern) ? '' : ' (it does not even match its own text)'}`,
        hint: `escape them to match literally, e.g. ${pattern.replace(/(?<!\\)([()[\].?+*])/g, '\\$1')}`,
        severity: 'warning',
      });
    }
  }
  return problems;
}

/**
 * A scenario that heals by itself holds the fix to "the pod template changed": that rule must
 * fail the broken manifest as deployed (crashlab only adds labels, outside the pod spec) and
 * pass the reference solution, or nobody could pass.
 */
export function requireChangeProblems(input: RuleInput): RuleProblem[] {
  const { scenario } = input;
  if (!scenario.verify.requireChange) return [];
  const path = ['verify', 'requireChange'];
  const rule = requireChangeFor(scenario, input.broken);
  if (!rule) {
    return [{ file: 'scenario', path, message: `the broken manifest has no ${scenario.workload.kind} ${scenario.workload.name} with a pod template to compare a fix with`, hint: 'name the workload of the broken manifest under workload:', severity: 'error' }];
  }
  const problems: RuleProblem[] = [];
  if (!checkChanged(rule, rule.brokenSpec).unchanged) {
    problems.push({ file: 'scenario', path, message: 'the rule does not recognise the broken manifest itself as unchanged', severity: 'error' });
  }
  const solved = requireChangeFor(scenario, input.solution);
  if (!solved || checkChanged(rule, solved.brokenSpec).unchanged) {
    problems.push({ file: 'solution', path, message: `the solution leaves the pod template of ${scenario.workload.name} as it is broken, so verify fails it with "nothing was changed"`, hint: 'fix the workload itself, or remove verify.requireChange when the fix belongs in another object', severity: 'error' });
  }
  return problems;
}
