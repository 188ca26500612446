/**
 * The scenario file format (scenarios/<id>/scenario.yaml) and its validation. Pure: the loader
 * in adapters/ reads the files, this module decides what a valid scenario is.
 */
import { z } from 'zod';
import { parseDurationText } from './duration.js';
import { CATEGORY_IDS } from './categories.js';

/** Hangul syllables: Korean text that is really Korean (not the English copied under `ko`). */
export const HANGUL = /[\uac00-\ud7a3]/;

const text = z.object({ en: z.string().min(1), ko: z.string().min(1) }).strict();

/** The lab reveals hints one by one and scores each; every scenario has the same number. */
export const HINT_COUNT = 3;

/**
 * What kubectl's STATUS column, a container's waiting reason, a terminated reason and a pod's
 * Warning event reason can say (kubelet, containerd, kubectl 1.34): a value outside these sets
 * can never be observed, so an `expect` naming it could never be met.
 */
export const KNOWN_WAITING_REASONS = [
  'CrashLoopBackOff', 'ContainerCreating', 'PodInitializing', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError',
  'ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError', 'RegistryUnavailable', 'PreStartHookError', 'PostStartHookError',
] as const;
export const KNOWN_TERMINATED_REASONS = ['Error', 'Completed', 'OOMKilled', 'StartError', 'ContainerCannotRun', 'DeadlineExceeded', 'ContainerStatusUnknown', 'Evicted'] as const;
const STATUS_WORDS = [...KNOWN_WAITING_REASONS, ...KNOWN_TERMINATED_REASONS, 'Running', 'Pending', 'Terminating', 'Unknown', 'NotReady', 'Succeeded', 'Failed', 'SchedulingGated'];
export const KNOWN_POD_STATUSES: readonly string[] = STATUS_WORDS;
/** STATUS also shows Init:<reason>, Init:1/2, Signal:9 and ExitCode:3. */
export function isKnownPodStatus(status: string): boolean {
  if (STATUS_WORDS.includes(status)) return true;
  const init = /^Init:(.+)$/.exec(status);
  if (init) return /^\d+\/\d+$/.test(init[1]) || STATUS_WORDS.includes(init[1]);
  return /^(Signal|ExitCode):\d+$/.test(status);
}
export const KNOWN_EVENT_REASONS = [
  'BackOff', 'Unhealthy', 'Killing', 'Failed', 'FailedMount', 'FailedAttachVolume', 'FailedScheduling', 'FailedCreatePodSandBox', 'FailedKillPod', 'FailedPostStartHook',
  'FailedPreStopHook', 'FailedSync', 'ErrImageNeverPull', 'InspectFailed', 'ProbeWarning', 'ExceededGracePeriod', 'Evicted', 'OOMKilling', 'NetworkNotReady', 'DNSConfigForming',
  'BackoffLimitExceeded', 'DeadlineExceeded', 'FailedCreate', 'Pulling', 'Pulled', 'Created', 'Started', 'SandboxChanged', 'Preempting', 'FailedValidation',
] as const;

/** The message of a regular expression that does not compile; undefined when it does. */
export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/** "45s", "2m", "1m30s" or a number of seconds. */
export const durationSchema = z.union([
  z.number().nonnegative(),
  z.string().regex(/^(\d+m)?(\d+s)?$/, 'must be a duration like 45s, 2m or 1m30s').refine((s) => s.length > 0, 'must not be empty'),
]);

/** The longest a learner may wait, after `start`, before the broken workload shows anything. */
export const MAX_FIRST_SYMPTOM_SECONDS = 30;

export function parseDuration(value: z.infer<typeof durationSchema>): number {
  if (typeof value === 'number') return value;
  const parsed = parseDurationText(value, { zero: true });
  if (!parsed.ok) throw new Error(`not a duration: ${parsed.error}`);
  return parsed.seconds;
}

/**
 * What the broken workload must look like on a real cluster. The cluster suite checks every
 * field; a scenario that does not break this way is a bug.
 */
const expectSchema = z
  .object({
    /** Container whose state is checked (init containers included). */
    container: z.string().min(1),
    /** The signature must be visible within this time after `start`. */
    within: durationSchema,
    /**
     * How soon after `start` the first symptom shows (a restart, a termination, a waiting reason
     * other than ContainerCreating/PodInitializing, or a Warning event): a learner must not sit
     * waiting, so at most 30 s (also when absent). The cluster suite measures it.
     */
    firstSymptomWithin: durationSchema
      .refine((v) => parseDuration(v) <= MAX_FIRST_SYMPTOM_SECONDS, `must be at most ${MAX_FIRST_SYMPTOM_SECONDS}s: a learner must not sit waiting for the first symptom`)
      .optional(),
    /** The container's current waiting reason is one of these at some point (e.g. CrashLoopBackOff). */
    waitingReasons: z.array(z.string().min(1)).optional(),
    /** kubectl's STATUS column shows one of these at some point (e.g. Init:CrashLoopBackOff). */
    podStatuses: z.array(z.string().min(1)).optional(),
    /** waiting.message must match this regular expression (e.g. CreateContainerConfigError text). */
    waitingMessage: z.string().min(1).optional(),
    lastTerminated: z
      .object({
        reason: z.string().min(1),
        exitCode: z.number().int(),
        /** Regular expression over lastState.terminated.message. */
        message: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    minRestarts: z.number().int().nonnegative().optional(),
    maxRestarts: z.number().int().nonnegative().optional(),
    /** Reasons of Warning events about the pod that must appear (e.g. BackOff, Unhealthy). */
    events: z.array(z.string().min(1)).optional(),
    /** Regular expression that the previous container log must match. */
    previousLog: z.string().min(1).optional(),
  })
  .strict();

const guardSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('probe'),
      container: z.string().min(1),
      probe: z.enum(['liveness', 'readiness', 'startup']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('readOnlyRootFilesystem'),
      container: z.string().min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('runAsNonRoot'),
      container: z.string().min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('resourceLimit'),
      container: z.string().min(1),
      resource: z.enum(['memory', 'cpu']),
      /** Upper bound so "set it to 100Gi" is not a fix, e.g. 256Mi. */
      max: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('secretKeyRef'),
      container: z.string().min(1),
      env: z.string().min(1),
      secret: z.string().min(1),
      /** Marking the reference optional hides the problem instead of fixing it. */
      allowOptional: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      kind: z.literal('image'),
      container: z.string().min(1),
      image: z.string().min(1),
    })
    .strict(),
  z
    .object({
      /**
       * The workload's behaviour under test stays: a line of the container's command/args (a
       * `sh -c` script line, trimmed) that must still be there, e.g. the 64 MiB allocation of
       * `oom`. A fix that deletes the allocation, the slow start or the write is not a fix.
       */
      kind: z.literal('command'),
      container: z.string().min(1),
      line: z.string().trim().min(1),
      /** What the line does, for the verdict ("the 64 MiB catalogue load"). */
      what: z.object({ en: z.string().min(1), ko: z.string().min(1) }).strict(),
    })
    .strict(),
]);

/**
 * The workload under test: a Deployment named by `deployment:` (the original form), or any kind
 * verify understands by `kind:` + `name:`. Parsed, it always has all four: `deployment` repeats
 * the name for readers written for Deployments (a Job's name is not a Deployment's: read `kind`).
 */
export const WORKLOAD_KIND_NAMES = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const;
const workloadSchema = z
  .object({
    kind: z.enum(WORKLOAD_KIND_NAMES).default('Deployment'),
    name: z.string().min(1).optional(),
    deployment: z.string().min(1).optional(),
    container: z.string().min(1),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (!w.name && !w.deployment) ctx.addIssue({ code: 'custom', path: ['name'], message: 'the workload needs a name (name:, or deployment: for a Deployment)' });
    if (w.deployment && w.kind !== 'Deployment') ctx.addIssue({ code: 'custom', path: ['deployment'], message: `deployment: names a Deployment; name a ${w.kind} with name:` });
    if (w.name && w.deployment && w.name !== w.deployment) ctx.addIssue({ code: 'custom', path: ['name'], message: `name "${w.name}" and deployment "${w.deployment}" differ` });
  })
  .transform((w) => {
    const name = (w.name ?? w.deployment) as string;
    return { kind: w.kind, name, deployment: name, container: w.container };
  });

const verifySchema = z
  .object({
    /** The workload's name again (optional: it defaults to workload's). */
    deployment: z.string().min(1).optional(),
    /** How long after start the broken container fails: the window must outlast it. */
    crashWithin: durationSchema,
    margin: durationSchema.default(10),
    /** Give up waiting for the rollout after this long. */
    rolloutTimeout: durationSchema.default(120),
    /**
     * The broken workload heals by itself if left alone (it crash-loops only until something
     * started beside it is up): verify fails while the live pod template still is the broken
     * manifest's. `because` says why it recovers, for the verdict.
     */
    requireChange: z.union([z.boolean(), z.object({ because: text }).strict()]).default(false),
  })
  .strict();

export const scenarioSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase DNS label (a-z, 0-9, -)'),
    category: z.enum(CATEGORY_IDS),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    /** Order in the picker. */
    order: z.number().int().nonnegative().default(100),
    title: text,
    /** One line for the picker. */
    summary: text,
    /** What the learner is told before starting (the story, not the answer). */
    briefing: text,
    /** What a learner in mystery mode sees instead of the title. */
    symptoms: text,
    hints: z.array(text).min(1),
    /**
     * Every image the manifests run (name:tag), so a workshop can pre-load them (`crashlab
     * images`). Checked against the manifests; `:latest` and untagged images are refused.
     */
    images: z.array(z.string().min(1)).min(1),
    /**
     * runtime-issue: one image's per-architecture manifests by digest, `{amd64: ..., arm64: ...}`.
     * At deploy time the variant for an architecture no node has replaces whichever of them the
     * manifests run (core/arch.ts). Each is listed under images too.
     */
    foreignArch: z.record(z.string(), z.string().min(1)).optional(),
    /**
     * Runs as designed in a game-day team namespace: Pod Security `baseline` enforced, the team's
     * ResourceQuota and LimitRange (every container states cpu/memory requests and a memory
     * limit), namespaced objects only, no hostNetwork/hostPath/privileged, images the cluster
     * already has. Game days offer only shared scenarios.
     */
    shared: z.boolean().default(false),
    /** Why it broke, what the fix changes, what the guide gets wrong here. */
    debrief: text,
    /** The guide's before/after checklist items that apply. */
    checklist: z.array(text).default([]),
    workload: workloadSchema,
    expect: expectSchema,
    guards: z.array(guardSchema).default([]),
    verify: verifySchema,
  })
  .strict()
  .transform((s) => ({ ...s, verify: { ...s.verify, deployment: s.verify.deployment ?? s.workload.name } }));

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ExpectedSignature = z.infer<typeof expectSchema>;
export type Guard = z.infer<typeof guardSchema>;
export type VerifySettings = z.infer<typeof verifySchema>;

export interface SchemaProblem {
  /** Dotted field path, e.g. hints.2.ko */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: SchemaProblem[] };

export function parseScenario(raw: unknown): ParseResult {
  const result = scenarioSchema.safeParse(raw);
  if (result.success) return { ok: true, scenario: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.map(String).join('.') : '(top level)',
      message: issueMessage(issue, valueAt(raw, issue.path)),
    })),
  };
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** zod's words, except where they hide the point: a missing field is "missing", a wrong choice is echoed. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && value === undefined) return `missing (required: ${issue.expected})`;
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    const allowed = issue.values.map((v) => String(v)).join(', ');
    return value === undefined ? `missing (required: one of ${allowed})` : `${JSON.stringify(value)} is not one of the allowed values: ${allowed}`;
  }
  return issue.message;
}
