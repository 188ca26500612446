/**
 * The image replacements a scenario with `foreignArch` needs on this cluster: the nodes'
 * architectures read once per deploy, the choice made by core/arch.ts.
 */
import { chooseForeignArch, foreignArchImages, parseNodeArchitectures } from '../core/arch.js';
import type { Scenario } from '../core/scenario.js';
import type { Kube } from '../ports/kube.js';
import { LabError } from './scenarioRuns.js';

/**
 * from → to for prepareForDeploy; empty when the scenario has no variants or the nodes cannot be
 * read (a namespace-scoped account: the manifest runs as written, its amd64-foreign variant).
 */
export async function archImages(kube: Kube, scenario: Pick<Scenario, 'id' | 'foreignArch'>): Promise<Record<string, string>> {
  if (!scenario.foreignArch) return {};
  const out = await kube.run(['get', 'nodes', '-o', 'jsonpath={.items[*].status.nodeInfo.architecture}']);
  if (out.exitCode !== 0) return {};
  const choice = chooseForeignArch(scenario.foreignArch, parseNodeArchitectures(out.stdout));
  if (!choice.ok) {
    if (choice.reason === 'no node reported its architecture') return {};
    throw new LabError(
      { en: `${scenario.id} needs an image for an architecture no node has: ${choice.reason}`, ko: `${scenario.id}에는 어떤 노드에도 없는 아키텍처용 이미지가 필요합니다: ${choice.reason}` },
      'invalid-scenario',
      { en: 'Run it on a cluster whose nodes share one architecture (kind, the test cluster).', ko: '노드가 모두 같은 아키텍처인 클러스터(kind, 테스트 클러스터)에서 실행하세요.' },
    );
  }
  return foreignArchImages(scenario.foreignArch, choice.image);
}
