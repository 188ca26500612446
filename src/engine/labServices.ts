/**
 * The real facade behind the lab UI (src/tui/services.ts): the composition root that binds
 * the engine to kubectl, kind, the progress store and the scenario files. The UI never sees
 * an adapter; everything here is also reachable from the CLI subcommands.
 */
import yaml from 'js-yaml';
import { editText } from '../adapters/editor.js';
import { KindCli } from '../adapters/kind.js';
import { Kubectl } from '../adapters/kubectl.js';
import { probePreflight } from '../adapters/preflight.js';
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { loadCatalog, packageRoot, type Catalog, type CatalogEntry } from '../adapters/scenarios.js';
import type { Globals } from '../cli/io.js';
import type { CategoryId } from '../core/categories.js';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT, decideContext, scenarioNamespace } from '../core/context.js';
import { pruneToShape, unifiedDiff } from '../core/diff.js';
import { eventTime, SCENARIO_LABEL, type Deployment, type K8sObject, type Pod } from '../core/k8s.js';
import { cleanForEdit, findDeployment, parseManifest, formatManifestProblem } from '../core/manifest.js';
import { preflightChecks, usesKind } from '../core/preflight.js';
import { focusContainer, formatKubectl, routineSteps } from '../core/routine.js';
import { parseDuration } from '../core/scenario.js';
import { recordHelp, recordPass, recordStart, scenarioEntry } from '../core/progress.js';
import { pick, type Lang } from '../core/text.js';
import type { Kind } from '../ports/kind.js';
import type { Kube, Watch } from '../ports/kube.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { ProgressStore } from '../ports/store.js';
import type {
  ApplyResult,
  ClusterInfo,
  ClusterOptions,
  Debrief,
  LabResult,
  LabRoutineStep,
  LabServices,
  LabTarget,
  PreflightResult,
  VerifyOptions,
  VerifyVerdict,
} from '../tui/services.js';
import { ensureCluster } from './cluster.js';
import { diagnoseLive } from './diagnose.js';
import { runRoutineStep } from './routine.js';
import { applySolution, deployBroken, resetScenario, sortPods } from './lab.js';
import { verifyDeployment, type Verdict, type VerifyProgress } from './verify.js';

export interface LabDeps {
  kube?: (context: string) => Kube;
  kind?: Kind;
  store?: ProgressStore;
  clock?: Clock;
  contentRoot?: string;
  env?: NodeJS.ProcessEnv;
}

export function createLabServices(globals: Globals, deps: LabDeps = {}): LabServices {
  const env = deps.env ?? process.env;
  const lang: Lang = globals.lang;
  const clock = deps.clock ?? systemClock;
  // A progress file set aside during a save is reported with the next progress() call: the
  // terminal belongs to the UI, so nothing may be written to stderr behind its back.
  let storeWarning: string | undefined;
  const store = deps.store ?? new FileProgressStore(defaultProgressPath(env), { onWarning: (w) => (storeWarning = w) });
  const kind = deps.kind ?? new KindCli({ env });
  let confirmed = globals.yes;
  const decision = () => decideContext(globals.context, { mutating: true, yes: confirmed });
  const context = decision().context;
  let kubeInstance: Kube | undefined;
  const kube = (): Kube => (kubeInstance ??= deps.kube ? deps.kube(context) : new Kubectl({ context, env }));
  // routine() is synchronous for the UI: it reads what the catalog and the pod watch have
  // already delivered (the scenario's main container; the pod's failing container).
  const containers = new Map<string, string>();
  const latestPods = new Map<string, Pod>();
  let catalogPromise: Promise<Catalog> | undefined;
  const catalog = () =>
    (catalogPromise ??= loadCatalog(deps.contentRoot ?? packageRoot()).then((loaded) => {
      for (const b of loaded.bundles) containers.set(b.scenario.id, b.scenario.workload.container);
      return loaded;
    }));

  async function bundle(scenarioId: string): Promise<CatalogEntry> {
    const found = (await catalog()).bundles.find((b) => b.scenario.id === scenarioId);
    if (!found) throw new Error(`no scenario "${scenarioId}"`);
    return found;
  }

  /** Commands shown to the learner name the context only when it is not crashlab's default. */
  const contextFlag = context === DEFAULT_CONTEXT ? undefined : context;

  async function applyResult(work: () => Promise<string[]>): Promise<ApplyResult> {
    try {
      return { ok: true, lines: await work() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    clusterTarget() {
      const d = decision();
      return d.allowed ? { context: d.context } : { context: d.context, confirmQuestion: d.question };
    },

    confirmContext() {
      confirmed = true;
    },

    async preflight(onResult) {
      const probes = await probePreflight({ context: globals.context, env });
      const results: PreflightResult[] = preflightChecks(probes).map((check) => ({
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

    async ensureCluster(options: ClusterOptions): Promise<ClusterInfo> {
      const kindMode = usesKind(globals.context) ? { cli: kind, configPath: `${deps.contentRoot ?? packageRoot()}/kind/crashlab.yaml` } : undefined;
      const { created, serverVersion } = await ensureCluster({ kube: kube(), kind: kindMode, onLine: options.onLine, signal: options.signal });
      return { context, created, serverVersion };
    },

    deleteCluster(onLine) {
      return kind.delete(DEFAULT_CLUSTER_NAME, onLine);
    },

    async scenarios() {
      return (await catalog()).scenarios;
    },

    async progress() {
      const snapshot = await store.load();
      const warning = snapshot.warning ?? storeWarning;
      storeWarning = undefined;
      return warning ? { ...snapshot, warning } : snapshot;
    },

    async start(scenarioId, onLine) {
      const b = await bundle(scenarioId);
      const namespace = scenarioNamespace(scenarioId);
      const previous = await resetScenario(kube(), namespace, { wait: true });
      if (previous === 'refused') throw Object.assign(new Error(`namespace ${namespace} exists and was not created by crashlab`), { hint: 'crashlab only changes what it created: delete or rename that namespace yourself.' });
      if (previous === 'deleted') onLine?.(`Removed the previous run (namespace ${namespace}).`);
      for (const line of await deployBroken(kube(), b, namespace)) onLine?.(line);
      const startedAt = clock.now();
      await store.update((progress) => recordStart(progress, scenarioId, startedAt));
      return { scenarioId, namespace, startedAt };
    },

    watchPods(target, onPods, onError): Watch {
      const pods = new Map<string, Pod>();
      return kube().watchPods(
        target.namespace,
        `${SCENARIO_LABEL}=${target.scenarioId}`,
        (event) => {
          if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
          if (event.type === 'DELETED') pods.delete(event.pod.metadata.name);
          else pods.set(event.pod.metadata.name, event.pod);
          latestPods.set(event.pod.metadata.name, event.pod);
          onPods(sortPods([...pods.values()]));
        },
        onError,
      );
    },

    async events(target, pod) {
      const events = await kube().getEvents(target.namespace, pod);
      return events.sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
    },

    async logs(target, pod, options) {
      const b = await bundle(target.scenarioId);
      return kube().logs(target.namespace, pod, b.scenario.workload.container, { previous: options.previous, tail: options.tail, timestamps: true });
    },

    routine(target, pod): LabRoutineStep[] {
      const container = focusContainer(latestPods.get(pod), containers.get(target.scenarioId) ?? 'app');
      return routineSteps({ namespace: target.namespace, pod, container, context: contextFlag }).map((step) => ({
        ...step,
        run: () => runRoutineStep(kube(), step),
      }));
    },

    kubectlCommand(args) {
      return formatKubectl(args, contextFlag);
    },

    async diagnose(target, pod) {
      const result = await diagnoseLive(kube(), target.namespace, pod);
      return {
        pod,
        findings: result.findings.filter((f) => f.category !== 'healthy').map((f) => ({ category: f.category, confidence: f.confidence, evidence: f.evidence })),
      };
    },

    async recordDiagnosis(scenarioId: string, category: CategoryId, correct: boolean) {
      await store.update((progress) => {
        const entry = scenarioEntry(progress, scenarioId);
        entry.diagnosedAt = new Date(clock.now()).toISOString();
        entry.diagnosedCorrectly = correct;
        entry.diagnosedCategory = category;
      });
    },

    async liveDeploymentYaml(target) {
      const b = await bundle(target.scenarioId);
      const live = await kube().getDeployment(target.namespace, b.scenario.workload.deployment);
      if (!live) throw Object.assign(new Error(`deployment ${b.scenario.workload.deployment} is gone from ${target.namespace}`), { hint: 'Start the scenario again.' });
      return yaml.dump(cleanForEdit(live), { lineWidth: 120, noRefs: true });
    },

    async applyDeploymentYaml(target, text) {
      const b = await bundle(target.scenarioId);
      const parsed = parseManifest(text);
      if (!parsed.ok) return { ok: false, error: parsed.problems.map(formatManifestProblem).join('\n') };
      const name = b.scenario.workload.deployment;
      if (parsed.objects.length !== 1 || parsed.objects[0].kind !== 'Deployment' || parsed.objects[0].metadata?.name !== name) {
        return { ok: false, error: `the file must hold exactly one Deployment named ${name}` };
      }
      // The edited object carries its own namespace; the deploy step re-sets it to this lab's.
      const object = { ...parsed.objects[0], metadata: { ...parsed.objects[0].metadata, namespace: undefined } } as K8sObject;
      return applyResult(() => deployBroken(kube(), { ...b, broken: [object] }, target.namespace));
    },

    editText(text, fileName) {
      return editText(text, fileName, env);
    },

    async solve(target) {
      const b = await bundle(target.scenarioId);
      const result = await applyResult(() => applySolution(kube(), b, target.namespace));
      if (result.ok) await store.update((progress) => recordHelp(progress, target.scenarioId));
      return result;
    },

    async verify(target, options: VerifyOptions): Promise<VerifyVerdict> {
      const b = await bundle(target.scenarioId);
      const v = b.scenario.verify;
      const verdict = await verifyDeployment({
        kube: kube(),
        clock,
        namespace: target.namespace,
        deployment: v.deployment,
        guards: b.scenario.guards,
        crashWithinSeconds: parseDuration(v.crashWithin),
        marginSeconds: parseDuration(v.margin),
        rolloutTimeoutSeconds: parseDuration(v.rolloutTimeout),
        signal: options.signal,
        onProgress: (p) => options.onProgress(toUiProgress(p, lang)),
      });
      return toUiVerdict(verdict, lang);
    },

    async debrief(target): Promise<Debrief> {
      const b = await bundle(target.scenarioId);
      const progress = (await store.load()).progress.scenarios[target.scenarioId];
      const name = b.scenario.workload.deployment;
      const broken = findDeployment(b.broken, name);
      const solution = findDeployment(b.solution, name);
      let after: Deployment | undefined;
      let diffAgainst: Debrief['diffAgainst'] = 'reference';
      if (!progress?.solvedWithHelp) {
        after = await kube().getDeployment(target.namespace, name).catch(() => undefined);
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

    async recordResult(scenarioId: string, result: LabResult) {
      return store.update((progress) => {
        if (result.solvedWithHelp) recordHelp(progress, scenarioId);
        if (result.outcome === 'pass') recordPass(progress, scenarioId, { nowMs: clock.now(), seconds: result.seconds, hintsUsed: result.hintsUsed });
        else scenarioEntry(progress, scenarioId).hintsUsed = result.hintsUsed;
      });
    },

    async reset(target) {
      await resetScenario(kube(), target.namespace, { wait: false });
    },
  };
}

function toUiProgress(progress: VerifyProgress, lang: Lang) {
  switch (progress.phase) {
    case 'waiting-for-rollout':
      return { phase: 'waiting-for-rollout' as const, elapsedSeconds: progress.elapsedSeconds, message: pick(progress.reason, lang) };
    case 'watching':
      return {
        phase: 'watching' as const,
        windowSeconds: progress.windowSeconds,
        remainingSeconds: progress.remainingSeconds,
        restarts: progress.pods.flatMap((p) => p.containers.map((c) => ({ pod: p.pod, container: c.name, restarts: c.restarts }))),
      };
    case 'done':
      return { phase: 'done' as const };
  }
}

function toUiVerdict(verdict: Verdict, lang: Lang): VerifyVerdict {
  return {
    outcome: verdict.result,
    summary: pick(verdict.summary, lang),
    windowSeconds: verdict.windowSeconds,
    windowReasons: verdict.windowReasons.map((r) => pick(r, lang)),
    elapsedSeconds: verdict.elapsedSeconds,
    evidence: verdict.evidence.map((e) => pick(e.summary, lang)),
    guards: verdict.guardResults.map((g) => ({ guard: g.label, ok: g.ok, detail: pick(g.message, lang) })),
  };
}
