/**
 * The program: the command line, which opens the lab UI on an interactive terminal. The one
 * module that knows both clients; the UI loads only when it opens.
 */
import { main as cliMain, type Deps } from './cli/main.js';
import { processIo, type Io } from './cli/io.js';

export async function main(argv: string[], io: Io = processIo, deps: Deps = {}): Promise<number> {
  return cliMain(argv, io, {
    openLab: async (options) => (await import('./tui/index.js')).runTui(options),
    openBoard: async (source, signal) => (await import('./tui/board/index.js')).runBoardTui(source, signal),
    ...deps,
  });
}
