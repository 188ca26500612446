/**
 * The scenario lifecycle subcommands: start, status, routine, solve, reset. Each parses its
 * arguments, calls the lab API and prints the result; the rules live in engine/labApi.ts.
 */
import type { Command } from 'commander';
import { CATEGORIES, isCategoryId } from '../../core/categories.js';
import type { PodSummary } from '../../core/podStatus.js';
import { pick } from '../../core/text.js';
import type { ScenarioStatus } from '../../engine/scenarioRuns.js';
import { openLab } from '../app.js';
import { CliError, EXIT, guarded } from '../errors.js';
import { crashlabCommand, printJson, printProse, println, proseRows, proseWidth, type Io } from '../io.js';
import { say } from '../words.js';
import type { Lang } from '../../core/text.js';
import type { CommandEnv } from '../env.js';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('start <id>')
    .description('deploy the broken workload of a scenario into namespace crashlab-<id>, replacing a previous run of it')
    .option('--fresh', 'game days: deploy the scenario again even when it already runs in your team namespace (default: join it)')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean; fresh?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'start', 'team');
        const { scenario } = await lab.scenario(id);
        const started = await lab.start(id, { fresh: opts.fresh });
        warnTeamLog(env, lab.takeTeamLogWarning());
        if (opts.json) return printJson(env.io, { scenario: id, namespace: started.namespace, joined: started.joined === true, applied: started.lines });
        for (const line of started.lines) println(env.io, line);
        println(env.io);
        const { lang } = env.globals();
        // A mystery game shows symptoms only: the briefing often names the cause.
        await printProse(env.io, pick((await lab.mysteryGame()) ? scenario.symptoms : scenario.briefing, lang));
        println(env.io);
        println(env.io, say(lang, 'start.next', { status: crashlabCommand(env.globals(), `status ${id}`), routine: crashlabCommand(env.globals(), `routine ${id}`) }));
      }),
    );

  program
    .command('note <text...>')
    .description("game days: record what your team concluded (cause, fix, proof) in the team's log, for the debrief")
    .option('--on <id>', 'the scenario or instance the note is about (default: the one your team plays now)')
    .option('--json', 'machine-readable output')
    .action((words: string[], opts: { json?: boolean; on?: string }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'team');
        const noted = await lab.note(words.join(' '), opts.on ? await lab.target(opts.on) : undefined);
        if (opts.json) return printJson(env.io, { noted: true, instance: noted.instance });
        const other = crashlabCommand(env.globals(), 'note --on <id> "..."');
        println(
          env.io,
          pick(
            {
              en: `Noted in your team's log about ${noted.instance}; the instructor's export shows it next to the debrief. About another run: ${other}`,
              ko: `팀 로그에 ${noted.instance}에 대한 메모를 남겼습니다. 강사의 내보내기에서 디브리프 옆에 표시됩니다. 다른 실행에 대한 메모: ${other}`,
            },
            env.globals().lang,
          ),
        );
      }),
    );

  program
    .command('hint [id]')
    .description('reveal the next hint of a scenario (default: the one you play now); in a game day each hint costs your team 10 points, once')
    .option('--number <n>', 'show hint n again (1-based; one already taken costs nothing more)')
    .option('--json', 'machine-readable output')
    .action((id: string | undefined, opts: { json?: boolean; number?: string }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'hints', 'team');
        const target = id ? await lab.target(id) : await lab.currentRun();
        const number = opts.number === undefined ? undefined : Number(opts.number);
        if (number !== undefined && (!Number.isInteger(number) || number < 1)) throw new CliError(`--number must be a whole number ≥ 1, not "${opts.number}"`);
        const shown = await lab.hint(target, number === undefined ? undefined : number - 1);
        warnTeamLog(env, lab.takeTeamLogWarning());
        const { lang } = env.globals();
        if (opts.json) return printJson(env.io, { scenario: target.instance ?? target.scenarioId, hint: shown.index + 1, of: shown.total, text: pick(shown.text, lang), alreadyTaken: shown.alreadyTaken });
        println(env.io, `${lang === 'ko' ? '힌트' : 'Hint'} ${shown.index + 1}/${shown.total} (${target.instance ?? target.scenarioId}): ${pick(shown.text, lang)}`);
      }),
    );

  program
    .command('answer <id> <category>')
    .description("name the cause of a scenario (the lab's d): says whether it is right; in a game day only the first answer can earn the first-try bonus, and each wrong one costs points")
    .option('--json', 'machine-readable output')
    .action((id: string, category: string, opts: { json?: boolean }) =>
      guarded(async () => {
        if (!isCategoryId(category) || category === 'healthy' || category === 'unknown') {
          throw new CliError(`no cause category "${category}"`, EXIT.unable, `Categories: ${CATEGORIES.filter((c) => c.id !== 'healthy' && c.id !== 'unknown').map((c) => c.id).join(', ')}`);
        }
        const lab = openLab(env, 'catalog', 'observe', 'diagnosis', 'team');
        const target = await lab.target(id);
        const { pod } = await lab.routineForNewestPod(target);
        const checked = await lab.checkDiagnosis(target, pod, category);
        warnTeamLog(env, lab.takeTeamLogWarning());
        if (opts.json) return printJson(env.io, { scenario: id, answer: category, correct: checked.correct });
        const verify = crashlabCommand(env.globals(), `verify ${id}`);
        const routine = crashlabCommand(env.globals(), `routine ${id}`);
        println(
          env.io,
          pick(
            checked.correct
              ? { en: `Right: ${category} is the cause. Fix it, then: ${verify}`, ko: `맞습니다: 원인은 ${category}입니다. 고친 뒤 실행하세요: ${verify}` }
              : { en: `Not ${category}: look at the evidence again (${routine}).`, ko: `${category}이(가) 아닙니다: 증거를 다시 확인하세요(${routine}).` },
            env.globals().lang,
          ),
        );
        if (!checked.correct) env.setExit(EXIT.failed);
      }),
    );

  program
    .command('score')
    .description("game days: your team's score by the board's rules, from your team's log (the instructor's board is the one that ranks)")
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'team');
        const result = await lab.teamScore();
        if (opts.json) return printJson(env.io, result);
        const { lang } = env.globals();
        println(env.io, pick({ en: `Your team: ${result.score} points`, ko: `팀 점수: ${result.score}점` }, lang));
        const pending = pick({ en: ' (no verified fix yet)', ko: ' (아직 검증된 수정 없음)' }, lang);
        for (const i of result.instances) println(env.io, `  ${i.instance}: ${i.score}${i.breakdown.length ? ` (${i.breakdown.join(', ')})` : i.verified ? '' : pending}`);
      }),
    );
  registerRunCommands(program, env);
}

/** A run's state and its end: status, routine, solve, reset (registered after score: `--help` keeps its order). */
function registerRunCommands(program: Command, env: CommandEnv): void {
  program
    .command('status <id>')
    .description("show the scenario's pods: STATUS, restarts, last termination, back-off")
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'observe');
        const status = await lab.status(await lab.target(id));
        if (opts.json) {
          const { events: _events, ...rest } = status;
          return printJson(env.io, rest);
        }
        await printStatus(env.io, status, env.globals().lang, (rest) => crashlabCommand(env.globals(), rest));
      }),
    );

  program
    .command('routine <id>')
    .description("the 60-second diagnostic routine, filled in for the scenario's pod")
    .option('--run', 'run each (non-interactive) step and print its output')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { run?: boolean; json?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'observe');
        const target = await lab.target(id);
        const { pod, steps } = await lab.routineForNewestPod(target);
        const results = opts.run ? await lab.runSteps(steps) : undefined;
        const { lang } = env.globals();
        if (opts.json) {
          return printJson(env.io, {
            pod,
            namespace: target.namespace,
            steps: steps.map((step, i) => ({ id: step.id, title: pick(step.title, lang), command: step.command, interactive: step.interactive, ...(results?.[i] ?? {}) })),
          });
        }
        for (const [i, step] of steps.entries()) {
          println(env.io, `${i + 1}. ${pick(step.title, lang)}`);
          println(env.io, `   $ ${step.command}`);
          await printProse(env.io, pick(step.why, lang), '   ');
          const result = results?.[i];
          if (result) {
            println(env.io, indent(result.output.trimEnd() || say(lang, 'routine.noOutput'), '   │ '));
            if (result.exitCode !== 0) println(env.io, `   ${say(lang, 'routine.exitCode', { code: result.exitCode })}`);
          } else if (opts.run && step.interactive) {
            println(env.io, `   ${say(lang, 'routine.interactive')}`);
          }
          println(env.io);
        }
      }),
    );

  program
    .command('solve <id>')
    .description('apply the reference solution (counts as solved with help)')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'fix', 'team');
        const target = await lab.target(id);
        const lines = await lab.solve(target);
        warnTeamLog(env, lab.takeTeamLogWarning());
        if (opts.json) return printJson(env.io, { scenario: id, namespace: target.namespace, applied: lines });
        for (const line of lines) println(env.io, line);
        println(env.io, say(env.globals().lang, 'solve.applied', { command: crashlabCommand(env.globals(), `verify ${id}`) }));
      }),
    );

  program
    .command('reset [id]')
    .description('delete what crashlab created for a scenario (all scenarios without an id)')
    .option('--progress', 'also forget saved progress for it')
    .option('--json', 'machine-readable output')
    .action((id: string | undefined, opts: { progress?: boolean; json?: boolean }) =>
      guarded(async () => {
        const lab = openLab(env, 'catalog', 'reset');
        const ids = id ? [(await lab.scenario(id)).scenario.id] : (await lab.scenarios()).map((s) => s.id);
        const results: { scenario: string; namespace: string; result: string }[] = [];
        for (const scenarioId of ids) {
          for (const r of await lab.resetScenario(scenarioId, { wait: true, forgetProgress: opts.progress })) results.push({ scenario: scenarioId, ...r });
        }
        if (opts.json) printJson(env.io, { results });
        else {
          const { lang } = env.globals();
          for (const r of results) {
            const said = say(lang, r.result === 'deleted' ? 'reset.deleted' : r.result === 'absent' ? 'reset.absent' : 'reset.refused');
            if ((id && r.namespace.endsWith(id)) || r.result !== 'absent') println(env.io, `${r.namespace}: ${said}`);
          }
          if (!id && results.every((r) => r.result === 'absent')) println(env.io, say(lang, 'reset.nothing'));
        }
        if (results.some((r) => r.result === 'refused')) env.setExit(EXIT.failed);
      }),
    );
}

/** Game mode: the team's event log could not be written (the instructor's board misses it). */
export function warnTeamLog(env: CommandEnv, warning: string | undefined): void {
  if (warning) env.io.stderr.write(`${say(env.globals().lang, 'teamLog.warning', { warning })}\n`);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function podRow(p: PodSummary, lang: Lang): string[] {
  const main = p.containers.find((c) => !c.init) ?? p.containers[0];
  const last = p.containers.map((c) => c.lastTermination).find(Boolean);
  const backOff = p.containers.map((c) => c.backOff).find(Boolean);
  return [
    p.name,
    p.status,
    p.ready,
    p.restartsText,
    last ? say(lang, 'status.exit', { reason: last.reason ?? 'Terminated', code: last.exitCode }) : '-',
    backOff
      ? backOff.remainingSeconds !== undefined
        ? say(lang, 'status.restartIn', { s: backOff.remainingSeconds, d: backOff.delaySeconds })
        : say(lang, 'status.backOff', { d: backOff.delaySeconds })
      : main?.state === 'running'
        ? say(lang, 'status.running')
        : '-',
  ];
}

/** Columns aligned by terminal cells (Korean headers are double-width). */
export function table(rows: string[][], cells: (text: string) => number = (text) => text.length): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => cells(r[col]))));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell + ' '.repeat(widths[col] - cells(cell)))).join('  '));
}

async function printStatus(io: Io, status: ScenarioStatus, lang: Lang, command: (rest: string) => string): Promise<void> {
  println(io, say(lang, 'status.heading', { id: status.scenario, ns: status.namespace }));
  if (status.pods.length === 0) {
    println(io, say(lang, 'status.noPods'));
    return;
  }
  const { cells } = await import('../../core/width.js');
  const header = say(lang, 'status.columns').split('|');
  const rows = status.pods.map((p) => podRow(p, lang));
  const lines = table([header, ...rows], cells);
  const width = proseWidth(io);
  if (width === undefined || lines.every((line) => cells(line) <= width)) for (const line of lines) println(io, line);
  else {
    // Too wide for the terminal: one block per pod, so no cell is broken by the terminal.
    for (const row of rows) {
      for (const line of table([header.slice(0, 4), row.slice(0, 4)], cells)) println(io, line);
      for (const line of await proseRows(io, `${header[4]}: ${row[4]} · ${header[5]}: ${row[5]}`, '  ')) println(io, line);
    }
  }
  const message = status.pods[0].containers.find((c) => c.message)?.message;
  if (message) {
    println(io);
    for (const line of await proseRows(io, message, `${say(lang, 'status.message')}: `, '  ')) println(io, line);
  }
  const newest = status.pods[0];
  if (newest.phase === 'Running' && newest.readyCount === newest.total && newest.restarts === 0 && !status.matchesExpected) {
    println(io);
    println(io, say(lang, 'status.fixed', { command: command(`verify ${status.scenario}`) }));
  } else if (status.matchesExpected !== undefined) {
    println(io);
    await printProse(io, say(lang, status.matchesExpected ? 'status.asDesigned' : 'status.notYet'));
    for (const check of status.checks ?? []) {
      if (!check.ok) for (const line of await proseRows(io, say(lang, 'status.check', { field: check.field, expected: check.expected, observed: check.observed }), '  ', '    ')) println(io, line);
    }
  }
}
