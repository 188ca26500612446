/** Runs the preflight probes (docker, kind, kubectl, contexts, the target cluster). */
import { execa } from 'execa';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT } from '../core/context.js';
import { usesKind, type PreflightProbes } from '../core/preflight.js';
import { isPortError } from '../ports/errors.js';
import { KindCli } from './kind.js';
import { Kubectl, cleanKubectlMessage, missingInterpreter } from './kubectl.js';
import { excerpt } from '../core/untrusted.js';
import { treeStopper } from './processTree.js';

export interface ProbeOptions {
  /** --context; undefined means crashlab's own kind cluster. */
  context?: string;
  env?: NodeJS.ProcessEnv;
  platform?: string;
  arch?: string;
  /** Per probe; doctor must answer quickly even when a tool or a server does not. */
  timeoutMs?: number;
  /** Ctrl-C: every probe's tool is stopped (with its children) and the probes end at once. */
  signal?: AbortSignal;
}

/** A probe's tool, bounded by `timeoutMs` and `signal`; a stop ends its whole process tree. */
async function runProbe(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal) {
  const child = execa(bin, args, { env, extendEnv: false, reject: false, stdin: 'ignore' });
  const stopper = treeStopper(child.pid, { signal, timeoutMs });
  try {
    const result = await child;
    return { result, timedOut: stopper.timedOut };
  } finally {
    stopper.settled();
  }
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

async function probeDocker(env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<PreflightProbes['docker']> {
  const { result, timedOut } = await runProbe('docker', ['version', '--format', '{{.Server.Version}}'], env, timeoutMs, signal);
  if (result.exitCode === undefined && result.code === 'ENOENT') return { found: false };
  const serverVersion = String(result.stdout ?? '').trim();
  if (result.exitCode === 0 && serverVersion) return { found: true, serverVersion };
  return { found: true, error: String(result.stderr ?? '').trim() || (timedOut ? `docker did not answer within ${timeoutMs / 1000}s` : `docker exited with code ${result.exitCode}`) };
}

/** Printable first line of a tool's output (a garbage binary run by sh prints bytes). */
function firstPrintableLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const clean = line.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').trim();
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

/**
 * `kubectl version --client` decides whether kubectl is usable at all: not found, cannot run
 * (not executable, not a program), does not answer in time, or answers without a version.
 */
async function probeKubectlClient(env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<PreflightProbes['kubectl']> {
  const { result, timedOut } = await runProbe('kubectl', ['version', '--client', '-o', 'json'], env, timeoutMs, signal);
  if (result.exitCode === undefined && result.code === 'ENOENT') {
    // ENOENT is also a kubectl whose `#!` interpreter is missing: found, but it cannot run.
    const script = missingInterpreter('kubectl', env);
    return script ? { found: true, error: { kind: 'cannot-run', detail: `${script.program} starts with "${excerpt(script.shebang, 80)}" and that interpreter does not exist` } } : { found: false };
  }
  if (timedOut) return { found: true, error: { kind: 'timeout', seconds: timeoutMs / 1000 } };
  if (result.exitCode === undefined) {
    const why = result.code === 'EACCES' ? 'it is not executable (permission denied)' : `it could not be started (${result.code ?? 'unknown error'})`;
    return { found: true, error: { kind: 'cannot-run', detail: why } };
  }
  const version = gitVersion(String(result.stdout ?? ''), 'clientVersion');
  if (result.exitCode === 0 && version) return { found: true, version };
  const said = firstPrintableLine(cleanKubectlMessage(String(result.stderr ?? '')) || String(result.stdout ?? ''));
  const detail = `\`kubectl version --client\` ${result.exitCode === 0 ? 'printed no version' : `exited with code ${result.exitCode}`}${said ? ` (${said})` : ''}`;
  return { found: true, error: { kind: 'cannot-run', detail } };
}

/** Ends a probe that has no timeout of its own (kind's adapter) after `ms`, or at Ctrl-C. */
function bounded<T>(work: Promise<T>, ms: number, onTimeout: () => T, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    onAbort = () => resolve(onTimeout());
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}

function gitVersion(json: string, field: 'clientVersion' | 'serverVersion'): string | undefined {
  try {
    return (JSON.parse(json) as Record<string, { gitVersion?: string } | undefined>)[field]?.gitVersion;
  } catch {
    return undefined;
  }
}

async function probeKind(env: NodeJS.ProcessEnv, dockerUp: boolean, timeoutMs: number, signal?: AbortSignal): Promise<PreflightProbes['kind']> {
  const kind = new KindCli({ env });
  const seconds = timeoutMs / 1000;
  const version = await bounded(kind.version(), timeoutMs, () => null, signal);
  if (version === null) return { found: true, error: `kind did not answer within ${seconds} s` };
  if (version === undefined) return { found: false };
  if (!dockerUp) return { found: true, version };
  try {
    const clusters = await bounded(kind.clusters(), timeoutMs, () => null, signal);
    if (clusters === null) return { found: true, version, clustersError: `kind did not answer within ${seconds} s` };
    return { found: true, version, clusters };
  } catch (error) {
    if (isPortError(error, 'kind')) return { found: true, version, clustersError: error.message };
    throw error;
  }
}

/** `kubectl version -o json` answers both "is it reachable" and "which Kubernetes". */
async function probeServer(context: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<PreflightProbes['server']> {
  // kubectl's own request timeout answers first with its words; the process timeout is the backstop.
  const kubectl = new Kubectl({ context, env, timeoutMs: timeoutMs + 1000, signal });
  const result = await kubectl.run(['version', '-o', 'json', `--request-timeout=${Math.max(1, Math.round(timeoutMs / 1000))}s`]);
  const version = gitVersion(result.stdout, 'serverVersion');
  if (result.exitCode === 0 && version) return { reachable: true, version };
  if (result.exitCode === 124) return { reachable: false, error: `kubectl did not answer within ${timeoutMs / 1000} s` };
  return { reachable: false, error: cleanKubectlMessage(result.stderr) || `kubectl exited with code ${result.exitCode}` };
}

async function probeKubeconfig(env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<PreflightProbes['kubeconfig']> {
  try {
    const [current, contexts] = await Promise.all([Kubectl.currentContext({ env, timeoutMs, signal }), Kubectl.contexts({ env, timeoutMs, signal })]);
    return { current, contexts };
  } catch (error) {
    if (isPortError(error, 'kubectl', 'missing-tool')) return undefined;
    throw error;
  }
}

/**
 * Every probe is bounded by `timeoutMs` and independent chains run at the same time (docker →
 * kind, kubectl → kubeconfig → server), so a hanging tool costs one timeout, not a minute.
 */
export async function probePreflight(options: ProbeOptions = {}): Promise<PreflightProbes> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const signal = options.signal;
  const kindMode = usesKind(options.context);
  const target = options.context ?? DEFAULT_CONTEXT;
  const probes: PreflightProbes = {
    platform: options.platform ?? process.platform,
    arch: options.arch ?? process.arch,
    requestedContext: options.context,
    kubectl: { found: false },
  };

  let server: Promise<PreflightProbes['server']> | undefined;
  const kubectlSide = (async () => {
    probes.kubectl = await probeKubectlClient(env, timeoutMs, signal);
    // A kubectl that cannot run or hangs would only fail the same way again.
    if (!probes.kubectl.found || probes.kubectl.error) return;
    probes.kubeconfig = await probeKubeconfig(env, timeoutMs, signal);
    // Asked now, alongside docker and kind; in kind mode the answer counts only if the cluster exists.
    if (probes.kubeconfig?.contexts.includes(target)) server = probeServer(target, env, timeoutMs, signal);
  })();
  const dockerSide = kindMode
    ? (async () => {
        probes.docker = await probeDocker(env, timeoutMs, signal);
        probes.kind = await probeKind(env, Boolean(probes.docker?.serverVersion), timeoutMs, signal);
      })()
    : Promise.resolve();
  await Promise.all([kubectlSide, dockerSide]);

  const clusterMayAnswer = kindMode ? (probes.kind?.clusters ?? []).includes(DEFAULT_CLUSTER_NAME) : true;
  if (server && clusterMayAnswer) probes.server = await server;
  else await server?.catch(() => undefined);
  return probes;
}
