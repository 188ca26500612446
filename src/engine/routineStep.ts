/** Runs a routine step for the learner, the way a colleague at their shoulder would. */
import { isKubectlMessage } from '../core/diagnose/logs.js';
import type { RoutineStep } from '../core/routine.js';
import type { Lang } from '../core/text.js';
import type { Clock } from '../ports/clock.js';
import type { Kube } from '../ports/kube.js';

export interface StepRun {
  output: string;
  exitCode: number;
}

/** Where the step looks: `logs --previous` needs the container's current state to explain a missing log. */
export interface StepTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** A container restarted this recently may not have its previous instance's log known to the kubelet yet. */
const RETRY_PREVIOUS_MS = 2000;

const join = (stdout: string, stderr: string) => [stdout, stderr].filter((s) => s.trim() !== '').join('\n');

const NOTES = {
  current: {
    en: '# --previous is gone (the kubelet keeps only the newest dead container); the container that just died is the current one:',
    ko: '# --previous 로그는 없습니다(kubelet은 가장 최근에 종료된 컨테이너만 남깁니다). 방금 종료된 컨테이너가 현재 인스턴스입니다:',
  },
  later: {
    en: '# The kubelet has no log of the previous instance right now: it keeps only the newest dead container, and just after a restart it may not know the old one yet. Run this step again in a few seconds.',
    ko: '# 지금은 kubelet에 이전 인스턴스의 로그가 없습니다. kubelet은 가장 최근에 종료된 컨테이너만 남기고, 재시작 직후에는 이전 컨테이너를 아직 모를 수 있습니다. 몇 초 뒤에 이 단계를 다시 실행하세요.',
  },
} as const;

export async function runRoutineStep(kube: Kube, step: RoutineStep, options: { target?: StepTarget; clock?: Clock; lang?: Lang } = {}): Promise<StepRun> {
  const result = await kube.run(step.args);
  const output = join(result.stdout, result.stderr);
  // kubelet 1.34 answers a removed log with its message as the log itself (kubectl exit 0), older
  // ones with an error: either way the output is only kubectl's complaint (diagnosis's one rule).
  if (step.id !== 'logs-previous' || !isKubectlMessage(output)) return { output, exitCode: result.exitCode };
  const lang = options.lang ?? 'en';
  const plain = step.args.filter((a) => a !== '--previous');
  const state = options.target ? await containerState(kube, options.target) : 'terminated';
  if (state === 'terminated') {
    // While the pod still shows the newest dead container as its current (terminated) state,
    // --previous points at an older, deleted one: the last words are under plain `kubectl logs`.
    const current = await kube.run(plain);
    return { output: [output, '', NOTES.current[lang], `$ kubectl ${plain.join(' ')}`, join(current.stdout, current.stderr)].join('\n'), exitCode: current.exitCode };
  }
  // Running or waiting again: the log of the instance that died is what the step is for, and
  // plain `logs` would show the new instance instead. Ask once more, then say to come back.
  await options.clock?.sleep(RETRY_PREVIOUS_MS);
  const again = await kube.run(step.args);
  const againOutput = join(again.stdout, again.stderr);
  if (!isKubectlMessage(againOutput)) return { output: againOutput, exitCode: again.exitCode };
  return { output: [againOutput, '', NOTES.later[lang]].join('\n'), exitCode: again.exitCode };
}

async function containerState(kube: Kube, target: StepTarget): Promise<'terminated' | 'other'> {
  const pod = await kube.getPod(target.namespace, target.pod).catch(() => undefined);
  const status = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])].find((s) => s.name === target.container);
  return status?.state?.terminated ? 'terminated' : 'other';
}
