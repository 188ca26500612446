/**
 * Probe failures as the kubelet reports them. The event reasons (Unhealthy, Killing) are
 * stable; which probe failed is only in the message, whose prefix ("Liveness probe failed")
 * has not changed across releases, so that is the one piece of wording we rely on.
 */
import type { Container, KubeEvent, Probe } from '../k8s.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
/** errored: the probe could not run at all (its command is missing...): the kubelet keeps the last result. */
export type ProbeOutcome = 'http-status' | 'refused' | 'timeout' | 'errored' | 'other';

export interface ProbeFailure {
  kind: ProbeKind;
  outcome: ProbeOutcome;
  statusCode?: number;
  /** The port the probe dialled, when the message names it. */
  port?: number;
  event: KubeEvent;
}

export function parseProbeFailure(e: KubeEvent): ProbeFailure | undefined {
  if (e.reason !== 'Unhealthy') return undefined;
  const message = e.message ?? '';
  const kind = /^\s*(liveness|readiness|startup) probe/i.exec(message)?.[1]?.toLowerCase() as ProbeKind | undefined;
  if (!kind) return undefined;
  const status = /statuscode: (\d+)/i.exec(message);
  const port = /dial tcp [^\s]*:(\d+)/.exec(message) ?? /https?:\/\/[^/\s"]+:(\d+)/.exec(message);
  let outcome: ProbeOutcome = 'other';
  if (/probe errored/i.test(message)) outcome = 'errored';
  else if (status) outcome = 'http-status';
  else if (/connection refused/i.test(message)) outcome = 'refused';
  else if (/deadline exceeded|timeout|timed out/i.test(message)) outcome = 'timeout';
  return { kind, outcome, statusCode: status ? Number(status[1]) : undefined, port: port ? Number(port[1]) : undefined, event: e };
}

/** A Killing event is a probe kill when it says so, or when the same container has liveness/startup failures. */
export function killedByProbe(killing: KubeEvent[], failures: ProbeFailure[]): ProbeKind | undefined {
  if (killing.length === 0) return undefined;
  const named = killing.map((e) => /failed (liveness|startup) probe/i.exec(e.message ?? '')?.[1]?.toLowerCase()).find(Boolean);
  if (named) return named as ProbeKind;
  return failures.find((f) => f.kind === 'liveness' || f.kind === 'startup')?.kind;
}

export function probeOf(container: Container | undefined, kind: ProbeKind): Probe | undefined {
  if (!container) return undefined;
  return kind === 'liveness' ? container.livenessProbe : kind === 'readiness' ? container.readinessProbe : container.startupProbe;
}

/** The numeric port a probe targets (named ports resolved against the container's ports). */
export function probePort(container: Container | undefined, probe: Probe | undefined): number | undefined {
  const raw = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (/^\d+$/.test(raw)) return Number(raw);
    return container?.ports?.find((p) => p.name === raw)?.containerPort;
  }
  return undefined;
}

/** How long the kubelet tolerates failures before it acts: initialDelay + period × threshold. */
export function probeBudgetSeconds(probe: Probe): number {
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

export function probeSpecLine(kind: ProbeKind, probe: Probe): string {
  const target = probe.httpGet
    ? `httpGet ${probe.httpGet.path ?? '/'} port ${probe.httpGet.port}`
    : probe.tcpSocket
      ? `tcpSocket port ${probe.tcpSocket.port}`
      : probe.exec
        ? `exec ${JSON.stringify(probe.exec.command)}`
        : probe.grpc
          ? `grpc port ${probe.grpc.port}`
          : 'no handler';
  const timing = `initialDelaySeconds=${probe.initialDelaySeconds ?? 0} periodSeconds=${probe.periodSeconds ?? 10} timeoutSeconds=${probe.timeoutSeconds ?? 1} failureThreshold=${probe.failureThreshold ?? 3}`;
  const consequence = kind === 'readiness' ? 'the pod is marked not ready' : 'the kubelet restarts the container';
  return `spec ${kind}Probe: ${target} ${timing} (≈${probeBudgetSeconds(probe)}s of failures before ${consequence})`;
}
