import { describe, expect, it } from 'vitest';
import { CATEGORIES, category } from '../../../src/core/categories.js';
import { diagnose, type Finding } from '../../../src/core/diagnose.js';
import type { KubeEvent } from '../../../src/core/k8s.js';
import { fixture, podList, realFixture } from '../../fakes/diagnoseFixtures.js';

function run(name: string, options: { logs?: boolean; events?: boolean } = {}): Finding[] {
  const f = fixture(name);
  return diagnose({ pods: f.pod, events: options.events === false ? undefined : f.events, logs: options.logs === false ? undefined : f.logs }).findings;
}

function only(name: string): Finding {
  const findings = run(name);
  expect(findings).toHaveLength(1);
  return findings[0];
}

const has = (finding: Finding, fragment: string) => finding.evidence.some((line) => line.includes(fragment));

describe('diagnose: one signature per fixture', () => {
  it.each([
    ['bad-command-exec', 'app', 'bad-command', 'high'],
    ['bad-command-runcontainererror', 'app', 'bad-command', 'high'],
    ['bad-command-sh', 'api', 'bad-command', 'high'],
    ['completed-exits', 'hello', 'bad-command', 'medium'],
    ['exec-format-error', 'tool', 'runtime-issue', 'high'],
    ['liveness-kill-137', 'app', 'liveness-misfire', 'high'],
    ['liveness-404-exit0', 'nginx', 'probe-misconfig', 'high'],
    ['liveness-wrong-port', 'nginx', 'probe-misconfig', 'high'],
    ['cpu-throttled-liveness', 'search', 'cpu-throttling', 'medium'],
    ['readiness-404', 'nginx', 'probe-misconfig', 'high'],
    ['readiness-503', 'api', 'readiness-failure', 'high'],
    ['oom-killed', 'app', 'oom-killed', 'high'],
    ['secret-key-missing', 'app', 'missing-config', 'high'],
    ['secret-not-found', 'app', 'missing-config', 'high'],
    ['secret-optional-exit1', 'app', 'missing-config', 'high'],
    ['run-as-non-root', 'app', 'security-context', 'high'],
    ['readonly-fs', 'app', 'read-only-fs', 'high'],
    ['configmap-volume-missing', 'app', 'missing-config', 'high'],
    ['image-pull', 'app', 'image-pull', 'high'],
    ['init-crash', 'migrate', 'init-container', 'high'],
    ['port-in-use', 'metrics', 'port-conflict', 'high'],
    ['db-locked', 'worker', 'lock-contention', 'high'],
    ['x509-expired', 'sync', 'time-tls', 'high'],
    ['no-space', 'ingest', 'node-resources', 'high'],
    ['dependency-refused', 'orders', 'dependency-not-ready', 'medium'],
    ['segfault', 'render', 'app-exception', 'medium'],
    ['sigkill-external', 'runner', 'runtime-issue', 'low'],
    ['unschedulable', '', 'node-resources', 'high'],
    ['healthy', 'nginx', 'healthy', 'high'],
    ['healthy-with-init', 'app', 'healthy', 'high'],
    ['job-succeeded', 'report', 'healthy', 'high'],
    ['startup-probe-kill', 'app', 'liveness-misfire', 'high'],
    ['native-sidecar-crash', 'proxy', 'bad-command', 'medium'],
    ['evicted', '', 'node-resources', 'high'],
  ])('%s → %s: %s (%s)', (name, container, categoryId, confidence) => {
    const f = only(name);
    expect(f).toMatchObject({ container, category: categoryId, confidence });
    expect(f.pod).toBe(fixture(name).pod.metadata.name);
    expect(f.namespace).toBe(fixture(name).pod.metadata.namespace);
    // A signature from the library may bring its own, more precise steps; otherwise the category's.
    if (!['x509-expired', 'unschedulable', 'secret-optional-exit1'].includes(name)) expect(f.nextSteps).toEqual(category(f.category).nextSteps);
    expect(f.nextSteps.length).toBeGreaterThan(0);
    for (const step of f.nextSteps) expect(step.ko).toMatch(/[가-힣]/);
    expect(f.summary.en.length).toBeGreaterThan(10);
    expect(f.summary.ko).toMatch(/[가-힣]/);
  });
});

describe('diagnose: evidence is the concrete field values, events and log lines', () => {
  it('bad command (exec form): the StartError termination, the spec command, no log needed', () => {
    const f = only('bad-command-exec');
    expect(f.evidence).toContain(
      'lastState.terminated: reason=StartError exitCode=128 message="failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/bin/server": stat /bin/server: no such file or directory: unknown"',
    );
    expect(f.evidence).toContain('spec command=["/bin/server"] args=["--port","8080"]');
    expect(f.evidence[0]).toMatch(/^state\.waiting: reason=CrashLoopBackOff message="back-off 1m20s restarting failed container=app pod=web-/);
    expect(f.summary.en).toContain('"/bin/server" does not exist in the image');
    expect(f.guideNote?.en).toContain('StartError');
  });

  it('bad command through sh -c: exit 127 and the shell\'s "not found" line', () => {
    const f = only('bad-command-sh');
    expect(f.evidence).toContain('lastState.terminated: reason=Error exitCode=127');
    expect(f.evidence).toContain('log: sh: /app/server: not found');
  });

  it('slow start killed by liveness: connection refused during boot, Killing, exit 137 explained as not OOM', () => {
    const f = only('liveness-kill-137');
    const pod = fixture('liveness-kill-137').pod;
    expect(f.evidence).toContain(
      `event Warning Unhealthy (x12): Liveness probe failed: Get "http://${pod.status!.podIP}:8080/healthz": dial tcp ${pod.status!.podIP}:8080: connect: connection refused`,
    );
    expect(f.evidence).toContain('event Normal Killing (x4): Container app failed liveness probe, will be restarted');
    expect(has(f, 'spec livenessProbe: httpGet /healthz port 8080 initialDelaySeconds=5 periodSeconds=5')).toBe(true);
    expect(has(f, 'the container ran 50s')).toBe(true);
    expect(has(f, 'exit 137 = SIGKILL after terminationGracePeriodSeconds (30s)')).toBe(true);
    expect(f.summary.en).toContain('startupProbe');
  });

  it('liveness 404 from a running nginx that exits 0: probe misconfig, with the access-log line', () => {
    const f = only('liveness-404-exit0');
    expect(f.evidence).toContain('lastState.terminated: reason=Completed exitCode=0');
    expect(f.evidence).toContain('event Warning Unhealthy (x10): Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(has(f, 'log: 10.244.0.1 - - [24/Nov/2026:09:13:10 +0000] "GET /healthz HTTP/1.1" 404')).toBe(true);
    // BackOff only confirms the loop: it comes after the cause's evidence.
    expect(f.evidence.at(-1)).toMatch(/^event Warning BackOff/);
  });

  it('liveness on the wrong port: refused forever from a server that listens elsewhere', () => {
    const f = only('liveness-wrong-port');
    expect(f.summary.en).toContain('dials port 80, but the app listens on 8080');
    expect(f.evidence).toContain('spec ports: containerPort 8080');
  });

  it('OOMKilled: reason, the memory limit, and the guide note about the missing OOMKilling event', () => {
    const f = only('oom-killed');
    expect(f.evidence).toContain('lastState.terminated: reason=OOMKilled exitCode=137');
    expect(f.evidence).toContain('spec resources.limits.memory=64Mi');
    expect(f.guideNote?.en).toContain('OOMKilling');
    expect(f.guideNote?.ko).toContain('OOMKilling');
  });

  it('secret key typo: CreateContainerConfigError with RESTARTS 0, the env reference, and where the guide misleads', () => {
    const f = only('secret-key-missing');
    expect(f.evidence).toEqual([
      'state.waiting: reason=CreateContainerConfigError message="couldn\'t find key passwrod in Secret crashlab-secret-typo/db-secret"',
      'event Warning Failed (x9): Error: couldn\'t find key passwrod in Secret crashlab-secret-typo/db-secret',
      'spec env DB_PASSWORD: secretKeyRef name=db-secret key=passwrod',
    ]);
    expect(f.summary.en).toContain('RESTARTS stays 0');
    expect(f.guideNote?.en).toContain('KeyError');
    expect(f.guideNote?.en).toContain('CreateContainerConfigError');
  });

  it('the same typo with optional: true crashes with the app\'s own message — the guide\'s case', () => {
    const f = only('secret-optional-exit1');
    expect(f.evidence).toContain('log: DB_PASSWORD must be set');
    expect(has(f, 'optional=true')).toBe(true);
    expect(f.guideNote?.en).toContain('optional: true');
  });

  it('runAsNonRoot with a root image: security-context, the securityContext shown', () => {
    const f = only('run-as-non-root');
    expect(f.evidence[0]).toMatch(/^state\.waiting: reason=CreateContainerConfigError message="container has runAsNonRoot and image will run as root/);
    expect(f.evidence).toContain('spec securityContext: {"allowPrivilegeEscalation":false,"runAsNonRoot":true}');
  });

  it('read-only root filesystem: the EROFS log line and readOnlyRootFilesystem=true', () => {
    const f = only('readonly-fs');
    expect(f.evidence).toContain("log: mkdir: can't create directory '/var/cache/app': Read-only file system");
    expect(f.evidence).toContain('spec securityContext.readOnlyRootFilesystem=true');
  });

  it('missing ConfigMap volume: ContainerCreating with the FailedMount event and the mount path', () => {
    const f = only('configmap-volume-missing');
    expect(f.evidence).toEqual([
      'state.waiting: reason=ContainerCreating',
      'event Warning FailedMount (x9): MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
      'spec volumeMounts: config at /etc/app',
    ]);
  });

  it('a failed postStart hook: dependency-not-ready when it calls the app itself, bad-command otherwise', () => {
    const f = realFixture('poststart-hook-localhost');
    const [itself] = diagnose({ pods: f.pod, events: f.events, logs: f.logs }).findings;
    expect(itself.summary.en).toContain('postStart runs right after the container starts, beside the entrypoint');
    expect(itself.evidence.some((l) => l.startsWith('spec lifecycle.postStart.exec.command='))).toBe(true);
    const pod = structuredClone(f.pod);
    pod.spec.containers[0].lifecycle = { postStart: { exec: { command: ['/app/register.sh'] } } };
    const [other] = diagnose({ pods: pod, events: f.events, logs: f.logs }).findings;
    expect(other).toMatchObject({ category: 'bad-command', confidence: 'medium' });
    expect(other.summary.en).toContain("the hook's output is in no log");
  });

  it('a key missing from a configMap volume\'s items: missing-config, naming the volume, the ConfigMap and the key', () => {
    const [f] = diagnose({ pods: realFixture('configmap-key-missing').pod, events: realFixture('configmap-key-missing').events }).findings;
    expect(f.category).toBe('missing-config');
    expect(f.summary.en).toContain('The volume "cfg" asks its ConfigMap "cfg" for the key "app.yaml" in items');
  });

  it('init container crash: the finding is about the init container, the app only waits', () => {
    const findings = run('init-crash');
    expect(findings.map((f) => f.container)).toEqual(['migrate']);
    expect(findings[0].evidence).toContain("log: cat: can't open '/migrations/001_init.sql': No such file or directory");
    expect(findings[0].evidence).toContain('app: state.waiting reason=PodInitializing');
    expect(findings[0].summary.en).toContain('Config file path / permissions');
  });

  it('a clean exit 0 under restartPolicy Always loops too, which the guide\'s definition misses', () => {
    const f = only('completed-exits');
    expect(f.evidence).toContain('lastState.terminated: reason=Completed exitCode=0');
    expect(f.evidence).toContain('spec command=["echo","hello from crashlab"]');
    expect(f.guideNote?.en).toContain('non-zero exit');
  });

  it('image pull is named as not a crash loop', () => {
    const f = only('image-pull');
    expect(f.summary.en).toContain('not a crash loop');
    expect(f.evidence).toContain('event Warning Failed (x4): Error: ErrImagePull');
  });

  it('port in use in a two-container pod: only the crashing sidecar has a finding, and the other listener is named', () => {
    const findings = run('port-in-use');
    expect(findings.map((f) => f.container)).toEqual(['metrics']);
    expect(findings[0].evidence).toContain('log: httpd: bind: Address already in use');
    expect(findings[0].evidence).toContain('pod network namespace is shared: container nginx declares containerPort 8080');
  });

  it('specific log lines beat the generic traceback: database is locked', () => {
    expect(only('db-locked').evidence).toContain('log: sqlite3.OperationalError: database is locked');
  });

  it('x509 expired quotes the TLS error', () => {
    expect(has(only('x509-expired'), 'x509: certificate has expired or is not yet valid')).toBe(true);
  });

  it('unschedulable names the missing resource from the scheduler', () => {
    const f = only('unschedulable');
    expect(f.summary.en).toContain('enough free memory');
    expect(f.evidence).toContain('spec app resources.requests={"memory":"64Gi"}');
  });

  it('a completed init container and a finished Job pod are done, not failing', () => {
    expect(only('healthy-with-init').evidence).toEqual(['app: state.running startedAt=2026-11-24T08:42:07Z ready=true restartCount=0']);
    const job = only('job-succeeded');
    expect(job.summary.en).toContain('ran to completion');
    expect(job.evidence).toEqual(['report: state.terminated reason=Completed exitCode=0 ready=false restartCount=0']);
  });

  it('a startup probe that runs out of budget: raise its budget, not "add a startupProbe"', () => {
    const f = only('startup-probe-kill');
    expect(f.summary.en).toContain('failureThreshold × periodSeconds');
    expect(f.summary.en).not.toContain('Add a startupProbe');
    expect(f.evidence).toContain('event Normal Killing (x4): Container app failed startup probe, will be restarted');
    expect(f.evidence).toContain("exit 143 = SIGTERM: the app stopped on the kubelet's signal (a probe kill, not a crash)");
  });

  it('a crashing native sidecar is diagnosed as itself, not as a blocking init container', () => {
    const f = only('native-sidecar-crash');
    expect(f.evidence).toContain('log: nc: unrecognized option: e');
  });

  it('an evicted pod is a node problem, with the kubelet\'s own words', () => {
    const f = only('evicted');
    expect(f.evidence[0]).toMatch(/^status: phase=Failed reason=Evicted message="The node was low on resource: ephemeral-storage\./);
    expect(f.evidence[1]).toMatch(/^event Warning Evicted: The node was low on resource/);
  });

  it('a healthy pod gives exactly one healthy finding', () => {
    const f = only('healthy');
    expect(f.severity).toBe('ok');
    expect(f.evidence).toEqual(['nginx: state.running startedAt=2026-11-24T08:12:05Z ready=true restartCount=0']);
  });
});

describe('diagnose: what changes the verdict', () => {
  it('without events, a liveness kill with exit 137 is only a suspicion; the events make it certain', () => {
    expect(run('liveness-kill-137', { events: false })[0]).toMatchObject({ category: 'liveness-misfire', confidence: 'low' });
    expect(run('liveness-kill-137')[0]).toMatchObject({ category: 'liveness-misfire', confidence: 'high' });
  });

  it('without the previous log, exit 1 is an app exit with unknown cause and the command to get the log', () => {
    const f = run('readonly-fs', { logs: false })[0];
    expect(f).toMatchObject({ category: 'app-exception', confidence: 'low' });
    expect(f.summary.en).toContain('kubectl logs <pod> -c app --previous');
  });

  it('a terminationMessagePolicy FallbackToLogsOnError message stands in for the log', () => {
    const { pod } = fixture('readonly-fs');
    pod.status!.containerStatuses![0].lastState!.terminated!.message = "mkdir: can't create directory '/var/cache/app': Read-only file system\n";
    const [f] = diagnose({ pods: pod }).findings;
    expect(f.category).toBe('read-only-fs');
  });

  it('events about other pods are ignored', () => {
    const oom = fixture('oom-killed');
    const liveness = fixture('liveness-kill-137');
    const [f] = diagnose({ pods: oom.pod, events: [...oom.events!.items, ...liveness.events!.items] }).findings;
    expect(f.category).toBe('oom-killed');
    expect(f.evidence.some((line) => line.includes('Liveness'))).toBe(false);
  });

  it('logs keyed by "pod/container" reach only that container; a never-started container gets none', () => {
    const { pod, events } = fixture('port-in-use');
    const name = pod.metadata.name;
    const keyed = diagnose({ pods: pod, events, logs: { [`${name}/metrics`]: 'httpd: bind: Address already in use\n', [`${name}/nginx`]: 'Read-only file system' } }).findings;
    expect(keyed.map((f) => f.category)).toEqual(['port-conflict']);
    const wrongKey = diagnose({ pods: pod, events, logs: { 'other-pod/metrics': 'httpd: bind: Address already in use' } }).findings;
    expect(wrongKey[0].category).toBe('app-exception');
  });

  it('connection refused to localhost on a port another container serves is a sidecar dependency', () => {
    const { pod, events } = fixture('port-in-use');
    const [f] = diagnose({ pods: pod, events, logs: { metrics: 'dial tcp 127.0.0.1:8080: connect: connection refused' } }).findings;
    expect(f).toMatchObject({ container: 'metrics', category: 'sidecar-dependency' });
    expect(f.summary.en).toContain('served by container nginx');
  });
});

describe('diagnose: input shapes and ordering', () => {
  it('orders a List: the crash-looping pod before the healthy one, whatever the input order', () => {
    const list = podList('list-mixed');
    expect(list.items.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    const findings = diagnose({ pods: list }).findings;
    expect(findings.map((f) => [f.pod, f.category])).toEqual([
      [list.items[1].metadata.name, 'oom-killed'],
      [list.items[0].metadata.name, 'healthy'],
    ]);
  });

  it('accepts a Pod, an array of Pods and a List alike, and events as an array or a List', () => {
    const { pod, events } = fixture('oom-killed');
    const expected = diagnose({ pods: pod, events }).findings;
    expect(diagnose({ pods: [pod], events: events!.items }).findings).toEqual(expected);
    expect(diagnose({ pods: { apiVersion: 'v1', kind: 'List', items: [pod] }, events }).findings).toEqual(expected);
  });

  it('orders failing before degraded before starting, then by confidence', () => {
    const pods = ['readiness-503', 'sigkill-external', 'healthy', 'bad-command-exec'].map((n) => fixture(n).pod);
    const events = ['readiness-503', 'sigkill-external', 'healthy', 'bad-command-exec'].flatMap((n) => fixture(n).events!.items);
    const findings = diagnose({ pods, events }).findings;
    expect(findings.map((f) => f.category)).toEqual(['bad-command', 'runtime-issue', 'readiness-failure', 'healthy']);
  });

  it('uses only known category ids', () => {
    const ids = new Set(CATEGORIES.map((c) => c.id));
    for (const name of ['bad-command-exec', 'init-crash', 'healthy', 'unschedulable']) for (const f of run(name)) expect(ids.has(f.category)).toBe(true);
  });
});

describe('diagnose: real captures from a v1.34 cluster running the scenarios', () => {
  it.each([
    ['bad-command', 'app', 'bad-command', 'lastState.terminated: reason=StartError exitCode=128'],
    ['oom', 'app', 'oom-killed', 'lastState.terminated: reason=OOMKilled exitCode=137'],
    ['readonly-fs', 'app', 'read-only-fs', "log: sh: can't create /tmp/inventory-api.lock: Read-only file system"],
    ['secret-typo', 'app', 'missing-config', 'message="couldn\'t find key passwrod in Secret scncheck-secret-typo/db-secret"'],
    ['run-as-nonroot', 'app', 'security-context', 'container has runAsNonRoot and image will run as root'],
    ['init-container', 'migrate', 'init-container', "log: cat: can't open '/migrations/001_create_orders.sql': No such file or directory"],
    ['probe-path', 'app', 'probe-misconfig', 'Liveness probe failed: HTTP probe failed with statuscode: 404'],
    ['tight-liveness', 'app', 'liveness-misfire', 'Liveness probe failed: Get "http://10.88.0.20:8080/healthz": dial tcp 10.88.0.20:8080: connect: connection refused'],
    ['secret-fixed', 'app', 'healthy', 'app: state.running'],
    ['configmap-volume-missing', 'app', 'missing-config', 'event Warning FailedMount (x8): MountVolume.SetUp failed for volume "config" : configmap "app-config" not found'],
    ['configmap-key-missing', 'c', 'missing-config', 'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: app.yaml'],
    ['poststart-hook-localhost', 'app', 'dependency-not-ready', 'event Normal Killing (x3): FailedPostStartHook'],
    ['bad-command-sh', 'api', 'bad-command', 'log: sh: /app/server: not found'],
    ['port-in-use', 'metrics', 'port-conflict', 'log: httpd: bind: Address already in use'],
    ['readiness-404', 'web', 'probe-misconfig', 'Readiness probe failed: HTTP probe failed with statuscode: 404'],
  ])('%s → %s: %s', (name, container, categoryId, evidence) => {
    const f = realFixture(name);
    const findings = diagnose({ pods: f.pod, events: f.events, logs: f.logs }).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ container, category: categoryId, confidence: 'high' });
    expect(findings[0].evidence.some((line) => line.includes(evidence))).toBe(true);
    // The cluster's MissingClusterDNS noise never becomes evidence.
    expect(findings[0].evidence.some((line) => line.includes('MissingClusterDNS'))).toBe(false);
  });
});

describe('diagnose: exit codes and runtime errors without a dedicated fixture', () => {
  /** The OOM fixture's pod with its last termination replaced. */
  function withTermination(terminated: { exitCode: number; reason?: string; message?: string }) {
    const { pod, events } = fixture('oom-killed');
    const status = pod.status!.containerStatuses![0];
    status.lastState = { terminated: { ...status.lastState!.terminated!, ...terminated } };
    return { pods: pod, events };
  }

  it('exit 143 without a probe kill: stopped from outside, low confidence', () => {
    const [f] = diagnose(withTermination({ exitCode: 143, reason: 'Error' })).findings;
    expect(f).toMatchObject({ category: 'runtime-issue', confidence: 'low' });
    expect(f.summary.en).toContain('SIGTERM');
  });

  it('exit 126: found but not executable', () => {
    expect(diagnose(withTermination({ exitCode: 126, reason: 'Error' })).findings[0].category).toBe('image-entrypoint');
  });

  it('exit 137 with an app-level OOM line but no OOMKilled reason is an OOM of a child, medium confidence', () => {
    const [f] = diagnose({ ...withTermination({ exitCode: 137, reason: 'Error' }), logs: 'java.lang.OutOfMemoryError: Java heap space\n' }).findings;
    expect(f).toMatchObject({ category: 'oom-killed', confidence: 'medium' });
  });

  it('StartError "permission denied" on the entrypoint is an image problem', () => {
    const message = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/run.sh": permission denied';
    const [f] = diagnose(withTermination({ exitCode: 128, reason: 'StartError', message })).findings;
    expect(f).toMatchObject({ category: 'image-entrypoint', confidence: 'high' });
    expect(f.summary.en).toContain('/app/run.sh');
  });

  it('FailedCreatePodSandBox keeps the pod in ContainerCreating: a node runtime issue', () => {
    const { pod } = fixture('configmap-volume-missing');
    const sandbox: KubeEvent = {
      ...fixture('configmap-volume-missing').events!.items[1],
      reason: 'FailedCreatePodSandBox',
      message: 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "4b1f...": plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254',
    };
    const [f] = diagnose({ pods: pod, events: [sandbox] }).findings;
    expect(f).toMatchObject({ category: 'runtime-issue', confidence: 'high' });
    expect(f.evidence).toContain(`event Warning FailedCreatePodSandBox (x9): ${sandbox.message}`);
  });

  it('a container running and Ready again, with no warning about it, is degraded rather than failing', () => {
    const { pod } = fixture('liveness-wrong-port');
    const [f] = diagnose({ pods: pod }).findings;
    expect(f.severity).toBe('degraded');
    const [withEvents] = diagnose({ pods: pod, events: fixture('liveness-wrong-port').events }).findings;
    expect(withEvents.severity).toBe('failing');
  });
});

describe('diagnose: real pods caught between states', () => {
  it('a real clean exit 0 loop (the container echoes and exits)', () => {
    const f = realFixture('completed-exits');
    const [finding] = diagnose({ pods: f.pod, events: f.events, logs: f.logs }).findings;
    expect(finding).toMatchObject({ container: 'hello', category: 'bad-command', confidence: 'medium' });
    expect(finding.evidence).toContain('lastState.terminated: reason=Completed exitCode=0');
  });

  it('a pod deleted during a rollout: its 137 is the deletion, not a crash', () => {
    const f = realFixture('deleted-during-rollout');
    const findings = diagnose({ pods: f.pod, events: f.events }).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ container: '', category: 'unknown', severity: 'starting' });
    expect(findings[0].evidence[0]).toBe('metadata.deletionTimestamp=2026-11-24T16:21:55Z status.phase=Failed');
    expect(findings[0].evidence).toContain('app: state.terminated: reason=Error exitCode=137');
    expect(findings[0].evidence).toContain('event Normal Killing: Stopping container app');
  });

  it('Init:Error (the first failure, before any back-off) is already an init-container finding', () => {
    const f = realFixture('init-error');
    const [finding] = diagnose({ pods: f.pod, events: f.events }).findings;
    expect(finding).toMatchObject({ container: 'migrate', category: 'init-container', confidence: 'high' });
    expect(finding.evidence[0]).toMatch(/^state\.terminated: reason=Error exitCode=1/);
  });
});

describe('diagnose: a pod alone, as `kubectl get pod -o json | crashlab diagnose -` gives it', () => {
  it('suspects the liveness probe for a 137 when the container has one, at low confidence', () => {
    const [f] = diagnose({ pods: realFixture('tight-liveness').pod }).findings;
    expect(f).toMatchObject({ category: 'liveness-misfire', confidence: 'low' });
    expect(f.evidence).toContain('no Unhealthy or Killing event about container app in the input');
    expect(f.evidence.some((line) => line.startsWith('spec livenessProbe: httpGet /healthz port 8080'))).toBe(true);
  });

  it('still names StartError, OOMKilled and config errors from the pod alone, at high confidence', () => {
    for (const [name, categoryId] of [
      ['bad-command', 'bad-command'],
      ['oom', 'oom-killed'],
      ['secret-typo', 'missing-config'],
      ['run-as-nonroot', 'security-context'],
      ['bad-command-sh', 'bad-command'],
    ] as const) {
      expect(diagnose({ pods: realFixture(name).pod }).findings[0]).toMatchObject({ category: categoryId, confidence: 'high' });
    }
  });
});

describe('diagnose: a clean exit 0 with a liveness probe', () => {
  it('after running past the probe budget, suspects a probe kill (nginx exits 0 on the stop signal)', () => {
    const [f] = run('liveness-404-exit0', { events: false, logs: false });
    expect(f).toMatchObject({ category: 'liveness-misfire', confidence: 'low' });
    expect(f.evidence).toContain('the container ran 18s (startedAt → finishedAt) before it stopped');
  });

  it('exiting at once is the process finishing by itself, probe or not', () => {
    const { pod, events, logs } = fixture('completed-exits');
    pod.spec.containers[0].livenessProbe = { exec: { command: ['true'] }, periodSeconds: 10 };
    expect(diagnose({ pods: pod, events, logs }).findings[0]).toMatchObject({ category: 'bad-command', confidence: 'medium' });
  });
});

describe('diagnose: never calls a waiting container healthy', () => {
  it('CrashLoopBackOff without any kept termination is an honest unknown, not healthy', () => {
    const { pod, events } = fixture('oom-killed');
    pod.status!.containerStatuses![0].lastState = {};
    const [f] = diagnose({ pods: pod, events }).findings;
    expect(f).toMatchObject({ category: 'unknown', confidence: 'low', severity: 'failing' });
    expect(f.evidence[0]).toMatch(/^state\.waiting: reason=CrashLoopBackOff/);
  });
});
