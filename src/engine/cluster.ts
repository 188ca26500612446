/**
 * Find or create crashlab's kind cluster, then make sure its node is Ready. One path for
 * `crashlab up` and the lab UI's cluster screen.
 */
import { isPortError } from '../ports/errors.js';
import { DEFAULT_CLUSTER_NAME } from '../core/context.js';
import { meaningfulLine } from '../core/kubectlText.js';
import type { Kind } from '../ports/kind.js';
import type { Kube } from '../ports/kube.js';
import { pick, type Lang, type Text } from '../core/text.js';
import { LabError } from './errors.js';

export interface EnsureClusterOptions {
  kube: Kube;
  /** Absent for a non-kind context: then the cluster is only checked, never created. */
  kind?: { cli: Kind; configPath: string };
  onLine: (line: string) => void;
  signal?: AbortSignal;
  /** Only this namespace is ours (a game-day team): readiness is checked there, not on nodes. */
  namespace?: string;
  /** The language of the progress lines (default English). */
  lang?: Lang;
}

export async function ensureCluster(options: EnsureClusterOptions): Promise<{ created: boolean; serverVersion?: string }> {
  const { kube, onLine, signal } = options;
  const say = (text: Text) => onLine(pick(text, options.lang ?? 'en'));
  let created = false;
  if (options.kind) {
    const { cli, configPath } = options.kind;
    let clusters: string[];
    try {
      clusters = await cli.clusters();
    } catch (error) {
      throw new LabError({ en: `cannot run kind: ${(error as Error).message}`, ko: `kind를 실행할 수 없습니다: ${(error as Error).message}` }, 'kind-unavailable');
    }
    if (clusters.includes(DEFAULT_CLUSTER_NAME)) {
      say({ en: `Reusing kind cluster "${DEFAULT_CLUSTER_NAME}".`, ko: `이미 있는 kind 클러스터를 씁니다: "${DEFAULT_CLUSTER_NAME}"` });
    } else {
      say({ en: `Creating kind cluster "${DEFAULT_CLUSTER_NAME}" (a minute or two the first time)...`, ko: `kind 클러스터를 만드는 중입니다: "${DEFAULT_CLUSTER_NAME}"(처음에는 1~2분 걸립니다)...` });
      try {
        await cli.create({ name: DEFAULT_CLUSTER_NAME, configPath, waitSeconds: 120, onLine, signal });
      } catch (error) {
        // Cancelled: the adapter's AbortError goes up as it is (the UI and the CLI look for it).
        if (signal?.aborted) throw error;
        // The cluster exists but its node was slow: the readiness wait below decides.
        if (!isPortError(error, 'kind', 'not-ready')) throw new LabError({ en: `kind could not create the cluster: ${(error as Error).message}`, ko: `kind가 클러스터를 만들지 못했습니다: ${(error as Error).message}` }, 'cluster-create-failed');
        say({ en: 'The node is not Ready yet; waiting a little longer...', ko: '노드가 아직 Ready가 아니어서 조금 더 기다립니다...' });
      }
      created = true;
    }
  }
  // kind create --wait exits 0 even when the wait timed out: ask the cluster itself. A
  // game-day team may not read nodes (cluster-scoped): it checks its own namespace instead.
  const ready = options.namespace
    ? await kube.run(['get', 'pods', '-n', options.namespace, '--request-timeout=30s'])
    : await kube.run(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
  if (ready.exitCode !== 0) {
    // kubectl's one meaningful line, not its klog noise (five `E1130 ... memcache.go` lines).
    const said = meaningfulLine(ready.stderr) ?? meaningfulLine(ready.stdout) ?? `kubectl ${options.namespace ? 'get pods' : 'wait'} exited with code ${ready.exitCode}`;
    throw new LabError({ en: `the cluster in context ${kube.context} is not ready: ${said}`, ko: `${kube.context} 컨텍스트의 클러스터가 준비되지 않았습니다: ${said}` }, 'cluster-not-ready');
  }
  const version = await kube.run(['version', '-o', 'json']);
  let serverVersion: string | undefined;
  try {
    serverVersion = (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion;
  } catch {
    serverVersion = undefined;
  }
  return { created, serverVersion };
}
