/**
 * The guide's "first 60 seconds" routine, filled in for one pod. Corrected where the guide is
 * wrong: events are scoped to the pod (not `-A | tail`), and the debug step uses a copy of
 * the pod with a shell, because `kubectl debug --target` cannot attach to a container that
 * is not running, and busybox has no bash.
 */
import type { ContainerStatus, Pod } from './k8s.js';
import type { Text } from './text.js';

export interface RoutineTarget {
  namespace: string;
  pod: string;
  container: string;
  /** Added to every command when crashlab is not using the current kubeconfig context. */
  context?: string;
  /** Instead of `--context`: the flags a game-day team's shell needs (`--kubeconfig FILE`, or none with $KUBECONFIG set). */
  flags?: string[];
}

export interface RoutineStep {
  id: 'get-wide' | 'describe' | 'logs' | 'logs-previous' | 'last-state' | 'events' | 'debug-copy';
  title: Text;
  /** What to look for in the output. */
  why: Text;
  /** kubectl arguments, without the binary and without --context. */
  args: string[];
  /** The command as the learner would type it (shell-quoted, copyable). */
  command: string;
  /** Needs a terminal (an interactive shell): shown, not run by crashlab. */
  interactive: boolean;
}

const LAST_STATE_JSONPATH =
  '{range .status.containerStatuses[*]}{.name}{"\\t"}restarts={.restartCount}{"\\t"}reason={.lastState.terminated.reason}{"\\t"}exitCode={.lastState.terminated.exitCode}{"\\t"}finishedAt={.lastState.terminated.finishedAt}{"\\n"}{end}';

export function routineSteps(target: RoutineTarget): RoutineStep[] {
  const { namespace: ns, pod, container } = target;
  const steps: Omit<RoutineStep, 'command'>[] = [
    {
      id: 'get-wide',
      title: { en: 'Status at a glance', ko: '상태 요약' },
      why: {
        en: 'STATUS, READY, RESTARTS and the node: is it crash-looping, not starting, or not ready?',
        ko: 'STATUS, READY, RESTARTS와 노드: 크래시 루프인지, 시작을 못 하는지, 준비가 안 된 것인지',
      },
      args: ['get', 'pod', pod, '-n', ns, '-o', 'wide'],
      interactive: false,
    },
    {
      id: 'describe',
      title: { en: 'Describe the pod', ko: '파드 describe' },
      why: {
        en: 'Last State (reason, exit code), probe settings, limits, and the Events at the bottom',
        ko: 'Last State(reason, 종료 코드), 프로브 설정, 리소스 limit, 맨 아래 Events',
      },
      args: ['describe', 'pod', pod, '-n', ns],
      interactive: false,
    },
    {
      id: 'logs',
      title: { en: 'Current logs', ko: '현재 로그' },
      why: {
        en: 'What the running (or just started) instance says; often empty in a crash loop',
        ko: '실행 중(또는 막 시작한) 인스턴스의 로그. 크래시 루프에서는 비어 있는 경우가 많음',
      },
      args: ['logs', pod, '-n', ns, '-c', container, '--timestamps'],
      interactive: false,
    },
    {
      id: 'logs-previous',
      title: { en: 'Logs of the previous instance', ko: '이전 인스턴스 로그' },
      why: {
        en: 'The last words of the container that died: usually the best clue. No output at all means it never ran (e.g. the command does not exist)',
        ko: '죽은 컨테이너의 마지막 말: 대개 가장 좋은 단서. 아무 출력도 없다면 실행조차 못 한 것(예: 명령이 없음)',
      },
      args: ['logs', pod, '-n', ns, '-c', container, '--previous', '--timestamps'],
      interactive: false,
    },
    {
      id: 'last-state',
      title: { en: 'Last termination (JSONPath)', ko: '마지막 종료 상태(JSONPath)' },
      why: {
        en: 'reason + exit code: 137 with OOMKilled is memory; 137 with Error after a Killing event is a probe; 128 StartError is the command',
        ko: 'reason + 종료 코드: OOMKilled와 137은 메모리, Killing 이벤트 뒤 Error와 137은 프로브, 128 StartError는 명령 문제',
      },
      args: ['get', 'pod', pod, '-n', ns, '-o', `jsonpath=${LAST_STATE_JSONPATH}`],
      interactive: false,
    },
    {
      id: 'events',
      title: { en: 'Events, newest last', ko: '이벤트(최신이 아래)' },
      why: {
        en: 'Warning reasons: BackOff, Unhealthy (probe), FailedMount, FailedScheduling, FailedPostStartHook, Failed; Killing (a Normal event) follows a failed liveness probe or postStart hook. OOM has no pod event',
        ko: 'Warning reason: BackOff, Unhealthy(프로브), FailedMount, FailedScheduling, FailedPostStartHook, Failed. Killing(Normal 이벤트)은 liveness 프로브나 postStart 훅 실패 뒤에 옴. OOM은 파드 이벤트가 없음',
      },
      args: ['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${pod}`, '--sort-by=.lastTimestamp'],
      interactive: false,
    },
    {
      id: 'debug-copy',
      title: { en: 'Look inside a copy', ko: '복제본 안에서 살펴보기' },
      why: {
        en: 'A copy of the pod whose container runs a shell instead, to inspect files and paths. Delete it afterwards',
        ko: '컨테이너가 대신 셸을 실행하는 파드 복제본으로 파일과 경로를 확인. 끝나면 삭제',
      },
      // An explicit profile (kubectl 1.34 warns that the implicit legacy one is deprecated), and
      // baseline rather than general: general adds SYS_PTRACE to the copy, which Pod Security
      // "baseline" (game-day team namespaces) rejects; a shell in the copy needs no ptrace.
      args: ['debug', pod, '-n', ns, `--copy-to=${pod}-dbg`, `--container=${container}`, '--profile=baseline', '-it', '--', 'sh'],
      interactive: true,
    },
  ];
  return steps.map((step) => ({ ...step, command: formatKubectl(step.args, target.context, target.flags) }));
}

/**
 * The container the routine should look at: the one that is failing (an init container
 * first, since the app waits for it), else `fallback` (the scenario's main container).
 */
export function focusContainer(pod: Pod | undefined, fallback: string): string {
  const failing = (s: ContainerStatus) =>
    (s.restartCount > 0 && !s.ready) || (s.state?.waiting?.reason !== undefined && s.state.waiting.reason !== 'PodInitializing') || (s.state?.terminated !== undefined && s.state.terminated.exitCode !== 0);
  const init = pod?.status?.initContainerStatuses?.find(failing);
  if (init) return init.name;
  return pod?.status?.containerStatuses?.find(failing)?.name ?? fallback;
}

export function formatKubectl(args: string[], context?: string, flags?: string[]): string {
  const all = flags ? [...flags, ...args] : context ? ['--context', context, ...args] : args;
  return ['kubectl', ...all.map(shellQuote)].join(' ');
}

/** Quotes an argument for POSIX shells only when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
