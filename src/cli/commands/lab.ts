/**
 * The scenario lifecycle subcommands: start, status, routine, solve, reset.
 */
import type { Command } from 'commander';
import { scenarioNamespace } from '../../core/context.js';
import type { PodSummary } from '../../core/podStatus.js';
import { focusContainer, routineSteps, type RoutineStep } from '../../core/routine.js';
import { runRoutineStep, type StepRun } from '../../engine/routine.js';
import { recordHelp, recordStart } from '../../core/progress.js';
import { pick } from '../../core/text.js';
import { applySolution, deployBroken, LabError, requireDeployed, resetScenario, scenarioPods, scenarioStatus, type ScenarioStatus } from '../../engine/lab.js';
import { KubeError, type Kube } from '../../ports/kube.js';
import { findBundle, openCatalog, openClock, openKube, openStore } from '../app.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, println, type Io } from '../io.js';
import type { CommandEnv } from '../main.js';

/** Engine and cluster errors become one clear message with a next step. */
export function asCliError(error: unknown): unknown {
  if (error instanceof LabError) return new CliError(error.message, EXIT.unable, error.hint);
  if (error instanceof KubeError) return new CliError(error.message, EXIT.unable, kubeHint(error));
  return error;
}

function kubeHint(error: KubeError): string | undefined {
  switch (error.kind) {
    case 'unreachable':
      return 'Is the cluster running? `crashlab up` creates the kind cluster; `crashlab doctor` checks everything.';
    case 'missing-tool':
      return 'Run `crashlab doctor` for install instructions.';
    case 'forbidden':
      return 'Your kubeconfig user may not do this in that namespace.';
    default:
      return undefined;
  }
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asCliError(error);
  }
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('start <id>')
    .description('deploy the broken workload of a scenario into namespace crashlab-<id>')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const bundle = await findBundle(env, id);
        const kube = await openKube(env, { mutating: true });
        const namespace = scenarioNamespace(id);
        const lines = await deployBroken(kube, bundle, namespace);
        const now = openClock(env).now();
        await openStore(env).update((progress) => recordStart(progress, id, now));
        if (opts.json) return printJson(env.io, { scenario: id, namespace, applied: lines });
        for (const line of lines) println(env.io, line);
        const lang = env.globals().lang;
        println(env.io);
        println(env.io, pick(bundle.scenario.briefing, lang).trim());
        println(env.io);
        println(env.io, `Next: crashlab status ${id}   ·   crashlab routine ${id}`);
      }),
    );

  program
    .command('status <id>')
    .description("show the scenario's pods: STATUS, restarts, last termination, back-off")
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const bundle = await findBundle(env, id);
        const kube = await openKube(env, { mutating: false });
        const status = await scenarioStatus(kube, bundle, scenarioNamespace(id), openClock(env).now());
        if (opts.json) {
          const { events: _events, ...rest } = status;
          return printJson(env.io, rest);
        }
        printStatus(env.io, status);
      }),
    );

  program
    .command('routine <id>')
    .description("the 60-second diagnostic routine, filled in for the scenario's pod")
    .option('--run', 'run each (non-interactive) step and print its output')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { run?: boolean; json?: boolean }) =>
      guarded(async () => {
        const bundle = await findBundle(env, id);
        const kube = await openKube(env, { mutating: false });
        const namespace = scenarioNamespace(id);
        await requireDeployed(kube, bundle, namespace);
        const pod = (await scenarioPods(kube, id, namespace))[0];
        if (!pod) throw new LabError(`no pod yet for scenario ${id}`, 'no-pod', 'The Deployment has not created a pod yet; try again in a few seconds.');
        const globals = env.globals();
        const container = focusContainer(pod, bundle.scenario.workload.container);
        const steps = routineSteps({ namespace, pod: pod.metadata.name, container, context: globals.context });
        const results = opts.run ? await runSteps(kube, steps) : undefined;
        if (opts.json) {
          return printJson(env.io, {
            pod: pod.metadata.name,
            namespace,
            steps: steps.map((step, i) => ({ id: step.id, title: pick(step.title, globals.lang), command: step.command, interactive: step.interactive, ...(results?.[i] ?? {}) })),
          });
        }
        steps.forEach((step, i) => {
          println(env.io, `${i + 1}. ${pick(step.title, globals.lang)}`);
          println(env.io, `   $ ${step.command}`);
          println(env.io, `   ${pick(step.why, globals.lang)}`);
          const result = results?.[i];
          if (result && 'output' in result) {
            println(env.io, indent(result.output.trimEnd() || '(no output)', '   │ '));
            if (result.exitCode !== 0) println(env.io, `   (exit code ${result.exitCode})`);
          } else if (opts.run && step.interactive) {
            println(env.io, '   (interactive: run it yourself in a terminal)');
          }
          println(env.io);
        });
      }),
    );

  program
    .command('solve <id>')
    .description('apply the reference solution (counts as solved with help)')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const bundle = await findBundle(env, id);
        const kube = await openKube(env, { mutating: true });
        const namespace = scenarioNamespace(id);
        const lines = await applySolution(kube, bundle, namespace);
        await openStore(env).update((progress) => recordHelp(progress, id));
        if (opts.json) return printJson(env.io, { scenario: id, namespace, applied: lines });
        for (const line of lines) println(env.io, line);
        println(env.io, `Reference solution applied. Prove it: crashlab verify ${id}`);
      }),
    );

  program
    .command('reset [id]')
    .description('delete what crashlab created for a scenario (all scenarios without an id)')
    .option('--progress', 'also forget saved progress for it')
    .option('--json', 'machine-readable output')
    .action((id: string | undefined, opts: { progress?: boolean; json?: boolean }) =>
      guarded(async () => {
        const ids = id ? [(await findBundle(env, id)).scenario.id] : await allScenarioIds(env);
        const kube = await openKube(env, { mutating: true });
        const results: { scenario: string; namespace: string; result: string }[] = [];
        for (const scenarioId of ids) {
          const namespace = scenarioNamespace(scenarioId);
          results.push({ scenario: scenarioId, namespace, result: await resetScenario(kube, namespace, { wait: true }) });
        }
        if (opts.progress) {
          await openStore(env).update((progress) => {
            for (const scenarioId of ids) delete progress.scenarios[scenarioId];
          });
        }
        if (opts.json) printJson(env.io, { results });
        else {
          for (const r of results) {
            const said = { deleted: 'deleted', absent: 'nothing to delete', refused: 'NOT deleted: it was not created by crashlab' }[r.result];
            if (id || r.result !== 'absent') println(env.io, `${r.namespace}: ${said}`);
          }
          if (!id && results.every((r) => r.result === 'absent')) println(env.io, 'Nothing to delete.');
        }
        if (results.some((r) => r.result === 'refused')) env.setExit(EXIT.failed);
      }),
    );
}

async function allScenarioIds(env: CommandEnv): Promise<string[]> {
  return (await openCatalog(env)).scenarios.map((s) => s.id);
}

async function runSteps(kube: Kube, steps: RoutineStep[]): Promise<(StepRun | Record<string, never>)[]> {
  const results = [];
  for (const step of steps) results.push(step.interactive ? {} : await runRoutineStep(kube, step));
  return results;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function podRow(p: PodSummary): string[] {
  const main = p.containers.find((c) => !c.init) ?? p.containers[0];
  const last = p.containers.map((c) => c.lastTermination).find(Boolean);
  const backOff = p.containers.map((c) => c.backOff).find(Boolean);
  return [
    p.name,
    p.status,
    p.ready,
    p.restartsText,
    last ? `${last.reason ?? 'Terminated'} (exit ${last.exitCode})` : '-',
    backOff ? (backOff.remainingSeconds !== undefined ? `restart in ${backOff.remainingSeconds}s (back-off ${backOff.delaySeconds}s)` : `back-off ${backOff.delaySeconds}s`) : main?.state === 'running' ? 'running' : '-',
  ];
}

export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  '));
}

function printStatus(io: Io, status: ScenarioStatus): void {
  println(io, `Scenario ${status.scenario} · namespace ${status.namespace}`);
  if (status.pods.length === 0) {
    println(io, 'No pods yet.');
    return;
  }
  for (const line of table([['POD', 'STATUS', 'READY', 'RESTARTS', 'LAST TERMINATION', 'BACK-OFF'], ...status.pods.map(podRow)])) println(io, line);
  const message = status.pods[0].containers.find((c) => c.message)?.message;
  if (message) println(io, `\nmessage: ${message}`);
  const newest = status.pods[0];
  if (newest.phase === 'Running' && newest.readyCount === newest.total && newest.restarts === 0 && !status.matchesExpected) {
    println(io);
    println(io, `The pod runs and is Ready. Fixed? Prove it: crashlab verify ${status.scenario}`);
  } else if (status.matchesExpected !== undefined) {
    println(io);
    println(io, status.matchesExpected ? 'Broken as designed: the pod shows the scenario’s signature.' : 'Not (yet) showing the scenario’s signature:');
    for (const check of status.checks ?? []) if (!check.ok) println(io, `  ${check.field}: expected ${check.expected}, observed ${check.observed}`);
  }
}
