/**
 * `up` and `down`: crashlab's own kind cluster. With --context, `up` only checks that the
 * cluster answers (crashlab never creates or deletes clusters it does not own).
 */
import type { Command } from 'commander';
import { DEFAULT_CLUSTER_NAME } from '../../core/context.js';
import { openLab } from '../app.js';
import { CliError, EXIT, asCliError, guarded } from '../errors.js';
import { eprintln, printJson, println } from '../io.js';
import { say, words } from '../words.js';
import type { CommandEnv } from '../env.js';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('up')
    .description(`find or create the kind cluster "${DEFAULT_CLUSTER_NAME}" (with --context: check that cluster answers)`)
    .option('--preload', 'then load every image the scenarios run into the kind cluster (see `crashlab images`)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean; preload?: boolean }) => {
      const log = (line: string) => (opts.json ? undefined : eprintln(env.io, line));
      const { lang } = env.globals();
      const lab = openLab(env, 'machine', 'catalog');
      const started = Date.now();
      // Ctrl-C (handled in main) aborts env.signal: kind is stopped, not orphaned.
      const { created, context } = await lab.ensureCluster({ onLine: log, signal: env.signal ?? new AbortController().signal }).catch((error) => {
        if ((error as Error).name === 'AbortError') {
          throw new CliError(words('up.cancelled'), EXIT.interrupted, words('up.again'));
        }
        throw asCliError(error);
      });
      if (created) log(say(lang, 'up.created', { s: Math.round((Date.now() - started) / 1000) }));
      let preloaded: string[] | undefined;
      if (opts.preload) {
        const images = [...new Set((await lab.scenarios()).flatMap((s) => s.images))].sort();
        preloaded = (await guarded(() => lab.loadImages(images, log))).loaded;
        log(say(lang, 'up.preloaded', { n: preloaded.length, images: preloaded.join(', ') }));
      }
      if (opts.json) printJson(env.io, { context, created, ready: true, ...(preloaded ? { preloaded } : {}) });
      else println(env.io, say(lang, 'up.ready', { context }));
    });

  program
    .command('down')
    .description(`delete the kind cluster "${DEFAULT_CLUSTER_NAME}" (only crashlab's own cluster)`)
    .action(() =>
      guarded(async () => {
        const result = await openLab(env, 'machine').deleteCluster((line) => eprintln(env.io, line));
        println(env.io, say(env.globals().lang, result === 'absent' ? 'down.absent' : 'down.deleted', { name: DEFAULT_CLUSTER_NAME }));
      }),
    );
}
