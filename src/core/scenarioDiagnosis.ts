/**
 * The offline diagnosis check of `validate`: the pod a scenario's `expect` describes (its
 * waiting reason, last termination, restarts, events and previous-log line), run through the
 * diagnosis engine, should be named with the scenario's category. Only a warning: a live pod
 * says more than `expect` does, and `crashlab prove` checks the real thing.
 */
import { diagnose } from './diagnose.js';
import type { Container, KubeEvent, Pod, PodSpec } from './k8s.js';
import type { Scenario } from './scenario.js';

/** A regular expression's literal reading: what a log line matching it most plainly says. */
export function exampleText(pattern: string | undefined): string | undefined {
  if (!pattern) return undefined;
  return pattern
    .replace(/^\^|\$$/g, '')
    .replace(/\.\*|\.\+/g, ' ')
    .replace(/\\d\+?|\[0-9\]\+?/g, '1')
    .replace(/\\s\+?/g, ' ')
    .replace(/\(\?:|[()]/g, '')
    .split('|')[0]
    .replace(/\\(.)/g, '$1')
    .trim();
}

/** What the kubelet writes for a probe of this container that fails (the probe kind and handler from the spec). */
function probeEventMessage(container: Container | undefined): string {
  const probe = container?.livenessProbe ? ['Liveness', container.livenessProbe] : container?.readinessProbe ? ['Readiness', container.readinessProbe] : container?.startupProbe ? ['Startup', container.startupProbe] : undefined;
  if (!probe) return 'Probe failed';
  const [kind, p] = probe as [string, NonNullable<Container['livenessProbe']>];
  if (p.httpGet) return `${kind} probe failed: HTTP probe failed with statuscode: 404`;
  if (p.tcpSocket) return `${kind} probe failed: dial tcp 10.244.0.7:${String(p.tcpSocket.port)}: connect: connection refused`;
  return `${kind} probe failed: `;
}

/**
 * The pod the expectation describes, as kubectl would print it at its worst moment, with the
 * broken workload's pod spec (probes, init containers and sidecars are evidence too).
 */
export function expectedPod(scenario: Scenario, brokenSpec?: PodSpec): { pod: Pod; events: KubeEvent[]; log?: string } {
  const e = scenario.expect;
  const name = `${scenario.workload.name}-7d9f8b6c5d-x2x4q`;
  const waiting = e.waitingReasons?.[0] ?? (e.podStatuses ?? []).map((s) => s.replace(/^Init:/, '')).find((s) => /Err|BackOff|Error$/.test(s) && s !== 'Error');
  const restarts = e.minRestarts ?? (e.lastTerminated ? 2 : 0);
  const isInit = (brokenSpec?.initContainers ?? []).some((c) => c.name === e.container && c.restartPolicy !== 'Always') || (e.podStatuses ?? []).some((s) => /^Init:/.test(s));
  const status = {
    name: e.container,
    ready: false,
    restartCount: restarts,
    state: waiting ? { waiting: { reason: waiting, ...(e.waitingMessage ? { message: exampleText(e.waitingMessage) } : {}) } } : { running: { startedAt: '2026-12-06T10:00:00Z' } },
    ...(e.lastTerminated
      ? { lastState: { terminated: { reason: e.lastTerminated.reason, exitCode: e.lastTerminated.exitCode, startedAt: '2026-12-06T10:00:00Z', finishedAt: '2026-12-06T10:00:05Z', ...(e.lastTerminated.message ? { message: exampleText(e.lastTerminated.message) } : {}) } } }
      : {}),
  };
  const spec: PodSpec = brokenSpec ?? { containers: [{ name: e.container, image: scenario.images[0] }] };
  const healthy = (c: Container) => ({ name: c.name, ready: !isInit, restartCount: 0, state: isInit ? { waiting: { reason: 'PodInitializing' } } : { running: { startedAt: '2026-12-06T10:00:00Z' } } });
  const others = (list: Container[] | undefined) => (list ?? []).filter((c) => c.name !== e.container).map(healthy);
  const inInit = (spec.initContainers ?? []).some((c) => c.name === e.container);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: `crashlab-${scenario.id}`, labels: { app: scenario.workload.name } },
    spec,
    status: {
      phase: isInit ? 'Pending' : 'Running',
      initContainerStatuses: [...(inInit ? [status] : []), ...others(spec.initContainers)],
      containerStatuses: [...(inInit ? [] : [status]), ...others(spec.containers)],
    },
  } as unknown as Pod;
  const subject = [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === e.container);
  const events = (e.events ?? []).map(
    (reason, i) =>
      ({
        type: 'Warning',
        reason,
        message:
          reason === 'BackOff'
            ? `Back-off restarting failed container ${e.container} in pod ${name}`
            : reason === 'Unhealthy'
              ? probeEventMessage(subject)
              : reason === 'Killing'
                ? `Container ${e.container} failed liveness probe, will be restarted`
                : reason === 'Failed'
                  ? `Error: ${exampleText(e.lastTerminated?.message ?? e.waitingMessage) ?? 'failed'}`
                  : reason,
        involvedObject: { kind: 'Pod', name, namespace: `crashlab-${scenario.id}`, fieldPath: `spec.containers{${e.container}}` },
        lastTimestamp: `2026-12-06T10:00:${String(10 + i).padStart(2, '0')}Z`,
        count: 1,
      }) as unknown as KubeEvent,
  );
  return { pod, events, log: exampleText(e.previousLog) };
}

/** undefined when diagnosis names the scenario's category; otherwise what it named. */
export function offlineDiagnosisMismatch(scenario: Scenario, brokenSpec?: PodSpec): string | undefined {
  const { pod, events, log } = expectedPod(scenario, brokenSpec);
  const top = diagnose({ pods: [pod], events, logs: log ? { [scenario.expect.container]: log } : undefined }).findings[0];
  if (top?.category === scenario.category) return undefined;
  return top ? `${top.category} (${top.summary.en})` : 'nothing';
}
