export type EditResult =
  | { status: 'saved'; text: string }
  /** The editor exited without changing the file. */
  | { status: 'unchanged' }
  /** The editor was not found or exited with a non-zero code. */
  | { status: 'failed'; error: string };

/** Opens text in the learner's $VISUAL/$EDITOR on the inherited terminal and waits for it. */
export interface Editor {
  edit(text: string, fileName: string): Promise<EditResult>;
}
