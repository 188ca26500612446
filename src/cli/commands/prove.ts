/**
 * `crashlab prove [ids...]`: proves scenarios on a real cluster: each breaks as its
 * scenario.yaml claims within its bound, verify fails on the broken workload and on every
 * not-quite-fix, the reference solution passes verify, diagnosis names the category, and reset
 * leaves nothing. A progress line per scenario and phase on stderr; a Markdown report (or JSON
 * with --json / a .json --report); exit 0 only when every check holds.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runProve } from '../../app/prove.js';
import { CliError, EXIT, asCliError } from '../errors.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';

interface ProveOptions {
  jobs: string;
  report?: string;
  capture?: string;
  bystander?: string;
  json?: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('prove [ids...]')
    .description('prove scenarios on a real cluster: they break as claimed, wrong fixes fail verify, the solution passes, diagnosis names the cause, reset leaves nothing')
    .option('--jobs <n>', 'scenarios proven at once', '4')
    .option('--report <file>', 'write the report there (Markdown; JSON when the name ends in .json)')
    .option('--capture <dir>', 'write each scenario\'s first snapshot matching every expect field to DIR/<id>/ (the observed fixtures)')
    .option('--bystander <namespace>', 'a namespace crashlab did not create (with a ConfigMap keep-me): check that every reset leaves it alone')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', '\nThe default context is crashlab\'s kind cluster; another context asks first (or --yes). Packs: --scenarios DIR.')
    .action(async (ids: string[], opts: ProveOptions) => {
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new CliError(`--jobs must be a whole number of at least 1 (got "${opts.jobs}")`, EXIT.unable);
      let outcome;
      try {
        outcome = await runProve(env.globals(), { env: env.io.env, signal: env.signal, ...env.deps }, {
          ids,
          jobs,
          capture: opts.capture,
          bystander: opts.bystander,
          onLine: (line) => eprintln(env.io, line),
          confirm: env.deps.confirm,
        });
      } catch (error) {
        throw asCliError(error);
      }
      const passed = outcome.checks.filter((c) => c.ok).length;
      const failed = outcome.checks.length - passed;
      const json = { ok: outcome.ok, context: outcome.context, versions: outcome.versions, seconds: outcome.seconds, minimumSeconds: outcome.minimumSeconds, passed, failed, rows: outcome.rows, checks: outcome.checks };
      if (opts.report) writeFileSync(opts.report, opts.report.endsWith('.json') ? `${JSON.stringify(json, null, 2)}\n` : outcome.markdown);
      env.setExit(outcome.ok ? EXIT.ok : EXIT.failed);
      if (opts.json) return printJson(env.io, json);
      const ratio = outcome.minimumSeconds ? ` (${(outcome.seconds / outcome.minimumSeconds).toFixed(2)}x)` : '';
      println(env.io, `prove: ${outcome.rows.length} scenario(s) in ${outcome.seconds}s against a sum of physical minimums of ${outcome.minimumSeconds}s${ratio}, ${opts.jobs} at a time${opts.report ? `; report: ${opts.report}` : ''}`);
      println(env.io, `${passed} passed, ${failed} failed`);
    });
}
