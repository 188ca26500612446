import type { Command } from 'commander';
import type { CommandEnv } from '../env.js';
import { println } from '../io.js';
import { VERSION } from '../version.js';

export type RegisterCommand = (program: Command, env: CommandEnv) => void;

export interface CommandModule {
  /** The subcommands the module registers. */
  names: string[];
  load: () => Promise<{ register: RegisterCommand }>;
}

/**
 * Every subcommand, in the order of `--help` (the learner's path). Modules load only when
 * their command runs, so `crashlab verify` does not pay for the TUI or the YAML loader of
 * another command, and `--version` pays for nothing.
 */
export const COMMANDS: CommandModule[] = [
  { names: ['doctor'], load: () => import('./doctor.js') },
  { names: ['up', 'down'], load: () => import('./cluster.js') },
  { names: ['list'], load: () => import('./list.js') },
  { names: ['show'], load: () => import('./show.js') },
  { names: ['start', 'status', 'routine', 'solve', 'reset', 'note', 'hint', 'answer', 'score'], load: () => import('./lab.js') },
  { names: ['diagnose'], load: () => import('./diagnose.js') },
  { names: ['verify'], load: () => import('./verify.js') },
  { names: ['validate'], load: () => import('./validate.js') },
  { names: ['images'], load: () => import('./images.js') },
  { names: ['prove'], load: () => import('./prove.js') },
  { names: ['scenario'], load: () => import('./scenario.js') },
  { names: ['gameday'], load: () => import('./gameday.js') },
  { names: ['join'], load: () => import('./join.js') },
];

/** The modules a command line needs: its subcommand's, or all of them for help and typos. */
export function modulesFor(subcommand: string | undefined): CommandModule[] {
  const match = COMMANDS.filter((m) => subcommand !== undefined && m.names.includes(subcommand));
  return match.length > 0 ? match : COMMANDS;
}

/**
 * Command lines run without building commander's parser, which is most of their start-up
 * (`make bench`: `crashlab list --json` has a budget of 1.5× a bare `node -e 0`; docs/performance.md). Only these
 * exact argument lists: any flag, `--help` or a typo takes the full parser. Each runs the
 * command's own code with the options commander gives it for that line; a test holds the two
 * paths' output equal (test/unit/cli/fastCommands.test.ts).
 */
export interface FastCommand {
  argv: readonly string[];
  run: (env: CommandEnv) => Promise<void>;
}

export const FAST_COMMANDS: FastCommand[] = [
  { argv: ['--version'], run: async (env) => println(env.io, VERSION) },
  { argv: ['-V'], run: async (env) => println(env.io, VERSION) },
  { argv: ['list'], run: async (env) => (await import('./list.js')).list(env, {}) },
  { argv: ['list', '--json'], run: async (env) => (await import('./list.js')).list(env, { json: true }) },
];

export function fastCommand(argv: readonly string[]): FastCommand | undefined {
  return FAST_COMMANDS.find((fast) => fast.argv.length === argv.length && fast.argv.every((arg, i) => arg === argv[i]));
}
