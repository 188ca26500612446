/**
 * The lab action API: every lab action written once, for the CLI, the lab UI and the game-day
 * clients. It takes ports (built by the composition root, src/app/compose.ts, or by tests) and
 * owns every lab rule:
 *
 * - which context may be changed (core/context.ts decideContext, asked here and nowhere else);
 * - what start does to a previous run (see `replacePreviousRuns` below);
 * - when a best time counts (core/progress.ts, applied by recordVerdict here);
 * - whether the learner's diagnosis names the scenario's cause (checkDiagnosis);
 * - whether crashlab's own kind cluster is used (core/preflight.ts usesKind, asked here).
 *
 * Clients parse their input, call these methods and format what comes back.
 */
import yaml from 'js-yaml';
import type { CategoryId } from '../core/categories.js';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT, decideContext } from '../core/context.js';
import { pruneToShape, unifiedDiff } from '../core/diff.js';
import { INSTANCE_LABEL, isInstanceId, liveInstances, opaqueInstanceId, opaqueRun, plainRun, type LiveInstance, type RunTarget } from '../core/instance.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SCENARIO_LABEL, eventTime, type Deployment, type K8sObject, type KubeEvent, type Pod } from '../core/k8s.js';
import { NAMESPACED_KINDS, cleanForEdit, findWorkload, formatManifestProblem, parseManifest } from '../core/manifest.js';
import { preflightChecks, usesKind, type PreflightCheck } from '../core/preflight.js';
import { attemptUnfinished, forgetInstance, instancesOf, recordDiagnosis, recordHelp, recordHint, recordInstance, recordStart, recordVerdict, type Progress } from '../core/progress.js';
import { focusContainer, formatKubectl, routineSteps } from '../core/routine.js';
import { parseDuration, type Scenario } from '../core/scenario.js';
import { pick, type Lang, type Text } from '../core/text.js';
import type { CatalogContents, ScenarioBundle, ScenarioCatalog } from '../ports/catalog.js';
import type { Clock } from '../ports/clock.js';
import type { EditResult, Editor } from '../ports/editor.js';
import type { Kind } from '../ports/kind.js';
import { KubeError, type Kube, type Watch } from '../ports/kube.js';
import { gameOverOf, gameOverText, isUnauthorized } from '../core/gameday/participant.js';
import type { PreflightProbe } from '../ports/preflight.js';
import type { ProgressStore } from '../ports/store.js';
import type { TeamLog } from '../ports/gameday.js';
import { NOTE_MAX_CHARS, noteLength, PROGRESS_CONFIGMAP, PROGRESS_EVENTS_KEY, foldTeamLog, parseEventLog, type GameEvent } from '../core/gameday/events.js';
import { scoreInstance, type InstanceScore } from '../core/gameday/scoring.js';
import { ClusterError, ensureCluster } from './cluster.js';
import { diagnoseLive, diagnoseWorkload, gatherLive, type LiveInput, type WorkloadDiagnosis, type WorkloadRef } from './diagnose.js';
import { LabError, deployHistory, deployRun, getWorkloadObject, requireDeployed, runPods, scenarioStatus, sortPods, type ScenarioStatus } from './lab.js';
import type {
  ApplyResult,
  ClusterInfo,
  ClusterOptions,
  ClusterTarget,
  Debrief,
  DiagnosisCheck,
  LabDiagnosis,
  LabRoutineStep,
  LabTarget,
  PreflightResult,
  ProgressSnapshot,
  StartedLab,
  VerdictExtras,
} from './labTypes.js';
import { runRoutineStep, type StepRun } from './routine.js';
import { verifyDeployment, verifyWorkload, type Verdict, type VerifyProgress } from './verify.js';
import { requireChangeFor } from '../core/verify/unchanged.js';
import { WORKLOAD_RESOURCES, type WorkloadKind } from '../core/verify/workload.js';

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
  teamLog?: TeamLog;
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

export interface StartOptions {
  /** Mystery mode: no namespace name or visible label spells the scenario id. */
  mystery?: boolean;
  /** A namespace the run shares (a game-day team namespace): never deleted, never created. */
  namespace?: string;
  /**
   * In a team namespace, start joins the scenario's live instance (released by the instructor
   * or started by a teammate) instead of deploying over it; fresh deploys it again, under the
   * same instance id so the instructor's board keeps judging it.
   */
  fresh?: boolean;
  /**
   * Outside a game: an unfinished attempt of an earlier session whose run is still deployed is
   * taken up as it was (its clock and hints from the progress file), not deployed again.
   */
  resume?: boolean;
  onLine?: (line: string) => void;
}

/** A scenario instance live in the team namespace, for the picker. */
export interface TeamInstance extends LiveInstance {
  /** From the team's event log: the instructor released it (a round, or an injected fault). */
  released?: { at: string; via?: 'round' | 'inject'; round?: number };
  /** This machine's progress file knows it (the learner started or joined it here). */
  joinedHere: boolean;
}

export interface VerifyRunOptions {
  onProgress?: (progress: VerifyProgress) => void;
  signal?: AbortSignal;
  windowOverrideSeconds?: number;
  rolloutTimeoutSeconds?: number;
}

export interface ResetResult {
  namespace: string;
  result: 'deleted' | 'absent' | 'refused';
}

const webRandom = (count: number) => globalThis.crypto.getRandomValues(new Uint8Array(count));

/**
 * Where a new run of `scenarioId` lives: the plain `crashlab-<id>`, or (mystery mode, game
 * days) an opaque instance whose names do not spell the scenario. The one function the solo lab
 * and the game-day provisioning use to name runs.
 */
export function planRun(scenarioId: string, options: { mystery?: boolean; namespace?: string; randomBytes?: (count: number) => Uint8Array } = {}): RunTarget {
  if (!options.mystery) return plainRun(scenarioId, options.namespace);
  return opaqueRun(scenarioId, opaqueInstanceId((options.randomBytes ?? webRandom)(4)), options.namespace);
}

/** A Deployment's own patience when it does not say: Kubernetes' default progressDeadlineSeconds. */
export const DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS = 600;

export type LabApi = ReturnType<typeof createLab>;

export function createLab(ports: LabPorts, options: LabOptions) {
  const { clock, store } = ports;
  const lang = options.lang;
  let confirmed = options.yes;
  const context = decideContext(options.context, { mutating: false, yes: true }).context;
  /** Commands shown to the learner name the context only when it is not crashlab's default. */
  const contextFlag = context === DEFAULT_CONTEXT ? undefined : context;
  let kubePromise: Promise<Kube> | undefined;
  const kube = () => (kubePromise ??= ports.kube(context).then((k) => (options.sharedNamespace ? gameOverAware(k) : k)));

  /**
   * In a team namespace an Unauthorized answer means the game is over for the team (its token
   * expired, or `gameday end` deleted its namespace and ServiceAccount). Said in words, with what
   * to do next, instead of kubectl's "You must be logged in to the server".
   */
  function teamError(error: unknown): unknown {
    if (!options.sharedNamespace) return error;
    const text = error instanceof KubeError ? `${error.stderr}\n${error.message}` : typeof error === 'string' ? error : error instanceof Error ? error.message : '';
    if (!isUnauthorized(text) || (error instanceof KubeError && error.kind !== 'forbidden')) return error;
    return gameOverError();
  }
  function gameOverError(): LabError {
    const over = gameOverOf(true, options.tokenExpiresAt, clock.now())!;
    const text = gameOverText(over, (iso, l) => new Date(iso).toLocaleString(l === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }));
    return new LabError(text.message, 'game-over', text.hint);
  }

  /** Every call of a team's Kube through teamError (a watch's failure callback too). */
  function gameOverAware(k: Kube): Kube {
    const translate = teamError;
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
  // routine() is synchronous for the UI: it reads what the catalog and the pod watch have
  // already delivered (the scenario's main container; the pod's failing container).
  const containers = new Map<string, string>();
  const latestPods = new Map<string, Pod>();
  let catalogPromise: Promise<CatalogContents> | undefined;
  const catalog = () =>
    (catalogPromise ??= ports.catalog.load().then(async (all) => {
      // Game mode: only what the game offers (the picker, list and start all read this).
      const offered = options.sharedNamespace && ports.offered ? await ports.offered().catch((error: unknown) => Promise.reject(teamError(error))) : undefined;
      const loaded = offered ? { ...all, scenarios: all.scenarios.filter((s) => offered.includes(s.id)), bundles: all.bundles.filter((b) => offered.includes(b.scenario.id)) } : all;
      for (const b of loaded.bundles) containers.set(b.scenario.id, b.scenario.workload.container);
      return loaded;
    })).catch((error: unknown) => {
      catalogPromise = undefined;
      if (error instanceof LabError) throw error;
      throw new LabError(error instanceof Error ? error.message : String(error), 'catalog');
    });

  let heldWarning: string | undefined;
  const warn = ports.warn ?? ((warning: string) => (heldWarning = warning));

  /**
   * The action before this (a deploy, a solution, a delete) is done and stays done: a progress
   * file that cannot be written makes that a warning with the reason, never the action's failure.
   */
  async function saveAfterAction(done: string, mutate: (progress: Progress) => void): Promise<void> {
    try {
      await store.update(mutate);
    } catch (error) {
      warn(`${done}, but your progress was not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The progress an action consults (earlier runs, instances). A file that cannot be read
   * (a folder, no permission, XDG_CONFIG_HOME=/dev/null) counts as empty: the action still
   * happens, and the save after it says, once, why nothing was saved.
   */
  async function progressForAction(): Promise<Progress> {
    try {
      return (await store.load()).progress;
    } catch {
      return { version: 1, scenarios: {} };
    }
  }

  /** The context rule, asked before anything changes the cluster. */
  async function allow(mutating: boolean): Promise<void> {
    const decision = decideContext(options.context, { mutating, yes: confirmed });
    if (decision.allowed) return;
    if (ports.confirm && (await ports.confirm(decision.question, decision.questionWords))) {
      confirmed = true;
      return;
    }
    throw new LabError(
      { en: `not touching context "${decision.context}" without confirmation`, ko: `확인 없이는 "${decision.context}" 컨텍스트를 건드리지 않습니다` },
      'not-confirmed',
      { en: 'Pass --yes to confirm, or omit --context to use the kind cluster crashlab.', ko: '--yes로 확인하거나, --context를 빼고 kind 클러스터 crashlab을 쓰세요.' },
    );
  }

  async function bundle(scenarioId: string): Promise<ScenarioBundle> {
    const loaded = await catalog();
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

  /**
   * Start semantics, decided here once: start REPLACES the previous run of that scenario.
   * - A run that owns its namespace (the solo lab, plain or mystery): the scenario's earlier
   *   namespaces (`crashlab-<id>`, and those of its earlier opaque instances as the progress
   *   file records them) and the target namespace are deleted when crashlab created them
   *   (label app.kubernetes.io/managed-by=crashlab), waiting until they are gone; a namespace
   *   crashlab did not create is never touched, and start refuses to deploy into it.
   * - A run in a shared namespace (a game-day team namespace): only the objects labelled
   *   managed-by=crashlab with this run's label are deleted; the namespace itself stays.
   * Returns a line for each run removed.
   */
  async function replacePreviousRuns(k: Kube, run: RunTarget, progress: Progress): Promise<string[]> {
    if (!run.ownsNamespace) {
      // A team namespace holds one current run: every earlier run in it goes (whatever its
      // scenario or instance), found by its run label, never the game's own objects (they carry
      // neither label). Only kinds scenarios deploy: a team may not even list the others.
      const kinds = await runKinds();
      const deleted = [
        ...(await k.deleteManagedObjects(run.namespace, INSTANCE_LABEL, kinds, { wait: true })),
        ...(await k.deleteManagedObjects(run.namespace, SCENARIO_LABEL, kinds, { wait: true })),
      ];
      return deleted.length ? ['Removed the previous run from your namespace.'] : [];
    }
    const earlier = [plainRun(run.scenarioId).namespace, ...instancesOf(progress, run.scenarioId).map((i) => i.namespace)];
    const lines: string[] = [];
    for (const namespace of new Set([run.namespace, ...earlier])) {
      const result = await k.deleteManagedNamespace(namespace, { wait: true });
      if (result === 'refused' && namespace === run.namespace) {
        throw new LabError(
          { en: `namespace ${namespace} exists and was not created by crashlab`, ko: `${namespace} 네임스페이스가 이미 있는데 crashlab이 만든 것이 아닙니다` },
          'foreign-namespace',
          { en: 'crashlab only changes what it created: delete or rename that namespace yourself.', ko: 'crashlab은 자신이 만든 것만 바꿉니다. 그 네임스페이스는 직접 지우거나 이름을 바꾸세요.' },
        );
      }
      // The previous run's name is only shown when it does not give the answer away.
      if (result === 'deleted') lines.push(run.instance ? 'Removed the previous run.' : `Removed the previous run (namespace ${namespace}).`);
    }
    return lines;
  }

  /** The kinds scenario manifests deploy (what a run in a shared namespace can consist of). */
  async function runKinds(): Promise<string[]> {
    const kinds = new Set((await catalog()).bundles.flatMap((b) => [...b.broken, ...b.solution].map((o) => o.kind)));
    return [...NAMESPACED_KINDS].filter((kind) => kinds.has(kind));
  }

  /**
   * The opaque instances live in a team namespace, named by their fingerprints: how a
   * teammate's laptop, or one without a progress file, finds the run the instructor released.
   */
  async function liveIn(k: Kube, namespace: string): Promise<LiveInstance[]> {
    if (!k.listObjects) return [];
    const kinds = new Set(await runKinds());
    const resources = Object.entries(WORKLOAD_RESOURCES).filter(([kind]) => kinds.has(kind)).map(([, resource]) => resource);
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${INSTANCE_LABEL}`;
    const objects = (await Promise.all(resources.map((resource) => k.listObjects!(namespace, resource, selector)))).flat();
    return liveInstances(objects, (await catalog()).scenarios.map((s) => s.id));
  }

  /**
   * What the learner typed: a scenario id, or (in a team namespace) the opaque instance id a
   * mystery game shows instead, resolved by the instance's fingerprint.
   */
  async function scenarioOf(ref: string): Promise<string> {
    if (!isInstanceId(ref) || !options.sharedNamespace) return ref;
    const live = (await liveIn(await kube(), options.sharedNamespace)).find((i) => i.instance === ref);
    if (!live) throw new LabError(
        { en: `no instance ${ref} in your namespace ${options.sharedNamespace}`, ko: `내 ${options.sharedNamespace} 네임스페이스에 ${ref} 인스턴스가 없습니다` },
        'unknown-scenario',
        { en: 'crashlab join <kubeconfig> lists what runs in your namespace.', ko: 'crashlab join <kubeconfig>를 실행하면 네임스페이스에서 실행 중인 것을 보여 줍니다.' },
      );
    return live.scenarioId;
  }

  async function resetRun(k: Kube, run: RunTarget, wait: boolean): Promise<ResetResult> {
    if (run.ownsNamespace) return { namespace: run.namespace, result: await k.deleteManagedNamespace(run.namespace, { wait }) };
    const deleted = await k.deleteManagedObjects(run.namespace, run.selector, await runKinds(), { wait });
    return { namespace: run.namespace, result: deleted.length ? 'deleted' : 'absent' };
  }

  /**
   * Appends to the team's event log in game mode. The log is the instructor's live view, not
   * the lab's state: a failed write is reported by the caller's next action, never fatal here.
   */
  let teamLogWarning: string | undefined;
  type EventBody = GameEvent extends infer E ? (E extends GameEvent ? Omit<E, 'at' | 'instance'> : never) : never;
  async function logEvent(target: { namespace: string; instance?: string }, event: EventBody): Promise<void> {
    if (!ports.teamLog || !options.sharedNamespace || target.namespace !== options.sharedNamespace) return;
    try {
      await ports.teamLog.append(target.namespace, [{ ...event, at: new Date(clock.now()).toISOString(), ...(target.instance ? { instance: target.instance } : {}) } as GameEvent]);
    } catch (error) {
      teamLogWarning = `could not write to your team's event log: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Start on a scenario that already runs in the team namespace: nothing is deployed (a
   * teammate's fix, or the instructor's round, stays as it is). The first join on this machine
   * is an attempt like a start; joining again only resumes it.
   */
  async function join(live: LiveInstance, namespace: string, start: StartOptions): Promise<StartedLab> {
    const run = opaqueRun(live.scenarioId, live.instance, namespace);
    const progress = await progressForAction();
    const record = progress.instances?.[live.instance];
    const resumed = record !== undefined && record.namespace === namespace;
    const startedAt = resumed && record.startedAt ? Date.parse(record.startedAt) : clock.now();
    const lines = [
      resumed
        ? `Resumed ${live.instance}, already running in your namespace; nothing was redeployed.`
        : `Joined ${live.instance}, already running in your namespace (released by your instructor or started by a teammate); nothing was redeployed.`,
      'To deploy it again from scratch: crashlab start <id> --fresh (your team keeps the same instance).',
    ];
    for (const line of lines) start.onLine?.(line);
    // The hints the team took on this run are in its log, whoever took them.
    const hintsShown = (await hintsTaken(run)).size;
    if (!resumed) {
      await saveAfterAction(`${live.instance} was joined`, (p) => {
        for (const [instance, r] of Object.entries(p.instances ?? {})) if (r.namespace === namespace) forgetInstance(p, instance);
        recordStart(p, live.scenarioId, startedAt);
        recordInstance(p, live.instance, { scenario: live.scenarioId, namespace, startedAt: new Date(startedAt).toISOString() });
      });
      await logEvent(run, { type: 'started' });
    }
    return { ...run, startedAt, lines, joined: true, ...(hintsShown ? { hintsShown } : {}) };
  }

  /** An unfinished attempt of an earlier session, still deployed: its run, clock and hints, or undefined. */
  async function resumable(k: Kube, scenarioId: string, b: ScenarioBundle): Promise<StartedLab | undefined> {
    const progress = await progressForAction();
    const entry = progress.scenarios[scenarioId];
    if (!entry?.startedAt || !attemptUnfinished(entry)) return undefined;
    const known = instancesOf(progress, scenarioId)[0];
    const run = known ? opaqueRun(scenarioId, known.instance) : plainRun(scenarioId);
    if (!(await getWorkloadObject(k, run.namespace, b.scenario.workload))) return undefined;
    const hintsShown = (await hintsTaken(run)).size;
    const lines = [`Resumed your run of ${run.instance ?? scenarioId} from ${entry.startedAt}; nothing was redeployed.`];
    return { ...run, startedAt: Date.parse(entry.startedAt), lines, resumed: true, ...(hintsShown ? { hintsShown } : {}) };
  }

  /** A run in the team namespace carries the game's labels (game, team), as the instructor's rounds do. */
  async function gameLabels(run: { namespace: string }): Promise<Record<string, string> | undefined> {
    if (!options.sharedNamespace || run.namespace !== options.sharedNamespace || !ports.gameLabels) return undefined;
    return ports.gameLabels().catch(() => undefined);
  }

  /** The team's event log as the lab can read it (game mode), parsed. */
  async function teamEvents(namespace: string): Promise<GameEvent[]> {
    const cm = await (await kube()).getObject?.(namespace, 'configmaps', PROGRESS_CONFIGMAP);
    return parseEventLog((cm?.data as Record<string, string> | undefined)?.[PROGRESS_EVENTS_KEY]).events;
  }

  /** Hint indexes taken on this run: the team's log in a game (a teammate's hint counts), else this attempt's. */
  async function hintsTaken(target: LabTarget): Promise<Set<number>> {
    if (options.sharedNamespace && target.namespace === options.sharedNamespace && target.instance) {
      const events = await teamEvents(target.namespace).catch(() => []);
      return new Set(events.flatMap((e) => (e.type === 'hint' && e.instance === target.instance && e.index !== undefined ? [e.index] : [])));
    }
    const { progress } = await store.load();
    const recorded = progress.scenarios[target.scenarioId]?.attemptHints;
    return new Set(Array.isArray(recorded) ? recorded.filter((i) => Number.isInteger(i)) : []);
  }

  /**
   * The run a command without an id means. In a team namespace: of the runs live there, the
   * latest one the team got or took up (released by the instructor, or started or joined on
   * this laptop), so an injected fault wins over the run fixed before it; outside a game: the
   * scenario started last here. Nothing live is an error that says how to name one.
   */
  async function currentRun(): Promise<LabTarget> {
    const { progress } = await store.load();
    const namespace = options.sharedNamespace;
    if (namespace) {
      const live = await liveIn(await kube(), namespace);
      const events = await teamEvents(namespace).catch(() => []);
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

  async function withKube<T>(mutating: boolean, work: (k: Kube) => Promise<T>): Promise<T> {
    await allow(mutating);
    return work(await kube());
  }

  async function machineChecks(): Promise<PreflightCheck[]> {
    const probes = await ports.preflight(options.context);
    // A team whose token the server refuses has nothing to fix on its machine: the game is over.
    if (options.sharedNamespace && probes.server && !probes.server.reachable && isUnauthorized(probes.server.error ?? '')) throw gameOverError();
    return preflightChecks(probes);
  }

  /** Routine steps already logged, by run and step: the team's log gets each once per run. */
  const stepsLogged = new Set<string>();
  function routine(target: LabTarget, pod: string): LabRoutineStep[] {
    const container = focusContainer(latestPods.get(pod), containers.get(target.scenarioId) ?? 'app');
    return routineSteps({ namespace: target.namespace, pod, container, context: contextFlag, flags: options.shownKubectlFlags }).map((step) => ({
      ...step,
      run: async () => {
        const result = await runRoutineStep(await kube(), step);
        const key = `${target.instance ?? target.scenarioId}/${step.id}`;
        if (!stepsLogged.has(key)) {
          stepsLogged.add(key);
          await logEvent(target, { type: 'step', step: step.id });
        }
        return result;
      },
    }));
  }

  async function diagnose(target: LabTarget, pod: string): Promise<LabDiagnosis> {
    const result = await diagnoseLive(await kube(), target.namespace, pod);
    return {
      pod,
      findings: result.findings.filter((f) => f.category !== 'healthy').map((f) => ({ category: f.category, confidence: f.confidence, evidence: f.evidence })),
    };
  }

  return {
    /** The kubeconfig context every call uses. */
    context,

    // ------------------------------------------------------------ machine and cluster

    /** Which context will be used, and whether the learner must confirm it first. */
    clusterTarget(): ClusterTarget {
      const decision = decideContext(options.context, { mutating: true, yes: confirmed });
      return decision.allowed ? { context } : { context, confirmQuestion: decision.question, confirmWords: decision.questionWords };
    },

    /** The learner said yes to ClusterTarget.confirmQuestion. */
    confirmContext(): void {
      confirmed = true;
    },

    /** The lab plays in a game-day team's namespace (a team kubeconfig). */
    inGame: options.sharedNamespace !== undefined,

    /** Whether this context is crashlab's own kind cluster (created and deleted by crashlab). */
    usesKind: usesKind(options.context),

    /** The preflight checks as core decides them (doctor prints them all). */
    machineChecks,

    /** The checks in the learner's language; calls onResult as each is known. */
    async preflight(onResult?: (result: PreflightResult) => void): Promise<PreflightResult[]> {
      const results: PreflightResult[] = (await machineChecks()).map((check) => ({
        id: check.id,
        title: check.title,
        // A skipped check could not run because something it needs failed: it blocks too.
        status: check.ok ? 'ok' : check.status === 'warning' || !check.required ? 'warn' : 'fail',
        detail: pick(check.detail, lang),
        ...(check.fix ? { fix: check.fix } : {}),
      }));
      for (const result of results) onResult?.(result);
      return results;
    },

    /** Finds or creates crashlab's kind cluster (any other context is only checked). */
    async ensureCluster(cluster: ClusterOptions): Promise<ClusterInfo> {
      const kindMode = usesKind(options.context) ? { cli: await ports.kind(), configPath: options.kindConfigPath } : undefined;
      const { created, serverVersion } = await ensureCluster({ kube: await kube(), kind: kindMode, onLine: cluster.onLine, signal: cluster.signal, namespace: options.sharedNamespace, lang });
      return { context, created, serverVersion };
    },

    /** Deletes crashlab's own kind cluster, never another context's. */
    async deleteCluster(onLine: (line: string) => void): Promise<'deleted' | 'absent'> {
      if (!usesKind(options.context)) {
        throw new LabError(
          { en: `crashlab deletes only its own kind cluster, not context ${context}`, ko: `crashlab은 자신의 kind 클러스터만 삭제합니다. ${context} 컨텍스트는 삭제하지 않습니다` },
          'foreign-namespace',
          { en: 'Use `crashlab reset` to remove the scenario namespaces from that cluster.', ko: '그 클러스터에서 시나리오 네임스페이스를 지우려면 `crashlab reset`을 쓰세요.' },
        );
      }
      const kind = await ports.kind();
      const clusters = await kind.clusters().catch((error: Error) => {
        throw new ClusterError({ en: `cannot run kind: ${error.message}`, ko: `kind를 실행할 수 없습니다: ${error.message}` }, 'kind-unavailable');
      });
      if (!clusters.includes(DEFAULT_CLUSTER_NAME)) return 'absent';
      await kind.delete(DEFAULT_CLUSTER_NAME, onLine);
      return 'deleted';
    },

    /** Loads images into crashlab's kind cluster, one by one, so an offline room needs no registry. */
    async loadImages(images: string[], onLine: (line: string) => void): Promise<{ loaded: string[] }> {
      if (!usesKind(options.context)) {
        throw new LabError(
          { en: `crashlab loads images only into its own kind cluster, not context ${context}`, ko: `crashlab은 자체 kind 클러스터에만 이미지를 불러옵니다. ${context} 컨텍스트에는 불러오지 않습니다` },
          'foreign-namespace',
          {
            en: 'Load them with the tools of that cluster (e.g. `ctr -n k8s.io images import`), or pull them on its nodes.',
            ko: '그 클러스터의 도구로 불러오거나(예: `ctr -n k8s.io images import`) 노드에서 직접 pull하세요.',
          },
        );
      }
      const kind = await ports.kind();
      const loaded: string[] = [];
      for (const image of images) {
        onLine(pick({ en: `loading ${image} into kind cluster "${DEFAULT_CLUSTER_NAME}"`, ko: `${image} 이미지를 kind 클러스터 "${DEFAULT_CLUSTER_NAME}"에 불러오는 중` }, lang));
        if (!kind.loadImage) throw new LabError({ en: 'this kind adapter cannot load images', ko: '이 kind 어댑터는 이미지를 불러올 수 없습니다' }, 'foreign-namespace');
        await kind.loadImage(DEFAULT_CLUSTER_NAME, image, onLine);
        loaded.push(image);
      }
      return { loaded };
    },

    // ------------------------------------------------------------ catalog and progress

    async catalog(): Promise<CatalogContents> {
      return catalog();
    },

    async scenarios(): Promise<Scenario[]> {
      return (await catalog()).scenarios;
    },

    /** The scenario with its manifests (by id, or by a live instance id in a team namespace), or a LabError naming the ids that exist. */
    scenario: async (ref: string) => bundle(await scenarioOf(ref)),

    async progress(): Promise<ProgressSnapshot> {
      const snapshot = await store.load();
      const warning = snapshot.warning ?? ports.takeStoreWarning?.() ?? heldWarning;
      heldWarning = undefined;
      return warning ? { ...snapshot, warning } : snapshot;
    },

    // ------------------------------------------------------------ the lab

    /** The plain run of a scenario (the CLI's `<id>` argument): namespace crashlab-<id> unless given. */
    async target(ref: string, given?: string): Promise<LabTarget> {
      const scenarioId = await scenarioOf(ref);
      await bundle(scenarioId);
      const namespace = given ?? options.sharedNamespace;
      if (scenarioId !== ref && namespace === options.sharedNamespace) return opaqueRun(scenarioId, ref, namespace);
      // In a shared namespace the run may be opaque: the progress file knows its instance.
      if (namespace) {
        const progress = await progressForAction();
        const known = instancesOf(progress, scenarioId).find((i) => i.namespace === namespace);
        if (known) return opaqueRun(scenarioId, known.instance, namespace);
        // Not started here: the instance the instructor released, or a teammate started.
        if (namespace === options.sharedNamespace) {
          const live = (await liveIn(await kube(), namespace)).find((i) => i.scenarioId === scenarioId);
          if (live) return opaqueRun(scenarioId, live.instance, namespace);
        }
      }
      return plainRun(scenarioId, namespace);
    },

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
      // The run on screen (the lab), the one named (--on), else the one the team plays now.
      const target = about ?? (await currentRun());
      if (!target.instance) throw new LabError(
          { en: `scenario ${target.scenarioId} does not run in your team namespace`, ko: `팀 네임스페이스에서 ${target.scenarioId} 시나리오가 실행되고 있지 않습니다` },
          'not-deployed',
          { en: 'crashlab join <kubeconfig> lists what runs there; name it with --on <id>.', ko: 'crashlab join <kubeconfig>로 실행 중인 것을 확인하고 --on <id>로 지정하세요.' },
        );
      await ports.teamLog.append(namespace, [{ type: 'note', text: trimmed, at: new Date(clock.now()).toISOString(), instance: target.instance }]).catch((error: unknown) => Promise.reject(teamError(error)));
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
      const [events, live, { progress }, loaded] = await Promise.all([teamEvents(namespace), liveIn(await kube(), namespace), store.load(), catalog()]);
      // What the lab can check of a verdict: it is signed and answers a request of this team's log
      // (a verdict copied from another log, or one with no request, is not the board's answer).
      const log = foldTeamLog({ events, bad: [] }, (e) => e.sig !== undefined && e.request !== undefined);
      const scenarioOf = (instance: string) => live.find((l) => l.instance === instance)?.scenarioId ?? progress.instances?.[instance]?.scenario;
      const instances = log.instances.map((state) => {
        const scenario = scenarioOf(state.instance);
        return scoreInstance(state, { scenario, category: loaded.scenarios.find((x) => x.id === scenario)?.category });
      });
      return { score: instances.reduce((sum, i) => sum + i.score, 0), instances };
    },

    /** The run a command without an id means (see currentRun). */
    currentRun: () => currentRun(),

    /**
     * Reveals a hint of the run: `index` (0-based) or the next one not yet taken, and logs it
     * in game mode (each hint index costs the team once, whichever screen showed it).
     */
    async hint(target: LabTarget, index?: number): Promise<{ index: number; total: number; text: Scenario['hints'][number]; alreadyTaken: boolean }> {
      const b = await bundle(target.scenarioId);
      const total = b.scenario.hints.length;
      if (total === 0) throw new LabError(`scenario ${target.instance ?? target.scenarioId} has no hints`, 'invalid-scenario');
      const taken = await hintsTaken(target);
      const next = index ?? Math.min(taken.size, total - 1);
      if (!Number.isInteger(next) || next < 0 || next >= total) throw new LabError(`there are hints 1 to ${total}, not ${next + 1}`, 'invalid-edit');
      const alreadyTaken = taken.has(next);
      if (!alreadyTaken) {
        await logEvent(target, { type: 'hint', index: next });
        await saveAfterAction('the hint was shown', (p) => recordHint(p, target.scenarioId, next));
      }
      return { index: next, total, text: b.scenario.hints[next], alreadyTaken };
    },

    /** The hint indexes already taken on this run (the team's, in game mode): a resumed lab shows them. */
    hintsTaken: async (target: LabTarget) => [...(await hintsTaken(target))].sort((a, b) => a - b),

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
      await (await kube()).getObject?.(options.sharedNamespace, 'configmaps', PROGRESS_CONFIGMAP);
    },

    /**
     * Game mode: the scenario instances live in the team namespace (what the instructor
     * released, what a teammate started), with their release from the team's event log.
     * Empty outside a team namespace.
     */
    async teamInstances(): Promise<TeamInstance[]> {
      const namespace = options.sharedNamespace;
      if (!namespace) return [];
      const k = await kube();
      const [live, log, { progress }] = await Promise.all([liveIn(k, namespace), k.getObject?.(namespace, 'configmaps', PROGRESS_CONFIGMAP), store.load()]);
      const released = new Map<string, TeamInstance['released']>();
      for (const event of parseEventLog((log?.data as Record<string, string> | undefined)?.[PROGRESS_EVENTS_KEY]).events) {
        if (event.type === 'released' && event.instance) released.set(event.instance, { at: event.at, ...(event.via ? { via: event.via } : {}), ...(event.round !== undefined ? { round: event.round } : {}) });
      }
      return live.map((i) => ({ ...i, ...(released.has(i.instance) ? { released: released.get(i.instance) } : {}), joinedHere: progress.instances?.[i.instance]?.namespace === namespace }));
    },

    /** Replaces the previous run (see replacePreviousRuns), deploys the broken workload, records the attempt. */
    async start(ref: string, start: StartOptions = {}): Promise<StartedLab> {
      const scenarioId = await scenarioOf(ref);
      const b = await bundle(scenarioId);
      return withKube(true, async (k) => {
        const namespace = start.namespace ?? options.sharedNamespace;
        // Game mode: a team namespace holds opaque runs only (a shared screen spoils nothing),
        // whatever the picker shows: its mystery switch only hides titles.
        const mystery = (namespace !== undefined && namespace === options.sharedNamespace) || (start.mystery ?? false);
        const live = namespace !== undefined && mystery ? (await liveIn(k, namespace)).find((i) => i.scenarioId === scenarioId) : undefined;
        if (live && !start.fresh) return join(live, namespace!, start);
        if (start.resume && !start.fresh && namespace === undefined) {
          const resumed = await resumable(k, scenarioId, b);
          if (resumed) {
            for (const line of resumed.lines) start.onLine?.(line);
            return resumed;
          }
        }
        // Deployed again under the live instance's id: the instructor's board keeps judging it.
        const run = live ? opaqueRun(scenarioId, live.instance, namespace) : planRun(scenarioId, { mystery, namespace, randomBytes: ports.randomBytes });
        const lines = await replacePreviousRuns(k, run, await progressForAction());
        for (const line of lines) start.onLine?.(line);
        for (const line of [...(await deployHistory(k, run, b, await gameLabels(run))), ...(await deployRun(k, run, b.broken, { labels: await gameLabels(run) }))]) {
          lines.push(line);
          start.onLine?.(line);
        }
        const startedAt = clock.now();
        await saveAfterAction(`${scenarioId} was started`, (progress) => {
          for (const earlier of instancesOf(progress, scenarioId)) if (run.ownsNamespace) forgetInstance(progress, earlier.instance);
          // A shared namespace holds one run: every instance recorded there was just removed.
          if (!run.ownsNamespace) for (const [instance, record] of Object.entries(progress.instances ?? {})) if (record.namespace === run.namespace) forgetInstance(progress, instance);
          recordStart(progress, scenarioId, startedAt);
          if (run.instance) recordInstance(progress, run.instance, { scenario: scenarioId, namespace: run.namespace, startedAt: new Date(startedAt).toISOString() });
        });
        await logEvent(run, { type: 'started' });
        return { ...run, startedAt, lines };
      });
    },

    async status(target: LabTarget): Promise<ScenarioStatus> {
      const b = await bundle(target.scenarioId);
      return withKube(false, (k) => scenarioStatus(k, b, target, clock.now()));
    },

    /** Current pods of the run, pushed on every change (full list each time). */
    watchPods(target: LabTarget, onPods: (pods: Pod[]) => void, onError?: (error: Error) => void): Watch {
      const pods = new Map<string, Pod>();
      let inner: Watch | undefined;
      let cancelled = false;
      const done = kube().then((k) => {
        if (cancelled) return;
        inner = k.watchPods(
          target.namespace,
          target.selector,
          (event) => {
            if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
            if (event.type === 'DELETED') pods.delete(event.pod.metadata.name);
            else pods.set(event.pod.metadata.name, event.pod);
            latestPods.set(event.pod.metadata.name, event.pod);
            onPods(sortPods([...pods.values()]));
          },
          onError,
        );
        return inner.done;
      }, (error: Error) => onError?.(error));
      return {
        done,
        cancel: () => {
          cancelled = true;
          inner?.cancel();
        },
      };
    },

    /** Events about one pod, oldest first. */
    async events(target: LabTarget, pod: string): Promise<KubeEvent[]> {
      const events = await (await kube()).getEvents(target.namespace, pod);
      return events.sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
    },

    /** Log text of the scenario's container; previous = the instance that died. */
    async logs(target: LabTarget, pod: string, log: { previous: boolean; tail?: number }): Promise<string> {
      const b = await bundle(target.scenarioId);
      return (await kube()).logs(target.namespace, pod, b.scenario.workload.container, { previous: log.previous, tail: log.tail, timestamps: true });
    },

    /** The 60-second routine for this pod, commands filled in (context included when needed). */
    routine,

    /** The routine for the run's newest pod (the CLI's `routine <id>`). */
    async routineForNewestPod(target: LabTarget): Promise<{ pod: string; steps: LabRoutineStep[] }> {
      const b = await bundle(target.scenarioId);
      return withKube(false, async (k) => {
        await requireDeployed(k, b, target);
        const pod = (await runPods(k, target))[0];
        if (!pod) throw new LabError(
            { en: `no pod yet for scenario ${target.instance ?? target.scenarioId}`, ko: `${target.instance ?? target.scenarioId} 시나리오의 파드가 아직 없습니다` },
            'no-pod',
            { en: 'The Deployment has not created a pod yet; try again in a few seconds.', ko: 'Deployment가 아직 파드를 만들지 않았습니다. 몇 초 뒤에 다시 해 보세요.' },
          );
        latestPods.set(pod.metadata.name, pod);
        return { pod: pod.metadata.name, steps: routine(target, pod.metadata.name) };
      });
    },

    /** Runs every non-interactive step, in order (interactive ones are only shown). */
    async runSteps(steps: LabRoutineStep[]): Promise<(StepRun | undefined)[]> {
      const results: (StepRun | undefined)[] = [];
      for (const step of steps) results.push(step.interactive ? undefined : await step.run());
      return results;
    },

    /** A kubectl command line the learner can copy (adds --context when needed). */
    kubectlCommand(args: string[]): string {
      return formatKubectl(args, contextFlag, options.shownKubectlFlags);
    },

    /** What the diagnosis engine finds on the pod (healthy findings left out). */
    diagnose,

    /** The learner names a cause: checked against the scenario, diagnosed live, recorded. */
    async checkDiagnosis(target: LabTarget, pod: string, picked: CategoryId): Promise<DiagnosisCheck> {
      const b = await bundle(target.scenarioId);
      const correct = picked === b.scenario.category;
      const diagnosis = await diagnose(target, pod);
      await saveAfterAction('your diagnosis was checked', (progress) => recordDiagnosis(progress, target.scenarioId, { category: picked, correct, nowMs: clock.now() }));
      await logEvent(target, { type: 'diagnosis', category: picked, correct });
      return { picked, correct, diagnosis };
    },

    /** What diagnosis reads of any pod (the CLI's `diagnose <pod>`); undefined when it does not exist. */
    async gatherPod(namespace: string, pod: string): Promise<LiveInput | undefined> {
      return withKube(false, (k) => gatherLive(k, namespace, pod));
    },

    /** Every pod of a workload (the CLI's `diagnose deploy/NAME`), identical findings grouped. */
    async diagnoseWorkload(namespace: string, ref: WorkloadRef): Promise<WorkloadDiagnosis> {
      return withKube(false, (k) => diagnoseWorkload(k, namespace, ref));
    },

    /** The live Deployment as YAML a person edits (no status, managedFields, uid, resourceVersion...). */
    async openForEdit(target: LabTarget): Promise<string> {
      const b = await bundle(target.scenarioId);
      const { kind, name } = b.scenario.workload;
      const live = await getWorkloadObject(await kube(), target.namespace, b.scenario.workload);
      if (!live) throw new LabError(
          { en: `${kind.toLowerCase()} ${name} is gone from ${target.namespace}`, ko: `${target.namespace} 네임스페이스에 ${kind} ${name} 오브젝트가 더 이상 없습니다` },
          'not-deployed',
          { en: 'Start the scenario again.', ko: '시나리오를 다시 시작하세요.' },
        );
      return yaml.dump(cleanForEdit(live), { lineWidth: 120, noRefs: true });
    },

    /** Applies the learner's edited Deployment; a rejection is an answer, not an error. */
    async applyEdit(target: LabTarget, text: string): Promise<ApplyResult> {
      const b = await bundle(target.scenarioId);
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
        const lines = await withKube(true, async (k) => deployRun(k, target, [object], { labels: await gameLabels(target) }));
        await logEvent(target, { type: 'fix-applied', how: 'editor' });
        return { ok: true, lines };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },

    /** Opens text in $VISUAL/$EDITOR; the UI has already released the terminal. */
    editText(text: string, fileName: string): Promise<EditResult> {
      return ports.editor.edit(text, fileName);
    },

    /** Applies the reference solution; the attempt no longer counts for a best time. */
    async solve(target: LabTarget): Promise<string[]> {
      const b = await bundle(target.scenarioId);
      const lines = await withKube(true, async (k) => {
        await requireDeployed(k, b, target);
        // The exact replace keeps the game's labels: the board and the next round find the run by them.
        return deployRun(k, target, b.solution, { exact: true, labels: await gameLabels(target) });
      });
      await saveAfterAction('the reference solution was applied', (progress) => recordHelp(progress, target.scenarioId));
      await logEvent(target, { type: 'fix-applied', how: 'solve' });
      return lines;
    },

    /** The verification contract on the run's Deployment, with the scenario's guards. Read-only. */
    async verify(target: LabTarget, run: VerifyRunOptions = {}): Promise<Verdict> {
      const b = await bundle(target.scenarioId);
      const v = b.scenario.verify;
      // An id per request: the board's verdict names it, so a second board's verdict on the same
      // request counts nothing (core/gameday/events.ts foldTeamLog).
      const requestId = [...(ports.randomBytes ?? webRandom)(8)].map((x) => x.toString(16).padStart(2, '0')).join('');
      await logEvent(target, { type: 'verify-requested', id: requestId });
      const verdict = await withKube(false, (k) =>
        verifyDeployment({
          kube: k,
          clock,
          namespace: target.namespace,
          deployment: v.deployment,
          kind: b.scenario.workload.kind,
          guards: b.scenario.guards,
          requireChange: requireChangeFor(b.scenario, b.broken),
          crashWithinSeconds: parseDuration(v.crashWithin),
          marginSeconds: parseDuration(v.margin),
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? parseDuration(v.rolloutTimeout),
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
      // The participant's own verdict is informational: only the instructor's side scores.
      await logEvent(target, { type: 'verify-verdict', pass: verdict.result === 'pass', by: 'participant', reasons: [verdict.summary.en], result: verdict.result });
      return verdict;
    },

    /** Any Deployment, StatefulSet, DaemonSet or Job (no scenario, no guards). Read-only. */
    async verifyWorkload(namespace: string, kind: WorkloadKind, name: string, run: VerifyRunOptions = {}): Promise<Verdict> {
      return withKube(false, (k) =>
        verifyWorkload({
          kube: k,
          clock,
          namespace,
          kind,
          name,
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS,
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
    },

    /** Any Deployment (no scenario, no guards). Read-only. */
    async verifyDeployment(namespace: string, deployment: string, run: VerifyRunOptions = {}): Promise<Verdict> {
      return withKube(false, (k) =>
        verifyDeployment({
          kube: k,
          clock,
          namespace,
          deployment,
          rolloutTimeoutSeconds: run.rolloutTimeoutSeconds ?? DEPLOYMENT_ROLLOUT_TIMEOUT_SECONDS,
          windowOverrideSeconds: run.windowOverrideSeconds,
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
    },

    /** Saves what a verdict means for progress (core/progress.ts decides the best time). */
    async recordVerdict(target: LabTarget, outcome: Verdict['result'], extras: VerdictExtras = {}): Promise<Progress> {
      return store.update((progress) => recordVerdict(progress, target.scenarioId, outcome, { nowMs: clock.now(), seconds: extras.seconds, hintsUsed: extras.hintsUsed }));
    },

    /** Why it broke, the diff from broken to fixed (the learner's live spec, or the reference), the checklist. */
    async debrief(target: LabTarget): Promise<Debrief> {
      const b = await bundle(target.scenarioId);
      const progress = (await store.load()).progress.scenarios[target.scenarioId];
      const { kind, name } = b.scenario.workload;
      const broken = findWorkload(b.broken, kind, name);
      const solution = findWorkload(b.solution, kind, name);
      let after: Deployment | undefined;
      let diffAgainst: Debrief['diffAgainst'] = 'reference';
      if (!progress?.attemptUsedHelp) {
        // Every workload kind keeps its pods in spec.template; a connection that cannot read the
        // kind (no getObject) or a gone object falls back to the reference diff.
        after = (await getWorkloadObject(await kube(), target.namespace, b.scenario.workload).catch(() => undefined)) as Deployment | undefined;
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

    /** Why the last write to the team's event log failed (game mode), handed over once. */
    takeTeamLogWarning(): string | undefined {
      const warning = teamLogWarning;
      teamLogWarning = undefined;
      return warning;
    },

    /** Deletes one run (its namespace when it owns one, else its labelled objects). */
    async reset(target: LabTarget, reset: { wait?: boolean } = {}): Promise<ResetResult> {
      return withKube(true, async (k) => {
        const result = await resetRun(k, target, reset.wait ?? false);
        if (target.instance && result.result !== 'refused') await saveAfterAction('the run was reset', (progress) => forgetInstance(progress, target.instance!));
        return result;
      });
    },

    /** Deletes every run of a scenario crashlab knows of (plain and opaque); optionally forgets its progress. */
    async resetScenario(scenarioId: string, reset: { wait?: boolean; forgetProgress?: boolean } = {}): Promise<ResetResult[]> {
      await bundle(scenarioId);
      return withKube(true, async (k) => {
        const progress = await progressForAction();
        const shared = options.sharedNamespace;
        // In a team namespace only the runs there are ours to reset (nothing cluster-scoped).
        const runs = shared
          ? [plainRun(scenarioId, shared), ...instancesOf(progress, scenarioId).filter((i) => i.namespace === shared).map((i) => opaqueRun(scenarioId, i.instance, shared))]
          : [plainRun(scenarioId), ...instancesOf(progress, scenarioId).filter((i) => i.namespace.startsWith('crashlab-i-')).map((i) => opaqueRun(scenarioId, i.instance, undefined))];
        const results: ResetResult[] = [];
        for (const run of runs) results.push(await resetRun(k, run, reset.wait ?? true));
        await saveAfterAction(`${scenarioId} was reset`, (p) => {
          for (const run of runs) if (run.instance) forgetInstance(p, run.instance);
          if (reset.forgetProgress) delete p.scenarios[scenarioId];
        });
        return results;
      });
    },
  };
}
