#!/usr/bin/env node
/**
 * A game day under faults, on the real test cluster: what survives what (README "Game day").
 * One game `faults<random>` of three teams playing bad-command with a watching board, then:
 *   - etcd compacted, then the API server restarted while the board verifies: a watch resumed
 *     from before the compaction gets 410 Gone; the board relists; one verdict per request;
 *   - the board killed with -9 mid-verification and started again: one verdict per request;
 *   - containerd restarted, then the kubelet kept down 30 s while a team verifies: the pods and
 *     containers survive; the board's verdict is "could not verify" (the node's Lease did not
 *     move), a pass once the node is back, never a fail;
 *   - a participant laptop whose clock is 10 minutes ahead (libfaketime): the times in the
 *     team's log are the server's, the score is unchanged;
 *   - a team token that expires mid-game (a real 10-minute TokenRequest token, the shortest the
 *     API server issues, on a game of its own, faultstok<random>): the participant reads plain
 *     words, the board marks the team.
 * Restarts go through test/cluster/restart.sh (each component back within seconds: the cluster
 * is shared). Prints one line per check and `N passed, N failed`; exits 1 on a failure.
 *
 *   node test/cluster/faults-suite.mjs [--no-restarts] [--no-token]   (needs `make build`, root, libfaketime)
 *   node test/cluster/faults-suite.mjs --token-step
 * The token expires about 11 minutes after it is issued (10 min, then the API server's leeway).
 * run.sh runs --token-step early (right after smoke): it creates the token's game, issues the
 * token and writes where it is to $CRASHLAB_FAULTS_TOKEN (default <cluster cache>/faults-token.json);
 * the suite, run last, finds it there and waits only what is left (none in CI). Without that
 * file the suite issues the token itself at its start and waits at its end.
 * --no-restarts leaves the cluster alone (no compaction, no restart); --no-token skips the token row;
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { appendTeamEvents, CACHE, CONTEXT, HERE, KUBECONFIG, KUBECTL, ROOT } from './lib.mjs';

const args = process.argv.slice(2);
const restarts = !args.includes('--no-restarts');
const tokenRow = !args.includes('--no-token');
const tokenStep = args.includes('--token-step');
const TOKEN_STATE = process.env.CRASHLAB_FAULTS_TOKEN ?? join(CACHE, 'faults-token.json');
const game = `faults${randomBytes(2).toString('hex')}`;
const teams = ['team-1', 'team-2', 'team-3'];
const ns = (t) => `crashlab-${game}-${t}`;
const outDir = mkdtempSync(join(tmpdir(), 'faults-suite-'));
const xdg = mkdtempSync(join(tmpdir(), 'faults-xdg-'));
const FAKETIME_LIB = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'].find((p) => existsSync(p));
const env = { ...process.env, KUBECONFIG, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: join(xdg, 'data'), XDG_STATE_HOME: join(xdg, 'state') };
let passed = 0;
let failed = 0;
const t0 = Date.now();
const secs = () => Math.round((Date.now() - t0) / 1000);

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
const note = (text) => console.log(`  [${secs()} s] ${text}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kubectl = (argv, input) => execFileSync(KUBECTL, ['--context', CONTEXT, ...argv], { input, encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'] });
function run(argv, extraEnv = {}) {
  try {
    return { code: 0, out: execFileSync('node', [join(ROOT, 'bin/crashlab.js'), ...argv], { encoding: 'utf8', env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
  } catch (e) {
    return { code: e.status ?? 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}
const crashlab = (argv, extraEnv) => run(['--context', CONTEXT, '--yes', ...argv], extraEnv);
/** A participant's environment: the team kubeconfig only, its own config dir. */
function participantEnv(team, kubeconfig) {
  const home = join(xdg, `participant-${team}`);
  return { KUBECONFIG: kubeconfig, XDG_CONFIG_HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state') };
}
/** crashlab as a participant, optionally on a laptop whose clock is off by `skew` (libfaketime, that process only). */
function participant(team, argv, { kubeconfig = join(outDir, `${team}.kubeconfig`), skew } = {}) {
  const extra = participantEnv(team, kubeconfig);
  if (skew) Object.assign(extra, { LD_PRELOAD: FAKETIME_LIB, FAKETIME: skew, FAKETIME_DONT_FAKE_MONOTONIC: '1' });
  return run(['--kubeconfig', kubeconfig, ...argv], extra);
}
function participantAsync(team, argv) {
  const kubeconfig = join(outDir, `${team}.kubeconfig`);
  const child = spawn('node', [join(ROOT, 'bin/crashlab.js'), '--kubeconfig', kubeconfig, ...argv], { env: { ...env, ...participantEnv(team, kubeconfig) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}
/** restart.sh's JSON line (what it did, how long the component did not answer). */
function faultDone(argv, out) {
  const doc = JSON.parse(out.trim().split('\n').at(-1));
  note(`restart.sh ${argv.join(' ')}: ${JSON.stringify(doc)}`);
  return doc;
}
const fault = (...argv) => faultDone(argv, execFileSync('bash', [join(HERE, 'restart.sh'), ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
function faultAsync(...argv) {
  const child = spawn('bash', [join(HERE, 'restart.sh'), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(faultDone(argv, out)) : reject(new Error(`restart.sh ${argv.join(' ')} exited ${code}`)))));
}
/** kubectl that waits out an API server coming back (the faults make it answer late). */
async function kubectlPatient(argv, input) {
  for (let i = 0; ; i++) {
    try {
      return kubectl(argv, input);
    } catch (e) {
      if (i >= 30 || !/refused|timed out|Unable to connect|EOF|ServiceUnavailable|connection reset/i.test(String(e.stderr))) throw e;
      await sleep(1000);
    }
  }
}
async function waitFor(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}

const teamEvents = async (team) =>
  (await kubectlPatient(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'jsonpath={.data.events}']))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
/** Every verify request of the team and the instructor verdicts naming it. */
async function verdictsByRequest(team) {
  const events = await teamEvents(team);
  const requests = events.filter((e) => e.type === 'verify-requested' && e.id).map((e) => e.id);
  const verdicts = events.filter((e) => e.type === 'verify-verdict' && e.by === 'instructor');
  return { events, requests, verdicts, per: requests.map((id) => ({ id, verdicts: verdicts.filter((v) => v.request === id) })) };
}
/**
 * Every request answered by an instructor verdict later in the log (a verdict names the newest
 * open request and answers the older ones), and no request named by two verdicts.
 */
function oneVerdictPerRequest({ events, requests, verdicts }) {
  const named = verdicts.map((v) => v.request).filter(Boolean);
  const twice = named.filter((id, i) => named.indexOf(id) !== i);
  const open = events
    .map((e, i) => ({ e, i }))
    .filter(({ e, i }) => e.type === 'verify-requested' && !events.slice(i + 1).some((v) => v.type === 'verify-verdict' && v.by === 'instructor' && v.instance === e.instance));
  return {
    ok: twice.length === 0 && open.length === 0,
    detail: `${requests.length} request(s), ${verdicts.length} verdict(s)${twice.length ? `, answered twice: ${twice.join(',')}` : ''}${open.length ? `, ${open.length} unanswered` : ''}`,
  };
}

const boards = [];
/** The token row's game (issueShortToken), ended with the suite's. */
let tokenGame;
/** The board as the instructor runs it: `gameday board --json --watch`, in its own process group (kill -9 takes its kubectl watches too). */
function startBoard(name) {
  const child = spawn('node', [join(ROOT, 'bin/crashlab.js'), '--context', CONTEXT, 'gameday', 'board', game, '--json', '--watch'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const board = { name, child, last: undefined, lines: 0, notes: new Set(), exited: undefined };
  boards.push(board);
  createInterface({ input: child.stdout }).on('line', (l) => {
    try {
      const doc = JSON.parse(l);
      if (doc.rows) {
        board.last = doc;
        board.lines++;
        for (const n of doc.notes ?? []) board.notes.add(n);
      }
    } catch {}
  });
  child.stderr.on('data', () => {});
  child.on('close', (code, signal) => (board.exited = signal ?? code));
  return board;
}
const rowOf = (board, team) => board.last?.rows.find((r) => r.team === team);

async function fix(team, instance) {
  const kubeconfig = join(outDir, `${team}.kubeconfig`);
  const dep = JSON.parse(kubectl(['get', 'deployments', '-n', ns(team), '-l', `crashlab.dev/instance=${instance}`, '-o', 'json'])).items[0].metadata.name;
  execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, 'patch', 'deployment', dep, '-n', ns(team), '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command/0","value":"/bin/httpd"}]'], { env, stdio: 'pipe' });
  await waitFor(`${team}'s fixed pod Ready`, () => {
    const pods = JSON.parse(kubectl(['get', 'pods', '-n', ns(team), '-l', `crashlab.dev/instance=${instance}`, '-o', 'json'])).items;
    return pods.length === 1 && pods[0].status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !pods[0].metadata.deletionTimestamp;
  }, 90_000);
}
/** A verify request as the participant's lab writes it (the board answers it). */
async function askVerify(team, instance) {
  const id = randomBytes(4).toString('hex');
  appendTeamEvents(kubectl, ns(team), [{ at: new Date().toISOString(), type: 'verify-requested', instance, id }]);
  return id;
}
const podFacts = (team) =>
  JSON.parse(kubectl(['get', 'pods', '-n', ns(team), '-o', 'json'])).items.map((p) => ({
    uid: p.metadata.uid,
    containers: (p.status?.containerStatuses ?? []).map((c) => `${c.containerID}#${c.restartCount}`).join(','),
  }));

async function main() {
  console.log(`game ${game} on ${CONTEXT}`);
  const created = crashlab(['gameday', 'create', game, '--teams', '3', '--scenarios', 'bad-command', '--out', outDir, '--no-network-probe', '--json']);
  if (created.code !== 0) throw new Error(`gameday create: ${created.err || created.out}`);

  // The token row's game, unless run.sh's --token-step made it long before (then no wait here).
  tokenGame = tokenRow ? (readTokenState() ?? issueShortToken()) : undefined;

  const start = crashlab(['gameday', 'start', game, '--scenario', 'bad-command', '--json']);
  if (start.code !== 0) throw new Error(`gameday start: ${start.err}`);
  const instance = Object.fromEntries(JSON.parse(start.out).released.map((r) => [r.team, r.instance]));

  let board = startBoard('board-1');
  await waitFor('every team on the board with its pod', () => teams.every((t) => rowOf(board, t)?.pod), 90_000);

  // ---- a laptop 10 minutes ahead: team-3 answers the cause from it; the log keeps the server's time.
  if (FAKETIME_LIB) {
    const before = Date.now();
    const answered = participant('team-3', ['answer', instance['team-3'], 'bad-command'], { skew: '+10m' });
    const after = Date.now();
    const diagnosis = (await teamEvents('team-3')).filter((e) => e.type === 'diagnosis').at(-1);
    const at = diagnosis ? Date.parse(diagnosis.at) : Number.NaN;
    // This machine's clock is the API server's: the event must fall within the command's run (±3 s).
    check(
      'a participant clock 10 min ahead: the diagnosis is logged at the server’s time',
      answered.code === 0 && at >= before - 3000 && at <= after + 3000,
      `exit ${answered.code}, logged ${Math.round((at - before) / 1000)} s after the command began (it ran ${Math.round((after - before) / 1000)} s) ${answered.err.slice(0, 200)}`,
    );
  } else check('libfaketime is installed (apt-get install libfaketime)', false);

  // ---- etcd compacted, then the API server restarted while the board verifies team-2.
  await fix('team-2', instance['team-2']);
  const rv0 = kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns('team-2'), '-o', 'jsonpath={.metadata.resourceVersion}']);
  const req2 = await askVerify('team-2', instance['team-2']);
  await waitFor('board-1 verifying team-2', () => rowOf(board, 'team-2')?.verify === 'running' || rowOf(board, 'team-2')?.verified, 60_000);
  if (restarts) {
    const compacted = fault('compact');
    const api = fault('kube-apiserver');
    let raw = '';
    try {
      raw = kubectl(['get', '--raw', `/api/v1/namespaces/${ns('team-2')}/configmaps?watch=1&resourceVersion=${rv0}&timeoutSeconds=5`]);
    } catch (e) {
      raw = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    check('a watch resumed from before the compaction ends with 410 Gone', /"code":410|Expired|too old resource version/.test(raw), `compacted at ${compacted.compacted}, resumed from ${rv0}: ${raw.slice(0, 160)}; API server unanswered ${api.unansweredMs} ms`);
  }
  await waitFor('an instructor verdict for team-2', async () => (await verdictsByRequest('team-2')).verdicts.some((v) => v.request === req2), 180_000);
  const v2 = await verdictsByRequest('team-2');
  const one2 = oneVerdictPerRequest(v2);
  check(`API server restart mid-verification${restarts ? '' : ' (not restarted: --no-restarts)'}: one verdict for the request, not a fail`, one2.ok && v2.verdicts.every((v) => v.result !== 'fail'), `${one2.detail}: ${v2.verdicts.map((v) => `${v.result} (${v.reasons?.[0] ?? ''})`).join('; ')}`);

  // A fix made after the restart is judged by the same running board (it relisted).
  await fix('team-1', instance['team-1']);
  const req1 = await askVerify('team-1', instance['team-1']);
  await waitFor('board-1 judging team-1 after the restart', async () => (await verdictsByRequest('team-1')).verdicts.some((v) => v.request === req1), 180_000);
  const v1 = await verdictsByRequest('team-1');
  check(`after the restart${restarts ? '' : ' (none: --no-restarts)'} the running board judged a fix made after it: one verdict, a pass`, oneVerdictPerRequest(v1).ok && v1.verdicts.length === 1 && v1.verdicts[0].pass === true, oneVerdictPerRequest(v1).detail);
  await waitFor('board-1 showing team-1 verified', () => rowOf(board, 'team-1')?.verified, 30_000).catch(() => undefined);
  check('the board kept printing after the restart (its watches were re-opened, no gap)', rowOf(board, 'team-1')?.verified === true && board.exited === undefined, `${board.lines} lines; notes seen: ${[...board.notes].join(' | ').slice(0, 300)}`);

  // ---- the board killed with -9 while verifying team-3, then started again.
  await fix('team-3', instance['team-3']);
  const req3 = await askVerify('team-3', instance['team-3']);
  await waitFor('board-1 verifying team-3', () => rowOf(board, 'team-3')?.verify === 'running' || rowOf(board, 'team-3')?.verified, 60_000);
  process.kill(-board.child.pid, 'SIGKILL');
  await waitFor('board-1 gone', () => board.exited !== undefined, 10_000);
  const killedVerdicts = (await verdictsByRequest('team-3')).verdicts.length;
  board = startBoard('board-2');
  await waitFor('an instructor verdict for team-3', async () => (await verdictsByRequest('team-3')).verdicts.some((v) => v.request === req3), 180_000);
  await sleep(5000);
  const v3 = await verdictsByRequest('team-3');
  check('board kill -9 mid-verification: the restarted board gave the one verdict', oneVerdictPerRequest(v3).ok && v3.verdicts.length === 1 && v3.verdicts[0].pass === true, `${killedVerdicts} verdict(s) when killed; ${oneVerdictPerRequest(v3).detail}`);
  const again = await Promise.all(['team-1', 'team-2'].map(async (t) => oneVerdictPerRequest(await verdictsByRequest(t))));
  check('the restarted board gave no second verdict to requests already answered', again.every((a) => a.ok) && (await verdictsByRequest('team-1')).verdicts.length === 1, again.map((a) => a.detail).join('; '));

  // ---- a laptop 10 min ahead: the score is the one the instructor-side times give.
  const scored = await waitFor('team-3 scored on board-2', () => (rowOf(board, 'team-3')?.verified ? rowOf(board, 'team-3') : undefined), 30_000);
  const released = Date.parse((await teamEvents('team-3')).find((e) => e.type === 'released').at);
  const realSeconds = Math.round((Date.parse(v3.verdicts[0].at) - released) / 1000);
  const instance3 = scored.instances.at(-1);
  check(
    'a participant clock 10 min ahead: the score and times are the instructor side’s (time to the right cause within the real time)',
    instance3.secondsToVerifiedFix === realSeconds && instance3.secondsToRightDiagnosis !== undefined && instance3.secondsToRightDiagnosis <= realSeconds,
    `score ${scored.score}, right cause after ${instance3.secondsToRightDiagnosis} s, verified after ${instance3.secondsToVerifiedFix} s (real ${realSeconds} s)`,
  );

  // ---- containerd restarted, then the kubelet kept down 30 s while team-1 verifies.
  if (restarts) {
    const before = Object.fromEntries(teams.map((t) => [t, podFacts(t)]));
    const ctr = fault('containerd');
    // 30 s down (the most restart.sh allows): the board's whole 20 s window falls inside it.
    const kubeletDown = faultAsync('kubelet', '30');
    await sleep(2000);
    const reqDown = await askVerify('team-1', instance['team-1']);
    const during = await participantAsync('team-1', ['verify', instance['team-1'], '--json']);
    const kubelet = await kubeletDown;
    // The participant's verify wrote a request of its own: wait until every request is answered.
    const settled = async () => {
      const v = await verdictsByRequest('team-1');
      return oneVerdictPerRequest(v).ok ? v : undefined;
    };
    const afterDown = await waitFor('every request of team-1 answered', settled, 150_000);
    const downIndex = afterDown.events.findIndex((e) => e.id === reqDown);
    const down = afterDown.events.slice(downIndex).find((e) => e.type === 'verify-verdict' && e.by === 'instructor');
    // The node answers again: the same pods pass. Right after its return the kubelet re-checks
    // every pod's readiness, so the first verdict may be "could not verify": ask again, as a
    // participant would, up to three times.
    let back;
    for (let attempt = 1; attempt <= 3 && back?.result !== 'pass'; attempt++) {
      if (attempt > 1) await sleep(10_000);
      const reqBack = await askVerify('team-1', instance['team-1']);
      await waitFor('the verdict once the node is back', async () => (await verdictsByRequest('team-1')).verdicts.some((x) => x.request === reqBack), 120_000);
      back = (await verdictsByRequest('team-1')).verdicts.find((x) => x.request === reqBack);
    }
    const v = await verdictsByRequest('team-1');
    const afterFacts = Object.fromEntries(teams.map((t) => [t, podFacts(t)]));
    check(
      'containerd and kubelet restarted: every team pod and container survived (same uid, container id, restart count)',
      JSON.stringify(afterFacts) === JSON.stringify(before),
      `containerd unanswered ${ctr.unansweredMs} ms, kubelet ${kubelet.unansweredMs} ms${JSON.stringify(afterFacts) === JSON.stringify(before) ? '' : `: before ${JSON.stringify(before)} after ${JSON.stringify(afterFacts)}`}`,
    );
    check('kubelet not answering: the board’s first verdict after the request is "could not verify" (its Lease did not move), not a pass or a fail', down?.result === 'unable' && /heartbeat/.test(down.reasons?.[0] ?? ''), `${down?.result}: ${down?.reasons?.[0]}`);
    const backDetail = `${oneVerdictPerRequest(v).detail}: ${v.verdicts.map((x) => `${x.result} (${x.reasons?.[0] ?? ''})`).join('; ')}`;
    check('the node back: never a fail; the same pods pass within three requests; one verdict per request throughout', back?.result === 'pass' && oneVerdictPerRequest(v).ok && v.verdicts.every((x) => x.result !== 'fail'), backDetail);
    const said = (during.out.match(/"result":\s*"(\w+)"/) ?? [])[1];
    // A team token cannot read node Leases: the participant's own verify may pass on stale status (it does not score).
    check('participant verify while the kubelet was down: never a fail', during.code === 0 || during.code === 2, `exit ${during.code} (${said})`);
  }

  // ---- a team token expires while its game runs.
  if (tokenGame) await tokenExpired(tokenGame);
}

/**
 * The token row's own game (one team playing bad-command, 3 h long: it must still run when the
 * token has expired) and the shortest token the API server issues (10 min) for its team, in a
 * copy of the team's kubeconfig: it expires while the game runs (a game paused or started late
 * does that). Returns where all that is (what --token-step writes for the suite run later).
 */
function issueShortToken() {
  const tokGame = `faultstok${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'faults-token-'));
  const state = { game: tokGame, team: 'team-1', dir, namespace: `crashlab-${tokGame}-team-1`, xdg: join(dir, 'xdg') };
  const created = crashlab(['gameday', 'create', tokGame, '--teams', '1', '--scenarios', 'bad-command', '--duration', '3h', '--out', dir, '--no-network-probe', '--json'], instructorEnv(state));
  if (created.code !== 0) throw new Error(`gameday create ${tokGame}: ${created.err || created.out}`);
  const start = crashlab(['gameday', 'start', tokGame, '--scenario', 'bad-command', '--json'], instructorEnv(state));
  if (start.code !== 0) throw new Error(`gameday start ${tokGame}: ${start.err}`);
  const shortToken = kubectl(['create', 'token', 'crashlab-player', '-n', state.namespace, '--duration', '10m']).trim();
  state.issuedAt = Date.now();
  state.tokenExp = JSON.parse(Buffer.from(shortToken.split('.')[1], 'base64url').toString()).exp * 1000;
  state.kubeconfig = join(dir, 'team-1-short.kubeconfig');
  writeFileSync(state.kubeconfig, readFileSync(join(dir, 'team-1.kubeconfig'), 'utf8').replace(/token: .*/, `token: ${shortToken}`), { mode: 0o600 });
  note(`game ${tokGame}: team-1's short token expires at ${new Date(state.tokenExp).toISOString()}`);
  return state;
}

/** What --token-step left, if its game is still there (a file from an older cluster is ignored). */
function readTokenState() {
  if (!existsSync(TOKEN_STATE)) return undefined;
  const state = JSON.parse(readFileSync(TOKEN_STATE, 'utf8'));
  rmSync(TOKEN_STATE, { force: true });
  try {
    kubectl(['get', 'namespace', state.namespace]);
  } catch {
    note(`${TOKEN_STATE} names ${state.game}, which is gone: issuing a token here`);
    return undefined;
  }
  note(`game ${state.game}: team-1's short token was issued ${Math.round((Date.now() - state.issuedAt) / 1000)} s ago (--token-step), expires at ${new Date(state.tokenExp).toISOString()}`);
  return state;
}

async function tokenExpired(state) {
  const { game: tokGame, team, kubeconfig, tokenExp } = state;
  const wait = tokenExp - Date.now();
  if (wait > 0) note(`waiting ${Math.round(wait / 1000)} s for ${tokGame}'s short token to expire`);
  await sleep(Math.max(0, wait));
  // The API server still takes a token for a while past its exp (measured: about a minute, the
  // JWT check's leeway): wait until it refuses it.
  const waited = Date.now();
  await waitFor('the API server refusing the expired token', () => {
    try {
      execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, 'auth', 'whoami'], { env, stdio: 'pipe' });
      return false;
    } catch (e) {
      return /Unauthorized|must be logged in/.test(String(e.stderr));
    }
  }, 150_000);
  note(`the API server refused the token ${Math.round((Date.now() - tokenExp) / 1000)} s after its exp (waited ${Math.round((Date.now() - waited) / 1000)} s for that here)`);
  const expired = participant(`${tokGame}-${team}`, ['note', 'still there?'], { kubeconfig });
  const words = `${expired.out}${expired.err}`;
  check(
    'a token expired mid-game: the participant reads plain words (expired, what to do), no kubectl jargon, no stack trace',
    expired.code !== 0 && /token expired/i.test(words) && /gameday tokens/.test(words) && !/must be logged in|Unauthorized|\n\s+at /.test(words),
    words.trim().split('\n').slice(0, 2).join(' | '),
  );
  // The instructor's record of when the team tokens stop: here, the short token's expiry.
  const control = `crashlab-${tokGame}-control`;
  const gameCm = JSON.parse(kubectl(['get', 'configmap', 'crashlab-game', '-n', control, '-o', 'json']));
  const meta = JSON.parse(gameCm.data.game);
  meta.tokensEndAt = new Date(tokenExp).toISOString();
  kubectl(['patch', 'configmap', 'crashlab-game', '-n', control, '--type=merge', '-p', JSON.stringify({ data: { game: JSON.stringify(meta) } })]);
  const snap = JSON.parse(crashlab(['gameday', 'board', tokGame, '--json'], instructorEnv(state)).out || '{}');
  const row = snap.rows?.find((r) => r.team === team);
  check('the board marks the teams whose token expired while the game runs', snap.clock?.phase !== 'over' && (row?.stuck ?? []).some((s) => /token/i.test(s)), `phase ${snap.clock?.phase}, ${team} ${JSON.stringify(row?.stuck)}, notes ${JSON.stringify(snap.notes)}`);
}

/** The token game's instructor: the config dir --token-step ran in. */
const instructorEnv = ({ xdg: home }) => ({ XDG_CONFIG_HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state') });

/** Ends a game this suite made (its objects deleted by label if `gameday end` fails). */
function endGame(name, extraEnv) {
  if (crashlab(['gameday', 'end', name, '--no-results'], extraEnv).code === 0) return;
  try {
    kubectl(['delete', 'namespaces,validatingadmissionpolicies,validatingadmissionpolicybindings', '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${name}`, '--wait=false']);
  } catch {}
}

function finish() {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(xdg, { recursive: true, force: true });
  console.log(`(${secs()} s)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (tokenStep) {
  // run.sh, right after smoke: the token game and its token, left running for the suite at the end.
  try {
    tokenGame = issueShortToken();
    writeFileSync(TOKEN_STATE, JSON.stringify(tokenGame));
    check(`the token row's game and 10-minute token are ready (${TOKEN_STATE})`, true);
  } catch (e) {
    check('the token row’s game and 10-minute token are ready', false, e.message);
    if (tokenGame) endGame(tokenGame.game, instructorEnv(tokenGame));
  }
  finish();
} else {
  main()
    .catch((e) => check('suite ran to the end', false, `${e.message}; board notes: ${boards.map((b) => [...b.notes].join(' | ')).join(' / ')}`))
    .finally(() => {
      for (const b of boards) {
        try {
          if (b.exited === undefined) process.kill(-b.child.pid, 'SIGTERM');
        } catch {}
      }
      endGame(game);
      if (tokenGame) {
        endGame(tokenGame.game, instructorEnv(tokenGame));
        rmSync(tokenGame.dir, { recursive: true, force: true });
      }
      finish();
    });
}
