import type { Command } from 'commander';
import type { CommandEnv } from '../env.js';

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
