/** Layout arithmetic for the panes; cell widths come from core/width.ts (string-width). */
import { cells, pad, reflow, truncate, wrap, wrapWords } from '../core/width.js';

export { cells, pad, reflow, truncate, wrap, wrapWords };

/**
 * Prose after a label ("» Hint 1/3: ", "✗ "): the first row starts with the label, the rest
 * are indented by `indent` cells, and no row is wider than `width`, so nothing is cut by Ink.
 */
export function wrapLabelled(label: string, text: string, width: number, indent = 2): string[] {
  const pad = ' '.repeat(indent);
  const rows = wrapWords(`${label}${text}`, Math.max(4, width - indent));
  return rows.map((row, i) => (i === 0 ? row : `${pad}${row}`));
}

/** The first index of a window of `size` rows that keeps `cursor` visible. */
export function windowStart(cursor: number, count: number, size: number): number {
  if (count <= size) return 0;
  const half = Math.floor(size / 2);
  return Math.max(0, Math.min(cursor - half, count - size));
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
