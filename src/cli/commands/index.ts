import type { Command } from 'commander';
import type { CommandEnv } from '../main.js';
import { register as doctor } from './doctor.js';
import { register as cluster } from './cluster.js';
import { register as lab } from './lab.js';
import { register as list } from './list.js';
import { register as validate } from './validate.js';
import { register as verify } from './verify.js';
import { register as diagnose } from './diagnose.js';

export type RegisterCommand = (program: Command, env: CommandEnv) => void;

/** Every subcommand registers itself here; the order is the order of `--help`. */
export const COMMANDS: RegisterCommand[] = [doctor, cluster, list, lab, diagnose, verify, validate];
