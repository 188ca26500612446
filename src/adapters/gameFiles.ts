/**
 * GameFiles on the local disk. Kubeconfigs hold bearer tokens, so crashlab writes them only
 * into files it creates itself (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 from birth), in a folder
 * no other user can write to; a new version replaces the old by rename, so a file or a symlink
 * someone planted under that name is never written through.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GameFiles } from '../ports/gameday.js';
import { PortError } from '../ports/errors.js';
import { describeFsError } from './progressStore.js';

const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Creates the folder (0700) if needed; refuses one another user owns or may write to. */
async function privateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw refused(`cannot create the folder ${dir}: ${describeFsError(error)}`);
  }
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    throw refused(`cannot use the folder ${dir}: ${describeFsError(error)}`);
  }
  if (!info.isDirectory()) throw refused(`${dir} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw refused(`the folder ${dir} belongs to another user (uid ${info.uid}): team credentials go only into a folder of yours`, 'Choose another --out folder (crashlab creates it, mode 0700).');
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw refused(`cannot write into the folder ${dir}: ${describeFsError(error)}`, 'Choose another --out folder.');
  }
  if (info.mode & 0o022) {
    throw refused(
      `the folder ${dir} can be written by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}): they could swap a team's credentials`,
      `Use a folder only you can write to (chmod go-w ${dir}), or another --out.`,
    );
  }
}

/** Writes `content` into a file this call creates; nothing else is opened for writing. */
async function writeCreated(path: string, content: string, mode: number): Promise<void> {
  const handle = await open(path, NEW_FILE, mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const localGameFiles: GameFiles = {
  prepareDir: privateDir,

  async writePrivate(path, content) {
    const dir = dirname(path);
    await privateDir(dir);
    // A fresh file under a random name, then rename: what was at `path` (a stale kubeconfig,
    // another user's file, a planted symlink) is replaced, never opened.
    const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeCreated(temp, content, 0o600);
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw refused(`cannot write ${path}: ${describeFsError(error)}`);
    }
  },

  async read(path) {
    try {
      // A symlink is not crashlab's kubeconfig: never read a token through one.
      if ((await lstat(path)).isSymbolicLink()) return undefined;
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  },

  async checkNew(path, options) {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return;
    if (info.isSymbolicLink()) throw refused(`${path} is a symbolic link: crashlab does not write through one`, 'Name a new file with --out.');
    if (info.isDirectory()) throw refused(`${path} is a folder`, 'Name a file with --out.');
    if (!options.force) throw refused(`${path} already exists`, 'Name a new file, or pass --force to replace it.');
  },

  async writeNew(path, content, options) {
    await localGameFiles.checkNew(path, options);
    // O_NOFOLLOW even with --force: a symlink planted since the check is refused (ELOOP).
    const flags = options.force ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW : NEW_FILE;
    try {
      const handle = await open(path, flags, 0o600);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') throw refused(`${path} already exists`, 'Name a new file, or pass --force to replace it.');
      if (e.code === 'ELOOP') throw refused(`${path} is a symbolic link: crashlab does not write through one`);
      throw refused(`cannot write ${path}: ${describeFsError(error)}`);
    }
  },
};

/** A file or folder crashlab will not write, in words, with the next step when there is one. */
function refused(message: string, hint?: string): PortError<'files'> {
  return new PortError('files', 'refused', message, { hint });
}
