/**
 * Scenario run primitives over the Kube port: deploy objects for a run, read its state, find
 * its pods. The lab action API (engine/labApi.ts) composes them; none of it knows about
 * terminals.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type K8sObject, type KubeEvent, type Pod } from '../core/k8s.js';
import { runAnnotations, runLabels, type RunTarget } from '../core/instance.js';
import { prepareForDeploy } from '../core/manifest.js';
import { WORKLOAD_RESOURCES, type WorkloadKind } from '../core/verify/workload.js';
import { focusPod, kubectlStatus, summarizePod, type PodSummary } from '../core/podStatus.js';
import { matchSignature, observeSignature, type ObservedSignature, type SignatureCheck } from '../core/signature.js';
import type { ScenarioBundle } from '../ports/catalog.js';
import type { Kube } from '../ports/kube.js';
import { kubeError } from '../ports/errors.js';

export type { ScenarioBundle };

import { LabError } from './errors.js';

export { LabError };

export function isManaged(object: K8sObject | undefined): boolean {
  return object?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** Applies `objects` as part of `run`: its namespace, its labels; never into a namespace crashlab did not create. */
/** `exact`: the objects end up exactly as given (solve), not merged with a learner's edits. */
export async function deployRun(kube: Kube, run: RunTarget, objects: K8sObject[], options: { exact?: boolean; labels?: Record<string, string>; images?: Record<string, string> } = {}): Promise<string[]> {
  // A shared namespace (a game-day team's) is not read: a team may not get Namespace objects
  // (cluster-scoped), and whoever shares it created it. Applying into a missing one fails NotFound.
  // Its runs carry the game's labels too (options.labels): the board's one watch selects by them.
  if (!run.ownsNamespace) {
    const labels = { ...options.labels, ...runLabels(run) };
    return kube.apply(prepareForDeploy(objects, { namespace: run.namespace, scenarioId: run.scenarioId, labels, annotations: runAnnotations(run), createNamespace: false, images: options.images }), run.namespace, { exact: options.exact });
  }
  const existing = await kube.getNamespace(run.namespace);
  if (existing && !isManaged(existing)) {
    throw new LabError(
      { en: `namespace ${run.namespace} exists and was not created by crashlab`, ko: `${run.namespace} 네임스페이스가 이미 있는데 crashlab이 만든 것이 아닙니다` },
      'foreign-namespace',
      {
        en: 'crashlab only changes what it created. Delete or rename that namespace yourself, or use another context.',
        ko: 'crashlab은 자신이 만든 것만 바꿉니다. 그 네임스페이스를 직접 지우거나 이름을 바꾸거나, 다른 컨텍스트를 쓰세요.',
      },
    );
  }
  const prepared = prepareForDeploy(objects, { namespace: run.namespace, scenarioId: run.scenarioId, labels: runLabels(run), annotations: runAnnotations(run), createNamespace: run.ownsNamespace, images: options.images });
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
      {
        en: `the good version of deployment ${name} did not finish rolling out within ${PREVIOUS_ROLLOUT_TIMEOUT_SECONDS} s: ${(status.stderr || status.stdout).trim()}`,
        ko: `${name} Deployment의 정상 버전 롤아웃이 ${PREVIOUS_ROLLOUT_TIMEOUT_SECONDS}초 안에 끝나지 않았습니다: ${(status.stderr || status.stdout).trim()}`,
      },
      'no-pod',
      { en: `Look at it: kubectl -n ${run.namespace} get pods; then start the scenario again`, ko: `kubectl -n ${run.namespace} get pods로 살펴본 뒤 시나리오를 다시 시작하세요.` },
    );
  }
  return [...lines, ...status.stdout.trim().split('\n').filter(Boolean)];
}

/** The scenario's live workload (its kind and name), or undefined when it is not there. */
export async function getWorkloadObject(kube: Kube, namespace: string, workload: { kind: WorkloadKind; name: string }): Promise<K8sObject | undefined> {
  if (workload.kind === 'Deployment') return (await kube.getDeployment(namespace, workload.name)) as K8sObject | undefined;
  if (!kube.getObject) throw kubeError(`this cluster connection cannot read ${workload.kind}s`, 'other');
  return kube.getObject(namespace, WORKLOAD_RESOURCES[workload.kind], workload.name);
}

export async function requireDeployed(kube: Kube, bundle: ScenarioBundle, run: RunTarget): Promise<void> {
  const { workload } = bundle.scenario;
  const live = await getWorkloadObject(kube, run.namespace, workload);
  if (!live) {
    throw new LabError(
      {
        en: `scenario ${run.instance ?? bundle.scenario.id} is not deployed (no ${workload.kind.toLowerCase()} ${workload.name} in namespace ${run.namespace})`,
        ko: `${run.instance ?? bundle.scenario.id} 시나리오가 배포되어 있지 않습니다(${run.namespace} 네임스페이스에 ${workload.kind} ${workload.name} 없음)`,
      },
      'not-deployed',
      run.instance
        ? { en: 'Start it again from the lab.', ko: '실습 화면에서 다시 시작하세요.' }
        : { en: `Start it first: crashlab start ${bundle.scenario.id}`, ko: `먼저 시작하세요: crashlab start ${bundle.scenario.id}` },
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
  const container = scenario.expect.container;
  const newest = focusPod(pods, container);
  if (!newest) return status;
  const restarted = [...(newest.status?.containerStatuses ?? []), ...(newest.status?.initContainerStatuses ?? [])].some((c) => c.name === container && c.restartCount > 0);
  const previousLog = scenario.expect.previousLog && restarted ? await kube.logs(run.namespace, newest.metadata.name, container, { previous: true, tail: 50 }) : undefined;
  const signature = observeSignature(newest, container, events, previousLog, kubectlStatus(newest));
  const match = matchSignature(scenario.expect, signature);
  return { ...status, signature, matchesExpected: match.matches, checks: match.checks };
}
