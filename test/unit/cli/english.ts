/**
 * Finds English sentences in text shown to a Korean learner, leaving alone what stays English
 * by design: object and field names, commands, code spans, quoted log lines, flags, ids.
 *
 * Two signals, both needed because neither alone separates a sentence from an identifier:
 * - a run of four or more plain words with two or more English function words ("Noted in
 *   your team's log"), anywhere;
 * - a line with no Hangul at all whose plain words (letters only, lower case or Capitalised,
 *   not CamelCase) number three or more ("Reference solution applied. Prove it:"), in output.
 */
const FUNCTION_WORDS = new Set(
  'a an the to of is are was were be been being and or but in on at for with without from by not no your you it its this that these those than then when while if as do does did has have had will would can could should may must there here which who what into out up only so'.split(
    ' ',
  ),
);

/** Removes what may stay English: code spans, quotes, URLs, commands, flags, paths and ids. */
export function withoutIdentifiers(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"|“[^”]*”|‘[^’]*’/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b(crashlab|kubectl|kind|docker|npm|make|KUBECONFIG=\S+)\b[^\n가-힣]*/g, ' ')
    .replace(/(^|\s)--?[a-z][\w-]*(=\S+)?/gi, ' ')
    .replace(/\S*[./=_:{}<>$][\S]*/g, (token) => (/[가-힣]/.test(token) ? token.replace(/[A-Za-z0-9./=_:{}<>$-]+/g, ' ') : ' '));
}

/** Words of letters only, lower case or Capitalised: not CamelCase reasons, not names with digits or dashes. */
function plainWords(chunk: string): string[] {
  return chunk
    .split(/\s+/)
    .map((token) => token.replace(/^[(["“‘]+|[)\]"”’.,;:!?]+$/g, ''))
    .filter((word) => /^[A-Za-z][a-z'’]*$/.test(word));
}

/** English sentences (runs of words) in `text`; empty when there are none. */
export function englishRuns(text: string): string[] {
  const found: string[] = [];
  for (const chunk of withoutIdentifiers(text).split(/[가-힣]+|[.;!?()[\]·,:\n]/)) {
    const words = plainWords(chunk);
    if (words.length >= 4 && words.filter((w) => FUNCTION_WORDS.has(w.toLowerCase())).length >= 2) found.push(chunk.trim());
  }
  return found;
}

/** Lines of command output in Korean that read as English. Tool output (│ …, $ …) is kubectl's own. */
export function englishLines(output: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (/^\s*(│|\$ )/.test(line)) continue;
    const runs = englishRuns(line);
    if (runs.length) found.push(line);
    else if (!/[가-힣]/.test(line) && plainWords(withoutIdentifiers(line)).length >= 3) found.push(line);
  }
  return found;
}
