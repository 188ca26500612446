import { setMaxListeners } from 'node:events';
import { createRequire } from 'node:module';
import { VERSION } from './version.js';
import type * as Commander from 'commander';
import { errorWords, langFromEnv, pick, type Lang } from '../core/text.js';
import { boundMessage, safeText } from '../core/untrusted.js';
import { say, words } from './words.js';
import { CliError, EXIT } from './errors.js';
import { eprintln, printJson, processIo, proseRows, useColor, withArgv, type Io } from './io.js';
import type { AppOptions } from '../app/compose.js';
import { packDirsFrom } from '../app/readOnly.js';
import { hangUpNow, onHangup } from '../app/hangup.js';
import type { CommandEnv, Deps } from './env.js';
import { COMMANDS, fastCommand, modulesFor, type CommandModule } from './commands/index.js';

export type { CommandEnv, Deps } from './env.js';

type Command = Commander.Command;
let commanderModule: typeof Commander | undefined;
/**
 * commander, loaded when a parser is built: the fast commands (commands/index.ts) run without
 * it, about 10 ms of a start-up whose budget is measured (`make bench`). Required, not
 * imported: it is CommonJS, and Node's ESM wrapper around CommonJS costs another 3 ms.
 */
function commander(): typeof Commander {
  return (commanderModule ??= createRequire(import.meta.url)('commander') as typeof Commander);
}

export async function buildProgram(
  io: Io,
  setExit: (code: number) => void,
  deps: Deps = {},
  modules: CommandModule[] = COMMANDS,
  signal: AbortSignal = new AbortController().signal,
): Promise<Command> {
  const korean = langFromArgv(io.argv ?? [], io.env) === 'ko';
  const help = korean ? await import('./help.js') : undefined;
  const { Command, Option } = commander();
  const program = new Command('crashlab')
    .description('A hands-on Kubernetes CrashLoopBackOff troubleshooting lab.\nRun with no arguments on a terminal to open the lab.')
    .version(VERSION)
    .option('--context <name>', 'kubeconfig context to use (default: kind-crashlab); other contexts need confirmation')
    .option('--kubeconfig <file>', 'kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('-y, --yes', 'do not ask for confirmation (non-kind contexts, resets)', false)
    .addOption(new Option('--lang <lang>', 'language of learner text').choices(['en', 'ko']))
    .option('--no-color', 'disable colour (NO_COLOR is respected too)')
    .option('--request-timeout <duration>', 'give up on a kubectl call after this long, e.g. 20s or 2m (default 60s; env CRASHLAB_REQUEST_TIMEOUT)')
    .option('--scenarios <dir>', 'add a scenario pack (a folder with scenarios/ and solutions/); repeatable; env CRASHLAB_SCENARIOS (a path list)', (dir: string, dirs: string[]) => [...dirs, dir], [] as string[])
    .showSuggestionAfterError()
    // Set before the subcommands are added: they inherit it.
    .configureHelp(help ? help.koreanHelp() : {})
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(help ? help.koreanHelpText(s) : s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's "error: ..." in crashlab's own voice and the learner's language.
      outputError: (s, write) => write(safeText(boundMessage(commanderSays(s.replace(/^error: /, 'crashlab: '), langFromArgv(io.argv ?? [], io.env))))),
    });

  const env: CommandEnv = { io, deps, setExit, signal, globals: () => appOptions(program.opts(), io) };
  for (const module of modules) (await module.load()).register(program, env);
  program.addHelpText(
    'after',
    [
      '',
      'First steps:',
      '  crashlab doctor            check docker, kind and kubectl (and how to fix what is missing)',
      '  crashlab up                create the local kind cluster',
      '  crashlab                   open the lab (on a terminal), or: crashlab list, then crashlab start <id>',
      '  crashlab show <id>         read a scenario without a cluster (--hints, --debrief, --lang ko)',
      '  crashlab --scenarios DIR   add a scenario pack to any command (docs/authoring.md)',
    ].join('\n'),
  );
  // Every usage error ends with where to read the usage: the subcommand's own help.
  const lang = langFromArgv(io.argv ?? [], io.env);
  program.showHelpAfterError(say(lang, 'usage.root'));
  for (const command of program.commands) command.showHelpAfterError(say(lang, 'usage.command', { command: command.name() }));
  return program;
}

/** Commander's usage errors (its own English) in Korean; anything else passes unchanged. */
const COMMANDER_KO: [RegExp, string][] = [
  [/unknown command '([^']*)'/, "알 수 없는 명령 '$1'"],
  [/\(Did you mean ([^?]*)\?\)/, '(혹시 $1 명령인가요?)'],
  [/unknown option '([^']*)'/, "알 수 없는 옵션 '$1'"],
  [/missing required argument '([^']*)'/, "필수 인자 '$1' 없음"],
  [/too many arguments for '([^']*)'\. Expected (\d+) arguments? but got (\d+)\./, "'$1'의 인자가 너무 많습니다. $2개를 받는데 $3개가 왔습니다."],
  [/too many arguments\. Expected (\d+) arguments? but got (\d+)\./, '인자가 너무 많습니다. $1개를 받는데 $2개가 왔습니다.'],
  [/option '([^']*)' argument missing/, "옵션 '$1'에 값이 없습니다"],
  [/option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are ([^.]*)\./, "옵션 '$1'에 쓸 수 없는 값 '$2'. 가능한 값: $3."],
];

function commanderSays(text: string, lang: Lang): string {
  return lang === 'ko' ? COMMANDER_KO.reduce((said, [pattern, ko]) => said.replace(pattern, ko), text) : text;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** The longest timer Node keeps (2^31-1 ms), rounded down to whole minutes: 35791 min, 24.8 days. */
export const MAX_REQUEST_TIMEOUT_MS = Math.floor((2 ** 31 - 1) / 60_000) * 60_000;

/** --request-timeout, else CRASHLAB_REQUEST_TIMEOUT: "20s", "2m", "1500ms" or seconds. */
export function requestTimeoutMs(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = option ?? env.CRASHLAB_REQUEST_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_REQUEST_TIMEOUT_MS;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's'] as number) : NaN;
  if (!(ms >= 1000)) {
    const source = option !== undefined ? '--request-timeout' : 'CRASHLAB_REQUEST_TIMEOUT';
    const example = source === '--request-timeout' ? '--request-timeout 20s' : 'CRASHLAB_REQUEST_TIMEOUT=20s';
    throw new CliError({ en: `${source} "${raw}" is not a duration of at least 1 s`, ko: `${source} "${raw}": 1초 이상의 시간 길이가 아닙니다` }, EXIT.unable, {
      en: `Use e.g. ${example} or 2m.`,
      ko: `예: ${example} 또는 2m.`,
    });
  }
  // Node's timers hold at most 2^31-1 ms (24.8 days): beyond it a timer fires at once, so every call would fail.
  if (ms > MAX_REQUEST_TIMEOUT_MS) {
    const source = option !== undefined ? '--request-timeout' : 'CRASHLAB_REQUEST_TIMEOUT';
    throw new CliError(`${source} "${raw}" is too long: at most ${MAX_REQUEST_TIMEOUT_MS / 60_000 | 0}m (24 days)`, EXIT.unable, 'A cluster that has not answered in minutes will not answer; e.g. 5m.');
  }
  return ms;
}

/** Runs the CLI and returns the process exit code. Never throws. */
export async function main(argv: string[], io: Io = processIo, deps: Deps = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  const takesValue = (i: number) => ['--context', '--kubeconfig', '--lang', '--request-timeout', '--scenarios'].includes(argv[i - 1] ?? '');
  const onlyGlobals = argv.every((arg, i) => arg.startsWith('-') || takesValue(i));
  const wantsHelp = argv.some((a) => ['-h', '--help', '-V', '--version'].includes(a));
  const subcommand = argv.find((arg, i) => !arg.startsWith('-') && !takesValue(i));
  const versionOnly = onlyGlobals && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const opensLab = onlyGlobals && !wantsHelp && isInteractive(io);
  if (io.stdout === process.stdout) guardStdout(io);
  const lang = langFromArgv(argv, io.env);
  io = withArgv(io, argv);
  const interrupt = new InterruptHandler(io, lang);
  const setExit = (code: number) => {
    exitCode = code;
  };
  const fast = fastCommand(argv);
  // A fast command line runs the command's own code with the options commander would give it.
  const run = fast
    ? () => fast.run({ io, deps, setExit, signal: interrupt.signal, globals: () => appOptions({}, io) })
    : undefined;
  const program = run
    ? undefined
    : await buildProgram(
        io,
        setExit,
        deps,
        // The lab and `--version` need no subcommand module at all.
        versionOnly || opensLab ? [] : modulesFor(subcommand),
        interrupt.signal,
      );
  if (program && onlyGlobals && !wantsHelp) {
    return openLabOrHelp(program, argv, io, deps);
  }
  interrupt.listen();
  try {
    await (run ? run() : program!.parseAsync(argv, { from: 'user' }));
    return exitCode;
  } catch (error) {
    if (interrupt.signal.aborted) {
      // A command that explains its own interruption (up: "kind was stopped...") keeps its words.
      const own = error instanceof CliError && error.exitCode === EXIT.interrupted ? error : undefined;
      return await interrupt.report(subcommand, argv.includes('--json'), own);
    }
    return await reportError(error, io, lang);
  } finally {
    interrupt.stop();
  }
}

/**
 * Ctrl-C while a command runs: crashlab's own handler, not the default death by signal. The
 * listener stays for the whole command: execa's cleanup (signal-exit) re-raises SIGINT when it
 * finds no other listener, which is how a one-shot listener used to let the process die with
 * no verdict. The first signal aborts `signal` (kubectl children are stopped, verify returns
 * an interrupted verdict); a second one, or a command that does not end within 10 s, exits.
 */
class InterruptHandler {
  private readonly controller = new AbortController();
  private received?: NodeJS.Signals;
  private readonly onSignal = (name: NodeJS.Signals) => {
    if (this.received) {
      eprintln(this.io, `crashlab: ${say(this.lang, 'interrupt.again')}`);
      process.exit(exitCodeForSignal(name));
    }
    this.received = name;
    this.controller.abort(Object.assign(new Error(`interrupted (${name})`), { name: 'AbortError' }));
    setTimeout(() => {
      eprintln(this.io, `crashlab: ${say(this.lang, 'interrupt.stuck')}`);
      process.exit(exitCodeForSignal(name));
    }, 10_000).unref();
  };

  constructor(
    private readonly io: Io,
    private readonly lang: Lang,
  ) {
    // Each running kubectl listens for the abort (its whole process tree is stopped): a board or
    // a game-day command runs dozens at once, which is no leak.
    setMaxListeners(MAX_CALLS_LISTENING, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private offHangup?: () => void;

  listen(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    // A closed terminal: running kubectl trees are stopped, then the process ends by SIGHUP (129).
    this.offHangup = onHangup(() => this.controller.abort(Object.assign(new Error('the terminal was closed (SIGHUP)'), { name: 'AbortError' })));
  }

  stop(): void {
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    this.offHangup?.();
  }

  /** The command ended by the interruption without saying so itself. */
  async report(subcommand: string | undefined, json: boolean, own?: CliError): Promise<number> {
    const what = subcommand ? `\`crashlab ${subcommand}\`` : 'crashlab';
    const key = this.received === 'SIGTERM' ? 'interrupt.sigterm' : this.received ? 'interrupt.ctrlC' : 'interrupt.sighup';
    const said = own ? own.words : { message: words(key, { what }), hint: undefined };
    // --json keeps English (scripts read it); the terminal gets the learner's language.
    if (json) printJson(this.io, { interrupted: true, ...(subcommand ? { command: subcommand } : {}), message: said.message.en });
    for (const row of await proseRows(this.io, pick(said.message, this.lang), 'crashlab: ', '  ')) eprintln(this.io, row);
    if (said.hint) for (const row of await proseRows(this.io, pick(said.hint, this.lang), '  ')) eprintln(this.io, row);
    return exitCodeForSignal(this.received ?? 'SIGINT');
  }
}

function exitCodeForSignal(name: NodeJS.Signals): number {
  return name === 'SIGTERM' ? 143 : EXIT.interrupted;
}

/** Concurrent kubectl calls one abort signal may serve without Node's leak warning. */
export const MAX_CALLS_LISTENING = 500;

let stdoutGuarded = false;

/**
 * A reader that closes the pipe early (`| head`) ends crashlab quietly; any other write error
 * (`> /dev/full`) is one line on stderr and exit 2, never a stack trace or a "no" verdict's 1.
 */
function guardStdout(io: Io): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // The terminal was closed: end as a hangup (see app/hangup.ts), not by exit.
    if (error.code === 'EIO') return hangUpNow();
    const reason = error.code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : error.code ? `${error.message.replace(/^[A-Z]+: /, '')} (${error.code})` : error.message;
    try {
      eprintln(io, `crashlab: cannot write the output: ${reason}`);
    } catch {
      // stderr is gone too: the exit code is all that is left.
    }
    process.exit(EXIT.unable);
  });
}

/** The global flags as commander gives them; none at all on a fast command line. */
interface GlobalFlags {
  context?: string;
  kubeconfig?: string;
  yes?: boolean;
  lang?: string;
  color?: boolean;
  requestTimeout?: string;
  scenarios?: string[];
}

/** The global options, from the flags commander parsed (or none) and the environment. */
function appOptions(opts: GlobalFlags, io: Io): AppOptions {
  return {
    scenarioDirs: packDirsFrom(opts.scenarios, io.env),
    context: opts.context,
    kubeconfig: opts.kubeconfig,
    yes: Boolean(opts.yes),
    lang: langFromEnv(opts.lang, io.env),
    color: useColor(io, opts.color),
    requestTimeoutMs: requestTimeoutMs(opts.requestTimeout, io.env),
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
    return await reportError(error, io, langFromArgv(argv, io.env));
  }
  const lang = appOptionsLang(program, io);
  if (!isInteractive(io) || !deps.openLab) {
    io.stdout.write(program.helpInformation());
    io.stdout.write(`\n${say(lang, 'notInteractive')}\n`);
    return EXIT.ok;
  }
  try {
    return await deps.openLab(appOptions(program.opts(), io));
  } catch (error) {
    return await reportError(error, io, lang);
  }
}

function appOptionsLang(program: Command, io: Io): Lang {
  return langFromEnv(program.opts<{ lang?: string }>().lang, io.env);
}

/**
 * The language before commander has parsed anything (usage errors, help texts): `--lang X`,
 * `--lang=X`, else the environment. An invalid value is commander's error to report.
 */
export function langFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  let flag: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--lang' && argv[i + 1]) flag = argv[i + 1];
    else if (arg.startsWith('--lang=')) flag = arg.slice('--lang='.length);
  });
  return langFromEnv(flag === 'en' || flag === 'ko' ? flag : undefined, env);
}

/** An error and its next step in the learner's language, reflowed like any prose. */
async function reportError(error: unknown, io: Io, lang: Lang): Promise<number> {
  // Only a parser that was built can have thrown one.
  if (commanderModule && error instanceof commanderModule.CommanderError) {
    // Commander already printed help, the version or the usage message.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.unable;
  }
  // Messages quote input (an id, a file's content, kubectl's stderr): bounded, and escaped by eprintln.
  const { message, hint } = errorWords(error, lang);
  for (const row of await proseRows(io, boundMessage(message), 'crashlab: ', '  ')) eprintln(io, row);
  if (hint) for (const row of await proseRows(io, boundMessage(hint), '  ')) eprintln(io, row);
  if (error instanceof CliError) return error.exitCode;
  if (io.env.CRASHLAB_DEBUG && error instanceof Error && error.stack) eprintln(io, error.stack);
  return EXIT.unable;
}
