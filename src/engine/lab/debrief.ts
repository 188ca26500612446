/** The debrief: why it broke, the diff from broken to fixed, the checklist. */
import { scenarioFromPublished } from '../../core/gameday/teamContent.js';
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
      let b = await lab.bundle(target.scenarioId);
      if (b.published) {
        // Sent by the board once its verdict passed: the cause, the why and the checklist.
        const answers = await lab.boardAnswer(target, (a) => (a?.debrief ? a : undefined), { en: 'the debrief (it comes once its verdict on your fix passed)', ko: '해설(수정에 대한 판정이 통과한 뒤에 옵니다)' });
        const published = (await lab.roomContent()).scenarios.find((p) => p.id === target.scenarioId);
        if (published) b = { ...b, scenario: scenarioFromPublished(published, answers) };
      }
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
