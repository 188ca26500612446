/**
 * `crashlab --lang ko --help`: commander's help in Korean as far as commander allows. The
 * titles and the descriptions of the learner's commands and options are looked up by their
 * English text; anything not in the table (a new option, the instructor's gameday commands)
 * stays English rather than wrong.
 */
import { Help, type HelpConfiguration } from 'commander';
import { cells } from '../core/width.js';

const TITLES: Record<string, string> = { 'Usage:': '사용법:', 'Options:': '옵션:', 'Commands:': '명령:', 'Arguments:': '인자:', 'Global Options:': '전역 옵션:' };

const KO: Record<string, string> = {
  'A hands-on Kubernetes CrashLoopBackOff troubleshooting lab.\nRun with no arguments on a terminal to open the lab.':
    'Kubernetes CrashLoopBackOff 문제 해결 실습.\n터미널에서 인자 없이 실행하면 실습 화면이 열립니다.',
  'output the version number': '버전 출력',
  'display help for command': '명령 도움말 표시',
  'kubeconfig context to use (default: kind-crashlab); other contexts need confirmation': '사용할 kubeconfig 컨텍스트(기본값: kind-crashlab). 다른 컨텍스트는 확인을 받습니다',
  'kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)': '사용할 kubeconfig 파일(기본값: $KUBECONFIG, 없으면 ~/.kube/config)',
  'do not ask for confirmation (non-kind contexts, resets)': '확인을 묻지 않음(kind가 아닌 컨텍스트, reset)',
  'language of learner text': '학습 텍스트의 언어',
  'disable colour (NO_COLOR is respected too)': '색 끄기(NO_COLOR도 따름)',
  'give up on a kubectl call after this long, e.g. 20s or 2m (default 60s; env CRASHLAB_REQUEST_TIMEOUT)': 'kubectl 호출을 이 시간 뒤에 포기. 예: 20s, 2m(기본값 60s, 환경 변수 CRASHLAB_REQUEST_TIMEOUT)',
  'check docker, kind, kubectl and the cluster; say how to fix what is missing (checks run at once, each at most 5 s or --request-timeout)':
    'docker, kind, kubectl, 클러스터를 점검하고 없는 것을 고치는 방법을 알려 줌(점검은 동시에, 각각 최대 5초 또는 --request-timeout)',
  'print the checks as JSON': '점검 결과를 JSON으로 출력',
  'find or create the kind cluster "crashlab" (with --context: check that cluster answers)': 'kind 클러스터 "crashlab"을 찾거나 만듦(--context를 주면 그 클러스터가 응답하는지만 확인)',
  'machine-readable output': '기계가 읽는 출력(JSON)',
  'delete the kind cluster "crashlab" (only crashlab\'s own cluster)': 'kind 클러스터 "crashlab" 삭제(crashlab 자신의 클러스터만)',
  'list the scenarios: category, difficulty, title and your progress': '시나리오 목록: 분류, 난이도, 제목, 내 진행 상황',
  'deploy the broken workload of a scenario into namespace crashlab-<id>, replacing a previous run of it': '시나리오의 고장 난 워크로드를 crashlab-<id> 네임스페이스에 배포(이전 실행은 대체)',
  'game days: deploy the scenario again even when it already runs in your team namespace (default: join it)': '게임 데이: 팀 네임스페이스에서 이미 실행 중이어도 다시 배포(기본값: 합류)',
  "game days: record what your team concluded (cause, fix, proof) in the team's log, for the debrief": '게임 데이: 팀의 결론(원인, 수정, 증명)을 회고용 팀 로그에 기록',
  "show the scenario's pods: STATUS, restarts, last termination, back-off": '시나리오의 파드 표시: STATUS, 재시작, 마지막 종료, 백오프',
  "the 60-second diagnostic routine, filled in for the scenario's pod": '시나리오의 파드에 맞춰 채운 60초 진단 루틴',
  'run each (non-interactive) step and print its output': '(대화형이 아닌) 각 단계를 실행하고 출력을 표시',
  'apply the reference solution (counts as solved with help)': '모범 답안 적용(도움 받아 해결한 것으로 기록)',
  'delete what crashlab created for a scenario (all scenarios without an id)': '시나리오에 crashlab이 만든 것을 삭제(id가 없으면 모든 시나리오)',
  'also forget saved progress for it': '저장된 진행 상황도 지움',
  'name the likely cause of a crash-looping pod, with the evidence and next steps': '크래시 루프에 빠진 파드의 유력한 원인을 근거와 다음 단계와 함께 제시',
  'pod JSON file (`kubectl get pod X -o json`, a Pod or a List); - reads stdin': '파드 JSON 파일(`kubectl get pod X -o json`, Pod 또는 List). -는 표준 입력',
  'events JSON file (`kubectl get events -o json`)': '이벤트 JSON 파일(`kubectl get events -o json`)',
  'previous log text (`kubectl logs X -c C --previous`); repeat with container= for several containers': '이전 로그 텍스트(`kubectl logs X -c C --previous`). 컨테이너가 여럿이면 container=로 반복',
  'namespace of the live pod': '실제 파드의 네임스페이스',
  'print {"findings":[...]} as JSON': '{"findings":[...]}를 JSON으로 출력',
  'pod name, or deploy/NAME, sts/NAME, ds/NAME, job/NAME: diagnose it live from the cluster (with -n); - reads a pod JSON from stdin':
    '파드 이름 또는 deploy/NAME, sts/NAME, ds/NAME, job/NAME: 클러스터에서 바로 진단(-n과 함께). -는 표준 입력의 파드 JSON',
  'prove a fix: rollout complete, pods Ready, no restart or Warning event for a window derived from the pod spec':
    '수정 증명: 롤아웃 완료, 파드 Ready, 파드 스펙에서 정한 구간 동안 재시작이나 Warning 이벤트 없음',
  'verify any Deployment instead of a scenario (no guards; never changes the cluster)': '시나리오 대신 임의의 Deployment 검증(유지해야 할 조건 없음, 클러스터는 바꾸지 않음)',
  'verify any workload: deploy/NAME, sts/NAME, ds/NAME or job/NAME (no guards; never changes the cluster)': '임의의 워크로드 검증: deploy/NAME, sts/NAME, ds/NAME, job/NAME(유지해야 할 조건 없음, 클러스터는 바꾸지 않음)',
  'namespace (required with --workload or --deployment; default crashlab-<id>)': '네임스페이스(--workload, --deployment에는 필수, 기본값 crashlab-<id>)',
  'stability window, e.g. 45s or 2m (default: derived from the pod spec)': '안정성 확인 구간. 예: 45s, 2m(기본값: 파드 스펙에서 계산)',
  "how long to wait for the rollout (default: the scenario's setting; 10m for --deployment/--workload)": '롤아웃을 기다릴 시간(기본값: 시나리오 설정, --deployment/--workload는 10m)',
  'print the verdict as JSON': '판정을 JSON으로 출력',
  'scenario id: verifies its workload in namespace crashlab-<id>, with its guards': '시나리오 id: crashlab-<id> 네임스페이스의 워크로드를 유지해야 할 조건과 함께 검증',
  'check every scenario file; dir holds scenarios/ and solutions/ (default: the installed ones)': '모든 시나리오 파일 점검. dir에는 scenarios/와 solutions/가 있음(기본값: 설치된 것)',
  'Game days and workshops on one shared cluster: provision, run, board, export.': '공유 클러스터 하나로 하는 게임 데이와 워크숍: 준비, 진행, 현황판, 내보내기.',
  "join a game day with your team's kubeconfig (from the instructor)": '(강사에게 받은) 팀 kubeconfig로 게임 데이에 합류',
  'add a scenario pack (a folder with scenarios/ and solutions/); repeatable; env CRASHLAB_SCENARIOS (a path list)': '시나리오 팩 추가(scenarios/와 solutions/가 있는 폴더). 여러 번 쓸 수 있음, 환경 변수 CRASHLAB_SCENARIOS(경로 목록)',
  'then load every image the scenarios run into the kind cluster (see `crashlab images`)': '이어서 시나리오가 쓰는 모든 이미지를 kind 클러스터에 적재(`crashlab images` 참고)',
  'read a scenario without a cluster: briefing, and with --hints / --debrief the rest': '클러스터 없이 시나리오 읽기: 브리핑, --hints / --debrief를 주면 나머지도',
  'also print the hints': '힌트도 출력',
  'also print the debrief and checklist (it gives the answer away)': '회고와 체크리스트도 출력(답이 드러남)',
  'the symptoms instead of the title and briefing (what a mystery game shows)': '제목과 브리핑 대신 증상(미스터리 게임에서 보이는 것)',
  'machine-readable output (both languages)': '기계가 읽는 출력(두 언어 모두)',
  'check every scenario of a pack (dir holds scenarios/ and solutions/; default: the built-in pack and --scenarios packs)': '팩의 모든 시나리오 점검(dir에는 scenarios/와 solutions/가 있음, 기본값: 내장 팩과 --scenarios 팩)',
  'the images the scenarios run (for pre-loading an offline room); --load loads them into the kind cluster': '시나리오가 쓰는 이미지(오프라인 강의실에 미리 적재용). --load는 kind 클러스터에 적재',
  'load them into the kind cluster "crashlab" (kind load docker-image; each must be pulled into Docker first)': 'kind 클러스터 "crashlab"에 적재(kind load docker-image, 먼저 각각 Docker로 pull해야 함)',
  'prove scenarios on a real cluster: they break as claimed, wrong fixes fail verify, the solution passes, diagnosis names the cause, reset leaves nothing':
    '실제 클러스터에서 시나리오 증명: 주장대로 고장 나고, 틀린 수정은 검증에 실패하고, 모범 답안은 통과하고, 진단이 원인을 맞히고, reset 뒤에 아무것도 남지 않음',
  'author scenarios for a pack: `scenario new`': '팩용 시나리오 작성: `scenario new`',
  'reveal the next hint of a scenario (default: the one you play now); in a game day each hint costs your team 10 points, once':
    '시나리오의 다음 힌트 보기(기본값: 지금 하는 시나리오). 게임 데이에서는 힌트마다 팀 점수 10점이 한 번 깎임',
  'show hint n again (1-based; one already taken costs nothing more)': 'n번째 힌트를 다시 보기(1부터, 이미 받은 힌트는 더 깎이지 않음)',
  "name the cause of a scenario (the lab's d): says whether it is right; in a game day only the first answer can earn the first-try bonus, and each wrong one costs points":
    '시나리오의 원인 답하기(실습 화면의 d): 맞았는지 알려 줌. 게임 데이에서는 첫 답만 첫 시도 보너스를 받을 수 있고 틀린 답마다 점수가 깎임',
  "game days: your team's score by the board's rules, from your team's log (the instructor's board is the one that ranks)":
    '게임 데이: 팀 로그로 현황판 규칙에 따라 계산한 팀 점수(순위는 강사의 현황판이 정함)',
  'the scenario or instance the note is about (default: the one your team plays now)': '메모가 다루는 시나리오나 인스턴스(기본값: 팀이 지금 하는 것)',
};

/** `(default: x)`, `(choices: ...)`, the parts commander adds itself. */
function extras(text: string): string {
  return text.replace(/\(default: /g, '(기본값: ').replace(/\(choices: /g, '(선택: ');
}

function ko(text: string): string {
  for (const [en, said] of Object.entries(KO)) if (text.startsWith(en)) return extras(said + text.slice(en.length));
  return extras(text);
}

export function koreanHelp(): HelpConfiguration {
  const base = new Help();
  return {
    // Columns and wrapping in terminal cells: Korean characters take two.
    displayWidth: (text) => cells(text),
    styleTitle: (title) => TITLES[title] ?? title,
    commandDescription: (cmd) => ko(base.commandDescription(cmd)),
    subcommandDescription: (cmd) => ko(base.subcommandDescription(cmd)),
    optionDescription: (option) => ko(base.optionDescription(option)),
    argumentDescription: (argument) => ko(base.argumentDescription(argument)),
  };
}

/** Text commands add after their help (addHelpText), as printed: known lines in Korean, broken to fit 80 columns. */
const AFTER_KO: [string, string][] = [
  [
    'Exit codes: 0 pass, 1 fail (the verdict says why, with evidence), 2 could not verify (no cluster, not deployed, bad arguments).',
    '종료 코드: 0 통과, 1 실패(판정이 근거와 함께 이유를 말함),\n2 검증 불가(클러스터 없음, 배포 안 됨, 잘못된 인자).',
  ],
  ['Exit codes: 0 diagnosed (whatever the finding), 2 unreadable input or pod not found.', '종료 코드: 0 진단함(결과와 상관없이), 2 입력을 읽을 수 없거나 파드가 없음.'],
  ['(every pod of the workload, identical findings grouped)', '(워크로드의 모든 파드, 같은 결과는 묶어서)'],
  ['\nExamples:\n', '\n예:\n'],
  ['First steps:', '처음 할 일:'],
  ['check docker, kind and kubectl (and how to fix what is missing)', 'docker, kind, kubectl 점검(없는 것을 고치는 방법도)'],
  ['create the local kind cluster', '로컬 kind 클러스터 만들기'],
  ['open the lab (on a terminal), or: crashlab list, then crashlab start <id>', '실습 화면 열기(터미널에서), 또는 crashlab list 다음 crashlab start <id>'],
  ['read a scenario without a cluster (--hints, --debrief, --lang ko)', '클러스터 없이 시나리오 읽기(--hints, --debrief, --lang ko)'],
  ['add a scenario pack to any command (docs/authoring.md)', '모든 명령에 시나리오 팩 추가(docs/authoring.md)'],
];

export function koreanHelpText(text: string): string {
  return AFTER_KO.reduce((said, [en, ko]) => said.split(en).join(ko), text);
}
