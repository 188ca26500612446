#!/usr/bin/env node
/**
 * crashlab's real-cluster suite: drives the crashlab CLI (node bin/crashlab.js) against the
 * hermetic test cluster (context crashlab-local) and checks, for every scenario in the
 * catalog, that it breaks exactly as its scenario.yaml claims, that diagnose names its
 * category, that verify fails on the broken workload and on a guard-violating "fix", that
 * the reference solution passes verify, and that reset removes only what crashlab created.
 *
 * The broken signature is observed independently of the CLI (kubectl JSON + kubectl's own
 * STATUS column) so the report says what real Kubernetes did, whatever the CLI claims.
 *
 *   node test/cluster/suite.mjs [--only id1,id2] [--jobs 4] [--capture DIR] [--report test/cluster/report.md]
 *
 * Env: KUBECONFIG (default $CRASHLAB_CLUSTER_CACHE/run/kubeconfig), CRASHLAB_SUITE_CONTEXT
 * (default crashlab-local), KUBECTL (default the cluster's kubectl, then PATH).
 * Exit status: 0 when every check passed; the last line is "N passed, N failed".
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { CACHE, CONTEXT, HERE, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

// Overridable so two suite runs (e.g. a scenario author and the catalog suite) can share one cluster.
const BYSTANDER_NS = process.env.CRASHLAB_SUITE_BYSTANDER ?? 'crashlab-bystander';

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ONLY = argValue('--only')?.split(',').filter(Boolean);
/** Scenarios run at once (--jobs N or CRASHLAB_SUITE_JOBS; default 4). */
const JOBS = Math.max(1, Number(argValue('--jobs') ?? process.env.CRASHLAB_SUITE_JOBS ?? 4) || 4);
const REPORT = argValue('--report') ?? join(HERE, 'report.md');
const RESULTS_JSON = join(CACHE, 'suite-results.json');
/**
 * --capture DIR: write the first snapshot that matches every `expect` field at once to
 * DIR/<id>/{pods.json,events.json,previous.log,status.txt}, the observed fixtures
 * (test/fixtures/scenarios/observed) that test/unit/scenarios/observed.test.ts checks.
 */
const CAPTURE = argValue('--capture');

// The suite's verifies must not touch the learner's own progress file.
const XDG_CONFIG_HOME = join(CACHE, 'suite-config');
const env = { ...process.env, KUBECONFIG, XDG_CONFIG_HOME, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(CACHE, 'bin')}:${process.env.PATH}` };

// ------------------------------------------------------------------ helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Date.now();
const ts = () => new Date().toISOString().slice(11, 19);
const log = (...a) => console.log(`[${ts()}]`, ...a);

/** Runs a command without blocking the event loop (scenarios run concurrently). */
function run(cmd, argv, { timeout = 120_000, input } = {}) {
  const t0 = now();
  return new Promise((done) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let error;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.on('error', (e) => (error = e));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout,
        stderr: stderr + (error ? `\n${error.message}` : '') + (timedOut ? `\ntimed out after ${timeout} ms` : ''),
        ms: now() - t0,
        cmd: [cmd, ...argv].join(' '),
      });
    });
    child.stdin.on('error', () => {}); // a command that exits before reading its input
    child.stdin.end(input ?? '');
  });
}
const crashlab = (argv, opts) => run('node', ['bin/crashlab.js', '--context', CONTEXT, '--yes', ...argv], opts);
const kubectl = (argv, opts) => run(KUBECTL, ['--context', CONTEXT, ...argv], opts);
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    // Tolerate a log line before the JSON document.
    const i = text.indexOf('{');
    try {
      return i >= 0 ? JSON.parse(text.slice(i)) : undefined;
    } catch {
      return undefined;
    }
  }
}
/** First value for a key (by predicate) anywhere in a JSON tree, breadth first. */
function deepFind(obj, pred) {
  const queue = [obj];
  while (queue.length) {
    const cur = queue.shift();
    if (!cur || typeof cur !== 'object') continue;
    for (const [k, v] of Object.entries(cur)) {
      if (pred(k, v)) return v;
      if (v && typeof v === 'object') queue.push(v);
    }
  }
  return undefined;
}
const short = (s, n = 300) => {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};
const mdCell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

// ------------------------------------------------------------------ results
const results = []; // {scenario, step, ok, detail}
let passed = 0;
let failed = 0;
function check(scenario, step, ok, detail = '') {
  results.push({ scenario, step, ok, detail });
  if (ok) passed++;
  else failed++;
  log(`${ok ? 'PASS' : 'FAIL'} ${scenario} :: ${step}${detail ? ` — ${short(detail, 500)}` : ''}`);
  return ok;
}

// ------------------------------------------------------------------ catalog
function loadCatalog() {
  const dir = join(ROOT, 'scenarios');
  if (!existsSync(dir)) return [];
  const out = [];
  for (const id of readdirSync(dir).sort()) {
    const file = join(dir, id, 'scenario.yaml');
    if (!existsSync(file)) continue;
    try {
      out.push({ id, file, spec: yaml.load(readFileSync(file, 'utf8')) });
    } catch (e) {
      out.push({ id, file, error: String(e) });
    }
  }
  return out;
}
function durationSeconds(v, dflt) {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(v));
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : dflt;
}

// ------------------------------------------------------------------ independent observation
/** The pods of the scenario's workload, newest first. */
async function workloadPods(ns) {
  const r = await kubectl(['-n', ns, 'get', 'pods', '-o', 'json']);
  if (r.code !== 0) return [];
  const pods = (parseJson(r.stdout)?.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
  return pods.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
}
/** kubectl's own STATUS column. */
async function kubectlStatus(ns, pod) {
  const r = await kubectl(['-n', ns, 'get', 'pod', pod, '--no-headers']);
  return r.code === 0 ? r.stdout.trim().split(/\s+/)[2] : undefined;
}
async function observe(ns, pod, container) {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const st = all.find((c) => c.name === container);
  const term = st?.lastState?.terminated ?? st?.state?.terminated;
  const evr = await kubectl(['-n', ns, 'get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`, '-o', 'json']);
  const events = (parseJson(evr.stdout)?.items ?? []).sort((a, b) =>
    String(a.lastTimestamp ?? a.eventTime ?? a.metadata.creationTimestamp).localeCompare(String(b.lastTimestamp ?? b.eventTime ?? b.metadata.creationTimestamp)),
  );
  const warnings = [];
  const warningEvents = [];
  const eventLines = [];
  for (const e of events) {
    eventLines.push(`${e.type} ${e.reason} (x${e.count ?? e.series?.count ?? 1}): ${short(e.message ?? e.note, 200)}`);
    if (e.type === 'Warning' && !warnings.includes(e.reason)) warnings.push(e.reason);
    if (e.type === 'Warning') warningEvents.push({ reason: e.reason, message: e.message ?? e.note ?? '', at: e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp });
  }
  return {
    pod: pod.metadata.name,
    container,
    podStatus: await kubectlStatus(ns, pod.metadata.name),
    waitingReason: st?.state?.waiting?.reason,
    waitingMessage: st?.state?.waiting?.message,
    running: Boolean(st?.state?.running),
    restarts: st?.restartCount ?? 0,
    lastTerminated: term ? { reason: term.reason, exitCode: term.exitCode, message: term.message } : undefined,
    warningEvents: warnings,
    warningDetails: warningEvents,
    eventLines,
  };
}
/**
 * Each field of `expect` is satisfied once at some point while polling (a waiting reason
 * alternates: CrashLoopBackOff / RunContainerError), so matching accumulates over snapshots.
 */
function fieldChecks(expect, o, previousLog) {
  const checks = {};
  if (expect.waitingReasons) checks.waitingReason = expect.waitingReasons.includes(o.waitingReason ?? '');
  if (expect.podStatuses) checks.podStatus = expect.podStatuses.includes(o.podStatus ?? '');
  if (expect.waitingMessage) checks.waitingMessage = new RegExp(expect.waitingMessage).test(o.waitingMessage ?? '');
  if (expect.lastTerminated) {
    checks['lastTerminated.reason'] = o.lastTerminated?.reason === expect.lastTerminated.reason;
    checks['lastTerminated.exitCode'] = o.lastTerminated?.exitCode === expect.lastTerminated.exitCode;
    if (expect.lastTerminated.message) checks['lastTerminated.message'] = new RegExp(expect.lastTerminated.message).test(o.lastTerminated?.message ?? '');
  }
  if (expect.minRestarts !== undefined) checks.minRestarts = o.restarts >= expect.minRestarts;
  if (expect.maxRestarts !== undefined) checks.maxRestarts = o.restarts <= expect.maxRestarts;
  for (const r of expect.events ?? []) checks[`event ${r}`] = o.warningEvents.includes(r);
  if (expect.previousLog) checks.previousLog = new RegExp(expect.previousLog).test(previousLog ?? '');
  return checks;
}
function describeObserved(o, prevLog) {
  const parts = [];
  if (o.podStatus) parts.push(`STATUS ${o.podStatus}`);
  if (o.waitingReason) parts.push(`waiting ${o.waitingReason}${o.waitingMessage ? ` ("${short(o.waitingMessage, 160)}")` : ''}`);
  if (o.running) parts.push('running');
  if (o.lastTerminated) parts.push(`last ${o.lastTerminated.reason}/${o.lastTerminated.exitCode}${o.lastTerminated.message ? ` ("${short(o.lastTerminated.message, 160)}")` : ''}`);
  parts.push(`restarts ${o.restarts}`);
  if (o.warningEvents.length) parts.push(`events ${o.warningEvents.join(',')}`);
  if (prevLog) parts.push(`prev log "${short(prevLog.trim().split('\n').slice(-1)[0], 120)}"`);
  return parts.join('; ');
}
function describeExpected(e) {
  const parts = [];
  if (e.podStatuses) parts.push(`STATUS ${e.podStatuses.join('|')}`);
  if (e.waitingReasons) parts.push(`waiting ${e.waitingReasons.join('|')}`);
  if (e.waitingMessage) parts.push(`msg /${e.waitingMessage}/`);
  if (e.lastTerminated) parts.push(`last ${e.lastTerminated.reason}/${e.lastTerminated.exitCode}${e.lastTerminated.message ? ` /${e.lastTerminated.message}/` : ''}`);
  if (e.minRestarts !== undefined) parts.push(`restarts>=${e.minRestarts}`);
  if (e.maxRestarts !== undefined) parts.push(`restarts<=${e.maxRestarts}`);
  if (e.events?.length) parts.push(`events ${e.events.join(',')}`);
  if (e.previousLog) parts.push(`prev log /${e.previousLog}/`);
  return parts.join('; ');
}

/**
 * What a learner would first notice is wrong, or undefined while the pod still looks like it is
 * starting: a restart, a terminated container, a waiting reason other than the normal start-up
 * ones, or a Warning event that is not cluster noise.
 */
const STARTING = ['ContainerCreating', 'PodInitializing'];
const NOISE_EVENTS = ['DNSConfigForming', 'MissingClusterDNS', 'ProbeWarning'];
// A busy kubelet's transient "failed to sync configmap cache: timed out waiting for the
// condition" (the token volume kube-api-access-*, or any ConfigMap/Secret volume): it retries and
// mounts it; nothing the scenario did. A missing ConfigMap says "not found" instead.
const isNoise = (e) => NOISE_EVENTS.includes(e.reason) || (e.reason === 'FailedMount' && /failed to sync (configmap|secret) cache/.test(e.message));
/**
 * When the symptom really appeared, from the cluster's own timestamps (a busy machine polls
 * slowly): the first termination (state, or lastState while there was one restart; with more
 * restarts lastState is a later one, an upper bound) and the first non-noise Warning event.
 * Falls back to the time of the observation.
 */
function symptomAt(pod, o, observedAt) {
  const times = [observedAt];
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (c.state?.terminated?.finishedAt) times.push(Date.parse(c.state.terminated.finishedAt));
    if (c.lastState?.terminated?.finishedAt) times.push(Date.parse(c.lastState.terminated.finishedAt));
  }
  for (const e of o.warningDetails) if (!isNoise(e) && e.at) times.push(Date.parse(e.at));
  return Math.min(...times.filter((x) => Number.isFinite(x)));
}
function symptomOf(o) {
  if (o.restarts > 0) return `restart #${o.restarts}`;
  if (o.lastTerminated) return `terminated ${o.lastTerminated.reason}/${o.lastTerminated.exitCode}`;
  if (o.waitingReason && !STARTING.includes(o.waitingReason)) return `waiting ${o.waitingReason}`;
  const w = o.warningDetails.find((e) => !isNoise(e));
  return w ? `Warning ${w.reason}` : undefined;
}

/** Writes the observed fixture of one scenario (see CAPTURE). */
async function capture(ns, pod, container, previousLog, status, id) {
  const pods = await kubectl(['-n', ns, 'get', 'pods', '-o', 'json']);
  const events = await kubectl(['-n', ns, 'get', 'events', '-o', 'json']);
  if (pods.code !== 0 || events.code !== 0) return false;
  const dir = join(CAPTURE, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pods.json'), pods.stdout);
  writeFileSync(join(dir, 'events.json'), events.stdout);
  writeFileSync(join(dir, 'previous.log'), previousLog ?? '');
  writeFileSync(join(dir, 'status.txt'), `${status ?? ''}\n`);
  log(`${id}: captured pod ${pod} (container ${container}, STATUS ${status})`);
  return true;
}

// ------------------------------------------------------------------ guard-violating "fix"
/** From the reference solution, build a manifest that fixes the crash but breaks one guard. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
const isWorkload = (d) => WORKLOAD_KINDS.includes(d?.kind);
function violateGuard(docs, guard, workloadName) {
  const deploy = docs.find((d) => isWorkload(d) && (!workloadName || d.metadata?.name === workloadName)) ?? docs.find(isWorkload);
  if (!deploy) return undefined;
  const spec = deploy.spec.template.spec;
  const c = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((x) => x.name === guard.container);
  if (!c) return undefined;
  switch (guard.kind) {
    case 'probe':
      delete c[`${guard.probe}Probe`];
      return `removed ${guard.probe}Probe of ${guard.container}`;
    case 'readOnlyRootFilesystem':
      c.securityContext = { ...(c.securityContext ?? {}), readOnlyRootFilesystem: false };
      return `set readOnlyRootFilesystem: false on ${guard.container}`;
    case 'runAsNonRoot':
      if (c.securityContext) delete c.securityContext.runAsNonRoot;
      if (spec.securityContext) delete spec.securityContext.runAsNonRoot;
      return `removed runAsNonRoot from ${guard.container} and the pod`;
    case 'resourceLimit':
      if (c.resources?.limits) delete c.resources.limits[guard.resource];
      return `removed the ${guard.resource} limit of ${guard.container}`;
    case 'secretKeyRef': {
      const e = (c.env ?? []).find((x) => x.name === guard.env);
      if (e?.valueFrom?.secretKeyRef) {
        e.valueFrom.secretKeyRef.optional = true;
        return `made env ${guard.env} secretKeyRef optional`;
      }
      if (e) {
        c.env = c.env.filter((x) => x.name !== guard.env);
        return `removed env ${guard.env}`;
      }
      return undefined;
    }
    case 'image':
      c.image = 'busybox:1.36';
      return `changed the image of ${guard.container} to busybox:1.36`;
    default:
      return undefined;
  }
}

/** Which guards a manifest breaks (a static reading of the Deployment's pod template). */
const MEM_UNITS = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 };
function bytes(q) {
  const m = /^([0-9.]+)([KMG]i?)?$/.exec(String(q ?? ''));
  return m ? Number(m[1]) * (MEM_UNITS[m[2]] ?? 1) : NaN;
}
function violatedGuards(docs, guards) {
  const deploy = docs.find(isWorkload);
  if (!deploy) return [];
  const spec = deploy.spec?.template?.spec ?? {};
  const out = [];
  for (const g of guards) {
    const c = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((x) => x.name === g.container);
    if (!c) {
      out.push(g);
      continue;
    }
    let bad = false;
    if (g.kind === 'probe') bad = !c[`${g.probe}Probe`];
    if (g.kind === 'readOnlyRootFilesystem') bad = c.securityContext?.readOnlyRootFilesystem !== true;
    if (g.kind === 'runAsNonRoot') bad = (c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) !== true;
    if (g.kind === 'resourceLimit') {
      const lim = c.resources?.limits?.[g.resource];
      bad = lim === undefined || (g.max !== undefined && g.resource === 'memory' && bytes(lim) > bytes(g.max));
    }
    if (g.kind === 'secretKeyRef') {
      const e = (c.env ?? []).find((x) => x.name === g.env)?.valueFrom?.secretKeyRef;
      bad = !e || e.name !== g.secret || (e.optional === true && !g.allowOptional);
    }
    if (g.kind === 'image') bad = c.image !== g.image;
    if (bad) out.push(g);
  }
  return out;
}

// ------------------------------------------------------------------ per scenario
async function waitNamespaceGone(ns, seconds) {
  const end = now() + seconds * 1000;
  while (now() < end) {
    const r = await kubectl(['get', 'ns', ns, '-o', 'name']);
    if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) return true;
    await sleep(2000);
  }
  return false;
}

async function runScenario(entry, rows) {
  const { id } = entry;
  const row = { id, expected: '', observed: '', category: '', diagnosed: '', verifyBroken: '', notQuite: '', verifyFixed: '', reset: '' };
  rows.push(row);
  if (entry.error) {
    check(id, 'scenario.yaml parses', false, entry.error);
    return;
  }
  const s = entry.spec;
  const ns = `crashlab-${id}`;
  const expect = s.expect ?? {};
  const container = expect.container ?? s.workload?.container;
  const within = durationSeconds(expect.within, 120);
  row.expected = describeExpected(expect);
  row.category = s.category;

  const firstSymptomBound = durationSeconds(expect.firstSymptomWithin, 30);
  const workloadName = s.workload?.deployment ?? s.workload?.name;
  // Phase timings of this scenario (seconds), printed when it ends and kept in the report.
  row.phases = {};
  let tPhase = now();
  const phaseDone = (name) => {
    row.phases[name] = Math.round((now() - tPhase) / 1000);
    tPhase = now();
  };

  // Clean slate.
  await crashlab(['reset', id]);
  await waitNamespaceGone(ns, 90);
  phaseDone('reset');

  // 1. start
  const st = await crashlab(['start', id], { timeout: 300_000 });
  if (!check(id, 'start', st.code === 0, st.code === 0 ? `${st.ms} ms` : `exit ${st.code}: ${short(st.stderr || st.stdout)}`)) {
    row.observed = `start failed: ${short(st.stderr || st.stdout, 200)}`;
    return;
  }

  // 2. the broken signature, observed with kubectl and via `crashlab status --json`
  const t0 = now();
  let firstSymptom;
  let captured = false;
  const satisfied = {};
  let last;
  let lastPrev;
  let cliMatched = false;
  let cliLast;
  let brokenPod;
  let kubectlSeconds;
  const bound = (within + 30) * 1000;
  while (now() - t0 < bound) {
    const pods = await workloadPods(ns);
    const pod = pods.find((p) => p.metadata.labels?.app === workloadName || p.metadata.name.startsWith(`${workloadName}-`)) ?? pods[0];
    if (pod) {
      brokenPod = pod.metadata.name;
      last = await observe(ns, pod, container);
      const sym = firstSymptom ? undefined : symptomOf(last);
      // From the pod's creation: what the scenario itself takes, whatever crashlab start and a
      // busy machine add before it (start's own time is reported apart).
      const born = Date.parse(pod.metadata.creationTimestamp) || t0;
      if (sym) firstSymptom = { seconds: Math.max(0, Math.round((symptomAt(pod, last, now()) - born) / 1000)), what: sym };
      if (expect.previousLog) {
        const pl = await kubectl(['-n', ns, 'logs', pod.metadata.name, '-c', container, '--previous', '--tail', '50']);
        lastPrev = pl.code === 0 ? pl.stdout : lastPrev;
      }
      const current = fieldChecks(expect, last, lastPrev);
      for (const [k, v] of Object.entries(current)) if (v) satisfied[k] = true;
      if (CAPTURE && !captured && Object.values(current).every(Boolean)) captured = await capture(ns, pod.metadata.name, container, lastPrev, last.podStatus, id);
      if (kubectlSeconds === undefined && Object.keys(fieldChecks(expect, last, lastPrev)).every((k) => satisfied[k])) {
        kubectlSeconds = Math.round((now() - t0) / 1000);
      }
    }
    if (!cliMatched) {
      const cs = await crashlab(['status', id, '--json']);
      const j = parseJson(cs.stdout);
      cliLast = j ?? short(cs.stderr || cs.stdout, 200);
      const m = j ? deepFind(j, (k, v) => /^match(es|ed)?(Expected)?$/i.test(k) && typeof v === 'boolean') : undefined;
      if (m === true) cliMatched = true;
    }
    const needed = last ? Object.keys(fieldChecks(expect, last, lastPrev)) : ['pod'];
    if (needed.every((k) => satisfied[k]) && cliMatched && (!CAPTURE || captured)) break;
    // Fast polls until the first symptom, so its time is measured to about a second.
    await sleep(firstSymptom ? 3000 : 1000);
  }
  const needed = last ? Object.keys(fieldChecks(expect, last, lastPrev)) : ['pod exists'];
  const missing = needed.filter((k) => !satisfied[k]);
  row.observed = last ? describeObserved(last, lastPrev) : 'no pod';
  row.events = last?.eventLines ?? [];
  row.secondsToSignature = kubectlSeconds;
  const inTime = kubectlSeconds !== undefined && kubectlSeconds <= within + 10;
  check(id, `breaks as expected within ${within}s (kubectl)`, missing.length === 0 && inTime,
    missing.length ? `missing ${missing.join(', ')}; observed: ${row.observed}` : `all fields seen after ${kubectlSeconds}s (bound ${within}s + 10s polling slack); last snapshot: ${row.observed}`);
  check(id, 'crashlab status --json reports the expected signature', cliMatched, cliMatched ? '' : `last status output: ${short(JSON.stringify(cliLast), 400)}`);
  row.firstSymptom = firstSymptom;
  if (CAPTURE) log(`${id}: ${captured ? `snapshot written to ${join(CAPTURE, id)}` : 'no single snapshot matched every field: nothing captured'}`);
  // Counted from the broken pod's creation to the cluster's timestamp of the symptom (see
  // symptomAt); start's own time (e.g. a history's rollout) is reported apart. +2 s: timestamps
  // have whole seconds.
  row.startSeconds = Math.round(st.ms / 1000);
  check(id, `first symptom within ${firstSymptomBound}s of the pod's creation`, Boolean(firstSymptom) && firstSymptom.seconds <= firstSymptomBound + 2,
    firstSymptom ? `${firstSymptom.what} after ${firstSymptom.seconds}s (declared ${firstSymptomBound}s, +2s slack; crashlab start itself took ${row.startSeconds}s)` : 'no symptom seen');
  phaseDone('signature');

  // 3. the routine against the broken pod
  const ro = await crashlab(['routine', id, '--run'], { timeout: 180_000 });
  const routineOk = ro.code === 0 && brokenPod && ro.stdout.includes(brokenPod) && ro.stdout.length > 400;
  row.routine = `${ro.code === 0 ? 'ok' : `exit ${ro.code}`}, ${ro.stdout.length} chars`;
  check(id, 'routine --run prints real kubectl output for the broken pod', Boolean(routineOk),
    routineOk ? `${ro.stdout.length} chars in ${ro.ms} ms` : `exit ${ro.code}; stdout ${short(ro.stdout, 200)}; stderr ${short(ro.stderr, 200)}`);
  if (ro.stdout) writeFileSync(join(CACHE, `routine-${id}.txt`), ro.stdout);
  phaseDone('routine');

  // 4. diagnose
  if (brokenPod) {
    const dg = await crashlab(['diagnose', brokenPod, '-n', ns, '--json']);
    const j = parseJson(dg.stdout);
    const cats = (j?.findings ?? []).map((f) => f.category);
    row.diagnosed = cats.join(', ') || `(none; exit ${dg.code})`;
    check(id, `diagnose names category ${s.category}`, cats.includes(s.category), `findings: ${row.diagnosed}${j ? '' : `; output ${short(dg.stdout || dg.stderr, 200)}`}`);
  } else {
    check(id, 'diagnose', false, 'no pod to diagnose');
  }

  phaseDone('diagnose');

  // 5. verify on the broken workload fails with evidence
  const vb = await crashlab(['verify', id, '--json'], { timeout: 600_000 });
  const vbj = parseJson(vb.stdout);
  const vbEvidence = vbj ? deepFind(vbj, (k, v) => k === 'evidence' && Array.isArray(v) && v.length > 0) : undefined;
  row.verifyBroken = `exit ${vb.code}, ${vbj?.result ?? vbj?.verdict ?? '?'} (rule ${vbj?.rule ?? '?'}) in ${Math.round(vb.ms / 1000)}s`;
  row.verifyBrokenSummary = vbj?.summary?.en;
  check(id, 'verify fails on the broken workload (exit 1, evidence)', vb.code === 1 && Boolean(vbEvidence),
    `exit ${vb.code} in ${vb.ms} ms; verdict ${vbj?.result ?? vbj?.verdict} rule ${vbj?.rule}; evidence ${short(JSON.stringify(vbEvidence ?? vbj ?? vb.stderr), 300)}`);

  phaseDone('verify-broken');

  // 6. not-quite-fixes: the shipped one (solutions/<id>/not-quite-fix.yaml) must fail verify,
  // naming the guard when it breaks one; when it breaks none (it fails by behaviour), a
  // generated one (the solution with its first guard removed) must fail naming that guard.
  const guards = s.guards ?? [];
  const nqFile = join(ROOT, 'solutions', id, 'not-quite-fix.yaml');
  const solFile = join(ROOT, 'solutions', id, 'manifest.yaml');
  const attempts = [];
  if (existsSync(nqFile)) {
    const docs = yaml.loadAll(readFileSync(nqFile, 'utf8')).filter(Boolean);
    attempts.push({ what: `solutions/${id}/not-quite-fix.yaml`, docs, broken: violatedGuards(docs, guards) });
  }
  if (guards.length && existsSync(solFile) && !attempts.some((a) => a.broken.length)) {
    const docs = yaml.loadAll(readFileSync(solFile, 'utf8')).filter(Boolean);
    const what = violateGuard(docs, guards[0], workloadName);
    if (what) attempts.push({ what: `generated: solution with ${what}`, docs, broken: violatedGuards(docs, guards) });
  }
  if (!attempts.length) check(id, 'a not-quite-fix exists', false, 'no not-quite-fix.yaml and no guard to violate');
  row.notQuite = '';
  for (const a of attempts) {
    // `kubectl replace` (create when missing): a client-side `kubectl apply` cannot remove a
    // field (the memory limit, a probe) from objects crashlab created with server-side apply.
    let ap = { code: 0, stderr: '', stdout: '' };
    for (const d0 of a.docs) {
      // Like `kubectl edit`: keep the labels crashlab put on the live object and its pod template.
      const d = structuredClone(d0);
      const live = parseJson((await kubectl(['-n', ns, 'get', d.kind, d.metadata?.name, '-o', 'json'])).stdout);
      if (live) {
        d.metadata = { ...d.metadata, labels: { ...(live.metadata?.labels ?? {}), ...(d.metadata?.labels ?? {}) } };
        if (d.kind !== 'Job' && isWorkload(d) && live.spec?.template?.metadata?.labels) {
          d.spec.selector = live.spec.selector;
          d.spec.template.metadata = { ...(d.spec.template.metadata ?? {}), labels: { ...live.spec.template.metadata.labels, ...(d.spec.template.metadata?.labels ?? {}) } };
        }
      }
      const input = yaml.dump(d);
      // A Job's pod template is immutable: replace means delete and create (--force).
      let r = await kubectl(['-n', ns, 'replace', ...(d.kind === 'Job' ? ['--force'] : []), '-f', '-'], { input });
      if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) r = await kubectl(['-n', ns, 'create', '-f', '-'], { input });
      if (r.code !== 0) ap = r;
    }
    if (!check(id, `apply not-quite-fix (${a.what})`, ap.code === 0, short(ap.stderr || ap.stdout))) continue;
    const vn = await crashlab(['verify', id, '--json'], { timeout: 600_000 });
    const vnj = parseJson(vn.stdout);
    const gf = (vnj?.guardResults ?? []).filter((g) => g.ok === false);
    const gtext = gf.map((g) => g.label ?? g.guard?.kind).join('; ');
    const wantGuard = a.broken.length > 0;
    const guardNamed = gf.length > 0 || vnj?.rule === 'guard';
    row.notQuite += `${row.notQuite ? '<br>' : ''}${a.what}: exit ${vn.code}, ${vnj?.result ?? '?'} (rule ${vnj?.rule ?? '?'})${gtext ? `, guard: ${gtext}` : ''}, ${Math.round(vn.ms / 1000)}s`;
    row.notQuiteSummary = `${row.notQuiteSummary ? `${row.notQuiteSummary} / ` : ''}${vnj?.summary?.en}`;
    check(id, wantGuard ? `verify fails on ${a.what} and names the guard (${a.broken.map((g) => g.kind).join(', ')})` : `verify fails on ${a.what} (breaks no guard: fails by behaviour)`,
      vn.code === 1 && (!wantGuard || guardNamed),
      `exit ${vn.code} in ${vn.ms} ms; rule ${vnj?.rule}; failed guards: ${gtext || '(none)'}; summary: ${short(vnj?.summary?.en, 300)}`);
  }

  phaseDone('not-quite-fix');

  // 7. solve -> verify passes
  const so = await crashlab(['solve', id], { timeout: 300_000 });
  if (check(id, 'solve', so.code === 0, so.code === 0 ? `${so.ms} ms` : `exit ${so.code}: ${short(so.stderr || so.stdout)}`)) {
    const vf = await crashlab(['verify', id, '--json'], { timeout: 900_000 });
    const vfj = parseJson(vf.stdout);
    const window = vfj?.windowSeconds ?? (vfj ? deepFind(vfj, (k, v) => /window/i.test(k) && typeof v === 'number') : undefined);
    row.verifyFixed = `exit ${vf.code}, ${vfj?.result ?? vfj?.verdict ?? '?'}, verify took ${Math.round(vf.ms / 1000)}s, window ${window ?? '?'}s`;
    row.verifyFixedSeconds = Math.round(vf.ms / 1000);
    row.verifyFixedSummary = vfj?.summary?.en;
    check(id, 'verify passes after solve', vf.code === 0, `exit ${vf.code} in ${vf.ms} ms, window ${window}s; ${short(vfj?.summary?.en ?? (vf.stdout || vf.stderr), 400)}`);
  }

  phaseDone('solve+verify');

  // 8. reset removes what crashlab created, and only that
  const rs = await crashlab(['reset', id], { timeout: 300_000 });
  const gone = await waitNamespaceGone(ns, 120);
  const by = await kubectl(['get', 'ns', BYSTANDER_NS, '-o', 'name']);
  const byCm = await kubectl(['-n', BYSTANDER_NS, 'get', 'configmap', 'keep-me', '-o', 'name']);
  row.reset = `${rs.code === 0 ? 'ok' : `exit ${rs.code}`}, ${gone ? 'namespace gone' : 'namespace REMAINS'}, bystander ${by.code === 0 && byCm.code === 0 ? 'kept' : 'LOST'}`;
  check(id, 'reset removes the scenario namespace', rs.code === 0 && gone, row.reset);
  check(id, 'reset keeps a namespace crashlab did not create', by.code === 0 && byCm.code === 0, row.reset);
  phaseDone('reset');
}

// ------------------------------------------------------------------ report
function writeReport(rows, meta) {
  const lines = [];
  lines.push('# crashlab scenarios on a real Kubernetes');
  lines.push('');
  lines.push(`Generated by \`make test-cluster\` (test/cluster/suite.mjs) on ${meta.date}.`);
  lines.push(`Cluster: ${meta.versions}. Single node, cgroup v1, containerd + runc, default CrashLoopBackOff back-off.`);
  lines.push('');
  lines.push(`Suite: ${meta.seconds}s for ${rows.length} scenarios, ${meta.jobs} at a time.`);
  lines.push('');
  lines.push('| scenario | first symptom (after pod creation; start took) | expected signature | observed signature (kubectl) | category → diagnose | verify (broken) | not-quite-fix → verify | verify after solve (time / window) | reset | suite time |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const fs = r.firstSymptom ? `${r.firstSymptom.seconds}s: ${r.firstSymptom.what} (start ${r.startSeconds}s)` : '(none)';
    lines.push(`| ${mdCell(r.id)} | ${mdCell(fs)} | ${mdCell(r.expected)} | ${mdCell(r.observed)}${r.secondsToSignature !== undefined ? ` (after ${r.secondsToSignature}s)` : ''} | ${mdCell(r.category)} → ${mdCell(r.diagnosed)} | ${mdCell(r.verifyBroken)} | ${mdCell(r.notQuite)} | ${mdCell(r.verifyFixed)} | ${mdCell(r.reset)} | ${r.seconds ?? '?'}s |`);
  }
  lines.push('');
  lines.push('## Per scenario: events on the broken pod and verify verdicts');
  for (const r of rows) {
    lines.push('', `### ${r.id}`, '');
    lines.push(`- observed (kubectl, last snapshot): ${r.observed}`);
    if (r.verifyBrokenSummary) lines.push(`- verify on the broken workload: ${r.verifyBrokenSummary}`);
    if (r.notQuiteSummary) lines.push(`- verify on the not-quite-fix: ${r.notQuiteSummary}`);
    if (r.verifyFixedSummary) lines.push(`- verify after solve: ${r.verifyFixedSummary}`);
    if (r.routine) lines.push(`- routine --run: ${r.routine}`);
    if (r.seconds !== undefined) lines.push(`- suite time for this scenario: ${r.seconds}s (${Object.entries(r.phases ?? {}).map(([k, v]) => `${k} ${v}s`).join(', ')})`);
    lines.push('', 'Events of the broken pod (type, reason, count, message):', '', '```');
    lines.push(...(r.events?.length ? r.events : ['(none)']));
    lines.push('```');
  }
  lines.push('', '## Checks', '');
  for (const x of results) lines.push(`- ${x.ok ? 'PASS' : 'FAIL'} ${x.scenario} — ${x.step}${x.detail ? `: ${mdCell(short(x.detail, 300))}` : ''}`);
  lines.push('', `${passed} passed, ${failed} failed`, '');
  writeFileSync(REPORT, lines.join('\n'));
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(RESULTS_JSON, JSON.stringify({ meta, rows, results }, null, 2));
}

// ------------------------------------------------------------------ main
async function main() {
  const t0 = now();
  const ver = await kubectl(['version', '-o', 'json']);
  const vj = parseJson(ver.stdout);
  const versions = vj ? `kubectl ${vj.clientVersion?.gitVersion}, server ${vj.serverVersion?.gitVersion}` : 'unknown';
  if (!check('cluster', `reachable via context ${CONTEXT}`, ver.code === 0 && Boolean(vj?.serverVersion), ver.code === 0 ? versions : short(ver.stderr))) {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(1);
  }
  const nodes = await kubectl(['get', 'nodes', '-o', 'wide']);
  log(nodes.stdout.trim());

  // A namespace crashlab did not create, which every reset must leave alone.
  // A previous run deletes it at its end: wait until that deletion has finished.
  const prior = await kubectl(['get', 'ns', BYSTANDER_NS, '-o', 'jsonpath={.status.phase}']);
  if (prior.code === 0 && prior.stdout.trim() === 'Terminating') await waitNamespaceGone(BYSTANDER_NS, 120);
  await kubectl(['create', 'ns', BYSTANDER_NS]);
  await kubectl(['label', 'ns', BYSTANDER_NS, '--overwrite', 'app.kubernetes.io/managed-by=someone-else', 'crashlab-test/bystander=true']);
  await kubectl(['-n', BYSTANDER_NS, 'create', 'configmap', 'keep-me', '--from-literal=a=b']);
  const byOk = await kubectl(['-n', BYSTANDER_NS, 'get', 'configmap', 'keep-me', '-o', 'name']);
  check('cluster', `bystander namespace ${BYSTANDER_NS} set up`, byOk.code === 0, short(byOk.stderr));

  const ls = await crashlab(['list', '--json']);
  const lj = parseJson(ls.stdout);
  const catalog = loadCatalog();
  const listed = Array.isArray(lj) ? lj : (lj?.scenarios ?? []);
  check('cli', 'list --json lists every scenario on disk', ls.code === 0 && catalog.every((c) => listed.some((l) => l.id === c.id)),
    `exit ${ls.code}; on disk: ${catalog.map((c) => c.id).join(', ') || '(none)'}; listed: ${listed.map((l) => l.id).join(', ') || short(ls.stderr || ls.stdout, 200)}`);
  if (catalog.length === 0) check('catalog', 'has scenarios', false, 'scenarios/*/scenario.yaml: none found');

  // Scenarios run in their own namespaces and share nothing but the bystander (which only
  // resets must leave alone), so a small pool runs them side by side.
  const rows = [];
  const selected = catalog.filter((e) => !ONLY || ONLY.includes(e.id));
  if (ONLY) for (const id of ONLY.filter((i) => !catalog.some((c) => c.id === i))) check(id, 'scenario exists', false, `no scenarios/${id}/scenario.yaml`);
  log(`${selected.length} scenarios, ${JOBS} at a time`);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < selected.length) {
      const entry = selected[nextIndex++];
      const ts0 = now();
      log(`=== scenario ${entry.id}`);
      try {
        await runScenario(entry, rows);
      } catch (e) {
        check(entry.id, 'suite step threw', false, e?.stack ?? String(e));
      }
      const row = rows.find((r) => r.id === entry.id);
      if (row) row.seconds = Math.round((now() - ts0) / 1000);
      const phases = Object.entries(row?.phases ?? {}).map(([k, v]) => `${k} ${v}s`).join(', ');
      log(`=== scenario ${entry.id} took ${row?.seconds}s (${phases})`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(JOBS, selected.length)) }, worker));
  const order = new Map(catalog.map((c, i) => [c.id, i]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  await kubectl(['delete', 'ns', BYSTANDER_NS, '--wait=false']);
  writeReport(rows, { date: new Date().toISOString(), versions, seconds: Math.round((now() - t0) / 1000), jobs: JOBS });
  log(`report: ${REPORT}; suite took ${Math.round((now() - t0) / 1000)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main().catch((e) => {
  console.error(e);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
