/**
 * A Pending pod: the scheduler's reason in words, and the object to look at next. The reasons
 * are the scheduler plugins' own texts in FailedScheduling events and the PodScheduled
 * condition ("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node
 * affinity/selector. preemption: …"), read per plugin; an unbound claim adds the claim's own
 * events (ProvisioningFailed, FailedBinding) and its StorageClass.
 */
import type { K8sObject, KubeEvent, Pod } from '../k8s.js';
import type { Text } from '../text.js';
import { eventLine, eventMs } from './evidence.js';

const t = (en: string, ko: string): Text => ({ en, ko });

export interface SchedulingReason {
  /** Known reason: high; "cannot be placed" without one: medium. */
  confidence: 'high' | 'medium';
  summary: Text;
  evidence: string[];
  next?: Text[];
}

interface Claim {
  metadata: { name: string };
  spec?: { storageClassName?: string | null; volumeName?: string };
  status?: { phase?: string };
}

function claimNames(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => Boolean(n));
}

/** The part before " preemption:": what the scheduler saw; the preemption tail repeats it. */
function placementText(text: string): string {
  return text.replace(/\s*preemption:[^]*?(?=0\/\d+ nodes are available|$)/g, ' ').trim();
}

export function schedulingReason(pod: Pod, text: string, namespaceEvents: KubeEvent[], claims: K8sObject[] = []): SchedulingReason {
  const ns = pod.metadata.namespace ? ` -n ${pod.metadata.namespace}` : '';
  const seen = placementText(text);
  const evidence: string[] = [];
  const pvc = /unbound (?:immediate )?PersistentVolumeClaims|persistentvolumeclaim "([^"]+)" not found|didn't find available persistent volumes to bind|volume node affinity conflict|pod has unbound/i.exec(seen);
  if (pvc) {
    const names = pvc[1] ? [pvc[1]] : claimNames(pod);
    const name = names[0] ?? '?';
    const claim = claims.find((c) => c.metadata.name === name) as Claim | undefined;
    const claimEvents = namespaceEvents
      .filter((e) => e.involvedObject.kind === 'PersistentVolumeClaim' && names.includes(e.involvedObject.name ?? '') && e.reason !== 'WaitForFirstConsumer')
      .sort((a, b) => eventMs(b) - eventMs(a));
    const why = claimEvents[0]?.message?.trim();
    const sc = claim?.spec?.storageClassName;
    if (claim) evidence.push(`PersistentVolumeClaim/${name} status.phase=${claim.status?.phase ?? '?'} spec.storageClassName=${sc ?? '(none)'}`);
    evidence.push(...claimEvents.slice(0, 2).map((e) => `PersistentVolumeClaim/${e.involvedObject.name} ${eventLine(e)}`));
    const notFound = /persistentvolumeclaim "[^"]+" not found/i.test(seen);
    const scText = sc ? ` (StorageClass "${sc}")` : sc === null || (claim && !sc) ? ' (no StorageClass)' : '';
    return {
      confidence: 'high',
      summary: notFound
        ? t(`The pod mounts PersistentVolumeClaim "${name}", which does not exist: it stays Pending until the claim is created.`, `파드가 마운트하는 PersistentVolumeClaim "${name}"가 없습니다: 클레임이 생길 때까지 Pending에 머뭅니다.`)
        : t(
            `PersistentVolumeClaim "${name}" is not bound${scText}, so the scheduler cannot place the pod: it stays Pending.${why ? ` The claim says: ${why}` : ''}`,
            `PersistentVolumeClaim "${name}"가 바인딩되지 않아${scText} 스케줄러가 파드를 배치하지 못합니다: Pending에 머뭅니다.${why ? ` 클레임의 이벤트: ${why}` : ''}`,
          ),
      evidence,
      next: [
        t(`Look at the claim: \`kubectl describe pvc ${name}${ns}\` (Status, StorageClass, Events)`, `클레임 확인: \`kubectl describe pvc ${name}${ns}\` (Status, StorageClass, Events)`),
        t('Then its StorageClass: `kubectl get storageclass` (does it exist, is one the default, does a provisioner serve it?), or a PersistentVolume that matches the claim', '그다음 StorageClass: `kubectl get storageclass`(있는지, 기본값인지, 프로비저너가 있는지) 또는 클레임에 맞는 PersistentVolume'),
      ],
    };
  }
  const insufficient = [...seen.matchAll(/Insufficient ([\w/-]+(?:\.[\w/-]+)*)/g)].map((m) => m[1]);
  if (insufficient.length) {
    const what = [...new Set(insufficient)].join(' and ');
    return {
      confidence: 'high',
      summary: t(`No node has enough free ${what} for the pod's requests: it stays Pending and never starts.`, `파드의 requests를 만족할 ${what} 여유가 있는 노드가 없습니다: Pending에 머물고 시작하지 않습니다.`),
      evidence,
      next: [
        t('Compare the requests with what nodes can still give: `kubectl describe nodes` (Allocatable, Allocated resources)', '요청량과 노드의 남은 용량 비교: `kubectl describe nodes` (Allocatable, Allocated resources)'),
        t('Lower the requests to what the app needs, or add capacity', '요청량을 앱이 실제 필요한 만큼 줄이거나 용량 추가'),
      ],
    };
  }
  const selector = pod.spec.nodeSelector;
  if (/didn't match (?:Pod's )?node (?:affinity\/)?selector|didn't match node selector|node affinity/i.test(seen)) {
    const labels = selector ? Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ') : '';
    if (labels) evidence.push(`spec nodeSelector: ${labels}`);
    if (pod.spec.affinity?.nodeAffinity) evidence.push(`spec affinity.nodeAffinity: ${JSON.stringify(pod.spec.affinity.nodeAffinity)}`);
    const keys = selector ? Object.keys(selector).join(',') : '';
    return {
      confidence: 'high',
      summary: t(
        `No node carries the labels the pod asks for${labels ? ` (nodeSelector ${labels})` : ' (node affinity)'}: it stays Pending.`,
        `파드가 요구하는 레이블${labels ? `(nodeSelector ${labels})` : '(node affinity)'}을 가진 노드가 없습니다: Pending에 머뭅니다.`,
      ),
      evidence,
      next: [
        t(`Compare with the nodes' labels: \`kubectl get nodes${keys ? ` -L ${keys}` : ' --show-labels'}\``, `노드 레이블과 비교: \`kubectl get nodes${keys ? ` -L ${keys}` : ' --show-labels'}\``),
        t('Fix the selector (a typo, a label from another cluster) or label a node', '셀렉터를 고치거나(오타, 다른 클러스터의 레이블) 노드에 레이블 추가'),
      ],
    };
  }
  if (/anti-affinity|pod affinity rules|affinity rules/i.test(seen)) {
    return {
      confidence: 'high',
      summary: t(
        'The pod\'s required (anti-)affinity rules leave no node: with required anti-affinity, each replica needs its own node, so more replicas than matching nodes stay Pending.',
        '파드의 필수 (anti-)affinity 규칙을 만족하는 노드가 없습니다: 필수 anti-affinity에서는 레플리카마다 노드가 하나씩 필요해, 맞는 노드보다 많은 레플리카는 Pending에 머뭅니다.',
      ),
      evidence: pod.spec.affinity ? [`spec affinity: ${JSON.stringify(pod.spec.affinity)}`] : evidence,
      next: [
        t('Count nodes vs replicas: `kubectl get nodes`, and where the other replicas run: `kubectl get pods -o wide`', '노드 수와 레플리카 수 비교: `kubectl get nodes`, 다른 레플리카 위치: `kubectl get pods -o wide`'),
        t('Use preferredDuringScheduling (soft) anti-affinity or topologySpreadConstraints, or add nodes', 'preferredDuringScheduling(소프트) anti-affinity나 topologySpreadConstraints 사용, 또는 노드 추가'),
      ],
    };
  }
  const taint = /(?:untolerated taint|had taint) \{([^}]*)\}/i.exec(seen);
  if (taint) {
    return {
      confidence: 'high',
      summary: t(`Every node that could take the pod has a taint it does not tolerate ({${taint[1]}}): it stays Pending.`, `파드를 받을 수 있는 노드마다 파드가 허용(toleration)하지 않는 taint({${taint[1]}})가 있습니다: Pending에 머뭅니다.`),
      evidence: pod.spec.tolerations ? [`spec tolerations: ${JSON.stringify(pod.spec.tolerations)}`] : evidence,
      next: [
        t('See the taints: `kubectl describe nodes | grep -A2 Taints`', 'taint 확인: `kubectl describe nodes | grep -A2 Taints`'),
        t('Add a matching toleration to the pod, or remove the taint if it was left by mistake', '파드에 맞는 toleration을 추가하거나, 실수로 남은 taint라면 제거'),
      ],
    };
  }
  if (/node\(s\) were unschedulable/i.test(seen)) {
    return {
      confidence: 'high',
      summary: t('The nodes are cordoned (unschedulable): the pod stays Pending until one is uncordoned.', '노드가 cordon되어(unschedulable) 있습니다: 하나가 uncordon될 때까지 파드는 Pending에 머뭅니다.'),
      evidence,
      next: [t('`kubectl get nodes` (SchedulingDisabled), then `kubectl uncordon <node>` when the maintenance is over', '`kubectl get nodes`(SchedulingDisabled) 확인 후 유지보수가 끝났으면 `kubectl uncordon <node>`')],
    };
  }
  if (/free ports for the requested pod ports|Too many pods/i.test(seen)) {
    const ports = /free ports/i.test(seen);
    return {
      confidence: 'high',
      summary: ports
        ? t('The pod asks for a hostPort that is already taken on every node: it stays Pending.', '파드가 요청한 hostPort가 모든 노드에서 이미 쓰이고 있습니다: Pending에 머뭅니다.')
        : t('The nodes have reached their pod limit (maxPods): it stays Pending.', '노드가 최대 파드 수(maxPods)에 도달했습니다: Pending에 머뭅니다.'),
      evidence,
    };
  }
  return { confidence: 'medium', summary: t('The scheduler cannot place the pod on any node: it stays Pending.', '스케줄러가 파드를 어느 노드에도 배치하지 못합니다: Pending에 머뭅니다.'), evidence };
}
