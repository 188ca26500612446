/** The debrief: why it broke, the diff from broken to fixed, the checklist. */
import yaml from 'js-yaml';
import { pruneToShape, unifiedDiff } from '../../core/diff.js';
import type { Deployment } from '../../core/k8s.js';
import { findWorkload } from '../../core/manifest.js';
import { getWorkloadObject } from '../scenarioRuns.js';
import type { Debrief, LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

export function debriefActions(lab: LabContext) {
  return {
    /** Why it broke, the diff from broken to fixed (the learner's live spec, or the reference), the checklist. */
    async debrief(target: LabTarget): Promise<Debrief> {
      const b = await lab.bundle(target.scenarioId);
      const progress = (await lab.store.load()).progress.scenarios[target.scenarioId];
      const { kind, name } = b.scenario.workload;
      const broken = findWorkload(b.broken, kind, name);
      const solution = findWorkload(b.solution, kind, name);
      let after: Deployment | undefined;
      let diffAgainst: Debrief['diffAgainst'] = 'reference';
      if (!progress?.attemptUsedHelp) {
        // Every workload kind keeps its pods in spec.template; a connection that cannot read the
        // kind (no getObject) or a gone object falls back to the reference diff.
        after = (await getWorkloadObject(await lab.kube(), target.namespace, b.scenario.workload).catch(() => undefined)) as Deployment | undefined;
        if (after) diffAgainst = 'live';
      }
      after ??= solution;
      const specOf = (d: Deployment | undefined) => d?.spec.template.spec ?? {};
      const shapes = [specOf(broken), specOf(solution)];
      const dump = (value: unknown) => yaml.dump(value, { sortKeys: true, lineWidth: 120, noRefs: true });
      const afterSpec = diffAgainst === 'live' ? pruneToShape(specOf(after), shapes) : specOf(after);
      const diff = unifiedDiff(dump(specOf(broken)), dump(afterSpec), {
        before: `broken ${name} (spec.template.spec)`,
        after: diffAgainst === 'live' ? `your live ${name}` : `reference solution`,
      });
      return { why: b.scenario.debrief, diff, diffAgainst, checklist: b.scenario.checklist };
    },
  };
}
