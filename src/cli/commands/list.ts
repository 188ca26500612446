/**
 * `crashlab list`: the scenarios with category, difficulty, title (in --lang) and the
 * learner's progress. Progress is a nice-to-have here: an unreadable store only warns.
 */
import type { Command } from 'commander';
import type { Progress } from '../../core/progress.js';
import { pick } from '../../core/text.js';
import { cells } from '../../core/width.js';
import { guarded, openLab } from '../app.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';

export interface ListedScenario {
  id: string;
  category: string;
  difficulty: string;
  title: string;
  summary: string;
  completed: boolean;
  /** Completed only with `solve` (the reference solution). */
  solvedWithHelp: boolean;
  bestSeconds?: number;
}

/** 83 → "1m23s", 9 → "9s". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => cells(r[col]))));
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - cells(cell));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : pad(cell, widths[col]))).join('  ').trimEnd());
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('list')
    .description('list the scenarios: category, difficulty, title and your progress')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => guarded(() => listScenarios(env, opts)));
}

async function listScenarios(env: CommandEnv, opts: { json?: boolean }): Promise<void> {
  const { lang } = env.globals();
  const lab = openLab(env);
  const catalog = await lab.catalog();
  let progress: Progress['scenarios'] = {};
  try {
    const loaded = await lab.progress();
    progress = loaded.progress.scenarios;
    if (loaded.warning) eprintln(env.io, `crashlab: ${loaded.warning}`);
  } catch (error) {
    eprintln(env.io, `crashlab: progress not shown: ${error instanceof Error ? error.message : String(error)}`);
  }
  const scenarios: ListedScenario[] = catalog.scenarios.map((s) => {
    const p = progress[s.id];
    return {
      id: s.id,
      category: s.category,
      difficulty: s.difficulty,
      title: pick(s.title, lang),
      summary: pick(s.summary, lang),
      completed: p?.completed ?? false,
      solvedWithHelp: p?.solvedWithHelp ?? false,
      ...(p?.bestSeconds !== undefined ? { bestSeconds: p.bestSeconds } : {}),
    };
  });
  if (opts.json) {
    printJson(env.io, { scenarios, problems: catalog.problems.map((p) => p.text) });
  } else if (scenarios.length === 0) {
    println(env.io, 'No valid scenarios.');
  } else {
    const [doneText, solvedText] = lang === 'ko' ? ['완료', '정답 적용'] : ['done', 'solved'];
    const done = (s: ListedScenario) => (!s.completed ? '' : s.solvedWithHelp ? solvedText : doneText);
    const header = lang === 'ko' ? ['ID', '카테고리', '난이도', '제목', '완료', '최고 기록'] : ['ID', 'CATEGORY', 'DIFFICULTY', 'TITLE', 'DONE', 'BEST'];
    const rows = scenarios.map((s) => [s.id, s.category, s.difficulty, s.title, done(s), s.bestSeconds !== undefined ? formatSeconds(s.bestSeconds) : '']);
    for (const line of table([header, ...rows])) println(env.io, line);
  }
  if (catalog.problems.length) {
    eprintln(env.io, `crashlab: ${catalog.problems.length} problem(s) in the scenario files; those scenarios are not listed. Run \`crashlab validate\`.`);
  }
}
