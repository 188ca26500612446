#!/usr/bin/env node
/**
 * The verifier against workloads of its own (not the scenarios), on the running test cluster:
 * each case deploys something in a `vx-` namespace, runs `crashlab verify --workload ...` and
 * checks the verdict, its rule and evidence, and its time. The targets (a pass within 1.1 ×
 * (time to Ready + W), a fail within 2 s of its first evidence: a termination's finishedAt, a
 * Job pod's failure, the moment a pod went unready...) are measured and printed in the table, a
 * benchmark; the pass/fail checks use looser bounds (ratio ≤ 1.3, lag ≤ 15 s) that still catch
 * what matters — a verdict that waits for a second crash, a re-read cycle or a rollout timeout —
 * without failing CI because 16 concurrent cases starve kubectl on 2 cores.
 * Cases run concurrently. Prints a table of verdict times and ratios and a final
 * `N passed, N failed` line; exits 1 on any failure. Namespaces are deleted at the end.
 *
 *   node test/cluster/verify-suite.mjs [--only a,b] [--keep] [--json FILE]
 * Needs `make build` first (it runs bin/crashlab.js and reuses dist/core/manifest.js).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { CACHE, CONTEXT, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

const args = process.argv.slice(2);
const argValue = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const ONLY = argValue('--only')?.split(',').filter(Boolean);
const KEEP = args.includes('--keep');
const JSON_OUT = argValue('--json');
const env = { ...process.env, KUBECONFIG, XDG_CONFIG_HOME: join(CACHE, 'vx-config'), CI: '1', NO_COLOR: '1', PATH: `${join(CACHE, 'bin')}:${process.env.PATH}` };
const { prepareForDeploy } = await import(join(ROOT, 'dist', 'core', 'manifest.js'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ts = () => new Date().toISOString().slice(11, 19);
const log = (...a) => console.log(`[${ts()}]`, ...a);

/** Runs a command without blocking the other cases. */
function run(cmd, argv, { input, timeout = 300_000, onStdout } = {}) {
  return new Promise((resolvePromise) => {
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdout.on('data', (c) => {
      stdout += c;
      onStdout?.(stdout);
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr, startMs: t0, endMs: Date.now(), ms: Date.now() - t0 });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}
const kubectl = (argv, opts) => run(KUBECTL, ['--context', CONTEXT, ...argv], opts);
const verify = (ns, workload, opts) => run('node', ['bin/crashlab.js', '--context', CONTEXT, '--yes', 'verify', '--workload', workload, '-n', ns, ...(opts?.args ?? []), ...(opts?.text ? [] : ['--json'])], opts);
const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
async function getJson(ns, what) {
  const r = await kubectl(['-n', ns, 'get', ...what, '-o', 'json']);
  return r.code === 0 ? parse(r.stdout) : undefined;
}
/** Polls until `test` returns truthy (preparation only, never the thing under test). */
async function until(what, test, timeoutMs = 90_000) {
  const t0 = Date.now();
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}
async function apply(ns, objects) {
  const r = await kubectl(['apply', '--server-side', '--field-manager=crashlab', '--force-conflicts', '-n', ns, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
  if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr.trim()}`);
  return r;
}
/** The old version is Running again after its first crash (not waiting in back-off): its pod lingers when deleted. */
const runningAfterACrash = (ns, app) => async () =>
  (await getJson(ns, ['pods', '-l', `app=${app}`]))?.items?.some((p) => {
    const s = p.status?.containerStatuses?.[0];
    return s?.restartCount >= 1 && s.state?.running && Date.now() - Date.parse(s.state.running.startedAt) < 15_000;
  });
const ms = (iso) => (iso ? Date.parse(iso) : undefined);

// ------------------------------------------------------------------ workloads

const GRACE = 1; // busybox sh as PID 1 ignores SIGTERM: keep deletions short
const busybox = (name, script, extra = {}) => ({ name, image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra });
// Generous timeouts: on a loaded 2-core machine an exec probe can take seconds, which is no failure of the workload.
const probe = (cmd, extra = {}) => ({ exec: { command: ['sh', '-c', cmd] }, periodSeconds: 2, failureThreshold: 3, timeoutSeconds: 10, ...extra });

function deployment(name, spec, { replicas = 1, version = '1' } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: withVersion({ terminationGracePeriodSeconds: GRACE, ...spec }, version) } },
  };
}
function statefulSet(name, spec, { replicas = 2, version = '1' } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels: { app: name } },
    spec: { replicas, serviceName: name, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: withVersion({ terminationGracePeriodSeconds: GRACE, ...spec }, version) } },
  };
}
function daemonSet(name, spec, { version = '1' } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, labels: { app: name } },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: withVersion({ terminationGracePeriodSeconds: GRACE, tolerations: [{ operator: 'Exists' }], ...spec }, version) } },
  };
}
function job(name, spec, { backoffLimit = 2 } = {}) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { app: name } },
    spec: { backoffLimit, template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: GRACE, ...spec } } },
  };
}
/** A changed env var: a new revision with the same behaviour (the "fix" that changes nothing that matters). */
function withVersion(spec, version) {
  return { ...spec, containers: spec.containers.map((c, i) => (i === 0 ? { ...c, env: [...(c.env ?? []), { name: 'VERSION', value: version }] } : c)) };
}

const sleeper = () => busybox('app', 'echo up; exec sleep 3600');

// ------------------------------------------------------------------ checks

/** When verify decided, by its own clock: startedAt + elapsed (node's start-up is not verify's). */
const verdictAt = (v) => (ms(v.startedAt) ?? 0) + v.elapsedSeconds * 1000;

/** A pass: verdict time against (time to Ready + W), both measured from verify's start. */
// Sanity bounds for the checks; the targets are reported, not asserted (see the header).
const PASS_RATIO_BOUND = 1.3;
const FAIL_LAG_BOUND = 15;

function passTiming(c, v) {
  const windowStart = ms(v.windowStartedAt);
  const started = ms(v.startedAt);
  const toReady = windowStart !== undefined && started !== undefined ? (windowStart - started) / 1000 : undefined;
  const ratio = toReady !== undefined ? v.elapsedSeconds / (toReady + v.windowSeconds) : undefined;
  c.timing = { kind: 'pass', wall: v.elapsedSeconds, toReady, windowSeconds: v.windowSeconds, ratio };
  return ratio !== undefined && ratio <= PASS_RATIO_BOUND;
}

/**
 * A fail: how long after the first evidence the verdict came (Kubernetes timestamps have
 * whole seconds). Evidence from before verify began counts from verify's start.
 */
function failTiming(c, v, evidenceAtMs) {
  const from = evidenceAtMs !== undefined ? Math.max(evidenceAtMs, ms(v.startedAt) ?? 0) : undefined;
  const lag = from !== undefined ? (verdictAt(v) - from) / 1000 : undefined;
  c.timing = { kind: 'fail', wall: v.elapsedSeconds, lag, evidenceAt: evidenceAtMs ? new Date(evidenceAtMs).toISOString() : undefined };
  return lag !== undefined && lag <= FAIL_LAG_BOUND;
}

const evidenceAt = (v) => ms(v.evidence.find((e) => e.at)?.at);

// ------------------------------------------------------------------ cases

const cases = [
  {
    id: 'learned-crash',
    what: 'a "fix" that only changes an env var of a Deployment that crashes after ~30 s of running fails: W is learned from the previous version',
    async run(ns) {
      // A long grace period: the old pod lingers while terminating (its sh ignores SIGTERM), as in real
      // life, long enough for verify's first look even on a loaded machine.
      const crashing = (version) => deployment('flaky', { containers: [busybox('app', 'echo up; sleep 30; echo dying; exit 1')], terminationGracePeriodSeconds: 45 }, { version });
      await apply(ns, [crashing('1')]);
      await until('running again after the first crash', runningAfterACrash(ns, 'flaky'), 120_000);
      await apply(ns, [crashing('2')]);
      const r = await verify(ns, 'deploy/flaky');
      const v = parse(r.stdout);
      return [
        ['fails (exit 1) by a restart or termination of the new pod', r.code === 1 && ['restart', 'termination'].includes(v?.rule), `exit ${r.code}, rule ${v?.rule}: ${v?.summary?.en}`],
        ['W names the previous version\'s lifetime (a 15 s W would have passed)', v?.windowReasons?.some((x) => /^the previous version crashed after (29|30|31|32) s of running/.test(x.en)) && v.windowSeconds >= 39, `W ${v?.windowSeconds}: ${v?.windowReasons?.map((x) => x.en).join(' | ')}`],
        [`fail soon after the termination (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, evidenceAt(v)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'learned-fix',
    what: 'the real fix of the same workload passes after the learned W',
    async run(ns) {
      await apply(ns, [deployment('flaky', { containers: [busybox('app', 'echo up; sleep 30; echo dying; exit 1')], terminationGracePeriodSeconds: 45 })]);
      await until('running again after the first crash', runningAfterACrash(ns, 'flaky'), 120_000);
      await apply(ns, [deployment('flaky', { containers: [sleeper()], terminationGracePeriodSeconds: 45 }, { version: '2' })]);
      const r = await verify(ns, 'deploy/flaky');
      const v = parse(r.stdout);
      return [
        ['passes', r.code === 0 && v?.result === 'pass', `exit ${r.code}: ${v?.summary?.en ?? r.stderr}`],
        ['W learned from the previous version (≥ its ~30 s + margin)', v?.windowSeconds >= 39 && v.windowReasons.some((x) => x.en.startsWith('the previous version crashed after')), `W ${v?.windowSeconds}`],
        [`pass within ${PASS_RATIO_BOUND} × (time to Ready + W) (target 1.1)`, v && passTiming(this, v), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'never-ready',
    what: 'a container that runs but whose readiness never passes gets a bounded verdict, with progress lines on the way',
    async run(ns) {
      // Budget: readiness 0 + 30 × 1 + 10 (timeout) + margin 10 = 50 s.
      await apply(ns, [deployment('stuck', { containers: [{ ...sleeper(), readinessProbe: probe('exit 1', { periodSeconds: 30, failureThreshold: 1 }) }] })]);
      const [r, text] = await Promise.all([verify(ns, 'deploy/stuck'), verify(ns, 'deploy/stuck', { text: true })]);
      const v = parse(r.stdout);
      const e = v?.evidence?.[0];
      const budgetEnd = ms(e?.at) !== undefined ? ms(e.at) + 50_000 : undefined;
      return [
        ['fails (exit 1) on readiness, after the budget', r.code === 1 && v?.rule === 'ready' && /runs but has not been Ready for \d+ s, longer than its readiness budget of 50 s/.test(v.summary.en), `${v?.rule}: ${v?.summary?.en}`],
        ['progress said how long and what the probe answered', /not Ready for \d+ s: Readiness probe (failed|errored)/.test(text.stdout) || /not Ready for \d+ s/.test(text.stdout), text.stdout.split('\n').filter((l) => /not Ready for/.test(l)).slice(-1)[0] ?? text.stdout.slice(0, 300)],
        [`the verdict came soon after the budget ran out (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, budgetEnd), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'startup-kill',
    what: 'a startup probe that can never pass: the first kill fails verify (not the second)',
    async run(ns) {
      // Killed after 20 × 3 = 60 s (long enough for verify's first look on a loaded machine).
      await apply(ns, [deployment('slow', { containers: [{ ...sleeper(), startupProbe: probe('exit 1', { periodSeconds: 20, failureThreshold: 3 }) }] })]);
      const r = await verify(ns, 'deploy/slow');
      const v = parse(r.stdout);
      const first = v?.evidence?.[0];
      return [
        ['fails on the first restart', r.code === 1 && ['restart', 'termination'].includes(v?.rule) && (first?.restarts?.now ?? 1) === 1, `rule ${v?.rule}, restarts ${JSON.stringify(first?.restarts)}: ${v?.summary?.en}`],
        [`fail soon after the termination (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, evidenceAt(v)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'sidecar',
    what: 'a native sidecar (init container, restartPolicy Always) that restarts fails verify like a main container',
    async run(ns) {
      await apply(ns, [deployment('mesh', { initContainers: [busybox('proxy', 'sleep 45; exit 1', { restartPolicy: 'Always' })], containers: [sleeper()] })]);
      const r = await verify(ns, 'deploy/mesh', { args: ['--window', '90s'] });
      const v = parse(r.stdout);
      return [
        ['fails on the sidecar', r.code === 1 && v?.evidence?.[0]?.container === 'proxy' && ['restart', 'termination'].includes(v?.rule), `rule ${v?.rule}, container ${v?.evidence?.[0]?.container}: ${v?.summary?.en}`],
        [`fail soon after the termination (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, evidenceAt(v)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'flap',
    what: 'readiness that drops out during W fails with the unready time',
    async run(ns) {
      const script = 'touch /tmp/ready; sleep 60; rm /tmp/ready; sleep 8; touch /tmp/ready; exec sleep 3600';
      await apply(ns, [deployment('flappy', { containers: [{ ...busybox('app', script), readinessProbe: probe('test -f /tmp/ready', { periodSeconds: 1, failureThreshold: 1 }) }] })]);
      const r = await verify(ns, 'deploy/flappy', { args: ['--window', '90s'] });
      const v = parse(r.stdout);
      const e = v?.evidence?.find((x) => x.rule === 'ready' || x.event?.reason === 'Unhealthy');
      return [
        ['fails on lost readiness inside the window', r.code === 1 && ['ready', 'event'].includes(v?.rule) && Boolean(v?.windowStartedAt), `rule ${v?.rule}: ${v?.summary?.en}`],
        ['says for how long or since when', v?.rule !== 'ready' || /unready for \d+ s|Ready again at/.test(v.summary.en), v?.summary?.en],
        [`fail soon after losing readiness (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, ms(e?.at)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'sts-update',
    what: 'a StatefulSet rolling update (ordered, currentRevision = updateRevision) passes',
    async run(ns) {
      const spec = () => ({ containers: [{ ...sleeper(), readinessProbe: probe('true') }] });
      await apply(ns, [statefulSet('db', spec())]);
      await until('db ready', async () => (await getJson(ns, ['statefulset', 'db']))?.status?.readyReplicas === 2);
      await apply(ns, [statefulSet('db', spec(), { version: '2' })]);
      const r = await verify(ns, 'sts/db');
      const v = parse(r.stdout);
      const sts = await getJson(ns, ['statefulset', 'db']);
      return [
        ['passes', r.code === 0 && v?.result === 'pass', `exit ${r.code}: ${v?.summary?.en ?? r.stderr}`],
        ['after the rolling update finished', sts?.status?.currentRevision === sts?.status?.updateRevision && v?.pods?.length === 2, `${sts?.status?.currentRevision} / ${sts?.status?.updateRevision}, pods ${v?.pods?.map((p) => p.pod).join(',')}`],
        [`pass within ${PASS_RATIO_BOUND} × (time to Ready + W) (target 1.1)`, v && passTiming(this, v), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'sts-crash',
    what: 'a StatefulSet update whose new pods crash fails at the first restart',
    async run(ns) {
      await apply(ns, [statefulSet('db', { containers: [{ ...sleeper(), readinessProbe: probe('true') }] })]);
      await until('db ready', async () => (await getJson(ns, ['statefulset', 'db']))?.status?.readyReplicas === 2);
      // The new version crashes before its first readiness probe: db-1 is never Ready, so the
      // controller never moves on to db-0 (with the probe passing at once, db-1 was Ready for a
      // moment, db-0 got the new version too and sometimes crashed first).
      await apply(ns, [statefulSet('db', { containers: [{ ...busybox('app', 'sleep 3; exit 1'), readinessProbe: probe('true', { initialDelaySeconds: 30 }) }] }, { version: '2' })]);
      const r = await verify(ns, 'sts/db');
      const v = parse(r.stdout);
      return [
        ['fails on db-1 (the highest ordinal is updated first)', r.code === 1 && v?.evidence?.[0]?.pod === 'db-1', `rule ${v?.rule}: ${v?.summary?.en}`],
        [`fail soon after the termination (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, evidenceAt(v)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'ds-update',
    what: 'a DaemonSet update passes once desired = updated = ready',
    async run(ns) {
      const spec = () => ({ containers: [{ ...sleeper(), readinessProbe: probe('true') }] });
      await apply(ns, [daemonSet('agent', spec())]);
      await until('agent ready', async () => {
        const s = (await getJson(ns, ['daemonset', 'agent']))?.status;
        return s && s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled;
      });
      await apply(ns, [daemonSet('agent', spec(), { version: '2' })]);
      const r = await verify(ns, 'ds/agent');
      const v = parse(r.stdout);
      return [
        ['passes', r.code === 0 && v?.result === 'pass', `exit ${r.code}: ${v?.summary?.en ?? r.stderr}`],
        [`pass within ${PASS_RATIO_BOUND} × (time to Ready + W) (target 1.1)`, v && passTiming(this, v), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'job-complete',
    what: 'a Job that completes passes when Complete',
    async run(ns) {
      await apply(ns, [job('migrate', { containers: [busybox('migrate', 'echo migrating; sleep 4; echo done')] })]);
      const r = await verify(ns, 'job/migrate');
      const v = parse(r.stdout);
      const j = await getJson(ns, ['job', 'migrate']);
      const done = ms(j?.status?.completionTime);
      const lag = done && v ? (verdictAt(v) - Math.max(done, ms(v.startedAt) ?? 0)) / 1000 : undefined;
      this.timing = { kind: 'pass', wall: r.ms / 1000, lag, windowSeconds: 0 };
      return [
        ['passes', r.code === 0 && v?.result === 'pass' && /complete/.test(v.summary.en), `exit ${r.code}: ${v?.summary?.en ?? r.stderr}`],
        [`soon after completionTime (target 2 s, bound ${FAIL_LAG_BOUND} s)`, lag !== undefined && lag <= FAIL_LAG_BOUND, JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'job-fail',
    what: 'a Job whose pod fails is a fail at the first failed pod (before BackoffLimitExceeded)',
    async run(ns) {
      await apply(ns, [job('migrate', { containers: [busybox('migrate', 'echo "cannot reach the database"; sleep 2; exit 3')] })]);
      const r = await verify(ns, 'job/migrate');
      const v = parse(r.stdout);
      return [
        ['fails with the pod\'s exit code', r.code === 1 && v?.evidence?.some((e) => e.exitCode === 3), `rule ${v?.rule}: ${v?.summary?.en}`],
        [`fail soon after the termination (target 2 s, bound ${FAIL_LAG_BOUND} s)`, v && failTiming(this, v, evidenceAt(v)), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'undo',
    what: 'kubectl rollout undo of a bad rollout is a fix that passes',
    async run(ns) {
      await apply(ns, [deployment('web', { containers: [{ ...sleeper(), readinessProbe: probe('true') }] })]);
      await until('v1 ready', async () => (await getJson(ns, ['deployment', 'web']))?.status?.readyReplicas === 1);
      await apply(ns, [deployment('web', { containers: [{ ...busybox('app', 'sleep 3; exit 1'), readinessProbe: probe('true') }] }, { version: '2' })]);
      await until('v2 crashing', async () => (await getJson(ns, ['pods', '-l', 'app=web']))?.items?.some((p) => p.status?.containerStatuses?.[0]?.restartCount >= 1));
      const u = await kubectl(['-n', ns, 'rollout', 'undo', 'deployment/web']);
      const r = await verify(ns, 'deploy/web');
      const v = parse(r.stdout);
      return [
        ['rollout undo worked', u.code === 0, u.stdout.trim() || u.stderr.trim()],
        ['passes', r.code === 0 && v?.result === 'pass', `exit ${r.code}: ${v?.summary?.en ?? r.stderr}`],
        [`pass within ${PASS_RATIO_BOUND} × (time to Ready + W) (target 1.1)`, v && passTiming(this, v), JSON.stringify(this.timing)],
      ];
    },
  },
  {
    id: 'second-rollout',
    what: 'a second rollout that begins after the window opened restarts the wait for the new pods (with a note), and passes',
    async run(ns) {
      const spec = () => ({ containers: [{ ...sleeper(), readinessProbe: probe('true') }] });
      await apply(ns, [deployment('api', spec())]);
      await until('v1 ready', async () => (await getJson(ns, ['deployment', 'api']))?.status?.readyReplicas === 1);
      await apply(ns, [deployment('api', spec(), { version: '2' })]);
      let changed;
      const r = await verify(ns, 'deploy/api', {
        text: true,
        onStdout: (out) => {
          // 2 s after the window opened, the learner applies another change.
          if (!changed && /watching: \d+ s of \d+ s left/.test(out)) changed = sleep(2000).then(() => apply(ns, [deployment('api', spec(), { version: '3' })]));
        },
      });
      await changed;
      this.timing = { kind: 'pass', wall: r.ms / 1000 };
      return [
        ['a change was applied inside the window', Boolean(changed), ''],
        ['passes', r.code === 0 && /^PASS/m.test(r.stdout), r.stdout.split('\n').find((l) => /^(PASS|FAIL)/.test(l)) ?? r.stdout.slice(-300)],
        ['with a note that the window restarted', /a second rollout began \d+ s into the stability window/.test(r.stdout), r.stdout.split('\n').find((l) => /second rollout/.test(l)) ?? '(no note)'],
      ];
    },
  },
  ...[1, 2, 3].map((n) => ({
    id: `replace-solve-${n}`,
    what: 'tight-liveness as the scenario suite does it: kubectl replace of the not-quite-fix, then solve, then verify must pass',
    async run(ns) {
      const load = (f) => yaml.loadAll(readFileSync(join(ROOT, f), 'utf8')).filter(Boolean);
      const prepared = (objects) => prepareForDeploy(objects, { namespace: ns, scenarioId: 'tight-liveness' }).filter((o) => o.kind !== 'Namespace');
      await apply(ns, prepared(load('scenarios/tight-liveness/manifest.yaml')));
      await until('crash-looping', async () => (await getJson(ns, ['pods']))?.items?.some((p) => p.status?.containerStatuses?.[0]?.restartCount >= 1), 120_000);
      // Like test/cluster/suite.mjs: replace, keeping the live labels (as kubectl edit would).
      const live = await getJson(ns, ['deployment', 'search-api']);
      for (const d0 of load('solutions/tight-liveness/not-quite-fix.yaml')) {
        const d = structuredClone(d0);
        d.metadata.labels = { ...(live.metadata.labels ?? {}), ...(d.metadata.labels ?? {}) };
        if (d.kind === 'Deployment') {
          d.spec.selector = live.spec.selector;
          d.spec.template.metadata = { ...(d.spec.template.metadata ?? {}), labels: { ...live.spec.template.metadata.labels, ...(d.spec.template.metadata?.labels ?? {}) } };
        }
        await kubectl(['-n', ns, 'replace', '-f', '-'], { input: yaml.dump(d) });
      }
      // The suite's verify of the not-quite-fix fails on its guard at once (about 1.5 s of CLI), then solve.
      await sleep(1500);
      await apply(ns, prepared(load('solutions/tight-liveness/manifest.yaml')));
      const r = await verify(ns, 'deploy/search-api');
      const v = parse(r.stdout);
      const rs = (await getJson(ns, ['replicasets']))?.items ?? [];
      this.detail = { replicaSets: rs.map((x) => `${x.metadata.name} rev ${x.metadata.annotations?.['deployment.kubernetes.io/revision']} replicas ${x.spec.replicas}`), notes: v?.notes?.map((x) => x.en) };
      return [
        ['passes', r.code === 0 && v?.result === 'pass', `exit ${r.code}, rule ${v?.rule}: ${v?.summary?.en ?? r.stderr}; notes ${JSON.stringify(v?.notes?.map((x) => x.en))}; RS ${this.detail.replicaSets.join('; ')}`],
        [`pass within ${PASS_RATIO_BOUND} × (time to Ready + W) (target 1.1)`, v && passTiming(this, v), JSON.stringify(this.timing)],
      ];
    },
  })),
];

// ------------------------------------------------------------------ main

const selected = cases.filter((c) => !ONLY || ONLY.includes(c.id));
let passed = 0;
let failed = 0;
const t0 = Date.now();
log(`verify suite: ${selected.length} case(s), context ${CONTEXT}, concurrently`);
await Promise.all(
  selected.map(async (c) => {
    const ns = `vx-${c.id}`;
    await kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true'], { timeout: 120_000 });
    const created = await kubectl(['create', 'namespace', ns]);
    if (created.code !== 0) {
      c.results = [['namespace', false, created.stderr]];
      return;
    }
    try {
      c.results = await c.run(ns);
    } catch (error) {
      c.results = [['ran', false, String(error?.stack ?? error)]];
    }
  }),
);
for (const c of selected) {
  for (const [step, ok, detail] of c.results) {
    if (ok) passed++;
    else failed++;
    log(`${ok ? 'PASS' : 'FAIL'} ${c.id} :: ${step}${detail ? ` — ${String(detail).slice(0, 400)}` : ''}`);
  }
}
console.log('\n| case | verdict time | to Ready | W | ratio (target ≤ 1.1) | lag after first evidence (target ≤ 2 s) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of selected) {
  const t = c.timing ?? {};
  const f = (x, d = 1) => (x === undefined ? '' : Number(x).toFixed(d));
  console.log(`| ${c.id} | ${f(t.wall)} s | ${f(t.toReady)} | ${t.windowSeconds ?? ''} | ${f(t.ratio, 2)} | ${t.lag !== undefined ? `${f(t.lag)} s` : ''} |`);
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(selected.map((c) => ({ id: c.id, timing: c.timing, detail: c.detail, results: c.results })), null, 2));
if (!KEEP) await Promise.all(selected.map((c) => kubectl(['delete', 'namespace', `vx-${c.id}`, '--ignore-not-found', '--wait=false'])));
console.log(`\nverify suite took ${Math.round((Date.now() - t0) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

