/**
 * What `crashlab prove` decides from kubectl output (src/core/prove.ts), and its command line
 * before any cluster is touched. The driver itself runs on the real cluster (test/cluster/suite.mjs).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import type { Io } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { brokenGuards, fieldChecks, notQuiteAttempts, physicalMinimumSeconds, proveReport, symptomOf, violateGuard, type Observation } from '../../../src/core/prove.js';

const catalog = await loadCatalog(packageRoot());
const bundle = (id: string) => catalog.bundles.find((b) => b.scenario.id === id)!;

// The oom scenario's broken pod as kubectl showed it on the test cluster (test/cluster/report.md).
const oomSeen: Observation = {
  pod: 'catalog-api-6b9c7d8f5-k2x7q',
  container: 'app',
  podStatus: 'CrashLoopBackOff',
  waitingReason: 'CrashLoopBackOff',
  running: false,
  restarts: 2,
  lastTerminated: { reason: 'OOMKilled', exitCode: 137 },
  warningEvents: ['BackOff'],
  warningDetails: [{ reason: 'BackOff', message: 'Back-off restarting failed container app in pod catalog-api-6b9c7d8f5-k2x7q_crashlab-oom', at: '2026-12-06T10:00:20Z' }],
  eventLines: [],
};

describe('prove decisions', () => {
  it('fieldChecks: every expect field, met or not, from one snapshot', () => {
    const oom = bundle('oom').scenario;
    const checks = fieldChecks(oom.expect, oomSeen, 'loading the product catalogue\n');
    expect(checks).toEqual({ waitingReason: true, podStatus: true, 'lastTerminated.reason': true, 'lastTerminated.exitCode': true, minRestarts: true, 'event BackOff': true, previousLog: true });
    expect(fieldChecks(oom.expect, { ...oomSeen, restarts: 1, lastTerminated: { reason: 'Error', exitCode: 137 } }, '')).toMatchObject({ minRestarts: false, 'lastTerminated.reason': false, previousLog: false });
  });

  it('symptomOf: a restart, a termination, a telling waiting reason or a Warning; not ContainerCreating or DNS noise', () => {
    expect(symptomOf(oomSeen)).toBe('restart #2');
    const starting: Observation = { ...oomSeen, restarts: 0, lastTerminated: undefined, waitingReason: 'ContainerCreating', warningEvents: [], warningDetails: [{ reason: 'DNSConfigForming', message: 'Nameserver limits exceeded' }] };
    expect(symptomOf(starting)).toBeUndefined();
    expect(symptomOf({ ...starting, waitingReason: 'CreateContainerConfigError' })).toBe('waiting CreateContainerConfigError');
  });

  it('notQuiteAttempts tries every shipped wrong fix, and the solution with its first guard undone only when none breaks a guard', () => {
    const b = bundle('oom');
    const shipped = [{ name: 'not-quite-fix', objects: b.notQuiteFix! }];
    expect(notQuiteAttempts(b.scenario, b.solution, shipped, {}).map((a) => [a.what, a.broken.map((g) => g.kind)])).toEqual([['solutions/oom/not-quite-fix.yaml', ['resourceLimit']]]);
    // A wrong fix that breaks no guard (the solution itself): the generated one is added.
    const attempts = notQuiteAttempts(b.scenario, b.solution, [{ name: 'tweak', objects: b.solution }], {});
    expect(attempts.map((a) => a.what)).toEqual(['solutions/oom/tweak.yaml', expect.stringMatching(/^generated: solution with /)]);
    expect(attempts[1].broken.map((g) => g.kind)).toEqual(['resourceLimit']);
    // The images start chose for this cluster replace the shipped ones in the wrong fix.
    const image = b.notQuiteFix!.flatMap((o) => JSON.stringify(o).match(/"image":"([^"]+)"/)?.[1] ?? [])[0];
    const swapped = notQuiteAttempts(b.scenario, b.solution, shipped, { [image]: 'example.test/other:1' });
    expect(JSON.stringify(swapped[0].objects)).toContain('example.test/other:1');
  });

  it('brokenGuards and violateGuard use the verifier\'s guard rules: the shipped oom wrong fix drops the limit', () => {
    const b = bundle('oom');
    expect(brokenGuards(b.solution, b.scenario)).toEqual([]);
    expect(brokenGuards(b.notQuiteFix!, b.scenario).map((g) => g.kind)).toEqual(['resourceLimit']);
    const generated = violateGuard(b.solution, b.scenario, b.scenario.guards[0])!;
    expect(generated.what).toBe('removed the memory limit of app');
    expect(brokenGuards(generated.objects, b.scenario).map((g) => g.kind)).toEqual(['resourceLimit']);
    expect(brokenGuards(b.solution, b.scenario)).toEqual([]); // the solution itself is untouched
  });

  it('physical minimum: first symptom bound + the verify window (measured when known)', () => {
    const oom = bundle('oom').scenario;
    expect(physicalMinimumSeconds(oom)).toBe(15 + 10 + 10);
    expect(physicalMinimumSeconds(oom, { windowSeconds: 25 } as never)).toBe(40);
  });

  it('the report names the time against the minimums and every check', () => {
    const md = proveReport([{ id: 'oom', expected: 'e', observed: 'o', category: 'oom-killed', diagnosed: 'oom-killed', verifyBroken: 'vb', notQuite: 'nq', verifyFixed: 'vf', reset: 'ok', seconds: 80, phases: { signature: 20 } }], [{ scenario: 'oom', step: 'start', ok: true, detail: '' }, { scenario: 'oom', step: 'verify passes after solve', ok: false, detail: 'exit 1' }], { date: 'd', versions: 'v', context: 'crashlab-local', seconds: 80, jobs: 1, minimumSeconds: 35 });
    expect(md).toContain('Prove: 80s for 1 scenarios, 1 at a time; the sum of their physical minimums (first symptom + verify window) is 35s.');
    expect(md).toContain('- FAIL oom — verify passes after solve: exit 1');
    expect(md.trimEnd().endsWith('1 passed, 1 failed')).toBe(true);
  });
});

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: new PassThrough().on('data', (c) => (out += String(c))), stderr: new PassThrough().on('data', (c) => (err += String(c))), stdin: new PassThrough(), env: { NO_COLOR: '1' } } as unknown as Io;
  const code = await main(argv, io, {});
  return { code, stdout: out, stderr: err };
}

describe('crashlab prove, before touching a cluster', () => {
  it('refuses another context without --yes', async () => {
    const r = await run(['prove', 'oom', '--context', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not touching context "prod" without confirmation');
  });

  it('names an unknown scenario with the known ones, and a bad --jobs', async () => {
    const r = await run(['prove', 'nope', '--yes', '--context', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no valid scenario "nope"\n  Known scenarios: bad-command, /);
    expect((await run(['prove', '--jobs', '0'])).stderr).toContain('--jobs must be a whole number of at least 1 (got "0")');
  });
});
