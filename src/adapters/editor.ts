/** Opens text in the learner's editor on the inherited terminal and returns what they saved. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { EditResult } from '../ports/editor.js';

export async function editText(text: string, fileName: string, env: NodeJS.ProcessEnv = process.env): Promise<EditResult> {
  const dir = await mkdtemp(join(tmpdir(), 'crashlab-edit-'));
  const file = join(dir, fileName);
  const editor = env.VISUAL || env.EDITOR || 'vi';
  try {
    await writeFile(file, text, 'utf8');
    // $EDITOR may carry arguments ("code --wait"), so let the shell split it.
    const result = await execa(`${editor} "$CRASHLAB_EDIT_FILE"`, { shell: true, stdio: 'inherit', reject: false, env: { ...env, CRASHLAB_EDIT_FILE: file } });
    if (result.exitCode !== 0) {
      const why = result.code === 'ENOENT' || result.exitCode === 127 ? `editor "${editor}" not found: set $EDITOR` : `editor "${editor}" exited with code ${result.exitCode}`;
      return { status: 'failed', error: why };
    }
    const edited = await readFile(file, 'utf8');
    return edited === text ? { status: 'unchanged' } : { status: 'saved', text: edited };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
