import type { Command } from 'commander';
import { preflightPassed, type PreflightCheck } from '../../core/preflight.js';
import { openLab } from '../app.js';
import { pick, type Lang } from '../../core/text.js';
import { cells } from '../../core/width.js';
import { EXIT } from '../errors.js';
import { printJson, printStyled } from '../io.js';
import { safeText } from '../../core/untrusted.js';
import type { CommandEnv } from '../env.js';

const MARKS: Record<PreflightCheck['status'], { mark: string; color: string }> = {
  ok: { mark: '✓', color: '\u001b[32m' },
  failed: { mark: '✗', color: '\u001b[31m' },
  warning: { mark: '!', color: '\u001b[33m' },
  skipped: { mark: '-', color: '\u001b[2m' },
};
const RESET = '\u001b[0m';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('doctor')
    .description('check docker, kind, kubectl and the cluster; say how to fix what is missing (checks run at once, each at most 5 s or --request-timeout)')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const globals = env.globals();
      const lab = openLab(env, 'machine');
      const checks = await lab.machineChecks();
      // Interrupted, the checks' answers are the interruption's ("kubectl cannot run"): main says so instead.
      if (env.signal?.aborted) throw env.signal.reason;
      const passed = preflightPassed(checks);
      env.setExit(passed ? EXIT.ok : EXIT.failed);
      const target = lab.context;
      if (options.json) {
        printJson(env.io, {
          ok: passed,
          context: target,
          checks: checks.map((c) => ({
            id: c.id,
            status: c.status,
            ok: c.ok,
            required: c.required,
            title: pick(c.title, globals.lang),
            detail: pick(c.detail, globals.lang),
            ...(c.fix ? { fix: pick(c.fix, globals.lang) } : {}),
          })),
        });
        return;
      }
      for (const line of renderDoctor(checks, { lang: globals.lang, color: globals.color, context: target, kindMode: lab.usesKind })) printStyled(env.io, line);
    });
}

export function renderDoctor(checks: PreflightCheck[], options: { lang: Lang; color: boolean; context: string; kindMode: boolean }): string[] {
  const { lang, color } = options;
  const heading = options.kindMode
    ? pick({ en: `crashlab doctor: the kind cluster "crashlab" (context ${options.context})`, ko: `crashlab doctor: kind 클러스터 "crashlab" (컨텍스트 ${options.context})` }, lang)
    : pick({ en: `crashlab doctor: context ${options.context} (docker and kind are not needed for it)`, ko: `crashlab doctor: 컨텍스트 ${options.context} (docker와 kind는 필요 없음)` }, lang);
  const width = Math.max(...checks.map((c) => cells(pick(c.title, lang))));
  const indent = ' '.repeat(width + 6);
  const fixLabel = pick({ en: 'fix', ko: '해결' }, lang);
  const lines = [heading, ''];
  for (const c of checks) {
    const { mark, color: code } = MARKS[c.status];
    const shown = color ? `${code}${mark}${RESET}` : mark;
    const title = pick(c.title, lang);
    lines.push(`  ${shown} ${title}${' '.repeat(width - cells(title))}  ${safeText(pick(c.detail, lang))}`);
    if (c.fix && !c.ok) lines.push(`${indent}${fixLabel}: ${safeText(pick(c.fix, lang))}`);
  }
  const blocking = checks.filter((c) => c.required && !c.ok && c.status !== 'skipped').length;
  lines.push('');
  if (preflightPassed(checks)) {
    lines.push(pick({ en: 'All required checks passed.', ko: '필수 항목을 모두 통과했습니다.' }, lang));
  } else {
    lines.push(
      pick(
        {
          en: `${blocking} problem${blocking === 1 ? '' : 's'} to fix before the lab can run; then run \`crashlab doctor\` again.`,
          ko: `실습을 시작하기 전에 해결할 문제가 ${blocking}개 있습니다. 해결한 뒤 \`crashlab doctor\`를 다시 실행하세요.`,
        },
        lang,
      ),
    );
  }
  return lines;
}
