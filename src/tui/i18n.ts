/**
 * The lab UI's own words (titles, key hints, messages) in English and Korean. Learner content
 * (scenarios, categories, routine steps) carries its own Text; this table is only the chrome.
 */
import { DIFFICULTY_WORDS, pickFilled, type Lang, type Text } from '../core/text.js';

export const STRINGS = {
  appName: { en: 'crashlab', ko: 'crashlab' },
  'screen.preflight': { en: 'Preflight', ko: '사전 점검' },
  'screen.cluster': { en: 'Cluster', ko: '클러스터' },
  'screen.picker': { en: 'Scenarios', ko: '시나리오' },
  'screen.lab': { en: 'Lab', ko: '실습' },
  'screen.diagnose': { en: 'Diagnose', ko: '진단' },
  'screen.fix': { en: 'Fix', ko: '수정' },
  'screen.verify': { en: 'Verify', ko: '검증' },
  'screen.debrief': { en: 'Debrief', ko: '회고' },

  'preflight.running': { en: 'Checking the tools the lab needs…', ko: '실습에 필요한 도구를 확인하는 중…' },
  'preflight.allOk': { en: 'All checks passed.', ko: '모든 점검을 통과했습니다.' },
  'preflight.failed': { en: 'The lab cannot start until the checks marked ✗ are fixed.', ko: '✗ 표시된 항목을 해결해야 실습을 시작할 수 있습니다.' },
  'preflight.fix': { en: 'fix', ko: '해결' },

  'cluster.working': { en: 'Finding or creating the cluster ({context})…', ko: '클러스터를 찾거나 만드는 중({context})…' },
  'cluster.reused': { en: 'Using the existing cluster {context}.', ko: '기존 클러스터를 사용합니다: {context}' },
  'cluster.created': { en: 'Created the cluster {context}.', ko: '클러스터를 만들었습니다: {context}' },
  'cluster.cancelled': {
    en: 'Cluster creation cancelled; kind was stopped. A half-created cluster may remain.',
    ko: '클러스터 생성을 취소했고 kind를 중지했습니다. 절반쯤 만들어진 클러스터가 남아 있을 수 있습니다.',
  },
  'cluster.failed': { en: 'Could not get a cluster.', ko: '클러스터를 준비하지 못했습니다.' },
  'cluster.deleting': { en: 'Deleting the cluster…', ko: '클러스터를 삭제하는 중…' },
  'cluster.deleted': { en: 'Cluster deleted. r to create it again.', ko: '클러스터를 삭제했습니다. r을 누르면 다시 만듭니다.' },

  'picker.title': { en: 'Pick a scenario', ko: '시나리오 선택' },
  'picker.readOnly': { en: 'read-only: no cluster (crashlab show <id> --hints prints the rest)', ko: '읽기 전용: 클러스터 없음(나머지는 crashlab show <id> --hints)' },
  'picker.mystery': { en: 'mystery mode: titles hidden, symptoms only', ko: '미스터리 모드: 제목은 숨기고 증상만 표시' },
  'picker.mysteryGame': { en: 'mystery game: symptoms only until the debrief', ko: '미스터리 게임: 회고 전까지 증상만 표시' },
  'picker.filter': { en: 'filter', ko: '필터' },
  'picker.none': { en: 'No scenario matches the filter.', ko: '필터에 맞는 시나리오가 없습니다.' },
  'picker.empty': { en: 'No scenarios found.', ko: '시나리오가 없습니다.' },
  'picker.best': { en: 'best', ko: '최고' },
  'picker.starting': { en: 'Deploying the broken workload of {id}…', ko: '{id}의 고장 난 워크로드를 배포하는 중…' },
  'picker.startingHidden': { en: 'Deploying the broken workload…', ko: '고장 난 워크로드를 배포하는 중…' },
  'picker.joining': { en: 'Joining the run already in your team namespace…', ko: '팀 네임스페이스에서 이미 실행 중인 실습에 합류하는 중…' },
  'picker.paused': { en: '▸ yours, {time}, hints {n}/{total}', ko: '▸ 진행 중, {time}, 힌트 {n}/{total}' },
  'picker.pausedDetail': {
    en: 'Your run is still deployed: Enter resumes it as you left it (hints and clock kept); n deploys it again from scratch.',
    ko: '실습이 아직 배포되어 있습니다. Enter를 누르면 그대로 이어서 합니다(힌트와 시간 유지). n을 누르면 처음부터 다시 배포합니다.',
  },
  'picker.earlierDetail': {
    en: 'You started this at {time} and have not passed it yet: Enter resumes that run if it is still deployed (hints and clock kept); n deploys it again from scratch.',
    ko: '{time}에 시작해 아직 통과하지 못한 실습입니다. Enter를 누르면 아직 배포되어 있는 경우 그대로 이어서 합니다(힌트와 시간 유지). n을 누르면 처음부터 다시 배포합니다.',
  },
  'picker.redeployQuestion': {
    en: 'Deploy it again from scratch? Your run is replaced: hints and clock start over.',
    ko: '처음부터 다시 배포할까요? 지금 실습은 대체되고 힌트와 시간이 초기화됩니다.',
  },
  'picker.round': { en: '● round {round}', ko: '● {round}라운드' },
  'picker.injected': { en: '● injected', ko: '● 주입됨' },
  'picker.running': { en: '● running', ko: '● 진행 중' },
  'picker.releasedDetail': {
    en: 'Released by your instructor at {time}{round}. Enter joins it as it is: nothing is redeployed.',
    ko: '{time}에 강사가 배포했습니다{round}. Enter를 누르면 그대로 합류합니다. 다시 배포하지 않습니다.',
  },
  'picker.runningDetail': {
    en: 'Already running in your team namespace (a teammate started it). Enter joins it: nothing is redeployed.',
    ko: '팀 네임스페이스에서 이미 실행 중입니다(팀원이 시작). Enter를 누르면 합류합니다. 다시 배포하지 않습니다.',
  },
  'picker.roundSuffix': { en: ' (round {round})', ko: ' ({round}라운드)' },
  'debrief.noteTemplate': {
    en: "# Your team's note for the debrief: the cause, the fix, how you proved it.\n# Lines starting with # are left out. Save and close to record it; an empty note records nothing.\n\n",
    ko: '# 회고용 팀 메모: 원인, 수정, 증명 방법.\n# #으로 시작하는 줄은 빠집니다. 저장하고 닫으면 기록되고, 비어 있으면 아무것도 기록하지 않습니다.\n\n',
  },
  'debrief.noteSaved': { en: "Noted in your team's log: the instructor's export shows it next to the debrief.", ko: '팀 로그에 기록했습니다. 강사의 내보내기에서 회고 옆에 보입니다.' },
  'debrief.noteEmpty': { en: 'The note was empty: nothing recorded.', ko: '메모가 비어 있어 기록하지 않았습니다.' },
  'difficulty.easy': DIFFICULTY_WORDS.easy,
  'difficulty.medium': DIFFICULTY_WORDS.medium,
  'difficulty.hard': DIFFICULTY_WORDS.hard,

  'lab.noPod': { en: 'Waiting for the pod to appear…', ko: '파드가 나타나기를 기다리는 중…' },
  'lab.lastTerm': { en: 'last exit', ko: '마지막 종료' },
  'lab.ago': { en: '{t} ago', ko: '{t} 전' },
  'lab.age': { en: 'age', ko: '생성 후' },
  'lab.copied': { en: 'copied to the clipboard', ko: '클립보드에 복사됨' },
  'lab.backoff': { en: 'back-off', ko: '백오프' },
  'lab.restartIn': { en: 'retry in {s}', ko: '{s} 뒤 재시도' },
  'lab.restartDue': { en: 'retry due now', ko: '곧 재시도' },
  'lab.timeline': { en: 'restarts', ko: '재시작' },
  'lab.routine': { en: '60-second routine', ko: '60초 루틴' },
  'lab.output': { en: 'Output', ko: '출력' },
  'lab.outputEmpty': { en: 'Enter runs the selected step; its output appears here.', ko: 'Enter로 선택한 단계를 실행하면 결과가 여기에 나옵니다.' },
  'lab.running': { en: 'running…', ko: '실행 중…' },
  'lab.interactive': {
    en: 'This step needs a terminal of its own: copy the command into another terminal.',
    ko: '이 단계는 별도 터미널이 필요합니다. 명령을 다른 터미널에 복사해 실행하세요.',
  },
  'lab.exit': { en: 'exit code {code}', ko: '종료 코드 {code}' },
  'lab.events': { en: 'Events', ko: '이벤트' },
  'lab.previousLogs': { en: 'logs --previous', ko: 'logs --previous' },
  'lab.noEvents': { en: '(no events yet)', ko: '(아직 이벤트 없음)' },
  'lab.noLogs': { en: '(no previous logs)', ko: '(이전 로그 없음)' },
  'lab.hint': { en: 'Hint {n}/{total}', ko: '힌트 {n}/{total}' },
  'lab.hints': { en: 'hints', ko: '힌트' },

  'diagnose.title': { en: 'What is the cause? Pick from the guide’s map', ko: '원인은 무엇일까요? 가이드의 분류에서 고르세요' },
  'diagnose.select': {
    en: 'Select a cause with ↑↓, or type its number (1-20; two digits quickly, or 0 first: 09; + for the ones marked +). Enter names the selected cause.',
    ko: '↑↓로 원인을 고르거나 번호를 입력하세요(1-20, 두 자리는 빠르게 이어서 또는 0을 먼저: 09, + 표시 항목은 +). Enter를 누르면 선택한 원인을 제출합니다.',
  },
  'diagnose.checking': { en: 'Checking your answer against the live pod…', ko: '실제 파드와 답을 맞춰 보는 중…' },
  'diagnose.right': { en: 'Right: {cat}', ko: '정답: {cat}' },
  'diagnose.wrong': { en: 'Not this one: {cat}', ko: '이것은 아닙니다: {cat}' },
  'diagnose.evidence': { en: 'Evidence on the live pod', ko: '실제 파드에서 찾은 근거' },
  'diagnose.pointsTo': { en: 'The evidence points to another category. Look again, or take a hint in the lab.', ko: '근거는 다른 분류를 가리킵니다. 다시 살펴보거나 실습 화면에서 힌트를 보세요.' },

  'fix.title': { en: 'Fix the live objects', ko: '실제 오브젝트를 고치세요' },
  'fix.intro': {
    en: 'Fix it your way in another terminal; this screen keeps watching the pod:',
    ko: '다른 터미널에서 원하는 방법으로 고치세요. 이 화면은 계속 파드를 지켜봅니다:',
  },
  'fix.applyNote': {
    en: 'crashlab created these objects with server-side apply: `kubectl apply -f` adds and changes fields but cannot remove one. To delete a field, use edit or patch.',
    ko: 'crashlab은 이 오브젝트를 server-side apply로 만들었습니다. `kubectl apply -f`는 필드를 추가하거나 바꿀 수는 있지만 지우지는 못합니다. 필드를 지우려면 edit이나 patch를 쓰세요.',
  },
  'fix.editHere': { en: 'or press e to edit the live Deployment here (opens $EDITOR, applies on save)', ko: '또는 e를 눌러 여기서 실제 Deployment를 편집(에디터가 열리고 저장하면 적용)' },
  'fix.loading': { en: 'Reading the live Deployment…', ko: '실제 Deployment를 읽는 중…' },
  'fix.applying': { en: 'Applying…', ko: '적용하는 중…' },
  'fix.applied': { en: 'Applied. Watch the pod, then press v to verify.', ko: '적용했습니다. 파드를 지켜본 뒤 v로 검증하세요.' },
  'fix.unchanged': { en: 'Nothing changed; nothing applied.', ko: '바뀐 것이 없어 적용하지 않았습니다.' },
  'fix.rejected': { en: 'The server rejected the change:', ko: '서버가 변경을 거부했습니다:' },
  'fix.rejectedNext': { en: 'Press e to edit again (your text is kept), or fix it in another terminal.', ko: 'e를 눌러 다시 편집하거나(작성한 내용은 유지됨) 다른 터미널에서 고치세요.' },
  'fix.solveQuestion': {
    en: 'Apply the reference solution? It counts as solved with help.',
    ko: '모범 답안을 적용할까요? 도움 받아 해결한 것으로 기록됩니다.',
  },
  'fix.solved': { en: 'Reference solution applied (solved with help). Press v to verify.', ko: '모범 답안을 적용했습니다(도움 받음). v로 검증하세요.' },

  'verify.title': { en: 'Verifying the fix', ko: '수정 검증' },
  'verify.rollout': { en: 'Waiting for the rollout to finish… {s}', ko: '롤아웃이 끝나기를 기다리는 중… {s}' },
  'verify.watching': { en: 'Watching for restarts: {s} left of a {w} window', ko: '재시작 감시 중: {w} 중 {s} 남음' },
  'verify.why': { en: 'Why this window', ko: '이 안정성 확인 구간의 근거' },
  'verify.pass': { en: 'PASS in {t}', ko: '통과: {t}' },
  'verify.fail': { en: 'FAIL: the fix does not hold', ko: '실패: 수정이 유지되지 않습니다' },
  'verify.unable': { en: 'Could not decide', ko: '판정할 수 없음' },
  'verify.evidence': { en: 'Evidence', ko: '근거' },
  'verify.guards': { en: 'Guards', ko: '유지해야 할 조건' },

  'debrief.loading': { en: 'Preparing the debrief…', ko: '회고를 준비하는 중…' },
  'debrief.why': { en: 'Why it broke', ko: '고장 난 이유' },
  'debrief.diff': { en: 'The fix (broken → {against})', ko: '수정 내용(고장 → {against})' },
  'debrief.live': { en: 'your live spec', ko: '내 실제 스펙' },
  'debrief.reference': { en: 'reference', ko: '모범 답안' },
  'debrief.checklist': { en: 'Checklist', ko: '체크리스트' },
  'debrief.score': { en: 'score {score} · time {t} · hints {h} · diagnosis {d}', ko: '점수 {score} · 시간 {t} · 힌트 {h} · 진단 {d}' },
  'debrief.teamScore': { en: 'team {score} (board) · {t} · hints {h} · {d}', ko: '팀 {score}점(보드) · {t} · 힌트 {h} · {d}' },
  'debrief.teamScorePending': { en: 'team {score} (board verdict to come) · {t} · hints {h} · {d}', ko: '팀 {score}점(보드 판정 대기) · {t} · 힌트 {h} · {d}' },

  'debrief.helped': { en: 'solved with help', ko: '도움 받아 해결' },
  'debrief.saved': { en: 'progress saved', ko: '진행 상황 저장됨' },
  'debrief.saving': { en: 'saving progress…', ko: '진행 상황 저장 중…' },
  'debrief.reset': { en: 'Namespace {ns} deleted.', ko: '네임스페이스를 삭제했습니다: {ns}' },
  'diagnosis.right': { en: 'right', ko: '정답' },
  'diagnosis.wrong': { en: 'wrong first', ko: '첫 답 오답' },
  'diagnosis.none': { en: 'skipped', ko: '건너뜀' },

  'help.title': { en: 'Keys', ko: '키' },
  'gameOver.title': { en: 'Game over', ko: '게임 종료' },
  'gameOver.keep': { en: "The instructor's final results keep your team's score and notes.", ko: '강사의 최종 결과에 팀의 점수와 노트가 남아 있습니다.' },
  'quit.question': { en: 'A verification is running. Quit anyway? (progress is kept)', ko: '검증이 진행 중입니다. 그래도 종료할까요? (진행은 유지됨)' },
  'error.next': { en: 'next', ko: '다음' },
  // The seconds before the command: a narrow terminal cuts the end of the line.
  'slow.cluster': { en: 'The cluster is slow to answer: {s} so far ({command}{more})…', ko: '클러스터 응답이 느립니다: {s} 경과({command}{more})…' },
  'slow.waiting': { en: 'Waiting for the cluster to finish: {s} so far ({command}{more})…', ko: '클러스터 작업이 끝나기를 기다리는 중: {s} 경과({command}{more})…' },
  'slow.more': { en: '; {n} more waiting', ko: ', 다른 호출 {n}개도 대기 중' },
  working: { en: 'working…', ko: '작업 중…' },
} satisfies Record<string, Text>;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return pickFilled(STRINGS[key], lang, vars);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
