/**
 * Issue 21, items 2, 8 and 21: text from a team, a pod or a cluster (and a user's bad input)
 * never drives the terminal or becomes markup, and a huge input is quoted, not echoed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { boundMessage, excerpt, safeJson, safeMarkdown, safeText } from '../../../src/core/untrusted.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryGameCluster } from '../../fakes/memoryGameCluster.js';
import { logText, realPod } from '../../fakes/gameday.js';
import { VirtualClock } from '../../fakes/clock.js';

/** What a hostile team note carries: a window title (OSC 0), a screen clear, an OSC 52 clipboard write, a C1 CSI. */
const HOSTILE = 'fixed it \x1b]0;pwned\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07 \u009b31m <img src=x onerror=alert(1)> [click](javascript:alert(1)) ![i](javascript:x)';
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** A pod whose exit 127 quotes its log (fixtures/diagnose, captured on kind). */
const SH_POD = fileURLToPath(new URL('../../fixtures/diagnose/bad-command-sh.pod.json', import.meta.url));

const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };
const NOW = Date.parse('2026-11-30T10:12:00.000Z');

function game(): Deps {
  const cluster = new MemoryGameCluster();
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels },
    data: { game: JSON.stringify({ name: 'g1', teams: ['team-1'], scenarios: ['oom'], startedAt: '2026-11-30T10:00:00.000Z', instances: { 'i-aaaaaa': { scenario: 'oom', team: 'team-1', releasedAt: '2026-11-30T10:00:00.000Z' } } }) },
  });
  cluster.setConfigMap({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-team-1', labels: { ...labels, 'crashlab.dev/team': 'team-1' } },
    data: { events: logText([[0, 'released', { instance: 'i-aaaaaa' }], [60, 'note', { instance: 'i-aaaaaa', text: HOSTILE }]]) },
  });
  cluster.setPod(realPod('oom', 'crashlab-g1-team-1', 'i-aaaaaa'));
  const kube = new MemoryKube('crashlab-local');
  return { kube: () => kube, gameCluster: () => cluster, clock: VirtualClock.stopped(NOW) } as Deps;
}

async function run(deps: Deps, argv: string[], stdin?: string) {
  const c = capture();
  if (stdin !== undefined) {
    (c.io.stdin as NodeJS.ReadWriteStream).end(stdin);
  }
  const code = await main(argv, c.io, deps);
  return { code, out: c.out(), err: c.err() };
}

describe('one neutralising function (src/core/untrusted.ts)', () => {
  it('escapes ESC, C1 and bidi controls visibly, keeps newlines and tabs of a multi-line text', () => {
    expect(safeText('a\x1b[2Jb\u009b\u202ec\n\td')).toBe('a\\x1b[2Jb\\x9b\\u202ec\n\td');
    expect(safeText('a\nb', { multiline: false })).toBe('a\\x0ab');
  });
  it('Markdown: HTML escaped, links and images broken, javascript: loses its colon', () => {
    const md = safeMarkdown('<img src=x onerror=alert(1)> [a](javascript:alert(1)) ![i](x)');
    expect(md).toBe('&lt;img src=x onerror=alert\\(1\\)&gt; \\[a\\]\\(javascript&#58;alert\\(1\\)\\) \\!\\[i\\]\\(x\\)');
  });
  it('JSON: the same value, with C1 and bidi characters escaped', () => {
    const text = safeJson({ t: 'a\u009b\u202eb\x1b' });
    expect(RAW_CONTROL.test(text)).toBe(false);
    expect(JSON.parse(text)).toEqual({ t: 'a\u009b\u202eb\x1b' });
  });
  it('an excerpt is bounded in code points and says how long the input was', () => {
    expect(excerpt('😀'.repeat(200), 3)).toBe('😀😀😀… (200 characters)');
    expect(boundMessage(`no scenario "${'x'.repeat(100_000)}"`).length).toBeLessThan(300);
  });
});

describe('a hostile team note reaches no terminal or document raw (item 2)', () => {
  it('export md: no control byte, no HTML tag, no live link or image', async () => {
    const r = await run(game(), ['--context', 'crashlab-local', 'gameday', 'export', 'g1', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(RAW_CONTROL.test(r.out)).toBe(false);
    expect(r.out).not.toContain('<img');
    expect(r.out).not.toMatch(/\]\(javascript:/);
    expect(r.out).toContain('fixed it \\\\x1b\\]0;pwned');
  });

  it('export csv and json: escaped, no control byte', async () => {
    for (const format of ['csv', 'json']) {
      const r = await run(game(), ['--context', 'crashlab-local', 'gameday', 'export', 'g1', '--format', format]);
      expect(r.code).toBe(0);
      expect(RAW_CONTROL.test(r.out.replace(/\r\n/g, ''))).toBe(false);
    }
  });

  it('diagnose: a pod log with ESC sequences is shown escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-untrusted-'));
    const log = join(dir, 'app.log');
    writeFileSync(log, 'starting\n\x1b]0;owned\x07\x1b[2Jsh: /app/server: not found\n');
    const pod = SH_POD;
    const r = await run({}, ['diagnose', '--pod', pod, '--logs', log]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\\x1b]0;owned\\x07\\x1b[2J');
    expect(RAW_CONTROL.test(r.out)).toBe(false);
  });
});

describe('huge input is quoted, not echoed (items 8 and 21)', () => {
  it('diagnose on one 10 MB log line: a bounded excerpt, quickly, no stack overflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-untrusted-'));
    const pod = SH_POD;
    const log = join(dir, 'app.log');
    writeFileSync(log, `sh: /app/server: not found ${'x'.repeat(10 * 1024 * 1024)}\n`);
    const started = Date.now();
    const r = await run({}, ['diagnose', '--pod', pod, '--logs', log]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.out.split('\n').length).toBeLessThan(80);
    expect(r.out.length).toBeLessThan(8000);
  }, 20_000);

  it('an error about a 100,000-character id is one short line, with ESC escaped', async () => {
    const r = await run({}, ['gameday', 'board', `\x1b[2J${'a'.repeat(100_000)}`, '--json']);
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(600);
    expect(r.err).toContain('\\x1b[2J');
    expect(RAW_CONTROL.test(r.err.replace(/\n/g, ''))).toBe(false);
  });
});
