/**
 * What a game day asks of the instructor's disk, and the team log's writer as the
 * participant's lab sees it. The cluster half is ports/gameCluster.ts.
 */
import type { GameEvent } from '../core/gameday/events.js';

export interface GameFiles {
  /**
   * Creates the folder (mode 0700) or checks an existing one: refused (a PortError of port files) when
   * another user owns it or may write to it. Called before anything is provisioned.
   */
  prepareDir(dir: string): Promise<void>;
  /**
   * Writes a file readable by its owner only (mode 0600) into a private folder: always a file
   * crashlab creates itself (O_EXCL, O_NOFOLLOW), renamed over whatever had that name.
   */
  writePrivate(path: string, content: string): Promise<void>;
  read(path: string): Promise<string | undefined>;
  /** Refuses (a PortError of port files) a symlink, a folder, or an existing file without `force`. */
  checkNew(path: string, options: { force?: boolean }): Promise<void>;
  /** Writes a new file (0600), or with `force` replaces a regular one; never through a symlink. */
  writeNew(path: string, content: string, options: { force?: boolean }): Promise<void>;
}

/**
 * A team's event log (ConfigMap crashlab-progress in its namespace, GAMEDAY-CONTRACT.md), as
 * the participant's lab appends to it with the team's own, namespace-scoped rights.
 */
export interface TeamLogWriter {
  append(namespace: string, events: GameEvent[]): Promise<void>;
}
