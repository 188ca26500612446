/**
 * Evidence weighing across sources, one rule per miss class of issue 12: the current signal
 * beats an old event, an erroring probe on a Ready pod is not "healthy", a refused connection
 * at boot names the sidecar when the spec has one.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnose.js';
import type { KubeEvent, Pod } from '../../../src/core/k8s.js';
import { fixture } from '../../fakes/diagnoseFixtures.js';

/** The real-shaped liveness-kill fixture, its last run replaced. */
function slowApp(last: { exitCode: number; startedAt: string; finishedAt: string }) {
  const { pod, events } = fixture('liveness-kill-137');
  const copy = structuredClone(pod);
  copy.status!.containerStatuses![0].lastState = { terminated: { ...copy.status!.containerStatuses![0].lastState!.terminated!, ...last, reason: 'Error' } };
  return { pod: copy, events: structuredClone(events!.items) };
}

describe('the current signal beats an old one', () => {
  it('a probe kill from before the current run does not outweigh the current exit and its log', () => {
    // The Killing event of the fixture is at 09:15:24; this run started 25 minutes later.
    const { pod, events } = slowApp({ exitCode: 1, startedAt: '2026-11-24T09:40:00Z', finishedAt: '2026-11-24T09:40:03Z' });
    const [f] = diagnose({ pods: pod, events, logs: "Error: Cannot find module '/app/dist/server.js'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)\n" }).findings;
    expect(f.category).toBe('image-entrypoint');
    expect(f.evidence).toContain("log: Error: Cannot find module '/app/dist/server.js'");
  });

  it('a kill during the current run still explains an exit 137', () => {
    const { pod, events } = slowApp({ exitCode: 137, startedAt: '2026-11-24T09:15:09Z', finishedAt: '2026-11-24T09:15:59Z' });
    expect(diagnose({ pods: pod, events }).findings[0].category).toBe('liveness-misfire');
  });

  it('an exit that a probe kill cannot produce (1) with a telling line is the app\'s own failure', () => {
    const { pod, events } = slowApp({ exitCode: 1, startedAt: '2026-11-24T09:15:09Z', finishedAt: '2026-11-24T09:15:30Z' });
    const [f] = diagnose({ pods: pod, events, logs: 'java.lang.IllegalArgumentException: Could not resolve placeholder \'DB_URL\' in value "${DB_URL}"\n' }).findings;
    expect(f.category).toBe('missing-config');
  });
});

describe('probe trouble on a Ready pod', () => {
  it('a liveness probe that errors on every period is a finding, not "healthy"', () => {
    const { pod } = fixture('healthy');
    const copy = structuredClone(pod);
    const name = copy.spec.containers[0].name;
    copy.spec.containers[0].livenessProbe = { exec: { command: ['/bin/health'] }, periodSeconds: 5 };
    const started = copy.status!.containerStatuses![0].state!.running!.startedAt!;
    const errored: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${copy.metadata.name}.1`, namespace: copy.metadata.namespace },
      involvedObject: { kind: 'Pod', name: copy.metadata.name, namespace: copy.metadata.namespace, fieldPath: `spec.containers{${name}}` },
      reason: 'Unhealthy',
      type: 'Warning',
      count: 40,
      firstTimestamp: started,
      lastTimestamp: new Date(Date.parse(started) + 200_000).toISOString(),
      message: 'Liveness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/health": stat /bin/health: no such file or directory',
    };
    const [f] = diagnose({ pods: copy, events: [errored] }).findings;
    expect(f).toMatchObject({ category: 'probe-misconfig', severity: 'degraded', confidence: 'high' });
    expect(f.summary.en).toContain('does not exist in the container');
  });
});

describe('dependencies and sidecars at boot', () => {
  function refused(withProxy: boolean): Pod {
    const { pod } = fixture('dependency-refused');
    const copy = structuredClone(pod);
    if (withProxy) copy.spec.containers.push({ name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.7.0', args: ['--port=5432', 'p:r:db'] });
    return copy;
  }
  const log = 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n';

  it('names the proxy sidecar when the pod has one and the app was refused on localhost', () => {
    const f = diagnose({ pods: refused(true), logs: log }).findings.find((x) => x.container !== 'cloud-sql-proxy')!;
    expect(f.category).toBe('sidecar-dependency');
    expect(f.summary.en).toContain('cloud-sql-proxy');
  });

  it('names the dependency when there is no sidecar', () => {
    expect(diagnose({ pods: refused(false), logs: log }).findings[0].category).toBe('dependency-not-ready');
  });
});
