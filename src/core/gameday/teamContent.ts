/**
 * Packs in a room (issue #19 item 7): what a team's laptop may learn of a scenario it does not
 * have (the instructor's `--scenarios DIR`), and when. Pure rules; the game writes them into
 * ConfigMap `crashlab-content` in each team namespace, which the team token reads.
 *
 * - At create (`scenarios` key): what the lab needs to run the routine, diagnose and verify and
 *   nothing that gives the cause away: title (not in a mystery game), briefing, symptoms, the
 *   workload, the verify windows, the broken manifests (and the good version before them), how
 *   many hints there are. Never the category, a hint's text, the debrief, the guards, the
 *   solution or a not-quite-fix.
 * - As the game goes (`answers` key, written by the instructor's board from the team's log):
 *   a hint's text once the team has paid for it (its `hint` event), the judgement of each
 *   cause the team named (its `diagnosis` event: the board judges, the laptop cannot), and the
 *   category with the debrief and checklist once an instructor verdict passed (the rule that
 *   already holds for the debrief on a laptop that has the scenario).
 * - `solve`: the reference solution never leaves the instructor, so for a published scenario
 *   the lab refuses `solve` and says so (SOLVE_IN_ROOM): the team fixes it itself, takes the
 *   hints (the last one says the fix), or asks the instructor for `gameday reset G --team T`.
 */
import type { K8sObject } from '../k8s.js';
import type { Scenario } from '../scenario.js';
import type { Text } from '../text.js';
import type { FoldedTeamLog, GameEvent } from './events.js';

export const CONTENT_CONFIGMAP = 'crashlab-content';
export const CONTENT_SCENARIOS_KEY = 'scenarios';
export const CONTENT_ANSWERS_KEY = 'answers';

/** A scenario as a team's laptop gets it from the room (no cause, no fix). */
export interface PublishedScenario {
  id: string;
  difficulty: Scenario['difficulty'];
  order: number;
  /** Absent in a mystery game: the lab shows the symptoms instead. */
  title?: Text;
  summary?: Text;
  briefing: Text;
  symptoms: Text;
  hintCount: number;
  images: string[];
  workload: Scenario['workload'];
  /** Only which container and how soon: the rest of `expect` names the failure. */
  expect: Pick<Scenario['expect'], 'container' | 'within' | 'firstSymptomWithin'>;
  verify: Scenario['verify'];
  broken: K8sObject[];
  previous?: K8sObject[];
}

/** What the board has unlocked for one instance. */
export interface InstanceAnswers {
  scenario: string;
  /** Hint index (as a string key) to its text, for the hints the team took. */
  hints: Record<string, Text>;
  /** Each cause the team named, judged. */
  diagnoses: Record<string, boolean>;
  /** After a passing instructor verdict only. */
  category?: Scenario['category'];
  debrief?: Text;
  checklist?: Text[];
}

export type TeamAnswers = Record<string, InstanceAnswers>;

/** The published view of one scenario (what `gameday create` writes). */
export function publishScenario(source: { scenario: Scenario; broken: K8sObject[]; previous?: K8sObject[] }, mode: 'game' | 'mystery' = 'game'): PublishedScenario {
  const s = source.scenario;
  return {
    id: s.id,
    difficulty: s.difficulty,
    order: s.order,
    ...(mode === 'mystery' ? {} : { title: s.title, summary: s.summary }),
    briefing: s.briefing,
    symptoms: s.symptoms,
    hintCount: s.hints.length,
    images: s.images,
    workload: s.workload,
    expect: { container: s.expect.container, within: s.expect.within, ...(s.expect.firstSymptomWithin !== undefined ? { firstSymptomWithin: s.expect.firstSymptomWithin } : {}) },
    // requireChange's `because` explains the failure: only whether it applies goes out.
    verify: { ...s.verify, requireChange: s.verify.requireChange === false ? false : true },
    broken: source.broken,
    ...(source.previous ? { previous: source.previous } : {}),
  };
}

/**
 * Which offered scenarios are published: those a laptop with crashlab alone does not have
 * (every scenario outside the built-in pack). Built-in ones are on every laptop already.
 */
export function scenariosToPublish(offered: readonly string[], builtIn: (id: string) => boolean): string[] {
  return offered.filter((id) => !builtIn(id));
}

/**
 * The answers a team has earned so far, from its log as the board folds it (instructor
 * verdicts only when signed) and the events as written (the hint indexes). Only instances the
 * instructor released to this team with a published scenario get answers.
 */
export function teamAnswers(log: FoldedTeamLog, events: readonly GameEvent[], scenarioOf: (instance: string) => Scenario | undefined): TeamAnswers {
  const answers: TeamAnswers = {};
  for (const state of log.instances) {
    const scenario = scenarioOf(state.instance);
    if (!scenario) continue;
    const hints: Record<string, Text> = {};
    for (const e of events) {
      if (e.type !== 'hint' || e.instance !== state.instance || e.index === undefined) continue;
      const text = scenario.hints[e.index];
      if (text) hints[String(e.index)] = text;
    }
    const diagnoses: Record<string, boolean> = {};
    for (const d of state.diagnoses) diagnoses[d.category] = d.category === scenario.category;
    const passed = state.verdicts.some((v) => v.result === 'pass');
    answers[state.instance] = {
      scenario: scenario.id,
      hints,
      diagnoses,
      ...(passed ? { category: scenario.category, debrief: scenario.debrief, checklist: scenario.checklist } : {}),
    };
  }
  return answers;
}

/** Reads the ConfigMap's two keys; anything unreadable counts as nothing published. */
export function readTeamContent(data: Record<string, string> | undefined): { scenarios: PublishedScenario[]; answers: TeamAnswers } {
  const parse = <T>(text: string | undefined, fallback: T): T => {
    if (!text) return fallback;
    try {
      return JSON.parse(text) as T;
    } catch {
      return fallback;
    }
  };
  const scenarios = parse<unknown>(data?.[CONTENT_SCENARIOS_KEY], []);
  const answers = parse<unknown>(data?.[CONTENT_ANSWERS_KEY], {});
  return {
    scenarios: Array.isArray(scenarios) ? (scenarios as PublishedScenario[]).filter((s) => typeof s?.id === 'string' && Array.isArray(s.broken)) : [],
    answers: answers && typeof answers === 'object' && !Array.isArray(answers) ? (answers as TeamAnswers) : {},
  };
}

/** The hint text the room has not yet sent: a placeholder the lab never shows as a hint. */
const NOT_YET: Text = { en: '(its text comes from your instructor’s board…)', ko: '(내용은 강사 보드에서 옵니다…)' };
const NO_DEBRIEF: Text = { en: '(the debrief comes after your instructor’s board has verified your fix)', ko: '(해설은 강사 보드가 수정을 검증한 뒤에 옵니다)' };

/**
 * A published scenario as the lab's Scenario, answers for `instance` filled in. The category
 * stays a placeholder until the board sends it; the lab never judges or shows it for a
 * published scenario (it asks the board's answers instead).
 */
export function scenarioFromPublished(p: PublishedScenario, answers?: InstanceAnswers): Scenario {
  return {
    id: p.id,
    category: answers?.category ?? 'app-exception',
    difficulty: p.difficulty,
    order: p.order,
    title: p.title ?? p.symptoms,
    summary: p.summary ?? p.symptoms,
    briefing: p.briefing,
    symptoms: p.symptoms,
    hints: Array.from({ length: Math.max(1, p.hintCount) }, (_, i) => answers?.hints[String(i)] ?? NOT_YET),
    images: p.images,
    shared: true,
    debrief: answers?.debrief ?? NO_DEBRIEF,
    checklist: answers?.checklist ?? [],
    workload: p.workload,
    expect: { ...p.expect },
    guards: [],
    verify: p.verify,
  } as Scenario;
}

/** The sentence `solve` answers for a published scenario (the rule is in the header). */
export const SOLVE_IN_ROOM: { message: Text; hint: Text } = {
  message: {
    en: 'this scenario comes from your instructor’s pack: its reference solution stays with the instructor, so solve is not available in this room',
    ko: '이 시나리오는 강사의 팩에서 왔습니다. 참고 해법은 강사에게만 있으므로 이 방에서는 solve를 쓸 수 없습니다',
  },
  hint: {
    en: 'Fix it yourself: take a hint (the last one says the fix) or ask your instructor, who can put your environment back with gameday reset.',
    ko: '직접 고치세요. 힌트를 받거나(마지막 힌트가 수정 방법을 알려 줍니다) 강사에게 요청하세요. 강사는 gameday reset으로 환경을 처음 상태로 되돌릴 수 있습니다.',
  },
};

/** The plan's `published` part for `gameday create`: every offered scenario a laptop lacks, as published. */
export function publishedContent(
  catalog: { bundles: { scenario: Scenario; broken: K8sObject[]; previous?: K8sObject[] }[]; packOf?: Record<string, { builtIn: boolean }> },
  offered: readonly string[],
  mode: 'game' | 'mystery',
): { published?: PublishedScenario[] } {
  const ids = scenariosToPublish(offered, (id) => catalog.packOf?.[id]?.builtIn !== false);
  const published = ids.flatMap((id) => {
    const b = catalog.bundles.find((x) => x.scenario.id === id);
    return b ? [publishScenario(b, mode)] : [];
  });
  return published.length ? { published } : {};
}

/** The cause of an instance as the team may know it: sent after a pass, or the one the board judged right. */
export function knownCategory(answers: InstanceAnswers | undefined): string | undefined {
  if (!answers) return undefined;
  return answers.category ?? Object.keys(answers.diagnoses ?? {}).find((c) => answers.diagnoses[c] === true);
}

/** The published scenarios a laptop adds to its own: offered ones it does not have (its own copy wins). */
export function publishedToAdd(published: readonly PublishedScenario[], localIds: readonly string[], offered: readonly string[] | undefined): PublishedScenario[] {
  return published.filter((p) => !localIds.includes(p.id) && (offered === undefined || offered.includes(p.id)));
}

/** Said after a laptop's own verify of a published scenario: the pack's guards are the board's to check. */
export const VERIFY_IN_ROOM: Text = {
  en: 'Checked here without the pack’s rules on what a fix may not do (they stay with your instructor): the board checks them, and only its verdict scores.',
  ko: '이 노트북에서는 팩의 규칙(수정에서 하면 안 되는 것)을 빼고 검사했습니다. 그 규칙은 강사에게 있으며 보드가 검사합니다. 점수는 보드의 판정만 반영합니다.',
};
