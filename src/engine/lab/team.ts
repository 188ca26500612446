/**
 * Game-day team mode, the participant's side: what runs in the team namespace, the run a
 * command without an id means, the team's notes and score, whether the game goes on.
 */
import { knownCategory } from '../../core/gameday/teamContent.js';
import { opaqueRun, plainRun, type LiveInstance } from '../../core/instance.js';
import { NOTE_MAX_CHARS, noteLength, PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, foldTeamLog, parseEventLog } from '../../core/gameday/events.js';
import { scoreInstance, type InstanceScore } from '../../core/gameday/scoring.js';
import { LabError } from '../scenarioRuns.js';
import type { LabTarget } from '../labTypes.js';
import type { LabContext } from './context.js';

/** A scenario instance live in the team namespace, for the picker. */
export interface TeamInstance extends LiveInstance {
  /** From the team's event log: the instructor released it (a round, or an injected fault). */
  released?: { at: string; via?: 'round' | 'inject'; round?: number };
  /** This machine's progress file knows it (the learner started or joined it here). */
  joinedHere: boolean;
}

/**
 * The run a command without an id means. In a team namespace: of the runs live there, the
 * latest one the team got or took up (released by the instructor, or started or joined on
 * this laptop), so an injected fault wins over the run fixed before it; outside a game: the
 * scenario started last here. Nothing live is an error that says how to name one.
 */
async function currentRun(lab: LabContext): Promise<LabTarget> {
  const { progress } = await lab.store.load();
  const namespace = lab.options.sharedNamespace;
  if (namespace) {
    const live = await lab.liveIn(await lab.kube(), namespace);
    const events = await lab.teamEvents(namespace).catch(() => []);
    const when = (instance: string) =>
      Math.max(
        ...events.flatMap((e) => (e.instance === instance && (e.type === 'released' || e.type === 'started') ? [Date.parse(e.at)] : [])),
        ...(progress.instances?.[instance]?.namespace === namespace ? [Date.parse(progress.instances[instance].startedAt)] : []),
        0,
      );
    const latest = [...live].sort((a, b) => when(b.instance) - when(a.instance))[0];
    if (latest) return opaqueRun(latest.scenarioId, latest.instance, namespace);
    throw new LabError(`nothing runs in your team namespace ${namespace}`, 'not-deployed', 'Wait for your instructor to release a scenario, or start one: crashlab start <id>.');
  }
  const latest = Object.entries(progress.scenarios)
    .filter(([, p]) => p.startedAt)
    .sort(([, a], [, b]) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))[0];
  if (!latest) throw new LabError('no scenario was started on this machine', 'not-deployed', 'Name one: crashlab start <id>, then crashlab hint <id>.');
  return plainRun(latest[0]);
}

/** A note the team's log can hold: trimmed, not empty, not too long. */
function checkedNote(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new LabError({ en: 'the note is empty', ko: '메모가 비어 있습니다' }, 'invalid-edit', {
      en: 'Write what your team found and how you proved the fix.',
      ko: '팀이 찾은 원인과 수정을 어떻게 증명했는지 적으세요.',
    });
  if (noteLength(trimmed) > NOTE_MAX_CHARS) throw new LabError(
      { en: `the note has ${noteLength(trimmed)} characters; at most ${NOTE_MAX_CHARS} fit in the log`, ko: `메모가 ${noteLength(trimmed)}자입니다. 로그에는 최대 ${NOTE_MAX_CHARS}자까지 들어갑니다` },
      'invalid-edit',
      { en: 'Shorten it, or split it into two notes.', ko: '줄이거나 메모 두 개로 나누세요.' },
    );
  return trimmed;
}

export function teamActions(lab: LabContext) {
  const { options, ports } = lab;
  return {
    /**
     * Game mode: the team's note (what it concluded) about the run it plays, into the team's
     * event log; `gameday export` puts the notes next to each scenario's debrief. Unlike the
     * other events, a note that cannot be written is an error: it is all the command does.
     */
    async note(text: string, about?: LabTarget): Promise<{ instance?: string; scenario?: string }> {
      const namespace = options.sharedNamespace;
      if (!namespace || !ports.teamLog) throw new LabError(
          { en: 'notes go to a game-day team’s event log, and this is not a team kubeconfig', ko: '메모는 게임 데이 팀의 이벤트 로그에 기록되는데, 이 kubeconfig는 팀 kubeconfig가 아닙니다' },
          'not-in-game',
          {
            en: 'Use the kubeconfig your instructor gave you: crashlab --kubeconfig team-N.kubeconfig note "..."',
            ko: '강사에게 받은 kubeconfig를 쓰세요: crashlab --kubeconfig team-N.kubeconfig note "..."',
          },
        );
      const trimmed = checkedNote(text);
      // The run on screen (the lab), the one named (--on), else the one the team plays now.
      const target = about ?? (await currentRun(lab));
      if (!target.instance) throw new LabError(
          { en: `scenario ${target.scenarioId} does not run in your team namespace`, ko: `팀 네임스페이스에서 ${target.scenarioId} 시나리오가 실행되고 있지 않습니다` },
          'not-deployed',
          { en: 'crashlab join <kubeconfig> lists what runs there; name it with --on <id>.', ko: 'crashlab join <kubeconfig>로 실행 중인 것을 확인하고 --on <id>로 지정하세요.' },
        );
      await ports.teamLog.append(namespace, [{ type: 'note', text: trimmed, at: new Date(lab.clock.now()).toISOString(), instance: target.instance }]).catch((error: unknown) => Promise.reject(lab.teamError(error)));
      return { instance: target.instance, scenario: target.scenarioId };
    },

    /**
     * Game mode: the team's score by the board's rules (core/gameday/scoring.ts), from its own
     * log. The lab cannot check the board's signatures, so a verdict a team forged counts here
     * and not on the board: the board's number is the one that ranks.
     */
    async teamScore(): Promise<{ score: number; instances: InstanceScore[] }> {
      const namespace = options.sharedNamespace;
      if (!namespace) throw new LabError('a score exists only in a game day, and this is not a team kubeconfig', 'not-in-game', 'Use the kubeconfig your instructor gave you.');
      const [events, live, { progress }, loaded, room] = await Promise.all([lab.teamEvents(namespace), lab.liveIn(await lab.kube(), namespace), lab.store.load(), lab.catalog(), lab.roomContent()]);
      // What the lab can check of a verdict: it is signed and answers a request of this team's log
      // (a verdict copied from another log, or one with no request, is not the board's answer).
      const log = foldTeamLog({ events, bad: [] }, (e) => e.sig !== undefined && e.request !== undefined);
      const scenarioOf = (instance: string) => live.find((l) => l.instance === instance)?.scenarioId ?? progress.instances?.[instance]?.scenario;
      const instances = log.instances.map((state) => {
        const scenario = scenarioOf(state.instance);
        const b = loaded.bundles.find((x) => x.scenario.id === scenario);
        // A published scenario's cause is what the board has said of it, nothing before.
        const category = b?.published ? knownCategory(room.answers[state.instance]) : b?.scenario.category;
        return scoreInstance(state, { scenario, category });
      });
      return { score: instances.reduce((sum, i) => sum + i.score, 0), instances };
    },

    /** The run a command without an id means (see currentRun). */
    currentRun: () => currentRun(lab),

    /**
     * A mystery game (the instructor's choice, on the team's progress ConfigMap): the lab shows
     * symptoms only and its mystery switch stays on. False outside a game, or when unreadable.
     */
    async mysteryGame(): Promise<boolean> {
      if (!options.sharedNamespace || !ports.mysteryGame) return false;
      return ports.mysteryGame().catch(() => false);
    },

    /**
     * Game mode: one read of the team's log (the object a team may read by name) that rejects
     * with the game-over error once the cluster no longer accepts the team's token. A watch
     * opened before the end can outlive it, so the lab asks now and then.
     */
    async gameGoesOn(): Promise<void> {
      if (!options.sharedNamespace) return;
      await (await lab.kube()).getObject?.(options.sharedNamespace, 'configmaps', PROGRESS_CONFIGMAP);
    },

    /**
     * Game mode: the scenario instances live in the team namespace (what the instructor
     * released, what a teammate started), with their release from the team's event log.
     * Empty outside a team namespace.
     */
    async teamInstances(): Promise<TeamInstance[]> {
      const namespace = options.sharedNamespace;
      if (!namespace) return [];
      const k = await lab.kube();
      const [live, log, { progress }] = await Promise.all([lab.liveIn(k, namespace), k.getObject?.(namespace, 'configmaps', PROGRESS_CONFIGMAP), lab.store.load()]);
      const released = new Map<string, TeamInstance['released']>();
      for (const event of parseEventLog((log?.data as Record<string, string> | undefined)?.[PROGRESS_EVENTS_KEY]).events) {
        if (event.type === 'released' && event.instance) released.set(event.instance, { at: event.at, ...(event.via ? { via: event.via } : {}), ...(event.round !== undefined ? { round: event.round } : {}) });
      }
      return live.map((i) => ({ ...i, ...(released.has(i.instance) ? { released: released.get(i.instance) } : {}), joinedHere: progress.instances?.[i.instance]?.namespace === namespace }));
    },

    /** Why the last write to the team's event log failed (game mode), handed over once. */
    takeTeamLogWarning(): string | undefined {
      const warning = lab.state.teamLogWarning;
      lab.state.teamLogWarning = undefined;
      return warning;
    },
  };
}
