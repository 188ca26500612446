/** Runs a routine step for the learner, the way a colleague at their shoulder would. */
import { PREVIOUS_LOG_GONE, type RoutineStep } from '../core/routine.js';
import type { Kube } from '../ports/kube.js';

export interface StepRun {
  output: string;
  exitCode: number;
}

const join = (stdout: string, stderr: string) => [stdout, stderr].filter((s) => s.trim() !== '').join('\n');

export async function runRoutineStep(kube: Kube, step: RoutineStep): Promise<StepRun> {
  const result = await kube.run(step.args);
  const output = join(result.stdout, result.stderr);
  if (step.id !== 'logs-previous' || result.exitCode === 0 || !PREVIOUS_LOG_GONE.test(output)) return { output, exitCode: result.exitCode };
  // The kubelet keeps only the newest dead container. While the pod still shows that one as
  // its current (terminated) state, --previous points at an older, deleted one: the last
  // words are under plain `kubectl logs`.
  const current = await kube.run(step.args.filter((a) => a !== '--previous'));
  return {
    output: [output, '', '# --previous is gone (the kubelet keeps only the newest dead container); the container that just died is the current one:', `$ kubectl ${step.args.filter((a) => a !== '--previous').join(' ')}`, join(current.stdout, current.stderr)].join('\n'),
    exitCode: current.exitCode,
  };
}
