/** Layout arithmetic for the panes; cell widths come from core/width.ts (string-width). */
import { cells, pad, truncate, wrap, wrapParagraph } from '../core/width.js';

export { cells, pad, truncate, wrap };

/**
 * Joins lines that were only broken for the source file's width (YAML block scalars), keeping
 * blank lines and list items as breaks.
 */
export function reflow(text: string): string {
  return text.replace(/\r/g, '').replace(/([^\n])\n(?=[^\n\s\-*•>|]|\d+[^.)\d])/g, '$1 ');
}

/** Word-wraps prose to `width` cells (long words are hard-wrapped). */
export function wrapWords(text: string, width: number): string[] {
  return reflow(text)
    .split('\n')
    .flatMap((paragraph) => wrapParagraph(paragraph, width));
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
