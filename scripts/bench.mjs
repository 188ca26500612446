#!/usr/bin/env node
// Measured, not assumed: CLI start-up time, and (when a cluster is reachable) verify speed per
// case of the verifier's own workloads (ratios to time-to-Ready + W, lag after the first evidence)
// and the load of a pod watch versus 1 s polling.
// Usage: node scripts/bench.mjs [--runs N] [--cluster --context C --scenario ID --only CASES]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'crashlab.js');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag('--runs', '15'));

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { runs: samples.length, min: sorted[0], median: q(0.5), p90: q(0.9), max: sorted.at(-1) };
}

function time(cmd, cmdArgs, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${cmdArgs.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function bench(label, cmd, cmdArgs, env) {
  time(cmd, cmdArgs, env); // warm the file cache
  const samples = Array.from({ length: runs }, () => time(cmd, cmdArgs, env));
  const s = stats(samples);
  console.log(`${label.padEnd(40)} median ${s.median.toFixed(0)} ms  (min ${s.min.toFixed(0)}, p90 ${s.p90.toFixed(0)}, n=${s.runs})`);
  return s;
}

console.log('# CLI start-up');
const baseline = bench('node -e 0 (the floor)', process.execPath, ['-e', '0']);
const version = bench('crashlab --version', process.execPath, [bin, '--version']);
const list = bench('crashlab list --json', process.execPath, [bin, 'list', '--json']);
const validate = bench('crashlab validate', process.execPath, [bin, 'validate']);
const diagnoseFixture = join(root, 'test', 'fixtures', 'diagnose');
let diagnose;
try {
  const files = spawnSync('ls', [diagnoseFixture], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.endsWith('.json'));
  const pod = files.find((f) => /oom/i.test(f)) ?? files[0];
  if (pod) diagnose = bench(`crashlab diagnose --pod ${pod}`, process.execPath, [bin, 'diagnose', '--pod', join(diagnoseFixture, pod), '--json']);
} catch {
  /* fixtures absent in a trimmed checkout */
}
console.log(`crashlab overhead over bare node: --version +${(version.median - baseline.median).toFixed(0)} ms, list +${(list.median - baseline.median).toFixed(0)} ms`);
// Target (issue 11): list --json within 2x a bare node start, however many scenarios there are.
const listRatio = list.median / baseline.median;
console.log(`list --json / node -e 0 = ${listRatio.toFixed(2)}x (target <= 2x)${listRatio <= 2 ? '' : '  OVER TARGET'}`);
// farm-bench, where installed, pairs the runs (A B A B ...) so a drifting machine does not skew the ratio.
if (spawnSync('farm-bench', ['--help'], { encoding: 'utf8' }).status === 0) {
  const fb = spawnSync('farm-bench', ['-n', String(Math.min(runs, 20)), '--vs', `${process.execPath} -e 0`, '--', process.execPath, bin, 'list', '--json'], { encoding: 'utf8' });
  const line = (fb.stdout + fb.stderr).split('\n').find((l) => l.startsWith('A/B wall'));
  if (line) console.log(`farm-bench list --json vs node -e 0, paired (min median max): ${line.replace(/^A\/B wall\s+/, '')}`);
}

if (args.includes('--cluster')) {
  const context = flag('--context', 'kind-crashlab');
  const scenario = flag('--scenario', 'bad-command');
  const cli = (...a) => spawnSync(process.execPath, [bin, '--context', context, '--yes', ...a], { encoding: 'utf8' });
  // Verify speed per case, on the verifier's own workloads (test/cluster/verify-suite.mjs, vx-
  // namespaces): a pass should arrive within 1.1 × (time to Ready + W), a fail within 2 s of its
  // first evidence. A benchmark: the ratios are printed, not asserted.
  console.log(`\n# Verify speed per case (context ${context})`);
  const out = join(root, '.bench-verify.json');
  const suite = spawnSync(process.execPath, [join(root, 'test', 'cluster', 'verify-suite.mjs'), '--json', out, ...(flag('--only') ? ['--only', flag('--only')] : [])], {
    encoding: 'utf8',
    env: { ...process.env, CRASHLAB_SUITE_CONTEXT: context },
  });
  let rows = [];
  try {
    rows = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(out);
  } catch {
    console.log(suite.stdout.slice(-2000), suite.stderr.slice(-2000));
  }
  console.log(`${'case'.padEnd(18)} ${'verdict'.padStart(8)} ${'to Ready'.padStart(9)} ${'W'.padStart(4)}  ratio (pass ≤ 1.10) / lag after evidence (fail ≤ 2 s)`);
  for (const r of rows) {
    const t = r.timing ?? {};
    const f = (x, d = 1) => (x === undefined || x === null ? '-' : Number(x).toFixed(d));
    const measure = t.kind === 'pass' && t.ratio !== undefined ? `ratio ${f(t.ratio, 2)}` : t.lag !== undefined ? `lag ${f(t.lag)} s` : '-';
    console.log(`${r.id.padEnd(18)} ${`${f(t.wall)} s`.padStart(8)} ${f(t.toReady).padStart(9)} ${String(t.windowSeconds ?? '-').padStart(4)}  ${measure}`);
  }

  console.log('\n# Watch vs 1 s polling: client CPU (user+sys) over 30 s, measured by GNU time');
  const ns = `crashlab-${scenario}`;
  cli('start', scenario);
  // GNU time reports the CPU of the script and every child it waited for (kubectl included).
  const cpu = (script) => {
    const out = spawnSync('/usr/bin/time', ['-f', '%U %S', 'bash', '-c', `(${script}) >/dev/null 2>&1`], { encoding: 'utf8' });
    const [user, sys] = out.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return user + sys;
  };
  const watchCpu = cpu(`timeout 30 kubectl --context ${context} get pods -n ${ns} -w --output-watch-events -o json`);
  const pollCpu = cpu(`for i in $(seq 30); do kubectl --context ${context} get pods -n ${ns} -o json; sleep 1; done`);
  console.log(`one watch for 30 s:        ${watchCpu.toFixed(2)} s CPU`);
  console.log(`30 polls, 1 s apart:       ${pollCpu.toFixed(2)} s CPU  (${(pollCpu / Math.max(watchCpu, 0.01)).toFixed(1)}x the watch)`);
  cli('reset', scenario);
}
