/**
 * The held-out corpus (test/fixtures/diagnose/corpus/cases): pods, events and log tails
 * reconstructed from public reports, each with the category its accepted answer names. The
 * top finding must name it for at least 90 % of the cases; the score, the misses and the time
 * per diagnosis are printed on every run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCategoryId } from '../../../src/core/categories.js';
import { diagnose } from '../../../src/core/diagnose.js';
import type { KubeEvent, List, Pod } from '../../../src/core/k8s.js';

const ROOT = fileURLToPath(new URL('../../fixtures/diagnose/corpus/cases/', import.meta.url));
const THRESHOLD = 0.9;

interface Case {
  id: string;
  pod: Pod;
  events: List<KubeEvent>;
  logs: Record<string, string>;
  expected: string;
  source: string;
}

function load(id: string): Case {
  const dir = join(ROOT, id);
  const logs: Record<string, string> = {};
  for (const file of readdirSync(dir)) if (file.endsWith('.log')) logs[file.slice(0, -4)] = readFileSync(join(dir, file), 'utf8');
  return {
    id,
    pod: JSON.parse(readFileSync(join(dir, 'pod.json'), 'utf8')) as Pod,
    events: JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as List<KubeEvent>,
    logs,
    expected: readFileSync(join(dir, 'expected.txt'), 'utf8').trim(),
    source: readFileSync(join(dir, 'source.txt'), 'utf8'),
  };
}

const CASES = readdirSync(ROOT).sort().map(load);

describe('diagnosis corpus from public reports', () => {
  it('has at least 60 cases, each naming its report and a known category', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    for (const c of CASES) {
      expect(c.source, c.id).toMatch(/^https:\/\/\S+ — /);
      expect(isCategoryId(c.expected), `${c.id}: ${c.expected}`).toBe(true);
      expect(existsSync(join(ROOT, c.id, 'events.json'))).toBe(true);
    }
    // It spans many categories, not one easy one.
    expect(new Set(CASES.map((c) => c.expected)).size).toBeGreaterThanOrEqual(12);
  });

  it('keeps the shapes real kubectl prints: scheduler events use eventTime; FailedScheduling/FailedMount carry no container', () => {
    for (const c of CASES) {
      for (const e of c.events.items) {
        if (e.reason === 'FailedScheduling' || e.reason === 'Scheduled') {
          expect(e.eventTime, c.id).toBeTruthy();
          expect(e.lastTimestamp ?? null, c.id).toBeNull();
        }
        if (e.reason === 'FailedScheduling' || e.reason === 'FailedMount') expect(e.involvedObject.fieldPath, c.id).toBeUndefined();
      }
      const owner = c.pod.metadata.ownerReferences?.[0]?.kind;
      if (owner) expect(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']).toContain(owner);
    }
  });

  it(`names the report's cause with the top finding for at least ${THRESHOLD * 100} % of the cases`, () => {
    const misses: string[] = [];
    let hits = 0;
    const started = performance.now();
    for (const c of CASES) {
      const top = diagnose({ pods: c.pod, events: c.events, logs: c.logs }).findings[0];
      if (top?.category === c.expected) hits++;
      else misses.push(`${c.id}: expected ${c.expected}, got ${top?.category ?? '(none)'} — ${top?.evidence.find((l) => l.startsWith('log:')) ?? top?.evidence[0] ?? ''}`);
    }
    const ms = (performance.now() - started) / CASES.length;
    const score = hits / CASES.length;
    console.log(`diagnosis corpus: ${hits}/${CASES.length} = ${(score * 100).toFixed(1)} % with the top finding, ${ms.toFixed(2)} ms per diagnosis`);
    for (const miss of misses) console.log(`  miss ${miss}`);
    expect(score).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('cites the deciding line: a finding read from the log quotes a line of that log', () => {
    for (const c of CASES) {
      const top = diagnose({ pods: c.pod, events: c.events, logs: c.logs }).findings[0];
      const quoted = top.evidence.filter((l) => l.startsWith('log: ')).map((l) => l.slice(5));
      const all = Object.values(c.logs).join('\n');
      for (const line of quoted) {
        const message = JSON.stringify(c.pod.status);
        expect(all.includes(line) || message.includes(JSON.stringify(line).slice(1, -1)), `${c.id}: ${line}`).toBe(true);
      }
    }
  });
});
