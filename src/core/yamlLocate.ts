/**
 * Where a field lives in a block-style YAML file (scenario.yaml, pack.yaml), so a problem found
 * on the parsed value (hints.1.ko) can be reported as file:line:column. js-yaml keeps no
 * positions; scenario files are written by hand in block style (flow lists like
 * `[BackOff]` included), which an indentation walk reads well enough. A field that is absent
 * points at its nearest present parent: that is where the author must write it.
 */
export interface YamlPosition {
  /** 1-based. */
  line: number;
  /** 1-based, where the key (or list item) starts. */
  column: number;
}

interface Line {
  index: number;
  indent: number;
  /** The text after the indentation, with a leading "- " kept. */
  body: string;
}

function meaningful(text: string): Line[] {
  return text
    .split('\n')
    .map((raw, index) => ({ index, indent: raw.length - raw.trimStart().length, body: raw.trim() }))
    .filter((l) => l.body !== '' && !l.body.startsWith('#') && l.body !== '---');
}

function effectiveIndent(l: Line): number {
  return l.indent + (l.body.startsWith('- ') ? 2 : 0);
}

/** The lines below a key: deeper ones, or list items at the key's own indentation ("key:\n- a"). */
function children(lines: Line[], at: number, indent: number): [number, number] {
  let end = at + 1;
  while (end < lines.length && (lines[end].indent > indent || (lines[end].indent === indent && lines[end].body.startsWith('- ') && !lines[at].body.startsWith('- ')))) end++;
  return [at + 1, end];
}

export function locateYamlPath(text: string, path: readonly (string | number)[]): YamlPosition | undefined {
  const lines = meaningful(text);
  let [from, to] = [0, lines.length];
  let found: YamlPosition | undefined;
  for (const segment of path) {
    if (from >= to) break;
    let hit = -1;
    if (typeof segment === 'number' || /^\d+$/.test(String(segment))) {
      const items = lines.slice(from, to).filter((l) => l.body.startsWith('- ') || l.body === '-');
      const itemIndent = Math.min(...items.map((l) => l.indent));
      const item = items.filter((l) => l.indent === itemIndent)[Number(segment)];
      if (!item) break;
      hit = lines.indexOf(item);
      found = { line: item.index + 1, column: item.indent + 1 };
      // The item's first field is on its own line ("- en: ..."), the others below it.
      to = children(lines, hit, item.indent)[1];
      from = hit;
      continue;
    }
    const range = lines.slice(from, to);
    const level = Math.min(...range.map(effectiveIndent));
    const pattern = new RegExp(`^(- )?${String(segment).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`);
    const key = range.find((l) => effectiveIndent(l) === level && pattern.test(l.body));
    if (!key) break;
    hit = lines.indexOf(key);
    found = { line: key.index + 1, column: effectiveIndent(key) + 1 };
    [from, to] = children(lines, hit, effectiveIndent(key));
  }
  return found;
}
