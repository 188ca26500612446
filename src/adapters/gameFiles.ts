/** GameFiles on the local disk: kubeconfigs hold bearer tokens, so files are 0600 from birth. */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GameFiles } from '../ports/gameday.js';

export const localGameFiles: GameFiles = {
  async writePrivate(path, content) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, content, { mode: 0o600 });
    // writeFile's mode applies only to a new file; an existing one keeps its old mode.
    await chmod(path, 0o600);
  },
  async read(path) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
