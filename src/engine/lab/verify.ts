/**
 * Verifying a fix: the verification contract (engine/verify.ts) on the run's workload with the
 * scenario's guards, on any workload, and what a verdict means for progress.
 */
import { recordVerdict, type Progress } from '../../core/progress.js';
import { parseDuration } from '../../core/scenario.js';
import { requireChangeFor } from '../../core/verify/unchanged.js';
import type { WorkloadKind } from '../../core/verify/workload.js';
import type { LabTarget, VerdictExtras } from '../labTypes.js';
import { verifyDeployment, verifyWorkload, type Verdict, type VerifyProgress } from '../verify.js';
import { webRandom, type LabContext } from './context.js';

export interface VerifyRunOptions {
  onProgress?: (progress: VerifyProgress) => void;
  signal?: AbortSignal;
  windowOverrideSeconds?: number;
  rolloutTimeoutSeconds?: number;
}

/** A Deployment's own patience when it does not say: Kubernetes' default progressDeadlineSeconds. */
export const DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS = 600;

export function verifyActions(lab: LabContext) {
  const { clock } = lab;
  return {
    /** The verification contract on the run's Deployment, with the scenario's guards. Read-only. */
    async verify(target: LabTarget, run: VerifyRunOptions = {}): Promise<Verdict> {
      const b = await lab.bundle(target.scenarioId);
      const v = b.scenario.verify;
      // An id per request: the board's verdict names it, so a second board's verdict on the same
      // request counts nothing (core/gameday/events.ts foldTeamLog).
      const requestId = [...(lab.ports.randomBytes ?? webRandom)(8)].map((x) => x.toString(16).padStart(2, '0')).join('');
      await lab.logEvent(target, { type: 'verify-requested', id: requestId });
      const verdict = await lab.withKube(false, (k) =>
        verifyDeployment({
          kube: k,
          clock,
          namespace: target.namespace,
          deployment: v.deployment,
          kind: b.scenario.workload.kind,
          guards: b.scenario.guards,
          requireChange: requireChangeFor(b.scenario, b.broken),
          crashWithinSeconds: parseDuration(v.crashWithin),
          marginSeconds: parseDuration(v.margin),
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? parseDuration(v.rolloutTimeout),
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
      // The participant's own verdict is informational: only the instructor's side scores.
      await lab.logEvent(target, { type: 'verify-verdict', pass: verdict.result === 'pass', by: 'participant', reasons: [verdict.summary.en], result: verdict.result });
      return verdict;
    },

    /** Any Deployment, StatefulSet, DaemonSet or Job (no scenario, no guards). Read-only. */
    async verifyWorkload(namespace: string, kind: WorkloadKind, name: string, run: VerifyRunOptions = {}): Promise<Verdict> {
      return lab.withKube(false, (k) =>
        verifyWorkload({
          kube: k,
          clock,
          namespace,
          kind,
          name,
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS,
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
    },

    /** Any Deployment (no scenario, no guards). Read-only. */
    async verifyDeployment(namespace: string, deployment: string, run: VerifyRunOptions = {}): Promise<Verdict> {
      return lab.withKube(false, (k) =>
        verifyDeployment({
          kube: k,
          clock,
          namespace,
          deployment,
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS,
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
    },

    /** Saves what a verdict means for progress (core/progress.ts decides the best time). */
    async recordVerdict(target: LabTarget, outcome: Verdict['result'], extras: VerdictExtras = {}): Promise<Progress> {
      return lab.store.update((progress) => recordVerdict(progress, target.scenarioId, outcome, { nowMs: clock.now(), seconds: extras.seconds, hintsUsed: extras.hintsUsed }));
    },
  };
}
