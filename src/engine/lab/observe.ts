/** Looking at a run: its status, its pods (watched), their events and logs, and the 60-second routine. */
import { eventTime, type KubeEvent, type Pod } from '../../core/k8s.js';
import { focusContainer, formatKubectl, routineSteps } from '../../core/routine.js';
import type { Watch } from '../../ports/kube.js';
import { LabError, requireDeployed, runPods, scenarioStatus, sortPods, type ScenarioStatus } from '../scenarioRuns.js';
import { focusPod } from '../../core/podStatus.js';
import type { LabRoutineStep, LabTarget } from '../labTypes.js';
import { runRoutineStep, type StepRun } from '../routineStep.js';
import type { LabContext } from './context.js';

export function observeActions(lab: LabContext) {
  const { state } = lab;

  /** The routine reads what the catalog and the pod watch have already delivered: it stays synchronous for the UI. */
  function routine(target: LabTarget, pod: string): LabRoutineStep[] {
    const container = focusContainer(state.latestPods.get(pod), state.containers.get(target.scenarioId) ?? 'app');
    return routineSteps({ namespace: target.namespace, pod, container, context: lab.contextFlag, flags: lab.options.shownKubectlFlags }).map((step) => ({
      ...step,
      run: async () => {
        const result = await runRoutineStep(await lab.kube(), step, { target: { namespace: target.namespace, pod, container }, clock: lab.clock, lang: lab.lang });
        const key = `${target.instance ?? target.scenarioId}/${step.id}`;
        if (!state.stepsLogged.has(key)) {
          state.stepsLogged.add(key);
          await lab.logEvent(target, { type: 'step', step: step.id });
        }
        return result;
      },
    }));
  }

  return {
    async status(target: LabTarget): Promise<ScenarioStatus> {
      const b = await lab.bundle(target.scenarioId);
      return lab.withKube(false, (k) => scenarioStatus(k, b, target, lab.clock.now()));
    },

    /** Current pods of the run, pushed on every change (full list each time). */
    watchPods(target: LabTarget, onPods: (pods: Pod[]) => void, onError?: (error: Error) => void): Watch {
      const pods = new Map<string, Pod>();
      let inner: Watch | undefined;
      let cancelled = false;
      const done = lab.kube().then((k) => {
        if (cancelled) return;
        inner = k.watchPods(
          target.namespace,
          target.selector,
          (event) => {
            if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
            if (event.type === 'DELETED') pods.delete(event.pod.metadata.name);
            else pods.set(event.pod.metadata.name, event.pod);
            state.latestPods.set(event.pod.metadata.name, event.pod);
            onPods(sortPods([...pods.values()]));
          },
          onError,
        );
        return inner.done;
      }, (error: Error) => onError?.(error));
      return {
        done,
        cancel: () => {
          cancelled = true;
          inner?.cancel();
        },
      };
    },

    /** Events about one pod, oldest first. */
    async events(target: LabTarget, pod: string): Promise<KubeEvent[]> {
      const events = await (await lab.kube()).getEvents(target.namespace, pod);
      return events.sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
    },

    /** Log text of the scenario's container; previous = the instance that died. */
    async logs(target: LabTarget, pod: string, log: { previous: boolean; tail?: number }): Promise<string> {
      const b = await lab.bundle(target.scenarioId);
      return (await lab.kube()).logs(target.namespace, pod, b.scenario.workload.container, { previous: log.previous, tail: log.tail, timestamps: true });
    },

    /** The 60-second routine for this pod, commands filled in (context included when needed). */
    routine,

    /** The routine for the run's newest pod (the CLI's `routine <id>`). */
    async routineForNewestPod(target: LabTarget): Promise<{ pod: string; steps: LabRoutineStep[] }> {
      const b = await lab.bundle(target.scenarioId);
      return lab.withKube(false, async (k) => {
        await requireDeployed(k, b, target);
        const pod = focusPod(await runPods(k, target), b.scenario.expect.container);
        if (!pod) throw new LabError(
            { en: `no pod yet for scenario ${target.instance ?? target.scenarioId}`, ko: `${target.instance ?? target.scenarioId} 시나리오의 파드가 아직 없습니다` },
            'no-pod',
            { en: 'The Deployment has not created a pod yet; try again in a few seconds.', ko: 'Deployment가 아직 파드를 만들지 않았습니다. 몇 초 뒤에 다시 해 보세요.' },
          );
        state.latestPods.set(pod.metadata.name, pod);
        return { pod: pod.metadata.name, steps: routine(target, pod.metadata.name) };
      });
    },

    /** Runs every non-interactive step, in order (interactive ones are only shown). */
    async runSteps(steps: LabRoutineStep[]): Promise<(StepRun | undefined)[]> {
      const results: (StepRun | undefined)[] = [];
      for (const step of steps) results.push(step.interactive ? undefined : await step.run());
      return results;
    },

    /** A kubectl command line the learner can copy (adds --context when needed). */
    kubectlCommand(args: string[]): string {
      return formatKubectl(args, lab.contextFlag, lab.options.shownKubectlFlags);
    },
  };
}
