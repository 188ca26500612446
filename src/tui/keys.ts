/**
 * Key bindings as data: each screen declares (keys, when, action, label) once, and the router,
 * the footer and the help overlay are all read from that one table, so they cannot drift.
 */
import type { Key } from 'ink';
import { pick, type Lang, type Text } from '../core/text.js';

/** A named key, or one printable character. `text` is any printable input (the filter field). */
export type KeyName = 'up' | 'down' | 'left' | 'right' | 'enter' | 'escape' | 'tab' | 'pageUp' | 'pageDown' | 'backspace' | 'ctrl-c' | 'any' | 'text';

export interface Binding<C> {
  keys: (KeyName | string)[];
  /** The keys as the footer and help show them (words like "any key" in every language); default: the keys themselves. */
  display?: string | Text;
  /** What the key does, for the footer (short). */
  label: Text;
  /** The longer help overlay line; default: the label. */
  help?: Text;
  /** Left out of the footer (still in the help overlay), when the footer has no room for it. */
  helpOnly?: boolean;
  when?: (c: C) => boolean;
  run: (c: C, input: string) => void;
}

export function matches(spec: KeyName | string, input: string, key: Key): boolean {
  switch (spec) {
    case 'up':
      return key.upArrow;
    case 'down':
      return key.downArrow;
    case 'left':
      return key.leftArrow;
    case 'right':
      return key.rightArrow;
    case 'enter':
      return key.return;
    case 'escape':
      return key.escape;
    case 'tab':
      return key.tab;
    case 'pageUp':
      return key.pageUp;
    case 'pageDown':
      return key.pageDown;
    case 'backspace':
      return key.backspace || key.delete;
    case 'ctrl-c':
      return key.ctrl && input === 'c';
    case 'any':
      return true;
    case 'text':
      return input !== '' && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab;
    default:
      return input === spec && !key.ctrl && !key.meta;
  }
}

/** Runs the first binding whose keys match and whose `when` holds; false when none did. */
export function route<C>(bindings: readonly Binding<C>[], context: C, input: string, key: Key): boolean {
  for (const binding of bindings) {
    if (binding.when && !binding.when(context)) continue;
    if (!binding.keys.some((spec) => matches(spec, input, key))) continue;
    binding.run(context, input);
    return true;
  }
  return false;
}

const SHOWN: Partial<Record<KeyName, string>> = { up: '↑', down: '↓', left: '←', right: '→', enter: 'Enter', escape: 'Esc', tab: 'Tab', pageUp: 'PgUp', pageDown: 'PgDn', backspace: '⌫', 'ctrl-c': 'Ctrl-C' };

export function keysShown<C>(binding: Binding<C>, lang: Lang = 'en'): string {
  if (binding.display !== undefined) return typeof binding.display === 'string' ? binding.display : pick(binding.display, lang);
  return binding.keys.map((k) => SHOWN[k as KeyName] ?? k).join('/');
}

/** The footer: the bindings that apply now, "keys label" each. */
export function footer<C>(bindings: readonly Binding<C>[], context: C, lang: Lang): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const binding of bindings) {
    if (binding.helpOnly || (binding.when && !binding.when(context))) continue;
    const part = `${keysShown(binding, lang)} ${pick(binding.label, lang)}`;
    if (!seen.has(part)) parts.push(part);
    seen.add(part);
  }
  return parts.join(' · ');
}

/** The help overlay: every binding of the screen, whatever its state, once. */
export function helpRows<C>(bindings: readonly Binding<C>[], lang: Lang): { keys: string; what: string }[] {
  const rows = new Map<string, string>();
  for (const binding of bindings) {
    const keys = keysShown(binding, lang);
    const what = pick(binding.help ?? binding.label, lang);
    if (!rows.has(keys)) rows.set(keys, what);
    else if (!rows.get(keys)!.includes(what)) rows.set(keys, `${rows.get(keys)}; ${what}`);
  }
  return [...rows].map(([keys, what]) => ({ keys, what }));
}

/**
 * Ink hands a burst of typed or pasted keys to one callback ("jj\r"): outside a text field
 * each character is a key of its own, acted on in order.
 */
export function splitChunk(input: string, key: Key): { input: string; key: Key }[] {
  if (input.length <= 1 || key.ctrl || key.meta || input.includes('\x1b')) return [{ input, key }];
  return [...input].map((ch) => (ch === '\r' || ch === '\n' ? { input: '', key: { ...key, return: true } } : { input: ch, key: { ...key, return: false } }));
}
