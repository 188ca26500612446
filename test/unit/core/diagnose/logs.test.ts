/**
 * The signature library is data (src/core/diagnose/signatures.json): these tests hold every
 * entry to the contract (known category, both languages, a sane pattern) and pin the ranking
 * rules that pick the telling line of a tail.
 */
import { describe, expect, it } from 'vitest';
import library from '../../../../src/core/diagnose/signatures.json' with { type: 'json' };
import { isCategoryId } from '../../../../src/core/categories.js';
import { isKubectlMessage, LOG_SIGNATURES, matchLog, meaningfulLines, PROBE_EVENT_SIGNATURES } from '../../../../src/core/diagnose/logs.js';

describe('the signature library (data)', () => {
  it('every entry has a unique id, a known category, a confidence, en+ko text, and a pattern that does not match everything', () => {
    const ids = library.signatures.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of LOG_SIGNATURES) {
      expect(isCategoryId(s.category), s.id).toBe(true);
      expect(['high', 'medium', 'low']).toContain(s.confidence);
      expect(s.summary.en.length, s.id).toBeGreaterThan(20);
      expect(s.summary.ko, s.id).toMatch(/[가-힣]/);
      for (const step of s.next ?? []) expect(step.ko, s.id).toMatch(/[가-힣]/);
      expect(s.pattern.test(''), s.id).toBe(false);
      expect(s.pattern.test('INFO server started on port 8080'), s.id).toBe(false);
    }
    for (const p of PROBE_EVENT_SIGNATURES) expect(isCategoryId(p.category)).toBe(true);
  });

  it('covers the runtimes and products the field meets', () => {
    const products = new Set(LOG_SIGNATURES.map((s) => s.product));
    for (const p of ['jvm', 'python', 'node', 'go', 'dotnet', 'ruby', 'nginx', 'postgresql', 'mysql', 'redis', 'elasticsearch', 'runc', 'containerd', 'tls']) expect(products, p).toContain(p);
    expect(LOG_SIGNATURES.length).toBeGreaterThanOrEqual(60);
  });
});

describe('ranking the lines of a tail', () => {
  it('cites the telling line, not the generic last one', () => {
    const m = matchLog(['Starting worker', 'Error: Cannot find module \'/app/dist/server.js\'', '    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)', 'Node.js v20.11.0', 'aborting'].join('\n'));
    expect(m?.signature.id).toBe('node-module-missing');
    expect(m?.line).toContain('Cannot find module');
  });

  it('a more specific product line outranks a generic permission line later in the tail', () => {
    const m = matchLog(['nginx: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)', 'open() "/tmp/x" failed (13: Permission denied)', 'permission denied'].join('\n'));
    expect(m?.signature.category).toBe('security-context');
  });

  it('the innermost JVM "Caused by:" explains the wrapper above it', () => {
    const m = matchLog(['java.lang.IllegalStateException: failed to obtain node locks, maybe these locations are not writable', 'Caused by: java.nio.file.AccessDeniedException: /usr/share/elasticsearch/data/nodes/0/node.lock'].join('\n'));
    expect(m?.signature.id).toBe('es-access-denied');
  });

  it('a CLI\'s usage text printed after an error does not outrank the error (cobra prints Usage: after any failure)', () => {
    const m = matchLog(['Error: open db-792922255: permission denied', 'Usage:', '   [flags]', 'Flags:', '  -d, --database string   relative path to sqlite db'].join('\n'));
    expect(m?.signature.category).toBe('config-path-permission');
    expect(matchLog(['Error: unknown flag: --databse', 'Usage:', '   [flags]'].join('\n'))?.signature.category).toBe('bad-command');
  });

  it('known red herrings never decide (MySQL mbind, Redis start-up warnings)', () => {
    expect(meaningfulLines('mbind: Operation not permitted\n2024-01-01T00:00:00Z 0 [System] ready')).toEqual(['2024-01-01T00:00:00Z 0 [System] ready']);
    const m = matchLog(['mbind: Operation not permitted', 'mbind: Operation not permitted', '[ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11'].join('\n'));
    expect(m?.signature.category).toBe('lock-contention');
    expect(matchLog('1:M 01 Jul 2021 # WARNING overcommit_memory is set to 0! Background save may fail under low memory condition.')).toBeUndefined();
  });

  it('kubectl\'s own message is recognised and never matched as the app\'s output', () => {
    const text = 'unable to retrieve container logs for containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n';
    expect(isKubectlMessage(text)).toBe(true);
    expect(matchLog(text)).toBeUndefined();
    expect(isKubectlMessage('panic: boom\n')).toBe(false);
  });

  it('tells TLS failures apart: dates, trust, names', () => {
    expect(matchLog('x509: certificate has expired or is not yet valid: current time 2026-11-24T09:27:41Z is after 2026-10-01T00:00:00Z')?.signature.id).toBe('x509-expired');
    expect(matchLog('Post "https://keystone:5000/v3": x509: certificate signed by unknown authority')?.signature.id).toBe('x509-unknown-authority');
    expect(matchLog('x509: certificate is valid for 10.96.0.1, 10.0.0.50, not 10.0.0.1')?.signature.id).toBe('x509-hostname');
  });

  it('an application\'s own out-of-memory is marked as memory but is not the cgroup OOM category', () => {
    const m = matchLog('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
    expect(m?.signature.memory).toBe(true);
    expect(m?.signature.category).toBe('app-exception');
  });
});

describe('families of phrasings: every sample line a signature carries is named right', () => {
  const withSamples = (library.signatures as { id: string; category?: string; samples?: { line: string; source: string }[] }[]).filter((s) => s.samples);

  it('each sample names where it was seen, and the families cover the causes the field rewords most', () => {
    for (const s of withSamples) for (const sample of s.samples!) expect(sample.source.length, `${s.id}: ${sample.line}`).toBeGreaterThan(10);
    const families = new Set(withSamples.map((s) => s.category));
    for (const c of ['missing-config', 'dependency-not-ready', 'lock-contention', 'config-path-permission', 'port-conflict', 'time-tls']) expect(families, c).toContain(c);
    expect(withSamples.reduce((n, s) => n + s.samples!.length, 0)).toBeGreaterThanOrEqual(40);
  });

  it.each(withSamples.flatMap((s) => s.samples!.map((sample) => [s.id, s.category, sample.line] as const)))('%s: %s ← %s', (id, categoryId, line) => {
    const signature = LOG_SIGNATURES.find((s) => s.id === id)!;
    expect(signature.pattern.test(line), 'its own pattern matches').toBe(true);
    expect(matchLog(line)?.signature.category, 'the library as a whole names the cause').toBe(categoryId);
  });

  it('an entry without samples is still accepted (packs may bring their own signatures without them)', () => {
    expect(LOG_SIGNATURES.some((s) => !withSamples.some((w) => w.id === s.id))).toBe(true);
  });
});
