/**
 * Evidence lines: the exact field values and event messages a finding rests on, formatted the
 * same way everywhere so a learner can find them again in `kubectl describe` or `-o json`.
 */
import { clip } from '../untrusted.js';
import type { ContainerStateTerminated, ContainerStateWaiting, KubeEvent, Pod } from '../k8s.js';

/** Evidence quotes at most this much of a message or log line (a 10 MB line is an excerpt). */
const QUOTE_CHARS = 500;

/** Messages on one line (a multi-line termination message would break the layout), bounded. */
export function oneLine(text: string): string {
  return clip(text, QUOTE_CHARS * 4).replace(/\s*\n\s*/g, ' ⏎ ').trim();
}

export function waitingLine(w: ContainerStateWaiting): string {
  const message = w.message ? ` message="${oneLine(w.message)}"` : '';
  return `state.waiting: reason=${w.reason ?? '(none)'}${message}`;
}

export function terminatedLine(field: 'state.terminated' | 'lastState.terminated', t: ContainerStateTerminated): string {
  const signal = t.signal ? ` signal=${t.signal}` : '';
  const message = t.message ? ` message="${oneLine(t.message)}"` : '';
  return `${field}: reason=${t.reason ?? '(none)'} exitCode=${t.exitCode}${signal}${message}`;
}

export function eventLine(e: KubeEvent): string {
  const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
  return `event ${e.type ?? 'Normal'} ${e.reason ?? '(no reason)'}${count}: ${oneLine(e.message ?? '')}`;
}

export function logLine(line: string): string {
  return `log: ${clip(line.trim(), QUOTE_CHARS)}`;
}

/** Events about this pod (by name, and by namespace and uid when both sides carry them). */
export function eventsForPod(events: KubeEvent[], pod: Pod): KubeEvent[] {
  return events.filter((e) => {
    const o = e.involvedObject;
    if (o.kind && o.kind !== 'Pod') return false;
    if (o.name !== pod.metadata.name) return false;
    if (o.namespace && pod.metadata.namespace && o.namespace !== pod.metadata.namespace) return false;
    if (o.uid && pod.metadata.uid && o.uid !== pod.metadata.uid) return false;
    return true;
  });
}

/** The container an event is about, from involvedObject.fieldPath `spec.containers{app}`. */
export function eventContainer(e: KubeEvent): string | undefined {
  const match = /^spec\.(?:initContainers|containers|ephemeralContainers)\{(.+)\}$/.exec(e.involvedObject.fieldPath ?? '');
  return match?.[1];
}

export function eventMs(e: KubeEvent): number {
  const raw = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  const ms = raw ? Date.parse(raw) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** Oldest first, as `kubectl get events --sort-by=.lastTimestamp` lists them. */
export function byTime(events: KubeEvent[]): KubeEvent[] {
  return [...events].sort((a, b) => eventMs(a) - eventMs(b));
}
