#!/usr/bin/env node
/**
 * Two structure rules of src/ that the layer checker (depcruise) cannot see, checked by
 * `make test` (`npm run structure`) with the TypeScript compiler's parser:
 *
 * 1. No exported type, interface, class or enum name is defined twice in src: a reader who
 *    meets a name knows which thing it is.
 * 2. No function (declaration, method, arrow or function expression) longer than 150 lines
 *    anywhere in src: a long function is several rules in one room. ALLOWED_LONG lists the known exceptions (rule tables only).
 * 3. One error type per layer (core, ports, engine, cli...: the first folder under src/): at
 *    most one class in a layer extends Error (or another *Error class), and it has a `kind` a caller tells failures apart
 *    by (core/errors.ts CoreError, ports/errors.ts PortError, engine/errors.ts LabError, cli's
 *    CliError). A second one would bring back instanceof ladders in the one CLI mapper.
 *
 * Prints every offence as `path:line name (...)` and exits 1; prints one summary line and
 * exits 0 otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = new URL('..', import.meta.url).pathname;
const SRC = join(ROOT, 'src');
const MAX_LINES = 150;
/** Where rule 2 applies (paths from the repository root). */
const LONG_CHECKED = [/^src\//];
/** `path:function` allowed past MAX_LINES, each with its reason. Meant for pure rule tables only. */
const ALLOWED_LONG = new Map([]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const exported = (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function functionName(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

const definitions = new Map();
const longOnes = [];
/** layer -> `path:line Name` of each class extending Error. */
const errorClasses = new Map();
for (const file of sourceFiles(SRC)) {
  const path = relative(ROOT, file);
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const checkLong = LONG_CHECKED.some((re) => re.test(path));
  const visit = (node) => {
    if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) && node.name && exported(node)) {
      const list = definitions.get(node.name.text) ?? [];
      list.push(`${path}:${lineOf(node.getStart())}`);
      definitions.set(node.name.text, list);
    }
    if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword && h.types.some((t) => /Error$/.test(t.expression.getText())))) {
      const layer = path.split('/')[1];
      const list = errorClasses.get(layer) ?? [];
      list.push(`${path}:${lineOf(node.getStart())} ${node.name?.text ?? '(anonymous)'}`);
      errorClasses.set(layer, list);
    }
    if (checkLong && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node)) && node.body) {
      const lines = lineOf(node.end) - lineOf(node.getStart()) + 1;
      const name = functionName(node);
      if (lines > MAX_LINES && !ALLOWED_LONG.has(`${path}:${name}`)) longOnes.push(`${path}:${lineOf(node.getStart())} ${name} (${lines} lines, at most ${MAX_LINES})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

const twice = [...definitions].filter(([, where]) => where.length > 1).map(([name, where]) => `exported type name ${name} defined ${where.length} times: ${where.join(', ')}`);
const errorTypes = [...errorClasses].filter(([, where]) => where.length > 1).map(([layer, where]) => `src/${layer} has ${where.length} error classes (one a layer, with a kind): ${where.join(', ')}`);
for (const line of [...twice, ...longOnes, ...errorTypes]) console.error(line);
if (twice.length || longOnes.length || errorTypes.length) {
  console.error(`structure: ${twice.length} name(s) defined twice, ${longOnes.length} function(s) over ${MAX_LINES} lines, ${errorTypes.length} layer(s) with more than one error class (scripts/check-structure.mjs says why each rule holds)`);
  process.exit(1);
}
console.log(`structure: ${definitions.size} exported type names, each defined once; no function in src over ${MAX_LINES} lines; one error class in each of ${errorClasses.size} layers`);
