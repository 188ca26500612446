/** The machine and the cluster: which context, preflight, crashlab's own kind cluster and its images. */
import { DEFAULT_CLUSTER_NAME } from '../../core/context.js';
import { isUnauthorized } from '../../core/gameday/participant.js';
import { preflightChecks, usesKind, type PreflightCheck } from '../../core/preflight.js';
import { pick } from '../../core/text.js';
import { ensureCluster } from '../cluster.js';
import { LabError } from '../scenarioRuns.js';
import type { ClusterInfo, ClusterOptions, ClusterTarget, PreflightResult } from '../labTypes.js';
import type { LabContext } from './context.js';

export function machineActions(lab: LabContext) {
  const { options, ports, context } = lab;

  async function machineChecks(): Promise<PreflightCheck[]> {
    const probes = await ports.preflight(options.context);
    // A team whose token the server refuses has nothing to fix on its machine: the game is over.
    if (options.sharedNamespace && probes.server && !probes.server.reachable && isUnauthorized(probes.server.error ?? '')) throw lab.gameOverError();
    return preflightChecks(probes);
  }

  /** crashlab changes only its own kind cluster: `what` it refuses elsewhere. */
  function requireKind(what: { en: string; ko: string }, hint: { en: string; ko: string }): void {
    if (!usesKind(options.context)) throw new LabError(what, 'foreign-namespace', hint);
  }

  return {
    /** The kubeconfig context every call uses. */
    context,

    /** Which context will be used, and whether the learner must confirm it first. */
    clusterTarget(): ClusterTarget {
      return lab.gate.target();
    },

    /** The learner said yes to ClusterTarget.confirmQuestion. */
    confirmContext(): void {
      lab.gate.confirmed();
    },

    /** The lab plays in a game-day team's namespace (a team kubeconfig). */
    inGame: options.sharedNamespace !== undefined,

    /** Whether this context is crashlab's own kind cluster (created and deleted by crashlab). */
    usesKind: usesKind(options.context),

    /** The preflight checks as core decides them (doctor prints them all). */
    machineChecks,

    /** The checks in the learner's language; calls onResult as each is known. */
    async preflight(onResult?: (result: PreflightResult) => void): Promise<PreflightResult[]> {
      const results: PreflightResult[] = (await machineChecks()).map((check) => ({
        id: check.id,
        title: check.title,
        // A skipped check could not run because something it needs failed: it blocks too.
        status: check.ok ? 'ok' : check.status === 'warning' || !check.required ? 'warn' : 'fail',
        detail: pick(check.detail, lab.lang),
        ...(check.fix ? { fix: check.fix } : {}),
      }));
      for (const result of results) onResult?.(result);
      return results;
    },

    /** Finds or creates crashlab's kind cluster (any other context is only checked). */
    async ensureCluster(cluster: ClusterOptions): Promise<ClusterInfo> {
      const kindMode = usesKind(options.context) ? { cli: await ports.kind(), configPath: options.kindConfigPath } : undefined;
      const { created, serverVersion } = await ensureCluster({ kube: await lab.kube(), kind: kindMode, onLine: cluster.onLine, signal: cluster.signal, namespace: options.sharedNamespace, lang: lab.lang });
      return { context, created, serverVersion };
    },

    /** Deletes crashlab's own kind cluster, never another context's. */
    async deleteCluster(onLine: (line: string) => void): Promise<'deleted' | 'absent'> {
      requireKind(
        { en: `crashlab deletes only its own kind cluster, not context ${context}`, ko: `crashlab은 자신의 kind 클러스터만 삭제합니다. ${context} 컨텍스트는 삭제하지 않습니다` },
        { en: 'Use `crashlab reset` to remove the scenario namespaces from that cluster.', ko: '그 클러스터에서 시나리오 네임스페이스를 지우려면 `crashlab reset`을 쓰세요.' },
      );
      const kind = await ports.kind();
      const clusters = await kind.clusters().catch((error: Error) => {
        throw new LabError({ en: `cannot run kind: ${error.message}`, ko: `kind를 실행할 수 없습니다: ${error.message}` }, 'kind-unavailable');
      });
      if (!clusters.includes(DEFAULT_CLUSTER_NAME)) return 'absent';
      await kind.delete(DEFAULT_CLUSTER_NAME, onLine);
      return 'deleted';
    },

    /** Loads images into crashlab's kind cluster, one by one, so an offline room needs no registry. */
    async loadImages(images: string[], onLine: (line: string) => void): Promise<{ loaded: string[] }> {
      requireKind(
        { en: `crashlab loads images only into its own kind cluster, not context ${context}`, ko: `crashlab은 자체 kind 클러스터에만 이미지를 불러옵니다. ${context} 컨텍스트에는 불러오지 않습니다` },
        {
          en: 'Load them with the tools of that cluster (e.g. `ctr -n k8s.io images import`), or pull them on its nodes.',
          ko: '그 클러스터의 도구로 불러오거나(예: `ctr -n k8s.io images import`) 노드에서 직접 pull하세요.',
        },
      );
      const kind = await ports.kind();
      const loaded: string[] = [];
      for (const image of images) {
        onLine(pick({ en: `loading ${image} into kind cluster "${DEFAULT_CLUSTER_NAME}"`, ko: `${image} 이미지를 kind 클러스터 "${DEFAULT_CLUSTER_NAME}"에 불러오는 중` }, lab.lang));
        if (!kind.loadImage) throw new LabError({ en: 'this kind adapter cannot load images', ko: '이 kind 어댑터는 이미지를 불러올 수 없습니다' }, 'foreign-namespace');
        await kind.loadImage(DEFAULT_CLUSTER_NAME, image, onLine);
        loaded.push(image);
      }
      return { loaded };
    },
  };
}
