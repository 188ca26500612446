/**
 * What the container rules produce, and the small helpers and guide notes they share.
 */
import type { CategoryId } from '../categories.js';
import type { Container, ContainerStateTerminated, ContainerStatus, KubeEvent, Pod } from '../k8s.js';
import type { Text } from '../text.js';
import type { Confidence } from './logs.js';

export type { Confidence };

/** How urgent a finding is; findings are ordered by this first. */
export type Severity = 'failing' | 'degraded' | 'starting' | 'ok';

/** One container's diagnosis before it becomes a Finding (verify has its own Verdict). */
export interface ContainerVerdict {
  category: CategoryId;
  confidence: Confidence;
  severity: Severity;
  summary: Text;
  evidence: string[];
  /** Where the Korean field guide would mislead on this signature. */
  guideNote?: Text;
  /** Next steps for this exact signature; the category's steps otherwise. */
  nextSteps?: Text[];
}

export interface ContainerInput {
  pod: Pod;
  spec?: Container;
  status: ContainerStatus;
  init: boolean;
  /** Events whose fieldPath names this container. */
  events: KubeEvent[];
  /** Events about the pod without a container (FailedMount, FailedCreatePodSandBox...). */
  podEvents: KubeEvent[];
  log?: string;
}

export const t = (en: string, ko: string): Text => ({ en, ko });

// Where the Korean field guide misleads on a signature (DESIGN.md, "Facts").
export const GUIDE_KEYERROR = t(
  'The guide (4.2) says a Secret key typo shows as "KeyError" at boot. With a non-optional secretKeyRef the container is never created: CreateContainerConfigError, RESTARTS 0, no logs. Only with `optional: true` does the app start without the variable and crash.',
  '가이드(4.2)는 Secret 키 오타가 시작 시 "KeyError"로 보인다고 하지만, optional이 아닌 secretKeyRef라면 컨테이너가 아예 만들어지지 않습니다: CreateContainerConfigError, RESTARTS 0, 로그 없음. `optional: true`일 때만 변수 없이 앱이 떠서 크래시합니다.',
);
export const GUIDE_OPTIONAL_REF = t(
  'This is the one case where the guide\'s "KeyError at boot" (4.2) is true: the reference is `optional: true`, so the container starts without the variable. Without `optional`, the same typo is a CreateContainerConfigError with no restarts.',
  '가이드 4.2의 "부팅 시 KeyError"가 맞는 유일한 경우입니다: 참조가 `optional: true`라서 변수 없이 컨테이너가 시작됩니다. `optional`이 없으면 같은 오타가 재시작 없는 CreateContainerConfigError가 됩니다.',
);
export const GUIDE_OOM_EVENT = t(
  'The guide lists an `OOMKilling` event; that is a node-problem-detector node event (absent on kind). On the pod, only lastState.terminated.reason=OOMKilled and BackOff events show it.',
  '가이드는 `OOMKilling` 이벤트를 보라고 하지만, 그것은 node-problem-detector의 노드 이벤트입니다(kind에는 없음). 파드에서는 lastState.terminated.reason=OOMKilled와 BackOff 이벤트만 보입니다.',
);
export const GUIDE_BAD_COMMAND = t(
  'The guide\'s map expects "not found" in the logs. With an exec-form command the runtime cannot start the process at all: StartError, exit 128, and no logs; "not found" (exit 127) appears only through `sh -c`.',
  '가이드의 맵은 로그에서 "not found"를 찾으라고 하지만, exec 형식 command라면 런타임이 프로세스를 시작조차 못 합니다: StartError, 종료 코드 128, 로그 없음. "not found"(127)는 `sh -c`를 거칠 때만 나옵니다.',
);
export const GUIDE_EXIT_ZERO = t(
  'The guide (1) defines the crash as a non-zero exit. Under restartPolicy Always a clean exit 0 loops just the same: STATUS shows Completed, then CrashLoopBackOff.',
  '가이드(1장)는 크래시를 0이 아닌 종료로 정의하지만, restartPolicy Always에서는 정상 종료(0)도 똑같이 반복됩니다: STATUS가 Completed, 이어서 CrashLoopBackOff로 보입니다.',
);
export const GUIDE_LIVENESS = t(
  'The guide\'s map suggests raising initialDelaySeconds. A startupProbe sized to the real start time is the sturdier fix, and exit 137 here is not an OOM.',
  '가이드의 맵은 initialDelaySeconds를 올리라고 하지만, 실제 시작 시간에 맞춘 startupProbe가 더 튼튼한 해결이며, 여기서의 137은 OOM이 아닙니다.',
);

export function terminationOf(status: ContainerStatus): { field: 'state.terminated' | 'lastState.terminated'; t: ContainerStateTerminated } | undefined {
  if (status.state?.terminated) return { field: 'state.terminated', t: status.state.terminated };
  if (status.lastState?.terminated) return { field: 'lastState.terminated', t: status.lastState.terminated };
  return undefined;
}

export function seconds(from?: string, to?: string): number | undefined {
  if (!from || !to || from.startsWith('1970-')) return undefined;
  const d = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(d) && d >= 0 ? d : undefined;
}

