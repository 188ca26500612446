/**
 * What `crashlab prove` decides, without I/O: which `expect` fields a kubectl snapshot meets,
 * when the first symptom showed, which wrong fix to try when a pack ships none that breaks a
 * guard, and the Markdown report. The driver (adapters/prover.ts) runs the commands; this
 * module reads what they printed. Moved here from test/cluster/suite.mjs: one prover.
 */
import type { K8sObject, PodSpec } from './k8s.js';
import { findWorkload, withImages } from './manifest.js';
import type { ExpectedSignature, Guard, Scenario } from './scenario.js';
import type { ObservedSignature } from './signature.js';
import { parseDuration } from './scenario.js';
import { evaluateGuards } from './verify/guards.js';

/**
 * One kubectl reading of the scenario's container (an independent observation, not crashlab's
 * own): the signature fields `status` shows, plus the event detail the report quotes. The exit
 * code may be missing here because the prover reads raw kubectl JSON.
 */
export interface Observation extends Omit<ObservedSignature, 'previousLog' | 'lastTerminated'> {
  lastTerminated?: Partial<NonNullable<ObservedSignature['lastTerminated']>>;
  warningDetails: { reason: string; message: string; at?: string }[];
  eventLines: string[];
}

export interface ProveCheck {
  scenario: string;
  step: string;
  ok: boolean;
  detail: string;
}

/**
 * Each field of `expect` met by this snapshot. A waiting reason alternates (CrashLoopBackOff /
 * RunContainerError), so the prover accumulates these over snapshots.
 */
export function fieldChecks(expect: ExpectedSignature, o: Observation, previousLog: string | undefined): Record<string, boolean> {
  const checks: Record<string, boolean> = {};
  if (expect.waitingReasons) checks.waitingReason = expect.waitingReasons.includes(o.waitingReason ?? '');
  if (expect.podStatuses) checks.podStatus = expect.podStatuses.includes(o.podStatus ?? '');
  if (expect.waitingMessage) checks.waitingMessage = new RegExp(expect.waitingMessage).test(o.waitingMessage ?? '');
  if (expect.lastTerminated) {
    checks['lastTerminated.reason'] = o.lastTerminated?.reason === expect.lastTerminated.reason;
    checks['lastTerminated.exitCode'] = o.lastTerminated?.exitCode === expect.lastTerminated.exitCode;
    if (expect.lastTerminated.message) checks['lastTerminated.message'] = new RegExp(expect.lastTerminated.message).test(o.lastTerminated?.message ?? '');
  }
  if (expect.minRestarts !== undefined) checks.minRestarts = o.restarts >= expect.minRestarts;
  if (expect.maxRestarts !== undefined) checks.maxRestarts = o.restarts <= expect.maxRestarts;
  for (const r of expect.events ?? []) checks[`event ${r}`] = o.warningEvents.includes(r);
  if (expect.previousLog) checks.previousLog = new RegExp(expect.previousLog).test(previousLog ?? '');
  return checks;
}

export function short(s: unknown, n = 300): string {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

export function describeObserved(o: Observation, previousLog?: string): string {
  const parts: string[] = [];
  if (o.podStatus) parts.push(`STATUS ${o.podStatus}`);
  if (o.waitingReason) parts.push(`waiting ${o.waitingReason}${o.waitingMessage ? ` ("${short(o.waitingMessage, 160)}")` : ''}`);
  if (o.running) parts.push('running');
  if (o.lastTerminated) parts.push(`last ${o.lastTerminated.reason}/${o.lastTerminated.exitCode}${o.lastTerminated.message ? ` ("${short(o.lastTerminated.message, 160)}")` : ''}`);
  parts.push(`restarts ${o.restarts}`);
  if (o.warningEvents.length) parts.push(`events ${o.warningEvents.join(',')}`);
  if (previousLog) parts.push(`prev log "${short(previousLog.trim().split('\n').slice(-1)[0], 120)}"`);
  return parts.join('; ');
}

export function describeExpected(e: ExpectedSignature): string {
  const parts: string[] = [];
  if (e.podStatuses) parts.push(`STATUS ${e.podStatuses.join('|')}`);
  if (e.waitingReasons) parts.push(`waiting ${e.waitingReasons.join('|')}`);
  if (e.waitingMessage) parts.push(`msg /${e.waitingMessage}/`);
  if (e.lastTerminated) parts.push(`last ${e.lastTerminated.reason}/${e.lastTerminated.exitCode}${e.lastTerminated.message ? ` /${e.lastTerminated.message}/` : ''}`);
  if (e.minRestarts !== undefined) parts.push(`restarts>=${e.minRestarts}`);
  if (e.maxRestarts !== undefined) parts.push(`restarts<=${e.maxRestarts}`);
  if (e.events?.length) parts.push(`events ${e.events.join(',')}`);
  if (e.previousLog) parts.push(`prev log /${e.previousLog}/`);
  return parts.join('; ');
}

const STARTING = ['ContainerCreating', 'PodInitializing'];
const NOISE_EVENTS = ['DNSConfigForming', 'MissingClusterDNS', 'ProbeWarning'];
/**
 * Cluster noise, not the scenario: a busy kubelet's transient "failed to sync configmap cache:
 * timed out waiting for the condition" (it retries and mounts); a missing ConfigMap says "not found".
 */
export const isNoise = (e: { reason: string; message: string }): boolean => NOISE_EVENTS.includes(e.reason) || (e.reason === 'FailedMount' && /failed to sync (configmap|secret) cache/.test(e.message));

/** What a learner would first notice is wrong; undefined while the pod still looks like it is starting. */
export function symptomOf(o: Observation): string | undefined {
  if (o.restarts > 0) return `restart #${o.restarts}`;
  if (o.lastTerminated) return `terminated ${o.lastTerminated.reason}/${o.lastTerminated.exitCode}`;
  if (o.waitingReason && !STARTING.includes(o.waitingReason)) return `waiting ${o.waitingReason}`;
  const w = o.warningDetails.find((e) => !isNoise(e));
  return w ? `Warning ${w.reason}` : undefined;
}

interface ContainerTimes {
  state?: { terminated?: { finishedAt?: string } };
  lastState?: { terminated?: { finishedAt?: string } };
}
interface PodTimes {
  status?: { initContainerStatuses?: ContainerTimes[]; containerStatuses?: ContainerTimes[] };
}

/**
 * When the symptom really appeared, from the cluster's timestamps (a busy machine polls
 * slowly): the first termination and the first non-noise Warning event; else the observation time.
 */
export function symptomAt(pod: PodTimes, o: Observation, observedAt: number): number {
  const times = [observedAt];
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (c.state?.terminated?.finishedAt) times.push(Date.parse(c.state.terminated.finishedAt));
    if (c.lastState?.terminated?.finishedAt) times.push(Date.parse(c.lastState.terminated.finishedAt));
  }
  for (const e of o.warningDetails) if (!isNoise(e) && e.at) times.push(Date.parse(e.at));
  return Math.min(...times.filter((x) => Number.isFinite(x)));
}

function podSpecOf(objects: K8sObject[], scenario: Scenario): PodSpec | undefined {
  return findWorkload(objects, scenario.workload.kind, scenario.workload.name)?.spec?.template?.spec;
}

/** The guards a manifest breaks, by the verifier's own guard rules. */
export function brokenGuards(objects: K8sObject[], scenario: Scenario): Guard[] {
  const spec = podSpecOf(objects, scenario);
  if (!spec) return scenario.guards;
  return evaluateGuards(scenario.guards, spec)
    .map((r, i) => (r.ok ? undefined : scenario.guards[i]))
    .filter((g): g is Guard => g !== undefined);
}

/** The reference solution with one guard undone: the wrong fix tried when no shipped one breaks a guard. */
export function violateGuard(solution: K8sObject[], scenario: Scenario, guard: Guard): { objects: K8sObject[]; what: string } | undefined {
  const objects = structuredClone(solution);
  const spec = podSpecOf(objects, scenario);
  const c = spec && [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === guard.container);
  if (!spec || !c) return undefined;
  let what: string | undefined;
  switch (guard.kind) {
    case 'probe':
      delete c[`${guard.probe}Probe`];
      what = `removed ${guard.probe}Probe of ${guard.container}`;
      break;
    case 'readOnlyRootFilesystem':
      c.securityContext = { ...(c.securityContext ?? {}), readOnlyRootFilesystem: false };
      what = `set readOnlyRootFilesystem: false on ${guard.container}`;
      break;
    case 'runAsNonRoot':
      if (c.securityContext) delete c.securityContext.runAsNonRoot;
      if (spec.securityContext) delete spec.securityContext.runAsNonRoot;
      what = `removed runAsNonRoot from ${guard.container} and the pod`;
      break;
    case 'resourceLimit':
      if (c.resources?.limits) delete c.resources.limits[guard.resource];
      what = `removed the ${guard.resource} limit of ${guard.container}`;
      break;
    case 'secretKeyRef': {
      const e = (c.env ?? []).find((x) => x.name === guard.env);
      if (e?.valueFrom?.secretKeyRef) {
        e.valueFrom.secretKeyRef.optional = true;
        what = `made env ${guard.env} secretKeyRef optional`;
      } else if (e) {
        c.env = (c.env ?? []).filter((x) => x.name !== guard.env);
        what = `removed env ${guard.env}`;
      }
      break;
    }
    case 'image':
      c.image = scenario.images.find((i) => i !== guard.image) ?? (guard.image === 'busybox:1.36' ? 'busybox:1.37' : 'busybox:1.36');
      what = `changed the image of ${guard.container} to ${c.image}`;
      break;    case 'command': {
      // The shortcut the guard closes: the line deleted from the script (the allocation, the slow start).
      const drop = (args?: string[]) => args?.map((a) => a.split('\n').filter((l) => l.trim() !== guard.line.trim()).join('\n'));
      c.command = drop(c.command);
      if (c.args) c.args = drop(c.args);
      what = `deleted "${guard.line}" from the script of ${guard.container}`;
      break;
    }
  }
  return what ? { objects, what } : undefined;
}

/** A scenario's row of the report. */
/** One wrong fix `prove` applies: verify must fail on it, naming the guard when it breaks one. */
export interface NotQuiteAttempt {
  what: string;
  objects: K8sObject[];
  broken: Guard[];
}

/**
 * The wrong fixes to try: every shipped not-quite-fix (with the image variant start chose for
 * this cluster's nodes, so a wrong fix keeps the foreign image too); when none of them breaks a
 * guard, the solution with its first guard undone, so every guard is seen failing once.
 */
export function notQuiteAttempts(scenario: Scenario, solution: K8sObject[], notQuiteFixes: { name: string; objects: K8sObject[] }[], images: Record<string, string>): NotQuiteAttempt[] {
  const attempts = notQuiteFixes.map((n) => ({ what: `solutions/${scenario.id}/${n.name}.yaml`, objects: withImages(n.objects, images), broken: brokenGuards(n.objects, scenario) }));
  if (scenario.guards.length && !attempts.some((a) => a.broken.length)) {
    const generated = violateGuard(solution, scenario, scenario.guards[0]);
    if (generated) attempts.push({ what: `generated: solution with ${generated.what}`, objects: generated.objects, broken: brokenGuards(generated.objects, scenario) });
  }
  return attempts;
}

export interface ProveRow {
  id: string;
  pack?: string;
  expected: string;
  observed: string;
  category: string;
  diagnosed: string;
  verifyBroken: string;
  notQuite: string;
  verifyFixed: string;
  reset: string;
  routine?: string;
  events?: string[];
  firstSymptom?: { seconds: number; what: string };
  startSeconds?: number;
  secondsToSignature?: number;
  verifyBrokenSummary?: string;
  notQuiteSummary?: string;
  verifyFixedSummary?: string;
  verifyFixedSeconds?: number;
  windowSeconds?: number;
  seconds?: number;
  phases: Record<string, number>;
}

/**
 * The least time a scenario can take on any cluster: its first symptom (as declared, at most
 * 30 s) plus the verify window of the fixed workload (what verify reported, else crashWithin +
 * margin). The whole run is printed against the sum of these.
 */
export function physicalMinimumSeconds(scenario: Scenario, row?: ProveRow): number {
  const first = parseDuration(scenario.expect.firstSymptomWithin ?? 30);
  const window = row?.windowSeconds ?? parseDuration(scenario.verify.crashWithin) + parseDuration(scenario.verify.margin);
  return first + window;
}

const mdCell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface ReportMeta {
  date: string;
  versions: string;
  context: string;
  seconds: number;
  jobs: number;
  minimumSeconds: number;
}

export function proveReport(rows: ProveRow[], checks: ProveCheck[], meta: ReportMeta): string {
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  const lines: string[] = [];
  lines.push('# crashlab scenarios on a real Kubernetes', '');
  lines.push(`Generated by \`crashlab prove\` on ${meta.date}, context ${meta.context}.`);
  lines.push(`Cluster: ${meta.versions}.`, '');
  lines.push(`Prove: ${meta.seconds}s for ${rows.length} scenarios, ${meta.jobs} at a time; the sum of their physical minimums (first symptom + verify window) is ${meta.minimumSeconds}s.`, '');
  lines.push('| scenario | first symptom (after pod creation; start took) | expected signature | observed signature (kubectl) | category → diagnose | verify (broken) | not-quite-fix → verify | verify after solve (time / window) | reset | time |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const fs = r.firstSymptom ? `${r.firstSymptom.seconds}s: ${r.firstSymptom.what} (start ${r.startSeconds}s)` : '(none)';
    lines.push(
      `| ${mdCell(r.id)} | ${mdCell(fs)} | ${mdCell(r.expected)} | ${mdCell(r.observed)}${r.secondsToSignature !== undefined ? ` (after ${r.secondsToSignature}s)` : ''} | ${mdCell(r.category)} → ${mdCell(r.diagnosed)} | ${mdCell(r.verifyBroken)} | ${mdCell(r.notQuite)} | ${mdCell(r.verifyFixed)} | ${mdCell(r.reset)} | ${r.seconds ?? '?'}s |`,
    );
  }
  lines.push('', '## Per scenario: events on the broken pod and verify verdicts');
  for (const r of rows) {
    lines.push('', `### ${r.id}${r.pack ? ` (pack ${r.pack})` : ''}`, '');
    lines.push(`- observed (kubectl, last snapshot): ${r.observed}`);
    if (r.verifyBrokenSummary) lines.push(`- verify on the broken workload: ${r.verifyBrokenSummary}`);
    if (r.notQuiteSummary) lines.push(`- verify on the not-quite-fix: ${r.notQuiteSummary}`);
    if (r.verifyFixedSummary) lines.push(`- verify after solve: ${r.verifyFixedSummary}`);
    if (r.routine) lines.push(`- routine --run: ${r.routine}`);
    if (r.seconds !== undefined) lines.push(`- time for this scenario: ${r.seconds}s (${Object.entries(r.phases).map(([k, v]) => `${k} ${v}s`).join(', ')})`);
    lines.push('', 'Events of the broken pod (type, reason, count, message):', '', '```');
    lines.push(...(r.events?.length ? r.events : ['(none)']));
    lines.push('```');
  }
  lines.push('', '## Checks', '');
  for (const x of checks) lines.push(`- ${x.ok ? 'PASS' : 'FAIL'} ${x.scenario} — ${x.step}${x.detail ? `: ${mdCell(short(x.detail, 300))}` : ''}`);
  lines.push('', `${passed} passed, ${failed} failed`, '');
  return lines.join('\n');
}
