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
 *  - the number of watch connections: kubectl processes streaming an API watch under the board, counted
 *    while idle and while the board verifies a team's fix (the verifier must not add one);
 *  - a round's spread: the bench's own pod watch (opened before `gameday start`) timestamps each
 *    team's first new pod; spread = last team's minus first team's (goal ≤ 5 s at 100 teams);
 *  - the release storm: round 2 is released while the board runs; for each team, the time from
 *    the bench seeing its new pod to the board's JSON line showing it (p50/p95/max), the pod
 *    events per second the board absorbed, its CPU and peak memory (RSS of node + kubectl);
 *  - `gameday end` (namespaces deleted, without waiting for them to be gone).
 *
 * Usage (needs a running cluster and `make build`):
 *   KUBECONFIG=~/.cache/crashlab-cluster/run/kubeconfig PATH=~/.cache/crashlab-cluster/bin:$PATH \
 *     node scripts/gameday-bench.mjs [--context crashlab-local] [--teams 30] [--samples 60] [--keep] [--kwok]
 *       [--churn N] [--warm-seconds 30] [--game-prefix gb] [--scenario bad-command] [--scenario2 oom]
 *       [--board-node-args '--cpu-prof --cpu-prof-dir=/tmp/board-prof']
 * --kwok: the cluster is test/cluster/kwok.sh's simulated one (pods Running without containers):
 * no network probe at create, no team verification (it needs real pods), no exit status on the
 * quiet-cluster latency goal.
 * Creates namespaces crashlab-gb<random>-* labelled like `gameday create` does, and deletes them
 * at the end (also on Ctrl-C). Prints issue #20's goals (100 teams), each met or not with what
 * was measured, on stderr, and a JSON summary (with `goals`) as its last line.
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
const scenario2 = opt('scenario2', 'oom');
const keep = args.includes('--keep');
// node flags for the board process alone (a CPU profile of the board during the bench; Node 20
// refuses --cpu-prof in NODE_OPTIONS).
const boardNodeArgs = opt('board-node-args', '').split(' ').filter(Boolean);
const kwok = args.includes('--kwok');
const churnPerSecond = Number(opt('churn', kwok ? '10' : '0'));
const warmSeconds = Number(opt('warm-seconds', '30'));
const game = `${opt('game-prefix', 'gb')}${randomBytes(3).toString('hex').slice(0, 4)}`;
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

function crashlabAsync(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`crashlab ${argv.join(' ')}: exit ${code}: ${err.trim()}`))));
  });
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
  const headers = user.token ? { Authorization: `Bearer ${user.token}` } : {};
  /** A watch stream: onEvent(type, object, arrivalMs) per event; returns a stop function. */
  const watch = (p, onEvent) => {
    const req = request({ host: url.hostname, port: url.port || 443, path: p, method: 'GET', ...tls, headers }, (res) => {
      createInterface({ input: res }).on('line', (line) => {
        const at = performance.timeOrigin + performance.now();
        try {
          const e = JSON.parse(line);
          onEvent(e.type, e.object, at);
        } catch {}
      });
    });
    req.on('error', () => {});
    req.end();
    return () => req.destroy();
  };
  const call = (method, p, payload) =>
    new Promise((resolve, reject) => {
      const patch = method === 'PATCH' ? { 'Content-Type': 'application/strategic-merge-patch+json' } : {};
      const req = request({ host: url.hostname, port: url.port || 443, path: p, method, agent, headers: { ...headers, ...patch } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode < 300 ? resolve(body) : reject(new Error(`${method} ${p}: ${res.statusCode} ${body.slice(0, 200)}`))));
      });
      req.on('error', reject);
      req.end(payload === undefined ? undefined : JSON.stringify(payload));
    });
  return Object.assign(call, { watch });
}

/**
 * The bench's own view of a round: a pod watch and a ConfigMap watch on the game's label,
 * opened before the release, timestamping each team's first pod of its new instance and the
 * moment its log carries the `released` event. Also counts pod events per second.
 */
function roundTracker(api) {
  const podsAt = new Map(); // `${namespace}/${instance}` -> first pod ADDED arrival
  const logsAt = new Map(); // namespace -> [{ at, text }]
  const podEvents = [];
  const sel = encodeURIComponent(`crashlab.dev/game=${game}`);
  const stops = [
    api.watch(`/api/v1/pods?watch=1&labelSelector=${sel}`, (type, pod, at) => {
      podEvents.push(at);
      const key = `${pod.metadata.namespace}/${pod.metadata.labels?.['crashlab.dev/instance']}`;
      if (type === 'ADDED' && !podsAt.has(key)) podsAt.set(key, at);
    }),
    api.watch(`/api/v1/configmaps?watch=1&labelSelector=${sel}`, (type, cm, at) => {
      if (cm.metadata.name !== 'crashlab-progress') return;
      const list = logsAt.get(cm.metadata.namespace) ?? [];
      list.push({ at, text: cm.data?.events ?? '' });
      logsAt.set(cm.metadata.namespace, list);
    }),
  ];
  return {
    podAt: (namespace, instance) => podsAt.get(`${namespace}/${instance}`),
    /** When the team's log first showed the release of this instance. */
    releasedAt: (namespace, instance) => logsAt.get(namespace)?.find((l) => l.text.includes(`"instance":"${instance}"`) && l.text.includes('"released"'))?.at,
    eventsBetween: (from, to) => podEvents.filter((t) => t >= from && t <= to).length,
    peakPerSecond(from, to) {
      const buckets = new Map();
      for (const t of podEvents) if (t >= from && t <= to) buckets.set(Math.floor(t / 1000), (buckets.get(Math.floor(t / 1000)) ?? 0) + 1);
      return Math.max(0, ...buckets.values());
    },
    stop: () => stops.forEach((f) => f()),
  };
}

/** Spread of the first pods of released instances: [first, last] arrival; the missing are counted. */
function spreadOf(tracker, released) {
  const at = released.map((r) => tracker.podAt(r.namespace, r.instance));
  const seen = at.filter((t) => t !== undefined);
  return { seconds: seen.length ? +((Math.max(...seen) - Math.min(...seen)) / 1000).toFixed(2) : undefined, first: Math.min(...seen), last: Math.max(...seen), missing: at.length - seen.length };
}

/** Resident memory (kB) of a process tree. */
function rssKb(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return sum;
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
/** CPU ticks of each process: node itself, the pod watch's kubectl, the ConfigMap watch's, the rest. */
function cpuByRole(pid) {
  const roles = { node: 0, podWatch: 0, configMapWatch: 0, other: 0 };
  for (const p of descendants(pid)) {
    const role = p.pid === pid ? 'node' : isWatch(p.args) && /\/pods\?| get pods /.test(p.args) ? 'podWatch' : isWatch(p.args) && /\/configmaps\?| get configmaps /.test(p.args) ? 'configMapWatch' : 'other';
    roles[role] += cpuTicks([p.pid]);
  }
  return roles;
}
// A watch is a kubectl process streaming one API watch: `get --raw /api/v1/pods?watch=1…` (or `get --watch`, before).
const isWatch = (args) => /--watch|[?&]watch=1/.test(args);
const watchProcesses = (pid) => descendants(pid).filter((p) => /kubectl/.test(p.args) && isWatch(p.args));

// ---------------------------------------------------------------- set-up / clean-up
const outDir = mkdtempSync(join(tmpdir(), 'gameday-bench-'));

/** `crashlab gameday create`: namespaces, RBAC, quota, limits, PSA, network policy, kubeconfigs. */
function provisionWithCreate() {
  crashlab(['gameday', 'create', game, '--teams', String(teamCount), '--scenarios', `${scenario},${scenario2}`, '--out', outDir, '--json', ...(kwok ? ['--no-network-probe'] : [])]);
}

/** Without the provisioning command: just what the board needs (namespaces, logs, metadata), labelled per the contract. */
function provisionRaw() {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: control, labels } },
    ...teams.map((team) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(team), labels: { ...labels, 'crashlab.dev/team': team } } })),
  ];
  kubectl(['apply', '--server-side', '--field-manager=crashlab', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const meta = { name: game, teams, scenarios: [scenario, scenario2], durationSeconds: 3600, overtimeSeconds: 600, mode: 'game' };
  const cms = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-game', namespace: control, labels }, data: { game: JSON.stringify(meta) } },
    ...teams.map((team) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns(team), labels: { ...labels, 'crashlab.dev/team': team } }, data: { events: '' } })),
  ];
  kubectl(['apply', '--server-side', '--field-manager=crashlab', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: cms }));
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

  const tracker = roundTracker(api);
  await sleep(1000);
  t = Date.now();
  const started = JSON.parse(await crashlabAsync(['gameday', 'start', game, '--scenario', scenario, '--json']));
  const releaseSeconds = (Date.now() - t) / 1000;
  log(`round 1 released to ${started.released.length} teams in ${releaseSeconds.toFixed(1)} s`);
  const allPods = (released) => released.every((r) => tracker.podAt(r.namespace, r.instance) !== undefined);
  for (const until = Date.now() + 120_000; !allPods(started.released) && Date.now() < until; ) await sleep(200);
  const spread1 = spreadOf(tracker, started.released);
  log(`round 1: first pods of all teams within ${spread1.seconds} s (${spread1.missing} missing); last pod ${((spread1.last - t) / 1000).toFixed(1)} s after the command started`);

  // The board, as an instructor runs it.
  const boardStartedAt = Date.now();
  const board = spawn('node', [...boardNodeArgs, join(root, 'bin/crashlab.js'), '--context', context, '--yes', 'gameday', 'board', game, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let latest;
  const waiters = new Set();
  let lines = 0;
  const boardSeen = new Map(); // `${team}/${instance}` -> first line showing that instance's pod
  let peakRssKb = 0;
  const rssTimer = setInterval(() => (peakRssKb = Math.max(peakRssKb, rssKb(descendants(board.pid).map((p) => p.pid)))), 500);
  createInterface({ input: board.stdout }).on('line', (line) => {
    const at = performance.timeOrigin + performance.now();
    lines++;
    try {
      latest = JSON.parse(line);
    } catch {
      return;
    }
    for (const r of latest.rows ?? []) if (r.instance && r.pod && !boardSeen.has(`${r.team}/${r.instance}`)) boardSeen.set(`${r.team}/${r.instance}`, at);
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

  // Idle CPU: 30 s of nothing but the game going on. On a real cluster the broken pods
  // crash-loop (status events); kwok's pods do not, so --churn N patches N pod statuses a second
  // (a restart count) at a fixed rate, about what 100 pods crash-looping in their first minutes
  // emit. The window opens once the board has run --warm-seconds (30) with that churn: V8
  // compiles a process's hot paths in its first tens of seconds, and a board runs for hours.
  const podContainer = new Map();
  if (churnPerSecond > 0) {
    const list = JSON.parse(await api('GET', `/api/v1/pods?labelSelector=${encodeURIComponent(`crashlab.dev/game=${game}`)}`));
    for (const p of list.items) podContainer.set(p.metadata.name, p.spec.containers[0].name);
  }
  let churned = 0;
  const churn = churnPerSecond > 0
    ? setInterval(() => {
        const team = teams[churned++ % teams.length];
        const pod = row(latest, team)?.pod;
        if (pod) api('PATCH', `/api/v1/namespaces/${ns(team)}/pods/${pod.name}/status`, { status: { containerStatuses: [{ name: podContainer.get(pod.name) ?? 'app', restartCount: pod.restarts + 1 }] } }).catch(() => {});
      }, 1000 / churnPerSecond)
    : undefined;
  await sleep(Math.max(0, boardStartedAt + warmSeconds * 1000 - Date.now()));
  const idleStart = cpuTicks(descendants(board.pid).map((p) => p.pid));
  const idleRolesStart = cpuByRole(board.pid);
  const idleFrom = performance.timeOrigin + performance.now();
  await sleep(30_000);
  const idleCpuSeconds = (cpuTicks(descendants(board.pid).map((p) => p.pid)) - idleStart) / TICKS;
  const idleEventsPerSecond = +(tracker.eventsBetween(idleFrom, performance.timeOrigin + performance.now()) / 30).toFixed(1);
  // Where the idle CPU goes (node's renders and parsing vs the two kubectl watch processes):
  // what decides whether trimming the watch output or the board line would pay.
  const idleRolesEnd = cpuByRole(board.pid);
  const idleSplit = Object.fromEntries(Object.keys(idleRolesEnd).map((k) => [k, +((100 * (idleRolesEnd[k] - idleRolesStart[k])) / TICKS / 30).toFixed(2)]));
  const idleRssKb = rssKb(descendants(board.pid).map((p) => p.pid));
  clearInterval(churn);
  log(`board idle: ${((100 * idleCpuSeconds) / 30).toFixed(1)} % CPU (churn ${churnPerSecond}/s, ${idleEventsPerSecond} pod events/s seen, board ${Math.round((idleFrom - boardStartedAt) / 1000)} s old; node ${idleSplit.node} %, pod watch ${idleSplit.podWatch} %, ConfigMap watch ${idleSplit.configMapWatch} %, other ${idleSplit.other} %), RSS ${(idleRssKb / 1024).toFixed(0)} MiB`);

  // The release storm: round 2 while the board runs (the command runs asynchronously so
  // the bench keeps timestamping board lines).
  const stormStart = performance.timeOrigin + performance.now();
  const stormCpuStart = cpuTicks(descendants(board.pid).map((p) => p.pid));
  t = Date.now();
  const round2 = JSON.parse(await crashlabAsync(['gameday', 'start', game, '--scenario', scenario2, '--json']));
  const release2Seconds = (Date.now() - t) / 1000;
  const seenBoth = () => round2.released.every((r) => boardSeen.has(`${r.team}/${r.instance}`));
  for (const until = Date.now() + 180_000; !seenBoth() && Date.now() < until; ) await sleep(200);
  const stormEnd = performance.timeOrigin + performance.now();
  const stormCpuSeconds = (cpuTicks(descendants(board.pid).map((p) => p.pid)) - stormCpuStart) / TICKS;
  const spread2 = spreadOf(tracker, round2.released);
  const stormLatencies = round2.released
    .map((r) => {
      const ready = Math.max(tracker.podAt(r.namespace, r.instance) ?? Infinity, tracker.releasedAt(r.namespace, r.instance) ?? Infinity);
      const seen = boardSeen.get(`${r.team}/${r.instance}`);
      return seen !== undefined && Number.isFinite(ready) ? Math.max(0, seen - ready) : undefined;
    })
    .filter((x) => x !== undefined);
  const releasedSpread = (() => {
    const at = round2.released.map((r) => tracker.releasedAt(r.namespace, r.instance)).filter((x) => x !== undefined);
    return at.length ? +((Math.max(...at) - Math.min(...at)) / 1000).toFixed(2) : undefined;
  })();
  const stormSeconds = (stormEnd - stormStart) / 1000;
  const stormEvents = tracker.eventsBetween(stormStart, stormEnd);
  log(
    `round 2 (storm): command ${release2Seconds.toFixed(1)} s, pod spread ${spread2.seconds} s, released-event spread ${releasedSpread} s, ` +
      `board p95 ${Math.round(pct(stormLatencies, 95))} ms over ${stormLatencies.length} teams, ${stormEvents} pod events in ${stormSeconds.toFixed(1)} s (peak ${tracker.peakPerSecond(stormStart, stormEnd)}/s)`,
  );

  // A verification: team-1 asks; the board verifies through its one pod watch (real pods only).
  const team = teams[0];
  let verifySeconds;
  let duringVerify = idleWatches.length;
  let verdict = '{}';
  if (!kwok) {
  const instance = row(latest, team).instance;
  const cm = JSON.parse(kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'json']));
  cm.data.events += `${JSON.stringify({ at: new Date().toISOString(), type: 'verify-requested', instance })}\n`;
  kubectl(['replace', '-f', '-'], JSON.stringify(cm));
  const verifyStarted = Date.now();
  await waitFor((b) => row(b, team)?.verify === 'running', 20_000);
  duringVerify = watchProcesses(board.pid).length;
  await waitFor((b) => row(b, team)?.verify === 'none', 240_000).catch((e) => log(e.message));
  verifySeconds = (Date.now() - verifyStarted) / 1000;
  verdict = kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'jsonpath={.data.events}']).trim().split('\n').at(-1);
  log(`verification of ${team}: ${verifySeconds.toFixed(1)} s, watch processes during it: ${duringVerify}; verdict ${verdict.slice(0, 160)}`);
  }

  board.kill('SIGINT');
  await new Promise((r) => board.once('exit', r));
  clearInterval(rssTimer);
  tracker.stop();
  t = Date.now();
  cleaned = !keep;
  if (!keep) crashlab(['gameday', 'end', game, '--no-results', '--json']);
  const endSeconds = (Date.now() - t) / 1000;
  log(`gameday end: ${endSeconds.toFixed(1)} s`);

  const summary = {
    game,
    teams: teamCount,
    scenario,
    provisionedBy,
    cluster: kwok ? 'kwok (simulated pods)' : 'real',
    provisionSeconds: +provisionSeconds.toFixed(2),
    releaseSeconds: +releaseSeconds.toFixed(2),
    releaseSpreadSeconds: spread1.seconds,
    storm: {
      commandSeconds: +release2Seconds.toFixed(2),
      podSpreadSeconds: spread2.seconds,
      releasedEventSpreadSeconds: releasedSpread,
      boardLatencyMs: { p50: Math.round(pct(stormLatencies, 50)), p95: Math.round(pct(stormLatencies, 95)), max: Math.round(Math.max(...stormLatencies)), teams: stormLatencies.length },
      podEvents: stormEvents,
      podEventsPerSecond: +(stormEvents / stormSeconds).toFixed(1),
      peakPodEventsPerSecond: tracker.peakPerSecond(stormStart, stormEnd),
      seconds: +stormSeconds.toFixed(1),
      boardCpuPercent: +((100 * stormCpuSeconds) / stormSeconds).toFixed(1),
    },
    boardMemoryMiB: { idle: Math.round(idleRssKb / 1024), peak: Math.round(peakRssKb / 1024) },
    endSeconds: +endSeconds.toFixed(1),
    samples: latencies.length,
    latencyMs: { p50: Math.round(pct(latencies, 50)), p95: Math.round(pct(latencies, 95)), max: Math.round(Math.max(...latencies)) },
    boardCpu: {
      duringSamplesPercent: +((100 * cpuSeconds) / wallSeconds).toFixed(1),
      idlePercent: +((100 * idleCpuSeconds) / 30).toFixed(1),
      idleChurnPerSecond: churnPerSecond,
      idlePodEventsPerSecond: idleEventsPerSecond,
      idleSplitPercent: idleSplit,
      cpuSeconds: +cpuSeconds.toFixed(2),
      wallSeconds: +wallSeconds.toFixed(1),
    },
    watchProcesses: { idle: idleWatches.length, duringVerification: duringVerify, commands: idleWatches },
    verification: verifySeconds === undefined ? undefined : { seconds: +verifySeconds.toFixed(1), verdict: JSON.parse(verdict) },
    boardLines: lines,
  };
  summary.goals = goalsOf(summary, { spread1, spread2, idleWatches: idleWatches.length, duringVerify });
  log(`issue #20's goals (set for 100 teams; this run: ${teamCount} teams${kwok ? ', kwok' : ''}):`);
  for (const g of summary.goals) log(`goal ${g.met ? 'met    ' : 'NOT met'} ${g.goal}: ${g.measured}`);
  cleanup();
  console.log(JSON.stringify(summary));
  const ok = (kwok || summary.latencyMs.p95 <= 1000) && idleWatches.length === 2 && duringVerify === 2;
  process.exit(ok ? 0 : 1);
}

/**
 * Issue #20's goals for a game of 100 teams, each with what this run measured. They are goals
 * for 100 teams on a quiet machine: printed, not the exit status (which stays the 1 s latency and
 * the watch count, what the cluster suite holds at any size).
 */
function goalsOf(summary, { spread1, spread2, idleWatches, duringVerify }) {
  const spread = (round, s) => ({
    goal: `round ${round} reaches every team within 5 s (spread)`,
    met: s.seconds !== undefined && s.missing === 0 && s.seconds <= 5,
    measured: s.seconds === undefined ? 'no team seen' : `${s.seconds} s${s.missing ? `, ${s.missing} team(s) never seen` : ''}`,
  });
  const storm = summary.storm.boardLatencyMs;
  return [
    spread(1, spread1),
    spread(2, spread2),
    { goal: 'provisioning ≤ 15 s', met: summary.provisionSeconds <= 15, measured: `${summary.provisionSeconds} s (${summary.provisionedBy})` },
    { goal: 'board p95 ≤ 100 ms under the release storm', met: storm.teams > 0 && storm.p95 <= 100, measured: `${storm.p95} ms over ${storm.teams} teams (p50 ${storm.p50}, max ${storm.max})` },
    { goal: 'board CPU idle ≤ 2 % of a core', met: summary.boardCpu.idlePercent <= 2, measured: `${summary.boardCpu.idlePercent} % (${summary.boardCpu.idlePodEventsPerSecond} pod events/s; node ${summary.boardCpu.idleSplitPercent.node} %, pod watch ${summary.boardCpu.idleSplitPercent.podWatch} %, ConfigMap watch ${summary.boardCpu.idleSplitPercent.configMapWatch} %)` },
    { goal: 'two watches (one pod, one ConfigMap), idle and while verifying', met: idleWatches === 2 && duringVerify === 2, measured: `${idleWatches} idle, ${duringVerify} while verifying${kwok ? ' (no verification on kwok)' : ''}` },
    { goal: '`gameday end` ≤ 30 s', met: !keep && summary.endSeconds <= 30, measured: keep ? 'not run (--keep)' : `${summary.endSeconds} s` },
  ];
}

main().catch((e) => {
  log(e.stack ?? e.message);
  cleanup();
  process.exit(2);
});
