import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../../../src/cli/io.js';
import { fitWidth } from '../../../../src/cli/commands/verify.js';
import { main, type Deps } from '../../../../src/cli/main.js';
import type { Deployment } from '../../../../src/core/k8s.js';
import { MemoryKube, MemoryStore } from '../../../fakes/memoryKube.js';
import { scriptedKube, playScript, type Step } from '../../../fakes/scriptedKube.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { NS, T0, createConfigErrorPod, deployment, events, iso, podEvent, readyPod, replicaSets, restarted } from '../../../fakes/objects.js';

class Output extends PassThrough {
  text = '';
  isTTY = false;
  columns = 100;
  constructor() {
    super();
    this.on('data', (chunk) => (this.text += String(chunk)));
  }
}

/** The fixture workload under the tight-liveness scenario's names. */
function scenarioKube(): MemoryKube {
  const d = deployment();
  d.metadata.name = 'search-api';
  // The scenario's slow start, which its command guard pins (scenarios/tight-liveness).
  d.spec.template.spec!.containers[0].command = ['sh', '-c', 'echo "search-api: loading the search index (takes about 15 s)..."\nsleep 15\nexec httpd -f -v -p 8080 -h /www\n'];
  return scriptedKube({ deployment: d, replicaSets: replicaSets(), pods: [readyPod()], events: events() });
}

async function run(argv: string[], kube: MemoryKube, steps: Step[] = [], options: { tty?: boolean; store?: MemoryStore; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new Output();
  const stderr = new Output();
  stdout.isTTY = Boolean(options.tty);
  // A pseudo-terminal without a size (script, CI runners) reports 0 columns.
  if (options.tty) stdout.columns = 0;
  const io: Io = { stdout, stderr, stdin: new PassThrough(), env: { LANG: 'en_US.UTF-8', NO_COLOR: '1', ...options.env } };
  const clock = new VirtualClock(T0);
  const contexts: string[] = [];
  const deps: Deps = {
    kube: (context) => {
      contexts.push(context);
      return kube;
    },
    clock,
    store: options.store ?? new MemoryStore(),
  };
  const { result: code, endedAtSeconds } = await playScript(clock, steps, () => main(argv, io, deps));
  return { code, stdout: stdout.text, stderr: stderr.text, endedAtSeconds, contexts };
}

describe('crashlab verify', () => {
  it('passes a scenario, exits 0, shows how W was derived and the guards, and records the pass', async () => {
    const store = new MemoryStore();
    store.progress.scenarios['tight-liveness'] = { completed: false, solvedWithHelp: false, attempts: 1, hintsUsed: 0, startedAt: new Date(T0 - 300_000).toISOString() };
    const { code, stdout, endedAtSeconds, contexts } = await run(['verify', 'tight-liveness'], scenarioKube(), [], { store });
    expect(code).toBe(0);
    expect(contexts).toEqual(['kind-crashlab']);
    expect(endedAtSeconds).toBe(31);
    expect(stdout).toContain(`Verifying Deployment search-api / ${NS} (context kind-crashlab); read-only.`);
    expect(stdout).toMatch(/^PASS {2}rollout complete, 1 pod\(s\) Ready, no restart, termination, lost readiness or Warning event for 31 s, 2 guard\(s\) hold$/m);
    expect(stdout).toContain('Stability window W = 31 s:');
    expect(stdout).toContain('app: liveness probe initialDelay + period × failureThreshold + timeout = 5 + 5 × 3 + 1 = 21 s');
    expect(stdout).toContain('the broken version crashes within 15 s of starting');
    expect(stdout).toContain('✓ the liveness probe on container app is still there');
    expect(stdout).toContain('Restarts: web-6c8f9d7b54-q7xkz/app 0 → 0');
    // Not a terminal: plain progress lines, no carriage returns.
    expect(stdout).toContain('  watching: 31 s of 31 s left · restarts web-6c8f9d7b54-q7xkz/app 0');
    expect(stdout).not.toContain('\r');
    const saved = store.progress.scenarios['tight-liveness'];
    expect(saved).toMatchObject({ completed: true, lastVerifiedAt: new Date(T0 + 31_000).toISOString(), bestSeconds: 331 });
  });

  it('in colour, the verdict and the guards carry real colour codes, not escaped ones (seen in tmux)', async () => {
    const { code, stdout } = await run(['verify', 'tight-liveness'], scenarioKube(), [], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(code).toBe(0);
    expect(stdout).toContain('\x1b[32mPASS\x1b[0m');
    expect(stdout).toContain('\x1b[32m✓\x1b[0m the liveness probe');
    expect(stdout).not.toContain('\\x1b');
  });

  it('fails with exit 1 and evidence on a restart, as JSON for scripts', async () => {
    const kube = scenarioKube();
    const store = new MemoryStore();
    const { code, stdout, endedAtSeconds } = await run(['verify', 'tight-liveness', '--json'], kube, [{ at: 9, do: () => kube.setPod(restarted(readyPod(), 9, { exitCode: 137, reason: 'Error' })) }], { store });
    expect(code).toBe(1);
    expect(endedAtSeconds).toBe(9);
    const verdict = JSON.parse(stdout);
    expect(verdict).toMatchObject({ result: 'fail', rule: 'restart', namespace: NS, deployment: 'search-api', windowSeconds: 31 });
    expect(verdict.evidence[0]).toMatchObject({ pod: 'web-6c8f9d7b54-q7xkz', container: 'app', reason: 'Error', exitCode: 137 });
    expect(verdict.guardResults.find((g: { guard: { kind: string } }) => g.guard.kind === 'probe')).toMatchObject({ ok: true, guard: { kind: 'probe', probe: 'liveness' } });
    expect(store.progress.scenarios['tight-liveness']).toBeUndefined();
  });

  it('prints a failed verdict with its evidence once, the events under it, and exits 1', async () => {
    const kube = scenarioKube();
    const pod = readyPod();
    const { code, stdout } = await run(['verify', 'tight-liveness'], kube, [
      {
        at: 9,
        do: () => {
          kube.addEvent(podEvent(pod, 'Unhealthy', 'Warning', 'Liveness probe failed: HTTP probe failed with statuscode: 404', 8, 2));
          kube.setPod(restarted(pod, 9, { exitCode: 137, reason: 'Error' }));
        },
      },
    ]);
    expect(code).toBe(1);
    const verdict = stdout.slice(stdout.indexOf('FAIL'));
    expect(verdict.split('\n').slice(0, 6)).toEqual([
      'FAIL  container app of pod web-6c8f9d7b54-q7xkz restarted during the stability window (restarts 0 → 1; last exit: Error, exit code 137)',
      '  rule: restart',
      '  Evidence:',
      `    - at ${iso(9)}`,
      '    - Warning event Unhealthy on pod web-6c8f9d7b54-q7xkz: Liveness probe failed: HTTP probe failed with statuscode: 404',
      `      at ${iso(8)}`,
    ]);
    expect(verdict).toContain('Restarts: web-6c8f9d7b54-q7xkz/app 0 → 1');
  });

  it('names the broken guard in Korean when asked', async () => {
    const kube = scenarioKube();
    delete kube.object<Deployment>('Deployment', NS, 'search-api')!.spec.template.spec.containers[0].livenessProbe;
    const { code, stdout } = await run(['--lang', 'ko', 'verify', 'tight-liveness'], kube);
    expect(code).toBe(1);
    expect(stdout).toContain('실패  이 수정은 시나리오가 확인하는 조건을 없앴습니다: app 컨테이너의 liveness 프로브가 삭제되었습니다');
    expect(stdout).toContain('✗ app 컨테이너의 liveness 프로브가 삭제되었습니다');
  });

  it('verifies any Deployment read-only with --deployment -n and --window', async () => {
    const kube = scriptedKube({ deployment: deployment(), replicaSets: replicaSets(), pods: [readyPod()], events: events() });
    const { code, stdout, endedAtSeconds } = await run(['--context', 'prod-eu', 'verify', '--deployment', 'web', '-n', NS, '--window', '1m', '--json'], kube);
    expect(code).toBe(0);
    expect(endedAtSeconds).toBe(60);
    const verdict = JSON.parse(stdout);
    expect(verdict).toMatchObject({ result: 'pass', windowSeconds: 60, guardResults: [] });
    // Read-only: no confirmation for another context, and only reads and a watch were issued (the fake throws on anything else).
    // (getObject: the node's Lease, its kubelet's heartbeat, at the start and the end of the window.)
    expect(new Set(kube.calls.map((c) => c.split(' ')[0]))).toEqual(new Set(['getDeployment', 'getReplicaSets', 'getEvents', 'getPods', 'watchPods', 'watchObjects', 'getObject']));
    expect(kube.calls.filter((c) => c.startsWith('getObject'))).toEqual(['getObject kube-node-lease leases.coordination.k8s.io crashlab-control-plane', 'getObject kube-node-lease leases.coordination.k8s.io crashlab-control-plane']);
  });

  it('waits for a Deployment\'s rollout as long as Kubernetes would (10 min), or --rollout-timeout', async () => {
    const stuck = () => {
      const d = deployment();
      d.status = { ...d.status, readyReplicas: undefined, availableReplicas: undefined, unavailableReplicas: 1 };
      // A pod still creating its container (a slow image pull) is no reason to give up early.
      const pod = createConfigErrorPod();
      pod.status!.containerStatuses![0].state = { waiting: { reason: 'ContainerCreating' } };
      // A slow pull says Pulling (Normal); only a Warning would bound the wait for a pod that cannot start.
      const quiet = events().filter((e) => !(e.involvedObject.name === pod.metadata.name && e.type === 'Warning'));
      return scriptedKube({ deployment: d, replicaSets: replicaSets(), pods: [pod], events: quiet });
    };
    const byDefault = await run(['verify', '--deployment', 'web', '-n', NS, '--json'], stuck());
    expect(byDefault.code).toBe(1);
    expect(byDefault.endedAtSeconds).toBe(600);
    const shorter = await run(['verify', '--deployment', 'web', '-n', NS, '--rollout-timeout', '1m30s', '--json'], stuck());
    expect(shorter.endedAtSeconds).toBe(90);
    expect(JSON.parse(shorter.stdout)).toMatchObject({ result: 'fail', rule: 'rollout' });
  });

  it('exits 2 with a hint when the scenario is not deployed or the cluster is gone', async () => {
    const empty = scriptedKube({});
    const notDeployed = await run(['verify', 'tight-liveness'], empty);
    expect(notDeployed.code).toBe(2);
    expect(notDeployed.stdout).toContain(`COULD NOT VERIFY  Deployment search-api not found in namespace ${NS}`);
    expect(notDeployed.stdout).toContain('`crashlab start tight-liveness` deploys it');
    expect(notDeployed.stdout).not.toContain('crashlab up');

    const gone = scenarioKube();
    const lost = await run(['verify', 'tight-liveness', '--json'], gone, [{ at: 12, do: () => gone.goAway() }]);
    expect(lost.code).toBe(2);
    expect(JSON.parse(lost.stdout)).toMatchObject({ result: 'unable' });
    expect(lost.stderr).toBe('');

    const down = scenarioKube();
    down.unreachable = true;
    const unreachable = await run(['verify', 'tight-liveness'], down);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stdout).toContain('COULD NOT VERIFY  cannot reach the cluster: The connection to the server 127.0.0.1:6443 was refused');
    expect(unreachable.stdout).toContain('`crashlab doctor` checks kubectl, the context and the cluster.');
    expect(unreachable.stdout).not.toContain('crashlab start');
  });

  it('exits 2 on bad arguments, without touching the cluster', async () => {
    const kube = scenarioKube();
    const cases: [string[], RegExp][] = [
      [['verify'], /which workload\?/],
      [['verify', 'tight-liveness', '--deployment', 'web'], /give one of a scenario id, --workload or --deployment/],
      [['verify', '--workload', 'sts/db', '--deployment', 'web', '-n', NS], /give one of a scenario id, --workload or --deployment/],
      [['verify', '--workload', 'pod/web', '-n', NS], /--workload "pod\/web" is not KIND\/NAME/],
      [['verify', '--workload', 'web', '-n', NS], /--workload "web" is not KIND\/NAME/],
      [['verify', '--workload', 'job/migrate'], /--workload needs -n\/--namespace/],
      [['verify', '--deployment', 'web'], /--deployment needs -n\/--namespace/],
      [['verify', 'tight-liveness', '--window', 'soon'], /--window "soon" is not a duration/],
      [['verify', 'tight-liveness', '--rollout-timeout', '0s'], /--rollout-timeout "0s" is shorter than 1 s/],
      [['verify', 'no-such-scenario'], /no scenario "no-such-scenario"/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await run(argv, kube);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
    expect(kube.calls).toEqual([]);
  });

  it('draws a single updating countdown line on a terminal', async () => {
    const { code, stdout } = await run(['verify', 'tight-liveness'], scenarioKube(), [], { tty: true });
    expect(code).toBe(0);
    const countdown = stdout.split('\n').find((line) => line.includes('\r'))!;
    expect(countdown).toMatch(/^\r\x1b\[2Kwatching: 31 s of 31 s left · restarts web-6c8f9d7b54-q7xkz\/app 0\r/);
    expect(countdown.split('\r\x1b[2K').length).toBeGreaterThan(5);
    expect(stdout).toMatch(/\r\x1b\[2KPASS {2}/);
  });
});

describe('fitWidth', () => {
  it('keeps a line within the terminal, counting Hangul as two columns', () => {
    expect(fitWidth('watching: 12 s left', 40)).toBe('watching: 12 s left');
    expect(fitWidth('abcdefghij', 6)).toBe('abcde…');
    expect(fitWidth('지켜보는 중: 6초', 9)).toBe('지켜보는…');
  });
});
