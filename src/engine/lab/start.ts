/**
 * Starting a run: deploy the broken workload, or join the team's live instance, or resume an
 * unfinished attempt; what start does to a previous run is decided here (replacePreviousRuns).
 */
import { archImages } from '../arch.js';
import { INSTANCE_LABEL, opaqueInstanceId, opaqueRun, plainRun, type LiveInstance, type RunTarget } from '../../core/instance.js';
import { SCENARIO_LABEL } from '../../core/k8s.js';
import { attemptUnfinished, forgetInstance, instancesOf, recordInstance, recordStart, type Progress } from '../../core/progress.js';
import type { ScenarioBundle } from '../../ports/catalog.js';
import type { Kube } from '../../ports/kube.js';
import { LabError, deployHistory, deployRun, getWorkloadObject } from '../scenarioRuns.js';
import type { StartedLab } from '../labTypes.js';
import { webRandom, type LabContext } from './context.js';
import { hintsTaken } from './hints.js';

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

/**
 * Where a new run of `scenarioId` lives: the plain `crashlab-<id>`, or (mystery mode, game
 * days) an opaque instance whose names do not spell the scenario. The one function the solo lab
 * and the game-day provisioning use to name runs.
 */
export function planRun(scenarioId: string, options: { mystery?: boolean; namespace?: string; randomBytes?: (count: number) => Uint8Array } = {}): RunTarget {
  if (!options.mystery) return plainRun(scenarioId, options.namespace);
  return opaqueRun(scenarioId, opaqueInstanceId((options.randomBytes ?? webRandom)(4)), options.namespace);
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
async function replacePreviousRuns(lab: LabContext, k: Kube, run: RunTarget, progress: Progress): Promise<string[]> {
  if (!run.ownsNamespace) {
    // A team namespace holds one current run: every earlier run in it goes (whatever its
    // scenario or instance), found by its run label, never the game's own objects (they carry
    // neither label). Only kinds scenarios deploy: a team may not even list the others.
    const kinds = await lab.runKinds();
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

/**
 * Start on a scenario that already runs in the team namespace: nothing is deployed (a
 * teammate's fix, or the instructor's round, stays as it is). The first join on this machine
 * is an attempt like a start; joining again only resumes it.
 */
async function join(lab: LabContext, live: LiveInstance, namespace: string, start: StartOptions): Promise<StartedLab> {
  const run = opaqueRun(live.scenarioId, live.instance, namespace);
  const progress = await lab.progressForAction();
  const record = progress.instances?.[live.instance];
  const resumed = record !== undefined && record.namespace === namespace;
  const startedAt = resumed && record.startedAt ? Date.parse(record.startedAt) : lab.clock.now();
  const lines = [
    resumed
      ? `Resumed ${live.instance}, already running in your namespace; nothing was redeployed.`
      : `Joined ${live.instance}, already running in your namespace (released by your instructor or started by a teammate); nothing was redeployed.`,
    'To deploy it again from scratch: crashlab start <id> --fresh (your team keeps the same instance).',
  ];
  for (const line of lines) start.onLine?.(line);
  // The hints the team took on this run are in its log, whoever took them.
  const hintsShown = (await hintsTaken(lab, run)).size;
  if (!resumed) {
    await lab.saveAfterAction(`${live.instance} was joined`, (p) => {
      for (const [instance, r] of Object.entries(p.instances ?? {})) if (r.namespace === namespace) forgetInstance(p, instance);
      recordStart(p, live.scenarioId, startedAt);
      recordInstance(p, live.instance, { scenario: live.scenarioId, namespace, startedAt: new Date(startedAt).toISOString() });
    });
    await lab.logEvent(run, { type: 'started' });
  }
  return { ...run, startedAt, lines, joined: true, ...(hintsShown ? { hintsShown } : {}) };
}

/** An unfinished attempt of an earlier session, still deployed: its run, clock and hints, or undefined. */
async function resumable(lab: LabContext, k: Kube, scenarioId: string, b: ScenarioBundle): Promise<StartedLab | undefined> {
  const progress = await lab.progressForAction();
  const entry = progress.scenarios[scenarioId];
  if (!entry?.startedAt || !attemptUnfinished(entry)) return undefined;
  const known = instancesOf(progress, scenarioId)[0];
  const run = known ? opaqueRun(scenarioId, known.instance) : plainRun(scenarioId);
  if (!(await getWorkloadObject(k, run.namespace, b.scenario.workload))) return undefined;
  const hintsShown = (await hintsTaken(lab, run)).size;
  const lines = [`Resumed your run of ${run.instance ?? scenarioId} from ${entry.startedAt}; nothing was redeployed.`];
  return { ...run, startedAt: Date.parse(entry.startedAt), lines, resumed: true, ...(hintsShown ? { hintsShown } : {}) };
}

/** Deploys `run` afresh (the previous run replaced) and records the attempt. */
async function deployFresh(lab: LabContext, k: Kube, run: RunTarget, b: ScenarioBundle, start: StartOptions): Promise<StartedLab> {
  const scenarioId = run.scenarioId;
  const lines = await replacePreviousRuns(lab, k, run, await lab.progressForAction());
  for (const line of lines) start.onLine?.(line);
  for (const line of [...(await deployHistory(k, run, b, await lab.gameLabels(run))), ...(await deployRun(k, run, b.broken, { labels: await lab.gameLabels(run), images: await archImages(k, b.scenario) }))]) {
    lines.push(line);
    start.onLine?.(line);
  }
  const startedAt = lab.clock.now();
  await lab.saveAfterAction(`${scenarioId} was started`, (progress) => {
    for (const earlier of instancesOf(progress, scenarioId)) if (run.ownsNamespace) forgetInstance(progress, earlier.instance);
    // A shared namespace holds one run: every instance recorded there was just removed.
    if (!run.ownsNamespace) for (const [instance, record] of Object.entries(progress.instances ?? {})) if (record.namespace === run.namespace) forgetInstance(progress, instance);
    recordStart(progress, scenarioId, startedAt);
    if (run.instance) recordInstance(progress, run.instance, { scenario: scenarioId, namespace: run.namespace, startedAt: new Date(startedAt).toISOString() });
  });
  await lab.logEvent(run, { type: 'started' });
  return { ...run, startedAt, lines };
}

export function startActions(lab: LabContext) {
  const { options } = lab;
  return {
    /** Replaces the previous run (see replacePreviousRuns), deploys the broken workload, records the attempt. */
    async start(ref: string, start: StartOptions = {}): Promise<StartedLab> {
      const scenarioId = await lab.scenarioOf(ref);
      const b = await lab.bundle(scenarioId);
      return lab.withKube(true, async (k) => {
        const namespace = start.namespace ?? options.sharedNamespace;
        // Game mode: a team namespace holds opaque runs only (a shared screen spoils nothing),
        // whatever the picker shows: its mystery switch only hides titles.
        const mystery = (namespace !== undefined && namespace === options.sharedNamespace) || (start.mystery ?? false);
        const live = namespace !== undefined && mystery ? (await lab.liveIn(k, namespace)).find((i) => i.scenarioId === scenarioId) : undefined;
        if (live && !start.fresh) return join(lab, live, namespace!, start);
        if (start.resume && !start.fresh && namespace === undefined) {
          const resumed = await resumable(lab, k, scenarioId, b);
          if (resumed) {
            for (const line of resumed.lines) start.onLine?.(line);
            return resumed;
          }
        }
        // Deployed again under the live instance's id: the instructor's board keeps judging it.
        const run = live ? opaqueRun(scenarioId, live.instance, namespace) : planRun(scenarioId, { mystery, namespace, randomBytes: lab.ports.randomBytes });
        return deployFresh(lab, k, run, b, start);
      });
    },
  };
}
