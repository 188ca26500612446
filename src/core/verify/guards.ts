/**
 * Scenario guards: what a fix must keep. A "fix" that deletes the liveness probe, makes the root
 * filesystem writable or drops the memory limit stops the crash by removing the thing under
 * test; the verifier fails it and says which guard was broken.
 */
import type { Container, PodSpec } from '../k8s.js';
import type { Guard } from '../scenario.js';
import type { Text } from '../text.js';
import { parseQuantity } from './quantity.js';

export interface GuardResult {
  guard: Guard;
  /** Short technical name, e.g. "livenessProbe on app". */
  label: string;
  ok: boolean;
  message: Text;
}

const t = (en: string, ko: string): Text => ({ en, ko });

export function guardLabel(guard: Guard): string {
  switch (guard.kind) {
    case 'probe':
      return `${guard.probe}Probe on ${guard.container}`;
    case 'readOnlyRootFilesystem':
    case 'runAsNonRoot':
      return `${guard.kind} on ${guard.container}`;
    case 'resourceLimit':
      return `${guard.resource} limit on ${guard.container}${guard.max ? ` (max ${guard.max})` : ''}`;
    case 'secretKeyRef':
      return `env ${guard.env} from Secret ${guard.secret} on ${guard.container}`;
    case 'image':
      return `image ${guard.image} on ${guard.container}`;
    case 'command':
      return `command line "${guard.line}" on ${guard.container}`;
  }
}

/** The lines of a container's command and args (each `sh -c` script split into its lines), trimmed. */
export function commandLines(container: Container): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])].flatMap((arg) => arg.split('\n').map((line) => line.trim()));
}

function findContainer(spec: PodSpec, name: string): Container | undefined {
  return [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name);
}

/** busybox:1.36, docker.io/library/busybox:1.36 and index.docker.io/library/busybox:1.36 are one image. */
function normalizeImage(image: string): string {
  return image.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

function check(guard: Guard, container: Container, spec: PodSpec): { ok: boolean; message: Text } {
  const c = container.name;
  switch (guard.kind) {
    case 'probe': {
      const present = Boolean(container[`${guard.probe}Probe`]);
      return present
        ? { ok: true, message: t(`the ${guard.probe} probe on container ${c} is still there`, `${c} 컨테이너의 ${guard.probe} 프로브가 유지되어 있습니다`) }
        : {
            ok: false,
            message: t(
              `the ${guard.probe} probe on container ${c} was removed: a fix must keep it (tune its timing instead)`,
              `${c} 컨테이너의 ${guard.probe} 프로브가 삭제되었습니다: 프로브는 남겨 두고 타이밍을 조정해야 제대로 된 수정입니다`,
            ),
          };
    }
    case 'readOnlyRootFilesystem': {
      const value = container.securityContext?.readOnlyRootFilesystem;
      return value === true
        ? { ok: true, message: t(`readOnlyRootFilesystem stays true on container ${c}`, `${c} 컨테이너의 readOnlyRootFilesystem이 true로 유지되어 있습니다`) }
        : {
            ok: false,
            message: t(
              `readOnlyRootFilesystem on container ${c} is ${value === false ? 'false' : 'no longer set'}: keep the root filesystem read-only and mount an emptyDir where the app writes`,
              `${c} 컨테이너의 readOnlyRootFilesystem이 ${value === false ? 'false로 바뀌었습니다' : '빠졌습니다'}: 루트 파일시스템은 읽기 전용으로 두고, 앱이 쓰는 경로에 emptyDir를 마운트하세요`,
            ),
          };
    }
    case 'runAsNonRoot': {
      // A container-level value overrides the pod-level one.
      const value = container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      return value === true
        ? { ok: true, message: t(`runAsNonRoot stays true for container ${c}`, `${c} 컨테이너의 runAsNonRoot가 true로 유지되어 있습니다`) }
        : {
            ok: false,
            message: t(
              `runAsNonRoot is ${value === false ? 'false' : 'no longer set'} for container ${c} (container and pod securityContext): run as a non-root user (runAsUser) instead of dropping the check`,
              `${c} 컨테이너의 runAsNonRoot가 ${value === false ? 'false입니다' : '빠졌습니다'}(컨테이너·파드 securityContext 모두 확인): 검사를 없애지 말고 runAsUser로 non-root 사용자를 지정하세요`,
            ),
          };
    }
    case 'resourceLimit': {
      const r = guard.resource;
      const limit = container.resources?.limits?.[r];
      if (limit === undefined) {
        return {
          ok: false,
          message: t(
            `the ${r} limit on container ${c} was removed: a fix must keep a limit (raise it to what the app really needs)`,
            `${c} 컨테이너의 ${r} limit이 삭제되었습니다: limit은 남겨 두고 앱에 실제로 필요한 만큼 조정하세요`,
          ),
        };
      }
      const value = parseQuantity(limit);
      if (value === undefined) {
        return { ok: false, message: t(`the ${r} limit on container ${c} ("${limit}") is not a valid quantity`, `${c} 컨테이너의 ${r} limit("${limit}")이 올바른 quantity가 아닙니다`) };
      }
      if (guard.max !== undefined) {
        const max = parseQuantity(guard.max);
        if (max === undefined) {
          return { ok: false, message: t(`the scenario's maximum ${r} limit "${guard.max}" is not a valid quantity`, `시나리오의 최대 ${r} limit "${guard.max}"이 올바른 quantity가 아닙니다`) };
        }
        if (value > max) {
          return {
            ok: false,
            message: t(
              `the ${r} limit on container ${c} is ${limit}, above ${guard.max}: size it to what the app needs instead of making it huge`,
              `${c} 컨테이너의 ${r} limit(${limit})이 상한 ${guard.max}보다 큽니다: 무작정 키우지 말고 앱에 필요한 만큼만 잡으세요`,
            ),
          };
        }
      }
      return { ok: true, message: t(`container ${c} keeps a ${r} limit (${limit})`, `${c} 컨테이너에 ${r} limit(${limit})이 유지되어 있습니다`) };
    }
    case 'secretKeyRef': {
      const env = container.env?.find((e) => e.name === guard.env);
      const ref = env?.valueFrom?.secretKeyRef;
      if (!ref || ref.name !== guard.secret) {
        return {
          ok: false,
          message: t(
            `env ${guard.env} on container ${c} no longer comes from Secret ${guard.secret}: keep reading it from the Secret and fix the Secret or the key name`,
            `${c} 컨테이너의 ${guard.env} 환경 변수가 더 이상 Secret ${guard.secret}에서 오지 않습니다: Secret 참조는 유지하고 Secret이나 key 이름을 고치세요`,
          ),
        };
      }
      if (ref.optional === true && !guard.allowOptional) {
        return {
          ok: false,
          message: t(
            `env ${guard.env} on container ${c} is now optional: that hides a missing key instead of fixing it`,
            `${c} 컨테이너의 ${guard.env} 환경 변수가 optional로 바뀌었습니다: key가 없는 문제를 고친 게 아니라 숨긴 것입니다`,
          ),
        };
      }
      return { ok: true, message: t(`env ${guard.env} on container ${c} still comes from Secret ${guard.secret}`, `${c} 컨테이너의 ${guard.env} 환경 변수가 여전히 Secret ${guard.secret}에서 옵니다`) };
    }
    case 'command': {
      const kept = commandLines(container).includes(guard.line.trim());
      return kept
        ? { ok: true, message: t(`container ${c} still runs ${guard.what.en} (${guard.line})`, `${c} 컨테이너가 ${guard.what.ko} 명령을 그대로 실행합니다 (${guard.line})`) }
        : {
            ok: false,
            message: t(
              `container ${c} no longer runs ${guard.what.en} (\`${guard.line}\`): a fix keeps what the workload does and changes what it needs`,
              `${c} 컨테이너에서 ${guard.what.ko} 명령이 빠졌습니다(\`${guard.line}\`): 워크로드가 하는 일은 그대로 두고, 그 일에 필요한 설정을 고쳐야 합니다`,
            ),
          };
    }
    case 'image': {
      const image = container.image ?? '';
      return normalizeImage(image) === normalizeImage(guard.image)
        ? { ok: true, message: t(`container ${c} still runs ${guard.image}`, `${c} 컨테이너가 여전히 ${guard.image} 이미지를 실행합니다`) }
        : {
            ok: false,
            message: t(
              `container ${c} runs ${image || '(no image)'} instead of ${guard.image}: fix the spec, do not swap the image`,
              `${c} 컨테이너가 ${guard.image} 이미지 대신 ${image || '(이미지 없음)'} 이미지를 실행합니다: 이미지를 바꾸지 말고 spec을 고치세요`,
            ),
          };
    }
  }
}

/** Every guard against the pod template; results in the scenario's order. */
export function evaluateGuards(guards: readonly Guard[], spec: PodSpec): GuardResult[] {
  return guards.map((guard) => {
    const label = guardLabel(guard);
    const container = findContainer(spec, guard.container);
    if (!container) {
      return {
        guard,
        label,
        ok: false,
        message: t(
          `container ${guard.container} is not in the pod template any more (renamed or removed): guard "${label}" cannot hold`,
          `pod template에 ${guard.container} 컨테이너가 없습니다(이름 변경 또는 삭제): "${label}" 조건을 지킬 수 없습니다`,
        ),
      };
    }
    return { guard, label, ...check(guard, container, spec) };
  });
}
