/** Runs the preflight probes (docker, kind, kubectl, contexts, the target cluster). */
import { execa } from 'execa';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT } from '../core/context.js';
import { usesKind, type PreflightProbes } from '../core/preflight.js';
import { KubeError } from '../ports/kube.js';
import { KindCli, KindError } from './kind.js';
import { Kubectl, cleanKubectlMessage } from './kubectl.js';

export interface ProbeOptions {
  /** --context; undefined means crashlab's own kind cluster. */
  context?: string;
  env?: NodeJS.ProcessEnv;
  platform?: string;
  arch?: string;
  /** Per probe; doctor must answer quickly even when a server does not. */
  timeoutMs?: number;
}

async function probeDocker(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PreflightProbes['docker']> {
  const result = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env, extendEnv: false, reject: false, stdin: 'ignore', timeout: timeoutMs });
  if (result.exitCode === undefined && result.code === 'ENOENT') return { found: false };
  const serverVersion = String(result.stdout ?? '').trim();
  if (result.exitCode === 0 && serverVersion) return { found: true, serverVersion };
  return { found: true, error: String(result.stderr ?? '').trim() || (result.timedOut ? `docker did not answer within ${timeoutMs / 1000}s` : `docker exited with code ${result.exitCode}`) };
}

async function probeKubectlClient(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PreflightProbes['kubectl']> {
  const result = await execa('kubectl', ['version', '--client', '-o', 'json'], { env, extendEnv: false, reject: false, stdin: 'ignore', timeout: timeoutMs });
  if (result.exitCode === undefined && result.code === 'ENOENT') return { found: false };
  return { found: true, version: gitVersion(String(result.stdout ?? ''), 'clientVersion') };
}

function gitVersion(json: string, field: 'clientVersion' | 'serverVersion'): string | undefined {
  try {
    return (JSON.parse(json) as Record<string, { gitVersion?: string } | undefined>)[field]?.gitVersion;
  } catch {
    return undefined;
  }
}

async function probeKind(env: NodeJS.ProcessEnv, dockerUp: boolean): Promise<PreflightProbes['kind']> {
  const kind = new KindCli({ env });
  const version = await kind.version();
  if (version === undefined) return { found: false };
  if (!dockerUp) return { found: true, version };
  try {
    return { found: true, version, clusters: await kind.clusters() };
  } catch (error) {
    if (error instanceof KindError) return { found: true, version, clustersError: error.message };
    throw error;
  }
}

/** `kubectl version -o json` answers both "is it reachable" and "which Kubernetes". */
async function probeServer(context: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PreflightProbes['server']> {
  const kubectl = new Kubectl({ context, env, timeoutMs });
  const result = await kubectl.run(['version', '-o', 'json', `--request-timeout=${Math.max(1, Math.round(timeoutMs / 1000))}s`]);
  const version = gitVersion(result.stdout, 'serverVersion');
  if (result.exitCode === 0 && version) return { reachable: true, version };
  return { reachable: false, error: cleanKubectlMessage(result.stderr) || `kubectl exited with code ${result.exitCode}` };
}

async function probeKubeconfig(env: NodeJS.ProcessEnv): Promise<PreflightProbes['kubeconfig']> {
  try {
    const [current, contexts] = await Promise.all([Kubectl.currentContext({ env }), Kubectl.contexts({ env })]);
    return { current, contexts };
  } catch (error) {
    if (error instanceof KubeError && error.kind === 'missing-tool') return undefined;
    throw error;
  }
}

export async function probePreflight(options: ProbeOptions = {}): Promise<PreflightProbes> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const kindMode = usesKind(options.context);
  const probes: PreflightProbes = {
    platform: options.platform ?? process.platform,
    arch: options.arch ?? process.arch,
    requestedContext: options.context,
    kubectl: { found: false },
  };

  const kubectlSide = (async () => {
    probes.kubectl = await probeKubectlClient(env, timeoutMs);
    if (probes.kubectl.found) probes.kubeconfig = await probeKubeconfig(env);
  })();
  const dockerSide = kindMode
    ? (async () => {
        probes.docker = await probeDocker(env, timeoutMs);
        probes.kind = await probeKind(env, Boolean(probes.docker?.serverVersion));
      })()
    : Promise.resolve();
  await Promise.all([kubectlSide, dockerSide]);

  const target = options.context ?? DEFAULT_CONTEXT;
  const contextKnown = probes.kubeconfig?.contexts.includes(target) ?? false;
  const clusterMayAnswer = kindMode ? (probes.kind?.clusters ?? []).includes(DEFAULT_CLUSTER_NAME) : true;
  if (contextKnown && clusterMayAnswer) probes.server = await probeServer(target, env, timeoutMs);
  return probes;
}
