/** The catalog, the learner's progress, and which run an id names. */
import { instancesOf } from '../../core/progress.js';
import { opaqueRun, plainRun } from '../../core/instance.js';
import type { Scenario } from '../../core/scenario.js';
import type { CatalogContents } from '../../ports/catalog.js';
import type { LabTarget, ProgressSnapshot } from '../labTypes.js';
import type { LabContext } from './context.js';

export function catalogActions(lab: LabContext) {
  const { options } = lab;
  return {
    async catalog(): Promise<CatalogContents> {
      return lab.catalog();
    },

    async scenarios(): Promise<Scenario[]> {
      return (await lab.catalog()).scenarios;
    },

    /** The scenario with its manifests (by id, or by a live instance id in a team namespace), or a LabError naming the ids that exist. */
    scenario: async (ref: string) => lab.bundle(await lab.scenarioOf(ref)),

    async progress(): Promise<ProgressSnapshot> {
      const snapshot = await lab.store.load();
      const warning = snapshot.warning ?? lab.ports.takeStoreWarning?.() ?? lab.state.heldWarning;
      lab.state.heldWarning = undefined;
      return warning ? { ...snapshot, warning } : snapshot;
    },

    /** The plain run of a scenario (the CLI's `<id>` argument): namespace crashlab-<id> unless given. */
    async target(ref: string, given?: string): Promise<LabTarget> {
      const scenarioId = await lab.scenarioOf(ref);
      await lab.bundle(scenarioId);
      const namespace = given ?? options.sharedNamespace;
      if (scenarioId !== ref && namespace === options.sharedNamespace) return opaqueRun(scenarioId, ref, namespace);
      // In a shared namespace the run may be opaque: the progress file knows its instance.
      if (namespace) {
        const progress = await lab.progressForAction();
        const known = instancesOf(progress, scenarioId).find((i) => i.namespace === namespace);
        if (known) return opaqueRun(scenarioId, known.instance, namespace);
        // Not started here: the instance the instructor released, or a teammate started.
        if (namespace === options.sharedNamespace) {
          const live = (await lab.liveIn(await lab.kube(), namespace)).find((i) => i.scenarioId === scenarioId);
          if (live) return opaqueRun(scenarioId, live.instance, namespace);
        }
      }
      return plainRun(scenarioId, namespace);
    },
  };
}
