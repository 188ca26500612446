/**
 * Scenario lifecycle over the Kube port: deploy the broken workload, read its state, apply the
 * reference solution, remove it again. The CLI and the TUI both drive these; none of it knows
 * about terminals.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, SCENARIO_LABEL, type K8sObject, type KubeEvent, type Pod } from '../core/k8s.js';
import { prepareForDeploy } from '../core/manifest.js';
import { kubectlStatus, summarizePod, type PodSummary } from '../core/podStatus.js';
import type { Scenario } from '../core/scenario.js';
import { matchSignature, observeSignature, type ObservedSignature, type SignatureCheck } from '../core/signature.js';
import type { Kube } from '../ports/kube.js';

/** A scenario with its manifests, as the catalog loads them. */
export interface ScenarioBundle {
  scenario: Scenario;
  broken: K8sObject[];
  solution: K8sObject[];
  notQuiteFix?: K8sObject[];
}

/** Something the learner can act on; the CLI maps it to exit code 2. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-deployed' | 'foreign-namespace' | 'no-pod',
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

export function isManaged(object: K8sObject | undefined): boolean {
  return object?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

async function applyInto(kube: Kube, objects: K8sObject[], namespace: string, scenarioId: string): Promise<string[]> {
  const existing = await kube.getNamespace(namespace);
  if (existing && !isManaged(existing)) {
    throw new LabError(
      `namespace ${namespace} exists and was not created by crashlab`,
      'foreign-namespace',
      'crashlab only changes what it created. Delete or rename that namespace yourself, or use another context.',
    );
  }
  return kube.apply(prepareForDeploy(objects, { namespace, scenarioId }), namespace);
}

export function deployBroken(kube: Kube, bundle: ScenarioBundle, namespace: string): Promise<string[]> {
  return applyInto(kube, bundle.broken, namespace, bundle.scenario.id);
}

export async function applySolution(kube: Kube, bundle: ScenarioBundle, namespace: string): Promise<string[]> {
  await requireDeployed(kube, bundle, namespace);
  return applyInto(kube, bundle.solution, namespace, bundle.scenario.id);
}

export async function requireDeployed(kube: Kube, bundle: ScenarioBundle, namespace: string): Promise<void> {
  const deployment = await kube.getDeployment(namespace, bundle.scenario.workload.deployment);
  if (!deployment) {
    throw new LabError(
      `scenario ${bundle.scenario.id} is not deployed (no deployment ${bundle.scenario.workload.deployment} in namespace ${namespace})`,
      'not-deployed',
      `Start it first: crashlab start ${bundle.scenario.id}`,
    );
  }
}

/** The scenario's pods, newest first; pods being deleted last. */
export async function scenarioPods(kube: Kube, scenarioId: string, namespace: string): Promise<Pod[]> {
  const pods = await kube.getPods(namespace, `${SCENARIO_LABEL}=${scenarioId}`);
  return sortPods(pods);
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

export async function scenarioStatus(kube: Kube, bundle: ScenarioBundle, namespace: string, nowMs: number): Promise<ScenarioStatus> {
  await requireDeployed(kube, bundle, namespace);
  const { scenario } = bundle;
  const pods = await scenarioPods(kube, scenario.id, namespace);
  const events = await kube.getEvents(namespace);
  const status: ScenarioStatus = {
    scenario: scenario.id,
    namespace,
    pods: pods.map((pod) => summarizePod(pod, nowMs)),
    events,
  };
  const newest = pods[0];
  if (!newest) return status;
  const container = scenario.expect.container;
  const restarted = [...(newest.status?.containerStatuses ?? []), ...(newest.status?.initContainerStatuses ?? [])].some((c) => c.name === container && c.restartCount > 0);
  const previousLog = scenario.expect.previousLog && restarted ? await kube.logs(namespace, newest.metadata.name, container, { previous: true, tail: 50 }) : undefined;
  const signature = observeSignature(newest, container, events, previousLog, kubectlStatus(newest));
  const match = matchSignature(scenario.expect, signature);
  return { ...status, signature, matchesExpected: match.matches, checks: match.checks };
}

/** Deletes the scenario namespace, only if crashlab created it. */
export async function resetScenario(kube: Kube, namespace: string, options: { wait?: boolean } = {}): Promise<'deleted' | 'absent' | 'refused'> {
  return kube.deleteManagedNamespace(namespace, { wait: options.wait });
}
