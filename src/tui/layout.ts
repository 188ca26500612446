/**
 * Terminal cell arithmetic for the panes: Korean (and other wide) characters take two cells,
 * so wrapping and truncation count cells, not string length.
 */

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff)
  );
}

export function cells(text: string): number {
  let n = 0;
  for (const ch of text) n += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

/** Cuts to at most `width` cells, ending with … when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (cells(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = isWide(ch.codePointAt(0)!) ? 2 : 1;
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Hard-wraps each line to `width` cells (tabs become spaces, trailing \r dropped). */
export function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  const w = Math.max(1, width);
  for (const raw of text.replace(/\r/g, '').replace(/\t/g, '    ').split('\n')) {
    if (raw === '') {
      rows.push('');
      continue;
    }
    let row = '';
    let used = 0;
    for (const ch of raw) {
      const cw = isWide(ch.codePointAt(0)!) ? 2 : 1;
      if (used + cw > w) {
        rows.push(row);
        row = '';
        used = 0;
      }
      row += ch;
      used += cw;
    }
    rows.push(row);
  }
  return rows;
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
  const rows: string[] = [];
  for (const paragraph of reflow(text).split('\n')) {
    let row = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = row ? `${row} ${word}` : word;
      if (cells(candidate) <= width) {
        row = candidate;
        continue;
      }
      if (row) rows.push(row);
      if (cells(word) > width) {
        const pieces = wrap(word, width);
        rows.push(...pieces.slice(0, -1));
        row = pieces[pieces.length - 1];
      } else {
        row = word;
      }
    }
    rows.push(row);
  }
  return rows;
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

/** Pads with spaces to `width` cells. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cells(text)));
}
