/**
 * Probe verdicts: a wrong endpoint (probe-misconfig) versus an app too slow for its probe
 * (liveness-misfire), a throttled app (cpu-throttling) or one that says it is not ready.
 */
import { withParticle } from '../text.js';
import { eventLine, logLine } from './evidence.js';
import { PROBE_EVENT_SIGNATURES, tail } from './logs.js';
import { probeBudgetSeconds, probeOf, probePort, probeSpecLine, type ProbeFailure, type ProbeKind } from './probes.js';
import { GUIDE_LIVENESS, seconds, t, terminationOf, type ContainerInput, type Severity, type ContainerVerdict } from './verdict.js';

function latest(failures: ProbeFailure[]): ProbeFailure | undefined {
  return failures.at(-1);
}

/** A probe is failing: wrong endpoint (misconfig) or an app too slow for it (misfire)? */
export function probeVerdict(input: ContainerInput, kind: ProbeKind, failures: ProbeFailure[], evidence: string[], killed: boolean): ContainerVerdict {
  const probe = probeOf(input.spec, kind);
  const last = latest(failures.filter((f) => f.kind === kind));
  const ev = [...evidence, ...failures.filter((f) => f.kind === kind).map((f) => eventLine(f.event))];
  if (probe) ev.push(probeSpecLine(kind, probe));
  const severity: Severity = killed || input.status.restartCount > 0 ? 'failing' : 'degraded';
  const failing: ProbeFailing = { input, kind, probe, ev, severity, killed };
  if (last?.outcome === 'errored') return erroredVerdict(failing, last);
  if (last?.outcome === 'http-status' && last.statusCode !== undefined) return httpStatusVerdict(failing, last.statusCode);
  if (last?.outcome === 'refused') return refusedVerdict(failing, last);
  if (last?.outcome === 'timeout') return timeoutVerdict(failing);
  const Kind = kind[0].toUpperCase() + kind.slice(1);
  return {
    category: kind === 'readiness' ? 'readiness-failure' : 'liveness-misfire',
    confidence: 'low',
    severity,
    summary: t(`${Kind} probe failures${killed ? ' and probe kills' : ''}; read the probe messages.`, `${kind} ${killed ? '프로브 실패와 그에 따른 재시작이' : '프로브 실패가'} 있습니다. 프로브 메시지를 읽어 보세요.`),
    evidence: ev,
  };
}

/** What every probe verdict starts from: the container, the failing probe, the evidence so far. */
interface ProbeFailing {
  input: ContainerInput;
  kind: ProbeKind;
  probe: ReturnType<typeof probeOf>;
  /** Evidence lines so far; a verdict may add its own. */
  ev: string[];
  severity: Severity;
  killed: boolean;
}

/** The probe cannot even run (an exec that fails to start, a bad port name...). */
function erroredVerdict({ input, kind, ev, killed }: ProbeFailing, last: ProbeFailure): ContainerVerdict {
  const message = last.event.message ?? '';
  const sig = PROBE_EVENT_SIGNATURES.find((p) => p.pattern.test(message));
  const fill = (text: string) => text.replace(/\{kind\}/g, kind);
  return {
    category: sig?.category ?? 'probe-misconfig',
    confidence: 'high',
    // A probe that cannot run checks nothing: the pod may look Ready, and that is the problem.
    severity: killed || input.status.restartCount > 0 ? 'failing' : 'degraded',
    summary: sig
      ? { en: fill(sig.summary.en), ko: fill(sig.summary.ko) }
      : t(`The ${kind} probe errors on every period.`, `${kind} 프로브가 매 주기 오류를 냅니다.`),
    evidence: [...ev, `state: ready=${input.status.ready} (an errored probe keeps the last result)`],
  };
}

/** The probe reaches a server that answers with an HTTP error status. */
function httpStatusVerdict({ input, kind, probe, ev, severity, killed }: ProbeFailing, code: number): ContainerVerdict {
  // The app's own access log often shows the probe's request and the status it answered.
  const path = probe?.httpGet?.path;
  const served = path ? tail(input.log, 50).filter((l) => l.includes(path)).at(-1) : undefined;
  if (served) ev.push(logLine(served));
  if (kind !== 'readiness' && killed && code >= 502 && code <= 504) {
    // A gateway in front of the app answers, the app behind it is not up yet: a slow start.
    return {
      category: 'liveness-misfire',
      confidence: 'medium',
      severity,
      summary: t(
        `The ${kind} probe gets HTTP ${code} (a gateway/proxy in front of the app answers, the app behind it is not up yet) and the kubelet restarts the container before it finishes starting. Give it a startupProbe sized to the real start time.`,
        `${kind} 프로브가 HTTP ${withParticle(String(code), '을/를')} 받습니다(앱 앞의 게이트웨이/프록시는 답하지만 뒤의 앱이 아직 뜨지 않음). kubelet이 시작이 끝나기 전에 컨테이너를 재시작합니다. 실제 시작 시간에 맞춘 startupProbe를 주세요.`,
      ),
      evidence: ev,
      guideNote: GUIDE_LIVENESS,
    };
  }
  if (kind === 'readiness' && code >= 500) {
    return {
      category: 'readiness-failure',
      confidence: 'high',
      severity,
      summary: t(
        `The app answers its readiness endpoint with HTTP ${code}: it runs but reports itself not ready, so it gets no traffic.`,
        `앱이 readiness 엔드포인트에 HTTP ${withParticle(String(code), '으로/로')} 답합니다: 실행 중이지만 스스로 준비 안 됨으로 보고해 트래픽을 받지 못합니다.`,
      ),
      evidence: ev,
    };
  }
  return {
    category: 'probe-misconfig',
    confidence: code === 404 ? 'high' : 'medium',
    severity,
    summary: t(
      `The ${kind} probe reaches a running server but gets HTTP ${code}: the probe's path/port does not match what the app serves${killed ? ', so the kubelet keeps killing a working app' : ''}.`,
      `${kind} 프로브가 실행 중인 서버에 닿지만 HTTP ${withParticle(String(code), '을/를')} 받습니다: 프로브 경로/포트가 앱이 제공하는 것과 다릅니다${killed ? '. 그래서 kubelet이 멀쩡한 앱을 계속 죽입니다' : ''}.`,
    ),
    evidence: ev,
  };
}

/** Nothing answers on the probe's port: the wrong port, or an app not up yet. */
function refusedVerdict({ input, kind, probe, ev, severity, killed }: ProbeFailing, last: ProbeFailure): ContainerVerdict {
  const spec = input.spec;
  const declared = (spec?.ports ?? []).map((p) => p.containerPort);
  const target = probePort(spec, probe) ?? last.port;
  const listening = /listening on[^\n]*?:(\d{2,5})\b/i.exec(input.log ?? '')?.[1];
  const wrongPort = target !== undefined && ((declared.length > 0 && !declared.includes(target)) || (listening !== undefined && Number(listening) !== target));
  if (wrongPort) {
    const serving = listening ?? declared.join(', ');
    return {
      category: 'probe-misconfig',
      confidence: 'high',
      severity,
      summary: t(
        `The ${kind} probe dials port ${target}, but the app listens on ${serving}: connection refused every time, however long it waits.`,
        `${kind} 프로브는 ${withParticle(`${target} 포트`, '으로/로')} 접속하지만 앱은 ${serving}에서 대기합니다: 얼마나 기다려도 매번 connection refused입니다.`,
      ),
      evidence: [...ev, declared.length ? `spec ports: containerPort ${declared.join(', ')}` : logLine(`listening on :${listening}`)],
    };
  }
  if (kind === 'readiness') {
    return {
      category: 'readiness-failure',
      confidence: 'medium',
      severity,
      summary: t('Nothing listens on the readiness port yet: the pod runs but is not Ready.', '아직 readiness 포트에서 대기하는 프로세스가 없습니다: 파드는 실행 중이지만 Ready가 아닙니다.'),
      evidence: ev,
    };
  }
  const t0 = terminationOf(input.status);
  const ran = seconds(t0?.t.startedAt, t0?.t.finishedAt);
  if (ran !== undefined) ev.push(`the container ran ${Math.round(ran)}s (startedAt → finishedAt) before it stopped`);
  if (t0?.t.exitCode === 137) {
    const grace = probe?.terminationGracePeriodSeconds ?? input.pod.spec.terminationGracePeriodSeconds ?? 30;
    ev.push(`exit 137 = SIGKILL after terminationGracePeriodSeconds (${grace}s): the app did not stop on SIGTERM (not an OOM)`);
  }
  if (t0?.t.exitCode === 0) ev.push('exit 0: the app handled the stop signal and exited cleanly');
  if (t0?.t.exitCode === 143) ev.push('exit 143 = SIGTERM: the app stopped on the kubelet\'s signal (a probe kill, not a crash)');
  const budget = probe ? probeBudgetSeconds(probe) : undefined;
  const cpu = spec?.resources?.limits?.cpu;
  if (cpu !== undefined && milliCpu(cpu) <= 250 && killed) {
    return {
      category: 'cpu-throttling',
      confidence: 'medium',
      severity,
      summary: t(
        `The app is still starting when the ${kind} probe gives up ("connection refused"), under a CPU limit of ${cpu}: throttled, its start takes longer than the probe allows. Raise the CPU (at least for the start) and add a startupProbe; keep the liveness probe.`,
        `CPU limit ${cpu}에서 앱이 아직 시작 중일 때 ${kind} 프로브가 포기합니다("connection refused"): 스로틀링 때문에 시작이 프로브가 허용하는 시간보다 깁니다. (최소한 시작 동안) CPU를 올리고 startupProbe를 추가하세요. liveness 프로브는 유지하세요.`,
      ),
      evidence: [...ev, `spec resources.limits.cpu=${cpu}`],
    };
  }
  if (kind === 'startup') {
    return {
      category: 'liveness-misfire',
      confidence: killed ? 'high' : 'medium',
      severity,
      summary: t(
        `The startup probe gets "connection refused" for its whole budget${budget !== undefined ? ` (≈${budget}s)` : ''} and the kubelet restarts the container: the app needs longer to start. Raise failureThreshold × periodSeconds to cover the measured start time.`,
        `startupProbe가 허용 시간${budget !== undefined ? `(≈${budget}초)` : ''} 내내 "connection refused"를 받아 kubelet이 컨테이너를 재시작합니다: 앱 시작에 더 오래 걸립니다. 측정한 시작 시간을 덮도록 failureThreshold × periodSeconds를 늘리세요.`,
      ),
      evidence: ev,
    };
  }
  return {
    category: 'liveness-misfire',
    confidence: killed ? 'high' : 'medium',
    severity,
    summary: t(
      `The ${kind} probe gets "connection refused" while the app is still starting and the kubelet kills it${budget !== undefined ? ` after ≈${budget}s` : ''}: the app is slower to start than the probe allows. Add a startupProbe sized to the real start time.`,
      `앱이 아직 시작 중일 때 ${kind} 프로브가 "connection refused"를 받아 kubelet이 컨테이너를 죽입니다${budget !== undefined ? `(≈${budget}초 후)` : ''}: 앱 시작이 프로브가 허용하는 시간보다 느립니다. 실제 시작 시간에 맞춘 startupProbe를 추가하세요.`,
    ),
    evidence: ev,
    guideNote: GUIDE_LIVENESS,
  };
}

/** The probe times out: a throttled or slow app. */
function timeoutVerdict({ input, kind, ev, severity }: ProbeFailing): ContainerVerdict {
  const spec = input.spec;
  const cpu = spec?.resources?.limits?.cpu;
  const lowCpu = cpu !== undefined && milliCpu(cpu) <= 100;
  if (lowCpu) {
    return {
      category: 'cpu-throttling',
      confidence: 'medium',
      severity,
      summary: t(
        `The ${kind} probe times out under a CPU limit of ${cpu}: the throttled app cannot answer within timeoutSeconds.`,
        `CPU limit ${cpu}에서 ${kind} 프로브가 타임아웃됩니다: 스로틀링된 앱이 timeoutSeconds 안에 답하지 못합니다.`,
      ),
      evidence: [...ev, `spec resources.limits.cpu=${cpu}`],
    };
  }
  return {
    category: kind === 'readiness' ? 'readiness-failure' : 'liveness-misfire',
    confidence: 'medium',
    severity,
    summary: t(
      `The ${kind} probe times out: the app is too slow to answer within timeoutSeconds (busy, starting, or blocked).`,
      `${kind} 프로브가 타임아웃됩니다: 앱이 timeoutSeconds 안에 답하지 못합니다(바쁨, 시작 중, 또는 블로킹).`,
    ),
    evidence: ev,
  };
}

function milliCpu(value: string): number {
  return value.endsWith('m') ? Number(value.slice(0, -1)) : Number(value) * 1000;
}

