import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

// One in-memory cluster (docs/testing.md "Which fake"): a test that needs other behaviour sets
// MemoryKube up, or adds the behaviour to it once; a second class implementing Kube may not creep back
// (this file names such classes only as samples for the check).
const THE_KUBE_FAKE = 'test/fakes/memoryKube.ts';
const IMPLEMENTS_KUBE = /\bimplements\s+(?:[\w.<>]+\s*,\s*)*(?:\w+\.)?Kube\b(?![\w.])/;

const secondKubeFakes = (files: { path: string; text: string }[]) => files.filter((f) => /\.tsx?$/.test(f.path) && f.path !== THE_KUBE_FAKE && f.path !== 'test/unit/layout.test.ts' && IMPLEMENTS_KUBE.test(f.text)).map((f) => f.path);

describe('one Kube fake in test/', () => {
  it(`no file under test/ but ${THE_KUBE_FAKE} implements Kube`, () => {
    const files = walk(join(ROOT, 'test')).map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
    expect(files.some((f) => f.path === THE_KUBE_FAKE && IMPLEMENTS_KUBE.test(f.text))).toBe(true);
    expect(secondKubeFakes(files)).toEqual([]);
  });

  it('finds a second fake however its class is written, and not other ports', () => {
    const files = [
      { path: 'test/unit/engine/a.test.ts', text: 'class ScriptedKube implements Kube {' },
      { path: 'test/unit/cli/b.test.ts', text: 'class OnePod\n  implements Clock, Kube\n{' },
      { path: 'test/fakes/c.ts', text: 'export class FakeKube implements ports.Kube {}' },
      { path: 'test/unit/d.test.ts', text: 'class Store implements ProgressStore {} class K extends MemoryKube {}' },
      { path: 'test/unit/e.test.ts', text: 'class S implements KubeSource {}' },
      { path: THE_KUBE_FAKE, text: 'export class MemoryKube implements Kube {' },
    ];
    expect(secondKubeFakes(files)).toEqual(['test/unit/engine/a.test.ts', 'test/unit/cli/b.test.ts', 'test/fakes/c.ts']);
  });
});
