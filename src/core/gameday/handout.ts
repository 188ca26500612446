/**
 * The one-page handout a team gets next to its kubeconfig, in English and Korean (Markdown).
 * Every command in it is meant to be typed as printed, in the folder where the team saved its
 * files. The scoring lines come from SCORING_RULES (the README's table), never retyped.
 */
import { formatSeconds, teamNamespace } from './names.js';
import { SCORING_RULES } from './scoring.js';

export interface HandoutInput {
  game: string;
  team: string;
  members: string[];
  kubeconfigFile: string;
  expiresAt: string;
  durationSeconds: number;
  overtimeSeconds: number;
  scenarioCount: number;
  /**
   * What participants install: `crashlab` from the registry, or the file the instructor hands
   * out while the package is unpublished (an `npm pack` tarball, `crashlab-0.1.0.tgz`).
   */
  install?: string;
  /** The instructor's UTC offset in minutes (east positive): times are shown in the room's local time. */
  utcOffsetMinutes?: number;
  /** The instructor already released a scenario (a round or a fault): teams play that, not a pick. */
  released?: boolean;
  /** Scenarios of the instructor's own pack in this game (published to the team, teamContent.ts). */
  packScenarios?: number;
}

/** "2026-12-06 15:30 (UTC+09:00)": the room's wall clock, not UTC ISO. */
export function localTime(iso: string, utcOffsetMinutes = 0): string {
  const shifted = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const zone = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.toISOString().slice(0, 10)} ${shifted.toISOString().slice(11, 16)} (${zone})`;
}

/** `npm install -g X` for a registry name or a file in the team's folder (a path npm reads as a file). */
function installCommand(spec: string): string {
  const file = /\.(tgz|tar\.gz)$/.test(spec) && !spec.includes('/') ? `./${spec}` : spec;
  return `npm install -g ${file}`;
}

export function handout(input: HandoutInput): string {
  const ns = teamNamespace(input.game, input.team);
  const file = input.kubeconfigFile;
  const members = input.members.length ? input.members.join(', ') : '—';
  const until = localTime(input.expiresAt, input.utcOffsetMinutes);
  const spec = input.install ?? 'crashlab';
  const fromFile = spec !== 'crashlab';
  const install = installCommand(spec);
  const r = SCORING_RULES;
  const par = Math.round(r.parSeconds / 60);
  const pickEn = input.released
    ? 'Play the scenario your instructor released: it is on top of the picker, marked `● round N`.'
    : `When your instructor releases a scenario (a round), it appears on top of the picker, marked \`● round N\`: play that one. Until then you may look around the ${input.scenarioCount} scenario${input.scenarioCount === 1 ? '' : 's'} of this game.`;
  const pack = input.packScenarios ?? 0;
  // The rule is in teamContent.ts: a pack scenario's solution never leaves the instructor.
  const packEn = pack
    ? `\n   ${pack} scenario${pack === 1 ? '' : 's'} of this game come${pack === 1 ? 's' : ''} from your instructor's own pack: crashlab gets ${pack === 1 ? 'it' : 'them'} from the game,
   hints and the debrief come from the instructor's board, and \`solve\` is not available (the solution stays with the instructor).`
    : '';
  const packKo = pack
    ? `\n   이 게임의 시나리오 ${pack}개는 강사가 직접 만든 팩에서 왔습니다. crashlab이 게임에서 받아 오며, 힌트와 해설은
   강사 보드에서 옵니다. \`solve\`는 쓸 수 없습니다(해법은 강사에게만 있습니다).`
    : '';
  const pickKo = input.released
    ? '강사가 공개한 시나리오를 진행하세요. 선택 화면 맨 위에 `● N라운드`로 표시됩니다.'
    : `강사가 시나리오를 공개하면(라운드) 선택 화면 맨 위에 \`● N라운드\`로 표시됩니다. 그 시나리오를 진행하세요. 공개 전에는 이 게임의 시나리오 ${input.scenarioCount}개를 둘러볼 수 있습니다.`;

  return `# crashlab game day "${input.game}" — ${input.team}

Members / 참가자: ${members}
Namespace / 네임스페이스: \`${ns}\`
Credentials valid until / 자격 증명 만료: **${until}** (${formatSeconds(input.durationSeconds)} + ${formatSeconds(input.overtimeSeconds)} overtime / 게임 시간 + 연장 시간)

## English

1. Install Node.js 20+ and kubectl (no Docker needed), then crashlab:

   \`\`\`
   ${install}
   \`\`\`
${fromFile ? `
   \`${spec}\` is the file your instructor handed out with this page (crashlab is not on the npm
   registry yet): run the command in the folder where you saved it. npm may warn that the
   package's install scripts did not run: it needs none (it comes built).
` : ''}
2. Save \`${file}\` in the same folder (it is your team's password) and, in that folder, run:

   \`\`\`
   export KUBECONFIG=$PWD/${file}
   crashlab
   \`\`\`

   \`crashlab join ${file}\` does the same without the export. With KUBECONFIG set, every
   command works as printed: \`crashlab status <id>\`, \`crashlab hint <id>\`, \`kubectl get pods\`.
3. ${pickEn} Run the 60-second routine, name the cause (\`d\`), fix the live objects, then ask
   for verification: \`v\` in the lab, or \`crashlab verify <id>\`. The instructor's board runs
   the verification itself; only its verdict scores, and the board shows it within a minute.
4. What scores: a verified fix ${r.verifiedFix}; each hint ${r.perHint} (\`h\`, \`crashlab hint\`: once per hint, whoever
   in the team takes it); each wrong diagnosis before the right one ${r.perWrongDiagnosis}; each failed verification
   ${r.perFailedVerify}; the right cause on your first answer +${r.firstTryDiagnosis}; speed up to +${r.maxTimeBonus} (nothing after ${par} min).
   The reference solution (\`s\`, \`crashlab solve\`) scores ${r.withSolution}, flat. Overtime: no speed bonus;
   after overtime nothing scores.${packEn}
5. Your rights stop at your namespace: you cannot see other teams, nodes or cluster-wide
   objects, and the namespace has a resource quota. "forbidden" outside it is by design.
6. At the end: \`crashlab note "cause, fix, proof"\` records what your team found, for the debrief.

## 한국어

1. Node.js 20 이상과 kubectl을 설치한 뒤(Docker는 필요 없습니다) crashlab을 설치하세요:

   \`\`\`
   ${install}
   \`\`\`
${fromFile ? `
   \`${spec}\`는 강사가 이 안내문과 함께 나눠 준 파일입니다(crashlab은 아직 npm 레지스트리에 없습니다).
   파일을 저장한 폴더에서 위 명령을 실행하세요. npm이 설치 스크립트를 실행하지 않았다고 경고할 수
   있지만, 이미 빌드된 패키지라 필요 없습니다.
` : ''}
2. \`${file}\` 파일(팀의 비밀번호와 같습니다)을 같은 폴더에 저장하고, 그 폴더에서 다음을 실행하세요:

   \`\`\`
   export KUBECONFIG=$PWD/${file}
   crashlab
   \`\`\`

   \`crashlab join ${file}\`도 export 없이 같은 일을 합니다. KUBECONFIG가 설정되어 있으면 모든 명령이
   적힌 그대로 동작합니다: \`crashlab status <id>\`, \`crashlab hint <id>\`, \`kubectl get pods\`.
3. ${pickKo} 60초 루틴을 실행하고 원인을 진단(\`d\`)한 뒤 실행 중인 오브젝트를 고치고 검증을
   요청하세요: 실습 화면에서 \`v\`, 또는 \`crashlab verify <id>\`. 강사 보드가 직접 검증하며 그 판정만
   점수가 됩니다. 판정은 1분 안에 보드에 나타납니다.
4. 점수: 검증된 수정 ${r.verifiedFix}점, 힌트 하나당 ${r.perHint}점(\`h\`, \`crashlab hint\`: 팀에서 누가 보든 힌트마다 한 번),
   맞는 진단 전의 틀린 진단 하나당 ${r.perWrongDiagnosis}점, 실패한 검증 하나당 ${r.perFailedVerify}점, 첫 답에 맞는 원인 +${r.firstTryDiagnosis}점,
   속도 보너스 최대 +${r.maxTimeBonus}점(${par}분이 지나면 0점). 모범 답안(\`s\`, \`crashlab solve\`)은 ${r.withSolution}점 고정입니다.
   추가 시간에는 속도 보너스가 없고, 추가 시간이 끝나면 점수가 나지 않습니다.${packKo}
5. 권한은 팀 네임스페이스 안에서만 유효합니다. 다른 팀, 노드, 클러스터 전역 오브젝트는 볼 수 없고
   리소스 쿼터가 걸려 있습니다. 네임스페이스 밖에서 "forbidden"이 나오는 것은 정상입니다.
6. 마지막에: \`crashlab note "원인, 수정, 증거"\`로 팀이 찾은 내용을 디브리프용으로 기록하세요.
`;
}
