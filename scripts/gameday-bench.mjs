#!/usr/bin/env node
/**
 * Game-day scale benchmark (a script, not a timed test): N teams (default 30) on one cluster,
 * each with a broken workload released by `crashlab gameday start`, and the instructor board
 * `crashlab gameday board G --json --watch` running. Measures:
 *  - release time of one round to every team;
 *  - board latency from a pod's status change to the board: the bench deletes one team's pod
 *    (HTTP DELETE straight to the API server, timestamped just before the request) and waits
 *    for the board's JSON line that shows the change (old pod Terminating or a new pod);
 *    p50 / p95 over all samples; target p95 ≤ 1 s;
 *  - board CPU (node + its kubectl children, from /proc) over the measurement;
 *  - the number of watch connections: kubectl processes with --watch under the board, counted
 *    while idle and while the board verifies a team's fix (the verifier must not add one).
 *
 * Usage (needs a running cluster and `make build`):
 *   KUBECONFIG=~/.cache/crashlab-cluster/run/kubeconfig PATH=~/.cache/crashlab-cluster/bin:$PATH \
 *     node scripts/gameday-bench.mjs [--context crashlab-local] [--teams 30] [--samples 60] [--keep]
 * Creates namespaces crashlab-gb<random>-* labelled like `gameday create` does, and deletes them
 * at the end (also on Ctrl-C). Prints a JSON summary as its last line.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const context = opt('context', 'crashlab-local');
const teamCount = Number(opt('teams', '30'));
const samples = Number(opt('samples', '60'));
const scenario = opt('scenario', 'bad-command');
const keep = args.includes('--keep');
const game = `gb${randomBytes(3).toString('hex').slice(0, 4)}`;
const teams = Array.from({ length: teamCount }, (_, i) => `team-${i + 1}`);
const ns = (team) => `crashlab-${game}-${team}`;
const control = `crashlab-${game}-control`;
const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': game };
const log = (...a) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const t0 = Date.now();

function kubectl(argv, input) {
  return execFileSync('kubectl', ['--context', context, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}
function crashlab(argv) {
  return execFileSync('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// ---------------------------------------------------------------- API client for timed deletes
function apiClient() {
  const path = (process.env.KUBECONFIG ?? '').split(':')[0];
  const config = yaml.load(readFileSync(path, 'utf8'));
  const ctx = config.contexts.find((c) => c.name === context).context;
  const cluster = config.clusters.find((c) => c.name === ctx.cluster).cluster;
  const user = config.users.find((u) => u.name === ctx.user).user;
  const b64 = (v) => (v ? Buffer.from(v, 'base64') : undefined);
  const file = (f) => (f ? readFileSync(f) : undefined);
  const url = new URL(cluster.server);
  const tls = {
    ca: b64(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    cert: b64(user['client-certificate-data']) ?? file(user['client-certificate']),
    key: b64(user['client-key-data']) ?? file(user['client-key']),
  };
  // keep-alive: the timed DELETE does not pay for a TLS handshake.
  const agent = new Agent({ keepAlive: true, ...tls });
  return (method, p) =>
    new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port || 443, path: p, method, agent, headers: user.token ? { Authorization: `Bearer ${user.token}` } : {} }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode < 300 ? resolve(body) : reject(new Error(`${method} ${p}: ${res.statusCode} ${body.slice(0, 200)}`))));
      });
      req.on('error', reject);
      req.end();
    });
}

// ---------------------------------------------------------------- /proc CPU
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function descendants(pid) {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l);
    return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] };
  });
  const set = new Map([[pid, rows.find((r) => r.pid === pid)]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (set.has(r.ppid) && !set.has(r.pid)) (set.set(r.pid, r), (grew = true));
  }
  return [...set.values()].filter(Boolean);
}
function cpuTicks(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {}
  }
  return sum;
}
const watchProcesses = (pid) => descendants(pid).filter((p) => /kubectl/.test(p.args) && /--watch/.test(p.args));

// ---------------------------------------------------------------- set-up / clean-up
const outDir = mkdtempSync(join(tmpdir(), 'gameday-bench-'));

/** `crashlab gameday create`: namespaces, RBAC, quota, limits, PSA, network policy, kubeconfigs. */
function provisionWithCreate() {
  crashlab(['gameday', 'create', game, '--teams', String(teamCount), '--scenarios', `${scenario},oom`, '--out', outDir, '--json']);
}

/** Without the provisioning command: just what the board needs (namespaces, logs, metadata), labelled per the contract. */
function provisionRaw() {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: control, labels } },
    ...teams.map((team) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(team), labels: { ...labels, 'crashlab.dev/team': team } } })),
  ];
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const meta = { name: game, teams, scenarios: [scenario, 'oom'], durationSeconds: 3600, overtimeSeconds: 600, mode: 'game' };
  const cms = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-game', namespace: control, labels }, data: { game: JSON.stringify(meta) } },
    ...teams.map((team) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns(team), labels: { ...labels, 'crashlab.dev/team': team } }, data: { events: '' } })),
  ];
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: cms }));
}
let cleaned = false;
function cleanup() {
  rmSync(outDir, { recursive: true, force: true });
  if (cleaned || keep) return;
  cleaned = true;
  log('deleting the bench game');
  try {
    crashlab(['gameday', 'end', game]);
  } catch {
    try {
      kubectl(['delete', 'namespaces,validatingadmissionpolicies,validatingadmissionpolicybindings', '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${game}`, '--wait=false']);
    } catch (e) {
      log('cleanup failed:', e.message);
    }
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const api = apiClient();
  process.on('SIGINT', () => (cleanup(), process.exit(130)));

  log(`game ${game}: ${teamCount} teams, scenario ${scenario}, context ${context}`);
  let t = Date.now();
  let provisionedBy = 'gameday create';
  try {
    provisionWithCreate();
  } catch (e) {
    log(`gameday create failed (${String(e.stderr ?? e.message).trim().split('\n')[0]}); provisioning the bare minimum instead`);
    provisionedBy = 'raw';
    provisionRaw();
  }
  const provisionSeconds = (Date.now() - t) / 1000;
  log(`provisioned ${teamCount} teams (${provisionedBy}) in ${provisionSeconds.toFixed(1)} s`);

  t = Date.now();
  const started = JSON.parse(crashlab(['gameday', 'start', game, '--scenario', scenario, '--json']));
  const releaseSeconds = (Date.now() - t) / 1000;
  log(`round 1 released to ${started.released.length} teams in ${releaseSeconds.toFixed(1)} s`);

  // The board, as an instructor runs it.
  const board = spawn('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', 'gameday', 'board', game, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let latest;
  const waiters = new Set();
  let lines = 0;
  createInterface({ input: board.stdout }).on('line', (line) => {
    const at = performance.timeOrigin + performance.now();
    lines++;
    try {
      latest = JSON.parse(line);
    } catch {
      return;
    }
    for (const w of [...waiters]) if (w.test(latest)) (waiters.delete(w), w.resolve(at));
  });
  const waitFor = (test, timeoutMs) =>
    new Promise((resolve, reject) => {
      if (latest && test(latest)) return resolve(performance.timeOrigin + performance.now());
      const w = { test, resolve };
      waiters.add(w);
      setTimeout(() => (waiters.delete(w), reject(new Error('timed out waiting for the board'))), timeoutMs);
    });
  const row = (b, team) => b.rows.find((r) => r.team === team);

  t = Date.now();
  await waitFor((b) => teams.every((team) => row(b, team)?.pod), 180_000);
  log(`board shows a pod for all ${teamCount} teams ${((Date.now() - t) / 1000).toFixed(1)} s after it started`);
  await sleep(3000);
  const idleWatches = watchProcesses(board.pid).map((p) => p.args.replace(/^.*?get /, 'get '));
  log(`watch processes under the board: ${idleWatches.length}: ${idleWatches.join(' | ')}`);

  // Latency samples: delete one team's current pod, wait for the board to show it.
  const cpuStart = cpuTicks(descendants(board.pid).map((p) => p.pid));
  const wallStart = Date.now();
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const team = teams[i % teams.length];
    const current = row(latest, team)?.pod?.name;
    if (!current) continue;
    const sent = performance.timeOrigin + performance.now();
    await api('DELETE', `/api/v1/namespaces/${ns(team)}/pods/${current}?gracePeriodSeconds=0`);
    try {
      const seen = await waitFor((b) => {
        const r = row(b, team);
        return r && (r.pod?.name !== current || r.pod?.status === 'Terminating');
      }, 10_000);
      latencies.push(seen - sent);
    } catch (e) {
      log(`sample ${i} (${team}): ${e.message}`);
    }
    await sleep(250);
  }
  const wallSeconds = (Date.now() - wallStart) / 1000;
  const cpuSeconds = (cpuTicks(descendants(board.pid).map((p) => p.pid)) - cpuStart) / TICKS;

  // Idle CPU with 30 crash-looping pods: 30 s of nothing but the game going on.
  const idleStart = cpuTicks(descendants(board.pid).map((p) => p.pid));
  await sleep(30_000);
  const idleCpuSeconds = (cpuTicks(descendants(board.pid).map((p) => p.pid)) - idleStart) / TICKS;

  // A verification: team-1 asks; the board verifies through its one pod watch.
  const team = teams[0];
  const instance = row(latest, team).instance;
  const cm = JSON.parse(kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'json']));
  cm.data.events += `${JSON.stringify({ at: new Date().toISOString(), type: 'verify-requested', instance })}\n`;
  kubectl(['replace', '-f', '-'], JSON.stringify(cm));
  const verifyStarted = Date.now();
  await waitFor((b) => row(b, team)?.verify === 'running', 20_000);
  const duringVerify = watchProcesses(board.pid).length;
  await waitFor((b) => row(b, team)?.verify === 'none', 240_000).catch((e) => log(e.message));
  const verifySeconds = (Date.now() - verifyStarted) / 1000;
  const verdict = kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'jsonpath={.data.events}']).trim().split('\n').at(-1);
  log(`verification of ${team}: ${verifySeconds.toFixed(1)} s, watch processes during it: ${duringVerify}; verdict ${verdict.slice(0, 160)}`);

  board.kill('SIGINT');
  await new Promise((r) => board.once('exit', r));

  const summary = {
    game,
    teams: teamCount,
    scenario,
    provisionedBy,
    provisionSeconds: +provisionSeconds.toFixed(2),
    releaseSeconds: +releaseSeconds.toFixed(2),
    samples: latencies.length,
    latencyMs: { p50: Math.round(pct(latencies, 50)), p95: Math.round(pct(latencies, 95)), max: Math.round(Math.max(...latencies)) },
    boardCpu: {
      duringSamplesPercent: +((100 * cpuSeconds) / wallSeconds).toFixed(1),
      idlePercent: +((100 * idleCpuSeconds) / 30).toFixed(1),
      cpuSeconds: +cpuSeconds.toFixed(2),
      wallSeconds: +wallSeconds.toFixed(1),
    },
    watchProcesses: { idle: idleWatches.length, duringVerification: duringVerify, commands: idleWatches },
    verification: { seconds: +verifySeconds.toFixed(1), verdict: JSON.parse(verdict) },
    boardLines: lines,
  };
  cleanup();
  console.log(JSON.stringify(summary));
  const ok = summary.latencyMs.p95 <= 1000 && idleWatches.length === 2 && duringVerify === 2;
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  log(e.stack ?? e.message);
  cleanup();
  process.exit(2);
});
