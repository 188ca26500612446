import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rule of docs/testing.md: a test of src/<dir>/<module>.ts lives in test/unit/<dir>/, so a
// test's folder always names a folder of src. The exceptions are the folders below, whole.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXCEPTIONS = [
  'test/unit/layout.test.ts', // this check: it tests test/, not src/
  'test/content/', // the shipped scenarios, solutions and learner text, not a src module
  'test/fakes/', // helpers shared by tests of several folders: no tests
  'test/fixtures/', // captured kubectl output: no tests
  'test/cluster/', // the real-cluster suites (not vitest)
  'test/kind/',
];

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

const misplaced = (files: string[]) =>
  files
    .filter((f) => /\.test\.tsx?$/.test(f) && !EXCEPTIONS.some((e) => f === e || (e.endsWith('/') && f.startsWith(e))))
    .filter((f) => {
      if (!f.startsWith('test/unit/')) return true;
      const src = join(ROOT, 'src', dirname(f).slice('test/unit/'.length));
      return !(existsSync(src) && statSync(src).isDirectory()) || dirname(f) === 'test/unit';
    });

describe('the test tree mirrors src', () => {
  it('every test file sits in test/unit/<a folder of src>/ or in an explicit exception', () => {
    const files = walk(join(ROOT, 'test')).map((f) => relative(ROOT, f));
    expect(misplaced(files)).toEqual([]);
  });

  it('refuses a test in a folder src does not have, at the top of test/unit or outside it', () => {
    expect(misplaced(['test/unit/verify/decide.test.ts', 'test/unit/x.test.ts', 'test/ui/lab.test.tsx', 'test/unit/core/verify/decide.test.ts']))
      .toEqual(['test/unit/verify/decide.test.ts', 'test/unit/x.test.ts', 'test/ui/lab.test.tsx']);
  });
});
