/**
 * The cause map: the guide's 20 categories plus four the lab needs (image-pull is not a crash
 * loop but is confused with one; admission-refused pods were never created, so no node or
 * container is at fault; healthy and unknown are verdicts, not causes).
 * Ids are stable: they appear in JSON output and in scenario files.
 */
import type { Text } from './text.js';

export const CATEGORY_IDS = [
  'app-exception',
  'bad-command',
  'missing-config',
  'config-path-permission',
  'port-conflict',
  'dependency-not-ready',
  'liveness-misfire',
  'readiness-failure',
  'oom-killed',
  'cpu-throttling',
  'read-only-fs',
  'security-context',
  'image-entrypoint',
  'init-container',
  'sidecar-dependency',
  'node-resources',
  'runtime-issue',
  'time-tls',
  'lock-contention',
  'probe-misconfig',
  'image-pull',
  'admission-refused',
  'healthy',
  'unknown',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export interface Category {
  id: CategoryId;
  /** Position in the guide's map (1-20); absent for the lab's own additions. */
  guideNumber?: number;
  title: Text;
  /** Typical log line or symptom, as the guide's map lists it (corrected where the guide is wrong). */
  symptom: Text;
  /** What to do next, first step first. */
  nextSteps: Text[];
}

const t = (en: string, ko: string): Text => ({ en, ko });

export const CATEGORIES: readonly Category[] = [
  {
    id: 'app-exception',
    guideNumber: 1,
    title: t('Application runtime exception', '앱 런타임 예외'),
    symptom: t('Stack trace or uncaught exception in logs --previous, exit code 1', 'logs --previous에 스택 트레이스/uncaught exception, 종료 코드 1'),
    nextSteps: [
      t('Read `kubectl logs <pod> --previous`: the last lines before the exit name the error', '`kubectl logs <pod> --previous`의 마지막 줄에서 오류를 확인'),
      t('Fix the code or the configuration it reads; check injected dependencies', '코드나 읽어 들이는 설정을 고치고, 주입된 의존성을 확인'),
    ],
  },
  {
    id: 'bad-command',
    guideNumber: 2,
    title: t('Wrong command/args', '잘못된 command/args'),
    symptom: t('StartError exit 128 "no such file or directory" (no logs), or exit 127 "not found" via sh -c', 'StartError 종료 코드 128 "no such file or directory"(로그 없음), sh -c를 거치면 127 "not found"'),
    nextSteps: [
      t('Compare `command`/`args` with the image ENTRYPOINT/CMD and the files that exist in the image', '`command`/`args`를 이미지 ENTRYPOINT/CMD와 이미지에 실제로 있는 파일과 비교'),
      t('Check the path with a debug copy: `kubectl debug <pod> --copy-to=<pod>-dbg --container=<c> -- sh`', '디버그 복제본으로 경로 확인: `kubectl debug <pod> --copy-to=<pod>-dbg --container=<c> -- sh`'),
    ],
  },
  {
    id: 'missing-config',
    guideNumber: 3,
    title: t('Missing env var / Secret / ConfigMap', '환경 변수/Secret/ConfigMap 누락'),
    symptom: t('CreateContainerConfigError "couldn\'t find key ..." (no restarts, no logs), or the app exits complaining about a missing setting', 'CreateContainerConfigError "couldn\'t find key ..."(재시작 0, 로그 없음), 또는 앱이 설정 누락을 말하며 종료'),
    nextSteps: [
      t('Check that the referenced Secret/ConfigMap exists and has exactly that key: `kubectl get secret <name> -o jsonpath=\'{.data}\'`', '참조한 Secret/ConfigMap이 있고 키 이름이 정확히 같은지 확인: `kubectl get secret <name> -o jsonpath=\'{.data}\'`'),
      t('Fix the key name in the workload or add the key; env from a Secret is read only when the container starts', '워크로드의 키 이름을 고치거나 키를 추가. Secret에서 온 환경 변수는 컨테이너 시작 때만 읽힘'),
    ],
  },
  {
    id: 'config-path-permission',
    guideNumber: 4,
    title: t('Config file path / permissions', 'Config 파일 경로/권한'),
    symptom: t('"permission denied" or "no such file or directory" for a config file', '설정 파일에 대한 "permission denied" 또는 "no such file or directory"'),
    nextSteps: [
      t('Compare the volume mountPath with the path the app opens', 'volume의 mountPath와 앱이 여는 경로를 비교'),
      t('Check file mode (defaultMode) and the user the container runs as', '파일 모드(defaultMode)와 컨테이너 실행 사용자 확인'),
    ],
  },
  {
    id: 'port-conflict',
    guideNumber: 5,
    title: t('Port binding failure', '포트 바인딩 실패'),
    symptom: t('"address already in use" (another container in the pod, or hostNetwork)', '"address already in use"(파드 내 다른 컨테이너 또는 hostNetwork)'),
    nextSteps: [
      t('Containers in a pod share one network namespace: two listeners on one port collide', '파드의 컨테이너는 네트워크 네임스페이스를 공유: 같은 포트에 두 리스너는 충돌'),
      t('Change the port and keep containerPort, probes and Service targetPort consistent', '포트를 바꾸고 containerPort, 프로브, Service targetPort를 일치'),
    ],
  },
  {
    id: 'dependency-not-ready',
    guideNumber: 6,
    title: t('Database / external dependency not ready', 'DB/외부 의존 지연'),
    symptom: t('"connection refused" or timeouts to a dependency right at boot', '시작 직후 의존 서비스로 "connection refused" 또는 타임아웃'),
    nextSteps: [
      t('Make the app retry with back-off instead of exiting', '앱이 종료하지 말고 백오프로 재시도하게'),
      t('Use a startupProbe so the app has time; do not make liveness depend on the dependency', 'startupProbe로 시간을 주고, liveness가 의존 서비스에 기대지 않게'),
    ],
  },
  {
    id: 'liveness-misfire',
    guideNumber: 7,
    title: t('Liveness probe kills a healthy but slow app', 'Liveness 오탐(느린 앱을 kill)'),
    symptom: t('Events Unhealthy "Liveness probe failed" then Killing; exit 137 after the grace period or 0/143 if the app handles SIGTERM', 'Unhealthy "Liveness probe failed" 다음 Killing 이벤트. 유예 시간 후 137, SIGTERM을 처리하면 0/143'),
    nextSteps: [
      t('Measure how long the app takes to start (logs --timestamps)', '앱 시작 시간을 측정(logs --timestamps)'),
      t('Add a startupProbe sized to the real start time; keep the liveness probe', '실제 시작 시간에 맞춘 startupProbe를 추가하고 liveness는 유지'),
    ],
  },
  {
    id: 'readiness-failure',
    guideNumber: 8,
    title: t('Readiness failure: running but not serving', 'Readiness 실패로 트래픽 없음'),
    symptom: t('Pod Running, READY 0/1, Unhealthy "Readiness probe failed", no restarts', '파드 Running, READY 0/1, Unhealthy "Readiness probe failed", 재시작 없음'),
    nextSteps: [
      t('Check what the readiness endpoint needs and whether that holds', 'readiness 엔드포인트의 조건과 그 조건이 성립하는지 확인'),
      t('Adjust the readiness criteria to "can accept traffic"', 'readiness 기준을 "트래픽 수용 가능"에 맞게 조정'),
    ],
  },
  {
    id: 'oom-killed',
    guideNumber: 9,
    title: t('OOMKilled: memory limit exceeded', 'OOMKilled: 메모리 limit 초과'),
    symptom: t('lastState.terminated.reason OOMKilled, exit 137; only a BackOff event (no OOM event on the pod)', 'lastState.terminated.reason OOMKilled, 종료 코드 137. 파드 이벤트는 BackOff뿐(OOM 이벤트 없음)'),
    nextSteps: [
      t('Confirm: `kubectl get pod <pod> -o jsonpath=\'{.status.containerStatuses[*].lastState.terminated.reason}\'`', '확인: `kubectl get pod <pod> -o jsonpath=\'{.status.containerStatuses[*].lastState.terminated.reason}\'`'),
      t('Measure peak memory, then set limits.memory above it with headroom (keep a limit)', '최대 사용량을 측정하고 여유를 두어 limits.memory를 설정(limit은 유지)'),
    ],
  },
  {
    id: 'cpu-throttling',
    guideNumber: 10,
    title: t('Heavy CPU throttling', 'CPU Throttling 과다'),
    symptom: t('Slow start under a low CPU limit, then probe failures', '낮은 CPU limit에서 느린 시작, 이어서 프로브 실패'),
    nextSteps: [
      t('Raise requests.cpu realistically; do not set limits.cpu too low', 'requests.cpu를 현실적으로 올리고 limits.cpu를 너무 낮게 두지 않기'),
      t('Give slow starts a startupProbe', '느린 시작에는 startupProbe'),
    ],
  },
  {
    id: 'read-only-fs',
    guideNumber: 11,
    title: t('Read-only root filesystem', '파일시스템 read-only'),
    symptom: t('"Read-only file system" (EROFS) in logs; exit code is the app\'s, reason Error, no event', '로그에 "Read-only file system"(EROFS). 종료 코드는 앱의 것, reason Error, 이벤트 없음'),
    nextSteps: [
      t('Find the path the app writes to in logs --previous', 'logs --previous에서 앱이 쓰는 경로를 찾기'),
      t('Mount an emptyDir (or PVC) at that path and keep readOnlyRootFilesystem: true', '그 경로에 emptyDir(또는 PVC)을 마운트하고 readOnlyRootFilesystem: true는 유지'),
    ],
  },
  {
    id: 'security-context',
    guideNumber: 12,
    title: t('Privileges / security context', '권한상승/보안컨텍스트'),
    symptom: t('"Operation not permitted", or CreateContainerConfigError "container has runAsNonRoot and image will run as root"', '"Operation not permitted", 또는 CreateContainerConfigError "container has runAsNonRoot and image will run as root"'),
    nextSteps: [
      t('Run as a non-root user explicitly (runAsUser) instead of dropping runAsNonRoot', 'runAsNonRoot를 지우지 말고 runAsUser로 비root 사용자를 명시'),
      t('Add only the capabilities the app needs; keep allowPrivilegeEscalation: false', '필요한 capability만 추가하고 allowPrivilegeEscalation: false 유지'),
    ],
  },
  {
    id: 'image-entrypoint',
    guideNumber: 13,
    title: t('Image / entrypoint build problem', '이미지/엔트리포인트 빌드 문제'),
    symptom: t('"no main manifest attribute", "Cannot find module", args written for another image\'s ENTRYPOINT', '"no main manifest attribute", "Cannot find module", 다른 이미지의 ENTRYPOINT를 전제로 쓴 args'),
    nextSteps: [
      t('Compare command/args with the image ENTRYPOINT/CMD and the files in the image', 'command/args를 이미지의 ENTRYPOINT/CMD와 이미지 안의 파일과 비교'),
      t('Fix ENTRYPOINT/CMD in the Dockerfile and rebuild', 'Dockerfile의 ENTRYPOINT/CMD를 고쳐 다시 빌드'),
    ],
  },
  {
    id: 'init-container',
    guideNumber: 14,
    title: t('Init container failure', 'InitContainer 실패'),
    symptom: t('STATUS Init:Error / Init:CrashLoopBackOff; the main container waits in PodInitializing', 'STATUS Init:Error / Init:CrashLoopBackOff, 메인 컨테이너는 PodInitializing 대기'),
    nextSteps: [
      t('Read the init container logs: `kubectl logs <pod> -c <init>`', 'init 컨테이너 로그 확인: `kubectl logs <pod> -c <init>`'),
      t('Fix its command, permissions or mounts', '명령/권한/마운트 수정'),
    ],
  },
  {
    id: 'sidecar-dependency',
    guideNumber: 15,
    title: t('Sidecar dependency', '사이드카 종속성'),
    symptom: t('The app starts before its sidecar is ready and exits', '앱이 사이드카 준비 전에 시작해 종료'),
    nextSteps: [
      t('Use a native sidecar (initContainer with restartPolicy: Always) with a startupProbe', 'restartPolicy: Always인 initContainer(네이티브 사이드카)와 startupProbe 사용'),
      t('Or make the app wait/retry for the sidecar', '또는 앱이 사이드카를 기다리거나 재시도하게'),
    ],
  },
  {
    id: 'node-resources',
    guideNumber: 16,
    title: t('Node resources / disk', 'Node 리소스/디스크'),
    symptom: t('"no space left on device", evictions, DiskPressure', '"no space left on device", 축출, DiskPressure'),
    nextSteps: [
      t('Check node conditions: `kubectl describe node`', '노드 상태 확인: `kubectl describe node`'),
      t('Rotate logs, bound emptyDir with sizeLimit', '로그 로테이션, emptyDir에 sizeLimit'),
    ],
  },
  {
    id: 'runtime-issue',
    guideNumber: 17,
    title: t('Kernel / container runtime issue', '커널/런타임 이슈'),
    symptom: t('"exec format error" (an image for another CPU architecture: the kernel refuses the binary), RunContainerError / StartError that is not about the command, containerd errors', '"exec format error"(다른 CPU 아키텍처용 이미지: 커널이 바이너리를 거부), 명령과 무관한 RunContainerError / StartError, containerd 오류'),
    nextSteps: [
      t('Compare the node architecture (`kubectl get node -o jsonpath={.items[*].status.nodeInfo.architecture}`) with the image\'s platform; use a multi-arch tag, not one platform\'s digest', '노드 아키텍처(`kubectl get node -o jsonpath={.items[*].status.nodeInfo.architecture}`)와 이미지 플랫폼을 비교. 한 플랫폼의 digest 대신 멀티 아키텍처 태그 사용'),
      t('Read the event and the termination message in full', '이벤트와 종료 메시지를 끝까지 읽기'),
      t('Check the node: `journalctl -u kubelet`, containerd logs', '노드 확인: `journalctl -u kubelet`, containerd 로그'),
    ],
  },
  {
    id: 'time-tls',
    guideNumber: 18,
    title: t('Clock / TLS / certificates', '시간/TLS/인증서'),
    symptom: t('"x509: certificate has expired or is not yet valid", signature errors', '"x509: certificate has expired or is not yet valid", 서명 오류'),
    nextSteps: [
      t('Check node time sync and the certificate validity dates', '노드 시간 동기화와 인증서 유효 기간 확인'),
      t('Check the CA bundle the app trusts', '앱이 신뢰하는 CA 번들 확인'),
    ],
  },
  {
    id: 'lock-contention',
    guideNumber: 19,
    title: t('Contention / locks', '경합/락'),
    symptom: t('"database is locked", lock files left by a previous instance', '"database is locked", 이전 인스턴스가 남긴 락 파일'),
    nextSteps: [
      t('Retry with back-off instead of exiting', '종료하지 말고 백오프로 재시도'),
      t('Check for two replicas sharing one volume or a stale lock file', '두 레플리카가 한 볼륨을 공유하거나 오래된 락 파일이 있는지 확인'),
    ],
  },
  {
    id: 'probe-misconfig',
    guideNumber: 20,
    title: t('Wrong probe path / port / format', '잘못된 프로브 경로/포트/형식'),
    symptom: t('Probe failed: HTTP statuscode 404/500, wrong port (connection refused), timeout', '프로브 실패: HTTP statuscode 404/500, 잘못된 포트(connection refused), 타임아웃'),
    nextSteps: [
      t('Test the endpoint from inside: `kubectl exec` or a debug copy with wget', '내부에서 엔드포인트 시험: `kubectl exec` 또는 디버그 복제본에서 wget'),
      t('Fix the path/port/scheme in the probe to what the app serves', '프로브의 경로/포트/스킴을 앱이 실제로 제공하는 것으로 수정'),
    ],
  },
  {
    id: 'image-pull',
    title: t('Image pull failure (not a crash loop)', '이미지 풀 실패(크래시 루프 아님)'),
    symptom: t('ErrImagePull / ImagePullBackOff: the container never started', 'ErrImagePull / ImagePullBackOff: 컨테이너가 시작조차 안 됨'),
    nextSteps: [
      t('Check the image name and tag, registry access and imagePullSecrets', '이미지 이름/태그, 레지스트리 접근, imagePullSecrets 확인'),
      t('On kind, pre-load images with `kind load docker-image`', 'kind에서는 `kind load docker-image`로 미리 적재'),
    ],
  },
  {
    id: 'admission-refused',
    title: t('Pods refused at admission (quota, LimitRange, Pod Security, webhook)', '파드 생성 거부(쿼터, LimitRange, Pod Security, 웹훅)'),
    symptom: t(
      'Fewer pods than desired, or none at all: FailedCreate events and a ReplicaFailure condition on the ReplicaSet ("exceeded quota", "violates PodSecurity", "denied the request")',
      '원하는 수보다 파드가 적거나 아예 없음: ReplicaSet의 FailedCreate 이벤트와 ReplicaFailure 조건("exceeded quota", "violates PodSecurity", "denied the request")',
    ),
    nextSteps: [
      t('Read the refusal on the controller: `kubectl describe rs -l <selector>` (or the StatefulSet, DaemonSet, Job) → Events: FailedCreate', '컨트롤러에서 거부 사유 읽기: `kubectl describe rs -l <selector>`(또는 StatefulSet, DaemonSet, Job) → Events: FailedCreate'),
      t('Fix the pod template to fit the namespace policy (requests/limits, securityContext), or ask for the quota to change', '네임스페이스 정책에 맞게 pod template을 고치거나(requests/limits, securityContext) 쿼터 변경을 요청'),
    ],
  },
  {
    id: 'healthy',
    title: t('Healthy', '정상'),
    symptom: t('Running, Ready, restart count flat', 'Running, Ready, 재시작 횟수 변화 없음'),
    nextSteps: [t('Prove it over time: `crashlab verify`', '시간을 두고 증명: `crashlab verify`')],
  },
  {
    id: 'unknown',
    title: t('Unknown', '알 수 없음'),
    symptom: t('No known signature matched', '알려진 시그니처와 일치하지 않음'),
    nextSteps: [
      t('Run the 60-second routine: describe, logs --previous, events', '60초 루틴 실행: describe, logs --previous, events'),
    ],
  },
];

const byId = new Map(CATEGORIES.map((c) => [c.id, c]));

export function category(id: CategoryId): Category {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown category ${id}`);
  return found;
}

export function isCategoryId(value: string): value is CategoryId {
  return byId.has(value as CategoryId);
}
