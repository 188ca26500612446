/**
 * A unified diff of two texts (line based, LCS), for the debrief's "what your fix changed".
 * Manifests are small (tens of lines), so the quadratic table is cheap.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i], ai: i++, bi: j++ });
    // Removals before additions, as diff -u prints a changed line.
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: a[i], ai: i++, bi: j });
    else ops.push({ kind: '+', line: b[j], ai: i, bi: j++ });
  }
  if (ops.every((op) => op.kind === ' ')) return '';

  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2×context away.
    const start = Math.max(0, k - context);
    let end = k;
    let lastChange = k;
    while (end < ops.length && end - lastChange <= 2 * context) {
      if (ops[end].kind !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${hunk[0].ai + 1},${aCount} +${hunk[0].bi + 1},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}

type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Drops from `value` every field that none of `shapes` has, recursively (array items by
 * position). A live object read back from the API server carries defaults the learner never
 * wrote (imagePullPolicy, probe successThreshold, dnsPolicy...); pruning it to the shape of
 * the broken and the reference manifests leaves a diff of what the learner actually changed.
 */
export function pruneToShape(value: Json, shapes: Json[]): Json {
  if (Array.isArray(value)) {
    const arrays = shapes.filter(Array.isArray) as Json[][];
    if (arrays.length === 0) return value;
    return value.map((item, i) => pruneToShape(item, arrays.map((a) => a[i] ?? a[a.length - 1]).filter((s) => s !== undefined)));
  }
  if (isPlainObject(value)) {
    const objects = shapes.filter(isPlainObject);
    if (objects.length === 0) return value;
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) {
      const childShapes = objects.filter((o) => key in o).map((o) => o[key]);
      if (childShapes.length > 0) out[key] = pruneToShape(child, childShapes);
    }
    return out;
  }
  return value;
}
