#!/usr/bin/env node
/**
 * Live diagnosis on the real test cluster: broken workloads written apart from the scenarios
 * (busybox only, in namespaces dx-<case>-<run>), diagnosed through the CLI as a user would
 * (`crashlab diagnose deploy/NAME -n NS --json`), so the kubelet's real timing and output are
 * covered, not only saved JSON. A case passes when, once its failure has shown, three
 * diagnoses spread over ~12 s all name the expected category (a right answer that depends on
 * when you ask is not right).
 *
 *   node test/cluster/diagnose-suite.mjs [--only id1,id2] [--keep]
 *
 * Env: KUBECONFIG (default ~/.cache/crashlab-cluster/run/kubeconfig), CRASHLAB_SUITE_CONTEXT
 * (default crashlab-local). Cleans up its namespaces (unless --keep). Last line "N passed, N failed".
 * (busybox's wget segfaults on this cluster's busybox-static 1.35 when the connection is refused,
 * so the workloads dial with nc.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CACHE, CONTEXT, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

const env = { ...process.env, KUBECONFIG, CI: '1', NO_COLOR: '1', PATH: `${join(CACHE, 'bin')}:${process.env.PATH}` };
const args = process.argv.slice(2);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const KEEP = args.includes('--keep');
const DEADLINE_MS = 200_000;
const IMAGE = 'busybox:1.36';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

function kubectl(argv, input) {
  const r = spawnSync(KUBECTL, ['--context', CONTEXT, ...argv], { env, encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The CLI, asynchronously, so the cases are judged in parallel. */
function crashlab(argv) {
  return new Promise((done) => {
    const child = spawn('node', ['bin/crashlab.js', '--context', CONTEXT, ...argv], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const sh = (script) => ['sh', '-c', script];
const container = (name, command, extra = {}) => ({ name, image: IMAGE, imagePullPolicy: 'IfNotPresent', command, resources: { limits: { memory: '32Mi' }, requests: { cpu: '10m', memory: '8Mi' } }, ...extra });
const podTemplate = (app, spec) => ({ metadata: { labels: { app } }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
const deployment = (name, spec) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: podTemplate(name, spec) } });

/**
 * Each case: the objects, the workload to diagnose, the category a correct diagnosis names, and
 * when the failure has shown (so judging starts after it).
 */
const CASES = [
  {
    id: 'stale-pid',
    expected: 'lock-contention',
    ref: 'deploy/web',
    objects: [deployment('web', { containers: [container('web', sh('echo "=> Booting Puma"; echo "A server is already running. Check /app/tmp/pids/server.pid."; echo Exiting; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'db-refused',
    expected: 'dependency-not-ready',
    ref: 'deploy/orders',
    objects: [deployment('orders', { containers: [container('orders', sh('echo "connecting to the database at 127.0.0.1:5432"; nc -w 2 127.0.0.1 5432 </dev/null || exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'sidecar-late',
    expected: 'sidecar-dependency',
    ref: 'deploy/shop',
    objects: [
      deployment('shop', {
        containers: [
          container('app', sh('echo "shop starting, upstream proxy at localhost:9901"; nc -w 2 127.0.0.1 9901 </dev/null || exit 1; sleep 3600')),
          container('proxy', sh('sleep 60; mkdir -p /www; echo ok > /www/ready; httpd -f -p 9901 -h /www'), { ports: [{ containerPort: 9901 }] }),
        ],
      }),
    ],
    shown: (pod) => restarts(pod, 'app') >= 1,
  },
  {
    id: 'configmap-volume',
    expected: 'missing-config',
    ref: 'sts/ledger',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'ledger' },
        spec: {
          serviceName: 'ledger',
          replicas: 1,
          selector: { matchLabels: { app: 'ledger' } },
          template: podTemplate('ledger', { containers: [container('ledger', ['sleep', '3600'], { volumeMounts: [{ name: 'conf', mountPath: '/etc/ledger' }] })], volumes: [{ name: 'conf', configMap: { name: 'ledger-conf' } }] }),
        },
      },
    ],
    shown: (pod, events) => events.some((e) => e.reason === 'FailedMount'),
  },
  {
    id: 'job-module',
    expected: 'image-entrypoint',
    ref: 'job/migrate',
    objects: [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'migrate' },
        spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [container('migrate', sh("echo \"node:internal/modules/cjs/loader:1080\"; echo \"Error: Cannot find module '/app/dist/migrate.js'\"; echo \"    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)\"; exit 1"))] } } },
      },
    ],
    shown: (pod) => pod.status?.containerStatuses?.[0]?.state?.terminated !== undefined,
  },
  {
    id: 'ds-port-clash',
    expected: 'port-conflict',
    ref: 'ds/agent',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: podTemplate('agent', {
            containers: [container('collector', ['httpd', '-f', '-p', '8125'], { ports: [{ containerPort: 8125 }] }), container('exporter', sh('sleep 2; exec httpd -f -p 8125'))],
          }),
        },
      },
    ],
    shown: (pod) => restarts(pod, 'exporter') >= 1,
  },
  {
    id: 'probe-errors-ready',
    expected: 'probe-misconfig',
    ref: 'deploy/cache',
    objects: [deployment('cache', { containers: [container('cache', ['sleep', '3600'], { livenessProbe: { exec: { command: ['/bin/cache-health'] }, periodSeconds: 2, failureThreshold: 1 } })] })],
    shown: (pod, events) => events.some((e) => e.reason === 'Unhealthy'),
  },
  {
    id: 'heap-limit',
    expected: 'app-exception',
    ref: 'deploy/render',
    objects: [deployment('render', { containers: [container('render', sh('echo "<--- Last few GCs --->"; echo "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"; echo " 1: 0xb7a940 node::Abort() [node]"; exit 134'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'unschedulable',
    expected: 'node-resources',
    ref: 'deploy/bigmem',
    objects: [deployment('bigmem', { containers: [container('bigmem', ['sleep', '3600'], { resources: { requests: { memory: '900Gi' }, limits: { memory: '900Gi' } } })] })],
    shown: (pod, events) => events.some((e) => e.reason === 'FailedScheduling'),
  },
  {
    id: 'crlf-script',
    expected: 'image-entrypoint',
    ref: 'deploy/report',
    objects: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'report-scripts' }, data: { 'run.sh': '#!/bin/sh\r\necho "building report"\r\nsleep 3600\r\n' } },
      deployment('report', { containers: [container('report', ['/scripts/run.sh'], { volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }] })], volumes: [{ name: 'scripts', configMap: { name: 'report-scripts', defaultMode: 0o755 } }] }),
    ],
    shown: (pod) => restarts(pod) >= 1 || pod.status?.containerStatuses?.[0]?.lastState?.terminated !== undefined,
  },
  {
    id: 'one-shot-exit-0',
    expected: 'bad-command',
    ref: 'deploy/greeter',
    objects: [deployment('greeter', { containers: [container('greeter', sh('echo hello from greeter'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'tls-expired',
    expected: 'time-tls',
    ref: 'deploy/sync',
    objects: [deployment('sync', { containers: [container('sync', sh('echo "level=info msg=\\"syncing from https://config.internal:8443\\""; echo "level=fatal msg=\\"Get https://config.internal:8443/v1: x509: certificate has expired or is not yet valid: current time 2026-11-30T10:00:00Z is after 2026-10-01T00:00:00Z\\""; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  // ---- issue #22: pods that are never created, Pending with a reason, reworded messages ----
  {
    id: 'quota-no-pods',
    expected: 'admission-refused',
    ref: 'deploy/api',
    podless: true,
    says: /ResourceQuota team-quota covers limits\.cpu/,
    // A game-day-like quota on limits.cpu: a container without limits.cpu is refused at admission.
    objects: [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-quota' }, spec: { hard: { 'limits.cpu': '2', 'limits.memory': '1Gi', pods: '10' } } },
      deployment('api', { containers: [container('api', ['sleep', '3600'])] }),
    ],
    shown: (_pod, events) => events.some((e) => e.reason === 'FailedCreate'),
  },
  {
    id: 'quota-beside-healthy',
    expected: 'admission-refused',
    ref: 'deploy/web',
    says: /wants 3 pod\(s\); 2 exist/,
    objects: [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pod-count' }, spec: { hard: { pods: '2' } } },
      { ...deployment('web', { containers: [container('web', ['sleep', '3600'])] }), spec: { ...deployment('web', { containers: [container('web', ['sleep', '3600'])] }).spec, replicas: 3 } },
    ],
    shown: (_pod, events, pods) => events.some((e) => e.reason === 'FailedCreate') && pods.filter((p) => p.status?.containerStatuses?.[0]?.ready).length === 2,
  },
  {
    id: 'psa-privileged-fix',
    expected: 'admission-refused',
    ref: 'deploy/api',
    says: /enforces "baseline:latest" and the pod template breaks it: privileged/,
    // Labelled like a game-day team namespace (Pod Security baseline, a quota and a LimitRange);
    // the learner's "fix" makes the container privileged: the new ReplicaSet gets no pod.
    nsLabels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'baseline' },
    objects: [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-quota' }, spec: { hard: { 'requests.memory': '512Mi', 'limits.memory': '1Gi', pods: '10' } } },
      { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'team-limits' }, spec: { limits: [{ type: 'Container', max: { memory: '256Mi' }, default: { memory: '64Mi' }, defaultRequest: { memory: '16Mi', cpu: '10m' } }] } },
      deployment('api', { containers: [container('api', ['sleep', '3600'])] }),
    ],
    then: [deployment('api', { containers: [container('api', sh('echo fixed; sleep 3600'), { securityContext: { privileged: true } })] })],
    thenWhen: (pod) => Boolean(pod?.status?.containerStatuses?.[0]?.ready),
    shown: (_pod, events) => events.some((e) => e.reason === 'FailedCreate' && /PodSecurity/.test(e.message ?? '')),
    verify: /violates PodSecurity "baseline:latest": privileged/,
  },
  {
    id: 'pvc-unbound',
    expected: 'node-resources',
    ref: 'deploy/store',
    says: /PersistentVolumeClaim "store-data" is not bound \(StorageClass "fast-ssd"\)/,
    objects: [
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'store-data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '1Gi' } } } },
      deployment('store', { containers: [container('store', ['sleep', '3600'], { volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'store-data' } }] }),
    ],
    shown: (_pod, events) => events.some((e) => e.reason === 'FailedScheduling'),
  },
  {
    id: 'env-undefined',
    expected: 'missing-config',
    ref: 'deploy/deployer',
    objects: [deployment('deployer', { containers: [container('deployer', sh('echo "deployer 2.4.1 starting"; echo "Environment variable DEPLOY_ENV is undefined"; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'wget-bad-address',
    expected: 'dependency-not-ready',
    ref: 'deploy/fetcher',
    objects: [deployment('fetcher', { containers: [container('fetcher', sh('echo "fetching http://db.example/health"; echo "wget: bad address \'db.example\'" >&2; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'db-not-reachable',
    expected: 'dependency-not-ready',
    ref: 'deploy/ledger',
    objects: [deployment('ledger', { containers: [container('ledger', sh('for i in 1 2 3; do echo "attempt $i: connecting to 10.0.0.7:5432"; done; echo "FATAL: database 10.0.0.7:5432 not reachable after 3 attempts"; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'lock-held',
    expected: 'lock-contention',
    ref: 'deploy/indexer',
    objects: [deployment('indexer', { containers: [container('indexer', sh('echo "indexer starting"; echo "could not acquire lock /var/lib/x.lock: held by pid 1 (started 2026-12-06T11:58:02Z); is another instance already running?"; exit 1'))] })],
    shown: (pod) => restarts(pod) >= 1,
  },
  {
    id: 'sts-missing-serviceaccount',
    expected: 'admission-refused',
    ref: 'sts/db',
    podless: true,
    says: /ServiceAccount "db-sa" does not exist/,
    objects: [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { serviceAccountName: 'db-sa', terminationGracePeriodSeconds: 1, containers: [container('db', ['sleep', '3600'])] } } } },
    ],
    shown: (_pod, events) => events.some((e) => e.reason === 'FailedCreate'),
  },
  {
    id: 'job-limitrange',
    expected: 'admission-refused',
    ref: 'job/migrate',
    podless: true,
    says: /A LimitRange refuses the pod: maximum memory per Container is 64Mi/,
    objects: [
      { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'small' }, spec: { limits: [{ type: 'Container', max: { memory: '64Mi' } }] } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [container('migrate', sh('echo migrating; sleep 5'), { resources: { limits: { memory: '128Mi' }, requests: { memory: '64Mi', cpu: '10m' } } })] } } } },
    ],
    shown: (_pod, events) => events.some((e) => e.reason === 'FailedCreate'),
  },
].filter((c) => !ONLY || ONLY.includes(c.id));

function restarts(pod, name) {
  const statuses = pod.status?.containerStatuses ?? [];
  return Math.max(0, ...statuses.filter((s) => !name || s.name === name).map((s) => s.restartCount));
}

// A fresh namespace per run: deleting a namespace takes minutes on a busy cluster, and a
// second run must not wait for (or write into) the first one's.
const RUN = Date.now().toString(36).slice(-5);
const SUITE_LABEL = 'crashlab.dev/suite=diagnose';
const ns = (c) => `dx-${c.id}-${RUN}`;

function podsAndEvents(c) {
  const pods = JSON.parse(kubectl(['get', 'pods', '-n', ns(c), '-o', 'json']).stdout || '{"items":[]}').items;
  const events = JSON.parse(kubectl(['get', 'events', '-n', ns(c), '-o', 'json']).stdout || '{"items":[]}').items;
  return { pods, events };
}

async function judge(c) {
  const r = await crashlab(['diagnose', c.ref, '-n', ns(c), '--json']);
  let top;
  try {
    top = JSON.parse(r.stdout).findings[0];
  } catch {
    return { ok: false, got: `exit ${r.code}: ${r.stderr.trim().split('\n')[0]}` };
  }
  // kubectl's own "unable to retrieve container logs" must never be read as the app's output.
  const kubectlAsLog = JSON.parse(r.stdout).findings.some((f) => f.evidence.some((l) => /unable to retrieve container logs/.test(l)));
  // Some cases also pin the words: the refusal or the scheduler's reason, not just the category.
  const says = !c.says || c.says.test(top?.summary ?? '');
  const got = kubectlAsLog ? `${top?.category} (read kubectl's message as a log)` : says ? top?.category : `${top?.category} (summary lacks ${c.says}: "${top?.summary}")`;
  return { ok: top?.category === c.expected && !kubectlAsLog && says, got, line: top?.evidence?.find((l) => l.startsWith('log:') || l.startsWith('event')) ?? top?.evidence?.[0] };
}

/** verify on a refused rollout ends promptly with rule "refused", quoting the refusal. */
async function verifyRefused(c) {
  const t0 = Date.now();
  const r = await crashlab(['verify', '--workload', c.ref, '-n', ns(c), '--json']);
  const seconds = Math.round((Date.now() - t0) / 1000);
  let v;
  try {
    v = JSON.parse(r.stdout);
  } catch {
    return { ok: false, got: `verify exit ${r.code}: ${r.stderr.trim().split('\n')[0]}` };
  }
  const summary = typeof v.summary === 'string' ? v.summary : (v.summary?.en ?? '');
  const ok = r.code === 1 && v.result === 'fail' && v.rule === 'refused' && c.verify.test(summary) && seconds <= 60;
  return { ok, got: `verify ${v.result}/${v.rule} in ${seconds} s: ${summary}` };
}

async function runCase(c, started) {
  let thenApplied = !c.then;
  while (Date.now() - started < DEADLINE_MS) {
    const { pods, events } = podsAndEvents(c);
    if (!thenApplied && c.thenWhen(pods[0])) {
      // The learner's change, applied once the first version runs.
      const applied = kubectl(['apply', '-n', ns(c), '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: c.then }));
      if (applied.code !== 0) log(`apply ${c.id} change failed: ${applied.stderr.trim()}`);
      thenApplied = true;
      continue;
    }
    if (thenApplied && (pods.length || c.podless) && c.shown(pods[0] ?? {}, events, pods)) break;
    await sleep(3000);
  }
  const verdicts = [];
  for (let i = 0; i < 3; i++) {
    if (i) await sleep(6000);
    verdicts.push(await judge(c));
  }
  if (c.verify) verdicts.push(await verifyRefused(c));
  const ok = verdicts.every((v) => v.ok);
  log(`${ok ? 'PASS' : 'FAIL'} ${c.id}: expected ${c.expected}; got ${verdicts.map((v) => v.got).join(', ')}${ok ? '' : ` — ${verdicts.find((v) => !v.ok)?.line ?? ''}`}`);
  return ok;
}

function cleanup() {
  for (const c of CASES) kubectl(['delete', 'namespace', ns(c), '--wait=false', '--ignore-not-found']);
}

const started = Date.now();
log(`diagnose suite: ${CASES.length} broken workloads on context ${CONTEXT}`);
if (kubectl(['get', 'nodes']).code !== 0) {
  console.log('cluster not reachable');
  console.log(`0 passed, ${CASES.length} failed`);
  process.exit(1);
}
// Namespaces an interrupted earlier run of this suite left behind (ours by label and prefix).
const stale = kubectl(['get', 'namespaces', '-l', SUITE_LABEL, '-o', 'name']).stdout.split('\n').filter((n) => n.startsWith('namespace/dx-'));
if (stale.length) kubectl(['delete', ...stale, '--wait=false', '--ignore-not-found']);
for (const c of CASES) {
  const [key, value] = SUITE_LABEL.split('=');
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(c), labels: { [key]: value, ...(c.nsLabels ?? {}) } } }));
  const applied = kubectl(['apply', '-n', ns(c), '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: c.objects }));
  if (applied.code !== 0) {
    log(`apply ${c.id} failed: ${applied.stderr.trim()}`);
    c.broken = true;
  }
}
let passed = 0;
let failed = 0;
try {
  const results = await Promise.all(CASES.map((c) => (c.broken ? false : runCase(c, started))));
  passed = results.filter(Boolean).length;
  failed = results.length - passed;
} finally {
  if (!KEEP) cleanup();
}
log(`took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
