#!/usr/bin/env node
/**
 * Game-day proof on the running test cluster (issue 7): provisions two games with the crashlab
 * CLI, then with team-1's real token (its kubeconfig from `gameday create`) tries everything a
 * team must not do (team-2's namespace, cluster-scoped objects, escalations) and everything a
 * learner needs in its own namespace; plays every offered scenario inside a team namespace
 * under its quota, limits and Pod Security through `crashlab --kubeconfig team.kubeconfig`;
 * checks the token expiry (the JWT's exp, no sleeping); and checks that `gameday end` leaves a
 * bystander namespace and a second game untouched.
 *
 * It also proves the team's event log append-only (the game's ValidatingAdmissionPolicy): with
 * team-1's token a line can be added but not removed, the team label not changed, the log not
 * deleted; the lab's own append and the instructor's writes still pass; `end` removes the
 * game's policy pair and leaves the second game's.
 *
 *   node test/cluster/gameday-suite.mjs [--skip-scenarios] [--keep]
 *
 * Namespaces: crashlab-gd<random>-… and crashlab-gd-bystander-<random>, all removed at the end
 * (CRASHLAB_GAMEDAY_PREFIX=xyz names the games xyz<random> instead of gd<random>).
 * Env as test/cluster/suite.mjs (KUBECONFIG, CRASHLAB_SUITE_CONTEXT, KUBECTL).
 * The last line is "N passed, N failed"; exit status 1 on any failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { CACHE, CONTEXT, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

const args = process.argv.slice(2);
const SKIP_SCENARIOS = args.includes('--skip-scenarios');
const KEEP = args.includes('--keep');

const suffix = Math.random().toString(36).slice(2, 6).replace(/[^a-z0-9]/g, 'x');
const PREFIX = process.env.CRASHLAB_GAMEDAY_PREFIX ?? 'gd';
const GAME = `${PREFIX}${suffix}`;
const GAME2 = `${PREFIX}${suffix}b`;
const BYSTANDER = `crashlab-${PREFIX}-bystander-${suffix}`;
const OUT = mkdtempSync(join(tmpdir(), 'crashlab-gameday-'));
const OUT2 = mkdtempSync(join(tmpdir(), 'crashlab-gameday-'));
const DURATION_S = 3600;
const OVERTIME_S = 900;
const NS1 = `crashlab-${GAME}-team-1`;
const NS2 = `crashlab-${GAME}-team-2`;
const T1 = join(OUT, 'team-1.kubeconfig');

const XDG_CONFIG_HOME = join(CACHE, 'gameday-suite-config');
const env = { ...process.env, KUBECONFIG, XDG_CONFIG_HOME, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(CACHE, 'bin')}:${process.env.PATH}` };
// A team's commands see only the team kubeconfig: nothing of the instructor's leaks in.
// Each team is its own participant: its own progress file (where its opaque runs are recorded).
const teamEnv = (kubeconfig) => ({ ...env, KUBECONFIG: kubeconfig, KUBE_EDITOR: 'true', EDITOR: 'true', XDG_CONFIG_HOME: join(XDG_CONFIG_HOME, basename(kubeconfig, '.kubeconfig')) });

const ts = () => new Date().toISOString().slice(11, 19);
const log = (...a) => console.log(`[${ts()}]`, ...a);
const started = Date.now();

function run(cmd, argv, { timeout = 120_000, input, runEnv = env } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, env: runEnv, encoding: 'utf8', timeout, input, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? 124, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : ''), ms: Date.now() - t0, cmd: [cmd, ...argv].join(' ') };
}
const admin = (argv, opts) => run(KUBECTL, ['--context', CONTEXT, ...argv], opts);
const crashlab = (argv, opts) => run('node', ['bin/crashlab.js', '--context', CONTEXT, '--yes', ...argv], opts);
/** kubectl with a team kubeconfig only (no --context: the kubeconfig's own current-context). */
const team = (kubeconfig, argv, opts = {}) => run(KUBECTL, argv, { ...opts, runEnv: teamEnv(kubeconfig) });
const player = (kubeconfig, argv, opts = {}) => run('node', ['bin/crashlab.js', '--kubeconfig', kubeconfig, ...argv], { ...opts, runEnv: teamEnv(kubeconfig) });

let passed = 0;
let failed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) passed++;
  else {
    failed++;
    failures.push(`${name}${detail ? `: ${detail}` : ''}`);
  }
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${!ok && detail ? `\n      ${detail.split('\n').slice(0, 6).join('\n      ')}` : ''}`);
}
const firstLine = (r) => (r.stderr.trim() || r.stdout.trim()).split('\n').filter((l) => !/^[IWE]\d{4} /.test(l))[0] ?? '';
const FORBIDDEN = /forbidden|Forbidden|cannot .* in the namespace|violates PodSecurity|Unauthorized/;

/** One matrix row: the attempt must fail and say why (RBAC or admission), never another error. */
function denied(name, r, why = FORBIDDEN) {
  const ok = r.code !== 0 && why.test(r.stderr + r.stdout);
  check(`denied: ${name}`, ok, ok ? '' : `exit ${r.code}: ${firstLine(r) || '(no output)'}  [${r.cmd.replace(KUBECTL, 'kubectl')}]`);
  return ok;
}
function allowed(name, r, accept = () => false) {
  const ok = r.code === 0 || accept(r);
  check(`allowed: ${name}`, ok, ok ? '' : `exit ${r.code}: ${firstLine(r)}  [${r.cmd.replace(KUBECTL, 'kubectl')}]`);
  return ok;
}

/** team() without blocking (for rows that may run side by side). */
function teamAsync(kubeconfig, argv, { timeout = 60_000, input } = {}) {
  return new Promise((resolvePromise) => {
    const t0 = Date.now();
    const child = spawn(KUBECTL, argv, { cwd: ROOT, env: teamEnv(kubeconfig) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 124, stdout, stderr, ms: Date.now() - t0, cmd: [KUBECTL, ...argv].join(' ') });
    });
  });
}

/** Runs the tasks, at most `limit` at once; results in the tasks' order (p-limit would be a new dependency for these lines). */
async function inPool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Runs a long-lived command (port-forward) until `pattern` shows or `ms` pass, then stops it. */
function briefly(kubeconfig, argv, pattern, ms = 8000) {
  return new Promise((resolvePromise) => {
    const child = spawn(KUBECTL, argv, { cwd: ROOT, env: teamEnv(kubeconfig) });
    let out = '';
    let done = false;
    // Success means kubectl started forwarding; an exit or a timeout before that is a failure.
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      resolvePromise({ code: pattern.test(out) ? 0 : 1, stdout: out, stderr: out, cmd: `kubectl ${argv.join(' ')}` });
    };
    const onData = (d) => {
      out += d;
      if (pattern.test(out)) finish();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // 'close', not 'exit': at 'exit' the refusal kubectl printed may still be in the pipe (a CI
    // run read the port-forward denial as "no output").
    child.on('close', finish);
    const timer = setTimeout(finish, ms);
  });
}

function cleanup() {
  if (KEEP) return log(`--keep: leaving games ${GAME}, ${GAME2} and ${BYSTANDER}`);
  crashlab(['gameday', 'end', GAME]);
  crashlab(['gameday', 'end', GAME2]);
  rmSync(XDG_CONFIG_HOME, { recursive: true, force: true });
  admin(['delete', 'namespace', BYSTANDER, '--ignore-not-found', '--wait=false']);
  rmSync(OUT, { recursive: true, force: true });
  rmSync(OUT2, { recursive: true, force: true });
}

function finish() {
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  if (failures.length) console.log(`\nFailures:\n- ${failures.join('\n- ')}`);
  console.log(`\ngameday suite on ${CONTEXT} in ${secs} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// ------------------------------------------------------------------ 0. the cluster
const reach = admin(['get', '--raw', '/readyz'], { timeout: 20_000 });
if (reach.code !== 0) {
  check('cluster reachable', false, firstLine(reach));
  finish();
}

// ------------------------------------------------------------------ 1. provision
log(`game ${GAME} (2 teams) and ${GAME2} (1 team), bystander ${BYSTANDER}`);
admin(['create', 'namespace', BYSTANDER]);
admin(['label', 'namespace', BYSTANDER, 'app.kubernetes.io/managed-by=crashlab']);
admin(['create', 'configmap', 'keep-me', '-n', BYSTANDER, '--from-literal=a=b']);

const dry = crashlab(['gameday', 'create', GAME, '--teams', '2', '--dry-run', '--out', OUT]);
// 3 instructor objects, the game's team-log policy and binding, 8 per team
check('create --dry-run prints every object and changes nothing', dry.code === 0 && (dry.stdout.match(/^kind: /gm) ?? []).length === 3 + 2 + 2 * 8 && admin(['get', 'namespace', NS1]).code !== 0, firstLine(dry));
// The offered scenarios (every shareable one): team-1 and team-2 prove isolation, one more team
// per scenario plays it, all at once.
const dryJson = JSON.parse(crashlab(['gameday', 'create', GAME, '--teams', '1', '--dry-run', '--json']).stdout || '{}');
const OFFERED = JSON.parse(dryJson.objects?.find((o) => o.metadata?.name === 'crashlab-game')?.data?.game ?? '{}').scenarios ?? [];
// After the scenario teams: five for the abuse rows (5b), one plays while four misbehave.
const ABUSE_ROLES = ['victim', 'forkbomb', 'filler', 'miner', 'hog'];
const abuseTeam = (role) => `team-${3 + (SKIP_SCENARIOS ? 0 : OFFERED.length) + ABUSE_ROLES.indexOf(role)}`;
const TEAMS = 2 + (SKIP_SCENARIOS ? 0 : OFFERED.length) + ABUSE_ROLES.length;

const create = crashlab(['gameday', 'create', GAME, '--teams', String(TEAMS), '--all', '--duration', `${DURATION_S / 60}m`, '--overtime', `${OVERTIME_S / 60}m`, '--out', OUT, '--json'], { timeout: 180_000 });
const created = (() => {
  try {
    return JSON.parse(create.stdout);
  } catch {
    return undefined;
  }
})();
check(`gameday create (${TEAMS} teams)`, create.code === 0 && created?.teams?.length === TEAMS, firstLine(create));
// The test cluster enforces NetworkPolicy (kube-router's firewall, test/cluster/addons.sh): create
// must find out and say so, and leave no probe pod behind. With the enforcer stopped the verdict
// is "ignored" and this row fails.
check('create finds that this cluster enforces NetworkPolicy (probe server, peer and client) and says so', created?.networkPolicy?.verdict === 'enforced' && /network isolation holds/.test(created?.networkPolicy?.message ?? ''), JSON.stringify(created?.networkPolicy ?? null));
const probeLeft = admin(['get', 'pods', '-A', '-l', 'crashlab.dev/probe=network-policy', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\\n"}{end}']).stdout.trim().split('\n').filter(Boolean);
check('the network probe pods are removed (gone or terminating)', probeLeft.every((l) => l.split(' ')[1]), probeLeft.join('; '));
if (!created) {
  cleanup();
  finish();
}
// A new policy acts once the API server's policy informer has it: measured from create's
// return with a server-side dry-run delete by team-1 (admission runs, nothing is deleted).
{
  const t0 = Date.now();
  let r;
  let attempts = 0;
  do {
    attempts++;
    r = team(T1, ['delete', 'configmap', 'crashlab-progress', '--dry-run=server']);
    if (r.code !== 0) break;
    await new Promise((r2) => setTimeout(r2, 200));
  } while (Date.now() - t0 < 30_000);
  const ms = Date.now() - t0;
  check(`team-log policy in force within ${ms} ms of gameday create returning (attempt ${attempts})`, r.code !== 0 && /cannot be deleted during a game/.test(r.stderr), firstLine(r));
}
const perTeam = created.teams.map((t) => t.ms);
log(`provisioned ${TEAMS} teams in ${create.ms} ms (CLI wall clock, ${(create.ms / TEAMS).toFixed(0)} ms/team); per team ${perTeam.join(', ')} ms (4 at a time); Pod Security ${created.psa}`);
const create2 = crashlab(['gameday', 'create', GAME2, '--teams', '1', '--scenarios', 'oom', '--out', OUT2]);
check('second game created', create2.code === 0, firstLine(create2));

const again = crashlab(['gameday', 'create', GAME, '--teams', String(TEAMS), '--all', '--duration', `${DURATION_S / 60}m`, '--overtime', `${OVERTIME_S / 60}m`, '--out', OUT, '--json']);
const againJson = (() => {
  try {
    return JSON.parse(again.stdout);
  } catch {
    return undefined;
  }
})();
const roles = admin(['get', 'roles,rolebindings,resourcequotas,limitranges,networkpolicies,serviceaccounts,configmaps', '-n', NS1, '-l', `crashlab.dev/game=${GAME}`, '-o', 'name']);
const POLICY_KINDS = 'validatingadmissionpolicies.admissionregistration.k8s.io,validatingadmissionpolicybindings.admissionregistration.k8s.io';
const policyPair = (game) => admin(['get', POLICY_KINDS, '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${game}`, '-o', 'name']).stdout.trim().split('\n').filter(Boolean).sort();
const expectedPair = (game) => [`validatingadmissionpolicy.admissionregistration.k8s.io/crashlab-${game}-team-log`, `validatingadmissionpolicybinding.admissionregistration.k8s.io/crashlab-${game}-team-log`];
check('each game has its team-log policy and binding, labelled with the game, once', JSON.stringify(policyPair(GAME)) === JSON.stringify(expectedPair(GAME)) && JSON.stringify(policyPair(GAME2)) === JSON.stringify(expectedPair(GAME2)), `${policyPair(GAME).join(' ')} | ${policyPair(GAME2).join(' ')}`);
check('create again is idempotent (no duplicates, kubeconfigs kept)', again.code === 0 && againJson?.teams?.every((t) => t.newToken === false) && roles.stdout.trim().split('\n').length === 7, `${firstLine(again)} ${roles.stdout}`);

const mode = statSync(T1).mode & 0o777;
check('team kubeconfig is mode 0600', mode === 0o600, mode.toString(8));
const config = yaml.load(readFileSync(T1, 'utf8'));
const ctx = config.contexts?.[0]?.context;
check('team kubeconfig: server, CA, token, default namespace', Boolean(config.clusters?.[0]?.cluster?.server && config.clusters[0].cluster['certificate-authority-data'] && config.users?.[0]?.user?.token && ctx?.namespace === NS1));
check('handouts in en and ko', /## English[\s\S]*## 한국어/.test(readFileSync(join(OUT, 'team-1.handout.md'), 'utf8')));

// Token expiry: the JWT's own exp claim, compared with the game's end (no sleep).
const token = config.users[0].user.token;
const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const gameMeta = JSON.parse(JSON.parse(admin(['get', 'configmap', 'crashlab-game', '-n', `crashlab-${GAME}-control`, '-o', 'json']).stdout || '{}').data?.game ?? '{}');
const createdAtS = Date.parse(gameMeta.createdAt) / 1000;
const lifetime = claims.exp - claims.iat;
check(
  `token expiry covers duration + overtime (exp-iat ${lifetime} s ≥ ${DURATION_S + OVERTIME_S} s; exp ${new Date(claims.exp * 1000).toISOString()})`,
  lifetime >= DURATION_S + OVERTIME_S && claims.exp >= createdAtS + DURATION_S + OVERTIME_S - 5,
  JSON.stringify({ iat: claims.iat, exp: claims.exp, createdAtS }),
);
check('token belongs to the team ServiceAccount', claims.sub === `system:serviceaccount:${NS1}:crashlab-player`, claims.sub);

// ------------------------------------------------------------------ 2. what the apiserver enforces
// Measured, not read from flags: each guard rail must act on a real request.
const whoami = team(T1, ['auth', 'whoami', '-o', 'json']);
check('team token authenticates (TokenRequest token accepted)', whoami.code === 0 && whoami.stdout.includes(`system:serviceaccount:${NS1}:crashlab-player`), firstLine(whoami));
const rbacOn = team(T1, ['get', 'nodes']);
check('apiserver authorizes with RBAC (team cannot list nodes)', rbacOn.code !== 0 && /forbidden/.test(rbacOn.stderr), firstLine(rbacOn) + ' (needs --authorization-mode including RBAC)');
const probePod = (name, extra = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], ...extra.container }], terminationGracePeriodSeconds: 1, ...extra.spec },
  });
const limitDefaults = team(T1, ['create', '--dry-run=server', '-o', 'json', '-f', '-'], { input: probePod('lr-probe') });
const lrPod = (() => {
  try {
    return JSON.parse(limitDefaults.stdout);
  } catch {
    return undefined;
  }
})();
check('LimitRanger admission fills container defaults', Boolean(lrPod?.spec?.containers?.[0]?.resources?.limits?.memory), firstLine(limitDefaults) + ' (needs the LimitRanger admission plugin, on by default)');
const quota = JSON.parse(admin(['get', 'resourcequota', 'crashlab-quota', '-n', NS1, '-o', 'json']).stdout || '{}');
const hardPods = Number(quota.spec?.hard?.pods ?? 0);
const overQuota = team(T1, ['create', '--dry-run=server', '-f', '-'], {
  input: probePod('too-big', { container: { resources: { requests: { memory: `${Number(String(quota.spec?.hard?.['requests.memory'] ?? '1Gi').replace('Mi', '')) + 1}Mi` }, limits: { memory: '256Mi' } } } }),
});
check('ResourceQuota admission rejects a pod over the team quota', overQuota.code !== 0 && /exceeded quota|must be less than or equal/.test(overQuota.stderr), firstLine(overQuota) + ' (needs the ResourceQuota admission plugin)');
log(`quota: pods ${hardPods}, requests.memory ${quota.spec?.hard?.['requests.memory']}, limits.memory ${quota.spec?.hard?.['limits.memory']}`);

// ------------------------------------------------------------------ 3. isolation matrix (team-1 → team-2, cluster, escalation)
log('isolation matrix with team-1 token');
const target = admin(['run', 'target', '-n', NS2, '--image=busybox:1.36', '--restart=Never', '--labels=app.kubernetes.io/managed-by=crashlab', '--overrides', JSON.stringify({ spec: { terminationGracePeriodSeconds: 1 } }), '--', 'sleep', '3600']);
admin(['create', 'deployment', 'target', '-n', NS2, '--image=busybox:1.36', '--', 'sleep', '3600']);
admin(['create', 'secret', 'generic', 'target', '-n', NS2, '--from-literal=k=v']);
admin(['create', 'configmap', 'target', '-n', NS2, '--from-literal=k=v']);
// The board's signing key: `gameday create` makes it, so that a read-only board started first trusts verdicts.
const boardKey = admin(['get', 'secret', 'crashlab-board-key', '-n', `crashlab-${GAME}-control`, '-o', 'jsonpath={.data.key}']);
check('gameday create made the board key in the control namespace', boardKey.code === 0 && boardKey.stdout.length > 0, firstLine(boardKey));
admin(['wait', '--for=condition=Ready', 'pod/target', '-n', NS2, '--timeout=60s']);
check('instructor created targets in team-2', target.code === 0, firstLine(target));

let breaches = 0;
let rows = 0;
// Rows are independent: run them a few at a time (kubectl is latency-bound), report in order.
const queued = [];
const deny = (name, attempt, why) => queued.push({ name, attempt, why });
for (const [kind, create] of [
  ['pods', ['run', 'intruder', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '1']],
  ['deployments', ['create', 'deployment', 'intruder', '--image=busybox:1.36']],
  ['secrets', ['create', 'secret', 'generic', 'intruder', '--from-literal=k=v']],
  ['configmaps', ['create', 'configmap', 'intruder', '--from-literal=k=v']],
]) {
  deny(`get ${kind} in team-2`, () => teamAsync(T1, ['get', kind, 'target', '-n', NS2]));
  deny(`list ${kind} in team-2`, () => teamAsync(T1, ['get', kind, '-n', NS2]));
  deny(`watch ${kind} in team-2`, () => teamAsync(T1, ['get', kind, '-n', NS2, '--watch', '--request-timeout=5s'], { timeout: 15_000 }));
  deny(`create ${kind} in team-2`, () => teamAsync(T1, ['-n', NS2, ...create]));
  deny(`patch ${kind} in team-2`, () => teamAsync(T1, ['patch', kind, 'target', '-n', NS2, '--type=merge', '-p', '{"metadata":{"labels":{"pwned":"yes"}}}']));
  deny(`delete ${kind} in team-2`, () => teamAsync(T1, ['delete', kind, 'target', '-n', NS2, '--wait=false']));
}
deny('logs of a team-2 pod', () => teamAsync(T1, ['logs', 'target', '-n', NS2]));
deny('exec into a team-2 pod', () => teamAsync(T1, ['exec', 'target', '-n', NS2, '--', 'true']));
deny('port-forward to a team-2 pod', () => briefly(T1, ['port-forward', 'pod/target', '18089:8080', '-n', NS2], /Forwarding from/, 30_000));
deny('debug --copy-to of a team-2 pod', () => teamAsync(T1, ['debug', 'target', '-n', NS2, '--copy-to=target-dbg', '--container=c', '--profile=general', '--', 'sh']));
deny('create pods/exec in team-2 (subresource, SSAR)', () => teamAsync(T1, ['auth', 'can-i', 'create', 'pods/exec', '-n', NS2]), /^no/m);
deny('get pods/portforward in team-2 (subresource, SSAR)', () => teamAsync(T1, ['auth', 'can-i', 'get', 'pods/portforward', '-n', NS2]), /^no/m);
deny('list namespaces', () => teamAsync(T1, ['get', 'namespaces']));
deny('get own namespace object', () => teamAsync(T1, ['get', 'namespace', NS1]));
deny('label own namespace (Pod Security off)', () => teamAsync(T1, ['label', 'namespace', NS1, 'pod-security.kubernetes.io/enforce=privileged', '--overwrite']));
deny('create a namespace', () => teamAsync(T1, ['create', 'namespace', `crashlab-${GAME}-intruder`]));
deny('list nodes', () => teamAsync(T1, ['get', 'nodes']));
deny('list clusterroles', () => teamAsync(T1, ['get', 'clusterroles']));
deny('list CRDs', () => teamAsync(T1, ['get', 'customresourcedefinitions']));
deny('list pods in all namespaces', () => teamAsync(T1, ['get', 'pods', '-A']));
deny('create a Role in own namespace', () => teamAsync(T1, ['create', 'role', 'mine', '--verb=*', '--resource=*', '-n', NS1]));
deny('create a RoleBinding in own namespace', () => teamAsync(T1, ['create', 'rolebinding', 'mine', '--role=crashlab-player', `--serviceaccount=${NS1}:default`, '-n', NS1]));
deny('bind cluster-admin in own namespace', () => teamAsync(T1, ['create', 'rolebinding', 'admin', '--clusterrole=cluster-admin', `--serviceaccount=${NS1}:crashlab-player`, '-n', NS1]));
deny('create a ClusterRoleBinding', () => teamAsync(T1, ['create', 'clusterrolebinding', `crashlab-${GAME}-pwn`, '--clusterrole=cluster-admin', `--serviceaccount=${NS1}:crashlab-player`]));
deny('edit own Role', () => teamAsync(T1, ['patch', 'role', 'crashlab-player', '-n', NS1, '--type=json', '-p', '[{"op":"add","path":"/rules/0/verbs/-","value":"escalate"}]']));
deny('impersonate team-2', () => teamAsync(T1, ['get', 'pods', '-n', NS2, `--as=system:serviceaccount:${NS2}:crashlab-player`]));
deny('impersonate a cluster admin', () => teamAsync(T1, ['get', 'nodes', '--as=admin', '--as-group=system:masters']));
deny('token for team-2 ServiceAccount', () => teamAsync(T1, ['create', 'token', 'crashlab-player', '-n', NS2]));
deny('token for another ServiceAccount in own namespace', () => teamAsync(T1, ['create', 'token', 'default', '-n', NS1]));
deny('delete own ResourceQuota', () => teamAsync(T1, ['delete', 'resourcequota', 'crashlab-quota', '-n', NS1]));
deny('patch own LimitRange', () => teamAsync(T1, ['patch', 'limitrange', 'crashlab-limits', '-n', NS1, '--type=json', '-p', '[{"op":"remove","path":"/spec/limits/0/max"}]']));
deny('delete own NetworkPolicy', () => teamAsync(T1, ['delete', 'networkpolicy', 'crashlab-same-namespace', '-n', NS1]));
deny('privileged pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('priv', { container: { securityContext: { privileged: true } } }) }));
deny('hostPath pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('hostpath', { container: { volumeMounts: [{ name: 'h', mountPath: '/host' }] }, spec: { volumes: [{ name: 'h', hostPath: { path: '/' } }] } }) }));
deny('hostNetwork pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('hostnet', { spec: { hostNetwork: true } }) }));
deny('read the instructor game document', () => teamAsync(T1, ['get', 'configmap', 'crashlab-game', '-n', `crashlab-${GAME}-control`]));
deny("read the board's signing key", () => teamAsync(T1, ['get', 'secret', 'crashlab-board-key', '-n', `crashlab-${GAME}-control`]));
deny('list Secrets in the instructor namespace', () => teamAsync(T1, ['get', 'secrets', '-n', `crashlab-${GAME}-control`]));
deny('hostPID pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('hostpid', { spec: { hostPID: true } }) }));
deny('hostIPC pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('hostipc', { spec: { hostIPC: true } }) }));
deny('hostPort pod in own namespace', () => teamAsync(T1, ['create', '-n', NS1, '-f', '-'], { input: probePod('hostport', { container: { ports: [{ containerPort: 8080, hostPort: 18080 }] } }) }));
const outcomes = await inPool(queued.map((row) => row.attempt), 6);
queued.forEach((row, k) => {
  rows++;
  // A breach is an attempt that worked; one that failed without the refusal's words fails its
  // own row (the denial is not proven) but breached nothing.
  if (!denied(row.name, outcomes[k], row.why) && outcomes[k].code === 0) breaches++;
});
log(`isolation matrix: ${rows} rows, ${breaches} breaches`);
check(`isolation matrix: 0 breaches in ${rows} attempts`, breaches === 0, `${breaches} breaches`);

// ------------------------------------------------------------------ 3c. network isolation with real pods
// The instructor puts busybox httpd servers in team-1, team-2 and the control namespace; a pod
// started with team-1's token tries each. The game's policies (team: ingress from its own
// namespace only; control: no ingress) must let team-1 reach its own pod and Service and nothing
// else. On a cluster that ignores NetworkPolicy the three "cannot reach" rows fail (shown with
// kube-router stopped, test/cluster/README.md). An enforcer admits a new pod's address a moment
// after it starts, so reachable targets get several tries; blocked ones get three.
log('network isolation with real pods, client started with team-1 token');
const CONTROL_NS = `crashlab-${GAME}-control`;
const managed = { 'app.kubernetes.io/managed-by': 'crashlab' };
// Pod Security restricted (the control namespace enforces it), tiny and quick to stop.
const busyboxPod = (name, namespace, command, extra = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { ...managed, app: name } },
  spec: {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 1,
    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'c', image: 'busybox:1.36', command, resources: { requests: { cpu: '10m', memory: '8Mi' }, limits: { memory: '16Mi' } }, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    ...extra,
  },
});
const httpd = (namespace) => busyboxPod('netsrv', namespace, ['httpd', '-f', '-p', '8080', '-h', '/'], { automountServiceAccountToken: false });
const webService = (namespace) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'netsrv', namespace, labels: managed }, spec: { selector: { app: 'netsrv' }, ports: [{ port: 80, targetPort: 8080 }] } });
const servers = admin(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [httpd(NS1), webService(NS1), httpd(NS2), webService(NS2), httpd(CONTROL_NS)] }) });
const serversReady = [NS1, NS2, CONTROL_NS].every((ns) => admin(['wait', '--for=condition=Ready', 'pod/netsrv', '-n', ns, '--timeout=60s'], { timeout: 70_000 }).code === 0);
check('instructor started httpd servers in team-1, team-2 and the control namespace', servers.code === 0 && serversReady, firstLine(servers));
const ipOf = (ns) => admin(['get', 'pod', 'netsrv', '-n', ns, '-o', 'jsonpath={.status.podIP}']).stdout.trim();
const clusterIpOf = (ns) => admin(['get', 'service', 'netsrv', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}']).stdout.trim();
const TARGETS = [
  // [row, host, port, expected, tries]
  ["team-1 pod reaches its own team's pod IP (the control row)", ipOf(NS1), 8080, 'reached', 10],
  ['team-1 pod reaches its own Service by DNS name (the control row)', `netsrv.${NS1}.svc.cluster.local`, 80, 'reached', 10],
  ['team-1 pod cannot reach a team-2 pod IP', ipOf(NS2), 8080, 'blocked', 3],
  ['team-1 pod cannot reach a team-2 Service (ClusterIP)', clusterIpOf(NS2), 80, 'blocked', 3],
  ['team-1 pod cannot reach a pod in the instructor namespace', ipOf(CONTROL_NS), 8080, 'blocked', 3],
];
const tryScript = [
  "try() { i=0; while [ $i -lt $4 ]; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $2 $3 2>/dev/null | grep -q '^HTTP/1' && { echo \"$1 reached\"; return; }; i=$((i+1)); sleep 1; done; echo \"$1 blocked\"; }",
  ...TARGETS.map(([, host, port, , tries], k) => `try t${k} ${host} ${port} ${tries}`),
  // The pod's own ServiceAccount token (default, mounted): the only credential a team pod carries.
  'echo "token $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"',
].join('\n');
const netT0 = Date.now();
const client = team(T1, ['apply', '-f', '-'], { input: JSON.stringify(busyboxPod('netcheck', NS1, ['sh', '-c', tryScript])) });
let clientPhase = '';
for (const deadline = Date.now() + 120_000; Date.now() < deadline && !/Succeeded|Failed/.test(clientPhase); ) {
  await new Promise((r) => setTimeout(r, 1000));
  clientPhase = team(T1, ['get', 'pod', 'netcheck', '-o', 'jsonpath={.status.phase}']).stdout.trim();
}
const netLog = team(T1, ['logs', 'netcheck']).stdout;
check(`team-1 started its client pod with its own token and read its log (${((Date.now() - netT0) / 1000).toFixed(0)} s)`, client.code === 0 && clientPhase === 'Succeeded', `${firstLine(client)} phase ${clientPhase}`);
TARGETS.forEach(([row, host, port, expected], k) => {
  const seen = netLog.match(new RegExp(`^t${k} (reached|blocked)$`, 'm'))?.[1] ?? '(no answer)';
  check(`network: ${row}`, seen === expected, `${host}:${port} ${seen}, expected ${expected}`);
});
// The API server: on this cluster it listens on loopback only, so a pod reaches it through no
// network path; the credential a team pod holds is its mounted default token, which must be
// good for nothing (no RoleBinding names it).
const podToken = netLog.match(/^token (\S+)$/m)?.[1] ?? '';
const withPodToken = (argv) => run(KUBECTL, ['--kubeconfig', T1, '--token', podToken, ...argv]);
const podWho = withPodToken(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
check("a team pod's mounted token is the namespace's default ServiceAccount, not the player", podToken !== '' && podWho.stdout.trim() === `system:serviceaccount:${NS1}:default`, firstLine(podWho) || podWho.stdout);
for (const [what, argv] of [
  ["team-2's pods", ['get', 'pods', '-n', NS2]],
  ['its own namespace\'s pods', ['get', 'pods', '-n', NS1]],
  ['its own namespace\'s Secrets', ['get', 'secrets', '-n', NS1]],
  ['the instructor game document', ['get', 'configmap', 'crashlab-game', '-n', CONTROL_NS]],
]) {
  denied(`the API server refuses a team pod's own token: ${what}`, withPodToken(argv));
}
team(T1, ['delete', 'pod', 'netcheck', '--wait=false']);

// ------------------------------------------------------------------ 4. a learner's commands in its own namespace
log('learner commands in own namespace with team-1 token');
let allowedRows = 0;
let allowedFails = 0;
const allow = (name, r, accept) => {
  allowedRows++;
  if (!allowed(name, r, accept)) allowedFails++;
};
allow('create deployment', team(T1, ['create', 'deployment', 'web', '--image=busybox:1.36', '--', 'sh', '-c', 'echo hello; sleep 3600']));
allow('rollout status', team(T1, ['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeout: 100_000 }));
const pod = team(T1, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']).stdout.trim();
allow('get pods -o wide', team(T1, ['get', 'pods', '-o', 'wide']));
allow('describe pod', team(T1, ['describe', 'pod', pod]));
allow('logs', team(T1, ['logs', pod]));
allow('logs --previous (no previous container is an answer, not a denial)', team(T1, ['logs', pod, '--previous']), (r) => !FORBIDDEN.test(r.stderr));
allow('jsonpath lastState.terminated', team(T1, ['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].lastState}']));
allow('events sorted by time', team(T1, ['get', 'events', '--sort-by=.lastTimestamp', `--field-selector=involvedObject.name=${pod}`]));
allow('events.k8s.io events', team(T1, ['get', 'events.events.k8s.io']));
allow('exec', team(T1, ['exec', pod, '--', 'true']));
allow('port-forward', await briefly(T1, ['port-forward', `pod/${pod}`, '18090:8080'], /Forwarding from/, 10_000));
const debugGeneral = team(T1, ['debug', pod, `--copy-to=${pod}-dbg`, '--container=busybox', '--profile=general', '--', 'sleep', '60']);
// A fact the routine depends on: kubectl's general profile adds SYS_PTRACE to the copy, which
// Pod Security baseline rejects; the routine's debug step uses --profile=baseline.
check('debug --copy-to --profile=general is rejected by Pod Security baseline (SYS_PTRACE)', debugGeneral.code !== 0 && /violates PodSecurity "baseline[^"]*".*SYS_PTRACE/.test(debugGeneral.stderr), firstLine(debugGeneral));
const debugBaseline = team(T1, ['debug', pod, `--copy-to=${pod}-dbg2`, '--container=busybox', '--profile=baseline', '--', 'sleep', '60']);
allow('debug --copy-to --profile=baseline (the routine step)', debugBaseline);
allow('debug with an ephemeral container', team(T1, ['debug', pod, '--image=busybox:1.36', '--profile=baseline', '--', 'true']));
allow('delete the debug copies', team(T1, ['delete', 'pod', `${pod}-dbg`, `${pod}-dbg2`, '--ignore-not-found', '--wait=false']));
allow('edit (no change)', team(T1, ['edit', 'deployment/web']));
allow('patch', team(T1, ['patch', 'deployment/web', '--type=json', '-p', '[{"op":"add","path":"/spec/template/metadata/annotations","value":{"fixed":"1"}}]']));
allow('apply', team(T1, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { a: '1' } }) }));
allow('apply --server-side', team(T1, ['apply', '--server-side', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secret' }, stringData: { a: '1' } }) }));
allow('rollout restart', team(T1, ['rollout', 'restart', 'deployment/web']));
allow('rollout history', team(T1, ['rollout', 'history', 'deployment/web']));
allow('rollout undo', team(T1, ['rollout', 'undo', 'deployment/web']));
allow('scale', team(T1, ['scale', 'deployment/web', '--replicas=1']));
allow('delete a pod', team(T1, ['delete', 'pod', pod, '--wait=false']));
allow('read the quota and limits', team(T1, ['describe', 'resourcequota,limitrange']));
const progressOf = (kubeconfig) => JSON.parse(team(kubeconfig, ['get', 'configmap', 'crashlab-progress', '-o', 'json']).stdout || '{}');
const eventsNow = progressOf(T1).data?.events ?? '';
allow('append to the progress ConfigMap', team(T1, ['patch', 'configmap', 'crashlab-progress', '--type=merge', '-p', JSON.stringify({ data: { events: `${eventsNow}{"at":"${new Date().toISOString()}","type":"started"}\n` } })]));
allow('delete own deployment', team(T1, ['delete', 'deployment', 'web', '--wait=false']));
log(`learner commands: ${allowedRows} rows, ${allowedFails} denied`);
check(`learner commands: all ${allowedRows} allowed`, allowedFails === 0);

// ------------------------------------------------------------------ 4b. the team's event log is append-only
log('team event log with team-1 token (the game\'s ValidatingAdmissionPolicy)');
const APPEND_ONLY = /append-only during a game: only new lines may be added/;
const withEvents = (cm, events) => JSON.stringify({ ...cm, data: { ...cm.data, events } });
const before = progressOf(T1);
const lines = (before.data?.events ?? '').split('\n').filter(Boolean);
check('team-1 log has the line it appended', lines.length >= 1, JSON.stringify(before.data));
const shortened = lines.slice(0, -1).map((l) => `${l}\n`).join('');
const logRow = (name, r, why) => denied(name, r, why);
logRow('team removes a line of its log (kubectl replace)', team(T1, ['replace', '-f', '-'], { input: withEvents(before, shortened) }), APPEND_ONLY);
logRow('team rewrites its log (kubectl apply)', team(T1, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', labels: before.metadata.labels }, data: { events: '' } }) }), APPEND_ONLY);
logRow('team edits a line of its log (kubectl patch)', team(T1, ['patch', 'configmap', 'crashlab-progress', '--type=merge', '-p', JSON.stringify({ data: { events: (before.data?.events ?? '').replace('"started"', '"hint"') } })]), APPEND_ONLY);
logRow('team changes the team label of its log', team(T1, ['label', 'configmap', 'crashlab-progress', 'crashlab.dev/team=team-2', '--overwrite']), /labels that tie the team's event log/);
logRow('team changes the game mode on its log (the mystery lock)', team(T1, ['annotate', 'configmap', 'crashlab-progress', 'crashlab.dev/mode=game', '--overwrite']), /mode .*cannot change during a game/);
logRow('team makes its log immutable', team(T1, ['patch', 'configmap', 'crashlab-progress', '--type=merge', '-p', '{"immutable":true}']), /cannot be made immutable/);
logRow('team deletes its log', team(T1, ['delete', 'configmap', 'crashlab-progress', '--wait=false']), /cannot be deleted during a game/);
const intact = progressOf(T1);
check('team-1 log unchanged by the refused writes', intact.data?.events === before.data?.events && intact.metadata?.labels?.['crashlab.dev/team'] === 'team-1', JSON.stringify(intact.data));
// The lab's own append (labApi logEvent → TeamLogWriter → compose.ts → appendToTeamLog over
// GameClusterKubectl: get, append, replace with the read resourceVersion) on the team's
// credentials, and the board's/instructor's append (the same loop) on the admin's: both
// straight from dist.
const { GameClusterKubectl } = await import(join(ROOT, 'dist', 'adapters', 'gameClusterKubectl.js'));
const { appendToTeamLog } = await import(join(ROOT, 'dist', 'engine', 'gameday', 'configMapWrites.js'));
const teamContext = yaml.load(readFileSync(T1, 'utf8'))['current-context'];
const teamCluster = () => new GameClusterKubectl({ context: teamContext, kubeconfig: T1, bin: KUBECTL, env: teamEnv(T1) });
const labAppend = await appendToTeamLog(teamCluster(), NS1, GAME, 'team-1', [{ at: new Date().toISOString(), type: 'hint', index: 0 }]).then(() => undefined, (e) => e);
allow("the lab's own append (appendToTeamLog, team credentials)", { code: labAppend ? 1 : 0, stdout: '', stderr: String(labAppend?.message ?? ''), cmd: 'appendToTeamLog (team)' });
const boardAppend = await appendToTeamLog(new GameClusterKubectl({ context: CONTEXT, kubeconfig: KUBECONFIG, bin: KUBECTL, env }), NS1, GAME, 'team-1', [{ at: new Date().toISOString(), type: 'verify-verdict', pass: false, by: 'instructor', reasons: ['suite'], result: 'fail' }]).then(() => undefined, (e) => e);
allow("the board's append (appendToTeamLog, instructor credentials)", { code: boardAppend ? 1 : 0, stdout: '', stderr: String(boardAppend?.message ?? ''), cmd: 'appendToTeamLog' });
const appended = (progressOf(T1).data?.events ?? '').split('\n').filter(Boolean);
check('both appends landed after the earlier lines', appended.length === lines.length + 2 && appended.slice(0, lines.length).join('\n') === lines.join('\n') && /"hint"/.test(appended.at(-2)) && /"verify-verdict"/.test(appended.at(-1)), appended.join(' | '));
allow('instructor rewrites a team log (admin kubeconfig)', admin(['patch', 'configmap', 'crashlab-progress', '-n', NS1, '--type=merge', '-p', JSON.stringify({ data: { events: `${appended[0]}\n` } })]));
allow('instructor labels a team log (admin kubeconfig)', admin(['label', 'configmap', 'crashlab-progress', '-n', NS1, 'crashlab.dev/probe=1', '--overwrite']));
// A log with no `events` key yet (an older crashlab, or an instructor's edit): the lab's first
// append must still pass (a missing key counts as empty).
allow('instructor removes the events key (admin kubeconfig)', admin(['patch', 'configmap', 'crashlab-progress', '-n', NS1, '--type=json', '-p', '[{"op":"remove","path":"/data/events"}]']));
const firstAppend = await appendToTeamLog(teamCluster(), NS1, GAME, 'team-1', [{ at: new Date().toISOString(), type: 'started' }]).then(() => undefined, (e) => e);
allow("the lab's first append to a log without an events key", { code: firstAppend ? 1 : 0, stdout: '', stderr: String(firstAppend?.message ?? ''), cmd: 'appendToTeamLog (team)' });
// The second game's binding holds its own team namespace the same way.
const T2B = join(OUT2, 'team-1.kubeconfig');
allow("second game's team appends to its own log", team(T2B, ['patch', 'configmap', 'crashlab-progress', '--type=merge', '-p', JSON.stringify({ data: { events: `${progressOf(T2B).data?.events ?? ''}{"at":"${new Date().toISOString()}","type":"started"}\n` } })]));
denied("second game's team cannot then empty it", team(T2B, ['patch', 'configmap', 'crashlab-progress', '--type=merge', '-p', '{"data":{"events":""}}']), APPEND_ONLY);

// ------------------------------------------------------------------ 5. scenarios inside a team namespace
/** Like run(), without blocking: scenarios play in parallel, one team each. */
function runAsync(cmd, argv, { timeout = 300_000, runEnv = env } = {}) {
  return new Promise((resolvePromise) => {
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd: ROOT, env: runEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 124, stdout, stderr, ms: Date.now() - t0, cmd: [cmd, ...argv].join(' ') });
    });
  });
}
const playerAsync = (kubeconfig, argv, opts = {}) => runAsync('node', ['bin/crashlab.js', '--kubeconfig', kubeconfig, ...argv], { ...opts, runEnv: teamEnv(kubeconfig) });

/** The verdict's own line (PASS / FAIL / COULD NOT VERIFY and its summary): a row's detail starts with it. */
const verdictLine = (r) => r.stdout.split('\n').find((l) => /^(PASS|FAIL|COULD NOT VERIFY)\b/.test(l.replace(/\x1b\[[0-9;]*m/g, ''))) ?? '';

const PLAYS_AT_ONCE = Math.max(1, Number(process.env.CRASHLAB_GAMEDAY_PLAYS_AT_ONCE ?? 8) || 8);
async function playScenario(id, teamName) {
  const kc = join(OUT, `${teamName}.kubeconfig`);
  const ns = `crashlab-${GAME}-${teamName}`;
  const t0 = Date.now();
  const rows = [];
  const start = await playerAsync(kc, ['start', id, '--json'], { timeout: 120_000 });
  rows.push([`${id}: start as ${teamName} (team kubeconfig only)`, start.code === 0, firstLine(start)]);
  if (start.code !== 0) return rows;
  const visible = admin(['get', 'all,configmaps,secrets', '-n', ns, '-o', 'json']).stdout;
  const leaks = JSON.parse(visible || '{"items":[]}').items.filter((o) => JSON.stringify([o.metadata.name, o.metadata.labels ?? {}]).includes(`"${id}"`) || o.metadata.name.includes(id));
  rows.push([`${id}: no object name or label in ${ns} spells the scenario`, leaks.length === 0, leaks.map((o) => `${o.kind}/${o.metadata.name}`).join(' ')]);
  let status;
  // Generous: with several teams on two cores a probe-killed container can restart for minutes
  // before its first back-off (kubernetes/kubernetes#99697: probe kills often skip it); one
  // CI run saw no BackOff within 240 s. The loop ends at the first match, so passing costs nothing.
  for (const deadline = Date.now() + 540_000; Date.now() < deadline; ) {
    status = await playerAsync(kc, ['status', id, '--json'], { timeout: 60_000 });
    if (status.code === 0 && /"matchesExpected": true/.test(status.stdout)) break;
    await new Promise((r) => setTimeout(r, 8000));
  }
  const observed = (() => {
    try {
      return JSON.parse(status?.stdout ?? '');
    } catch {
      return undefined;
    }
  })();
  const missed = (observed?.checks ?? []).filter((c) => !c.ok).map((c) => JSON.stringify(c).slice(0, 160));
  rows.push([`${id}: breaks as claimed under quota/limits/PSA`, observed?.matchesExpected === true, `${firstLine(status ?? { stderr: '', stdout: '' })} run ${observed?.scenario} pods ${observed?.pods?.length ?? 0}; ${missed.join('; ')}`]);
  const solve = await playerAsync(kc, ['solve', id], { timeout: 120_000 });
  rows.push([`${id}: solve`, solve.code === 0, firstLine(solve)]);
  const verify = await playerAsync(kc, ['verify', id], { timeout: 300_000 });
  rows.push([`${id}: solution verifies in the team namespace (${((Date.now() - t0) / 1000).toFixed(0)} s)`, verify.code === 0, `${verdictLine(verify)} ${firstLine(verify)} ${verify.stdout.split('\n').slice(-6).join(' | ')}`]);
  const log = JSON.parse(admin(['get', 'configmap', 'crashlab-progress', '-n', ns, '-o', 'json']).stdout || '{}').data?.events ?? '';
  const types = log.split('\n').filter(Boolean).map((l) => JSON.parse(l).type);
  rows.push([`${id}: team event log has started, fix-applied, verify-requested, verify-verdict`, ['started', 'fix-applied', 'verify-requested', 'verify-verdict'].every((t) => types.includes(t)), types.join(',')]);
  return rows;
}

if (!SKIP_SCENARIOS) {
  // A few teams at a time: all 31 at once (31 workloads plus a status poll each on two cores)
  // starved the node: CI saw the API server stop answering for 60 s, a liveness kill with no
  // back-off for 9 min and NetworkPolicy programmed too late for a new pod's first packets.
  // The room at scale is the scale suite's job; this one proves each scenario in a team namespace.
  log(`scenarios offered: ${OFFERED.join(', ')} (one team each, ${PLAYS_AT_ONCE} at a time)`);
  const results = await inPool(OFFERED.map((id, i) => () => playScenario(id, `team-${3 + i}`)), PLAYS_AT_ONCE);
  for (const rows of results) for (const [name, ok, detail] of rows) check(name, ok, detail);
  // start replaces the team's current run: a second scenario in team-3 leaves one run there
  if (OFFERED.length >= 2) {
    const kc = join(OUT, 'team-3.kubeconfig');
    const again = player(kc, ['start', OFFERED[1]]);
    const deployments = admin(['get', 'deployments', '-n', `crashlab-${GAME}-team-3`, '-o', 'name']).stdout.trim().split('\n').filter(Boolean);
    const progress = admin(['get', 'configmap', 'crashlab-progress', '-n', `crashlab-${GAME}-team-3`]).code === 0;
    check('start of another scenario replaces the team run (one deployment, event log kept)', again.code === 0 && deployments.length === 1 && progress, `${firstLine(again)} ${deployments.join(' ')}`);
  }
  // (That the participant path never creates a namespace is the matrix row "create a
  // namespace": the team's credentials cannot. Other helpers' runs share this cluster, so
  // counting namespaces here would blame them.)
}

// ------------------------------------------------------------------ 5b. abuse, contained per team
// Four teams misbehave at once, each with its own token: a fork bomb, a disk filler, a CPU miner
// and a memory hog. Meanwhile a fifth team plays a scenario (start → broken as designed → solve →
// verified); that must take at most 20 % longer than the same play on the quiet cluster just
// before (+5 s: two quiet plays on two shared cores differ by that much). What holds each: the
// kubelet's podPidsLimit (test/cluster/up.sh; a node setting, not a namespace one), and the
// defaults, maxima and totals of the LimitRange and ResourceQuota `gameday create` applies.
const VICTIM_SCENARIO = OFFERED.includes('secret-typo') ? 'secret-typo' : OFFERED[0];
async function timedPlay(id, teamName) {
  const kc = join(OUT, `${teamName}.kubeconfig`);
  const t0 = Date.now();
  // --fresh: the second play redeploys the broken workload (a plain start resumes the solved run).
  const start = await playerAsync(kc, ['start', id, '--fresh', '--json'], { timeout: 120_000 });
  if (start.code !== 0) return { ok: false, ms: Date.now() - t0, detail: `start: ${firstLine(start)}` };
  let broken = false;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline && !broken; ) {
    const status = await playerAsync(kc, ['status', id, '--json'], { timeout: 60_000 });
    broken = status.code === 0 && /"matchesExpected": true/.test(status.stdout);
    if (!broken) await new Promise((r) => setTimeout(r, 2000));
  }
  const brokeMs = Date.now() - t0;
  if (!broken) return { ok: false, ms: brokeMs, detail: 'never broke as designed' };
  const solve = await playerAsync(kc, ['solve', id], { timeout: 120_000 });
  const verify = await playerAsync(kc, ['verify', id], { timeout: 300_000 });
  return { ok: solve.code === 0 && verify.code === 0, ms: Date.now() - t0, brokeMs, detail: `${firstLine(solve)} | ${verify.stdout.split('\n').slice(-3).join(' ')}` };
}
const abuseKc = (role) => join(OUT, `${abuseTeam(role)}.kubeconfig`);
const abuseNs = (role) => `crashlab-${GAME}-${abuseTeam(role)}`;
// No resources stated: what a careless or hostile participant writes; the LimitRange fills them.
const abusePod = (name, script, container = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script], ...container }] } });
log(`abuse: ${abuseTeam('victim')} plays ${VICTIM_SCENARIO} on the quiet cluster first`);
const quiet = await timedPlay(VICTIM_SCENARIO, abuseTeam('victim'));
check(`abuse baseline: ${VICTIM_SCENARIO} breaks and verifies on the quiet cluster (${(quiet.ms / 1000).toFixed(0)} s, broken after ${((quiet.brokeMs ?? 0) / 1000).toFixed(0)} s)`, quiet.ok, quiet.detail);
const abuseT0 = Date.now();
// Fork bomb, only where the node limits pids per pod (its kubelet's configz): elsewhere it would
// reach the host (one run without the limit took this machine's load average to 150 before the
// memory limit killed it). Bounded at 3000 all the same; counting /proc with a glob and echo needs
// no fork (none is left once the limit is hit).
const nodeName = admin(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']).stdout.trim();
const podPidsLimit = Number(JSON.parse(admin(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/configz`]).stdout || '{}').kubeletconfig?.podPidsLimit ?? -1);
const bomb = podPidsLimit > 0 ? team(abuseKc('forkbomb'), ['create', '-f', '-'], { input: abusePod('bomb', '( n=0; while [ $n -lt 3000 ]; do sleep 600 & n=$((n+1)); done ) 2>/dev/null; set -- /proc/[0-9]*; echo "processes $#"; exec sleep 600') }) : { code: 0, stdout: '', stderr: '' };
// Disk filler: 32 MiB a second into the container's writable layer (ephemeral storage).
const filler = team(abuseKc('filler'), ['create', '-f', '-'], { input: abusePod('filler', 'i=0; while [ $i -lt 100 ]; do dd if=/dev/zero of=/tmp/fill$i bs=1M count=32 2>/dev/null; i=$((i+1)); sleep 1; done; sleep 600') });
// CPU miner: eight busy loops, as many as two cores' worth of the default limit.
const miner = team(abuseKc('miner'), ['create', 'deployment', 'miner', '--image=busybox:1.36', '--replicas=8', '--', 'sh', '-c', 'while :; do :; done']);
// Memory hog: one 1 GiB buffer, as the container's main process (so the container is what dies).
const hog = team(abuseKc('hog'), ['create', '-f', '-'], { input: abusePod('hog', 'exec dd if=/dev/zero of=/dev/null bs=1G count=1') });
check(`four teams start ${podPidsLimit > 0 ? 'a fork bomb' : '(no fork bomb: no pids limit)'}, a disk filler, a CPU miner (8 pods) and a memory hog with their own tokens`, [bomb, filler, miner, hog].every((r) => r.code === 0), [bomb, filler, miner, hog].map(firstLine).join(' | '));
log(`abuse: ${abuseTeam('victim')} plays ${VICTIM_SCENARIO} again while they run`);
const loud = await timedPlay(VICTIM_SCENARIO, abuseTeam('victim'));
const allowedMs = quiet.ms * 1.2 + 5000;
check(`abuse: another team's ${VICTIM_SCENARIO} still breaks and verifies under all four at once: ${(loud.ms / 1000).toFixed(0)} s (broken after ${((loud.brokeMs ?? 0) / 1000).toFixed(0)} s) vs ${(quiet.ms / 1000).toFixed(0)} s quiet (at most ${(allowedMs / 1000).toFixed(0)} s)`, quiet.ok && loud.ok && loud.ms <= allowedMs, loud.detail);
const podJson = (role, name) => JSON.parse(team(abuseKc(role), ['get', 'pod', name, '-o', 'json']).stdout || '{}');
const waitFor = async (probe, ms = 90_000) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    const got = probe();
    if (got) return got;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return probe();
};
const bombCount = podPidsLimit > 0 ? await waitFor(() => Number(team(abuseKc('forkbomb'), ['logs', 'bomb']).stdout.match(/^processes (\d+)$/m)?.[1] ?? 0)) : 0;
check(`abuse: the fork bomb stops at ${bombCount} processes, its pod's pids limit (kubelet podPidsLimit ${podPidsLimit})`, podPidsLimit > 0 && bombCount > 0 && bombCount <= podPidsLimit, podPidsLimit > 0 ? `processes ${bombCount}; pod ${podJson('forkbomb', 'bomb').status?.phase}` : `node ${nodeName} sets no podPidsLimit: the bomb was not started (it would reach the host); test/cluster/up.sh sets 1024`);
const fillerGone = await waitFor(() => { const p = podJson('filler', 'filler'); return p.status?.reason === 'Evicted' ? p.status : undefined; });
// From the pod's start to the kubelet's eviction (v1.34 marks it on the Ready condition, reason PodFailed).
const evictedAt = Date.parse(fillerGone?.conditions?.find((c) => c.type === 'DisruptionTarget' || (c.type === 'Ready' && c.reason === 'PodFailed'))?.lastTransitionTime ?? '');
const fillerMs = evictedAt - Date.parse(fillerGone?.startTime ?? '');
const fillerS = Number.isFinite(fillerMs) ? (fillerMs / 1000).toFixed(0) : '?';
check(`abuse: the disk filler is evicted at its ephemeral-storage limit (${fillerS} s after it started writing 32 MiB/s)`, /ephemeral local storage/.test(fillerGone?.message ?? ''), JSON.stringify(podJson('filler', 'filler').status ?? {}).slice(0, 300));
const hogEnd = await waitFor(() => podJson('hog', 'hog').status?.containerStatuses?.[0]?.state?.terminated);
check('abuse: the memory hog is OOM-killed at its memory limit (LimitRange default)', hogEnd?.reason === 'OOMKilled' && podJson('hog', 'hog').spec?.containers?.[0]?.resources?.limits?.memory !== undefined, JSON.stringify(hogEnd ?? {}));
const minerPod = team(abuseKc('miner'), ['get', 'pods', '-l', 'app=miner', '-o', 'jsonpath={.items[0].metadata.name}']).stdout.trim();
const minerQuota = team(abuseKc('miner'), ['exec', minerPod, '--', 'sh', '-c', 'cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us']);
check(`abuse: each miner container runs under a CFS quota from the LimitRange's default CPU limit (${minerQuota.stdout.trim()})`, /^10000\b/.test(minerQuota.stdout.trim()), firstLine(minerQuota));
// Raising the limits is refused: the LimitRange maxima and the team's quota totals.
const overAsk = (role, name, resources) => team(abuseKc(role), ['create', '--dry-run=server', '-f', '-'], { input: abusePod(name, 'true', { resources }) });
denied('a miner asks for 4 CPUs (LimitRange maximum)', overAsk('miner', 'big-miner', { limits: { cpu: '4' } }), /maximum cpu usage per Container/);
denied('a hog asks for 4Gi of memory (LimitRange maximum)', overAsk('hog', 'big-hog', { limits: { memory: '4Gi' } }), /maximum memory usage per Container/);
denied('a filler asks for 100Gi of ephemeral storage (team quota)', overAsk('filler', 'big-filler', { limits: { 'ephemeral-storage': '100Gi' } }), /exceeded quota/);
// Inside its team: no pod of the game evicted but the filler, no OOM kill in the teams that do
// not play oom by design (the victim, team-1, team-2).
const gamePods = JSON.parse(admin(['get', 'pods', '-A', '-o', 'json']).stdout || '{"items":[]}').items.filter((p) => p.metadata.namespace.startsWith(`crashlab-${GAME}-`));
const oomKilled = (p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.terminated?.reason === 'OOMKilled' || c.lastState?.terminated?.reason === 'OOMKilled');
const hurt = gamePods.filter((p) => (p.status?.reason === 'Evicted' && p.metadata.namespace !== abuseNs('filler')) || ([abuseNs('victim'), NS1, NS2].includes(p.metadata.namespace) && oomKilled(p)));
const nodeReady = admin(['get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']).stdout.trim();
check('abuse stays inside its team: no other team\'s pod evicted or OOM-killed, the node Ready', hurt.length === 0 && /^(True ?)+$/.test(nodeReady), `${hurt.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(' ')} node ${nodeReady}`);
// Give the cores back before the rest of the suite.
team(abuseKc('miner'), ['delete', 'deployment', 'miner', '--wait=false']);
team(abuseKc('forkbomb'), ['delete', 'pod', 'bomb', '--wait=false', '--ignore-not-found']);
log(`abuse rows took ${((Date.now() - abuseT0) / 1000 + quiet.ms / 1000).toFixed(0)} s`);

// ------------------------------------------------------------------ 6. end removes exactly that game
const end = crashlab(['gameday', 'end', GAME, '--wait'], { timeout: 180_000 });
check('gameday end says what it removed', end.code === 0 && end.stdout.includes(`removed namespace ${NS1}`) && end.stdout.includes(`removed namespace crashlab-${GAME}-control`), firstLine(end));
check('gameday end removes the game\'s team-log policy and binding, and says so', end.stdout.includes(`removed ValidatingAdmissionPolicy/crashlab-${GAME}-team-log, ValidatingAdmissionPolicyBinding/crashlab-${GAME}-team-log`) && policyPair(GAME).length === 0, `${end.stdout.split('\n').filter((l) => /Policy/.test(l)).join(' ')} left: ${policyPair(GAME).join(' ')}`);
check("the second game's team-log policy and binding stay", JSON.stringify(policyPair(GAME2)) === JSON.stringify(expectedPair(GAME2)), policyPair(GAME2).join(' '));
const gone = admin(['get', 'namespaces', '-l', `crashlab.dev/game=${GAME}`, '-o', 'name']);
check('no namespace of the ended game is left', gone.code === 0 && gone.stdout.trim() === '', gone.stdout);
check('bystander namespace untouched', admin(['get', 'configmap', 'keep-me', '-n', BYSTANDER]).code === 0);
check('second game untouched', admin(['get', 'rolebinding', 'crashlab-player', '-n', `crashlab-${GAME2}-team-1`]).code === 0 && team(join(OUT2, 'team-1.kubeconfig'), ['get', 'pods']).code === 0);
check('ended team token no longer works', team(T1, ['get', 'pods']).code !== 0);

cleanup();
finish();
