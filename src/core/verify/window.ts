/**
 * The stability window W: how long restart counts must stay flat before a fix passes. It is
 * derived from the pod spec, because a still-broken container only proves itself broken once
 * its probes have had time to fail (or its known crash time has passed).
 */
import type { Container, PodSpec, Probe } from '../k8s.js';
import type { Text } from '../text.js';
import type { LearnedTerm } from './lifetimes.js';

/** Kubernetes' probe defaults (core/v1 Probe). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 } as const;

/** With no probes and no known crash time, a few seconds are no proof of anything. */
export const MINIMUM_WINDOW_SECONDS = 15;

export interface WindowOptions {
  /** How long after start the scenario's broken container fails. */
  crashWithinSeconds?: number;
  /** Added on top of the longest term. */
  marginSeconds: number;
  /** A user-chosen window (`--window 45s`) replaces the derived one. */
  overrideSeconds?: number;
  minimumSeconds?: number;
  /** Lifetimes the cluster has already seen (lifetimes.ts): W must outlast them too. */
  learned?: readonly LearnedTerm[];
}

export interface StabilityWindow {
  seconds: number;
  /** How W was derived, one term a line, for the verdict. */
  reasons: Text[];
}

const t = (en: string, ko: string): Text => ({ en, ko });

function timing(probe: Probe) {
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    failureThreshold: probe.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
  };
}

interface Term {
  seconds: number;
  reason: Text;
}

/** The time a still-broken container needs to be killed (or shown unready) by its probes. */
function containerTerms(container: Container): Term[] {
  const terms: Term[] = [];
  const name = container.name;
  let startupBudget = 0;
  if (container.startupProbe) {
    const p = timing(container.startupProbe);
    startupBudget = p.initialDelaySeconds + p.periodSeconds * p.failureThreshold;
    if (!container.livenessProbe) {
      terms.push({
        seconds: startupBudget,
        reason: t(
          `${name}: startup probe budget ${p.initialDelaySeconds} + ${p.periodSeconds} × ${p.failureThreshold} = ${startupBudget} s`,
          `${name}: startup 프로브 허용 시간 ${p.initialDelaySeconds} + ${p.periodSeconds} × ${p.failureThreshold} = ${startupBudget}초`,
        ),
      });
    }
  }
  if (container.livenessProbe) {
    const p = timing(container.livenessProbe);
    const liveness = p.initialDelaySeconds + p.periodSeconds * p.failureThreshold + p.timeoutSeconds;
    const formula = `${p.initialDelaySeconds} + ${p.periodSeconds} × ${p.failureThreshold} + ${p.timeoutSeconds}`;
    terms.push(
      startupBudget > 0
        ? {
            seconds: startupBudget + liveness,
            reason: t(
              `${name}: startup probe budget ${startupBudget} s (liveness waits for it) + liveness ${formula} = ${startupBudget + liveness} s`,
              `${name}: startup 프로브 허용 시간 ${startupBudget}초(그동안 liveness는 대기) + liveness ${formula} = ${startupBudget + liveness}초`,
            ),
          }
        : {
            seconds: liveness,
            reason: t(
              `${name}: liveness probe initialDelay + period × failureThreshold + timeout = ${formula} = ${liveness} s`,
              `${name}: liveness 프로브 initialDelay + period × failureThreshold + timeout = ${formula} = ${liveness}초`,
            ),
          },
    );
  }
  if (container.readinessProbe) {
    const p = timing(container.readinessProbe);
    const readiness = startupBudget + p.initialDelaySeconds + p.periodSeconds + p.timeoutSeconds;
    terms.push({
      seconds: readiness,
      reason: t(
        `${name}: readiness probe first result ${startupBudget ? 'startup + ' : ''}initialDelay + period + timeout = ${startupBudget ? `${startupBudget} + ` : ''}${p.initialDelaySeconds} + ${p.periodSeconds} + ${p.timeoutSeconds} = ${readiness} s`,
        `${name}: readiness 프로브 첫 결과 ${startupBudget ? 'startup + ' : ''}initialDelay + period + timeout = ${startupBudget ? `${startupBudget} + ` : ''}${p.initialDelaySeconds} + ${p.periodSeconds} + ${p.timeoutSeconds} = ${readiness}초`,
      ),
    });
  }
  return terms;
}

/** Containers that keep running next to the app: regular ones and native sidecars. */
function longRunningContainers(spec: PodSpec | Container[]): Container[] {
  if (Array.isArray(spec)) return spec;
  return [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...spec.containers];
}

export function stabilityWindow(spec: PodSpec | Container[], options: WindowOptions): StabilityWindow {
  const terms = longRunningContainers(spec).flatMap(containerTerms);
  if (options.crashWithinSeconds !== undefined && options.crashWithinSeconds > 0) {
    const s = options.crashWithinSeconds;
    terms.push({ seconds: s, reason: t(`the broken version crashes within ${s} s of starting`, `고장 난 버전은 시작 후 ${s}초 안에 죽습니다`) });
  }
  for (const term of options.learned ?? []) terms.push({ seconds: term.seconds, reason: term.reason });
  const longest = terms.reduce((max, term) => Math.max(max, term.seconds), 0);
  const margin = options.marginSeconds;
  const minimum = options.minimumSeconds ?? MINIMUM_WINDOW_SECONDS;
  const reasons = terms.map((term) => term.reason);
  if (terms.length === 0) {
    reasons.push(t('no probes and no known crash time', '프로브도, 알려진 crash 시점도 없음'));
  }
  reasons.push(t(`longest term ${longest} s + margin ${margin} s = ${longest + margin} s`, `가장 긴 항목 ${longest}초 + 여유 ${margin}초 = ${longest + margin}초`));
  let seconds = longest + margin;
  if (seconds < minimum) {
    reasons.push(t(`raised to the minimum of ${minimum} s`, `최소값 ${minimum}초로 올림`));
    seconds = minimum;
  }
  if (options.overrideSeconds !== undefined) {
    return overrideWindow(options.overrideSeconds, { seconds, reasons });
  }
  return { seconds, reasons };
}

/** `--window` wins, but the verdict still says what the spec would have asked for. */
function overrideWindow(overrideSeconds: number, derived: StabilityWindow): StabilityWindow {
  const reasons = [
    t(`set by --window to ${overrideSeconds} s (derived from the spec: ${derived.seconds} s)`, `--window로 ${overrideSeconds}초 지정 (spec 기준 계산값: ${derived.seconds}초)`),
  ];
  if (overrideSeconds < derived.seconds) {
    reasons.push(
      t(
        `shorter than the ${derived.seconds} s a still-broken container may need to fail again: a pass proves less`,
        `고장 난 컨테이너가 다시 죽기까지 필요할 수 있는 ${derived.seconds}초보다 짧습니다: 통과해도 증명력이 약합니다`,
      ),
    );
  }
  return { seconds: overrideSeconds, reasons: [...reasons, ...derived.reasons] };
}

/** Containers whose readiness decides the pod's: regular ones and native sidecars. */
export function readinessContainers(spec: PodSpec): Container[] {
  return longRunningContainers(spec);
}

export interface ReadinessBudget {
  seconds: number;
  reason: Text;
}

/**
 * How long a running pod may stay not Ready before that is a verdict: the slowest container's
 * startup budget (readiness waits for it) + its readiness probe's own budget (initialDelay +
 * period × failureThreshold + timeout) + the margin. Kubernetes itself would wait for the
 * 10-minute progress deadline; a learner should not.
 */
export function readinessBudget(spec: PodSpec, marginSeconds: number, minimumSeconds = MINIMUM_WINDOW_SECONDS): ReadinessBudget {
  let best: { seconds: number; en: string; ko: string } = { seconds: 0, en: 'no readiness or startup probe', ko: 'readiness·startup 프로브 없음' };
  for (const c of longRunningContainers(spec)) {
    const startup = c.startupProbe ? timing(c.startupProbe) : undefined;
    const startupBudget = startup ? startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold : 0;
    const r = c.readinessProbe ? timing(c.readinessProbe) : undefined;
    const readiness = r ? r.initialDelaySeconds + r.periodSeconds * r.failureThreshold + r.timeoutSeconds : 0;
    const seconds = startupBudget + readiness;
    if (seconds <= best.seconds) continue;
    const parts = [startup ? `startup ${startupBudget} s` : '', r ? `readiness ${r.initialDelaySeconds} + ${r.periodSeconds} × ${r.failureThreshold} + ${r.timeoutSeconds} = ${readiness} s` : ''].filter(Boolean);
    const partsKo = [startup ? `startup ${startupBudget}초` : '', r ? `readiness ${r.initialDelaySeconds} + ${r.periodSeconds} × ${r.failureThreshold} + ${r.timeoutSeconds} = ${readiness}초` : ''].filter(Boolean);
    best = { seconds, en: `${c.name}: ${parts.join(' + ')}`, ko: `${c.name}: ${partsKo.join(' + ')}` };
  }
  const seconds = Math.max(minimumSeconds, best.seconds + marginSeconds);
  return { seconds, reason: t(`${best.en}, + margin ${marginSeconds} s → ${seconds} s`, `${best.ko}, + 여유 ${marginSeconds}초 → ${seconds}초`) };
}
