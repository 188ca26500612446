/**
 * Why the API server refused to create a pod, from the message a controller quotes in its
 * FailedCreate event or ReplicaFailure condition. The wording comes from the admission plugins
 * themselves (k8s.io/apiserver ResourceQuota, LimitRanger, PodSecurity, the webhook dispatcher,
 * ServiceAccount), prefixed by the controller: `Error creating: pods "api-7d9f-" is forbidden:
 * …` (ReplicaSet, DaemonSet, Job) or `create Pod db-0 in StatefulSet db failed error: …`.
 * Pure; shared by diagnosis (controller findings) and verify (a rollout that cannot create pods).
 */
import type { Text } from '../text.js';

export type RefusalKind = 'quota' | 'quota-unspecified' | 'limit-range' | 'pod-security' | 'webhook' | 'service-account' | 'other';

export interface Refusal {
  kind: RefusalKind;
  /** The plugin's own words, without the controller's prefix, on one line. */
  reason: string;
  /** What was refused and why, in words. */
  summary: Text;
  /** The object to look at next, first; then the fix. */
  next: Text[];
}

const t = (en: string, ko: string): Text => ({ en, ko });

/** The admission plugin's words: the controller's prefix and `pods "x" is forbidden:` dropped. */
export function refusalReason(message: string): string {
  return message
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^Error creating:\s*/i, '')
    .replace(/^create Pod \S+ in \S+ \S+ failed error:\s*/i, '')
    .replace(/^pods? "[^"]*" is forbidden:\s*/i, '')
    .trim();
}

/** True when a FailedCreate message is an admission refusal (as opposed to, say, a timeout). */
export function isRefusal(message: string): boolean {
  return /is forbidden|exceeded quota|failed quota|violates PodSecurity|denied the request|failed calling webhook|service ?account|usage per (Container|Pod)|security context constraint|pod security polic/i.test(message);
}

export function classifyRefusal(message: string, namespace = '<namespace>'): Refusal {
  const reason = refusalReason(message);
  const ns = `-n ${namespace}`;
  let m: RegExpExecArray | null;
  if ((m = /exceeded quota: ([^,\s]+)(?:, requested: ([^,]+(?:,[^:,]+=[^,]+)*), used: ([^,]+(?:,[^:,]+=[^,]+)*), limited: (.+))?/i.exec(reason))) {
    const [, quota, requested, used, limited] = m;
    const detail = requested ? ` (requested ${requested.trim()}, used ${used?.trim()}, limit ${limited?.trim()})` : '';
    return {
      kind: 'quota',
      reason,
      summary: t(
        `ResourceQuota ${quota} refuses the pod: the namespace would exceed its quota${detail}. No pod is created, so no node or container is at fault.`,
        `ResourceQuota ${quota}가 파드를 거부합니다: 네임스페이스 쿼터를 넘게 됩니다${detail}. 파드가 만들어지지 않으므로 노드나 컨테이너 문제가 아닙니다.`,
      ),
      next: [
        t(`Look at the quota: \`kubectl describe resourcequota ${quota} ${ns}\` (Used vs Hard)`, `쿼터 확인: \`kubectl describe resourcequota ${quota} ${ns}\` (Used와 Hard 비교)`),
        t('Lower the requests/limits (or replicas) to fit, or free what other workloads use; a rolling update needs room for the surge pod too', 'requests/limits(또는 replicas)를 줄이거나 다른 워크로드의 사용량을 줄이기. 롤링 업데이트는 추가(surge) 파드 몫도 필요'),
      ],
    };
  }
  if ((m = /failed quota: ([^:\s]+): must specify (.+)/i.exec(reason))) {
    const [, quota, what] = m;
    return {
      kind: 'quota-unspecified',
      reason,
      summary: t(
        `ResourceQuota ${quota} covers ${what.trim()}, so every pod must set them, and this one does not: the pod is refused before it exists.`,
        `ResourceQuota ${quota}가 ${what.trim()}를 관리하므로 모든 파드가 이를 지정해야 하는데 이 파드는 지정하지 않았습니다: 파드가 생기기 전에 거부됩니다.`,
      ),
      next: [
        t(`See what the quota covers: \`kubectl describe resourcequota ${quota} ${ns}\``, `쿼터가 관리하는 항목 확인: \`kubectl describe resourcequota ${quota} ${ns}\``),
        t('Set resources.requests and resources.limits on every container (init containers too), or add a LimitRange with defaults', '모든 컨테이너(init 포함)에 resources.requests/limits를 지정하거나 기본값을 주는 LimitRange 추가'),
      ],
    };
  }
  if ((m = /(maximum|minimum) (\w+(?:-\w+)?) usage per (Container|Pod|PersistentVolumeClaim) is (\S+), but (limit|request) is (\S+?)[.,\]]?(?:\s|$)/i.exec(reason)) || /max limit to request ratio per/i.test(reason)) {
    const what = m ? `${m[1]} ${m[2]} per ${m[3]} is ${m[4]}, the pod's ${m[5]} is ${m[6]}` : 'the limit-to-request ratio is too high';
    return {
      kind: 'limit-range',
      reason,
      summary: t(`A LimitRange refuses the pod: ${what}. No pod is created.`, `LimitRange가 파드를 거부합니다: ${what}. 파드가 만들어지지 않습니다.`),
      next: [
        t(`Look at the bounds: \`kubectl describe limitrange ${ns}\``, `범위 확인: \`kubectl describe limitrange ${ns}\``),
        t('Bring the container\'s requests/limits inside them (a fix that doubles memory may cross the maximum)', '컨테이너 requests/limits를 범위 안으로 (메모리를 두 배로 늘린 수정은 최대치를 넘을 수 있음)'),
      ],
    };
  }
  if ((m = /violates PodSecurity "([^"]+)": (.+)/i.exec(reason))) {
    const [, level, what] = m;
    return {
      kind: 'pod-security',
      reason,
      summary: t(
        `Pod Security admission refuses the pod: the namespace enforces "${level}" and the pod template breaks it: ${what.trim()}. No pod is created.`,
        `Pod Security admission이 파드를 거부합니다: 네임스페이스가 "${level}"을 강제하는데 pod template이 이를 어깁니다: ${what.trim()}. 파드가 만들어지지 않습니다.`,
      ),
      next: [
        t(`See the enforced level: \`kubectl get namespace ${namespace} --show-labels\` (pod-security.kubernetes.io/enforce)`, `강제 수준 확인: \`kubectl get namespace ${namespace} --show-labels\` (pod-security.kubernetes.io/enforce)`),
        t('Remove what the level forbids from the pod template (privileged, hostPath, hostNetwork, added capabilities...); the fix must work without it', 'pod template에서 그 수준이 금지하는 것(privileged, hostPath, hostNetwork, 추가 capability 등)을 빼기. 수정은 그것 없이 동작해야 함'),
      ],
    };
  }
  if ((m = /admission webhook "([^"]+)" denied the request:?\s*(.*)/i.exec(reason)) || (m = /failed calling webhook "([^"]+)":?\s*(.*)/i.exec(reason))) {
    const [, hook, what] = m;
    const unreachable = /failed calling webhook/i.test(reason);
    return {
      kind: 'webhook',
      reason,
      summary: unreachable
        ? t(`Admission webhook ${hook} cannot be reached, and it fails closed: every pod is refused (${what.trim() || 'no answer'}).`, `어드미션 웹훅 ${hook}에 연결할 수 없고 실패 시 거부(fail closed)하므로 모든 파드가 거부됩니다 (${what.trim() || '응답 없음'}).`)
        : t(`Admission webhook ${hook} denies the pod: ${what.trim() || 'no reason given'}.`, `어드미션 웹훅 ${hook}가 파드를 거부합니다: ${what.trim() || '이유 없음'}.`),
      next: [
        t(`Find the policy: \`kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\` and the policy named in the message`, `정책 찾기: \`kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\`와 메시지에 나온 정책`),
        unreachable
          ? t('Check the webhook\'s Service and pods (it must be up before the pods it admits)', '웹훅의 Service와 파드 확인(웹훅이 먼저 떠 있어야 함)')
          : t('Change the pod template to satisfy the policy', '정책을 만족하도록 pod template 수정'),
      ],
    };
  }
  if ((m = /serviceaccounts? "([^"]+)" not found/i.exec(reason)) || (m = /error looking up service account \S+?\/(\S+?):/i.exec(reason))) {
    const sa = m[1];
    return {
      kind: 'service-account',
      reason,
      summary: t(`ServiceAccount "${sa}" does not exist in the namespace: the pod that names it is refused.`, `ServiceAccount "${sa}"가 네임스페이스에 없습니다: 그것을 지정한 파드가 거부됩니다.`),
      next: [
        t(`Check it: \`kubectl get serviceaccount ${sa} ${ns}\``, `확인: \`kubectl get serviceaccount ${sa} ${ns}\``),
        t('Create the ServiceAccount, or fix serviceAccountName in the pod template', 'ServiceAccount를 만들거나 pod template의 serviceAccountName 수정'),
      ],
    };
  }
  return {
    kind: 'other',
    reason,
    summary: t(`The API server refuses to create the pod: ${reason}`, `API 서버가 파드 생성을 거부합니다: ${reason}`),
    next: [t('Read the FailedCreate event in full: `kubectl describe` the controller (ReplicaSet, StatefulSet, DaemonSet, Job)', 'FailedCreate 이벤트 전체 읽기: 컨트롤러(ReplicaSet, StatefulSet, DaemonSet, Job)를 `kubectl describe`')],
  };
}
