/**
 * What the lab UI calls: the lab action API (engine/labApi.ts) as it is, but for the answers
 * shaped for screens — verdicts and verify progress as lines in the learner's language, a
 * rejected solution as an answer rather than an exception. No lab rule is decided here.
 */
import { pick, type Lang } from '../core/text.js';
import type { LabApi } from '../engine/labApi.js';
import type { ApplyResult, LabTarget, VerdictView, VerifyProgressView } from '../engine/labTypes.js';
import type { Verdict, VerifyProgress } from '../engine/verify.js';
import { SlowCallStore, type SlowCallListener } from './slowCallStore.js';

/**
 * The lab API as the lab UI sees it: every action as the engine answers it, except the few a
 * screen needs shaped (listed here). A new lab action needs nothing in this file.
 */
export type LabClient = Omit<LabApi, 'solve' | 'verify'> & {
  /** A refused solution is an answer the fix screen shows, not an exception. */
  solve(target: LabTarget): Promise<ApplyResult>;
  /** The verdict and its progress as lines in the learner's language. */
  verify(target: LabTarget, options: { onProgress: (progress: VerifyProgressView) => void; signal: AbortSignal }): Promise<VerdictView>;
  /** The kubectl calls waiting on a slow cluster, now and on every change; returns the unsubscribe. */
  watchSlowCalls(listener: SlowCallListener): () => void;
};

export function verifyProgressView(progress: VerifyProgress, lang: Lang): VerifyProgressView {
  switch (progress.phase) {
    case 'waiting-for-rollout':
      return { phase: 'waiting-for-rollout', elapsedSeconds: progress.elapsedSeconds, message: pick(progress.reason, lang) };
    case 'watching':
      return {
        phase: 'watching',
        windowSeconds: progress.windowSeconds,
        remainingSeconds: progress.remainingSeconds,
        restarts: progress.pods.flatMap((p) => p.containers.map((c) => ({ pod: p.pod, container: c.name, restarts: c.restarts }))),
      };
    case 'done':
      return { phase: 'done' };
  }
}

export function verdictView(verdict: Verdict, lang: Lang): VerdictView {
  return {
    outcome: verdict.result,
    summary: pick(verdict.summary, lang),
    windowSeconds: verdict.windowSeconds,
    windowReasons: verdict.windowReasons.map((r) => pick(r, lang)),
    elapsedSeconds: verdict.elapsedSeconds,
    evidence: verdict.evidence.map((e) => pick(e.summary, lang)),
    guards: verdict.guardResults.map((g) => ({ guard: g.label, ok: g.ok, detail: pick(g.message, lang) })),
  };
}

/** `slowCalls` is the feed given to composeLab as onSlowCall (none: the cluster is never slow). */
export function labClient(api: LabApi, lang: Lang, slowCalls: SlowCallStore = new SlowCallStore()): LabClient {
  return {
    ...api,
    solve: async (target) => {
      try {
        return { ok: true, lines: await api.solve(target) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    verify: async (target, options) => verdictView(await api.verify(target, { signal: options.signal, onProgress: (p) => options.onProgress(verifyProgressView(p, lang)) }), lang),
    watchSlowCalls: (listener) => slowCalls.subscribe(listener),
  };
}
