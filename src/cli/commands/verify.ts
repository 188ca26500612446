/**
 * `crashlab verify <id>`, `crashlab verify --workload KIND/NAME -n NS` (deploy, sts, ds, job) and
 * `crashlab verify --deployment NAME -n NS`: runs the verifier and
 * maps its verdict to output and exit code (0 pass, 1 fail, 2 could not verify). Read-only:
 * it never changes the cluster.
 */
import { VERIFY_IN_ROOM } from '../../core/gameday/teamContent.js';
import type { Command } from 'commander';
import { type Scenario } from '../../core/scenario.js';
import { parseDurationText } from '../../core/duration.js';
import { safeText } from '../../core/untrusted.js';
import { pick, type Lang, type Text } from '../../core/text.js';
import { cells, truncate, wrapWords } from '../../core/width.js';
import type { LabTarget } from '../../engine/labTypes.js';
import type { Verdict, VerifyProgress } from '../../engine/verify.js';
import { openLab } from '../app.js';
import { parseWorkloadRef, type WorkloadKind } from '../../core/verify/workload.js';
import { CliError, EXIT, asCliError } from '../errors.js';
import { crashlabCommand, eprintln, printJson, println, printlnPainted, proseWidth, type Io } from '../io.js';
import type { CommandEnv } from '../env.js';

interface VerifyOpts {
  deployment?: string;
  workload?: string;
  namespace?: string;
  window?: string;
  rolloutTimeout?: string;
  json?: boolean;
}

/** "45s", "2m", "1m30s" or plain seconds. */
/** A duration flag, by the one parser and bounds (core/duration.ts); a number alone is seconds. */
export function parseSeconds(raw: string, option: string): number {
  const parsed = parseDurationText(raw);
  if (!parsed.ok) {
    throw new CliError({ en: `${option} ${parsed.error}`, ko: `${option} "${raw}": 쓸 수 있는 시간 길이가 아닙니다` }, EXIT.unable, {
      en: `e.g. ${option} 45s, ${option} 2m or ${option} 1h.`,
      ko: `예: ${option} 45s, ${option} 2m, ${option} 1h.`,
    });
  }
  return parsed.seconds;
}

export function exitCodeFor(verdict: Verdict): number {
  if (verdict.interrupted) return EXIT.interrupted;
  return verdict.result === 'pass' ? EXIT.ok : verdict.result === 'fail' ? EXIT.failed : EXIT.unable;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('verify')
    .argument('[id]', 'scenario id: verifies its workload in namespace crashlab-<id>, with its guards')
    .description('prove a fix: rollout complete, pods Ready, no restart or Warning event for a window derived from the pod spec')
    .option('--deployment <name>', 'verify any Deployment instead of a scenario (no guards; never changes the cluster)')
    .option('--workload <kind/name>', 'verify any workload: deploy/NAME, sts/NAME, ds/NAME or job/NAME (no guards; never changes the cluster)')
    .option('-n, --namespace <namespace>', 'namespace (required with --workload or --deployment; default crashlab-<id>)')
    .option('--window <duration>', 'stability window, e.g. 45s or 2m (default: derived from the pod spec)')
    .option('--rollout-timeout <duration>', "how long to wait for the rollout (default: the scenario's setting; 10m for --deployment/--workload)")
    .option('--json', 'print the verdict as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 pass, 1 fail (the verdict says why, with evidence), 2 could not verify (no cluster, not deployed, bad arguments).',
    )
    .action(async (id: string | undefined, opts: VerifyOpts) => {
      const globals = env.globals();
      const windowOverrideSeconds = opts.window !== undefined ? parseSeconds(opts.window, '--window') : undefined;
      const rolloutTimeoutOption = opts.rolloutTimeout !== undefined ? parseSeconds(opts.rolloutTimeout, '--rollout-timeout') : undefined;
      const lab = openLab(env, 'machine', 'catalog', 'verify', 'team');
      const target = await resolveTarget(env, id, opts).catch((error) => Promise.reject(asCliError(error)));
      const printer = opts.json ? undefined : new ProgressPrinter(env.io, globals.lang);
      if (printer) printWrapped(env.io, pick(heading(target, lab.context), globals.lang));

      let verdict: Verdict;
      try {
        const run = { windowOverrideSeconds, rolloutTimeoutSeconds: rolloutTimeoutOption, onProgress: printer ? (p: VerifyProgress) => printer.update(p) : undefined, signal: env.signal };
        verdict = await (target.run ? lab.verify(target.run, run) : lab.verifyWorkload(target.namespace, target.kind, target.name, run));
      } catch (error) {
        throw asCliError(error);
      } finally {
        printer?.clear();
      }
      const logWarning = lab.takeTeamLogWarning();
      if (logWarning) env.io.stderr.write(`warning: ${logWarning}\n`);

      if (verdict.result === 'pass' && target.run) await savePass(env, target.run);
      if (opts.json) printJson(env.io, verdict);
      else printVerdict(env.io, verdict, globals.lang, globals.color, target, (rest) => crashlabCommand(globals, rest));
      if (!opts.json && target.run && (await lab.scenario(target.run.scenarioId).catch(() => undefined))?.published) printWrapped(env.io, pick(VERIFY_IN_ROOM, globals.lang));
      env.setExit(exitCodeFor(verdict));
    });
}

interface Target {
  namespace: string;
  kind: WorkloadKind;
  name: string;
  scenario?: Scenario;
  /** The scenario run, when the target is one. */
  run?: LabTarget;
}

const USAGE = 'crashlab verify <id>  |  crashlab verify --workload deploy|sts|ds|job/NAME -n NAMESPACE  |  crashlab verify --deployment NAME -n NAMESPACE';

async function resolveTarget(env: CommandEnv, id: string | undefined, opts: VerifyOpts): Promise<Target> {
  const given = [id, opts.deployment, opts.workload].filter((x) => x !== undefined).length;
  if (given > 1) throw new CliError({ en: 'give one of a scenario id, --workload or --deployment', ko: '시나리오 id, --workload, --deployment 중 하나만 주세요' }, EXIT.unable, USAGE);
  if (opts.workload !== undefined) {
    const ref = parseWorkloadRef(opts.workload);
    if (!ref) {
      throw new CliError({ en: `--workload "${opts.workload}" is not KIND/NAME`, ko: `--workload "${opts.workload}": KIND/NAME 형식이 아닙니다` }, EXIT.unable, {
        en: 'KIND is deploy, sts, ds or job (or deployment, statefulset, daemonset, job), e.g. --workload sts/db',
        ko: 'KIND는 deploy, sts, ds, job(또는 deployment, statefulset, daemonset, job)입니다. 예: --workload sts/db',
      });
    }
    if (!opts.namespace) {
      throw new CliError({ en: '--workload needs -n/--namespace', ko: '--workload에는 -n/--namespace가 필요합니다' }, EXIT.unable, {
        en: `e.g. crashlab verify --workload ${opts.workload} -n my-namespace`,
        ko: `예: crashlab verify --workload ${opts.workload} -n my-namespace`,
      });
    }
    return { namespace: opts.namespace, ...ref };
  }
  if (opts.deployment) {
    if (!opts.namespace) {
      throw new CliError({ en: '--deployment needs -n/--namespace', ko: '--deployment에는 -n/--namespace가 필요합니다' }, EXIT.unable, {
        en: `e.g. crashlab verify --deployment ${opts.deployment} -n my-namespace`,
        ko: `예: crashlab verify --deployment ${opts.deployment} -n my-namespace`,
      });
    }
    return { namespace: opts.namespace, kind: 'Deployment', name: opts.deployment };
  }
  if (!id) {
    throw new CliError(
      { en: 'which workload? give a scenario id or --workload KIND/NAME -n NAMESPACE', ko: '어떤 워크로드인가요? 시나리오 id나 --workload KIND/NAME -n NAMESPACE를 주세요' },
      EXIT.unable,
      { en: 'See `crashlab list` for scenario ids.', ko: '시나리오 id는 `crashlab list`로 확인하세요.' },
    );
  }
  const lab = openLab(env, 'catalog');
  const { scenario } = await lab.scenario(id);
  const run = await lab.target(id, opts.namespace);
  return { namespace: run.namespace, kind: scenario.workload.kind, name: scenario.verify.deployment, scenario, run };
}

/** A pass completes the scenario; a broken progress file must not turn a pass into an error. */
async function savePass(env: CommandEnv, run: LabTarget): Promise<void> {
  try {
    await openLab(env, 'verify').recordVerdict(run, 'pass');
  } catch (error) {
    eprintln(env.io, `crashlab: warning: the pass was not saved to your progress: ${(error as Error).message}`);
  }
}

// ------------------------------------------------------------------ plain output

const t = (en: string, ko: string): Text => ({ en, ko });

function heading(target: Target, context: string): Text {
  const what = `${target.kind} ${target.name} / ${target.namespace}`;
  return t(`Verifying ${what} (context ${context}); read-only.`, `${what} 검증 중 (컨텍스트 ${context}); 클러스터는 바꾸지 않습니다.`);
}

function restartsLine(p: Extract<VerifyProgress, { phase: 'watching' }>): string {
  return p.pods.flatMap((pod) => pod.containers.map((c) => `${pod.pod}/${c.name} ${c.restarts}`)).join(', ');
}

function progressText(p: VerifyProgress, lang: Lang): string | undefined {
  if (p.phase === 'waiting-for-rollout') {
    return pick(t(`waiting for the rollout (${p.remainingSeconds} s left): ${p.reason.en}`, `롤아웃 대기 중 (${p.remainingSeconds}초 남음): ${p.reason.ko}`), lang);
  }
  if (p.phase === 'watching') {
    return pick(
      t(`watching: ${p.remainingSeconds} s of ${p.windowSeconds} s left · restarts ${restartsLine(p)}`, `지켜보는 중: ${p.windowSeconds}초 중 ${p.remainingSeconds}초 남음 · 재시작 ${restartsLine(p)}`),
      lang,
    );
  }
  return undefined;
}

/** Cut to the terminal width in cells (string-width: Hangul takes two), ending with …. */
export function fitWidth(text: string, width: number): string {
  return truncate(text, width);
}

/** One updating line on a terminal; otherwise a line per change of phase or reason, and every 10 s of the window. */
class ProgressPrinter {
  private shown = false;
  private lastKey = '';

  constructor(
    private readonly io: Io,
    private readonly lang: Lang,
  ) {}

  update(p: VerifyProgress): void {
    const text = progressText(p, this.lang);
    if (!text) return;
    if (this.io.stdout.isTTY) {
      // Wider than the terminal would wrap, and \r would then only redraw the last row.
      const width = Math.max(20, (this.io.stdout.columns || 80) - 1);
      this.io.stdout.write(`\r\x1b[2K${fitWidth(safeText(text, { multiline: false }), width)}`);
      this.shown = true;
      return;
    }
    // A line per change of what is awaited (counts inside it do not count), and every 10 s.
    const key =
      p.phase === 'watching'
        ? `watching ${Math.ceil(p.remainingSeconds / 10)}`
        : p.phase === 'waiting-for-rollout'
          ? `rollout ${p.reason.en.replace(/\d+/g, '#')} ${Math.floor(p.elapsedSeconds / 10)}`
          : '';
    if (key === this.lastKey) return;
    this.lastKey = key;
    println(this.io, `  ${text}`);
  }

  clear(): void {
    if (this.shown) this.io.stdout.write('\r\x1b[2K');
    this.shown = false;
  }
}

/**
 * One verdict line reflowed to the terminal (a pipe gets it whole): rows after the first line
 * up under the text, after the line's indent and its bullet ("- ", "✓ ", "PASS  ").
 */
function printWrapped(io: Io, text: string): void {
  const width = proseWidth(io);
  // Its own colour codes (paint) pass; a wrap counts them as no width.
  if (width === undefined || cells(text) <= width) return printlnPainted(io, text);
  const lead = /^( *)((?:\x1b\[\d+m)?(?:- |✓|✗|\S+(?= {2}))(?:\x1b\[0m)?\s*)?/.exec(text) ?? ['', '', ''];
  const indent = lead[1] ?? '';
  const bullet = lead[2] ?? '';
  const hang = ' '.repeat(cells(indent) + cells(bullet));
  wrapWords(text.slice(indent.length + bullet.length), Math.max(20, width - hang.length)).forEach((row, i) => printlnPainted(io, i === 0 ? `${indent}${bullet}${row}` : `${hang}${row}`));
}

function paint(text: string, code: number, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function printVerdict(io: Io, verdict: Verdict, lang: Lang, color: boolean, target: Target, command: (rest: string) => string = (rest) => `crashlab ${rest}`): void {
  const say = (text: Text) => pick(text, lang);
  const label =
    verdict.result === 'pass'
      ? paint(say(t('PASS', '통과')), 32, color)
      : verdict.result === 'fail'
        ? paint(say(t('FAIL', '실패')), 31, color)
        : paint(say(t('COULD NOT VERIFY', '검증 불가')), 33, color);
  printWrapped(io, `${label}  ${say(verdict.summary)}`);
  if (verdict.rule) printWrapped(io, `  ${say(t('rule', '규칙'))}: ${verdict.rule}`);

  const evidence = verdict.evidence.flatMap((e) => {
    const details = [
      e.message && !say(e.summary).includes(e.message) ? `${say(t('message', '메시지'))}: ${e.message}` : undefined,
      e.at ? say(t(`at ${e.at}`, `시각 ${e.at}`)) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    // The first piece of evidence often is the summary itself: show only what it adds.
    if (say(e.summary) === say(verdict.summary)) return details ? [`    - ${details}`] : [];
    return [`    - ${say(e.summary)}`, ...(details ? [`      ${details}`] : [])];
  });
  if (evidence.length > 0) {
    printWrapped(io, `  ${say(t('Evidence', '근거'))}:`);
    for (const line of evidence) printWrapped(io, line);
  }

  if (verdict.notes.length > 0) {
    printWrapped(io, `  ${say(t('Notes', '참고'))}:`);
    for (const note of verdict.notes) printWrapped(io, `    - ${say(note)}`);
  }
  if (verdict.windowSeconds > 0 || verdict.windowReasons.length > 0) {
    printWrapped(io, `  ${say(t(`Stability window W = ${verdict.windowSeconds} s`, `안정성 확인 구간 W = ${verdict.windowSeconds}초`))}:`);
    for (const reason of verdict.windowReasons) printWrapped(io, `    ${say(reason)}`);
  }
  if (verdict.guardResults.length > 0) {
    printWrapped(io, `  ${say(t('Guards (what a fix must keep)', '유지해야 할 조건'))}:`);
    for (const g of verdict.guardResults) printWrapped(io, `    ${g.ok ? paint('✓', 32, color) : paint('✗', 31, color)} ${say(g.message)}`);
  }
  const restarts = verdict.pods.flatMap((pod) =>
    pod.containers.map((c) => `${pod.pod}/${c.name} ${c.restartsAtStart !== undefined ? `${c.restartsAtStart} → ` : ''}${c.restarts}`),
  );
  if (restarts.length > 0) printWrapped(io, `  ${say(t('Restarts', '재시작 횟수'))}: ${restarts.join(', ')}`);
  printWrapped(io, `  ${say(t(`Took ${Math.round(verdict.elapsedSeconds)} s.`, `소요 시간 ${Math.round(verdict.elapsedSeconds)}초.`))}`);

  if (verdict.unableCause === 'cluster') {
    printWrapped(
      io,
      // The summary already carries the adapter's hint for this context (kind or not, kubectl or not).
      `  ${say(t('`crashlab doctor` checks kubectl, the context and the cluster.', '`crashlab doctor`로 kubectl, 컨텍스트, 클러스터를 점검하세요.'))}`,
    );
  } else if (verdict.unableCause === 'not-found') {
    const hint = target.scenario
      ? t(
          `Is the scenario deployed? \`${command(`start ${target.scenario.id}`)}\` deploys it.`,
          `시나리오가 배포되어 있나요? \`${command(`start ${target.scenario.id}`)}\`로 배포하세요.`,
        )
      : t('Check the name, the namespace (-n) and the context (--context).', '이름, 네임스페이스(-n), context(--context)를 확인하세요.');
    printWrapped(io, `  ${say(hint)}`);
  }
}
