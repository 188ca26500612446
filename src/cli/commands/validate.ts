/**
 * `crashlab validate [dir]`: checks every scenario (schema, manifests, cross-references,
 * guards against both manifests). Exit 0 all valid, 1 problems found, 2 unreadable root.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CatalogError, contentRootOf, formatProblem, openCatalog as loadCatalog } from '../../app/compose.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';

type Problem = Parameters<typeof formatProblem>[0];

export function register(program: Command, env: CommandEnv): void {
  program
    .command('validate [dir]')
    .description('check every scenario file; dir holds scenarios/ and solutions/ (default: the installed ones)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const root = dir ? resolve(dir) : contentRootOf(env.deps);
      let catalog;
      try {
        catalog = await loadCatalog(root);
      } catch (error) {
        if (error instanceof CatalogError) throw new CliError(error.message, EXIT.unable, 'Pass the directory that holds scenarios/ and solutions/.');
        throw error;
      }
      const problemsOf = new Map<string, Problem[]>();
      for (const id of catalog.scenarios.map((s) => s.id)) problemsOf.set(id, []);
      const general: Problem[] = [];
      for (const problem of catalog.problems) {
        if (problem.scenario === undefined) general.push(problem);
        else problemsOf.set(problem.scenario, [...(problemsOf.get(problem.scenario) ?? []), problem]);
      }
      const ids = [...problemsOf.keys()].sort();
      const invalid = ids.filter((id) => problemsOf.get(id)!.length > 0);
      const empty = ids.length === 0 && general.length === 0;
      env.setExit(catalog.problems.length || empty ? EXIT.failed : EXIT.ok);

      if (opts.json) {
        printJson(env.io, {
          root,
          valid: catalog.problems.length === 0 && !empty,
          scenarios: ids.map((id) => ({ id, valid: problemsOf.get(id)!.length === 0 })),
          problems: catalog.problems.map((p) => ({ ...p, text: formatProblem(p) })),
        });
        return;
      }
      for (const id of ids) {
        const problems = problemsOf.get(id)!;
        println(env.io, `${problems.length ? 'INVALID' : 'ok     '}  ${id}`);
        for (const problem of problems) println(env.io, `         ${formatProblem(problem)}`);
      }
      for (const problem of general) println(env.io, formatProblem(problem));
      if (empty) println(env.io, `no scenarios in ${root}/scenarios`);
      else if (catalog.problems.length === 0) println(env.io, `${ids.length} scenario(s) valid.`);
      else println(env.io, `${invalid.length} of ${ids.length} scenario(s) invalid, ${catalog.problems.length} problem(s).`);
    });
}
