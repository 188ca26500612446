/**
 * A scripted LabServices with no cluster behind it: a pod that crash-loops with kubelet's
 * real back-off schedule until "fixed", kubectl-shaped output, a verify that passes or fails
 * fast. The UI tests drive it with a manual clock; `CRASHLAB_TUI_FAKE=1 crashlab` uses it with
 * the real clock to look at the later screens on a machine without Docker (development only).
 */
import type { CategoryId } from '../core/categories.js';
import type { KubeEvent, Pod } from '../core/k8s.js';
import { routineSteps } from '../core/routine.js';
import { scenarioSchema, type Scenario, type ScenarioInput } from '../core/scenario.js';
import type { Watch } from '../ports/kube.js';
import type { Progress } from '../ports/store.js';
import { backOffDelaySeconds as backOffSeconds } from '../core/podStatus.js';
import { plainRun } from '../core/instance.js';
import { recordHelp, recordStart, recordVerdict } from '../core/progress.js';
import type { EditResult } from '../ports/editor.js';
import type {
  ApplyResult,
  ClusterInfo,
  ClusterOptions,
  ClusterTarget,
  Debrief,
  DiagnosisCheck,
  LabRoutineStep,
  LabTarget,
  PreflightResult,
  StartedLab,
  VerdictView,
} from '../engine/labTypes.js';
import type { LabClient } from './client.js';

type VerifyVerdict = VerdictView;

const scenario = (input: ScenarioInput): Scenario => scenarioSchema.parse(input);

export const DEMO_SCENARIOS: Scenario[] = [
  scenario({
    id: 'bad-command',
    category: 'bad-command',
    difficulty: 'easy',
    order: 10,
    title: { en: 'The binary that is not there', ko: '없는 실행 파일' },
    summary: { en: 'A deploy changed the command; the pod never runs.', ko: '배포 후 명령이 바뀌어 파드가 실행되지 않습니다.' },
    briefing: { en: 'After the last deploy, web restarts over and over.', ko: '마지막 배포 후 web이 계속 재시작합니다.' },
    symptoms: { en: 'Restarts, no logs at all, exit code 128', ko: '재시작, 로그 전혀 없음, 종료 코드 128' },
    hints: [
      { en: 'logs --previous is empty: did the process ever start?', ko: 'logs --previous가 비어 있습니다. 프로세스가 시작은 됐을까요?' },
      { en: 'Read lastState.terminated.message', ko: 'lastState.terminated.message를 읽어 보세요' },
      { en: 'Compare the command with the files in the image', ko: '명령과 이미지 안의 파일을 비교하세요' },
    ],
    debrief: { en: 'The command pointed at /bin/web-server, which does not exist in busybox. containerd fails the start (StartError, exit 128) before any log line.', ko: '명령이 busybox에 없는 /bin/web-server를 가리켰습니다. containerd가 시작 단계에서 실패시키므로(StartError, 128) 로그가 한 줄도 없습니다.' },
    checklist: [{ en: 'command/args match the image', ko: 'command/args가 이미지와 일치하는가' }],
    workload: { deployment: 'web', container: 'app' },
    expect: { container: 'app', within: '60s', waitingReasons: ['CrashLoopBackOff', 'RunContainerError'], lastTerminated: { reason: 'StartError', exitCode: 128 } },
    verify: { deployment: 'web', crashWithin: '5s' },
  }),
  scenario({
    id: 'oom-small-limit',
    category: 'oom-killed',
    difficulty: 'medium',
    order: 20,
    title: { en: 'Memory limit too small', ko: '너무 작은 메모리 한도' },
    summary: { en: 'The worker dies right after loading its cache.', ko: '워커가 캐시를 읽은 직후 죽습니다.' },
    briefing: { en: 'worker restarts every few seconds.', ko: 'worker가 몇 초마다 재시작합니다.' },
    symptoms: { en: 'Exit code 137, no error in the logs', ko: '종료 코드 137, 로그에 오류 없음' },
    hints: [{ en: 'What does exit code 137 mean?', ko: '종료 코드 137은 무슨 뜻일까요?' }],
    debrief: { en: 'The container used more memory than its limit and the kernel killed it.', ko: '컨테이너가 한도보다 많은 메모리를 써서 커널이 종료했습니다.' },
    checklist: [],
    workload: { deployment: 'worker', container: 'app' },
    expect: { container: 'app', within: '60s', lastTerminated: { reason: 'OOMKilled', exitCode: 137 } },
    guards: [{ kind: 'resourceLimit', container: 'app', resource: 'memory', max: '256Mi' }],
    verify: { deployment: 'worker', crashWithin: '5s' },
  }),
  scenario({
    id: 'liveness-wrong-path',
    category: 'liveness-misfire',
    difficulty: 'hard',
    order: 30,
    title: { en: 'Liveness probe on the wrong path', ko: '잘못된 경로의 liveness probe' },
    summary: { en: 'nginx is healthy, yet it is killed every 30 seconds.', ko: 'nginx는 정상인데 30초마다 종료됩니다.' },
    briefing: { en: 'The web tier flaps.', ko: '웹 계층이 오락가락합니다.' },
    symptoms: { en: 'Killing events, exit code 0', ko: 'Killing 이벤트, 종료 코드 0' },
    hints: [{ en: 'Look at the Unhealthy events', ko: 'Unhealthy 이벤트를 보세요' }],
    debrief: { en: 'The probe asked for /healthz, which nginx answers with 404.', ko: '프로브가 /healthz를 요청했고 nginx는 404로 답했습니다.' },
    checklist: [],
    workload: { deployment: 'web', container: 'nginx' },
    expect: { container: 'nginx', within: '90s', events: ['Unhealthy'] },
    guards: [{ kind: 'probe', container: 'nginx', probe: 'liveness' }],
    verify: { deployment: 'web', crashWithin: '40s' },
  }),
];

export interface DemoOptions {
  /** The clock; tests pass a manual one and call `advance`. */
  now?: () => number;
  /** Push pod updates from a 1 s timer (demo) or only when advance() is called (tests). */
  manual?: boolean;
  preflight?: PreflightResult[];
  /** Seconds a container runs before it crashes again. */
  crashAfterSeconds?: number;
  confirmQuestion?: string;
  editor?: (text: string) => EditResult;
}

/** Records what the UI asked for, so tests can assert on it. */
export interface DemoCalls {
  started: string[];
  diagnoses: { scenarioId: string; category: CategoryId; correct: boolean }[];
  results: { scenarioId: string; result: { outcome: VerdictView['outcome']; seconds?: number; hintsUsed?: number } }[];
  applied: string[];
  solved: number;
  resets: string[];
  verifyAborted: number;
}

export interface DemoServices extends LabClient {
  calls: DemoCalls;
  /** The demo's clock (manual or real); give the same one to the App. */
  now(): number;
  /** Moves the manual clock, pushes pod updates to watchers and lets a waiting verify go on. */
  advance(ms: number): void;
  /** Makes the next verify pass even without a fix (or fail fast when false). */
  setFixed(fixed: boolean): void;
}

const FIXED_TIME = Date.parse('2026-11-24T10:00:00Z');

export function createDemoServices(options: DemoOptions = {}): DemoServices {
  let manualNow = FIXED_TIME;
  const now = options.now ?? (options.manual ? () => manualNow : Date.now);
  const crashAfter = (options.crashAfterSeconds ?? 2) * 1000;
  const calls: DemoCalls = { started: [], diagnoses: [], results: [], applied: [], solved: 0, resets: [], verifyAborted: 0 };
  const progress: Progress = { version: 1, scenarios: { 'liveness-wrong-path': { completed: true, solvedWithHelp: false, bestSeconds: 412, attempts: 2, hintsUsed: 1 } } };
  const watchers = new Set<() => void>();
  /** A manual-clock verify waits for the next advance() between seconds. */
  let tickWaiters: (() => void)[] = [];
  let lab: { scenario: Scenario; namespace: string; startedAt: number; fixedAt?: number } | undefined;
  let contextConfirmed = !options.confirmQuestion;

  const find = (id: string): Scenario => {
    const s = DEMO_SCENARIOS.find((x) => x.id === id);
    if (!s) throw Object.assign(new Error(`no scenario "${id}"`), { hint: 'See crashlab list.' });
    return s;
  };

  /** Restart times of the broken container since start, following kubelet's schedule. */
  function crashes(until: number): number[] {
    if (!lab) return [];
    const times: number[] = [];
    let start = lab.startedAt + 1000;
    for (let restarts = 0; ; restarts++) {
      const died = start + crashAfter;
      if (died > until || (lab.fixedAt !== undefined && died > lab.fixedAt)) return times;
      times.push(died);
      start = died + backOffSeconds(restarts + 1) * 1000;
    }
  }

  const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');

  function currentPod(at: number): Pod | undefined {
    if (!lab) return undefined;
    const s = lab.scenario;
    const container = s.workload.container;
    const fixed = lab.fixedAt !== undefined && at >= lab.fixedAt;
    const created = fixed ? lab.fixedAt! : lab.startedAt;
    const name = `${s.workload.deployment}-${fixed ? '6c9f8d7b5' : '7d4b9c8f6'}-${fixed ? 'q8w2n' : 'x2k4p'}`;
    const base: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: lab.namespace, uid: fixed ? '0b6f2c1e-7a43-4f1d-9d35-5c2e8a9f1b20' : '9f3c2a1b-5d4e-4f6a-8b7c-1d2e3f4a5b6c', creationTimestamp: iso(created), labels: { app: s.workload.deployment } },
      spec: { containers: [{ name: container, image: 'busybox:1.36' }], nodeName: 'crashlab-control-plane' },
    };
    if (fixed) {
      const started = lab.fixedAt! + 2000;
      const running = at >= started;
      return {
        ...base,
        status: {
          phase: running ? 'Running' : 'Pending',
          startTime: iso(created),
          containerStatuses: [
            {
              name: container,
              ready: running,
              restartCount: 0,
              image: 'docker.io/library/busybox:1.36',
              state: running ? { running: { startedAt: iso(started) } } : { waiting: { reason: 'ContainerCreating' } },
            },
          ],
        },
      };
    }
    const died = crashes(at);
    const restarts = died.length;
    const lastDied = died[restarts - 1];
    const nextStart = lastDied === undefined ? lab.startedAt + 1000 : lastDied + backOffSeconds(restarts) * 1000;
    const running = at >= nextStart;
    const terminated = lastDied === undefined ? undefined : { exitCode: 128, reason: 'StartError', message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/web-server": stat /bin/web-server: no such file or directory: unknown', startedAt: '1970-01-01T00:00:00Z', finishedAt: iso(lastDied), containerID: `containerd://${'4f9e1c2b7a'.repeat(6).slice(0, 64)}` };
    return {
      ...base,
      status: {
        phase: 'Running',
        startTime: iso(created),
        containerStatuses: [
          {
            name: container,
            ready: false,
            restartCount: restarts,
            image: 'docker.io/library/busybox:1.36',
            state: running
              ? { running: { startedAt: iso(nextStart) } }
              : restarts === 0
                ? { waiting: { reason: 'ContainerCreating' } }
                : { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backOffSeconds(restarts)}s restarting failed container=${container} pod=${name}_${lab.namespace}(9f3c2a1b-5d4e-4f6a-8b7c-1d2e3f4a5b6c)` } },
            lastState: terminated ? { terminated } : {},
          },
        ],
      },
    };
  }

  function events(at: number): KubeEvent[] {
    const pod = currentPod(at);
    if (!pod || !lab) return [];
    const ev = (reason: string, type: string, message: string, t: number, count = 1): KubeEvent => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${reason.toLowerCase()}`, namespace: lab!.namespace },
      involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: lab!.namespace },
      reason,
      type,
      message,
      count,
      firstTimestamp: iso(t),
      lastTimestamp: iso(t),
    });
    const created = Date.parse(pod.metadata.creationTimestamp!);
    const list = [ev('Scheduled', 'Normal', `Successfully assigned ${lab.namespace}/${pod.metadata.name} to crashlab-control-plane`, created)];
    const died = lab.fixedAt ? [] : crashes(at);
    list.push(ev('Pulled', 'Normal', 'Container image "busybox:1.36" already present on machine', created + 500, died.length + 1));
    if (died.length) {
      list.push(ev('Failed', 'Warning', 'Error: failed to create containerd task: exec: "/bin/web-server": stat /bin/web-server: no such file or directory: unknown', died[died.length - 1], died.length));
      list.push(ev('BackOff', 'Warning', `Back-off restarting failed container ${lab.scenario.workload.container} in pod ${pod.metadata.name}_${lab.namespace}(${pod.metadata.uid})`, died[died.length - 1] + 1000, died.length));
    }
    return list;
  }

  function push(): void {
    for (const notify of watchers) notify();
  }

  const needLab = (): NonNullable<typeof lab> => {
    if (!lab) throw Object.assign(new Error('the scenario is not deployed'), { hint: 'Pick a scenario first.' });
    return lab;
  };

  const services: DemoServices = {
    calls,
    now,
    advance(ms: number) {
      manualNow += ms;
      push();
      const waiting = tickWaiters;
      tickWaiters = [];
      for (const wake of waiting) wake();
    },
    setFixed(fixed: boolean) {
      const l = needLab();
      l.fixedAt = fixed ? now() : undefined;
      push();
    },
    clusterTarget(): ClusterTarget {
      return { context: 'kind-crashlab', confirmQuestion: contextConfirmed ? undefined : options.confirmQuestion };
    },
    confirmContext() {
      contextConfirmed = true;
    },
    async preflight(onResult) {
      const results = options.preflight ?? [
        { id: 'docker', title: { en: 'Docker daemon', ko: 'Docker 데몬' }, status: 'ok', detail: 'Docker 27.3.1 (demo)' },
        { id: 'kind', title: { en: 'kind', ko: 'kind' }, status: 'ok', detail: 'kind v0.27.0 (demo)' },
        { id: 'kubectl', title: { en: 'kubectl', ko: 'kubectl' }, status: 'ok', detail: 'kubectl v1.33.1 (demo)' },
      ];
      for (const r of results) onResult?.(r);
      return results;
    },
    async ensureCluster({ onLine, signal }: ClusterOptions): Promise<ClusterInfo> {
      if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      onLine('Using the existing kind cluster "crashlab" (demo).');
      return { context: 'kind-crashlab', created: false, serverVersion: 'v1.33.1' };
    },
    async deleteCluster(onLine) {
      onLine('Deleting cluster "crashlab" ... (demo)');
    },
    async scenarios() {
      return DEMO_SCENARIOS;
    },
    async progress() {
      return { progress: structuredClone(progress) };
    },
    async start(scenarioId, { onLine }): Promise<StartedLab> {
      const s = find(scenarioId);
      const namespace = `crashlab-${scenarioId}`;
      onLine?.(`namespace/${namespace} serverside-applied`);
      onLine?.(`deployment.apps/${s.workload.deployment} serverside-applied`);
      lab = { scenario: s, namespace, startedAt: now() };
      calls.started.push(scenarioId);
      recordStart(progress, scenarioId, lab.startedAt);
      return { ...plainRun(scenarioId), startedAt: lab.startedAt, lines: [] };
    },
    watchPods(_target, onPods): Watch {
      let last = '';
      const notify = () => {
        const pod = currentPod(now());
        const pods = pod ? [pod] : [];
        const key = JSON.stringify(pods);
        if (key === last) return;
        last = key;
        onPods(pods);
      };
      watchers.add(notify);
      const timer = options.manual ? undefined : setInterval(notify, 1000);
      queueMicrotask(notify);
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      return {
        done,
        cancel() {
          watchers.delete(notify);
          if (timer) clearInterval(timer);
          resolveDone();
        },
      };
    },
    async events() {
      return events(now());
    },
    async logs(_target, _pod, { previous }) {
      if (!lab || lab.fixedAt) return previous ? '' : 'listening on :8080\n';
      return '';
    },
    routine(target: LabTarget, pod: string): LabRoutineStep[] {
      const s = find(target.scenarioId);
      return routineSteps({ namespace: target.namespace, pod, container: s.workload.container }).map((step) => ({
        ...step,
        run: async () => ({ output: stepOutput(step.id, pod), exitCode: 0 }),
      }));
    },
    kubectlCommand(args) {
      return ['kubectl', ...args].join(' ');
    },
    async checkDiagnosis(target, pod, category): Promise<DiagnosisCheck> {
      const l = needLab();
      const correct = category === l.scenario.category;
      calls.diagnoses.push({ scenarioId: target.scenarioId, category, correct });
      const p = currentPod(now());
      const t = p?.status?.containerStatuses?.[0]?.lastState?.terminated;
      return { picked: category, correct, diagnosis: {
        pod,
        findings: [
          {
            category: l.scenario.category,
            confidence: 'high',
            evidence: t
              ? [`container app: last terminated reason ${t.reason}, exit code ${t.exitCode}`, `message: ${t.message}`, 'logs --previous: (empty)']
              : ['container app: waiting CrashLoopBackOff'],
          },
        ],
      } };
    },
    async openForEdit(target) {
      const s = find(target.scenarioId);
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${s.workload.deployment}\n  namespace: ${target.namespace}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: ${s.workload.container}\n          image: busybox:1.36\n          command: ["/bin/web-server"]\n`;
    },
    async applyEdit(_target, yaml): Promise<ApplyResult> {
      calls.applied.push(yaml);
      const kind = /^kind: (\S+)$/m.exec(yaml)?.[1];
      if (kind !== 'Deployment') {
        return { ok: false, error: `error: resource mapping not found for name: "web" namespace: "${lab?.namespace}" from "STDIN": no matches for kind "${kind}" in version "apps/v1"\nensure CRDs are installed first` };
      }
      if (/web-server/.test(yaml)) return { ok: true, lines: ['deployment.apps/web unchanged'] };
      services.setFixed(true);
      return { ok: true, lines: ['deployment.apps/web configured'] };
    },
    async editText(text, fileName) {
      if (options.editor) return options.editor(text);
      if (options.manual) return { status: 'unchanged' };
      return editWithEditor(text, fileName);
    },
    async solve(target): Promise<ApplyResult> {
      calls.solved++;
      recordHelp(progress, target.scenarioId);
      services.setFixed(true);
      return { ok: true, lines: ['deployment.apps/web serverside-applied'] };
    },
    async verify(_target, { onProgress, signal }): Promise<VerifyVerdict> {
      const l = needLab();
      const began = now();
      const windowSeconds = 20;
      const reasons = ['crash time of the broken container 5 s + margin 10 s', 'minimum window 20 s'];
      const finish = (v: Omit<VerifyVerdict, 'windowSeconds' | 'windowReasons' | 'elapsedSeconds'>): VerifyVerdict => {
        onProgress({ phase: 'done' });
        return { ...v, windowSeconds, windowReasons: reasons, elapsedSeconds: Math.round((now() - began) / 1000) };
      };
      onProgress({ phase: 'waiting-for-rollout', elapsedSeconds: 0 });
      await waitFor(1000);
      for (let left = windowSeconds; left > 0; left--) {
        if (signal.aborted) {
          calls.verifyAborted++;
          throw Object.assign(new Error('verification cancelled'), { name: 'AbortError' });
        }
        const pod = currentPod(now());
        const restarts = pod?.status?.containerStatuses?.[0]?.restartCount ?? 0;
        onProgress({ phase: 'watching', windowSeconds, remainingSeconds: left, restarts: [{ pod: pod?.metadata.name ?? '?', container: l.scenario.workload.container, restarts }] });
        if (l.fixedAt === undefined) {
          return finish({
            outcome: 'fail',
            summary: `pod ${pod?.metadata.name} is not Ready: container app is waiting (CrashLoopBackOff)`,
            evidence: [`pod ${pod?.metadata.name} container app: restartCount ${restarts}, last terminated StartError exit 128`, 'event BackOff: Back-off restarting failed container app'],
            guards: [],
          });
        }
        await waitFor(1000);
      }
      return finish({
        outcome: 'pass',
        summary: 'rollout complete, pod Ready, no restarts for 20 s',
        evidence: ['deployment web: 1/1 updated, 1/1 ready, observedGeneration 2'],
        guards: l.scenario.guards.map((g) => ({ guard: `${g.kind} on ${g.container}`, ok: true, detail: 'still present' })),
      });

      function waitFor(ms: number): Promise<void> {
        return new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
          if (options.manual) tickWaiters.push(resolve);
          else setTimeout(resolve, ms);
        });
      }
    },
    async debrief(target): Promise<Debrief> {
      const s = find(target.scenarioId);
      return {
        why: s.debrief,
        diff: `--- broken\n+++ fixed\n@@ spec.template.spec.containers[app] @@\n-          command: ["/bin/web-server"]\n+          command: ["httpd", "-f", "-p", "8080"]\n`,
        diffAgainst: calls.solved ? 'reference' : 'live',
        checklist: s.checklist,
      };
    },
    async recordVerdict(target, outcome, extras) {
      calls.results.push({ scenarioId: target.scenarioId, result: { outcome, ...extras } });
      recordVerdict(progress, target.scenarioId, outcome, { nowMs: now(), ...extras });
      return structuredClone(progress);
    },
    async reset(target) {
      calls.resets.push(target.namespace);
      lab = undefined;
    },
  };
  return services;

  function stepOutput(id: string, pod: string): string {
    const p = currentPod(now());
    const c = p?.status?.containerStatuses?.[0];
    const status = c?.state?.waiting?.reason ?? (c?.state?.running ? 'Running' : 'Pending');
    switch (id) {
      case 'get-wide':
        return `NAME${' '.repeat(Math.max(1, pod.length - 1))}READY   STATUS             RESTARTS      AGE   IP           NODE                     NOMINATED NODE   READINESS GATES\n${pod}   0/1     ${status.padEnd(18)} ${String(c?.restartCount ?? 0).padEnd(13)} 2m    10.244.0.7   crashlab-control-plane   <none>           <none>`;
      case 'logs':
      case 'logs-previous':
        return '';
      case 'last-state': {
        const t = c?.lastState?.terminated;
        return `app\trestarts=${c?.restartCount ?? 0}\treason=${t?.reason ?? ''}\texitCode=${t?.exitCode ?? ''}\tfinishedAt=${t?.finishedAt ?? ''}`;
      }
      case 'events':
        return ['LAST SEEN   TYPE      REASON      OBJECT       MESSAGE', ...events(now()).map((e) => `10s         ${(e.type ?? '').padEnd(9)} ${(e.reason ?? '').padEnd(11)} pod/${pod}   ${e.message}`)].join('\n');
      default: {
        const t = c?.lastState?.terminated;
        return [
          `Name:             ${pod}`,
          `Namespace:        ${lab?.namespace}`,
          'Priority:         0',
          'Service Account:  default',
          'Node:             crashlab-control-plane/172.18.0.2',
          `Labels:           app=${lab?.scenario.workload.deployment}`,
          '                  pod-template-hash=7d4b9c8f6',
          `Status:           Running`,
          'IP:               10.244.0.7',
          'Controlled By:  ReplicaSet/web-7d4b9c8f6',
          'Containers:',
          `  ${lab?.scenario.workload.container}:`,
          '    Container ID:  containerd://4f9e1c2b7a4f9e1c2b7a4f9e1c2b7a4f9e1c2b7a4f9e1c2b7a4f9e1c2b7a4f9e',
          '    Image:         busybox:1.36',
          '    Port:          <none>',
          '    Command:',
          '      /bin/web-server',
          '    State:          Waiting',
          `      Reason:       ${status}`,
          '    Last State:     Terminated',
          `      Reason:       ${t?.reason ?? ''}`,
          `      Message:      ${t?.message ?? ''}`,
          `      Exit Code:    ${t?.exitCode ?? ''}`,
          `      Finished:     ${t?.finishedAt ?? ''}`,
          '    Ready:          False',
          `    Restart Count:  ${c?.restartCount ?? 0}`,
          '    Environment:    <none>',
          'Conditions:',
          '  Type                        Status',
          '  PodReadyToStartContainers   True',
          '  Initialized                 True',
          '  Ready                       False',
          '  ContainersReady             False',
          '  PodScheduled                True',
          'QoS Class:                   BestEffort',
          'Events:',
          '  Type     Reason     Age   From               Message',
          '  ----     ------     ----  ----               -------',
          ...events(now()).map((e) => `  ${(e.type ?? '').padEnd(8)} ${(e.reason ?? '').padEnd(10)} 1m    kubelet            ${e.message}`),
        ].join('\n');
      }
    }
  }
}

/** The demo's $EDITOR round trip (the engine's real one lives in the adapters). */
async function editWithEditor(text: string, fileName: string): Promise<EditResult> {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-demo-'));
  const file = join(dir, fileName);
  try {
    writeFileSync(file, text);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    const result = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    if (result.status !== 0) return { status: 'failed', error: `${editor} exited with ${result.status ?? result.signal}` };
    const edited = readFileSync(file, 'utf8');
    return edited === text ? { status: 'unchanged' } : { status: 'saved', text: edited };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
