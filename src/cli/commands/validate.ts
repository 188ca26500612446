/**
 * `crashlab validate [dir]`: checks every scenario of a pack with the one rule set (schema,
 * manifests, cross-references, guards, images, Pod Security for shared scenarios, timing,
 * Korean text, the offline diagnosis check) and prints every problem at once, each with
 * file:line:column and what to write instead. Without dir: the built-in pack and every pack
 * given by --scenarios / CRASHLAB_SCENARIOS. Exit 0 valid (warnings allowed), 1 problems
 * found, 2 unreadable pack.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { contentRootOf, formatProblem, openPacks } from '../../app/compose.js';
import { CliError, EXIT } from '../errors.js';
import { isPortError } from '../../ports/errors.js';
import { printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';

type Problem = Parameters<typeof formatProblem>[0];

export function register(program: Command, env: CommandEnv): void {
  program
    .command('validate [dir]')
    .description('check every scenario of a pack (dir holds scenarios/ and solutions/; default: the built-in pack and --scenarios packs)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const builtInRoot = contentRootOf(env.deps);
      const root = dir ? resolve(dir) : builtInRoot;
      let catalog;
      try {
        // `validate DIR` checks that one pack (ids clashing with the built-in pack included);
        // DIR being the built-in pack itself is just that pack.
        catalog =
          dir && root !== builtInRoot ? await openPacks(builtInRoot, [dir], { builtIn: false, bareFiles: true }) : await openPacks(builtInRoot, dir ? [] : (env.globals().scenarioDirs ?? []));
      } catch (error) {
        if (isPortError(error, 'catalog')) throw new CliError(error.message.replace(/^(.*) is not a scenario pack: it has no scenarios\/ folder.*$/, `cannot read scenarios in ${root}: no scenarios/ directory`), EXIT.unable, 'Pass the directory that holds scenarios/ and solutions/.');
        throw error;
      }
      const problemsOf = new Map<string, Problem[]>();
      const warningsOf = new Map<string, Problem[]>();
      for (const id of catalog.scenarios.map((s) => s.id)) problemsOf.set(id, []);
      const general: Problem[] = [];
      for (const problem of catalog.problems) {
        if (problem.scenario === undefined) general.push(problem);
        else problemsOf.set(problem.scenario, [...(problemsOf.get(problem.scenario) ?? []), problem]);
      }
      const generalWarnings: Problem[] = [];
      for (const warning of catalog.warnings) {
        if (warning.scenario === undefined) generalWarnings.push(warning);
        else warningsOf.set(warning.scenario, [...(warningsOf.get(warning.scenario) ?? []), warning]);
      }
      const ids = [...problemsOf.keys()].sort();
      const invalid = ids.filter((id) => problemsOf.get(id)!.length > 0);
      const empty = ids.length === 0 && general.length === 0;
      env.setExit(catalog.problems.length || empty ? EXIT.failed : EXIT.ok);

      if (opts.json) {
        printJson(env.io, {
          root,
          valid: catalog.problems.length === 0 && !empty,
          packs: catalog.packs.map((p) => ({ name: p.name, dir: p.dir, builtIn: p.builtIn, scenarios: p.scenarios, ...(p.manifest ? { manifest: p.manifest } : {}) })),
          scenarios: ids.map((id) => ({ id, valid: problemsOf.get(id)!.length === 0 })),
          problems: catalog.problems.map((p) => ({ ...p, text: formatProblem(p) })),
          warnings: catalog.warnings.map((p) => ({ ...p, text: formatProblem(p) })),
        });
        return;
      }
      for (const id of ids) {
        const problems = problemsOf.get(id)!;
        println(env.io, `${problems.length ? 'INVALID' : 'ok     '}  ${id}`);
        for (const problem of problems) println(env.io, `         ${formatProblem(problem)}`);
        for (const warning of warningsOf.get(id) ?? []) println(env.io, `         warning: ${formatProblem(warning)}`);
      }
      for (const problem of general) println(env.io, formatProblem(problem));
      for (const warning of generalWarnings) println(env.io, `warning: ${formatProblem(warning)}`);
      const warned = catalog.warnings.length ? `, ${catalog.warnings.length} warning(s)` : '';
      if (empty) println(env.io, `no scenarios in ${root}/scenarios`);
      else if (catalog.problems.length === 0) println(env.io, `${ids.length} scenario(s) valid${warned}.`);
      else println(env.io, `${invalid.length} of ${ids.length} scenario(s) invalid, ${catalog.problems.length} problem(s)${warned}.`);
    });
}
