/**
 * The diagnosis engine: from a pod (or a List of pods) as `kubectl get -o json` prints it, its
 * events and optionally the previous log of its containers, to findings — a cause category
 * with confidence, the evidence it rests on, and next steps. Pure; works on any pod, not only
 * the lab's scenarios.
 */
import { category, type CategoryId } from './categories.js';
import type { Container, ContainerStatus, K8sObject, KubeEvent, List, Pod } from './k8s.js';
import type { Text } from './text.js';
import { byTime, eventContainer, eventLine, eventsForPod, terminatedLine } from './diagnose/evidence.js';
import { schedulingReason } from './diagnose/scheduling.js';
import { classifyContainer, type Confidence, type Severity, type ContainerVerdict } from './diagnose/container.js';

export type { Confidence, Severity };

export interface Finding {
  pod: string;
  namespace?: string;
  /** The container the finding is about; empty for a pod-level finding (scheduling, eviction, healthy pod with several containers it names them joined by ","). */
  container: string;
  category: CategoryId;
  confidence: Confidence;
  severity: Severity;
  summary: Text;
  /** Exact field values, event lines and log lines, most telling first. */
  evidence: string[];
  nextSteps: Text[];
  /** Where the Korean field guide would mislead a learner on this signature. */
  guideNote?: Text;
}

export interface Diagnosis {
  findings: Finding[];
}

export interface DiagnoseInput {
  pods: Pod | Pod[] | List<Pod>;
  events?: KubeEvent[] | List<KubeEvent>;
  /** Previous log text: one text for every container, or per "pod/container" (or just "container"). */
  logs?: string | Record<string, string>;
  /** PersistentVolumeClaims the pods mount (a Pending pod's unbound claim names its StorageClass). */
  claims?: K8sObject[];
}

const SEVERITY_RANK: Record<Severity, number> = { failing: 0, degraded: 1, starting: 2, ok: 3 };
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

const t = (en: string, ko: string): Text => ({ en, ko });

function asArray<T>(value: T | T[] | List<T> | undefined): T[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && Array.isArray((value as List<T>).items)) return (value as List<T>).items;
  return [value as T];
}

function logFor(logs: DiagnoseInput['logs'], pod: Pod, container: string): string | undefined {
  if (logs === undefined) return undefined;
  if (typeof logs === 'string') return logs;
  return logs[`${pod.metadata.name}/${container}`] ?? logs[container];
}

function finding(pod: Pod, container: string, verdict: ContainerVerdict): Finding {
  return {
    pod: pod.metadata.name,
    namespace: pod.metadata.namespace,
    container,
    category: verdict.category,
    confidence: verdict.confidence,
    severity: verdict.severity,
    summary: verdict.summary,
    evidence: verdict.evidence,
    nextSteps: verdict.nextSteps ?? category(verdict.category).nextSteps,
    guideNote: verdict.guideNote,
  };
}

/** Problems that belong to the pod, not a container: scheduling and eviction. */
function podLevel(pod: Pod, events: KubeEvent[], namespaceEvents: KubeEvent[], claims: K8sObject[]): ContainerVerdict | undefined {
  const status = pod.status ?? {};
  if (status.reason === 'Evicted') {
    return {
      category: 'node-resources',
      confidence: 'high',
      severity: 'failing',
      summary: t('The kubelet evicted the pod because the node ran short of a resource.', '노드 자원이 부족해 kubelet이 파드를 축출했습니다.'),
      evidence: [`status: phase=${status.phase ?? '?'} reason=Evicted message="${(status.message ?? '').trim()}"`, ...events.filter((e) => e.reason === 'Evicted').map(eventLine)],
    };
  }
  if (pod.metadata.deletionTimestamp) {
    // Containers of a pod being deleted stop because of the deletion (exit 137 when the app
    // ignores SIGTERM for the grace period); that is not a crash to diagnose.
    const warnings = events.filter((e) => e.type === 'Warning' || e.reason === 'Killing');
    return {
      category: 'unknown',
      confidence: 'low',
      severity: 'starting',
      summary: t(
        'The pod is being deleted (a rollout replaced it, or someone deleted it): its containers stop because of the deletion, not a crash. Diagnose the pod that replaces it.',
        '파드가 삭제되는 중입니다(롤아웃으로 교체됐거나 누군가 삭제함): 컨테이너는 크래시가 아니라 삭제 때문에 멈춥니다. 대신 들어선 파드를 진단하세요.',
      ),
      evidence: [
        `metadata.deletionTimestamp=${pod.metadata.deletionTimestamp} status.phase=${status.phase ?? '?'}`,
        ...(status.containerStatuses ?? []).filter((c) => c.state?.terminated).map((c) => `${c.name}: ${terminatedLine('state.terminated', c.state!.terminated!)}`),
        ...warnings.map(eventLine),
      ],
    };
  }
  const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const failedScheduling = events.filter((e) => e.reason === 'FailedScheduling');
  if (unschedulable || (failedScheduling.length && !pod.spec.nodeName)) {
    // The newest scheduler message is the current reason (an old one may name a state since fixed).
    const text = unschedulable?.message ?? failedScheduling.at(-1)?.message ?? '';
    const reason = schedulingReason(pod, text, namespaceEvents, claims);
    const evidence = [
      ...(unschedulable ? [`condition PodScheduled=False reason=Unschedulable message="${unschedulable.message ?? ''}"`] : []),
      ...failedScheduling.map(eventLine),
      ...reason.evidence,
    ];
    for (const c of pod.spec.containers) if (c.resources?.requests) evidence.push(`spec ${c.name} resources.requests=${JSON.stringify(c.resources.requests)}`);
    return {
      category: 'node-resources',
      confidence: reason.confidence,
      severity: 'failing',
      summary: reason.summary,
      evidence,
      nextSteps: reason.next,
    };
  }
  return undefined;
}

function isSidecar(spec: Container | undefined): boolean {
  return spec?.restartPolicy === 'Always';
}

function statusFor(statuses: ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  return statuses?.find((s) => s.name === name);
}

/** Findings for one pod: one per troubled container, or one `healthy` finding. */
export function diagnosePod(pod: Pod, allEvents: KubeEvent[] = [], logs?: DiagnoseInput['logs'], claims: K8sObject[] = []): Finding[] {
  const events = byTime(eventsForPod(allEvents, pod));
  const podEvents = events.filter((e) => eventContainer(e) === undefined);
  const level = podLevel(pod, events, allEvents, claims);
  if (level) return [finding(pod, '', level)];

  const findings: Finding[] = [];
  const classify = (spec: Container | undefined, status: ContainerStatus, init: boolean) =>
    classifyContainer({
      pod,
      spec,
      status,
      init,
      events: events.filter((e) => eventContainer(e) === status.name),
      podEvents,
      log: status.restartCount > 0 || status.state?.terminated || status.lastState?.terminated ? logFor(logs, pod, status.name) : undefined,
    });

  let initBlocked = false;
  for (const spec of pod.spec.initContainers ?? []) {
    const status = statusFor(pod.status?.initContainerStatuses, spec.name);
    if (!status) continue;
    const verdict = classify(spec, status, true);
    if (!verdict || (verdict.severity === 'starting' && verdict.category === 'unknown')) continue;
    if (isSidecar(spec)) {
      findings.push(finding(pod, spec.name, verdict));
      continue;
    }
    initBlocked = true;
    // A generic "the app threw" is the wrong word for a setup step: say how it exited and let
    // the quoted log line speak; a specific cause keeps its title and explanation.
    const generic = verdict.category === 'app-exception' || verdict.category === 'unknown';
    const exit = (status.state?.terminated ?? status.lastState?.terminated)?.exitCode;
    const cause = generic ? t(exit !== undefined ? `exit code ${exit}` : 'it exits', exit !== undefined ? `종료 코드 ${exit}` : '종료') : category(verdict.category).title;
    const detail = generic
      ? t('Its log (`kubectl logs <pod> -c ' + spec.name + ' --previous`) names the failing step.', '로그(`kubectl logs <pod> -c ' + spec.name + ' --previous`)에 실패한 단계가 나옵니다.')
      : verdict.summary;
    findings.push(
      finding(pod, spec.name, {
        ...verdict,
        category: 'init-container',
        // That the init container blocks the pod is certain, whatever its own cause.
        confidence: 'high',
        summary: t(
          `Init container ${spec.name} fails (${cause.en}), so the app containers wait in PodInitializing. ${detail.en}`,
          `${spec.name} init 컨테이너가 실패해(${cause.ko}) 앱 컨테이너가 PodInitializing에서 기다립니다. ${detail.ko}`,
        ),
        evidence: [...verdict.evidence, ...mainWaitingLines(pod)],
        nextSteps: undefined,
      }),
    );
  }

  for (const spec of pod.spec.containers) {
    const status = statusFor(pod.status?.containerStatuses, spec.name);
    if (!status) continue;
    if (initBlocked && status.state?.waiting?.reason === 'PodInitializing') continue;
    const verdict = classify(spec, status, false);
    if (verdict) findings.push(finding(pod, spec.name, verdict));
  }

  if (findings.length === 0) {
    const statuses = pod.status?.containerStatuses ?? [];
    if (statuses.length === 0) {
      return [
        finding(pod, '', {
          category: 'unknown',
          confidence: 'low',
          severity: 'starting',
          summary: t('No container status is reported yet; the pod may be just created.', '아직 컨테이너 상태가 보고되지 않았습니다. 파드가 막 만들어졌을 수 있습니다.'),
          evidence: [`status.phase=${pod.status?.phase ?? '(none)'}`],
        }),
      ];
    }
    const succeeded = pod.status?.phase === 'Succeeded';
    return [
      finding(pod, pod.spec.containers.map((c) => c.name).join(','), {
        category: 'healthy',
        confidence: 'high',
        severity: 'ok',
        summary: succeeded
          ? t('The pod ran to completion: every container exited 0 and its restartPolicy keeps it stopped.', '파드가 끝까지 실행됐습니다: 모든 컨테이너가 0으로 종료했고 restartPolicy에 따라 다시 시작하지 않습니다.')
          : t(
              'Every container is Running and Ready with no restarts. A single snapshot proves little: watch it over time (`crashlab verify`).',
              '모든 컨테이너가 Running, Ready이고 재시작이 없습니다. 스냅샷 하나로는 부족하니 시간을 두고 확인하세요(`crashlab verify`).',
            ),
        evidence: statuses.map((s) => `${s.name}: ${stateText(s)} ready=${s.ready} restartCount=${s.restartCount}`),
      }),
    ];
  }
  return findings;
}

function stateText(s: ContainerStatus): string {
  if (s.state?.running) return `state.running startedAt=${s.state.running.startedAt ?? '?'}`;
  if (s.state?.terminated) return `state.terminated reason=${s.state.terminated.reason ?? '(none)'} exitCode=${s.state.terminated.exitCode}`;
  return `state.waiting reason=${s.state?.waiting?.reason ?? '(none)'}`;
}

function mainWaitingLines(pod: Pod): string[] {
  return (pod.status?.containerStatuses ?? [])
    .filter((s) => s.state?.waiting?.reason === 'PodInitializing')
    .map((s) => `${s.name}: state.waiting reason=PodInitializing`);
}

/** Most important first: failing before degraded before healthy, then by confidence; otherwise input order. */
export function rankFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || CONFIDENCE_RANK[a.f.confidence] - CONFIDENCE_RANK[b.f.confidence] || a.i - b.i)
    .map(({ f }) => f);
}

export function diagnose(input: DiagnoseInput): Diagnosis {
  const pods = asArray(input.pods);
  const events = asArray(input.events);
  return { findings: rankFindings(pods.flatMap((pod) => diagnosePod(pod, events, input.logs, input.claims))) };
}
