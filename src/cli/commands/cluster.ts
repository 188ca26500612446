/**
 * `up` and `down`: crashlab's own kind cluster. With --context, `up` only checks that the
 * cluster answers (crashlab never creates or deletes clusters it does not own).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT } from '../../core/context.js';
import { KindError } from '../../adapters/kind.js';
import { contentRoot, openKind, openKube } from '../app.js';
import { CliError, EXIT } from '../errors.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../main.js';
import { asCliError } from './lab.js';

/** Aborts on Ctrl-C for the duration of `work`, so a child process is killed, not orphaned. */
async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('up')
    .description(`find or create the kind cluster "${DEFAULT_CLUSTER_NAME}" (with --context: check that cluster answers)`)
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const globals = env.globals();
      const log = (line: string) => (opts.json ? undefined : eprintln(env.io, line));
      let created = false;
      if (!globals.context || globals.context === DEFAULT_CONTEXT) {
        const kind = await openKind(env);
        let clusters: string[];
        try {
          clusters = await kind.clusters();
        } catch (error) {
          throw new CliError(`cannot run kind: ${(error as Error).message}`, EXIT.unable, 'Run `crashlab doctor` to see what is missing and how to install it.');
        }
        if (clusters.includes(DEFAULT_CLUSTER_NAME)) {
          log(`Reusing kind cluster "${DEFAULT_CLUSTER_NAME}".`);
        } else {
          log(`Creating kind cluster "${DEFAULT_CLUSTER_NAME}" (a minute or two the first time)...`);
          const started = Date.now();
          await withInterrupt(async (signal) => {
            try {
              await kind.create({ name: DEFAULT_CLUSTER_NAME, configPath: join(contentRoot(env), 'kind', 'crashlab.yaml'), waitSeconds: 120, onLine: log, signal });
            } catch (error) {
              if (signal.aborted) {
                throw new CliError('cancelled: kind was stopped and the half-created cluster removed', EXIT.interrupted, 'Run `crashlab up` again when you are ready.');
              }
              // The cluster exists but its node was slow: the readiness wait below decides.
              if (error instanceof KindError && error.kind === 'not-ready') {
                log('The node is not Ready yet; waiting a little longer...');
                return;
              }
              throw new CliError(`kind could not create the cluster: ${(error as Error).message}`, EXIT.unable, 'Run `crashlab doctor`; `crashlab down` removes a half-created cluster.');
            }
          });
          created = true;
          log(`Cluster created in ${Math.round((Date.now() - started) / 1000)}s.`);
        }
      }
      const kube = await openKube(env, { mutating: false }).catch((e) => Promise.reject(asCliError(e)));
      // kind create --wait exits 0 even when the wait timed out: check the node ourselves.
      const ready = await kube.run(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
      if (ready.exitCode !== 0) {
        throw new CliError(`the cluster in context ${kube.context} is not ready: ${(ready.stderr || ready.stdout).trim()}`, EXIT.unable, 'Check `kubectl get nodes` and `crashlab doctor`.');
      }
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
