/**
 * `crashlab list`: the scenarios with category, difficulty, title (in --lang) and the
 * learner's progress. Progress is a nice-to-have here: an unreadable store only warns.
 */
import type { Command } from 'commander';
import type { Progress } from '../../core/progress.js';
import { DIFFICULTY_WORDS, pick, type Difficulty } from '../../core/text.js';
import type { CategoryId } from '../../core/categories.js';
import { say } from '../words.js';
// Not the lab API: list needs no cluster and no engine, and its start-up time is a target.
import { readCatalogAndProgress } from '../../app/readOnly.js';
import { teamKubeconfigFile, teamKubeconfigText } from '../../app/teamFile.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';
import { guarded } from '../errors.js';

export interface ListedScenario {
  id: string;
  /** Left out for a game-day team (--kubeconfig team-N.kubeconfig): it is what the diagnosis scores. */
  category?: string;
  difficulty: string;
  title: string;
  summary: string;
  completed: boolean;
  /** Completed only with `solve` (the reference solution). */
  solvedWithHelp: boolean;
  bestSeconds?: number;
  /** The pack it comes from, when packs besides the built-in one are loaded. */
  pack?: string;
}

/** 83 → "1m23s", 9 → "9s". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Printable ASCII takes one cell a character. */
const ASCII = /^[\x20-\x7e]*$/;

/**
 * The columns padded to their widest cell, the last one left as it is. Cells are counted by
 * core/width.js (string-width, 30 ms or more to import) only when a padded cell is not plain
 * ASCII, as in Korean: an English table and --json need none of it.
 */
async function table(rows: string[][]): Promise<string[]> {
  const padded = rows.flatMap((r) => r.slice(0, -1));
  const cells = padded.every((cell) => ASCII.test(cell)) ? (text: string) => text.length : (await import('../../core/width.js')).cells;
  const widths = rows[0].slice(0, -1).map((_, col) => Math.max(...rows.map((r) => cells(r[col]))));
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - cells(cell));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : pad(cell, widths[col]))).join('  ').trimEnd());
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('list')
    .description('list the scenarios: category, difficulty, title and your progress')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => list(env, opts));
}

/** The command: commander's action, and a fast command line's (commands/index.ts). */
export function list(env: CommandEnv, opts: { json?: boolean }): Promise<void> {
  return guarded(() => listScenarios(env, opts));
}

async function listScenarios(env: CommandEnv, opts: { json?: boolean }): Promise<void> {
  const { lang, scenarioDirs, kubeconfig, context } = env.globals();
  // A game-day team: the category is the answer its diagnosis scores, so list does not give it.
  // compose.ts decides; it (js-yaml, zod, the engine) loads only when a team file is possible.
  const mayBeTeam = teamKubeconfigText(teamKubeconfigFile({ kubeconfig, context }, env.io.env)) !== undefined;
  const inGame = mayBeTeam && (await import('../../app/compose.js')).teamOf({ kubeconfig, context }, env.io.env) !== undefined;
  const read = await readCatalogAndProgress({ env: env.io.env, scenarioDirs, ...env.deps });
  let catalog = read.catalog;
  if (inGame) {
    // A team lists what its game offers, the instructor's pack scenarios this laptop lacks included.
    try {
      catalog = { ...catalog, scenarios: await (await import('../app.js')).openLab(env, 'catalog').scenarios() };
    } catch (error) {
      eprintln(env.io, `crashlab: ${say(lang, 'warning')}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const progress: Progress['scenarios'] = read.progress?.scenarios ?? {};
  if (read.progressWarning) eprintln(env.io, `crashlab: ${read.progressWarning}`);
  const scenarios: ListedScenario[] = catalog.scenarios.map((s) => {
    const p = progress[s.id];
    return {
      id: s.id,
      ...(inGame ? {} : { category: s.category }),
      difficulty: s.difficulty,
      title: pick(s.title, lang),
      summary: pick(s.summary, lang),
      completed: p?.completed ?? false,
      solvedWithHelp: p?.solvedWithHelp ?? false,
      ...(p?.bestSeconds !== undefined ? { bestSeconds: p.bestSeconds } : {}),
      ...(catalog.packOf?.[s.id] ? { pack: catalog.packOf[s.id].name } : {}),
    };
  });
  if (opts.json) {
    printJson(env.io, { scenarios, problems: catalog.problems.map((p) => p.text), ...(catalog.warnings?.length ? { warnings: catalog.warnings } : {}) });
  } else if (scenarios.length === 0) {
    println(env.io, say(lang, 'list.none'));
  } else {
    const [doneText, solvedText] = lang === 'ko' ? ['완료', '정답 적용'] : ['done', 'solved'];
    const done = (s: ListedScenario) => (!s.completed ? '' : s.solvedWithHelp ? solvedText : doneText);
    const withPacks = catalog.packOf !== undefined;
    const header = lang === 'ko' ? ['ID', '카테고리', '난이도', '제목', '완료', '최고 기록'] : ['ID', 'CATEGORY', 'DIFFICULTY', 'TITLE', 'DONE', 'BEST'];
    if (withPacks) header.splice(1, 0, lang === 'ko' ? '팩' : 'PACK');
    // Korean shows the category's and difficulty's names; English keeps the ids (stable, greppable).
    const { category: categoryOf } = await import('../../core/categories.js');
    const category = (s: ListedScenario) => (s.category === undefined ? '' : lang === 'en' ? s.category : pick(categoryOf(s.category as CategoryId).title, lang));
    const rows = scenarios.map((s) => {
      const row = [s.id, category(s), pick(DIFFICULTY_WORDS[s.difficulty as Difficulty], lang), s.title, done(s), s.bestSeconds !== undefined ? formatSeconds(s.bestSeconds) : ''];
      if (withPacks) row.splice(1, 0, s.pack ?? '');
      return row;
    });
    const categoryColumn = withPacks ? 2 : 1;
    const shown = inGame ? [header, ...rows].map((row) => row.filter((_, i) => i !== categoryColumn)) : [header, ...rows];
    for (const line of await table(shown)) println(env.io, line);
  }
  for (const warning of catalog.warnings ?? []) eprintln(env.io, `crashlab: ${warning}`);
  if (catalog.problems.length) {
    eprintln(env.io, `crashlab: ${say(lang, 'list.problems', { n: catalog.problems.length })}`);
  }
}
