import type { Globals } from '../cli/io.js';

/** Placeholder until the Ink app lands (issue 3). */
export async function runTui(_globals: Globals): Promise<number> {
  process.stderr.write('crashlab: the lab UI is not built yet; use the subcommands (crashlab --help).\n');
  return 2;
}
