/**
 * `crashlab prove`'s driver: for each scenario it runs crashlab itself (the same command lines a
 * learner types: start, status, routine, diagnose, verify, solve, reset) and watches the cluster
 * independently with kubectl, so the report says what Kubernetes did whatever crashlab claims.
 * It writes nothing but what its caller asks for (the report, the capture folder): crashlab's
 * progress goes to a temporary config folder removed at the end. Moved from
 * test/cluster/suite.mjs, which now calls `crashlab prove` (one prover).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseForeignArch, foreignArchImages, parseNodeArchitectures } from '../core/arch.js';
import type { K8sObject } from '../core/k8s.js';
import { parseDuration, type Scenario } from '../core/scenario.js';
import { describeExpected, describeObserved, fieldChecks, notQuiteAttempts, short, symptomAt, symptomOf, type Observation, type ProveCheck, type ProveRow } from '../core/prove.js';

export interface ProveTarget {
  scenario: Scenario;
  solution: K8sObject[];
  notQuiteFixes: { name: string; objects: K8sObject[] }[];
  /** The pack's name, for the report (built-in scenarios have none). */
  pack?: string;
}

export interface ProverOptions {
  /** bin/crashlab.js of this package. */
  bin: string;
  context: string;
  kubeconfig?: string;
  kubectl?: string;
  scenarioDirs: readonly string[];
  jobs: number;
  /** Folder for observed snapshots (DIR/<id>/{pods.json,events.json,previous.log,status.txt}). */
  capture?: string;
  /** A namespace crashlab did not create, which every reset must leave alone (checked when given). */
  bystander?: string;
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

export interface ProveResult {
  rows: ProveRow[];
  checks: ProveCheck[];
  versions: string;
  seconds: number;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function parseJson(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    const i = text.indexOf('{');
    try {
      return i >= 0 ? JSON.parse(text.slice(i)) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** First value for a key (by predicate) anywhere in a JSON tree, breadth first. */
function deepFind(obj: Json, pred: (k: string, v: Json) => boolean): Json {
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

/** How long a scenario's proof may take, for ordering only: its bounds, rollout timeout included. */
function estimateSeconds(s: Scenario): number {
  return parseDuration(s.expect.firstSymptomWithin ?? 30) + parseDuration(s.verify.crashWithin) + parseDuration(s.verify.margin) + parseDuration(s.verify.rolloutTimeout);
}

/** One `prove` run: its options, its checks so far, and the two command lines it drives. */
interface Session {
  options: ProverOptions;
  checks: ProveCheck[];
  log(line: string): void;
  /** Records a check and logs it; returns `ok`. */
  check(scenario: string, step: string, ok: boolean, detail?: string): boolean;
  crashlab(argv: string[], opts?: { timeout?: number }): Promise<Ran>;
  kubectl(argv: string[], opts?: { timeout?: number; input?: string }): Promise<Ran>;
  /** Resets running in the background, each awaited before prove ends. */
  pending: Promise<void>[];
}

/** Runs a command to its end (or `timeout`), never throwing: a spawn error is in stderr. */
function runCommand(env: NodeJS.ProcessEnv, signal: AbortSignal | undefined, cmd: string, argv: string[], { timeout = 120_000, input }: { timeout?: number; input?: string } = {}): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    let error: Error | undefined;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.on('error', (e) => (error = e));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : 1), stdout, stderr: stderr + (error ? `\n${error.message}` : '') + (timedOut ? `\ntimed out after ${timeout} ms` : ''), ms: Date.now() - t0 });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function openSession(options: ProverOptions, env: NodeJS.ProcessEnv): Session {
  const checks: ProveCheck[] = [];
  const ts = () => new Date().toISOString().slice(11, 19);
  const log = (line: string) => options.onLine(`[${ts()}] ${line}`);
  const run = (cmd: string, argv: string[], opts?: { timeout?: number; input?: string }) => runCommand(env, options.signal, cmd, argv, opts);
  const packFlags = options.scenarioDirs.flatMap((d) => ['--scenarios', d]);
  return {
    options,
    checks,
    log,
    check: (scenario, step, ok, detail = '') => {
      checks.push({ scenario, step, ok, detail });
      log(`${ok ? 'PASS' : 'FAIL'} ${scenario} :: ${step}${detail ? ` — ${short(detail, 500)}` : ''}`);
      return ok;
    },
    crashlab: (argv, opts) => run(process.execPath, [options.bin, '--context', options.context, '--yes', ...packFlags, ...argv], opts),
    kubectl: (argv, opts) => run(options.kubectl ?? 'kubectl', ['--context', options.context, ...argv], opts),
    pending: [],
  };
}

async function waitNamespaceGone(session: Session, ns: string, seconds: number): Promise<boolean> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const r = await session.kubectl(['get', 'ns', ns, '-o', 'name']);
    if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) return true;
    await sleep(2000);
  }
  return false;
}

async function workloadPods(session: Session, ns: string): Promise<Json[]> {
  const r = await session.kubectl(['-n', ns, 'get', 'pods', '-o', 'json']);
  if (r.code !== 0) return [];
  const pods = ((parseJson(r.stdout)?.items ?? []) as Json[]).filter((p) => !p.metadata.deletionTimestamp);
  return pods.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
}

async function observe(session: Session, ns: string, pod: Json, container: string): Promise<Observation> {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const st = all.find((c: Json) => c.name === container);
  const term = st?.lastState?.terminated ?? st?.state?.terminated;
  const evr = await session.kubectl(['-n', ns, 'get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`, '-o', 'json']);
  const events = ((parseJson(evr.stdout)?.items ?? []) as Json[]).sort((a, b) =>
    String(a.lastTimestamp ?? a.eventTime ?? a.metadata.creationTimestamp).localeCompare(String(b.lastTimestamp ?? b.eventTime ?? b.metadata.creationTimestamp)),
  );
  const o: Observation = { pod: pod.metadata.name, container, running: Boolean(st?.state?.running), restarts: st?.restartCount ?? 0, warningEvents: [], warningDetails: [], eventLines: [] };
  for (const e of events) {
    o.eventLines.push(`${e.type} ${e.reason} (x${e.count ?? e.series?.count ?? 1}): ${short(e.message ?? e.note, 200)}`);
    if (e.type === 'Warning' && !o.warningEvents.includes(e.reason)) o.warningEvents.push(e.reason);
    if (e.type === 'Warning') o.warningDetails.push({ reason: e.reason, message: e.message ?? e.note ?? '', at: e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp });
  }
  const status = await session.kubectl(['-n', ns, 'get', 'pod', pod.metadata.name, '--no-headers']);
  o.podStatus = status.code === 0 ? status.stdout.trim().split(/\s+/)[2] : undefined;
  o.waitingReason = st?.state?.waiting?.reason;
  o.waitingMessage = st?.state?.waiting?.message;
  if (term) o.lastTerminated = { reason: term.reason, exitCode: term.exitCode, message: term.message };
  return o;
}

async function capture(session: Session, ns: string, id: string, previousLog: string | undefined, status: string | undefined): Promise<boolean> {
  const { options, kubectl } = session;
  if (!options.capture) return false;
  const pods = await kubectl(['-n', ns, 'get', 'pods', '-o', 'json']);
  const events = await kubectl(['-n', ns, 'get', 'events', '-o', 'json']);
  if (pods.code !== 0 || events.code !== 0) return false;
  const dir = join(options.capture, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pods.json'), pods.stdout);
  writeFileSync(join(dir, 'events.json'), events.stdout);
  writeFileSync(join(dir, 'previous.log'), previousLog ?? '');
  writeFileSync(join(dir, 'status.txt'), `${status ?? ''}\n`);
  return true;
}

/** One scenario being proved: what every step reads. */
interface Proof {
  session: Session;
  target: ProveTarget;
  row: ProveRow;
  id: string;
  ns: string;
}

/** What the signature poll saw, for its checks. */
interface SignatureSeen {
  firstSymptom?: { seconds: number; what: string };
  captured: boolean;
  satisfied: Record<string, boolean>;
  last?: Observation;
  lastPrev?: string;
  cliMatched: boolean;
  cliLast: unknown;
  brokenPod?: string;
  kubectlSeconds?: number;
}

async function proveOne(session: Session, target: ProveTarget, row: ProveRow): Promise<void> {
  const id = target.scenario.id;
  const proof: Proof = { session, target, row, id, ns: `crashlab-${id}` };
  let tPhase = Date.now();
  const phaseDone = (name: string) => {
    row.phases[name] = Math.round((Date.now() - tPhase) / 1000);
    session.log(`${id}: ${name} done in ${row.phases[name]}s`);
    tPhase = Date.now();
  };

  // A clean slate: what an earlier, interrupted run left (nothing to do, and no wait, usually).
  if ((await session.kubectl(['get', 'ns', proof.ns, '-o', 'name'])).code === 0) {
    await session.crashlab(['reset', id]);
    await waitNamespaceGone(session, proof.ns, 90);
  }
  phaseDone('reset');

  // 1. start
  const st = await session.crashlab(['start', id], { timeout: 300_000 });
  if (!session.check(id, 'start', st.code === 0, st.code === 0 ? `${st.ms} ms` : `exit ${st.code}: ${short(st.stderr || st.stdout)}`)) {
    row.observed = `start failed: ${short(st.stderr || st.stdout, 200)}`;
    return;
  }

  // 2. the broken signature, observed with kubectl and via `crashlab status --json`
  const seen = await watchSignature(proof);
  checkSignature(proof, seen, st);
  phaseDone('signature');

  // 3. the routine against the broken pod, 4. diagnose: independent reads, run side by side.
  await routineAndDiagnose(proof, seen.brokenPod);
  phaseDone('routine+diagnose');

  // 5. verify on the broken workload fails with evidence
  await verifyBroken(proof);
  phaseDone('verify-broken');

  // 6. every shipped not-quite-fix must fail verify, naming the guard when it breaks one; when
  // none breaks a guard, the solution with its first guard undone must fail naming that guard.
  await verifyNotQuiteFixes(proof);
  phaseDone('not-quite-fix');

  // 7. solve -> verify passes
  await solveAndVerify(proof);
  phaseDone('solve+verify');

  // 8. reset removes what crashlab created, and only that. The namespace takes ~10 s to go
  // (its pods' grace periods): reset runs in the background while this worker proves the
  // next scenario (another namespace), and every check is in before prove ends.
  session.pending.push(resetInBackground(proof));
}

/** Polls kubectl and `crashlab status --json` until the expected signature is seen (or its bound passes). */
async function watchSignature({ session, target, id, ns }: Proof): Promise<SignatureSeen> {
  const { options, kubectl, crashlab } = session;
  const expect = target.scenario.expect;
  const container = expect.container;
  const workloadName = target.scenario.workload.name;
  const t0 = Date.now();
  const seen: SignatureSeen = { captured: false, satisfied: {}, cliMatched: false, cliLast: undefined };
  const bound = (parseDuration(expect.within) + 30) * 1000;
  while (Date.now() - t0 < bound) {
    const pods = await workloadPods(session, ns);
    const pod = pods.find((p) => p.metadata.labels?.app === workloadName || p.metadata.name.startsWith(`${workloadName}-`)) ?? pods[0];
    if (pod) {
      seen.brokenPod = pod.metadata.name;
      const last = (seen.last = await observe(session, ns, pod, container));
      const sym = seen.firstSymptom ? undefined : symptomOf(last);
      const born = Date.parse(pod.metadata.creationTimestamp) || t0;
      if (sym) seen.firstSymptom = { seconds: Math.max(0, Math.round((symptomAt(pod, last, Date.now()) - born) / 1000)), what: sym };
      if (expect.previousLog) {
        const pl = await kubectl(['-n', ns, 'logs', pod.metadata.name, '-c', container, '--previous', '--tail', '50']);
        seen.lastPrev = pl.code === 0 ? pl.stdout : seen.lastPrev;
      }
      const current = fieldChecks(expect, last, seen.lastPrev);
      for (const [k, v] of Object.entries(current)) if (v) seen.satisfied[k] = true;
      if (options.capture && !seen.captured && Object.values(current).every(Boolean)) seen.captured = await capture(session, ns, id, seen.lastPrev, last.podStatus);
      if (seen.kubectlSeconds === undefined && Object.keys(current).every((k) => seen.satisfied[k])) seen.kubectlSeconds = Math.round((Date.now() - t0) / 1000);
    }
    if (!seen.cliMatched) {
      const cs = await crashlab(['status', id, '--json']);
      const j = parseJson(cs.stdout);
      seen.cliLast = j ?? short(cs.stderr || cs.stdout, 200);
      const m = j ? deepFind(j, (k, v) => /^match(es|ed)?(Expected)?$/i.test(k) && typeof v === 'boolean') : undefined;
      if (m === true) seen.cliMatched = true;
    }
    const needed = seen.last ? Object.keys(fieldChecks(expect, seen.last, seen.lastPrev)) : ['pod'];
    if (needed.every((k) => seen.satisfied[k]) && seen.cliMatched && (!options.capture || seen.captured)) break;
    // Fast polls until the first symptom, so its time is measured to about a second.
    await sleep(seen.firstSymptom ? 3000 : 1000);
  }
  return seen;
}

function checkSignature({ session, target, row, id }: Proof, seen: SignatureSeen, st: Ran): void {
  const { options, check } = session;
  const expect = target.scenario.expect;
  const within = parseDuration(expect.within);
  const firstSymptomBound = parseDuration(expect.firstSymptomWithin ?? 30);
  const { last, lastPrev, kubectlSeconds, firstSymptom, cliMatched } = seen;
  const needed = last ? Object.keys(fieldChecks(expect, last, lastPrev)) : ['pod exists'];
  const missing = needed.filter((k) => !seen.satisfied[k]);
  row.observed = last ? describeObserved(last, lastPrev) : 'no pod';
  row.events = last?.eventLines ?? [];
  row.secondsToSignature = kubectlSeconds;
  const inTime = kubectlSeconds !== undefined && kubectlSeconds <= within + 10;
  check(
    id,
    `breaks as expected within ${within}s (kubectl)`,
    missing.length === 0 && inTime,
    missing.length ? `missing ${missing.join(', ')}; observed: ${row.observed}` : `all fields seen after ${kubectlSeconds}s (bound ${within}s + 10s polling slack); last snapshot: ${row.observed}`,
  );
  check(id, 'crashlab status --json reports the expected signature', cliMatched, cliMatched ? '' : `last status output: ${short(JSON.stringify(seen.cliLast), 400)}`);
  row.firstSymptom = firstSymptom;
  if (options.capture) session.log(`${id}: ${seen.captured ? `snapshot written to ${join(options.capture, id)}` : 'no single snapshot matched every field: nothing captured'}`);
  row.startSeconds = Math.round(st.ms / 1000);
  check(
    id,
    `first symptom within ${firstSymptomBound}s of the pod's creation`,
    Boolean(firstSymptom) && firstSymptom!.seconds <= firstSymptomBound + 2,
    firstSymptom ? `${firstSymptom.what} after ${firstSymptom.seconds}s (declared ${firstSymptomBound}s, +2s slack; crashlab start itself took ${row.startSeconds}s)` : 'no symptom seen',
  );
}

async function routineAndDiagnose({ session, target, row, id, ns }: Proof, brokenPod: string | undefined): Promise<void> {
  const { crashlab, check } = session;
  const [ro, dg] = await Promise.all([
    crashlab(['routine', id, '--run'], { timeout: 180_000 }),
    brokenPod ? crashlab(['diagnose', brokenPod, '-n', ns, '--json']) : Promise.resolve(undefined),
  ]);
  const routineOk = ro.code === 0 && brokenPod !== undefined && ro.stdout.includes(brokenPod) && ro.stdout.length > 400;
  row.routine = `${ro.code === 0 ? 'ok' : `exit ${ro.code}`}, ${ro.stdout.length} chars`;
  check(id, 'routine --run prints real kubectl output for the broken pod', routineOk, routineOk ? `${ro.stdout.length} chars in ${ro.ms} ms` : `exit ${ro.code}; stdout ${short(ro.stdout, 200)}; stderr ${short(ro.stderr, 200)}`);
  if (dg) {
    const j = parseJson(dg.stdout);
    const cats = ((j?.findings ?? []) as Json[]).map((f) => f.category);
    row.diagnosed = cats.join(', ') || `(none; exit ${dg.code})`;
    check(id, `diagnose names category ${target.scenario.category}`, cats.includes(target.scenario.category), `findings: ${row.diagnosed}${j ? '' : `; output ${short(dg.stdout || dg.stderr, 200)}`}`);
  } else {
    check(id, 'diagnose', false, 'no pod to diagnose');
  }
}

async function verifyBroken({ session, target, row, id }: Proof): Promise<void> {
  const { crashlab, check } = session;
  const vb = await crashlab(['verify', id, '--json'], { timeout: 600_000 });
  const vbj = parseJson(vb.stdout);
  const vbEvidence = vbj ? deepFind(vbj, (k, v) => k === 'evidence' && Array.isArray(v) && v.length > 0) : undefined;
  row.verifyBroken = `exit ${vb.code}, ${vbj?.result ?? vbj?.verdict ?? '?'} (rule ${vbj?.rule ?? '?'}) in ${Math.round(vb.ms / 1000)}s`;
  row.verifyBrokenSummary = vbj?.summary?.en;
  check(id, 'verify fails on the broken workload (exit 1, evidence)', vb.code === 1 && Boolean(vbEvidence), `exit ${vb.code} in ${vb.ms} ms; verdict ${vbj?.result ?? vbj?.verdict} rule ${vbj?.rule}; evidence ${short(JSON.stringify(vbEvidence ?? vbj ?? vb.stderr), 300)}`);
  // A scenario that heals by itself: the live object, with the API server's defaults, must read
  // as unchanged, so waiting passes nobody even once the pods are healthy.
  if (target.scenario.verify.requireChange) {
    check(id, 'verify fails the untouched workload with "nothing was changed" (verify.requireChange)', vbj?.rule === 'unchanged', `rule ${vbj?.rule ?? '?'}; ${short(vbj?.summary?.en ?? (vb.stdout || vb.stderr), 300)}`);
  }
}

async function verifyNotQuiteFixes({ session, target, row, id, ns }: Proof): Promise<void> {
  const { crashlab, kubectl, check } = session;
  const s = target.scenario;
  // The image variant start chose for this cluster's nodes (core/arch.ts), so a wrong fix keeps the foreign image there too.
  let images: Record<string, string> = {};
  if (s.foreignArch) {
    const nodes = await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[*].status.nodeInfo.architecture}']);
    const choice = chooseForeignArch(s.foreignArch, parseNodeArchitectures(nodes.stdout));
    if (choice.ok) images = foreignArchImages(s.foreignArch, choice.image);
  }
  const attempts = notQuiteAttempts(s, target.solution, target.notQuiteFixes, images);
  if (!attempts.length) check(id, 'a not-quite-fix exists', false, 'no not-quite-fix.yaml and no guard to violate');
  row.notQuite = '';
  for (const a of attempts) {
    const ap = await replaceObjects(session, ns, a.objects);
    if (!check(id, `apply not-quite-fix (${a.what})`, ap.code === 0, short(ap.stderr || ap.stdout))) continue;
    const vn = await crashlab(['verify', id, '--json'], { timeout: 600_000 });
    const vnj = parseJson(vn.stdout);
    const gf = ((vnj?.guardResults ?? []) as Json[]).filter((g) => g.ok === false);
    const gtext = gf.map((g) => g.label ?? g.guard?.kind).join('; ');
    const wantGuard = a.broken.length > 0;
    const guardNamed = gf.length > 0 || vnj?.rule === 'guard';
    row.notQuite += `${row.notQuite ? '<br>' : ''}${a.what}: exit ${vn.code}, ${vnj?.result ?? '?'} (rule ${vnj?.rule ?? '?'})${gtext ? `, guard: ${gtext}` : ''}, ${Math.round(vn.ms / 1000)}s`;
    row.notQuiteSummary = `${row.notQuiteSummary ? `${row.notQuiteSummary} / ` : ''}${vnj?.summary?.en}`;
    check(
      id,
      wantGuard ? `verify fails on ${a.what} and names the guard (${a.broken.map((g) => g.kind).join(', ')})` : `verify fails on ${a.what} (breaks no guard: fails by behaviour)`,
      vn.code === 1 && (!wantGuard || guardNamed),
      `exit ${vn.code} in ${vn.ms} ms; rule ${vnj?.rule}; failed guards: ${gtext || '(none)'}; summary: ${short(vnj?.summary?.en, 300)}`,
    );
  }
}

/**
 * `kubectl replace` (create when missing), like `kubectl edit`: a client-side apply cannot
 * remove a field from objects crashlab created with server-side apply. The last failure, if any.
 */
async function replaceObjects(session: Session, ns: string, objects: K8sObject[]): Promise<Ran> {
  const { kubectl } = session;
  let ap: Ran = { code: 0, stderr: '', stdout: '', ms: 0 };
  for (const d0 of objects) {
    const d = structuredClone(d0) as Json;
    const live = parseJson((await kubectl(['-n', ns, 'get', d.kind, d.metadata?.name, '-o', 'json'])).stdout);
    if (live) {
      d.metadata = { ...d.metadata, labels: { ...(live.metadata?.labels ?? {}), ...(d.metadata?.labels ?? {}) } };
      if (d.kind !== 'Job' && d.spec?.template && live.spec?.template?.metadata?.labels) {
        d.spec.selector = live.spec.selector;
        d.spec.template.metadata = { ...(d.spec.template.metadata ?? {}), labels: { ...live.spec.template.metadata.labels, ...(d.spec.template.metadata?.labels ?? {}) } };
      }
    }
    const input = JSON.stringify(d);
    // A Job's pod template is immutable: replace means delete and create (--force).
    let r = await kubectl(['-n', ns, 'replace', ...(d.kind === 'Job' ? ['--force'] : []), '-f', '-'], { input });
    if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) r = await kubectl(['-n', ns, 'create', '-f', '-'], { input });
    if (r.code !== 0) ap = r;
  }
  return ap;
}

async function solveAndVerify({ session, row, id }: Proof): Promise<void> {
  const { crashlab, check } = session;
  const so = await crashlab(['solve', id], { timeout: 300_000 });
  if (!check(id, 'solve', so.code === 0, so.code === 0 ? `${so.ms} ms` : `exit ${so.code}: ${short(so.stderr || so.stdout)}`)) return;
  const vf = await crashlab(['verify', id, '--json'], { timeout: 900_000 });
  const vfj = parseJson(vf.stdout);
  const window = vfj?.windowSeconds ?? (vfj ? deepFind(vfj, (k, v) => /window/i.test(k) && typeof v === 'number') : undefined);
  row.verifyFixed = `exit ${vf.code}, ${vfj?.result ?? vfj?.verdict ?? '?'}, verify took ${Math.round(vf.ms / 1000)}s, window ${window ?? '?'}s`;
  row.verifyFixedSeconds = Math.round(vf.ms / 1000);
  if (typeof window === 'number') row.windowSeconds = window;
  row.verifyFixedSummary = vfj?.summary?.en;
  check(id, 'verify passes after solve', vf.code === 0, `exit ${vf.code} in ${vf.ms} ms, window ${window}s; ${short(vfj?.summary?.en ?? (vf.stdout || vf.stderr), 400)}`);
}

async function resetInBackground({ session, row, id, ns }: Proof): Promise<void> {
  const { options, crashlab, kubectl, check } = session;
  const t = Date.now();
  const rs = await crashlab(['reset', id], { timeout: 300_000 });
  const gone = await waitNamespaceGone(session, ns, 120);
  let bystander = '';
  let bystanderKept = true;
  if (options.bystander) {
    const by = await kubectl(['get', 'ns', options.bystander, '-o', 'name']);
    const byCm = await kubectl(['-n', options.bystander, 'get', 'configmap', 'keep-me', '-o', 'name']);
    bystanderKept = by.code === 0 && byCm.code === 0;
    bystander = `, bystander ${bystanderKept ? 'kept' : 'LOST'}`;
  }
  row.phases['reset (background)'] = Math.round((Date.now() - t) / 1000);
  row.reset = `${rs.code === 0 ? 'ok' : `exit ${rs.code}`}, ${gone ? `namespace gone after ${row.phases['reset (background)']}s` : 'namespace REMAINS'}${bystander}`;
  check(id, 'reset removes the scenario namespace', rs.code === 0 && gone, row.reset);
  if (options.bystander) check(id, 'reset keeps a namespace crashlab did not create', bystanderKept, row.reset);
}

export async function prove(targets: ProveTarget[], options: ProverOptions): Promise<ProveResult> {
  const started = Date.now();
  const config = mkdtempSync(join(tmpdir(), 'crashlab-prove-'));
  const env: NodeJS.ProcessEnv = { ...options.env, XDG_CONFIG_HOME: config, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : {}) };
  const session = openSession(options, env);
  const { checks, check, log } = session;
  try {
    const ver = await session.kubectl(['version', '-o', 'json']);
    const vj = parseJson(ver.stdout);
    const versions = vj ? `kubectl ${vj.clientVersion?.gitVersion}, server ${vj.serverVersion?.gitVersion}` : 'unknown';
    if (!check('cluster', `reachable via context ${options.context}`, ver.code === 0 && Boolean(vj?.serverVersion), ver.code === 0 ? versions : short(ver.stderr))) {
      return { rows: [], checks, versions, seconds: Math.round((Date.now() - started) / 1000) };
    }
    const rows: ProveRow[] = [];
    // Longest first (an estimate from each scenario's bounds): a long one started last would
    // leave the other workers idle at the end.
    const queue = [...targets].sort((a, b) => estimateSeconds(b.scenario) - estimateSeconds(a.scenario));
    let next = 0;
    const worker = async () => {
      while (next < queue.length && !options.signal?.aborted) {
        const target = queue[next++];
        const s = target.scenario;
        const row: ProveRow = { id: s.id, ...(target.pack ? { pack: target.pack } : {}), expected: describeExpected(s.expect), observed: '', category: s.category, diagnosed: '', verifyBroken: '', notQuite: '', verifyFixed: '', reset: '', phases: {} };
        rows.push(row);
        const ts0 = Date.now();
        log(`=== scenario ${s.id}`);
        try {
          await proveOne(session, target, row);
        } catch (error) {
          check(s.id, 'prove step threw', false, (error as Error)?.stack ?? String(error));
        }
        row.seconds = Math.round((Date.now() - ts0) / 1000);
        log(`=== scenario ${s.id} took ${row.seconds}s (${Object.entries(row.phases).map(([k, v]) => `${k} ${v}s`).join(', ')})`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, targets.length)) }, worker));
    await Promise.all(session.pending);
    const order = new Map(targets.map((t, i) => [t.scenario.id, i]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return { rows, checks, versions, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}
