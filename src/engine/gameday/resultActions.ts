/**
 * A game's results: the export (`gameday export`) and the final results `gameday end` keeps on
 * the instructor's disk, both from one read of the board.
 */
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { exportGame, type ExportFormat } from '../../core/gameday/export.js';
import { validateGameName } from '../../core/gameday/names.js';
import type { Lang } from '../../core/text.js';
import type { GamedayPorts } from './apiTypes.js';
import { GameBoard } from './board.js';
import { gameRequestError } from './errors.js';
import { readSigner } from './signing.js';

export type ResultActions = ReturnType<typeof resultActions>;

export function resultActions(ports: GamedayPorts) {
  const { clock } = ports;

  /** The metadata and logs of a game as the board sees them once (export, final results). */
  async function snapshot(game: string) {
    const { kube, cluster } = await ports.open(false);
    const signer = await readSigner(cluster, game);
    const scenarios = await ports.scenarios();
    const engine = new GameBoard({ game, cluster, kube, clock, scenarios, signer, verify: false });
    const board = await engine.load();
    return { kube, board, logs: engine.logs(), scenarios };
  }

  return {
    /**
     * The final results on the instructor's disk before anything is deleted: the md debrief and
     * the json export, in DIR (default: $XDG_DATA_HOME/crashlab/games/<game>, i.e.
     * ~/.local/share/crashlab/games/<game>). Undefined when the game has no team.
     */
    async saveFinalResults(game: string, options: { dir?: string; home: string; dataHome?: string; lang: Lang }): Promise<{ dir: string; files: string[]; teams: number } | undefined> {
      const { board, logs, scenarios } = await snapshot(game);
      if (board.rows.length === 0) return undefined;
      const target = resolvePath(options.dir ?? joinPath(options.dataHome || joinPath(options.home, '.local', 'share'), 'crashlab', 'games', game));
      // The provisioning's file rules: a private folder (0700, refused if another user may write
      // to it), private files (0600) never written through a symbolic link.
      const store = await ports.files();
      await store.prepareDir(target);
      const stamp = board.at.replace(/[:.]/g, '-');
      const files: string[] = [];
      for (const format of ['md', 'json'] as const) {
        const file = joinPath(target, `${game}-final-${stamp}.${format}`);
        await store.writePrivate(file, exportGame(board, logs, format, { scenarios: Object.values(scenarios), lang: options.lang }));
        files.push(file);
      }
      return { dir: target, files, teams: board.rows.length };
    },

    /** Results per team and scenario plus the event log; the output is checked before any cluster call. */
    async export(game: string, options: { format: ExportFormat; out?: string; force?: boolean; lang: Lang }): Promise<{ text: string; teams: number }> {
      validateGameName(game);
      const files = await ports.files();
      if (options.out) await files.checkNew(options.out, { force: options.force });
      const { kube, board, logs, scenarios } = await snapshot(game);
      if (board.rows.length === 0) throw gameRequestError(`no team of game "${game}" found on context ${kube.context}`, 'Check the game name and --context.');
      const text = exportGame(board, logs, options.format, { scenarios: Object.values(scenarios), lang: options.lang });
      if (options.out) await files.writeNew(options.out, text, { force: options.force });
      return { text, teams: board.rows.length };
    },
  };
}
