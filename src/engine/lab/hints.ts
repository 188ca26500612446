/** Hints: which ones a run has taken (the team's, in a game), and revealing the next. */
import { recordHint } from '../../core/progress.js';
import type { Scenario } from '../../core/scenario.js';
import { LabError } from '../scenarioRuns.js';
import type { LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

/** Hint indexes taken on this run: the team's log in a game (a teammate's hint counts), else this attempt's. */
export async function hintsTaken(lab: LabContext, target: LabTarget): Promise<Set<number>> {
  const shared = lab.options.sharedNamespace;
  if (shared && target.namespace === shared && target.instance) {
    const events = await lab.teamEvents(target.namespace).catch(() => []);
    return new Set(events.flatMap((e) => (e.type === 'hint' && e.instance === target.instance && e.index !== undefined ? [e.index] : [])));
  }
  const { progress } = await lab.store.load();
  const recorded = progress.scenarios[target.scenarioId]?.attemptHints;
  return new Set(Array.isArray(recorded) ? recorded.filter((i) => Number.isInteger(i)) : []);
}

export function hintActions(lab: LabContext) {
  return {
    /**
     * Reveals a hint of the run: `index` (0-based) or the next one not yet taken, and logs it
     * in game mode (each hint index costs the team once, whichever screen showed it).
     */
    async hint(target: LabTarget, index?: number): Promise<{ index: number; total: number; text: Scenario['hints'][number]; alreadyTaken: boolean }> {
      const b = await lab.bundle(target.scenarioId);
      const total = b.scenario.hints.length;
      if (total === 0) throw new LabError(`scenario ${target.instance ?? target.scenarioId} has no hints`, 'invalid-scenario');
      const taken = await hintsTaken(lab, target);
      const next = index ?? Math.min(taken.size, total - 1);
      if (!Number.isInteger(next) || next < 0 || next >= total) throw new LabError(`there are hints 1 to ${total}, not ${next + 1}`, 'invalid-edit');
      const alreadyTaken = taken.has(next);
      if (!alreadyTaken) {
        await lab.logEvent(target, { type: 'hint', index: next });
        await lab.saveAfterAction('the hint was shown', (p) => recordHint(p, target.scenarioId, next));
      }
      const text = b.published ? await lab.boardAnswer(target, (a) => a?.hints[String(next)], { en: `the text of hint ${next + 1}`, ko: `힌트 ${next + 1}의 내용` }) : b.scenario.hints[next];
      return { index: next, total, text, alreadyTaken };
    },

    /** The hint indexes already taken on this run (the team's, in game mode): a resumed lab shows them. */
    hintsTaken: async (target: LabTarget) => [...(await hintsTaken(lab, target))].sort((a, b) => a - b),
  };
}
