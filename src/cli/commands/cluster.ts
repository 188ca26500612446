/**
 * `up` and `down`: crashlab's own kind cluster. With --context, `up` only checks that the
 * cluster answers (crashlab never creates or deletes clusters it does not own).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT } from '../../core/context.js';
import { ClusterError, ensureCluster } from '../../engine/cluster.js';
import { contentRoot, openKind, openKube } from '../app.js';
import { CliError, EXIT } from '../errors.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../main.js';
import { asCliError } from './lab.js';

const CLUSTER_HINTS: Record<ClusterError['kind'], string> = {
  'kind-unavailable': 'Run `crashlab doctor` to see what is missing and how to install it.',
  'create-failed': 'Run `crashlab doctor`; `crashlab down` removes a half-created cluster.',
  'not-ready': 'Check `kubectl get nodes` and `crashlab doctor`.',
};

export function register(program: Command, env: CommandEnv): void {
  program
    .command('up')
    .description(`find or create the kind cluster "${DEFAULT_CLUSTER_NAME}" (with --context: check that cluster answers)`)
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const globals = env.globals();
      const log = (line: string) => (opts.json ? undefined : eprintln(env.io, line));
      const kube = await openKube(env, { mutating: false }).catch((e) => Promise.reject(asCliError(e)));
      const kind = !globals.context || globals.context === DEFAULT_CONTEXT ? { cli: await openKind(env), configPath: join(contentRoot(env), 'kind', 'crashlab.yaml') } : undefined;
      const started = Date.now();
      // Ctrl-C (handled in main) aborts env.signal: kind is stopped, not orphaned.
      const { created } = await ensureCluster({ kube, kind, onLine: log, signal: env.signal }).catch((error) => {
        if ((error as Error).name === 'AbortError') {
          throw new CliError('cancelled: kind was stopped and the half-created cluster removed', EXIT.interrupted, 'Run `crashlab up` again when you are ready.');
        }
        if (!(error instanceof ClusterError)) throw error;
        throw new CliError(error.message, EXIT.unable, CLUSTER_HINTS[error.kind]);
      });
      if (created) log(`Cluster created in ${Math.round((Date.now() - started) / 1000)}s.`);
      if (opts.json) printJson(env.io, { context: kube.context, created, ready: true });
      else println(env.io, `Cluster ready (context ${kube.context}). Next: crashlab list`);
    });

  program
    .command('down')
    .description(`delete the kind cluster "${DEFAULT_CLUSTER_NAME}" (only crashlab's own cluster)`)
    .action(async () => {
      const globals = env.globals();
      if (globals.context && globals.context !== DEFAULT_CONTEXT) {
        throw new CliError(`crashlab deletes only its own kind cluster, not context ${globals.context}`, EXIT.unable, 'Use `crashlab reset` to remove the scenario namespaces from that cluster.');
      }
      const kind = await openKind(env);
      const clusters = await kind.clusters().catch((error: Error) => {
        throw new CliError(`cannot run kind: ${error.message}`, EXIT.unable, 'Run `crashlab doctor`.');
      });
      if (!clusters.includes(DEFAULT_CLUSTER_NAME)) {
        println(env.io, `No kind cluster "${DEFAULT_CLUSTER_NAME}": nothing to delete.`);
        return;
      }
      await kind.delete(DEFAULT_CLUSTER_NAME, (line) => eprintln(env.io, line));
      println(env.io, `Deleted kind cluster "${DEFAULT_CLUSTER_NAME}".`);
    });
}
