/**
 * Text crashlab did not write (team names and notes, pod logs, cluster and kubectl messages, a
 * user's bad input) is untrusted: neutralised here, in one place, before a terminal or a
 * document shows it. Pure: no I/O.
 *
 * Terminal: every C0 control but newline and tab, DEL, every C1 control (0x80–0x9f, which
 * some terminals read as CSI/OSC), and the Unicode bidi overrides (which reorder what is shown,
 * "Trojan Source") become visible escapes such as `\x1b`: an ESC, OSC 0 (window title), OSC 52
 * (clipboard write) or `\e[2J` can no longer act, and the reader still sees that it was there.
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Safe to print on a terminal. `multiline` keeps newlines and tabs (a log, a message); without
 * it they are escaped too (a cell, an id, one line of a table). CRLF keeps its line break.
 */
export function safeText(text: string, options: { multiline?: boolean } = {}): string {
  const multiline = options.multiline ?? true;
  const normalised = multiline ? text.replace(/\r\n/g, '\n') : text;
  return normalised.replace(multiline ? CONTROLS : CONTROLS_ONE_LINE, escapeChar);
}

/** At most this many characters of someone else's input go into one of crashlab's messages. */
const EXCERPT_CHARS = 120;

/**
 * At most `max` code points of `text`, saying how long it was (for evidence and messages that
 * quote someone else's text: a 10 MB log line is quoted, not printed). Not escaped: printing does that.
 */
export function clip(text: string, max = EXCERPT_CHARS): string {
  // Cheap first: a string of at most `max` UTF-16 units has at most `max` code points.
  if (text.length <= max) return text;
  const head = Array.from(text.slice(0, max * 2)).slice(0, max).join('');
  if (head.length === text.length) return text;
  let count = 0;
  for (const _ of text) count++;
  return `${head}… (${count} characters)`;
}

/**
 * A bounded, escaped, one-line quote of bad input for an error message: a 100k-character id
 * gives one short line, never 100 KB on stderr. Cut at a code point, never inside a surrogate pair.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  return safeText(clip(text, max), { multiline: false });
}

/**
 * A message for a terminal with every over-long run of non-blank characters (a pasted 100k id,
 * a base64 blob) cut to an excerpt, the whole bounded too.
 */
export function boundMessage(text: string, maxRun = 200, maxTotal = 4000): string {
  const runs = text.replace(new RegExp(`\\S{${maxRun + 1},}`, 'g'), (run) => clip(run, maxRun));
  return clip(runs, maxTotal);
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Safe inside a Markdown document (one table cell or paragraph): terminal controls escaped,
 * HTML escaped (no `<img onerror=…>`, no `<script>`), and link and image syntax broken (`[`,
 * `]`, `(`, `)` and `!` backslash-escaped; `javascript:` loses its colon), so a team's note is
 * shown as text and never becomes a link, an image or markup.
 */
export function safeMarkdown(text: string): string {
  return safeText(text, { multiline: false })
    .replace(/[&<>]/g, (c) => HTML[c])
    .replace(/([\\`[\]()!|])/g, '\\$1')
    .replace(/\b(javascript|vbscript|data)\s*:/gi, '$1&#58;');
}

/**
 * JSON for a terminal or a file: JSON.stringify already escapes C0 controls; this escapes the
 * C1 controls and bidi overrides it leaves raw. The result parses to the same value.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const HTML_ATTR: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Safe inside an HTML page, as text or as a quoted attribute value (the web board): terminal
 * controls and bidi overrides shown as escapes (as on a terminal), and the five characters
 * that could open a tag or end an attribute escaped.
 */
export function safeHtml(text: string): string {
  return safeText(text).replace(/[&<>"']/g, (c) => HTML_ATTR[c]);
}
