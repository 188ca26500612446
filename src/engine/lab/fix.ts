/** Fixing a run: the learner's edit of the live workload, or the reference solution. */
import { SOLVE_IN_ROOM } from '../../core/gameday/teamContent.js';
import yaml from 'js-yaml';
import type { K8sObject } from '../../core/k8s.js';
import { cleanForEdit, formatManifestProblem, parseManifest } from '../../core/manifest.js';
import { recordHelp } from '../../core/progress.js';
import type { EditResult } from '../../ports/editor.js';
import { LabError, deployRun, getWorkloadObject, requireDeployed } from '../scenarioRuns.js';
import type { ApplyResult, LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

export function fixActions(lab: LabContext) {
  return {
    /** The live Deployment as YAML a person edits (no status, managedFields, uid, resourceVersion...). */
    async openForEdit(target: LabTarget): Promise<string> {
      const b = await lab.bundle(target.scenarioId);
      const { kind, name } = b.scenario.workload;
      const live = await getWorkloadObject(await lab.kube(), target.namespace, b.scenario.workload);
      if (!live) throw new LabError(
          { en: `${kind.toLowerCase()} ${name} is gone from ${target.namespace}`, ko: `${target.namespace} 네임스페이스에 ${kind} ${name} 오브젝트가 더 이상 없습니다` },
          'not-deployed',
          { en: 'Start the scenario again.', ko: '시나리오를 다시 시작하세요.' },
        );
      return yaml.dump(cleanForEdit(live), { lineWidth: 120, noRefs: true });
    },

    /** Applies the learner's edited Deployment; a rejection is an answer, not an error. */
    async applyEdit(target: LabTarget, text: string): Promise<ApplyResult> {
      const b = await lab.bundle(target.scenarioId);
      const parsed = parseManifest(text);
      if (!parsed.ok) return { ok: false, error: parsed.problems.map(formatManifestProblem).join('\n') };
      const { kind, name } = b.scenario.workload;
      if (parsed.objects.length !== 1 || parsed.objects[0].kind !== kind || parsed.objects[0].metadata?.name !== name) {
        return { ok: false, error: `the file must hold exactly one ${kind} named ${name}` };
      }
      // A Job's pod template is immutable: the API server's refusal comes back as the answer.
      // The edited object carries its own namespace; the deploy step re-sets it to this run's.
      const object = { ...parsed.objects[0], metadata: { ...parsed.objects[0].metadata, namespace: undefined } } as K8sObject;
      try {
        const lines = await lab.withKube(true, async (k) => deployRun(k, target, [object], { labels: await lab.gameLabels(target) }));
        await lab.logEvent(target, { type: 'fix-applied', how: 'editor' });
        return { ok: true, lines };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },

    /** Opens text in $VISUAL/$EDITOR; the UI has already released the terminal. */
    editText(text: string, fileName: string): Promise<EditResult> {
      return lab.ports.editor.edit(text, fileName);
    },

    /** Applies the reference solution; the attempt no longer counts for a best time. */
    async solve(target: LabTarget): Promise<string[]> {
      const b = await lab.bundle(target.scenarioId);
      if (b.published) throw new LabError(SOLVE_IN_ROOM.message, 'not-in-room', SOLVE_IN_ROOM.hint);
      const lines = await lab.withKube(true, async (k) => {
        await requireDeployed(k, b, target);
        // The exact replace keeps the game's labels: the board and the next round find the run by them.
        return deployRun(k, target, b.solution, { exact: true, labels: await lab.gameLabels(target) });
      });
      await lab.saveAfterAction('the reference solution was applied', (progress) => recordHelp(progress, target.scenarioId));
      await lab.logEvent(target, { type: 'fix-applied', how: 'solve' });
      return lines;
    },
  };
}
