/**
 * Terminal cell arithmetic: Korean (and other wide) characters take two cells, emoji too, so
 * alignment, wrapping and truncation count cells, not string length. The libraries are the
 * ones Ink itself measures with, so the CLI's tables and the lab's panes agree with Ink.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

export function cells(text: string): number {
  return stringWidth(text);
}

/** Cuts to at most `width` cells, ending with … when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return cliTruncate(text, width);
}

/** Pads with spaces to `width` cells. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cells(text)));
}

/** Hard-wraps each line to `width` cells, mid-word (command output; tabs become spaces, \r dropped). */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  return text
    .replace(/\r/g, '')
    .replace(/\t/g, '    ')
    .split('\n')
    .flatMap((line) => (line === '' ? [''] : wrapAnsi(line, w, { hard: true, wordWrap: false, trim: false }).split('\n')));
}

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

/** Word-wraps one paragraph to `width` cells; a word longer than a line is split. */
export function wrapParagraph(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, width), { hard: true }).split('\n');
}
