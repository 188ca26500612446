/**
 * `crashlab scenario new <id> --category C [--dir DIR]`: writes a new scenario's files into a
 * pack folder (default: the current one), every placeholder failing validate until filled in.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CATEGORY_IDS, isCategoryId } from '../../core/categories.js';
import { scaffoldScenario } from '../../core/scaffold.js';
import { contentRootOf } from '../../app/readOnly.js';
import { CliError, EXIT } from '../errors.js';
import { println } from '../io.js';
import type { CommandEnv } from '../env.js';

export function register(program: Command, env: CommandEnv): void {
  const scenario = program.command('scenario').description('author scenarios for a pack: `scenario new`');
  scenario
    .command('new <id>')
    .description('write a new scenario skeleton (scenario.yaml, manifests, solution README) into a pack folder')
    .requiredOption('--category <category>', `the cause it teaches: ${CATEGORY_IDS.join(', ')}`)
    .option('--dir <dir>', 'the pack folder (it gets scenarios/ and solutions/)', '.')
    .action((id: string, opts: { category: string; dir: string }) => {
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(id)) throw new CliError(`"${id}" is not a valid scenario id`, EXIT.unable, 'Use a lowercase DNS label: a-z, 0-9 and -, e.g. acme-ledger-sealed.');
      if (!isCategoryId(opts.category)) throw new CliError(`"${opts.category}" is not a category`, EXIT.unable, `One of: ${CATEGORY_IDS.join(', ')}.`);
      const root = resolve(opts.dir);
      const files = scaffoldScenario({ id, category: opts.category, schemaPath: join(contentRootOf(env.deps), 'dist', 'scenario.schema.json') });
      const existing = Object.keys(files).filter((f) => existsSync(join(root, f)));
      if (existing.length) throw new CliError(`not overwriting ${existing.map((f) => join(opts.dir, f)).join(', ')}`, EXIT.unable, 'Pick another id, or remove the old files first.');
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
      for (const file of Object.keys(files)) println(env.io, `wrote ${join(opts.dir, file)}`);
      println(env.io, `\nNext: fill in every TODO (docs/authoring.md), then\n  crashlab validate ${opts.dir}\n  crashlab --scenarios ${opts.dir} show ${id}\n  crashlab --scenarios ${opts.dir} prove ${id}`);
    });
}
