import { Command, CommanderError, Option } from 'commander';
import { langFromEnv } from '../core/text.js';
import { CliError, EXIT } from './errors.js';
import { eprintln, processIo, useColor, type Io } from './io.js';
import type { AppOptions } from '../app/compose.js';
import type { CommandEnv, Deps } from './env.js';
import { COMMANDS, modulesFor, type CommandModule } from './commands/index.js';

export type { CommandEnv, Deps } from './env.js';

export async function buildProgram(io: Io, setExit: (code: number) => void, deps: Deps = {}, modules: CommandModule[] = COMMANDS): Promise<Command> {
  const program = new Command('crashlab')
    .description('A hands-on Kubernetes CrashLoopBackOff troubleshooting lab.\nRun with no arguments on a terminal to open the lab.')
    .version('0.1.0')
    .option('--context <name>', 'kubeconfig context to use (default: kind-crashlab); other contexts need confirmation')
    .option('--kubeconfig <file>', 'kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('-y, --yes', 'do not ask for confirmation (non-kind contexts, resets)', false)
    .addOption(new Option('--lang <lang>', 'language of learner text').choices(['en', 'ko']))
    .option('--no-color', 'disable colour (NO_COLOR is respected too)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const env: CommandEnv = {
    io,
    deps,
    setExit,
    globals: () => {
      return appOptions(program, io);
    },
  };
  for (const module of modules) (await module.load()).register(program, env);
  return program;
}

/** Runs the CLI and returns the process exit code. Never throws. */
export async function main(argv: string[], io: Io = processIo, deps: Deps = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  const takesValue = (i: number) => ['--context', '--kubeconfig', '--lang'].includes(argv[i - 1] ?? '');
  const onlyGlobals = argv.every((arg, i) => arg.startsWith('-') || takesValue(i));
  const wantsHelp = argv.some((a) => ['-h', '--help', '-V', '--version'].includes(a));
  const subcommand = argv.find((arg, i) => !arg.startsWith('-') && !takesValue(i));
  const versionOnly = onlyGlobals && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const opensLab = onlyGlobals && !wantsHelp && isInteractive(io);
  const program = await buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    deps,
    // The lab and `--version` need no subcommand module at all.
    versionOnly || opensLab ? [] : modulesFor(subcommand),
  );
  if (onlyGlobals && !wantsHelp) {
    return openLabOrHelp(program, argv, io, deps);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** The global options, read after commander parsed them. */
function appOptions(program: Command, io: Io): AppOptions {
  const opts = program.opts<{ context?: string; kubeconfig?: string; yes: boolean; lang?: string; color?: boolean }>();
  return {
    context: opts.context,
    kubeconfig: opts.kubeconfig,
    yes: Boolean(opts.yes),
    lang: langFromEnv(opts.lang, io.env),
    color: useColor(io, opts.color),
  };
}

function isInteractive(io: Io): boolean {
  return Boolean(io.stdout.isTTY && io.stdin.isTTY) && !io.env.CI;
}

/** The lab is interactive: only on a real terminal outside CI; otherwise plain help. */
async function openLabOrHelp(program: Command, argv: string[], io: Io, deps: Deps): Promise<number> {
  try {
    program.parseOptions(argv);
  } catch (error) {
    return reportError(error, io);
  }
  if (!isInteractive(io) || !deps.openLab) {
    io.stdout.write(program.helpInformation());
    io.stdout.write('\nNot on an interactive terminal: the lab UI needs one. Use the subcommands above.\n');
    return EXIT.ok;
  }
  try {
    return await deps.openLab(appOptions(program, io));
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander already printed help, the version or the usage message.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.unable;
  }
  if (error instanceof CliError) {
    eprintln(io, `crashlab: ${error.message}`);
    if (error.hint) eprintln(io, `  ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  eprintln(io, `crashlab: ${message}`);
  if (io.env.CRASHLAB_DEBUG && error instanceof Error && error.stack) eprintln(io, error.stack);
  return EXIT.unable;
}
