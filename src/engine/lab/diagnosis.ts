/** Diagnosis: what the engine finds on a pod or a workload, and checking the cause the learner names. */
import type { CategoryId } from '../../core/categories.js';
import { recordDiagnosis } from '../../core/progress.js';
import { diagnoseLive, diagnoseWorkload, gatherLive, type LiveInput, type WorkloadDiagnosis, type ControllerRef } from '../diagnose.js';
import type { DiagnosisCheck, LabDiagnosis, LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

export function diagnosisActions(lab: LabContext) {
  /** What the diagnosis engine finds on the pod (healthy findings left out). */
  async function diagnose(target: LabTarget, pod: string): Promise<LabDiagnosis> {
    const result = await diagnoseLive(await lab.kube(), target.namespace, pod);
    return {
      pod,
      findings: result.findings.filter((f) => f.category !== 'healthy').map((f) => ({ category: f.category, confidence: f.confidence, evidence: f.evidence })),
    };
  }

  return {
    diagnose,

    /** The learner names a cause: checked against the scenario, diagnosed live, recorded. */
    async checkDiagnosis(target: LabTarget, pod: string, picked: CategoryId): Promise<DiagnosisCheck> {
      const b = await lab.bundle(target.scenarioId);
      const diagnosis = await diagnose(target, pod);
      if (b.published) {
        // The cause is not on this laptop: the board judges the answer and sends its judgement.
        await lab.logEvent(target, { type: 'diagnosis', category: picked, correct: false });
        const judged = await lab.boardAnswer(target, (a) => a?.diagnoses[picked], { en: 'its judgement of your answer', ko: '답에 대한 판정' });
        await lab.saveAfterAction('your diagnosis was checked', (progress) => recordDiagnosis(progress, target.scenarioId, { category: picked, correct: judged, nowMs: lab.clock.now() }));
        return { picked, correct: judged, diagnosis };
      }
      const correct = picked === b.scenario.category;
      await lab.saveAfterAction('your diagnosis was checked', (progress) => recordDiagnosis(progress, target.scenarioId, { category: picked, correct, nowMs: lab.clock.now() }));
      await lab.logEvent(target, { type: 'diagnosis', category: picked, correct });
      return { picked, correct, diagnosis };
    },

    /** What diagnosis reads of any pod (the CLI's `diagnose <pod>`); undefined when it does not exist. */
    async gatherPod(namespace: string, pod: string): Promise<LiveInput | undefined> {
      return lab.withKube(false, (k) => gatherLive(k, namespace, pod));
    },

    /** Every pod of a workload (the CLI's `diagnose deploy/NAME`), identical findings grouped. */
    async diagnoseWorkload(namespace: string, ref: ControllerRef): Promise<WorkloadDiagnosis> {
      return lab.withKube(false, (k) => diagnoseWorkload(k, namespace, ref));
    },
  };
}
