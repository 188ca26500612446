/**
 * What every lab action family (the other files of this folder) shares: the ports, the options,
 * the state one lab session keeps between calls, and the helpers several families use (the
 * context rule, the catalog, saving progress, the team's event log). createLab (engine/labApi.ts)
 * builds one LabContext and hands it to each family; a family keeps no state of its own.
 */
import { DEFAULT_CONTEXT } from '../../core/context.js';
import { contextGate, type ContextGate } from '../contextGate.js';
import { INSTANCE_LABEL, isInstanceId, liveInstances, type LiveInstance } from '../../core/instance.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type Pod } from '../../core/k8s.js';
import { NAMESPACED_KINDS } from '../../core/manifest.js';
import type { Progress } from '../../core/progress.js';
import type { Lang, Text } from '../../core/text.js';
import type { CatalogContents, ScenarioBundle, ScenarioCatalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { Editor } from '../../ports/editor.js';
import type { Kind } from '../../ports/kind.js';
import type { Kube } from '../../ports/kube.js';
import { isPortError } from '../../ports/errors.js';
import { gameOverOf, gameOverText, isUnauthorized } from '../../core/gameday/participant.js';
import type { PreflightProbe } from '../../ports/preflight.js';
import type { ProgressStore } from '../../ports/store.js';
import type { TeamLogWriter } from '../../ports/gameday.js';
import { PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, parseEventLog, type GameEvent } from '../../core/gameday/events.js';
import { WORKLOAD_RESOURCES } from '../../core/verify/workload.js';
import { LabError } from '../scenarioRuns.js';
import { CONTENT_CONFIGMAP, publishedToAdd, readTeamContent, scenarioFromPublished, type InstanceAnswers } from '../../core/gameday/teamContent.js';
import type { LabTarget } from '../labTypes.js';

/** How long the lab waits for the board's answer on a published scenario, and how often it looks. */
export const BOARD_ANSWER_MS = 20_000;
const BOARD_POLL_MS = 1_000;

export interface LabPorts {
  /** A Kube bound to `context`; created once, on first use. */
  kube: (context: string) => Promise<Kube>;
  kind: () => Promise<Kind>;
  store: ProgressStore;
  clock: Clock;
  catalog: ScenarioCatalog;
  preflight: PreflightProbe;
  editor: Editor;
  /** Asks a yes/no question (the CLI on a terminal); absent: nobody to ask, so no. */
  confirm?: (question: string, words?: Text) => Promise<boolean>;
  /** Random bytes for opaque instance ids (default: WebCrypto). */
  randomBytes?: (count: number) => Uint8Array;
  /** A warning the store raised during a save (a progress file set aside), handed over once. */
  takeStoreWarning?: () => string | undefined;
  /** A game-day team's event log in its namespace (only with LabOptions.sharedNamespace). */
  teamLog?: TeamLogWriter;
  /** Game mode: the game's labels for the team's runs (crashlab.dev/game, crashlab.dev/team). */
  gameLabels?: () => Promise<Record<string, string> | undefined>;
  /** The scenario ids the team's game offers (undefined: no restriction). */
  offered?: () => Promise<string[] | undefined>;
  /** Whether the team's game is a mystery game: symptoms only, never a title, until the debrief. */
  mysteryGame?: () => Promise<boolean>;
  /**
   * Says a warning now (the CLI: one line on stderr). Absent: it is held for the next
   * progress() call, like the store's own warnings (the lab UI owns the terminal).
   */
  warn?: (warning: string) => void;
}

export interface LabOptions {
  /** --context; undefined means crashlab's own kind cluster. */
  context?: string;
  /** Confirmed in advance (--yes). */
  yes: boolean;
  lang: Lang;
  /** kind/crashlab.yaml of the installed package. */
  kindConfigPath: string;
  /**
   * A game-day team's namespace (from its kubeconfig): every run lives there, opaque (no name
   * or label spells the scenario), and nothing outside it is read or changed.
   */
  sharedNamespace?: string;
  /**
   * Game mode: what shown kubectl commands carry instead of `--context` so they work as printed
   * in the team's shell (`--kubeconfig FILE`; none when $KUBECONFIG names the team file).
   */
  shownKubectlFlags?: string[];
  /** Game mode: the team token's expiry (JWT exp), to tell an expired token from an ended game. */
  tokenExpiresAt?: string;
}

/** The state one lab session keeps between calls: every field is read or written by more than one call. */
export interface LabState {
  /** A warning held for the next progress() call (when no ports.warn says it at once). */
  heldWarning?: string;
  /** Why the last write to the team's event log failed, handed over once (takeTeamLogWarning). */
  teamLogWarning?: string;
  /**
   * The newest version of each pod the watch or a routine call has seen: routine() is
   * synchronous for the UI and reads the pod's failing container from here.
   */
  latestPods: Map<string, Pod>;
  /** Each scenario's main container, from the catalog (routine()'s default container). */
  containers: Map<string, string>;
  /** Routine steps already logged, by run and step: the team's log gets each once per run. */
  stepsLogged: Set<string>;
}

/** An event for the team's log, without what logEvent adds (the time, the run's instance). */
export type EventBody = GameEvent extends infer E ? (E extends GameEvent ? Omit<E, 'at' | 'instance'> : never) : never;

export const webRandom = (count: number) => globalThis.crypto.getRandomValues(new Uint8Array(count));

export class LabContext {
  readonly clock: Clock;
  readonly store: ProgressStore;
  readonly lang: Lang;
  /** The kubeconfig context every call uses. */
  readonly context: string;
  /** Commands shown to the learner name the context only when it is not crashlab's default. */
  readonly contextFlag: string | undefined;
  readonly state: LabState;
  readonly gate: ContextGate;
  private kubePromise: Promise<Kube> | undefined;
  private catalogPromise: Promise<CatalogContents> | undefined;

  constructor(
    readonly ports: LabPorts,
    readonly options: LabOptions,
  ) {
    this.clock = ports.clock;
    this.store = ports.store;
    this.lang = options.lang;
    // The context rule (the learner's yes: --yes, the CLI's question, or the UI's confirmContext).
    this.gate = contextGate(options.context, { yes: options.yes, confirm: ports.confirm });
    this.context = this.gate.context;
    this.contextFlag = this.context === DEFAULT_CONTEXT ? undefined : this.context;
    this.state = { latestPods: new Map(), containers: new Map(), stepsLogged: new Set() };
  }

  /** The Kube of this context, made once; in a team namespace its errors say when the game is over. */
  kube(): Promise<Kube> {
    return (this.kubePromise ??= this.ports.kube(this.context).then((k) => (this.options.sharedNamespace ? this.gameOverAware(k) : k)));
  }

  /** The catalog, loaded once (again after a failure); in game mode only what the game offers. */
  catalog(): Promise<CatalogContents> {
    return (this.catalogPromise ??= this.ports.catalog.load().then(async (all) => {
      // Game mode: only what the game offers (the picker, list and start all read this).
      const offered = this.options.sharedNamespace && this.ports.offered ? await this.ports.offered().catch((error: unknown) => Promise.reject(this.teamError(error))) : undefined;
      const local = offered ? { ...all, scenarios: all.scenarios.filter((s) => offered.includes(s.id)), bundles: all.bundles.filter((b) => offered.includes(b.scenario.id)) } : all;
      // Packs in a room: what the instructor's pack publishes for scenarios this laptop lacks.
      const added = this.options.sharedNamespace ? publishedToAdd((await this.roomContent()).scenarios, all.scenarios.map((s) => s.id), offered) : [];
      const fromRoom: ScenarioBundle[] = added.map((p) => ({ scenario: scenarioFromPublished(p), broken: p.broken, solution: [], ...(p.previous ? { previous: p.previous } : {}), published: true }));
      const loaded = fromRoom.length ? { ...local, scenarios: [...local.scenarios, ...fromRoom.map((b) => b.scenario)].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)), bundles: [...local.bundles, ...fromRoom] } : local;
      for (const b of loaded.bundles) this.state.containers.set(b.scenario.id, b.scenario.workload.container);
      return loaded;
    })).catch((error: unknown) => {
      this.catalogPromise = undefined;
      if (error instanceof LabError) throw error;
      throw new LabError(error instanceof Error ? error.message : String(error), 'catalog');
    });
  }

  async bundle(scenarioId: string): Promise<ScenarioBundle> {
    const loaded = await this.catalog();
    const found = loaded.bundles.find((b) => b.scenario.id === scenarioId);
    if (found) return found;
    const broken = loaded.problems.filter((p) => p.scenario === scenarioId);
    if (broken.length) throw new LabError(
        { en: `scenario "${scenarioId}" is invalid: ${broken.map((p) => p.text).join('; ')}`, ko: `"${scenarioId}" 시나리오 정의가 잘못되었습니다: ${broken.map((p) => p.text).join('; ')}` },
        'invalid-scenario',
        { en: 'Run `crashlab validate` for details.', ko: '자세한 내용은 `crashlab validate`로 확인하세요.' },
      );
    throw new LabError({ en: `no scenario "${scenarioId}"`, ko: `"${scenarioId}" 시나리오가 없습니다` }, 'unknown-scenario', {
      en: `Known scenarios: ${loaded.scenarios.map((s) => s.id).join(', ')}. See \`crashlab list\`.`,
      ko: `있는 시나리오: ${loaded.scenarios.map((s) => s.id).join(', ')}. \`crashlab list\`로 확인하세요.`,
    });
  }

  /** Says a warning now (ports.warn), or holds it for the next progress() call. */
  warn(warning: string): void {
    if (this.ports.warn) this.ports.warn(warning);
    else this.state.heldWarning = warning;
  }

  /**
   * The action before this (a deploy, a solution, a delete) is done and stays done: a progress
   * file that cannot be written makes that a warning with the reason, never the action's failure.
   */
  async saveAfterAction(done: string, mutate: (progress: Progress) => void): Promise<void> {
    try {
      await this.store.update(mutate);
    } catch (error) {
      this.warn(`${done}, but your progress was not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The progress an action consults (earlier runs, instances). A file that cannot be read
   * (a folder, no permission, XDG_CONFIG_HOME=/dev/null) counts as empty: the action still
   * happens, and the save after it says, once, why nothing was saved.
   */
  async progressForAction(): Promise<Progress> {
    try {
      return (await this.store.load()).progress;
    } catch {
      return { version: 1, scenarios: {} };
    }
  }

  /** The context rule, asked before anything changes the cluster (engine/contextGate.ts). */
  allow(mutating: boolean): Promise<void> {
    return this.gate.allow(mutating);
  }

  async withKube<T>(mutating: boolean, work: (k: Kube) => Promise<T>): Promise<T> {
    await this.allow(mutating);
    return work(await this.kube());
  }

  /**
   * In a team namespace an Unauthorized answer means the game is over for the team (its token
   * expired, or `gameday end` deleted its namespace and ServiceAccount). Said in words, with what
   * to do next, instead of kubectl's "You must be logged in to the server".
   */
  teamError(error: unknown): unknown {
    if (!this.options.sharedNamespace) return error;
    const text = isPortError(error, 'kubectl') ? `${error.output}\n${error.message}` : typeof error === 'string' ? error : error instanceof Error ? error.message : '';
    if (!isUnauthorized(text) || (isPortError(error, 'kubectl') && error.kind !== 'forbidden')) return error;
    return this.gameOverError();
  }

  gameOverError(): LabError {
    const over = gameOverOf(true, this.options.tokenExpiresAt, this.clock.now())!;
    const text = gameOverText(over, (iso, l) => new Date(iso).toLocaleString(l === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }));
    return new LabError(text.message, 'game-over', text.hint);
  }

  /** Every call of a team's Kube through teamError (a watch's failure callback too). */
  private gameOverAware(k: Kube): Kube {
    const translate = (error: unknown) => this.teamError(error);
    return new Proxy(k, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          // A watch reports its failure through a callback: the same words there.
          const wrapped = args.map((arg) => (typeof arg === 'function' ? (...inner: unknown[]) => (arg as (...a: unknown[]) => unknown)(...inner.map((x) => (x instanceof Error ? translate(x) : x))) : arg));
          const result: unknown = value.apply(target, wrapped);
          return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(translate(error))) : result;
        };
      },
    });
  }

  /**
   * Appends to the team's event log in game mode. The log is the instructor's live view, not
   * the lab's state: a failed write is reported by the caller's next action, never fatal here.
   */
  async logEvent(target: { namespace: string; instance?: string }, event: EventBody): Promise<void> {
    if (!this.ports.teamLog || !this.options.sharedNamespace || target.namespace !== this.options.sharedNamespace) return;
    try {
      await this.ports.teamLog.append(target.namespace, [{ ...event, at: new Date(this.clock.now()).toISOString(), ...(target.instance ? { instance: target.instance } : {}) } as GameEvent]);
    } catch (error) {
      this.state.teamLogWarning = `could not write to your team's event log: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** A run in the team namespace carries the game's labels (game, team), as the instructor's rounds do. */
  async gameLabels(run: { namespace: string }): Promise<Record<string, string> | undefined> {
    if (!this.options.sharedNamespace || run.namespace !== this.options.sharedNamespace || !this.ports.gameLabels) return undefined;
    return this.ports.gameLabels().catch(() => undefined);
  }

  /** The team's content ConfigMap (packs in a room), read fresh: the board adds answers as the game goes. */
  async roomContent(): Promise<ReturnType<typeof readTeamContent>> {
    if (!this.options.sharedNamespace) return readTeamContent(undefined);
    const cm = await (await this.kube()).getObject?.(this.options.sharedNamespace, 'configmaps', CONTENT_CONFIGMAP).catch(() => undefined);
    return readTeamContent(cm?.data as Record<string, string> | undefined);
  }

  /**
   * Waits for the instructor's board to answer (a paid hint's text, a judgement, the debrief)
   * of a published scenario: the board writes it within a second or two of the team's event.
   */
  async boardAnswer<T>(target: LabTarget, pick: (answers: InstanceAnswers | undefined) => T | undefined, what: Text): Promise<T> {
    const deadline = this.clock.now() + BOARD_ANSWER_MS;
    for (;;) {
      const found = pick(target.instance ? (await this.roomContent()).answers[target.instance] : undefined);
      if (found !== undefined) return found;
      if (this.clock.now() >= deadline) {
        throw new LabError(
          { en: `your instructor's board has not sent ${what.en} yet (this scenario comes from the instructor's pack)`, ko: `강사 보드가 아직 ${what.ko}을(를) 보내지 않았습니다(이 시나리오는 강사의 팩에서 왔습니다)` },
          'board-silent',
          { en: 'What you did is recorded. Ask your instructor to keep `crashlab gameday board` running, then run the same command again.', ko: '한 일은 기록되었습니다. 강사에게 `crashlab gameday board`를 켜 두도록 요청한 뒤 같은 명령을 다시 실행하세요.' },
        );
      }
      await this.clock.sleep(BOARD_POLL_MS);
    }
  }

  /** The team's event log as the lab can read it (game mode), parsed. */
  async teamEvents(namespace: string): Promise<GameEvent[]> {
    const cm = await (await this.kube()).getObject?.(namespace, 'configmaps', PROGRESS_CONFIGMAP);
    return parseEventLog((cm?.data as Record<string, string> | undefined)?.[PROGRESS_EVENTS_KEY]).events;
  }

  /** The kinds scenario manifests deploy (what a run in a shared namespace can consist of). */
  async runKinds(): Promise<string[]> {
    const kinds = new Set((await this.catalog()).bundles.flatMap((b) => [...b.broken, ...b.solution].map((o) => o.kind)));
    return [...NAMESPACED_KINDS].filter((kind) => kinds.has(kind));
  }

  /**
   * The opaque instances live in a team namespace, named by their fingerprints: how a
   * teammate's laptop, or one without a progress file, finds the run the instructor released.
   */
  async liveIn(k: Kube, namespace: string): Promise<LiveInstance[]> {
    if (!k.listObjects) return [];
    const kinds = new Set(await this.runKinds());
    const resources = Object.entries(WORKLOAD_RESOURCES).filter(([kind]) => kinds.has(kind)).map(([, resource]) => resource);
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${INSTANCE_LABEL}`;
    const objects = (await Promise.all(resources.map((resource) => k.listObjects!(namespace, resource, selector)))).flat();
    return liveInstances(objects, (await this.catalog()).scenarios.map((s) => s.id));
  }

  /**
   * What the learner typed: a scenario id, or (in a team namespace) the opaque instance id a
   * mystery game shows instead, resolved by the instance's fingerprint.
   */
  async scenarioOf(ref: string): Promise<string> {
    const shared = this.options.sharedNamespace;
    if (!isInstanceId(ref) || !shared) return ref;
    const live = (await this.liveIn(await this.kube(), shared)).find((i) => i.instance === ref);
    if (!live) throw new LabError(
        { en: `no instance ${ref} in your namespace ${shared}`, ko: `내 ${shared} 네임스페이스에 ${ref} 인스턴스가 없습니다` },
        'unknown-scenario',
        { en: 'crashlab join <kubeconfig> lists what runs in your namespace.', ko: 'crashlab join <kubeconfig>를 실행하면 네임스페이스에서 실행 중인 것을 보여 줍니다.' },
      );
    return live.scenarioId;
  }
}
