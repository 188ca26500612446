/**
 * Guard rails per team, derived from the scenarios offered (not guessed): a ResourceQuota and a
 * LimitRange that let every broken manifest and every reference solution run exactly as in the
 * solo lab, and the strictest Pod Security level all their pod templates pass. Pure.
 */
import type { Container, K8sObject, PodSpec } from '../k8s.js';
import type { Guard } from '../scenario.js';
import { parseQuantity } from '../verify/quantity.js';

const MI = 2 ** 20;

/** What sizing needs of a scenario: its manifests and its guards. */
export interface SizingInput {
  id: string;
  broken: K8sObject[];
  solution: K8sObject[];
  notQuiteFix?: K8sObject[];
  guards: Guard[];
}

/**
 * Defaults the LimitRange gives a container that states nothing (a `kubectl debug` container,
 * a container a learner adds). Generous on purpose: a default limit lower than what a
 * scenario's container really needs would add an OOM kill that the scenario never had. The CPU
 * and ephemeral-storage limits are what holds a miner or a disk filler inside its team (CFS
 * quota, kubelet eviction); no scenario container comes near them. The ephemeral-storage request
 * stays small: the scheduler reserves requests on a node's disk, and 100 teams' pods at the limit
 * would not fit a training node.
 */
export const CONTAINER_DEFAULTS = { cpuRequestMilli: 10, memoryRequestMi: 16, memoryLimitMi: 256, cpuLimitMilli: 100, ephemeralStorageLimitMi: 256, ephemeralStorageRequestMi: 16 } as const;

/**
 * Scenario workloads one team may run at once: its current scenario plus one injected fault
 * (`gameday inject`).
 */
export const SCENARIO_SLOTS = 2;

export interface PodFootprint {
  cpuRequestMilli: number;
  memoryRequestMi: number;
  memoryLimitMi: number;
  cpuLimitMilli: number;
  ephemeralStorageLimitMi: number;
}

export interface TeamSizing {
  quota: { pods: number; cpuRequestMilli: number; memoryRequestMi: number; memoryLimitMi: number; cpuLimitMilli: number; ephemeralStorageLimitMi: number; configmaps: number; secrets: number; services: number; pvcs: number };
  limits: { maxMemoryMi: number; maxCpuMilli: number; defaults: typeof CONTAINER_DEFAULTS };
  /** Why the numbers are what they are (shown by --dry-run). */
  basis: string[];
}

function mi(quantity: string | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const v = parseQuantity(quantity);
  return v === undefined ? undefined : Math.ceil(v / MI);
}

function milli(quantity: string | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const v = parseQuantity(quantity);
  return v === undefined ? undefined : Math.ceil(v * 1000);
}

interface PodTemplateInfo {
  spec: PodSpec;
  replicas: number;
}

/** Pod templates of workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) and bare Pods. */
export function podTemplates(objects: K8sObject[]): PodTemplateInfo[] {
  const out: PodTemplateInfo[] = [];
  for (const object of objects) {
    const spec = object.spec as Record<string, unknown> | undefined;
    if (!spec) continue;
    if (object.kind === 'Pod') out.push({ spec: spec as unknown as PodSpec, replicas: 1 });
    else if (object.kind === 'CronJob') {
      const job = (spec.jobTemplate as { spec?: { template?: { spec?: PodSpec }; parallelism?: number } } | undefined)?.spec;
      if (job?.template?.spec) out.push({ spec: job.template.spec, replicas: job.parallelism ?? 1 });
    } else {
      const template = (spec.template as { spec?: PodSpec } | undefined)?.spec;
      if (!template) continue;
      const replicas = object.kind === 'Job' ? ((spec.parallelism as number | undefined) ?? 1) : ((spec.replicas as number | undefined) ?? 1);
      out.push({ spec: template, replicas });
    }
  }
  return out;
}

function containerFootprint(container: Container, guardMaxMi: number | undefined): PodFootprint {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const limitMi = mi(limits.memory) ?? CONTAINER_DEFAULTS.memoryLimitMi;
  return {
    cpuRequestMilli: milli(requests.cpu) ?? milli(limits.cpu) ?? CONTAINER_DEFAULTS.cpuRequestMilli,
    memoryRequestMi: mi(requests.memory) ?? mi(limits.memory) ?? CONTAINER_DEFAULTS.memoryRequestMi,
    // A learner may raise a limit up to the scenario's guard maximum and still pass verify.
    memoryLimitMi: Math.max(limitMi, guardMaxMi ?? 0),
    cpuLimitMilli: milli(limits.cpu) ?? CONTAINER_DEFAULTS.cpuLimitMilli,
    ephemeralStorageLimitMi: mi(limits['ephemeral-storage']) ?? CONTAINER_DEFAULTS.ephemeralStorageLimitMi,
  };
}

/** What the quota charges for one pod: the larger of the containers' sum and the largest init container. */
export function podFootprint(spec: PodSpec, guardMaxMi: (container: string) => number | undefined = () => undefined): PodFootprint {
  const sum = (spec.containers ?? []).map((c) => containerFootprint(c, guardMaxMi(c.name)));
  const init = (spec.initContainers ?? []).map((c) => containerFootprint(c, guardMaxMi(c.name)));
  // Native sidecars (restartPolicy Always) keep running next to the app containers.
  const sidecars = (spec.initContainers ?? []).map((c, i) => (c.restartPolicy === 'Always' ? init[i] : undefined)).filter((f): f is PodFootprint => Boolean(f));
  const total = (key: keyof PodFootprint) => [...sum, ...sidecars].reduce((acc, f) => acc + f[key], 0);
  const maxInit = (key: keyof PodFootprint) => init.reduce((acc, f) => Math.max(acc, f[key]), 0);
  const charged = (key: keyof PodFootprint) => Math.max(total(key), maxInit(key));
  return {
    cpuRequestMilli: charged('cpuRequestMilli'),
    memoryRequestMi: charged('memoryRequestMi'),
    memoryLimitMi: charged('memoryLimitMi'),
    cpuLimitMilli: charged('cpuLimitMilli'),
    ephemeralStorageLimitMi: charged('ephemeralStorageLimitMi'),
  };
}

function guardMaxFor(guards: Guard[]): (container: string) => number | undefined {
  return (container) => {
    const g = guards.find((x) => x.kind === 'resourceLimit' && x.resource === 'memory' && x.container === container);
    return g && g.kind === 'resourceLimit' ? mi(g.max) : undefined;
  };
}

function countKind(objects: K8sObject[], kind: string): number {
  return objects.filter((o) => o.kind === kind).length;
}

/**
 * One scenario's peak: during a fix's rollout the old (broken) and new (fixed) pods coexist
 * (maxSurge up to 100 %), plus one `kubectl debug --copy-to` copy of the biggest pod.
 */
export function scenarioPeak(input: SizingInput): PodFootprint & { pods: number } {
  const guardMax = guardMaxFor(input.guards);
  const variants = [input.broken, input.solution, ...(input.notQuiteFix ? [input.notQuiteFix] : [])];
  const zero = (): PodFootprint & { pods: number } => ({ cpuRequestMilli: 0, memoryRequestMi: 0, memoryLimitMi: 0, cpuLimitMilli: 0, ephemeralStorageLimitMi: 0, pods: 0 });
  const keys = Object.keys(zero()) as (keyof PodFootprint | 'pods')[];
  let peak = zero();
  let biggest: PodFootprint & { pods: number } = { ...zero(), pods: 1 };
  for (const objects of variants) {
    const total = zero();
    for (const t of podTemplates(objects)) {
      const f = { ...podFootprint(t.spec, guardMax), pods: 1 };
      for (const k of keys) total[k] += f[k] * t.replicas;
      if (f.memoryLimitMi > biggest.memoryLimitMi) biggest = f;
    }
    for (const k of keys) peak[k] = Math.max(peak[k], total[k]);
  }
  const out = zero();
  for (const k of keys) out[k] = peak[k] * 2 + biggest[k];
  return out;
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

export function sizeTeam(inputs: SizingInput[]): TeamSizing {
  if (inputs.length === 0) throw new Error('no scenario to size a game for');
  const peaks = inputs.map((i) => ({ id: i.id, ...scenarioPeak(i) }));
  const top = (key: keyof PodFootprint | 'pods') => Math.max(...peaks.map((p) => p[key]));
  let maxContainerMi: number = CONTAINER_DEFAULTS.memoryLimitMi;
  let maxCpuMilli = 1000;
  for (const input of inputs) {
    const guardMax = guardMaxFor(input.guards);
    for (const objects of [input.broken, input.solution, input.notQuiteFix ?? []]) {
      for (const t of podTemplates(objects)) {
        for (const c of [...(t.spec.containers ?? []), ...(t.spec.initContainers ?? [])]) {
          maxContainerMi = Math.max(maxContainerMi, mi(c.resources?.limits?.memory) ?? 0, guardMax(c.name) ?? 0);
          maxCpuMilli = Math.max(maxCpuMilli, milli(c.resources?.limits?.cpu) ?? 0);
        }
      }
    }
  }
  const objectCount = (kind: string) => Math.max(...inputs.map((i) => Math.max(countKind(i.broken, kind), countKind(i.solution, kind))));
  const slots = SCENARIO_SLOTS;
  // A few pods of slack: a learner's `kubectl run` test pod, a second debug copy, pods being
  // deleted while their replacement starts.
  const pods = top('pods') * slots + 4;
  const quota = {
    pods,
    cpuRequestMilli: roundUp(top('cpuRequestMilli') * slots + 4 * CONTAINER_DEFAULTS.cpuRequestMilli, 50),
    memoryRequestMi: roundUp(top('memoryRequestMi') * slots + 4 * CONTAINER_DEFAULTS.memoryRequestMi, 64),
    memoryLimitMi: roundUp(top('memoryLimitMi') * slots + 4 * CONTAINER_DEFAULTS.memoryLimitMi, 64),
    // What a CPU miner or a disk filler can take in all, across every pod the team may run.
    cpuLimitMilli: roundUp(top('cpuLimitMilli') * slots + 4 * CONTAINER_DEFAULTS.cpuLimitMilli, 100),
    ephemeralStorageLimitMi: roundUp(top('ephemeralStorageLimitMi') * slots + 4 * CONTAINER_DEFAULTS.ephemeralStorageLimitMi, 256),
    // +1: the team's progress ConfigMap; kube-root-ca.crt is created in every namespace.
    configmaps: objectCount('ConfigMap') * slots + 10,
    secrets: objectCount('Secret') * slots + 10,
    services: objectCount('Service') * slots + 4,
    pvcs: objectCount('PersistentVolumeClaim') * slots,
  };
  const peakBy = (key: 'memoryLimitMi' | 'pods') => peaks.reduce((a, b) => (b[key] > a[key] ? b : a));
  return {
    quota,
    limits: { maxMemoryMi: maxContainerMi, maxCpuMilli, defaults: CONTAINER_DEFAULTS },
    basis: [
      `largest scenario peak: ${peakBy('memoryLimitMi').id} (${peakBy('memoryLimitMi').memoryLimitMi}Mi of memory limits, ${peakBy('pods').pods} pods with old + new pods of a rollout and one debug copy)`,
      `${slots} scenario slots per team (current + one injected), plus slack for 4 default-sized pods`,
      `container maximum ${maxContainerMi}Mi: the largest limit in any manifest or guard maximum`,
    ],
  };
}

// ---- Pod Security Admission -------------------------------------------------------------

export type PsaLevel = 'restricted' | 'baseline' | 'privileged';

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

type ExtSpec = PodSpec & { hostPID?: boolean; hostIPC?: boolean; securityContext?: PodSpec['securityContext'] & { seccompProfile?: { type?: string } } };
type ExtContainer = Container & { ports?: (NonNullable<Container['ports']>[number] & { hostPort?: number })[]; securityContext?: Container['securityContext'] & { seccompProfile?: { type?: string } } };

/** Reasons the pod spec breaks the Pod Security baseline level (subset of the checks that matter here). */
export function baselineViolations(spec: ExtSpec): string[] {
  const out: string[] = [];
  if (spec.hostNetwork) out.push('hostNetwork');
  if (spec.hostPID) out.push('hostPID');
  if (spec.hostIPC) out.push('hostIPC');
  for (const v of spec.volumes ?? []) if ('hostPath' in v && v.hostPath) out.push(`hostPath volume ${v.name}`);
  if (spec.securityContext?.seccompProfile?.type === 'Unconfined') out.push('seccomp Unconfined');
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as ExtContainer[]) {
    if (c.securityContext?.privileged) out.push(`${c.name}: privileged`);
    for (const cap of c.securityContext?.capabilities?.add ?? []) if (!BASELINE_CAPS.has(cap)) out.push(`${c.name}: capability ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${c.name}: hostPort ${p.hostPort}`);
    if (c.securityContext?.seccompProfile?.type === 'Unconfined') out.push(`${c.name}: seccomp Unconfined`);
  }
  return out;
}

/** Reasons the pod spec breaks the restricted level on top of baseline. */
export function restrictedViolations(spec: ExtSpec): string[] {
  const out = baselineViolations(spec);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume type ${type}`);
  }
  const podSc = spec.securityContext ?? {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as ExtContainer[]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation not false`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) out.push(`${c.name}: runAsUser 0`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities not dropping ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${c.name}: capability ${cap}`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name}: no RuntimeDefault seccomp profile`);
  }
  return out;
}

export interface PsaDecision {
  enforce: PsaLevel;
  /** The scenarios that keep the level from being stricter, with the first reason each. */
  because: string[];
}

/**
 * The strictest level every offered pod template (broken and solution) passes. The routine's
 * `kubectl debug --copy-to --profile=baseline` passes baseline (`--profile=general` would add
 * SYS_PTRACE, which baseline rejects).
 */
export function psaLevel(inputs: SizingInput[]): PsaDecision {
  let level: PsaLevel = 'restricted';
  const because: string[] = [];
  for (const input of inputs) {
    for (const objects of [input.broken, input.solution]) {
      for (const t of podTemplates(objects)) {
        const base = baselineViolations(t.spec);
        if (base.length) {
          level = 'privileged';
          because.push(`${input.id}: ${base[0]}`);
          continue;
        }
        const strict = restrictedViolations(t.spec);
        if (strict.length) {
          if (level === 'restricted') level = 'baseline';
          because.push(`${input.id}: ${strict[0]}`);
        }
      }
    }
  }
  return { enforce: level, because: [...new Set(because)] };
}
