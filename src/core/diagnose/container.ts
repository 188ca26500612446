/**
 * Classifies one container from its status, its spec, the events about it and its previous
 * log. Rules run from the most direct evidence (the waiting reason, the termination reason and
 * exit code) to the least (log wording), so a generic log line never overrides a field value.
 */
import { withParticle } from '../text.js';
import type { Container, ContainerStateTerminated, KubeEvent, Pod } from '../k8s.js';
import { eventLine, eventMs, logLine, terminatedLine, waitingLine } from './evidence.js';
import { matchLog, SIDECAR_PROXIES, tail } from './logs.js';
import { probeVerdict } from './probeVerdict.js';
import { killedByProbe, parseProbeFailure, probeBudgetSeconds, probeOf, probeSpecLine, type ProbeFailure } from './probes.js';
import {
  GUIDE_BAD_COMMAND,
  GUIDE_EXIT_ZERO,
  GUIDE_KEYERROR,
  GUIDE_OOM_EVENT,
  GUIDE_OPTIONAL_REF,
  seconds,
  t,
  terminationOf,
  type ContainerInput,
  type ContainerVerdict,
} from './verdict.js';

export type { Confidence, ContainerInput, Severity, ContainerVerdict } from './verdict.js';

function envRefLines(spec: Container | undefined, kind: 'Secret' | 'ConfigMap', name: string, key?: string): string[] {
  const lines: string[] = [];
  for (const env of spec?.env ?? []) {
    const ref = kind === 'Secret' ? env.valueFrom?.secretKeyRef : env.valueFrom?.configMapKeyRef;
    if (ref && ref.name === name && (key === undefined || ref.key === key)) {
      lines.push(`spec env ${env.name}: ${kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef'} name=${ref.name} key=${ref.key}${ref.optional ? ' optional=true' : ''}`);
    }
  }
  for (const from of spec?.envFrom ?? []) {
    const ref = kind === 'Secret' ? from.secretRef : from.configMapRef;
    if (ref?.name === name) lines.push(`spec envFrom: ${kind === 'Secret' ? 'secretRef' : 'configMapRef'} name=${ref.name}`);
  }
  return lines;
}

/** CreateContainerConfigError: the kubelet could not build the container's config. */
function configError(input: ContainerInput, message: string, evidence: string[]): ContainerVerdict {
  const key = /couldn't find key (\S+) in (Secret|ConfigMap) ([^/\s]+)\/(\S+)/.exec(message);
  if (key) {
    const [, k, kind, ns, name] = key;
    return {
      category: 'missing-config',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `Key "${k}" is not in ${kind} ${ns}/${name}: the container is never created (RESTARTS stays ${input.status.restartCount}, no logs). Fix the key name or add the key; the kubelet retries and the same pod starts.`,
        `${kind} ${ns}/${name}에 키 "${k}"가 없습니다: 컨테이너가 생성되지 않습니다(RESTARTS ${input.status.restartCount} 유지, 로그 없음). 키 이름을 고치거나 키를 추가하면 kubelet이 재시도해 같은 파드가 시작됩니다.`,
      ),
      evidence: [...evidence, ...envRefLines(input.spec, kind as 'Secret' | 'ConfigMap', name, k)],
      guideNote: kind === 'Secret' ? GUIDE_KEYERROR : undefined,
    };
  }
  const missing = /(secret|configmap) "([^"]+)" not found/i.exec(message);
  if (missing) {
    const kind = missing[1].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
    return {
      category: 'missing-config',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `${kind} "${missing[2]}" does not exist in this namespace: the container is never created (no restarts, no logs).`,
        `${kind} "${missing[2]}"가 이 네임스페이스에 없습니다: 컨테이너가 생성되지 않습니다(재시작 없음, 로그 없음).`,
      ),
      evidence: [...evidence, ...envRefLines(input.spec, kind, missing[2])],
    };
  }
  if (/runAsNonRoot|non-numeric user/i.test(message)) {
    const sc = input.spec?.securityContext ?? input.pod.spec.securityContext;
    return {
      category: 'security-context',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        'runAsNonRoot is set but the image runs as root (or as a non-numeric user): the kubelet refuses to create the container. Set a numeric runAsUser; keep runAsNonRoot.',
        'runAsNonRoot가 설정됐는데 이미지가 root(또는 숫자가 아닌 사용자)로 실행됩니다: kubelet이 컨테이너 생성을 거부합니다. 숫자 runAsUser를 지정하고 runAsNonRoot는 유지하세요.',
      ),
      evidence: sc ? [...evidence, `spec securityContext: ${JSON.stringify(sc)}`] : evidence,
    };
  }
  return {
    category: 'missing-config',
    confidence: 'low',
    severity: 'failing',
    summary: t('The kubelet cannot build the container configuration; read the message.', 'kubelet이 컨테이너 설정을 만들지 못합니다. 메시지를 읽어 보세요.'),
    evidence,
  };
}

/** StartError / RunContainerError: the runtime could not start the process. */
function startError(message: string, evidence: string[], spec: Container | undefined): ContainerVerdict {
  const command = spec?.command ? ` command=${JSON.stringify(spec.command)}` : '';
  const args = spec?.args ? ` args=${JSON.stringify(spec.args)}` : '';
  const withSpec = command || args ? [...evidence, `spec${command}${args}`] : evidence;
  const exec = /exec: "([^"]+)"/.exec(message)?.[1];
  if (/exec format error/i.test(message)) {
    return {
      category: 'runtime-issue',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `The runtime cannot execute ${exec ?? 'the entrypoint'}: exec format error (built for another CPU architecture, or a script without a shebang).`,
        `런타임이 ${exec ? `${exec} 파일을` : '엔트리포인트를'} 실행하지 못합니다: exec format error(다른 CPU 아키텍처용 빌드 또는 셔뱅 없는 스크립트).`,
      ),
      evidence: withSpec,
    };
  }
  if (/permission denied/i.test(message) && exec) {
    return {
      category: 'image-entrypoint',
      confidence: 'high',
      severity: 'failing',
      summary: t(`${exec} exists but is not executable (permission denied): fix the file mode in the image.`, `${exec} 파일은 있지만 실행 권한이 없습니다(permission denied): 이미지의 파일 모드를 고치세요.`),
      evidence: withSpec,
    };
  }
  // Only args set and the runtime tried to execute the first of them: the args were written
  // for an image whose ENTRYPOINT names the program (args replace CMD, command replaces ENTRYPOINT).
  if (/executable file not found|no such file or directory/i.test(message) && exec && !spec?.command && spec?.args?.[0] === exec) {
    return {
      category: 'image-entrypoint',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `The pod sets only args, so the runtime tried to execute "${exec}" itself: this image has no ENTRYPOINT that takes those args. Name the program in command (it replaces ENTRYPOINT) and keep the flags in args.`,
        `파드에 args만 있어서 런타임이 "${exec}" 자체를 실행하려 했습니다: 이 이미지에는 그 args를 받을 ENTRYPOINT가 없습니다. 프로그램은 command(ENTRYPOINT를 대체)에 적고 플래그는 args에 두세요.`,
      ),
      evidence: withSpec,
    };
  }
  // A flag in command: command replaces the image's ENTRYPOINT, so the flag meant for it was
  // executed as the program (seen porting a Deployment to an image whose ENTRYPOINT is the app).
  if (/executable file not found|no such file or directory/i.test(message) && exec && exec.startsWith('-') && spec?.command?.[0] === exec) {
    return {
      category: 'image-entrypoint',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `command starts with the flag "${exec}", and command replaces the image's ENTRYPOINT, so the runtime tried to execute the flag itself. Pass flags in args (it replaces only CMD) and let the ENTRYPOINT run.`,
        `command가 플래그 "${exec}"로 시작하는데, command는 이미지의 ENTRYPOINT를 대체하므로 런타임이 플래그 자체를 실행하려 했습니다. 플래그는 args(CMD만 대체)로 넘기고 ENTRYPOINT가 실행되게 두세요.`,
      ),
      evidence: withSpec,
    };
  }
  if (/executable file not found|no such file or directory/i.test(message) && exec) {
    return {
      category: 'bad-command',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `The command "${exec}" does not exist in the image, so the process never starts (StartError, exit 128, no logs).`,
        `command의 "${exec}"가 이미지에 없어서 프로세스가 시작되지 않습니다(StartError, 종료 코드 128, 로그 없음).`,
      ),
      evidence: withSpec,
      guideNote: GUIDE_BAD_COMMAND,
    };
  }
  if (/mount|no such file or directory|not a directory/i.test(message)) {
    return {
      category: 'config-path-permission',
      confidence: 'medium',
      severity: 'failing',
      summary: t('The runtime fails while setting up a mount (subPath or path type mismatch).', '런타임이 마운트를 준비하다 실패합니다(subPath 또는 경로 타입 불일치).'),
      evidence,
    };
  }
  const known = matchLog(message);
  if (known && known.signature.specificity >= 60) {
    return { category: known.signature.category, confidence: known.signature.confidence, severity: 'failing', summary: known.signature.summary, evidence, nextSteps: known.signature.next };
  }
  return {
    category: 'runtime-issue',
    confidence: 'medium',
    severity: 'failing',
    summary: t('The container runtime failed to start the container; the message is the runtime\'s own.', '컨테이너 런타임이 컨테이너 시작에 실패했습니다. 메시지는 런타임이 남긴 것입니다.'),
    evidence,
  };
}

/** Connection refused to localhost on a port another container of the pod serves. */
function sidecarPort(pod: Pod, self: string, line: string): { container: string; port: number } | undefined {
  const match = /(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)/.exec(line);
  if (!match) return undefined;
  const port = Number(match[1]);
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const owner = all.find((c) => c.name !== self && c.ports?.some((p) => p.containerPort === port));
  return owner ? { container: owner.name, port } : undefined;
}

/** Lines of the log that name a local address with a port. */
function localPorts(log: string | undefined): string[] {
  return (log ?? '').split('\n').filter((l) => /(?:localhost|127\.0\.0\.1|\[::1\]):\d+/.test(l));
}

/** Other listeners in the pod's one network namespace (why "address already in use"). */
function sharedPorts(pod: Pod, self: string): string[] {
  return pod.spec.containers
    .filter((c) => c.name !== self && c.ports?.length)
    .map((c) => `pod network namespace is shared: container ${c.name} declares containerPort ${c.ports!.map((p) => p.containerPort).join(', ')}`);
}

/** A proxy the app's traffic goes through (mesh or database proxy), by container name or image. */
function proxySidecar(pod: Pod, self: string): string | undefined {
  const all = [...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...pod.spec.containers];
  const proxy = all.find((c) => c.name !== self && SIDECAR_PROXIES.some((p) => c.name === p || c.name.startsWith(`${p}-`) || (c.image ?? '').includes(`/${p}`) || (c.image ?? '').includes(p)));
  return proxy?.name;
}

/** The most telling line of the previous log, or of the termination message when the log says nothing. */
export function logMatch(input: ContainerInput) {
  const message = terminationOf(input.status)?.t.message;
  return matchLog(input.log) ?? (message && message !== input.log ? matchLog(message) : undefined);
}

function fromLog(input: ContainerInput, exitCode: number, evidence: string[]): (ContainerVerdict & { memory?: boolean }) | undefined {
  const match = logMatch(input);
  if (!match) return undefined;
  const ev = [...evidence, logLine(match.line)];
  const sig = match.signature;
  if (sig.category === 'dependency-not-ready') {
    // The refused line may name only the host ("can't connect to remote host (127.0.0.1)"); the
    // port is then in an earlier line of the same log.
    const sidecar =
      sidecarPort(input.pod, input.status.name, match.line) ??
      (/\b(localhost|127\.0\.0\.1|::1)\b/i.test(match.line) ? localPorts(input.log).map((l) => sidecarPort(input.pod, input.status.name, l)).find(Boolean) : undefined);
    if (sidecar) {
      return {
        category: 'sidecar-dependency',
        confidence: 'medium',
        severity: 'failing',
        summary: t(
          `The app calls localhost:${sidecar.port}, served by container ${sidecar.container} of the same pod, before it is ready, and exits.`,
          `앱이 같은 파드의 ${sidecar.container} 컨테이너가 제공하는 localhost:${withParticle(String(sidecar.port), '을/를')} 준비 전에 호출하고 종료합니다.`,
        ),
        evidence: ev,
      };
    }
    const run = terminationOf(input.status);
    const ran = seconds(run?.t.startedAt, run?.t.finishedAt);
    // A refused local address can only be served by another container of the pod; a remote one
    // goes through a mesh proxy only when the app failed right at boot.
    const local = /\b(localhost|127\.0\.0\.1|\[::1\]):\d+/i.test(match.line);
    const proxy = local || ran === undefined || ran <= 60 ? proxySidecar(input.pod, input.status.name) : undefined;
    if (proxy && !/no such host|name or service not known|ENOTFOUND|UnknownHost|name resolution|bad address|could ?n.t resolve|translate host name|does not resolve/i.test(match.line)) {
      return {
        category: 'sidecar-dependency',
        confidence: 'medium',
        severity: 'failing',
        summary: t(
          `The app's connections go through the ${proxy} sidecar, and the app connects at boot before that proxy is ready: refused, and it exits. The next start usually works.`,
          `앱의 연결은 ${proxy} 사이드카를 거치는데, 앱이 그 프록시가 준비되기 전에 시작 중 연결해 거부당하고 종료합니다. 다음 시작은 대개 성공합니다.`,
        ),
        evidence: [...ev, `spec: container ${proxy} proxies the pod's traffic (started alongside, not before, the app)`],
      };
    }
  }
  const verdict: ContainerVerdict & { memory?: boolean } = { category: sig.category, confidence: sig.confidence, severity: 'failing', summary: sig.summary, evidence: ev, nextSteps: sig.next, memory: sig.memory };
  if (sig.category === 'read-only-fs' && input.spec?.securityContext?.readOnlyRootFilesystem) {
    verdict.evidence.push('spec securityContext.readOnlyRootFilesystem=true');
  }
  if (sig.category === 'security-context' || sig.category === 'config-path-permission') {
    const sc = { ...(input.pod.spec.securityContext ?? {}), ...(input.spec?.securityContext ?? {}) };
    if (Object.keys(sc).length) verdict.evidence.push(`spec securityContext (pod+container): ${JSON.stringify(sc)}`);
  }
  if (sig.category === 'port-conflict') verdict.evidence.push(...sharedPorts(input.pod, input.status.name));
  if (sig.memory) {
    const limit = input.spec?.resources?.limits?.memory;
    verdict.summary =
      exitCode === 137
        ? t(
            `${sig.summary.en} It then died of SIGKILL (exit 137) without reason OOMKilled: memory pressure is the likely killer; measure peak usage.`,
            `${sig.summary.ko} 이어서 reason OOMKilled 없이 SIGKILL(137)로 죽었습니다: 메모리 압박이 유력하니 최대 사용량을 측정하세요.`,
          )
        : t(
            `${sig.summary.en} It exited with ${exitCode}, so this is not a cgroup OOM kill (that would be reason OOMKilled, exit 137)${limit ? `; limits.memory is ${limit}` : ''}.`,
            `${sig.summary.ko} 종료 코드가 ${exitCode}이므로 cgroup OOM kill이 아닙니다(그렇다면 reason OOMKilled, 종료 코드 137)${limit ? `. limits.memory는 ${limit}` : ''}.`,
          );
    if (limit) verdict.evidence.push(`spec resources.limits.memory=${limit}`);
  }
  if (sig.category === 'missing-config') {
    const optional = (input.spec?.env ?? []).filter((e) => e.valueFrom?.secretKeyRef?.optional || e.valueFrom?.configMapKeyRef?.optional);
    for (const e of optional) {
      const ref = e.valueFrom!.secretKeyRef ?? e.valueFrom!.configMapKeyRef!;
      verdict.evidence.push(`spec env ${e.name}: ${e.valueFrom!.secretKeyRef ? 'secretKeyRef' : 'configMapKeyRef'} name=${ref.name} key=${ref.key} optional=true (a missing key leaves the variable unset instead of blocking the start)`);
    }
    if (optional.length) verdict.guideNote = GUIDE_OPTIONAL_REF;
  }
  return verdict;
}

/**
 * A failed postStart hook: the kubelet kills the container ("Killing: FailedPostStartHook"); the
 * event says only "PostStartHook failed" and the hook's output is in no log. The hook runs beside
 * the entrypoint, not after it: one that calls the app itself (localhost) meets an app that does
 * not listen yet, a dependency not ready at boot. Any other hook failure is its command's.
 */
function postStartVerdict(input: ContainerInput, evidence: string[]): ContainerVerdict {
  const hook = input.spec?.lifecycle?.postStart;
  const command = hook?.exec?.command;
  const spec = command ? `spec lifecycle.postStart.exec.command=${JSON.stringify(command)}` : hook?.httpGet ? `spec lifecycle.postStart.httpGet=${JSON.stringify(hook.httpGet)}` : undefined;
  const callsItself = command ? /\b(?:localhost|127\.0\.0\.1)\b/.test(command.join(' ')) : hook?.httpGet !== undefined && !hook.httpGet.host;
  const steps = [
    t('Run the hook by hand to see its output: `kubectl debug POD --copy-to=dbg --container=CONTAINER -- sh`, then the hook\'s command', '훅 출력을 보려면 직접 실행: `kubectl debug POD --copy-to=dbg --container=CONTAINER -- sh` 뒤에 훅의 명령'),
  ];
  if (callsItself) {
    return {
      category: 'dependency-not-ready',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        'The postStart hook calls the app itself and fails, so the kubelet kills the container (Killing "FailedPostStartHook"). postStart runs right after the container starts, beside the entrypoint, not once the app listens: make the hook wait and retry until the app answers (or do the work in the app after it listens).',
        'postStart 훅이 앱 자신을 호출하다 실패해 kubelet이 컨테이너를 죽입니다(Killing "FailedPostStartHook"). postStart는 앱이 요청을 받기 시작한 뒤가 아니라 컨테이너가 시작되자마자 엔트리포인트와 함께 실행됩니다. 훅이 앱이 응답할 때까지 기다리며 재시도하게 하세요(또는 그 작업을 앱이 요청을 받기 시작한 뒤 앱 안에서 하세요).',
      ),
      evidence: spec ? [...evidence, spec] : evidence,
      nextSteps: steps,
    };
  }
  return {
    category: 'bad-command',
    confidence: 'medium',
    severity: 'failing',
    summary: t(
      'The postStart hook fails, so the kubelet kills the container (Killing "FailedPostStartHook"); the event does not say why and the hook\'s output is in no log. Run the hook\'s command in a debug copy: a missing program, a wrong path or an unreachable address.',
      'postStart 훅이 실패해 kubelet이 컨테이너를 죽입니다(Killing "FailedPostStartHook"). 이벤트는 이유를 말하지 않고 훅의 출력은 어느 로그에도 없습니다. 디버그 복사본에서 훅의 명령을 실행해 보세요: 없는 프로그램, 틀린 경로, 닿지 않는 주소.',
    ),
    evidence: spec ? [...evidence, spec] : evidence,
    nextSteps: steps,
  };
}

/** Classifies from the last termination when no probe or start error explains it. */
function terminated(input: ContainerInput, evidence: string[], failures: ProbeFailure[], killing: KubeEvent[]): ContainerVerdict {
  const term = terminationOf(input.status)!;
  const { exitCode, reason } = term.t;
  // Only a kill during the run that ended counts: an old probe kill (before this run started)
  // must not outweigh the current exit and its log.
  const started = term.t.startedAt && !term.t.startedAt.startsWith('1970-') ? Date.parse(term.t.startedAt) : NaN;
  // Event series are aggregated and rate-limited (lastTimestamp lags), so "old" means minutes
  // before this run started, not seconds.
  const current = (ms: number) => Number.isNaN(started) || ms === 0 || ms >= started - 300_000;
  const recentKilling = killing.filter((e) => current(eventMs(e)));
  const recentFailures = failures.filter((f) => current(eventMs(f.event)));
  let killedBy = killedByProbe(recentKilling, recentFailures);
  const told = logMatch(input);
  // A probe kill ends in SIGTERM/SIGKILL (143/137) or a clean 0; any other exit with a telling
  // log line is the app's own failure, whatever the kubelet did before.
  if (killedBy && ![0, 137, 143].includes(exitCode) && told && told.signature.specificity >= 40) killedBy = undefined;
  if (reason === 'OOMKilled') {
    const limit = input.spec?.resources?.limits?.memory;
    return {
      category: 'oom-killed',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `The container exceeded its memory limit${limit ? ` (${limit})` : ''} and the kernel killed it (OOMKilled, exit 137). Measure peak usage and raise the limit with headroom; keep a limit.`,
        `컨테이너가 메모리 limit${limit ? `(${limit})` : ''}을 넘어 커널이 죽였습니다(OOMKilled, 종료 코드 137). 최대 사용량을 재고 여유 있게 limit을 올리되 limit은 유지하세요.`,
      ),
      evidence: [...evidence, limit ? `spec resources.limits.memory=${limit}` : 'spec resources.limits.memory is not set (the node ran out of memory)'],
      guideNote: GUIDE_OOM_EVENT,
    };
  }
  if (reason === 'StartError' || (exitCode === 128 && term.t.message)) return startError(term.t.message ?? '', evidence, input.spec);
  const hookFailed = input.events.filter((e) => current(eventMs(e)) && (e.reason === 'FailedPostStartHook' || (e.reason === 'Killing' && /FailedPostStartHook/.test(e.message ?? ''))));
  if (hookFailed.length) return postStartVerdict(input, [...evidence, ...hookFailed.map(eventLine)]);
  if (killedBy && told?.signature.category === 'dependency-not-ready') {
    // The app hung on a refused local connection to a sidecar and the probe then killed it:
    // the probe kill is the consequence, the sidecar the cause.
    const logged = fromLog(input, exitCode, evidence);
    if (logged?.category === 'sidecar-dependency') return { ...logged, evidence: [...logged.evidence, ...recentKilling.map(eventLine)] };
  }
  if (killedBy) return probeVerdict(input, killedBy, recentFailures, [...evidence, ...recentKilling.map(eventLine)], true);
  if (exitCode === 127 && told && told.signature.specificity >= 80 && told.signature.category !== 'bad-command') {
    // env/the kernel also answer 127 for a missing interpreter (a CRLF shebang): the log says which.
    return fromLog(input, exitCode, evidence)!;
  }
  if (exitCode === 127) {
    const line = matchLog(input.log)?.line;
    return {
      category: 'bad-command',
      confidence: 'high',
      severity: 'failing',
      summary: t('Exit 127: the shell could not find the program the command runs.', '종료 코드 127: 셸이 실행할 프로그램을 찾지 못했습니다.'),
      evidence: [...evidence, ...(line ? [logLine(line)] : []), ...(input.spec?.command ? [`spec command=${JSON.stringify(input.spec.command)}`] : [])],
    };
  }
  if (exitCode === 126) {
    return {
      category: 'image-entrypoint',
      confidence: 'medium',
      severity: 'failing',
      summary: t('Exit 126: the program was found but cannot be executed (permissions or format).', '종료 코드 126: 프로그램은 있지만 실행할 수 없습니다(권한 또는 형식).'),
      evidence,
    };
  }
  return unexplainedExit(input, term.t, evidence);
}

/**
 * Nothing in the events says a probe killed it. Events expire after an hour and `kubectl get
 * pod -o json` alone carries none, so a probe stays a suspect when the container has one and
 * died of SIGKILL/SIGTERM, or exited 0 only after running longer than the probe's budget.
 */
function suspectProbe(input: ContainerInput, ended: ContainerStateTerminated, evidence: string[], logged: ReturnType<typeof fromLog>): ContainerVerdict | undefined {
  const { exitCode } = ended;
  const probeKind = input.spec?.livenessProbe ? 'liveness' : input.spec?.startupProbe ? 'startup' : undefined;
  const probe = probeKind ? probeOf(input.spec, probeKind) : undefined;
  const ran = seconds(ended.startedAt, ended.finishedAt);
  const signalled = exitCode === 137 || exitCode === 143;
  const cleanAfterBudget = exitCode === 0 && probe !== undefined && ran !== undefined && ran >= probeBudgetSeconds(probe);
  if (probeKind && probe && (signalled || cleanAfterBudget) && logged?.category !== 'oom-killed' && !logged?.memory) {
    const how = exitCode === 137 ? 'SIGKILL' : exitCode === 143 ? 'SIGTERM' : 'a clean exit';
    const howKo = exitCode === 137 ? 'SIGKILL' : exitCode === 143 ? 'SIGTERM' : '정상 종료';
    return {
      category: 'liveness-misfire',
      confidence: 'low',
      severity: 'failing',
      summary: t(
        `Exit ${exitCode} (${how}) without OOMKilled, and the container has a ${probeKind} probe: most likely the kubelet killed it after failed probes (a slow start, or a probe on the wrong path/port). The pod's Unhealthy/Killing events tell which; none were given, or they expired.`,
        `OOMKilled가 아닌 종료 코드 ${exitCode}(${howKo})이고 컨테이너에 ${probeKind} 프로브가 있습니다: 프로브 실패 후 kubelet이 죽였을 가능성이 큽니다(느린 시작 또는 잘못된 프로브 경로/포트). 파드의 Unhealthy/Killing 이벤트가 어느 쪽인지 알려 줍니다(주어지지 않았거나 만료됨).`,
      ),
      evidence: [
        ...evidence,
        probeSpecLine(probeKind, probe),
        ...(ran !== undefined ? [`the container ran ${Math.round(ran)}s (startedAt → finishedAt) before it stopped`] : []),
        `no Unhealthy or Killing event about container ${input.status.name} in the input`,
      ],
    };
  }
  return undefined;
}

/** The exit code and the log decide: no probe kill, no start error, no OOMKilled reason. */
function unexplainedExit(input: ContainerInput, ended: ContainerStateTerminated, evidence: string[]): ContainerVerdict {
  const { exitCode } = ended;
  const logged = fromLog(input, exitCode, evidence);
  const suspect = suspectProbe(input, ended, evidence, logged);
  if (suspect) return suspect;
  if (exitCode === 0 && (input.pod.spec.restartPolicy ?? 'Always') === 'Always') {
    return {
      category: 'bad-command',
      confidence: 'medium',
      severity: 'failing',
      summary: t(
        'The process finishes successfully (exit 0) and the kubelet restarts it because restartPolicy is Always: the command runs a one-shot task instead of a long-running server.',
        '프로세스가 정상 종료(0)하고 restartPolicy가 Always라서 kubelet이 다시 시작합니다: command가 오래 도는 서버 대신 한 번 끝나는 작업을 실행합니다.',
      ),
      evidence: [...evidence, ...tail(input.log, 2).map(logLine), ...(input.spec?.command ? [`spec command=${JSON.stringify(input.spec.command)}`] : [])],
      guideNote: GUIDE_EXIT_ZERO,
    };
  }
  if (exitCode === 137) {
    if (logged && (logged.category === 'oom-killed' || logged.memory)) return { ...logged, category: 'oom-killed', confidence: 'medium' };
    return {
      category: 'runtime-issue',
      confidence: 'low',
      severity: 'failing',
      summary: t(
        'Exit 137 (SIGKILL) without OOMKilled and without a probe kill: something outside the app killed it (a kill from the node, a preStop/grace-period timeout, or an OOM of a child process).',
        'OOMKilled도 프로브 kill도 아닌 종료 코드 137(SIGKILL): 앱 밖의 무언가가 죽였습니다(노드에서의 kill, preStop/유예 시간 초과, 자식 프로세스의 OOM).',
      ),
      evidence: [...evidence, 'no reason=OOMKilled and no Killing event for a failed probe'],
    };
  }
  if (exitCode === 139) {
    return {
      category: 'app-exception',
      confidence: 'medium',
      severity: 'failing',
      summary: t(
        'Exit 139: the process crashed with a segmentation fault (SIGSEGV): a native bug, or a binary built against another libc/architecture.',
        '종료 코드 139: 프로세스가 세그멘테이션 폴트(SIGSEGV)로 죽었습니다: 네이티브 버그이거나 다른 libc/아키텍처용 바이너리입니다.',
      ),
      evidence: [...evidence, ...tail(input.log, 2).map(logLine)],
    };
  }
  if (exitCode === 143 && !logged) {
    return {
      category: 'runtime-issue',
      confidence: 'low',
      severity: 'failing',
      summary: t(
        'Exit 143: the process was stopped with SIGTERM, but no probe kill is recorded: look for who stopped it (a deletion, a preStop hook, the app itself).',
        '종료 코드 143: SIGTERM으로 멈췄지만 프로브 kill 기록이 없습니다: 누가 멈췄는지 확인하세요(삭제, preStop 훅, 앱 자신).',
      ),
      evidence,
    };
  }
  if (logged) return logged;
  const lines = tail(input.log, 3);
  return {
    category: 'app-exception',
    confidence: lines.length ? 'medium' : 'low',
    severity: 'failing',
    summary: lines.length
      ? t(`The app exits with code ${exitCode}; its last log lines say why.`, `앱이 종료 코드 ${withParticle(String(exitCode), '으로/로')} 끝납니다. 마지막 로그 줄에 이유가 있습니다.`)
      : t(
          `The app exits with code ${exitCode}; without its previous log the cause is unknown: run \`kubectl logs <pod> -c ${input.status.name} --previous\`.`,
          `앱이 종료 코드 ${withParticle(String(exitCode), '으로/로')} 끝납니다. 이전 로그 없이는 원인을 알 수 없습니다: \`kubectl logs <pod> -c ${input.status.name} --previous\`를 실행하세요.`,
        ),
    evidence: [...evidence, ...lines.map(logLine)],
  };
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'SignatureValidationFailed']);
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** The verdict for one container, or undefined when it is healthy. */
export function classifyContainer(input: ContainerInput): ContainerVerdict | undefined {
  const { status } = input;
  const waiting = status.state?.waiting;
  const term = terminationOf(status);
  const failures = input.events.map(parseProbeFailure).filter((f): f is ProbeFailure => f !== undefined);
  const killing = input.events.filter((e) => e.reason === 'Killing');
  const evidence: string[] = [];
  if (waiting) evidence.push(waitingLine(waiting));
  if (status.state?.running) evidence.push(`state.running: startedAt=${status.state.running.startedAt ?? '?'} ready=${status.ready}`);
  if (term) evidence.push(terminatedLine(term.field, term.t));
  if (status.restartCount > 0) evidence.push(`restartCount=${status.restartCount}`);

  // A run-to-completion container that finished cleanly is done, not failing: an init
  // container, or any container of a pod whose restartPolicy is not Always.
  const runsToCompletion = input.init ? input.spec?.restartPolicy !== 'Always' : (input.pod.spec.restartPolicy ?? 'Always') !== 'Always';
  if (runsToCompletion && status.state?.terminated?.exitCode === 0) return undefined;

  if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
    const pullEvents = input.events.filter((e) => e.type === 'Warning' && e.reason === 'Failed');
    return {
      category: 'image-pull',
      confidence: 'high',
      severity: 'failing',
      summary: t(
        `The image "${input.spec?.image ?? '?'}" cannot be pulled, so the container never starts: this is not a crash loop (no restarts, no logs). Check the name, tag and registry access.`,
        `이미지 "${input.spec?.image ?? '?'}"를 받을 수 없어 컨테이너가 시작조차 못 합니다: 크래시 루프가 아닙니다(재시작 없음, 로그 없음). 이름, 태그, 레지스트리 접근을 확인하세요.`,
      ),
      evidence: [...evidence, ...pullEvents.map(eventLine)],
    };
  }
  if (waiting?.reason === 'CreateContainerConfigError') {
    return configError(input, waiting.message ?? '', [...evidence, ...input.events.filter((e) => e.reason === 'Failed').map(eventLine)]);
  }
  if (waiting?.reason === 'CreateContainerError') {
    return startError(waiting.message ?? '', evidence, input.spec);
  }
  if (waiting?.reason === 'RunContainerError') {
    return startError(waiting.message ?? term?.t.message ?? '', evidence, input.spec);
  }
  if (!term && (!waiting?.reason || STARTING.has(waiting.reason)) && !status.state?.running) {
    return startingVerdict(input, evidence);
  }
  if (term && (waiting?.reason === 'CrashLoopBackOff' || status.restartCount > 0 || status.state?.terminated)) {
    // BackOff events only confirm the loop; the cause's own evidence goes first.
    const verdict = terminated(input, evidence, failures, killing);
    // Running and Ready again with no warning about it: the past crash explains the restarts,
    // but the container is not failing right now.
    const recovered = Boolean(status.state?.running) && status.ready && !input.events.some((e) => e.type === 'Warning');
    return {
      ...verdict,
      severity: recovered ? 'degraded' : verdict.severity,
      evidence: [...verdict.evidence, ...input.events.filter((e) => e.reason === 'BackOff').map(eventLine)],
    };
  }
  if (status.state?.running && !status.ready) {
    const readiness = failures.filter((f) => f.kind === 'readiness');
    if (readiness.length) return probeVerdict(input, 'readiness', failures, evidence, false);
    const startup = failures.filter((f) => f.kind === 'startup');
    if (startup.length) return probeVerdict(input, 'startup', failures, evidence, false);
    return {
      category: 'unknown',
      confidence: 'low',
      severity: 'starting',
      summary: t('Running but not Ready yet, and no probe failure is recorded: it may still be starting.', '실행 중이지만 아직 Ready가 아니며 프로브 실패 기록이 없습니다: 아직 시작 중일 수 있습니다.'),
      evidence: [...evidence, 'state.running, ready=false'],
    };
  }
  if (status.state?.running && failures.some((f) => f.kind === 'liveness')) {
    return probeVerdict(input, 'liveness', failures, evidence, killing.length > 0);
  }
  // Ready, yet a probe errors on every period (it cannot run): nothing is checked.
  const errored = failures.filter((f) => f.outcome === 'errored');
  if (status.state?.running && errored.length) {
    const currentStart = status.state.running.startedAt ? Date.parse(status.state.running.startedAt) : NaN;
    const recent = errored.filter((f) => Number.isNaN(currentStart) || eventMs(f.event) === 0 || eventMs(f.event) >= currentStart);
    if (recent.length) return probeVerdict(input, recent.at(-1)!.kind, failures, evidence, false);
  }
  if (waiting) {
    // Waiting for a reason no rule knows, or in CrashLoopBackOff with no termination kept
    // (the kubelet restarted and lost it): not healthy, and honest about it.
    return {
      category: 'unknown',
      confidence: 'low',
      severity: 'failing',
      summary: t(
        `The container waits in ${waiting.reason ?? 'an unnamed state'} and the API keeps no termination for it: read the message, the events and \`kubectl logs --previous\`.`,
        `컨테이너가 ${waiting.reason ?? '이름 없는 상태'}에서 대기 중이고 API에 종료 기록이 없습니다: 메시지, 이벤트, \`kubectl logs --previous\`를 읽어 보세요.`,
      ),
      evidence: [...evidence, ...input.events.filter((e) => e.type === 'Warning').map(eventLine)],
    };
  }
  return undefined;
}

/** Not created yet: waiting on a mount, the sandbox, or simply starting. */
function startingVerdict(input: ContainerInput, evidence: string[]): ContainerVerdict {
  const mount = input.podEvents.filter((e) => e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume');
  if (mount.length) {
    const text = mount.map((e) => e.message ?? '').join('\n');
    const missing = /(configmap|secret) "([^"]+)" not found/i.exec(text);
    if (/Multi-Attach error/i.test(text)) {
      return {
        category: 'lock-contention',
        confidence: 'high',
        severity: 'failing',
        summary: t(
          'A ReadWriteOnce volume is still attached to another node (the old pod, or a second replica): the new pod waits in ContainerCreating until it is released.',
          'ReadWriteOnce 볼륨이 아직 다른 노드에 붙어 있습니다(이전 파드 또는 두 번째 레플리카): 풀릴 때까지 새 파드는 ContainerCreating에서 기다립니다.',
        ),
        evidence: [...evidence, ...mount.map(eventLine)],
        nextSteps: [
          t('Use one replica per RWO volume (a StatefulSet with volumeClaimTemplates) or the Recreate strategy', 'RWO 볼륨 하나에 레플리카 하나(volumeClaimTemplates를 쓰는 StatefulSet) 또는 Recreate 전략 사용'),
          t('Check which pod still uses the claim and whether the old node released it (VolumeAttachment)', '어느 파드가 아직 그 클레임을 쓰는지, 이전 노드가 해제했는지(VolumeAttachment) 확인'),
        ],
      };
    }
    const volume = /for volume "([^"]+)"/.exec(text)?.[1];
    const ev = [...evidence, ...mount.map(eventLine)];
    if (missing) {
      const kind = missing[1].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
      const mountPath = input.spec?.volumeMounts?.find((m) => m.name === volume)?.mountPath;
      return {
        category: 'missing-config',
        confidence: 'high',
        severity: 'failing',
        summary: t(
          `${kind} "${missing[2]}" mounted as volume "${volume ?? '?'}" does not exist: the pod stays in ContainerCreating (no crash, no logs) until it is created.`,
          `볼륨 "${volume ?? '?'}"로 마운트한 ${kind} "${missing[2]}"가 없습니다: 생성될 때까지 파드는 ContainerCreating에 머뭅니다(크래시 없음, 로그 없음).`,
        ),
        evidence: mountPath ? [...ev, `spec volumeMounts: ${volume} at ${mountPath}`] : ev,
      };
    }
    // A key listed in the volume's `items` that the ConfigMap/Secret lacks fails the whole mount.
    const missingKey = /(configmap|secret) references non-existent (?:config |secret )?key: (\S+)/i.exec(text);
    if (missingKey) {
      const kind = missingKey[1].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
      const source = input.pod.spec.volumes?.find((v) => v.name === volume);
      const name = source?.configMap?.name ?? source?.secret?.secretName;
      return {
        category: 'missing-config',
        confidence: 'high',
        severity: 'failing',
        summary: t(
          `The volume "${volume ?? '?'}" asks its ${kind}${name ? ` "${name}"` : ''} for the key "${missingKey[2]}" in items, and the ${kind} has no such key: the mount fails and the pod stays in ContainerCreating (no crash, no logs). Compare the ${kind}'s keys with the volume's items.`,
          `볼륨 "${volume ?? '?'}"가 items에서 ${kind}${name ? ` "${name}"` : ''}의 키 "${missingKey[2]}"를 요구하는데 그 키가 없습니다: 마운트가 실패해 파드가 ContainerCreating에 머뭅니다(크래시 없음, 로그 없음). ${kind}의 키와 볼륨의 items를 비교하세요.`,
        ),
        evidence: ev,
      };
    }
    return {
      category: 'config-path-permission',
      confidence: 'medium',
      severity: 'failing',
      summary: t('A volume cannot be mounted, so the container is not created.', '볼륨을 마운트하지 못해 컨테이너가 생성되지 않습니다.'),
      evidence: ev,
    };
  }
  const sandbox = input.podEvents.filter((e) => e.reason === 'FailedCreatePodSandBox');
  if (sandbox.length) {
    return {
      category: 'runtime-issue',
      confidence: 'high',
      severity: 'failing',
      summary: t('The node cannot create the pod sandbox (network or runtime problem on the node).', '노드가 파드 샌드박스를 만들지 못합니다(노드의 네트워크 또는 런타임 문제).'),
      evidence: [...evidence, ...sandbox.map(eventLine)],
    };
  }
  return {
    category: 'unknown',
    confidence: 'low',
    severity: 'starting',
    summary: t('The container is still being created; diagnose again in a few seconds.', '컨테이너가 아직 생성 중입니다. 몇 초 뒤 다시 진단하세요.'),
    evidence,
  };
}
