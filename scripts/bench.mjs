#!/usr/bin/env node
// Measured, not assumed: CLI start-up time, and (when a cluster is reachable) verify speed per
// case of the verifier's own workloads (ratios to time-to-Ready + W, lag after the first evidence)
// and the load of a pod watch versus 1 s polling.
// Usage: node scripts/bench.mjs [--runs N] [--cluster --context C --scenario ID --only CASES]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'crashlab.js');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag('--runs', '20'));

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

/**
 * `crashlab ARGS` paired with a bare `node -e 0`, A B B A A B ...: the ratio is taken pair by
 * pair, so a shared machine whose speed drifts between runs skews both sides of a pair alike.
 * Quote the median ratio; a wide min–max says the machine was noisy.
 */
function paired(label, cmdArgs, env) {
  const floor = [process.execPath, ['-e', '0']];
  const cli = [process.execPath, [bin, ...cmdArgs]];
  time(...floor);
  time(...cli, env); // warm the file cache
  const ratios = [];
  const own = [];
  for (let i = 0; i < runs; i++) {
    let a, b;
    if (i % 2) {
      a = time(...cli, env);
      b = time(...floor);
    } else {
      b = time(...floor);
      a = time(...cli, env);
    }
    ratios.push(a / b);
    own.push(a);
  }
  const r = stats(ratios);
  const s = stats(own);
  console.log(`${label.padEnd(34)} ${r.median.toFixed(2)}x  (${r.min.toFixed(2)}–${r.max.toFixed(2)})  median ${s.median.toFixed(0)} ms`);
  return r;
}

console.log(`# CLI start-up: each command paired with node -e 0, ${runs} pairs, wall clock; ratio median (min–max)`);
paired('crashlab --version', ['--version']);
// Target (issue 23): list --json within 1.5x a bare node start, however many scenarios there are.
const list = paired('crashlab list --json', ['list', '--json']);
paired('crashlab list', ['list']);
paired('crashlab --help', ['--help']);
paired('crashlab validate', ['validate']);
const diagnoseFixture = join(root, 'test', 'fixtures', 'diagnose');
try {
  const files = readdirSync(diagnoseFixture).filter((f) => f.endsWith('.pod.json'));
  const pod = files.find((f) => /oom/i.test(f)) ?? files[0];
  if (pod) paired(`crashlab diagnose --pod ${pod}`, ['diagnose', '--pod', join(diagnoseFixture, pod), '--json']);
} catch {
  /* fixtures absent in a trimmed checkout */
}
console.log(`list --json / node -e 0 = ${list.median.toFixed(2)}x (target <= 1.5x)${list.median <= 1.5 ? '' : '  OVER TARGET'}`);

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
