/** The board's key bindings as a table: the help line and the dispatcher both read it. */
export type BoardAction = 'quit' | 'back' | 'open' | 'stuck' | 'public' | 'help' | 'down' | 'up' | 'freeze' | 'clock';

export interface KeyBinding {
  keys: string[];
  action: BoardAction;
  help: string;
}

export const BOARD_KEYS: readonly KeyBinding[] = [
  { keys: ['s'], action: 'stuck', help: 'who is stuck' },
  { keys: ['p'], action: 'public', help: 'hide scenario ids (projector)' },
  { keys: ['f'], action: 'freeze', help: 'freeze/reveal standings' },
  { keys: ['c'], action: 'clock', help: 'pause/resume clock' },
  { keys: ['j', 'down'], action: 'down', help: 'next team' },
  { keys: ['k', 'up'], action: 'up', help: 'previous team' },
  { keys: ['return'], action: 'open', help: 'the team in detail: where it is stuck' },
  { keys: ['?'], action: 'help', help: 'keys' },
  // Esc closes the team detail; on the table it quits, as before.
  { keys: ['escape'], action: 'back', help: 'back (quit on the table)' },
  { keys: ['q'], action: 'quit', help: 'quit' },
];

/** The action for a key press (`input` as Ink gives it, named keys as flags). */
export function actionFor(input: string, key: { upArrow?: boolean; downArrow?: boolean; escape?: boolean; return?: boolean; ctrl?: boolean }): BoardAction | undefined {
  if (key.ctrl && input === 'c') return 'quit';
  const name = key.upArrow ? 'up' : key.downArrow ? 'down' : key.escape ? 'escape' : key.return ? 'return' : input;
  return BOARD_KEYS.find((b) => b.keys.includes(name))?.action;
}
