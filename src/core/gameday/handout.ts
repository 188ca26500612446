/**
 * The one-page handout a team gets next to its kubeconfig, in English and Korean (Markdown).
 */
import { formatSeconds, teamNamespace } from './names.js';

export interface HandoutInput {
  game: string;
  team: string;
  members: string[];
  kubeconfigFile: string;
  expiresAt: string;
  durationSeconds: number;
  overtimeSeconds: number;
  scenarioCount: number;
}

export function handout(input: HandoutInput): string {
  const ns = teamNamespace(input.game, input.team);
  const file = input.kubeconfigFile;
  const members = input.members.length ? input.members.join(', ') : '—';
  return `# crashlab game day "${input.game}" — ${input.team}

Members / 참가자: ${members}
Namespace / 네임스페이스: \`${ns}\`
Credentials valid until / 자격 증명 만료: **${input.expiresAt}** (${formatSeconds(input.durationSeconds)} + ${formatSeconds(input.overtimeSeconds)} overtime / 게임 시간 + 연장 시간)

## English

1. Install Node.js 20+ and kubectl, then crashlab (\`npm install -g crashlab\`). No Docker needed.
2. Save \`${file}\` somewhere private (it is your team's password) and run:

   \`\`\`
   crashlab join ${file}
   \`\`\`

   Every crashlab command works with it too: \`crashlab --kubeconfig ${file} list\`.
   Plain kubectl: \`export KUBECONFIG=$PWD/${file}; kubectl get pods\`.
3. Pick one of the ${input.scenarioCount} scenarios your instructor released, run the
   60-second routine, name the cause, fix the live objects, and ask for verification.
   Only the instructor's verification scores.
4. Your rights stop at your namespace: you cannot see other teams, nodes or cluster-wide
   objects, and the namespace has a resource quota. "forbidden" outside it is by design.

## 한국어

1. Node.js 20 이상과 kubectl, crashlab(\`npm install -g crashlab\`)을 설치하세요. Docker는 필요 없습니다.
2. \`${file}\` 파일은 팀의 비밀번호와 같으니 안전한 곳에 두고 다음을 실행하세요:

   \`\`\`
   crashlab join ${file}
   \`\`\`

   모든 crashlab 명령에 쓸 수 있습니다: \`crashlab --kubeconfig ${file} list\`.
   kubectl만 쓸 때: \`export KUBECONFIG=$PWD/${file}; kubectl get pods\`.
3. 강사가 공개한 ${input.scenarioCount}개 시나리오 중 하나를 골라 60초 루틴을 실행하고, 원인을
   진단하고, 실행 중인 오브젝트를 고친 뒤 검증을 요청하세요. 점수는 강사 쪽 검증만 인정됩니다.
4. 권한은 팀 네임스페이스 안에서만 유효합니다. 다른 팀, 노드, 클러스터 전역 오브젝트는 볼 수 없고
   리소스 쿼터가 걸려 있습니다. 네임스페이스 밖에서 "forbidden"이 나오는 것은 정상입니다.
`;
}
