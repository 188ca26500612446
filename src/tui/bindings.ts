/**
 * Every key the lab answers, per screen: the one table the router, the footer and the help
 * overlay read (see keys.ts). A key not in here does nothing.
 */
import type { Text } from '../core/text.js';
import type { FlowState, Overlay, Screen } from './flow.js';
import type { Binding } from './keys.js';
import type { ClusterState, DiagnoseState } from './screens/state.js';

/** What a key can do: the root component implements these with the screen hooks. */
export interface KeyActions {
  quit(code?: number): void;
  askQuit(): void;
  closeOverlay(): void;
  openHelp(): void;
  back(): void;
  leaveLab(): void;
  open(screen: 'lab' | 'diagnose' | 'fix'): void;
  rerunPreflight(): void;
  continuePreflight(): void;
  confirmContext(): void;
  retryCluster(): void;
  deleteCluster(): void;
  /** Read the scenarios without a cluster (briefings only). */
  browse(): void;
  cancelCluster(): void;
  pickerMove(delta: number): void;
  filterOpen(): void;
  filterClose(): void;
  filterType(text: string): void;
  filterErase(): void;
  filterClear(): void;
  toggleMystery(): void;
  startSelected(): void;
  askRedeploy(): void;
  redeploySelected(): void;
  labPane(): void;
  labMove(delta: number): void;
  labPage(direction: number): void;
  labShift(direction: number): void;
  runStep(): void;
  copyStep(): void;
  hint(): void;
  diagnoseMove(delta: number): void;
  diagnoseChoose(): void;
  diagnoseDigit(digit: number): void;
  diagnoseExtra(): void;
  diagnoseRetry(): void;
  diagnoseBack(): void;
  edit(): void;
  askSolve(): void;
  solve(): void;
  verify(): void;
  cancelVerify(): void;
  debriefScroll(rows: number): void;
  debriefPage(direction: number): void;
  resetRun(): void;
  writeNote(): void;
}

/** The state the `when` conditions read, taken at the moment of each key. */
export interface KeyContext {
  flow: FlowState;
  preflight: { running: boolean; failed: boolean; error: boolean };
  cluster: ClusterState;
  filtering: boolean;
  starting: boolean;
  /** The picker's selected scenario has a run the learner left, to resume. */
  selectedPaused: boolean;
  labPane: 'routine' | 'output';
  diagnose: DiagnoseState;
  fixBusy: boolean;
  /** Game mode (a team kubeconfig): the debrief can record the team's note. */
  inGame: boolean;
  act: KeyActions;
}

type B = Binding<KeyContext>;
const t = (en: string, ko: string): Text => ({ en, ko });
const verifying = (c: KeyContext) => Boolean(c.flow.lab?.verifying);

/** Overlays take every key while they are open. */
export const OVERLAY_BINDINGS: Record<Overlay, B[]> = {
  help: [{ keys: ['any'], display: t('any key', '아무 키'), label: t('closes', '닫기'), run: (c) => c.act.closeOverlay() }],
  quit: [
    { keys: ['y'], label: t('quit', '종료'), run: (c) => c.act.quit(0) },
    { keys: ['ctrl-c'], label: t('quit', '종료'), help: t('quit (exit code 130)', '종료(종료 코드 130)'), helpOnly: true, run: (c) => c.act.quit(130) },
    { keys: ['n', 'escape'], display: 'n', label: t('stay', '계속'), run: (c) => c.act.closeOverlay() },
  ],
  solve: [
    { keys: ['y'], label: t('apply the reference solution', '모범 답안 적용'), run: (c) => c.act.solve() },
    { keys: ['n', 'escape'], display: 'n', label: t('keep trying', '계속 시도'), run: (c) => c.act.closeOverlay() },
  ],
  redeploy: [
    { keys: ['y'], label: t('deploy again from scratch', '처음부터 다시 배포'), run: (c) => c.act.redeploySelected() },
    { keys: ['n', 'escape'], display: 'n', label: t('keep my run', '내 실습 유지'), run: (c) => c.act.closeOverlay() },
  ],
  // Nothing the team does reaches the cluster any more: leaving is the one thing left.
  'game-over': [
    { keys: ['q', 'enter', 'escape'], display: 'q', label: t('quit', '종료'), run: (c) => c.act.quit(0) },
    { keys: ['ctrl-c'], label: t('quit', '종료'), helpOnly: true, run: (c) => c.act.quit(130) },
  ],
};

/** Keys that work on every screen (outside the filter field). Listed after the screen's own. */
export const GLOBAL_BINDINGS: B[] = [
  { keys: ['ctrl-c', 'q'], display: 'q', label: t('quit', '종료'), help: t('quit (asks while a verify runs)', '종료(검증 중이면 확인)'), helpOnly: true, when: (c) => verifying(c) && !c.filtering, run: (c) => c.act.askQuit() },
  // Ctrl-C ends the lab like an interrupted command: exit code 130.
  { keys: ['ctrl-c'], label: t('quit', '종료'), help: t('quit (exit code 130)', '종료(종료 코드 130)'), helpOnly: true, run: (c) => c.act.quit(130) },
  { keys: ['?'], label: t('keys', '키'), help: t('this help', '이 도움말'), when: (c) => !c.filtering, run: (c) => c.act.openHelp() },
  { keys: ['q'], label: t('quit', '종료'), when: (c) => !c.filtering, run: (c) => c.act.quit(0) },
];

export const SCREEN_BINDINGS: Record<Screen, B[]> = {
  preflight: [
    { keys: ['r'], label: t('re-check', '다시 점검'), when: (c) => !c.preflight.running, run: (c) => c.act.rerunPreflight() },
    { keys: ['enter'], label: t('continue', '계속'), when: (c) => !c.preflight.running && !c.preflight.failed && !c.preflight.error, run: (c) => c.act.continuePreflight() },
    { keys: ['b'], label: t('browse (read-only)', '읽기 전용으로 보기'), help: t('read the scenarios without a cluster', '클러스터 없이 시나리오 읽기'), when: (c) => !c.preflight.running && (c.preflight.failed || c.preflight.error), run: (c) => c.act.browse() },
  ],
  cluster: [
    { keys: ['y'], label: t('continue', '계속'), help: t('use a context that is not crashlab’s kind cluster', 'crashlab의 kind 클러스터가 아닌 context 사용'), when: (c) => c.cluster.phase === 'confirm', run: (c) => c.act.confirmContext() },
    { keys: ['n', 'escape'], display: 'n', label: t('quit', '종료'), when: (c) => c.cluster.phase === 'confirm', run: (c) => c.act.quit(2) },
    { keys: ['ctrl-c'], label: t('cancel', '취소'), when: (c) => c.cluster.phase === 'working', run: (c) => c.act.cancelCluster() },
    { keys: ['r'], label: t('retry', '다시 시도'), when: (c) => ['cancelled', 'failed', 'deleted'].includes(c.cluster.phase), run: (c) => c.act.retryCluster() },
    { keys: ['d'], label: t('delete the cluster (crashlab down)', '클러스터 삭제(crashlab down)'), when: (c) => c.cluster.phase === 'cancelled' || c.cluster.phase === 'failed', run: (c) => c.act.deleteCluster() },
    { keys: ['b'], label: t('browse (read-only)', '읽기 전용으로 보기'), help: t('read the scenarios without a cluster', '클러스터 없이 시나리오 읽기'), when: (c) => c.cluster.phase === 'cancelled' || c.cluster.phase === 'failed', run: (c) => c.act.browse() },
  ],
  picker: [
    { keys: ['enter', 'escape'], display: 'Enter/Esc', label: t('done', '완료'), help: t('close the filter field', '필터 입력 닫기'), when: (c) => c.filtering, run: (c) => c.act.filterClose() },
    { keys: ['backspace'], label: t('erase', '지우기'), helpOnly: true, when: (c) => c.filtering, run: (c) => c.act.filterErase() },
    { keys: ['up'], display: '↑↓', label: t('move', '이동'), help: t('move (also j k outside the filter)', '이동(필터 밖에서는 j k도)'), helpOnly: true, when: (c) => c.filtering, run: (c) => c.act.pickerMove(-1) },
    { keys: ['down'], display: '↑↓', label: t('move', '이동'), help: t('move (also j k outside the filter)', '이동(필터 밖에서는 j k도)'), helpOnly: true, when: (c) => c.filtering, run: (c) => c.act.pickerMove(1) },
    { keys: ['text'], display: t('type', '입력'), label: t('to filter', '입력해서 거르기'), when: (c) => c.filtering, run: (c, input) => c.act.filterType(input) },
    { keys: ['up', 'k'], display: '↑↓', label: t('move', '이동'), help: t('move (also j k outside the filter)', '이동(필터 밖에서는 j k도)'), when: (c) => !c.starting, run: (c) => c.act.pickerMove(-1) },
    { keys: ['down', 'j'], display: '↑↓', label: t('move', '이동'), help: t('move (also j k outside the filter)', '이동(필터 밖에서는 j k도)'), when: (c) => !c.starting, run: (c) => c.act.pickerMove(1) },
    { keys: ['enter'], label: t('resume', '이어서 하기'), help: t('resume your run of it (hints and clock kept)', '진행 중인 실습 이어서 하기(힌트와 시간 유지)'), when: (c) => !c.starting && !c.flow.readOnly && c.selectedPaused, run: (c) => c.act.startSelected() },
    { keys: ['n'], label: t('new run', '새로 시작'), help: t('deploy it again from scratch (asks first: hints and clock start over)', '처음부터 다시 배포(먼저 확인: 힌트와 시간이 초기화됨)'), when: (c) => !c.starting && !c.flow.readOnly && c.selectedPaused, run: (c) => c.act.askRedeploy() },
    { keys: ['enter'], label: t('start', '시작'), when: (c) => !c.starting && !c.flow.readOnly && !c.selectedPaused, run: (c) => c.act.startSelected() },
    { keys: ['/'], label: t('filter', '필터'), when: (c) => !c.starting, run: (c) => c.act.filterOpen() },
    { keys: ['m'], label: t('mystery', '미스터리'), help: t('mystery mode (symptoms only)', '미스터리 모드(증상만)'), when: (c) => !c.starting && !c.flow.mysteryLocked, run: (c) => c.act.toggleMystery() },
    { keys: ['escape'], label: t('clear the filter', '필터 지우기'), helpOnly: true, when: (c) => !c.starting, run: (c) => c.act.filterClear() },
  ],
  lab: [
    { keys: ['enter'], label: t('run', '실행'), help: t('run the selected step', '선택한 단계 실행'), run: (c) => c.act.runStep() },
    { keys: ['y'], label: t('copy', '복사'), help: t('copy the step’s command (OSC 52)', '단계의 명령 복사(OSC 52)'), run: (c) => c.act.copyStep() },
    { keys: ['tab'], label: t('pane', '창'), help: t('next pane', '다음 창'), run: (c) => c.act.labPane() },
    { keys: ['h'], label: t('hint', '힌트'), help: t('reveal the next hint (counted)', '다음 힌트 보기(횟수 기록)'), run: (c) => c.act.hint() },
    { keys: ['d'], label: t('diagnose', '진단'), run: (c) => c.act.open('diagnose') },
    { keys: ['f'], label: t('fix', '수정'), run: (c) => c.act.open('fix') },
    { keys: ['v'], label: t('verify', '검증'), run: (c) => c.act.verify() },
    { keys: ['up', 'k'], display: '↑↓', label: t('move', '이동'), help: t('select a step, or scroll the output pane (also j k)', '단계 선택 또는 출력 스크롤(j k도)'), helpOnly: true, run: (c) => c.act.labMove(-1) },
    { keys: ['down', 'j'], display: '↑↓', label: t('move', '이동'), help: t('select a step, or scroll the output pane (also j k)', '단계 선택 또는 출력 스크롤(j k도)'), helpOnly: true, run: (c) => c.act.labMove(1) },
    { keys: ['pageUp'], display: 'PgUp/PgDn', label: t('scroll the output', '출력 스크롤'), helpOnly: true, run: (c) => c.act.labPage(-1) },
    { keys: ['pageDown'], display: 'PgUp/PgDn', label: t('scroll the output', '출력 스크롤'), helpOnly: true, run: (c) => c.act.labPage(1) },
    { keys: ['left'], display: '←→', label: t('scroll wide output sideways', '넓은 출력 좌우 스크롤'), helpOnly: true, run: (c) => c.act.labShift(-1) },
    { keys: ['right'], display: '←→', label: t('scroll wide output sideways', '넓은 출력 좌우 스크롤'), helpOnly: true, run: (c) => c.act.labShift(1) },
    { keys: ['escape'], label: t('back to the scenarios', '시나리오로'), helpOnly: true, run: (c) => c.act.back() },
  ],
  diagnose: [
    { keys: ['f'], label: t('fix it', '고치러 가기'), when: (c) => !c.diagnose.checking && c.diagnose.result?.correct === true, run: (c) => c.act.open('fix') },
    { keys: ['enter'], label: t('try again', '다시 고르기'), when: (c) => !c.diagnose.checking && c.diagnose.result?.correct === false, run: (c) => c.act.diagnoseRetry() },
    { keys: ['escape'], label: t('back to the lab', '실습으로'), when: (c) => !c.diagnose.checking && Boolean(c.diagnose.result), run: (c) => c.act.diagnoseBack() },
    { keys: ['up', 'k'], display: '↑↓', label: t('move', '이동'), when: (c) => !c.diagnose.checking && !c.diagnose.result, run: (c) => c.act.diagnoseMove(-1) },
    { keys: ['down', 'j'], display: '↑↓', label: t('move', '이동'), when: (c) => !c.diagnose.checking && !c.diagnose.result, run: (c) => c.act.diagnoseMove(1) },
    {
      keys: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      display: '1-20',
      label: t('select by number', '번호로 선택'),
      help: t('select the cause with that number (two digits in a row: 14; or 0 first: 09); it is not submitted yet', '그 번호의 원인 선택(두 자리는 이어서: 14, 또는 0을 먼저: 09). 아직 제출하지 않습니다'),
      when: (c) => !c.diagnose.checking && !c.diagnose.result,
      run: (c, input) => c.act.diagnoseDigit(Number(input)),
    },
    { keys: ['+'], label: t('select the next cause marked +', '+ 표시된 다음 원인 선택'), helpOnly: true, when: (c) => !c.diagnose.checking && !c.diagnose.result, run: (c) => c.act.diagnoseExtra() },
    { keys: ['enter'], label: t('submit', '제출'), help: t('name the selected cause (counted)', '선택한 원인 제출(기록됨)'), when: (c) => !c.diagnose.checking && !c.diagnose.result && c.diagnose.cursor >= 0, run: (c) => c.act.diagnoseChoose() },
    { keys: ['escape'], label: t('back to the lab', '실습으로'), when: (c) => !c.diagnose.checking && !c.diagnose.result, run: (c) => c.act.back() },
  ],
  fix: [
    { keys: ['e'], label: t('edit', '편집'), help: t('edit the live Deployment in $EDITOR', '$EDITOR로 실제 Deployment 편집'), when: (c) => !c.fixBusy, run: (c) => c.act.edit() },
    { keys: ['s'], label: t('reference solution', '모범 답안 적용'), help: t('apply the reference solution (counted as help)', '모범 답안 적용(도움으로 기록)'), when: (c) => !c.fixBusy, run: (c) => c.act.askSolve() },
    { keys: ['v'], label: t('verify', '검증'), when: (c) => !c.fixBusy, run: (c) => c.act.verify() },
    { keys: ['escape'], label: t('back', '뒤로'), when: (c) => !c.fixBusy, run: (c) => c.act.back() },
  ],
  verify: [
    { keys: ['escape'], label: t('cancel', '취소'), help: t('cancel the verification', '검증 취소'), when: verifying, run: (c) => c.act.cancelVerify() },
    { keys: ['f'], label: t('back to fix', '수정으로'), when: (c) => !verifying(c), run: (c) => c.act.back() },
    { keys: ['v'], label: t('verify again', '다시 검증'), when: (c) => !verifying(c), run: (c) => c.act.verify() },
    { keys: ['escape'], label: t('lab', '실습으로'), when: (c) => !verifying(c), run: (c) => c.act.open('lab') },
  ],
  debrief: [
    { keys: ['up', 'k'], display: '↑↓/PgUp/PgDn', label: t('scroll', '스크롤'), run: (c) => c.act.debriefScroll(-1) },
    { keys: ['down', 'j'], display: '↑↓/PgUp/PgDn', label: t('scroll', '스크롤'), run: (c) => c.act.debriefScroll(1) },
    { keys: ['pageUp'], display: '↑↓/PgUp/PgDn', label: t('scroll', '스크롤'), run: (c) => c.act.debriefPage(-1) },
    { keys: ['pageDown'], display: '↑↓/PgUp/PgDn', label: t('scroll', '스크롤'), run: (c) => c.act.debriefPage(1) },
    { keys: ['enter', 'escape'], display: 'Enter/Esc', label: t('back to scenarios', '시나리오로'), run: (c) => c.act.leaveLab() },
    { keys: ['r'], label: t('reset namespace', '네임스페이스 정리'), help: t('delete this run from the cluster', '이 실행을 클러스터에서 삭제'), run: (c) => c.act.resetRun() },
    { keys: ['n'], label: t('team note', '팀 메모'), help: t("write what your team concluded into the team's log (for the instructor's debrief)", '팀이 내린 결론을 팀 로그에 기록(강사의 회고용)'), when: (c) => c.inGame, run: (c) => c.act.writeNote() },
  ],
};

/** The table that answers keys now: an open overlay's, or the screen's followed by the global ones. */
export function activeBindings(flow: FlowState): B[] {
  if (flow.overlay) return OVERLAY_BINDINGS[flow.overlay];
  return [...SCREEN_BINDINGS[flow.screen], ...GLOBAL_BINDINGS];
}
