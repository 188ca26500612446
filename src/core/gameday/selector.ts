/**
 * Kubernetes label selector matching (the string form kubectl takes: `a=b,c!=d,e in (f,g),
 * h notin (i),j,!k`), so pods from the board's one game-wide watch can be handed to the verify
 * engine as if it had watched its own Deployment's selector.
 */
export function matchesSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  const l = labels ?? {};
  return splitTerms(selector).every((term) => {
    let m = /^([^!=\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = m[1] in l && values.includes(l[m[1]]);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) return m[2] === '!=' ? l[m[1]] !== m[3] : l[m[1]] === m[3];
    if (term.startsWith('!')) return !(term.slice(1) in l);
    return term in l;
  });
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) terms.push(current.trim());
  return terms.filter((t) => t !== '');
}
