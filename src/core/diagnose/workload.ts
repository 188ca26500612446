/**
 * A workload diagnosed whole: its pods (identical findings grouped) and its controller's side
 * (pods that were never created), ranked together. The engine's `diagnose deploy/NAME` and the
 * tests over saved objects use this one function.
 */
import { diagnose, rankFindings, type DiagnoseInput, type Finding } from '../diagnose.js';
import type { K8sObject, KubeEvent, Pod, ReplicaSet } from '../k8s.js';
import { controllerFinding, type ControllerObject } from './controller.js';
import { groupFindings } from './group.js';

export interface WorkloadInput {
  /** The Deployment, StatefulSet, DaemonSet, Job or ReplicaSet; without it only the pods are read. */
  workload?: ControllerObject;
  replicaSets?: ReplicaSet[];
  pods: Pod[];
  /** Events of the namespace. */
  events: KubeEvent[];
  logs?: DiagnoseInput['logs'];
  claims?: K8sObject[];
}

export function diagnoseWorkloadObjects(input: WorkloadInput): Finding[] {
  const { findings } = diagnose({ pods: input.pods, events: input.events, logs: input.logs, claims: input.claims });
  const controller = input.workload ? controllerFinding({ workload: input.workload, replicaSets: input.replicaSets, pods: input.pods, events: input.events }) : undefined;
  return rankFindings([...(controller ? [controller] : []), ...groupFindings(findings, input.pods.length)]);
}
