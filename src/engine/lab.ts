/**
 * Scenario run primitives over the Kube port: deploy objects for a run, read its state, find
 * its pods. The lab action API (engine/labApi.ts) composes them; none of it knows about
 * terminals.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type K8sObject, type KubeEvent, type Pod } from '../core/k8s.js';
import { runAnnotations, runLabels, type RunTarget } from '../core/instance.js';
import { prepareForDeploy } from '../core/manifest.js';
import { WORKLOAD_RESOURCES, type WorkloadKind } from '../core/verify/workload.js';
import { kubectlStatus, summarizePod, type PodSummary } from '../core/podStatus.js';
import { matchSignature, observeSignature, type ObservedSignature, type SignatureCheck } from '../core/signature.js';
import type { ScenarioBundle } from '../ports/catalog.js';
import { KubeError, type Kube } from '../ports/kube.js';

export type { ScenarioBundle };

/** Something the learner can act on; the CLI maps it to exit code 2, the UI shows it with its hint. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-deployed' | 'foreign-namespace' | 'no-pod' | 'unknown-scenario' | 'invalid-scenario' | 'catalog' | 'not-confirmed' | 'invalid-edit' | 'not-in-game',
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

export function isManaged(object: K8sObject | undefined): boolean {
  return object?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** Applies `objects` as part of `run`: its namespace, its labels; never into a namespace crashlab did not create. */
/** `exact`: the objects end up exactly as given (solve), not merged with a learner's edits. */
export async function deployRun(kube: Kube, run: RunTarget, objects: K8sObject[], options: { exact?: boolean; labels?: Record<string, string> } = {}): Promise<string[]> {
  // A shared namespace (a game-day team's) is not read: a team may not get Namespace objects
  // (cluster-scoped), and whoever shares it created it. Applying into a missing one fails NotFound.
  // Its runs carry the game's labels too (options.labels): the board's one watch selects by them.
  if (!run.ownsNamespace) {
    const labels = { ...options.labels, ...runLabels(run) };
    return kube.apply(prepareForDeploy(objects, { namespace: run.namespace, scenarioId: run.scenarioId, labels, annotations: runAnnotations(run), createNamespace: false }), run.namespace, { exact: options.exact });
  }
  const existing = await kube.getNamespace(run.namespace);
  if (existing && !isManaged(existing)) {
    throw new LabError(
      `namespace ${run.namespace} exists and was not created by crashlab`,
      'foreign-namespace',
      'crashlab only changes what it created. Delete or rename that namespace yourself, or use another context.',
    );
  }
  const prepared = prepareForDeploy(objects, { namespace: run.namespace, scenarioId: run.scenarioId, labels: runLabels(run), annotations: runAnnotations(run), createNamespace: run.ownsNamespace });
  return kube.apply(prepared, run.namespace, options);
}

/** How long the good version of a scenario with history may take to roll out. */
const PREVIOUS_ROLLOUT_TIMEOUT_SECONDS = 50;

/**
 * A rollout over a good version (chapter 9): applies the scenario's history (previous.yaml) and
 * waits until it has rolled out, or there is no old ReplicaSet to keep serving and no revision
 * to undo to. Nothing to do for a scenario without history.
 */
export async function deployHistory(kube: Kube, run: RunTarget, bundle: ScenarioBundle, labels?: Record<string, string>): Promise<string[]> {
  if (!bundle.previous?.length) return [];
  const lines = await deployRun(kube, run, bundle.previous, { labels });
  const name = bundle.scenario.workload.deployment;
  const status = await kube.run(['rollout', 'status', `deployment/${name}`, '-n', run.namespace, `--timeout=${PREVIOUS_ROLLOUT_TIMEOUT_SECONDS}s`]);
  if (status.exitCode !== 0) {
    throw new LabError(
      `the good version of deployment ${name} did not finish rolling out within ${PREVIOUS_ROLLOUT_TIMEOUT_SECONDS} s: ${(status.stderr || status.stdout).trim()}`,
      'no-pod',
      `Look at it: kubectl -n ${run.namespace} get pods; then start the scenario again`,
    );
  }
  return [...lines, ...status.stdout.trim().split('\n').filter(Boolean)];
}

/** The scenario's live workload (its kind and name), or undefined when it is not there. */
export async function getWorkloadObject(kube: Kube, namespace: string, workload: { kind: WorkloadKind; name: string }): Promise<K8sObject | undefined> {
  if (workload.kind === 'Deployment') return (await kube.getDeployment(namespace, workload.name)) as K8sObject | undefined;
  if (!kube.getObject) throw new KubeError(`this cluster connection cannot read ${workload.kind}s`, 'other');
  return kube.getObject(namespace, WORKLOAD_RESOURCES[workload.kind], workload.name);
}

export async function requireDeployed(kube: Kube, bundle: ScenarioBundle, run: RunTarget): Promise<void> {
  const { workload } = bundle.scenario;
  const live = await getWorkloadObject(kube, run.namespace, workload);
  if (!live) {
    throw new LabError(
      `scenario ${run.instance ?? bundle.scenario.id} is not deployed (no ${workload.kind.toLowerCase()} ${workload.name} in namespace ${run.namespace})`,
      'not-deployed',
      run.instance ? 'Start it again from the lab.' : `Start it first: crashlab start ${bundle.scenario.id}`,
    );
  }
}

/** The run's pods, newest first; pods being deleted last. */
export async function runPods(kube: Kube, run: RunTarget): Promise<Pod[]> {
  return sortPods(await kube.getPods(run.namespace, run.selector));
}

export function sortPods(pods: Pod[]): Pod[] {
  return [...pods].sort((a, b) => {
    const deleting = Number(Boolean(a.metadata.deletionTimestamp)) - Number(Boolean(b.metadata.deletionTimestamp));
    if (deleting !== 0) return deleting;
    return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
  });
}

export interface ScenarioStatus {
  scenario: string;
  namespace: string;
  pods: PodSummary[];
  /** The newest pod's observed signature, compared with the scenario's `expect`. */
  signature?: ObservedSignature;
  matchesExpected?: boolean;
  checks?: SignatureCheck[];
  events: KubeEvent[];
}

export async function scenarioStatus(kube: Kube, bundle: ScenarioBundle, run: RunTarget, nowMs: number): Promise<ScenarioStatus> {
  await requireDeployed(kube, bundle, run);
  const { scenario } = bundle;
  const pods = await runPods(kube, run);
  const events = await kube.getEvents(run.namespace);
  const status: ScenarioStatus = {
    scenario: run.instance ?? scenario.id,
    namespace: run.namespace,
    pods: pods.map((pod) => summarizePod(pod, nowMs)),
    events,
  };
  const newest = pods[0];
  if (!newest) return status;
  const container = scenario.expect.container;
  const restarted = [...(newest.status?.containerStatuses ?? []), ...(newest.status?.initContainerStatuses ?? [])].some((c) => c.name === container && c.restartCount > 0);
  const previousLog = scenario.expect.previousLog && restarted ? await kube.logs(run.namespace, newest.metadata.name, container, { previous: true, tail: 50 }) : undefined;
  const signature = observeSignature(newest, container, events, previousLog, kubectlStatus(newest));
  const match = matchSignature(scenario.expect, signature);
  return { ...status, signature, matchesExpected: match.matches, checks: match.checks };
}
