/**
 * The command line's own words in English and Korean (the lab's are in tui/i18n.ts, learner
 * content carries its own Text). Add keys; keep the shape: one key, one { en, ko }.
 */
import { pickFilled, type Lang, type Text } from '../core/text.js';

export const WORDS = {
  // main.ts
  'usage.root': { en: 'Run `crashlab --help` for usage.', ko: '사용법은 `crashlab --help`로 확인하세요.' },
  'usage.command': { en: 'Run `crashlab {command} --help` for usage.', ko: '사용법은 `crashlab {command} --help`로 확인하세요.' },
  'notInteractive': {
    en: 'Not on an interactive terminal: the lab UI needs one. Use the subcommands above.',
    ko: '대화형 터미널이 아니어서 실습 화면을 열 수 없습니다. 위의 하위 명령을 쓰세요.',
  },
  warning: { en: 'warning', ko: '경고' },
  'slowCluster': {
    en: 'waiting for the cluster of context "{context}"… (giving up after {s} s; --request-timeout to change)',
    ko: '"{context}" 컨텍스트의 클러스터를 기다리는 중…({s}초 뒤 포기, --request-timeout으로 변경)',
  },
  confirmYesNo: { en: '[y/N]', ko: '[y/N]' },
  'interrupt.again': { en: 'interrupted again: stopping now.', ko: '다시 중단했습니다. 지금 멈춥니다.' },
  'interrupt.stuck': {
    en: 'interrupted: the command did not stop within 10 s; stopping now.',
    ko: '중단했지만 명령이 10초 안에 멈추지 않아 지금 멈춥니다.',
  },
  'interrupt.ctrlC': {
    en: 'interrupted (Ctrl-C): {what} stopped before it finished; its kubectl calls were stopped too.',
    ko: '중단함(Ctrl-C): {what} 명령이 끝나기 전에 멈췄고, 실행 중이던 kubectl 호출도 멈췄습니다.',
  },
  'interrupt.sigterm': {
    en: 'stopped (SIGTERM): {what} stopped before it finished; its kubectl calls were stopped too.',
    ko: '멈춤(SIGTERM): {what} 명령이 끝나기 전에 멈췄고, 실행 중이던 kubectl 호출도 멈췄습니다.',
  },
  'interrupt.sighup': {
    en: 'the terminal was closed (SIGHUP): {what} stopped before it finished; its kubectl calls were stopped too.',
    ko: '터미널이 닫혔습니다(SIGHUP): {what} 명령이 끝나기 전에 멈췄고, 실행 중이던 kubectl 호출도 멈췄습니다.',
  },

  // errors and their next steps (app.ts)
  'hint.doctor': { en: 'Run `crashlab doctor` to see what is missing and how to install it.', ko: '`crashlab doctor`를 실행하면 무엇이 없고 어떻게 설치하는지 알려 줍니다.' },
  'hint.createFailed': { en: 'Run `crashlab doctor`; `crashlab down` removes a half-created cluster.', ko: '`crashlab doctor`를 실행하세요. 반쯤 만들어진 클러스터는 `crashlab down`으로 지웁니다.' },
  'hint.notReady': { en: 'Check `kubectl get nodes` and `crashlab doctor`.', ko: '`kubectl get nodes`와 `crashlab doctor`로 확인하세요.' },
  'hint.unreachable': { en: '`crashlab doctor` checks kubectl, the context and the cluster.', ko: '`crashlab doctor`가 kubectl, 컨텍스트, 클러스터를 점검합니다.' },
  'hint.missingTool': { en: 'Run `crashlab doctor` for install instructions.', ko: '설치 방법은 `crashlab doctor`로 확인하세요.' },
  'hint.forbidden': { en: 'Your kubeconfig user may not do this in that namespace.', ko: 'kubeconfig의 사용자에게 그 네임스페이스에서 이 작업을 할 권한이 없습니다.' },

  // start, note, status, routine, solve, reset (commands/lab.ts)
  'start.next': { en: 'Next: {status}   ·   {routine}', ko: '다음: {status}   ·   {routine}' },
  'note.saved': {
    en: "Noted in your team's log; the instructor's export shows it next to the debrief.",
    ko: '팀 로그에 기록했습니다. 강사의 내보내기에서 회고 옆에 보입니다.',
  },
  'note.savedAbout': {
    en: "Noted in your team's log (about {instance}); the instructor's export shows it next to the debrief.",
    ko: '팀 로그에 기록했습니다({instance} 관련). 강사의 내보내기에서 회고 옆에 보입니다.',
  },
  'routine.noOutput': { en: '(no output)', ko: '(출력 없음)' },
  'routine.exitCode': { en: '(exit code {code})', ko: '(종료 코드 {code})' },
  'routine.interactive': { en: '(interactive: run it yourself in a terminal)', ko: '(대화형: 터미널에서 직접 실행하세요)' },
  'solve.applied': { en: 'Reference solution applied. Prove it: {command}', ko: '모범 답안을 적용했습니다. 증명하세요: {command}' },
  'reset.deleted': { en: 'deleted', ko: '삭제함' },
  'reset.absent': { en: 'nothing to delete', ko: '삭제할 것 없음' },
  'reset.refused': { en: 'NOT deleted: it was not created by crashlab', ko: '삭제하지 않음: crashlab이 만든 것이 아닙니다' },
  'reset.nothing': { en: 'Nothing to delete.', ko: '삭제할 것이 없습니다.' },
  'status.heading': { en: 'Scenario {id} · namespace {ns}', ko: '시나리오 {id} · 네임스페이스 {ns}' },
  'status.noPods': { en: 'No pods yet.', ko: '아직 파드가 없습니다.' },
  'status.columns': { en: 'POD|STATUS|READY|RESTARTS|LAST TERMINATION|BACK-OFF', ko: '파드|STATUS|READY|RESTARTS|마지막 종료|백오프' },
  'status.restartIn': { en: 'restart in {s}s (back-off {d}s)', ko: '{s}초 뒤 재시작(백오프 {d}초)' },
  'status.backOff': { en: 'back-off {d}s', ko: '백오프 {d}초' },
  'status.running': { en: 'running', ko: '실행 중' },
  'status.exit': { en: '{reason} (exit {code})', ko: '{reason} (종료 코드 {code})' },
  'status.message': { en: 'message', ko: '메시지' },
  'status.fixed': { en: 'The pod runs and is Ready. Fixed? Prove it: {command}', ko: '파드가 실행 중이고 Ready입니다. 고쳤나요? 증명하세요: {command}' },
  'status.asDesigned': { en: 'Broken as designed: the pod shows the scenario’s signature.', ko: '설계대로 고장 났습니다. 파드에 시나리오의 증상이 보입니다.' },
  'status.notYet': { en: 'Not (yet) showing the scenario’s signature:', ko: '시나리오의 증상이 (아직) 보이지 않습니다:' },
  'status.check': { en: '{field}: expected {expected}, observed {observed}', ko: '{field}: 기대 {expected}, 관찰 {observed}' },
  'teamLog.warning': { en: 'warning: {warning}', ko: '경고: {warning}' },

  // up, down, list
  'up.created': { en: 'Cluster created in {s}s.', ko: '클러스터를 {s}초 만에 만들었습니다.' },
  'up.ready': { en: 'Cluster ready (context {context}). Next: crashlab list', ko: '클러스터가 준비되었습니다(컨텍스트 {context}). 다음: crashlab list' },
  'up.cancelled': { en: 'cancelled: kind was stopped and the half-created cluster removed', ko: '취소했습니다. kind를 멈추고 반쯤 만들어진 클러스터를 지웠습니다' },
  'up.preloaded': { en: 'Loaded {n} image(s): {images}', ko: '이미지 {n}개를 불러왔습니다: {images}' },
  'up.again': { en: 'Run `crashlab up` again when you are ready.', ko: '준비되면 `crashlab up`을 다시 실행하세요.' },
  'down.absent': { en: 'No kind cluster "{name}": nothing to delete.', ko: 'kind 클러스터 "{name}" 없음: 삭제할 것이 없습니다.' },
  'down.deleted': { en: 'Deleted kind cluster "{name}".', ko: 'kind 클러스터를 삭제했습니다: "{name}"' },
  'list.none': { en: 'No valid scenarios.', ko: '올바른 시나리오가 없습니다.' },
  'list.problems': {
    en: '{n} problem(s) in the scenario files; those scenarios are not listed. Run `crashlab validate`.',
    ko: '시나리오 파일에 문제가 {n}개 있어 해당 시나리오는 목록에서 뺐습니다. `crashlab validate`를 실행하세요.',
  },

  // join
  'join.cannotRead': { en: 'cannot read {file}: {why}', ko: '{file} 파일을 읽을 수 없습니다: {why}' },
  'join.useTeamFile': { en: 'Use the team-N.kubeconfig file your instructor gave you.', ko: '강사에게 받은 team-N.kubeconfig 파일을 쓰세요.' },
  'join.expired': { en: 'the token in {file} expired at {at}', ko: '{file}의 토큰이 {at}에 만료되었습니다' },
  'join.askFresh': { en: 'Ask your instructor for a fresh kubeconfig (crashlab gameday create issues new ones).', ko: '강사에게 새 kubeconfig를 요청하세요(crashlab gameday create가 새로 발급합니다).' },
  'join.notTeam': {
    en: 'namespace {ns} is not a crashlab game-day team (no {cm} ConfigMap with game and team labels)',
    ko: '{ns} 네임스페이스는 crashlab 게임 데이 팀이 아닙니다(game, team 레이블이 붙은 {cm} ConfigMap 없음)',
  },
  'join.joined': { en: 'joined game {game} as {team}: namespace {ns} on {server}', ko: '게임 {game}에 {team} 팀으로 합류했습니다: 네임스페이스 {ns}, 서버 {server}' },
  'join.until': { en: 'your credentials work until {at}', ko: '자격 증명 유효 기한: {at}' },
  'join.released': { en: 'released by your instructor', ko: '강사가 배포함' },
  'join.releasedRound': { en: 'released by your instructor (round {round})', ko: '강사가 배포함({round}라운드)' },
  'join.startedByTeam': { en: 'started by your team', ko: '팀이 시작함' },
  'join.running': { en: 'running in your namespace: {instance}, {how}: {command}', ko: '내 네임스페이스에서 실행 중: {instance}, {how}: {command}' },
  'join.playWith': {
    en: 'play with: crashlab --kubeconfig {file} list | start <id> | status <id> | routine <id> | verify <id>  (an instance id works wherever <id> does)',
    ko: '실습 명령: crashlab --kubeconfig {file} list | start <id> | status <id> | routine <id> | verify <id>  (<id> 자리에는 인스턴스 id도 됩니다)',
  },
  'join.kubectl': { en: 'or plain kubectl: KUBECONFIG={file} kubectl get pods', ko: 'kubectl만 쓸 때: KUBECONFIG={file} kubectl get pods' },
} satisfies Record<string, Text>;

export type WordKey = keyof typeof WORDS;

export function say(lang: Lang, key: WordKey, vars: Record<string, string | number> = {}): string {
  return pickFilled(WORDS[key], lang, vars);
}

/** The entry itself, for errors that carry both languages (CliError). */
export function words(key: WordKey, vars: Record<string, string | number> = {}): Text {
  return { en: say('en', key, vars), ko: say('ko', key, vars) };
}
