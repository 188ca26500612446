#!/usr/bin/env node
/**
 * The instructor's side of a game day on the real cluster: rounds, injection, the board
 * (--json, --json --watch), instructor verification with signed verdicts, a forged verdict that
 * does not count, export. Uses a game named gbs<random> (namespaces crashlab-gbs…-*) and deletes
 * it at the end. Prints one line per check and a final `N passed, N failed`; exits 1 on failure.
 *
 *   KUBECONFIG=~/.cache/crashlab-cluster/run/kubeconfig PATH=~/.cache/crashlab-cluster/bin:$PATH \
 *     node test/cluster/gameboard-suite.mjs [--context crashlab-local]
 * Needs `make build`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { appendTeamEvents } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const context = args.includes('--context') ? args[args.indexOf('--context') + 1] : 'crashlab-local';
const game = `gbs${randomBytes(2).toString('hex')}`;
const teams = ['team-1', 'team-2'];
const ns = (t) => `crashlab-${game}-${t}`;
const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': game };
const outDir = mkdtempSync(join(tmpdir(), 'gameboard-suite-'));
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
const kubectl = (argv, input) => execFileSync('kubectl', ['--context', context, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
function crashlab(argv) {
  try {
    return { code: 0, out: execFileSync('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { code: e.status ?? 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** crashlab as a participant: the team kubeconfig only, and a fresh config dir (no progress file). */
function participant(kubeconfig, argv) {
  const env = { ...process.env, KUBECONFIG: kubeconfig, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'gameboard-participant-')) };
  try {
    return { code: 0, out: execFileSync('node', [join(root, 'bin/crashlab.js'), '--kubeconfig', kubeconfig, ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { code: e.status ?? 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}

function provision() {
  if (crashlab(['gameday', 'create', game, '--mystery', '--teams', '2', '--scenarios', 'bad-command,oom', '--out', outDir, '--json']).code === 0) return 'gameday create --mystery';
  // Without working provisioning: what the board needs, labelled per the contract.
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `crashlab-${game}-control`, labels } },
    ...teams.map((t) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(t), labels: { ...labels, 'crashlab.dev/team': t } } })),
  ];
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const meta = { name: game, teams, scenarios: ['bad-command', 'oom'], durationSeconds: 3600, overtimeSeconds: 600 };
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-game', namespace: `crashlab-${game}-control`, labels }, data: { game: JSON.stringify(meta) } }));
  return 'raw';
}

const appendEvents = (team, events) => appendTeamEvents(kubectl, ns(team), events);
const events = (team) => kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'jsonpath={.data.events}']).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const boardJson = (extra = []) => JSON.parse(crashlab(['gameday', 'board', game, '--json', ...extra]).out);
const row = (board, team) => board.rows.find((r) => r.team === team);

async function main() {
  const started = Date.now();
  console.log(`game ${game} on ${context} (provisioned by ${provision()})`);

  const start = crashlab(['gameday', 'start', game, '--scenario', 'bad-command', '--json']);
  const round = start.code === 0 ? JSON.parse(start.out) : undefined;
  check('gameday start releases one opaque instance per team', round?.released?.length === 2 && round.released.every((r) => /^i-[a-z2-7]{6}$/.test(r.instance)), start.err);
  // The instance's own objects (the progress log may list the game's offered scenarios: which is which stays hidden).
  const teamObjects = kubectl(['get', 'deployments,replicasets,configmaps,pods', '-n', ns('team-1'), '-l', `crashlab.dev/instance=${round?.released?.[0]?.instance}`, '-o', 'json']);
  check("no object of an instance names its scenario", JSON.parse(teamObjects).items.length >= 2 && !/crashlab\.dev\/scenario|bad-command/.test(teamObjects));

  // A participant on a fresh laptop (no progress file) joins the released instance as it is.
  const kubeconfig = join(outDir, 'team-1.kubeconfig');
  const uidBefore = kubectl(['get', 'deployments', '-n', ns('team-1'), '-l', `crashlab.dev/instance=${round?.released?.[0]?.instance}`, '-o', 'jsonpath={.items[0].metadata.uid}']);
  const joined = participant(kubeconfig, ['start', 'bad-command', '--json']);
  const joinedDoc = joined.code === 0 ? JSON.parse(joined.out) : undefined;
  const uidAfter = kubectl(['get', 'deployments', '-n', ns('team-1'), '-l', `crashlab.dev/instance=${round?.released?.[0]?.instance}`, '-o', 'jsonpath={.items[0].metadata.uid}']);
  check('a participant without a progress file joins the released instance, nothing redeployed', joinedDoc?.joined === true && uidBefore !== '' && uidAfter === uidBefore, joined.code === 0 ? '' : joined.err);
  const releasedEvent = events('team-1').find((e) => e.type === 'released');
  const annotations = JSON.parse(kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns('team-1'), '-o', 'json'])).metadata.annotations ?? {};
  check('a mystery game: marked on the team’s ConfigMap, and the released event carries no title', annotations['crashlab.dev/mode'] === 'mystery' && releasedEvent && !('title' in releasedEvent), releasedEvent && !('title' in releasedEvent) ? '' : JSON.stringify(releasedEvent));
  const again = participant(kubeconfig, ['start', 'bad-command']);
  check('a participant’s start in a mystery game prints the symptoms, not the briefing', again.code === 0 && /Resumed|Joined/.test(again.out) && !/status-page|wrong command/i.test(again.out.split('\n').slice(2).join('\n')), again.code === 0 ? '' : again.err);
  const instance1 = round?.released?.find((r) => r.team === 'team-1')?.instance;
  const joinOut = participant(kubeconfig, ['join', kubeconfig]);
  check('join (no terminal) lists the instance running in the team namespace', joinOut.code === 0 && joinOut.out.includes(`running in your namespace: ${instance1}, released by your instructor (round 1)`), joinOut.code === 0 ? joinOut.out.split('\n').slice(0, 3).join(' | ') : joinOut.err);
  const byInstance = participant(kubeconfig, ['status', instance1, '--json']);
  const byInstanceDoc = byInstance.code === 0 ? JSON.parse(byInstance.out) : undefined;
  check('an instance id works where a scenario id does (status i-…), and the answer does not spell the scenario', byInstanceDoc?.pods?.length >= 1 && !byInstance.out.includes('bad-command'), byInstance.code === 0 ? '' : byInstance.err);
  const seen = participant(kubeconfig, ['status', 'bad-command', '--json']);
  const seenDoc = seen.code === 0 ? JSON.parse(seen.out) : undefined;
  check('a second fresh laptop of the team finds the released instance by its fingerprint', seenDoc?.pods?.length >= 1, seen.err ?? '');

  let board;
  for (let i = 0; i < 30; i++) {
    board = boardJson();
    if (teams.every((t) => row(board, t)?.pod)) break;
    await sleep(2000);
  }
  check('board --json: every team with its pod, instance and scenario', teams.every((t) => row(board, t)?.pod && row(board, t).instance && row(board, t).scenario === 'bad-command'));
  check('board --json --public hides the scenario ids', !JSON.stringify(boardJson(['--public'])).includes('bad-command'));

  // team-1 forges an instructor pass in its own log.
  const i1 = row(board, 'team-1').instance;
  appendEvents('team-1', [{ at: new Date().toISOString(), type: 'verify-verdict', instance: i1, pass: true, by: 'instructor', result: 'pass', reasons: ['trust me'], sig: 'f'.repeat(64) }]);
  const forged = row(boardJson(), 'team-1');
  check('a forged instructor verdict does not count', forged.verified === false && forged.score === 0);

  // team-2 fixes its workload and asks; the watching board verifies and signs.
  const i2 = row(board, 'team-2').instance;
  const dep = JSON.parse(kubectl(['get', 'deployments', '-n', ns('team-2'), '-l', `crashlab.dev/instance=${i2}`, '-o', 'json'])).items[0].metadata.name;
  kubectl(['patch', 'deployment', dep, '-n', ns('team-2'), '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command/0","value":"/bin/httpd"}]']);
  const now = new Date().toISOString();
  appendEvents('team-2', [
    { at: now, type: 'diagnosis', instance: i2, category: 'bad-command', correct: true },
    { at: now, type: 'fix-applied', instance: i2, how: 'own' },
    { at: now, type: 'verify-requested', instance: i2 },
  ]);
  const watcher = spawn('node', [join(root, 'bin/crashlab.js'), '--context', context, 'gameday', 'board', game, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last;
  let interrupted;
  let lines = 0;
  let maxWatches = 0;
  createInterface({ input: watcher.stdout }).on('line', (l) => {
    lines++;
    const doc = JSON.parse(l);
    // The last line after SIGINT is {"interrupted":true,...}, not a board.
    if (doc.interrupted) interrupted = doc;
    else last = doc;
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !(last && row(last, 'team-2')?.verified)) {
    const kids = execFileSync('ps', ['-e', '-o', 'ppid=,args='], { encoding: 'utf8' })
      .split('\n')
      // A watch is a kubectl process streaming one API watch (`get --raw …?watch=1`, or `get --watch`).
      .filter((l) => l.trim().startsWith(`${watcher.pid} `) && /kubectl/.test(l) && /--watch|[?&]watch=1/.test(l));
    maxWatches = Math.max(maxWatches, kids.length);
    await sleep(1000);
  }
  watcher.kill('SIGINT');
  const watchExit = await new Promise((r) => watcher.once('close', (code) => r(code)));
  check('board --json --watch ends on SIGINT with an interrupted line and exit 130', watchExit === 130 && interrupted?.signal === 'SIGINT', `exit ${watchExit}, last line ${JSON.stringify(interrupted ?? null)}`);
  check('board --json --watch prints JSON lines and sees the verified fix', lines > 1 && row(last ?? { rows: [] }, 'team-2')?.verified === true, `${lines} lines`);
  check('the board used one pod watch and one ConfigMap watch (none per team, none per verification)', maxWatches === 2, `max ${maxWatches} kubectl --watch`);
  const verdict = events('team-2').filter((e) => e.type === 'verify-verdict').at(-1);
  check('the verdict is the instructor\'s, signed, and a pass', verdict?.by === 'instructor' && verdict.pass === true && /^[0-9a-f]{64}$/.test(verdict.sig ?? ''));
  const after = boardJson();
  check('only the verified team scores and ranks first', row(after, 'team-2').score >= 100 && row(after, 'team-2').rank === 1 && row(after, 'team-1').score === 0);

  const inject = crashlab(['gameday', 'inject', game, 'oom', '--team', 'team-1', '--json']);
  const injected = inject.code === 0 ? JSON.parse(inject.out) : undefined;
  const t1 = kubectl(['get', 'deployments', '-n', ns('team-1'), '-o', 'jsonpath={.items[*].metadata.labels.crashlab\\.dev/instance}']).split(' ');
  const t2 = kubectl(['get', 'deployments', '-n', ns('team-2'), '-o', 'jsonpath={.items[*].metadata.labels.crashlab\\.dev/instance}']).split(' ');
  check('inject adds a fault to one team only', injected?.released?.length === 1 && t1.length === 2 && t2.length === 1, inject.err);

  const csv = crashlab(['gameday', 'export', game, '--format', 'csv']);
  const json = crashlab(['gameday', 'export', game, '--format', 'json']);
  const doc = json.code === 0 ? JSON.parse(json.out) : undefined;
  check('export csv and json: a row per team and instance, plus the event log', csv.code === 0 && csv.out.startsWith('team,rank,instance') && doc?.results.length === 3 && doc.events.length > 5);

  // A game day ends in recorded conclusions: team-2 notes what it found; the debrief export shows it.
  const noted = participant(join(outDir, 'team-2.kubeconfig'), ['note', 'busybox has no /usr/local/apache2; the fix runs /bin/httpd']);
  const md = crashlab(['gameday', 'export', game, '--format', 'md']);
  check(
    'a team note reaches the log (append-only policy allows it) and export md shows it beside its scenario, with the scenario’s debrief',
    noted.code === 0 && md.code === 0 && /\| team-2 \| [^|]+ \| bad-command \| busybox has no \/usr\/local\/apache2; the fix runs \/bin\/httpd \|/.test(md.out) && md.out.includes('### bad-command: '),
    noted.code === 0 ? (md.code === 0 ? '' : md.err) : noted.err,
  );

  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
}

main()
  .catch((e) => check('suite ran to the end', false, e.message))
  .finally(() => {
    if (crashlab(['gameday', 'end', game]).code !== 0) {
      try {
        kubectl(['delete', 'namespaces,validatingadmissionpolicies,validatingadmissionpolicybindings', '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${game}`, '--wait=false']);
      } catch {}
    }
    rmSync(outDir, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
