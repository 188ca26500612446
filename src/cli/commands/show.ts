/**
 * `crashlab show <id>`: a scenario's briefing (or its symptoms with --mystery), and on request
 * its hints and debrief, read from the catalog alone: no cluster, so a learner can read ahead
 * and an author can proofread a pack (`--scenarios DIR`, `--lang ko`).
 */
import type { Command } from 'commander';
import { pick } from '../../core/text.js';
import { CatalogError, readCatalogAndProgress } from '../../app/readOnly.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, println } from '../io.js';
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
      const { catalog } = await readCatalogAndProgress({ env: env.io.env, scenarioDirs, ...env.deps }).catch((error: unknown) => {
        throw error instanceof CatalogError ? new CliError(error.message, EXIT.unable) : error;
      });
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
      if (opts.mystery) {
        println(env.io, `# ${s.id} (${s.difficulty})`);
        heading('Symptoms', '증상');
        println(env.io, pick(s.symptoms, lang).trim());
      } else {
        println(env.io, `# ${pick(s.title, lang)}`);
        println(env.io, `${s.id} · ${s.category} · ${s.difficulty}${pack && !pack.builtIn ? ` · ${ko ? '팩' : 'pack'} ${pack.name}` : ''}`);
        println(env.io, `\n${pick(s.summary, lang).trim()}`);
        heading('Briefing', '브리핑');
        println(env.io, pick(s.briefing, lang).trim());
      }
      if (opts.hints) {
        heading('Hints', '힌트');
        s.hints.forEach((h, i) => println(env.io, `${i + 1}. ${pick(h, lang).trim()}`));
      }
      if (opts.debrief) {
        heading('Debrief', '디브리핑');
        println(env.io, pick(s.debrief, lang).trim());
        if (s.checklist.length) {
          heading('Checklist', '체크리스트');
          for (const item of s.checklist) println(env.io, `- ${pick(item, lang)}`);
        }
      }
      if (!opts.hints && !opts.debrief) println(env.io, `\n${ko ? '힌트: --hints, 해설: --debrief, 시작: crashlab start ' + id : `Hints: --hints; debrief: --debrief; play it: crashlab start ${id}`}`);
    });
}
