/** Reset: deleting a run, or every run of a scenario crashlab knows of. */
import { opaqueRun, plainRun, type RunTarget } from '../../core/instance.js';
import { forgetInstance, instancesOf } from '../../core/progress.js';
import type { Kube } from '../../ports/kube.js';
import type { LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

export interface ResetResult {
  namespace: string;
  result: 'deleted' | 'absent' | 'refused';
}

async function resetRun(lab: LabContext, k: Kube, run: RunTarget, wait: boolean): Promise<ResetResult> {
  if (run.ownsNamespace) return { namespace: run.namespace, result: await k.deleteManagedNamespace(run.namespace, { wait }) };
  const deleted = await k.deleteManagedObjects(run.namespace, run.selector, await lab.runKinds(), { wait });
  return { namespace: run.namespace, result: deleted.length ? 'deleted' : 'absent' };
}

export function resetActions(lab: LabContext) {
  return {
    /** Deletes one run (its namespace when it owns one, else its labelled objects). */
    async reset(target: LabTarget, reset: { wait?: boolean } = {}): Promise<ResetResult> {
      return lab.withKube(true, async (k) => {
        const result = await resetRun(lab, k, target, reset.wait ?? false);
        if (target.instance && result.result !== 'refused') await lab.saveAfterAction('the run was reset', (progress) => forgetInstance(progress, target.instance!));
        return result;
      });
    },

    /** Deletes every run of a scenario crashlab knows of (plain and opaque); optionally forgets its progress. */
    async resetScenario(scenarioId: string, reset: { wait?: boolean; forgetProgress?: boolean } = {}): Promise<ResetResult[]> {
      await lab.bundle(scenarioId);
      return lab.withKube(true, async (k) => {
        const progress = await lab.progressForAction();
        const shared = lab.options.sharedNamespace;
        // In a team namespace only the runs there are ours to reset (nothing cluster-scoped).
        const runs = shared
          ? [plainRun(scenarioId, shared), ...instancesOf(progress, scenarioId).filter((i) => i.namespace === shared).map((i) => opaqueRun(scenarioId, i.instance, shared))]
          : [plainRun(scenarioId), ...instancesOf(progress, scenarioId).filter((i) => i.namespace.startsWith('crashlab-i-')).map((i) => opaqueRun(scenarioId, i.instance, undefined))];
        const results: ResetResult[] = [];
        for (const run of runs) results.push(await resetRun(lab, k, run, reset.wait ?? true));
        await lab.saveAfterAction(`${scenarioId} was reset`, (p) => {
          for (const run of runs) if (run.instance) forgetInstance(p, run.instance);
          if (reset.forgetProgress) delete p.scenarios[scenarioId];
        });
        return results;
      });
    },
  };
}
