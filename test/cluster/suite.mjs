#!/usr/bin/env node
/**
 * crashlab's real-cluster scenario suite: proves the built-in pack on the hermetic test cluster
 * (context crashlab-local) THROUGH `crashlab prove` (src/adapters/prover.ts; one prover for the
 * project and for every pack author). For every scenario prove checks that it breaks exactly as
 * its scenario.yaml claims (observed independently with kubectl) and within its first-symptom
 * bound, that `crashlab status` sees the signature, that `routine --run` prints real output,
 * that diagnose names its category, that verify fails on the broken workload and on every
 * not-quite-fix (naming the guard when one is broken), that the reference solution passes
 * verify, and that reset removes what crashlab created and only that. This file adds what only
 * the project's CI needs: a bystander namespace that every reset must leave alone, the check
 * that `list` shows every scenario on disk, the report at test/cluster/report.md and the JSON
 * results in the cluster cache.
 *
 *   node test/cluster/suite.mjs [--only id1,id2] [--jobs 4] [--capture DIR] [--report test/cluster/report.md]
 *
 * Env: KUBECONFIG (default $CRASHLAB_CLUSTER_CACHE/run/kubeconfig), CRASHLAB_SUITE_CONTEXT
 * (default crashlab-local), KUBECTL (default the cluster's kubectl, then PATH).
 * Exit status: 0 when every check passed; the last line is "N passed, N failed".
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, CONTEXT, HERE, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

// Overridable so two suite runs (e.g. a scenario author and the catalog suite) can share one cluster.
const BYSTANDER_NS = process.env.CRASHLAB_SUITE_BYSTANDER ?? 'crashlab-bystander';

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ONLY = argValue('--only')?.split(',').filter(Boolean);
const JOBS = Math.max(1, Number(argValue('--jobs') ?? process.env.CRASHLAB_SUITE_JOBS ?? 4) || 4);
const REPORT = argValue('--report') ?? join(HERE, 'report.md');
const RESULTS_JSON = join(CACHE, 'suite-results.json');
const CAPTURE = argValue('--capture');

const XDG_CONFIG_HOME = join(CACHE, 'suite-config');
const env = { ...process.env, KUBECONFIG, KUBECTL, XDG_CONFIG_HOME, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(CACHE, 'bin')}:${process.env.PATH}` };
const ts = () => new Date().toISOString().slice(11, 19);
const log = (...a) => console.log(`[${ts()}]`, ...a);

/** Runs a command; `onErr` gets stderr as it comes (prove's progress lines). */
function run(cmd, argv, { onErr } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      onErr?.(d);
    });
    child.on('error', (e) => (stderr += `\n${e.message}`));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}
const kubectl = (argv) => run(KUBECTL, ['--context', CONTEXT, ...argv]);
const crashlab = (argv, opts) => run('node', ['bin/crashlab.js', '--context', CONTEXT, '--yes', ...argv], opts);

let passed = 0;
let failed = 0;
const own = [];
function check(scenario, step, ok, detail = '') {
  own.push({ scenario, step, ok, detail });
  if (ok) passed++;
  else failed++;
  log(`${ok ? 'PASS' : 'FAIL'} ${scenario} :: ${step}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
const parseJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

async function main() {
  const t0 = Date.now();
  // A namespace crashlab did not create, which every reset must leave alone (prove --bystander).
  // A previous run deletes it at its end: wait until that deletion has finished.
  for (let i = 0; i < 60; i++) {
    const prior = await kubectl(['get', 'ns', BYSTANDER_NS, '-o', 'jsonpath={.status.phase}']);
    if (!(prior.code === 0 && prior.stdout.trim() === 'Terminating')) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  await kubectl(['create', 'ns', BYSTANDER_NS]);
  await kubectl(['label', 'ns', BYSTANDER_NS, '--overwrite', 'app.kubernetes.io/managed-by=someone-else', 'crashlab-test/bystander=true']);
  await kubectl(['-n', BYSTANDER_NS, 'create', 'configmap', 'keep-me', '--from-literal=a=b']);
  const byOk = await kubectl(['-n', BYSTANDER_NS, 'get', 'configmap', 'keep-me', '-o', 'name']);
  check('cluster', `bystander namespace ${BYSTANDER_NS} set up`, byOk.code === 0, byOk.stderr.trim());

  const onDisk = existsSync(join(ROOT, 'scenarios')) ? readdirSync(join(ROOT, 'scenarios')).filter((id) => existsSync(join(ROOT, 'scenarios', id, 'scenario.yaml'))).sort() : [];
  const ls = await crashlab(['list', '--json']);
  const listed = parseJson(ls.stdout)?.scenarios ?? [];
  check('cli', 'list --json lists every scenario on disk', ls.code === 0 && onDisk.length > 0 && onDisk.every((id) => listed.some((l) => l.id === id)),
    `exit ${ls.code}; on disk: ${onDisk.join(', ') || '(none)'}; listed: ${listed.map((l) => l.id).join(', ') || ls.stderr.trim()}`);

  mkdirSync(CACHE, { recursive: true });
  const proveArgs = ['prove', ...(ONLY ?? []), '--jobs', String(JOBS), '--report', REPORT, '--bystander', BYSTANDER_NS, '--json', ...(CAPTURE ? ['--capture', CAPTURE] : [])];
  log(`crashlab ${proveArgs.join(' ')}`);
  const pr = await crashlab(proveArgs, { onErr: (chunk) => process.stdout.write(chunk) });
  const result = parseJson(pr.stdout);
  if (!result) {
    check('prove', 'crashlab prove ran', false, `exit ${pr.code}; ${pr.stderr.trim().split('\n').slice(-3).join(' ')}`);
  } else {
    passed += result.passed;
    failed += result.failed;
    check('prove', 'exit status agrees with its checks', (pr.code === 0) === (result.failed === 0 && result.ok), `exit ${pr.code}, ${result.passed} passed, ${result.failed} failed`);
    log(`prove: ${result.rows.length} scenarios in ${result.seconds}s; sum of physical minimums ${result.minimumSeconds}s`);
  }
  await kubectl(['delete', 'ns', BYSTANDER_NS, '--wait=false']);
  writeFileSync(RESULTS_JSON, JSON.stringify({ suite: own, prove: result }, null, 2));
  log(`report: ${REPORT}; suite took ${Math.round((Date.now() - t0) / 1000)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main().catch((e) => {
  console.error(e);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
