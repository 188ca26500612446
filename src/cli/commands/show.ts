/**
 * `crashlab show <id>`: a scenario's briefing (or its symptoms with --mystery), and on request
 * its hints and debrief, read from the catalog alone: no cluster, so a learner can read ahead
 * and an author can proofread a pack (`--scenarios DIR`, `--lang ko`).
 */
import type { Command } from 'commander';
import { pick } from '../../core/text.js';
import { readCatalogAndProgress } from '../../app/readOnly.js';
import { CliError, EXIT, guarded } from '../errors.js';
import { printJson, printProse, println, proseRows } from '../io.js';
import { category as categoryOf } from '../../core/categories.js';
import { DIFFICULTY_WORDS } from '../../core/text.js';
import type { CommandEnv } from '../env.js';

interface ShowOptions {
  hints?: boolean;
  debrief?: boolean;
  mystery?: boolean;
  json?: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('show <id>')
    .description('read a scenario without a cluster: briefing, and with --hints / --debrief the rest')
    .option('--hints', 'also print the hints')
    .option('--debrief', 'also print the debrief and checklist (it gives the answer away)')
    .option('--mystery', 'the symptoms instead of the title and briefing (what a mystery game shows)')
    .option('--json', 'machine-readable output (both languages)')
    .action(async (id: string, opts: ShowOptions) => {
      const { lang, scenarioDirs } = env.globals();
      const { catalog } = await guarded(() => readCatalogAndProgress({ env: env.io.env, scenarioDirs, ...env.deps }));
      const s = catalog.scenarios.find((x) => x.id === id);
      if (!s) {
        const broken = catalog.problems.filter((p) => p.scenario === id);
        if (broken.length) throw new CliError(`scenario "${id}" does not load: ${broken[0].text}`, EXIT.unable, 'Run `crashlab validate` to see every problem.');
        throw new CliError(`no scenario "${id}"`, EXIT.unable, `Known scenarios: ${catalog.scenarios.map((x) => x.id).join(', ')}.`);
      }
      const pack = catalog.packOf?.[id];
      if (opts.json) {
        return printJson(env.io, {
          id: s.id,
          ...(pack ? { pack: pack.name } : {}),
          category: opts.mystery ? undefined : s.category,
          difficulty: s.difficulty,
          ...(opts.mystery ? { symptoms: s.symptoms } : { title: s.title, summary: s.summary, briefing: s.briefing }),
          images: s.images,
          shared: s.shared,
          ...(opts.hints ? { hints: s.hints } : {}),
          ...(opts.debrief ? { debrief: s.debrief, checklist: s.checklist } : {}),
        });
      }
      const ko = lang === 'ko';
      const heading = (en: string, k: string) => println(env.io, `\n## ${ko ? k : en}\n`);
      // Prose reflowed to the terminal (the YAML's own line breaks would break words); items hang under their marker.
      const item = async (marker: string, text: string) => {
        for (const row of await proseRows(env.io, text, marker, ' '.repeat(marker.length))) println(env.io, row);
      };
      const difficulty = pick(DIFFICULTY_WORDS[s.difficulty], lang);
      if (opts.mystery) {
        println(env.io, `# ${s.id} (${difficulty})`);
        heading('Symptoms', '증상');
        await printProse(env.io, pick(s.symptoms, lang));
      } else {
        println(env.io, `# ${pick(s.title, lang)}`);
        println(env.io, `${s.id} · ${ko ? pick(categoryOf(s.category).title, lang) : s.category} · ${difficulty}${pack && !pack.builtIn ? ` · ${ko ? '팩' : 'pack'} ${pack.name}` : ''}`);
        println(env.io);
        await printProse(env.io, pick(s.summary, lang));
        heading('Briefing', '브리핑');
        await printProse(env.io, pick(s.briefing, lang));
      }
      if (opts.hints) {
        heading('Hints', '힌트');
        for (const [i, h] of s.hints.entries()) await item(`${i + 1}. `, pick(h, lang));
      }
      if (opts.debrief) {
        heading('Debrief', '회고');
        await printProse(env.io, pick(s.debrief, lang));
        if (s.checklist.length) {
          heading('Checklist', '체크리스트');
          for (const line of s.checklist) await item('- ', pick(line, lang));
        }
      }
      if (!opts.hints && !opts.debrief) println(env.io, `\n${ko ? '힌트: --hints, 회고: --debrief, 시작: crashlab start ' + id : `Hints: --hints; debrief: --debrief; play it: crashlab start ${id}`}`);
    });
}
