#!/usr/bin/env node
/**
 * A game day rehearsed in front of an empty room (issue 16): the instructor provisions a game,
 * runs TWO boards that both answer verify requests, releases a round, injects a fault and adds
 * a late team; four participant "laptops" (each its own XDG_CONFIG_HOME, only its team
 * kubeconfig in KUBECONFIG, no --context) play it through the CLI:
 *   team-1 the fixer: names the cause first, fixes it, then fixes an injected fault;
 *   team-2 the hint-taker: two hints (one shown twice), a wrong answer, then `solve`;
 *   team-3 the cheater: a forged instructor pass, the oom "fix" that deletes the allocation,
 *          a hand-written diagnosis after the verdict, a forged release, a pass copied from
 *          team-1's log; then the real fix;
 *   team-4 the late team: provisioned after the round started, handed the round as a fault.
 * Final scores are computed here from the README's scoring table and the log's timestamps and
 * asserted exactly on both boards, `board --json`, the export and each team's `crashlab score`.
 * Then a second game, rp<hex>, with a scenario pack (two built-ins copied under new ids) that
 * the two laptops do not have (issue 19 item 7): list, start, hint, wrong and right answers,
 * fix, verify, solve refused, the board's scores — every printed command typed as printed.
 * Games rh<hex> and rp<hex>; removed at the end. Prints one line per check and `N passed, N failed`.
 *
 *   KUBECONFIG=~/.cache/crashlab-cluster/run/kubeconfig PATH=~/.cache/crashlab-cluster/bin:$PATH \
 *     node test/cluster/rehearsal-suite.mjs [--context crashlab-local] [--only-pack-room | --no-pack-room]
 * Needs `make build`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { KUBECONFIG, ROOT } from './lib.mjs';

const run = promisify(execFile);
const args = process.argv.slice(2);
const context = args.includes('--context') ? args[args.indexOf('--context') + 1] : 'crashlab-local';
const game = `rh${randomBytes(2).toString('hex')}`;
const ns = (t) => `crashlab-${game}-${t}`;
const outDir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
const BIN = join(ROOT, 'bin/crashlab.js');
// The README's table (asserted against the code's SCORING_RULES below, so the two cannot drift).
const RULES = { verifiedFix: 100, perHint: -10, perWrongDiagnosis: -5, perFailedVerify: -5, firstTryDiagnosis: 10, maxTimeBonus: 50, parSeconds: 900, withSolution: 20 };
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kubectl = (argv, input) => execFileSync('kubectl', ['--context', context, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG } });
async function instructor(argv) {
  try {
    const r = await run('node', [BIN, '--context', context, '--yes', ...argv], { encoding: 'utf8', env: { ...process.env, KUBECONFIG }, maxBuffer: 1 << 24 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    return { code: e.code ?? 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}

/** A participant's laptop: its own config dir, only the team kubeconfig, commands typed as printed. */
function laptop(team, dir = outDir) {
  const env = { ...process.env, KUBECONFIG: join(dir, `${team}.kubeconfig`), XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), `rehearsal-${team}-`)) };
  delete env.CRASHLAB_SUITE_CONTEXT;
  // A laptop has no pack of the instructor's.
  delete env.CRASHLAB_SCENARIOS;
  const exec = async (file, argv) => {
    try {
      const r = await run(file, argv, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      return { code: typeof e.code === 'number' ? e.code : 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
    }
  };
  return {
    team,
    env,
    crashlab: (argv) => exec('node', [BIN, ...argv]),
    kubectl: (argv) => exec('kubectl', argv),
    /** A command line exactly as crashlab printed it (`crashlab verify oom`), run in this shell. */
    typed: (line) => {
      const words = line.trim().split(/\s+/);
      return words[0] === 'crashlab' ? exec('node', [BIN, ...words.slice(1)]) : exec(words[0], words.slice(1));
    },
  };
}

function events(team) {
  const text = kubectl(['get', 'configmap', 'crashlab-progress', '-n', ns(team), '-o', 'jsonpath={.data.events}']);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
/** What a team can do to its own log with its own token: append a line (kubectl get, edit, replace). */
async function appendByHand(p, line) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cm = JSON.parse((await p.kubectl(['get', 'configmap', 'crashlab-progress', '-o', 'json'])).out);
    cm.data.events = `${cm.data.events ?? ''}${JSON.stringify(line)}\n`;
    const file = join(outDir, `${p.team}-edit.json`);
    execFileSync('sh', ['-c', `cat > ${file}`], { input: JSON.stringify(cm) });
    const r = await p.kubectl(['replace', '-f', file]);
    if (r.code === 0) return r;
    if (!/Conflict|modified/.test(r.err)) return r;
  }
  return { code: 1, err: 'conflicts' };
}
async function boardJson() {
  const r = await instructor(['gameday', 'board', game, '--json']);
  return r.code === 0 ? JSON.parse(r.out) : undefined;
}
const row = (board, team) => board?.rows.find((r) => r.team === team);
async function until(what, test, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const board = await boardJson();
    if (board && test(board)) return board;
    if (Date.now() > deadline) {
      check(what, false, `not within ${seconds} s: ${JSON.stringify(board?.rows.map((r) => [r.team, r.verify, r.verified, r.score]))}`);
      return board;
    }
    await sleep(2000);
  }
}
async function deploymentOf(p, instance) {
  return JSON.parse((await p.kubectl(['get', 'deployments', '-l', `crashlab.dev/instance=${instance}`, '-o', 'json'])).out).items[0];
}

/** The README's rule for one instance, from what the log says (instructor verdicts are the board's: they name a request). */
function expectedScore(log, instance, releasedAt, { category }) {
  const mine = log.filter((e) => e.instance === instance);
  const asked = new Set(mine.filter((e) => e.type === 'verify-requested').map((e) => e.id));
  const answered = new Set();
  // The board's verdicts: signed, each answering a request of this instance once (a copied or forged line answers none).
  const verdicts = mine.filter((e) => {
    if (e.type !== 'verify-verdict' || e.by !== 'instructor' || !asked.has(e.request) || answered.has(e.request) || !/^[0-9a-f]{64}$/.test(e.sig ?? '')) return false;
    // One verdict answers every request open before it.
    for (const r of mine.slice(0, mine.indexOf(e)).filter((x) => x.type === 'verify-requested')) answered.add(r.id);
    return true;
  });
  const pass = verdicts.find((v) => v.result === 'pass');
  if (!pass) return 0;
  const passIndex = log.indexOf(pass);
  if (mine.some((e) => e.type === 'fix-applied' && e.how === 'solve' && log.indexOf(e) < passIndex)) return RULES.withSolution;
  const hints = new Set(mine.filter((e) => e.type === 'hint').map((e) => e.index)).size;
  const diagnoses = mine.filter((e) => e.type === 'diagnosis');
  const firstRight = diagnoses.findIndex((d) => d.category === category);
  const wrong = firstRight >= 0 ? firstRight : diagnoses.length;
  const failedVerifies = verdicts.filter((v) => v.result === 'fail' && log.indexOf(v) < passIndex).length;
  const firstVerdict = verdicts[0];
  const firstSolve = mine.find((e) => e.type === 'fix-applied' && e.how === 'solve');
  const before = (a, b) => !b || log.indexOf(a) < log.indexOf(b);
  const genuine = firstRight === 0 && before(diagnoses[0], firstVerdict) && before(diagnoses[0], firstSolve);
  const t = Math.max(0, Math.round((Date.parse(pass.at) - Date.parse(releasedAt)) / 1000));
  const bonus = Math.round(RULES.maxTimeBonus * Math.max(0, 1 - t / RULES.parSeconds));
  return Math.max(10, RULES.verifiedFix + hints * RULES.perHint + wrong * RULES.perWrongDiagnosis + failedVerifies * RULES.perFailedVerify + (genuine ? RULES.firstTryDiagnosis : 0) + bonus);
}

async function main() {
  const started = Date.now();
  const timings = {};
  const lap = (name, since) => (timings[name] = Math.round((Date.now() - since) / 1000));
  const { SCORING_RULES } = await import(join(ROOT, 'dist/core/gameday/scoring.js'));
  check('the README table used here is the code’s SCORING_RULES', Object.entries(RULES).every(([k, v]) => SCORING_RULES[k] === v), JSON.stringify(SCORING_RULES));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  check('the README prints the same table', ['| instructor-verified fix (nothing scores without one) | +100 |', '| per hint revealed | −10 |', '| fixed with the reference solution (`solve`) | 20 flat, no other term |'].every((l) => readme.includes(l)));

  let t = Date.now();
  const created = await instructor(['gameday', 'create', game, '--teams', '3', '--scenarios', 'oom,bad-command', '--duration', '30m', '--overtime', '5m', '--out', outDir]);
  lap('create', t);
  check('gameday create (3 teams)', created.code === 0, created.err.split('\n').slice(-3).join(' | '));
  const endHint = created.out.split('\n').find((l) => l.includes('remove everything with:'))?.split('remove everything with: ')[1]?.trim();
  check('create’s closing hint carries the context it was given', endHint === `crashlab --context ${context} --yes gameday end ${game}`, endHint);

  // Two boards, both answering verify requests (the Ink board and a --json --watch, or two of either).
  const boards = [0, 1].map(() => {
    const child = spawn('node', [BIN, '--context', context, 'gameday', 'board', game, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBECONFIG } });
    const state = { child, last: undefined, lines: 0 };
    createInterface({ input: child.stdout }).on('line', (l) => {
      state.lines++;
      state.last = JSON.parse(l);
    });
    return state;
  });

  t = Date.now();
  const round = await instructor(['gameday', 'start', game, '--scenario', 'oom', '--json']);
  const released = round.code === 0 ? JSON.parse(round.out).released : [];
  check('round 1 (oom) released to the three teams', released.length === 3, round.err);
  const inst = Object.fromEntries(released.map((r) => [r.team, r.instance]));
  const [p1, p2, p3] = ['team-1', 'team-2', 'team-3'].map((team) => laptop(team));

  // Every laptop: KUBECONFIG set to the team file, nothing else; the printed commands work.
  const joined = await Promise.all([p1, p2, p3].map((p) => p.crashlab(['start', 'oom'])));
  check('each team joins the released run with KUBECONFIG only (no "context kind-crashlab" error)', joined.every((j) => j.code === 0 && /Joined|Resumed/.test(j.out)), joined.map((j) => j.err.trim()).join(' | '));
  const next = joined[0].out.split('\n').find((l) => l.startsWith('Next: '));
  const statusLine = next?.slice('Next: '.length).split('   ·   ')[0];
  const typedStatus = statusLine ? await p1.typed(statusLine) : { code: 2 };
  check('the "Next:" command start printed works as printed', statusLine === 'crashlab status oom' && typedStatus.code === 0, `${statusLine}: ${typedStatus.err ?? ''}`);

  // team-1, the fixer: right cause first, its own fix, verify.
  const fixer = (async () => {
    const a = await p1.crashlab(['answer', 'oom', 'oom-killed']);
    check('team-1 names the cause (right, first answer)', a.code === 0, a.err);
    const dep = await deploymentOf(p1, inst['team-1']);
    await p1.kubectl(['patch', 'deployment', dep.metadata.name, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"128Mi"}]']);
    const v = await p1.crashlab(['verify', 'oom']);
    check('team-1 verify passes in its own lab', v.code === 0, v.err.trim());
  })();

  // team-2, the hint-taker: two hints (one of them shown again), a wrong answer, the right one, solve.
  const hinter = (async () => {
    const h1 = await p2.crashlab(['hint', 'oom']);
    const h2 = await p2.crashlab(['hint']);
    const h1again = await p2.crashlab(['hint', 'oom', '--number', '1']);
    check('team-2 takes hints 1 and 2 and shows hint 1 again', /Hint 1\/3/.test(h1.out) && /Hint 2\/3/.test(h2.out) && /Hint 1\/3/.test(h1again.out), [h1, h2, h1again].map((h) => h.err.trim()).join(' | '));
    const wrong = await p2.crashlab(['answer', 'oom', 'liveness-misfire']);
    const right = await p2.crashlab(['answer', 'oom', 'oom-killed']);
    check('team-2 answers wrong (exit 1), then right', wrong.code === 1 && right.code === 0, wrong.err + right.err);
    const solved = await p2.crashlab(['solve', 'oom']);
    const prove = solved.out.split('\n').find((l) => l.includes('Prove it: '))?.split('Prove it: ')[1];
    const v = prove ? await p2.typed(prove) : { code: 2, err: 'no "Prove it:" line' };
    check('team-2 solves and runs the printed verify command as printed', solved.code === 0 && prove === 'crashlab verify oom' && v.code === 0, `${prove}: ${v.err ?? ''}`);
    const dep = await deploymentOf(p2, inst['team-2']);
    check('solve keeps the game and team labels (the board and the next round find the run)', dep?.metadata.labels?.['crashlab.dev/game'] === game && dep.spec.template.metadata.labels?.['crashlab.dev/team'] === 'team-2');
  })();

  // team-3, the cheater.
  const cheater = (async () => {
    const at = () => new Date().toISOString();
    await appendByHand(p3, { at: at(), type: 'verify-verdict', instance: inst['team-3'], pass: true, by: 'instructor', result: 'pass', reasons: ['trust me'], sig: 'f'.repeat(64) });
    const dep = await deploymentOf(p3, inst['team-3']);
    const script = dep.spec.template.spec.containers[0].command[2];
    const noLoad = script.split('\n').filter((l) => !l.includes('bs=64M')).join('\n');
    await p3.kubectl(['patch', 'deployment', dep.metadata.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command/2', value: noLoad }])]);
    const v1 = await p3.crashlab(['verify', 'oom']);
    check('team-3’s oom "fix" that deletes the 64 MiB load fails verify, naming the guard', v1.code === 1 && /64 MiB catalogue load/.test(v1.out), v1.out.split('\n').slice(0, 2).join(' | '));
    return { dep, script, at };
  })();

  await Promise.all([fixer, hinter]);
  const cheat = await cheater;
  let board = await until('teams 1 and 2 verified, team-3’s failed verify answered', (b) => row(b, 'team-1')?.verified && row(b, 'team-2')?.verified && row(b, 'team-3')?.failedVerifies === 1, 240);
  lap('round 1 (teams 1-2 verified)', t);

  // The cheater goes on: a diagnosis written by hand after the verdict, a forged release, team-1's signed pass copied.
  await appendByHand(p3, { at: '2020-01-01T00:00:00.000Z', type: 'diagnosis', instance: inst['team-3'], category: 'oom-killed', correct: true });
  await appendByHand(p3, { at: cheat.at(), type: 'released', instance: 'i-zzzzzz', round: 1, via: 'round' });
  const t1pass = events('team-1').find((e) => e.type === 'verify-verdict' && e.by === 'instructor' && e.result === 'pass');
  await appendByHand(p3, { ...t1pass, instance: inst['team-3'] });
  await p3.kubectl(['patch', 'deployment', cheat.dep.metadata.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command/2', value: cheat.script }, { op: 'replace', path: '/spec/template/spec/containers/0/resources/limits/memory', value: '128Mi' }])]);
  const cheaterVerify = p3.crashlab(['verify', 'oom']);

  // An injected fault for team-1; a late team (team-4) provisioned after the start, handed the round as a fault.
  t = Date.now();
  const inject = await instructor(['gameday', 'inject', game, 'bad-command', '--team', 'team-1', '--json']);
  const injected = inject.code === 0 ? JSON.parse(inject.out).released[0].instance : undefined;
  check('inject bad-command into team-1', Boolean(injected), inject.err);
  const late = await instructor(['gameday', 'create', game, '--teams', '4', '--scenarios', 'oom,bad-command', '--duration', '30m', '--overtime', '5m', '--out', outDir]);
  const exp = (team) => JSON.parse(Buffer.from(yaml.load(readFileSync(join(outDir, `${team}.kubeconfig`), 'utf8')).users[0].user.token.split('.')[1], 'base64url').toString()).exp;
  const gameEnd = (() => {
    const m = JSON.parse(kubectl(['get', 'configmap', 'crashlab-game', '-n', `crashlab-${game}-control`, '-o', 'jsonpath={.data.game}']));
    return Date.parse(m.startedAt) / 1000 + m.durationSeconds + m.overtimeSeconds;
  })();
  check(
    'every team’s token (the late team’s too) lasts until the game really ends, and no team’s much longer',
    late.code === 0 && ['team-1', 'team-2', 'team-3', 'team-4'].every((tm) => exp(tm) >= gameEnd && exp(tm) <= gameEnd + 600),
    late.code === 0 ? `game ends ${gameEnd}; tokens ${['team-1', 'team-4'].map(exp).join(', ')}` : late.err,
  );
  const lateRound = await instructor(['gameday', 'inject', game, 'oom', '--team', 'team-4', '--json']);
  const inst4 = lateRound.code === 0 ? JSON.parse(lateRound.out).released[0].instance : undefined;
  check('the late team gets the round as an injected fault', Boolean(inst4), lateRound.err);
  const p4 = laptop('team-4');

  await Promise.all([
    (async () => {
      await until('team-1’s injected pod exists', (b) => row(b, 'team-1')?.instance === injected && row(b, 'team-1')?.pod, 60);
      const dep = await deploymentOf(p1, injected);
      const i = dep.spec.template.spec.containers.findIndex((c) => c.name === 'app');
      await p1.kubectl(['patch', 'deployment', dep.metadata.name, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/template/spec/containers/${Math.max(0, i)}/command/0`, value: '/bin/httpd' }])]);
      const v = await p1.crashlab(['verify', 'bad-command']);
      check('team-1 fixes the injected fault (verify passes in its lab)', v.code === 0, v.out.split('\n').slice(0, 2).join(' | '));
    })(),
    (async () => {
      const s = await p4.crashlab(['start', 'oom']);
      const a = await p4.crashlab(['answer', 'oom', 'oom-killed']);
      const dep = await deploymentOf(p4, inst4);
      await p4.kubectl(['patch', 'deployment', dep.metadata.name, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"128Mi"}]']);
      const v = await p4.crashlab(['verify', 'oom']);
      check('the late team joins, answers right and fixes', s.code === 0 && a.code === 0 && v.code === 0, `${s.err}${a.err}${v.err}`.trim());
    })(),
    cheaterVerify.then((v) => check('team-3’s real fix passes in its lab', v.code === 0, v.err.trim())),
  ]);
  board = await until('every team verified', (b) => ['team-1', 'team-3', 'team-4'].every((tm) => row(b, tm)?.verified) && row(b, 'team-1')?.instance === injected, 300);
  lap('fault, late team, cheater verified', t);
  await sleep(3000);

  // ---- the scores, by the README's rules
  const meta = JSON.parse(kubectl(['get', 'configmap', 'crashlab-game', '-n', `crashlab-${game}-control`, '-o', 'jsonpath={.data.game}']));
  const category = { oom: 'oom-killed', 'bad-command': 'bad-command' };
  const expected = {};
  for (const team of ['team-1', 'team-2', 'team-3', 'team-4']) {
    const log = events(team);
    expected[team] = Object.entries(meta.instances)
      .filter(([, r]) => r.team === team)
      .reduce((sum, [id, r]) => sum + expectedScore(log, id, r.releasedAt, { category: category[r.scenario] }), 0);
  }
  console.log(`expected scores (README rules): ${JSON.stringify(expected)}`);
  check('the expected scores show each rule: fixer > late team and cheater > hint-taker (20, solve)', expected['team-2'] === 20 && expected['team-1'] > 200 && expected['team-3'] < expected['team-4'], JSON.stringify(expected));

  const final = await boardJson();
  const scoresOf = (b) => Object.fromEntries(['team-1', 'team-2', 'team-3', 'team-4'].map((tm) => [tm, row(b, tm)?.score]));
  check('board --json: exact scores', JSON.stringify(scoresOf(final)) === JSON.stringify(expected), JSON.stringify(scoresOf(final)));
  boards.forEach((b, i) => check(`watching board ${i + 1}: exact scores`, JSON.stringify(scoresOf(b.last)) === JSON.stringify(expected), `${b.lines} lines: ${JSON.stringify(scoresOf(b.last))}`));
  check('ranks: fixer 1st, hint-taker last', row(final, 'team-1')?.rank === 1 && row(final, 'team-2')?.rank === 4);
  check('team-2’s hints count once each: HINT 2 (board), the lab showed hint 1 twice', row(final, 'team-2')?.instances[0]?.hints === 2);
  const perRequest = ['team-1', 'team-2', 'team-3', 'team-4'].flatMap((tm) => {
    const verdicts = events(tm).filter((e) => e.type === 'verify-verdict' && e.by === 'instructor' && e.request);
    return [...new Set(verdicts.map((v) => v.request))].map((id) => verdicts.filter((v) => v.request === id).length);
  });
  check('two boards, one verdict per verify request', perRequest.length >= 5 && perRequest.every((n) => n === 1), JSON.stringify(perRequest));
  const bad = row(final, 'team-3')?.badLines ?? [];
  check('the cheater’s forged verdict, forged release and copied pass are listed in badLines', bad.length === 3 && bad.some((b) => /signature/.test(b.error)) && bad.some((b) => /never made/.test(b.error)), JSON.stringify(bad.map((b) => b.error)));
  check('no cheat earned a point: team-3 = fix - failed verify + speed, no first-try bonus', !row(final, 'team-3')?.instances[0]?.breakdown.some((b) => /first try/.test(b)), JSON.stringify(row(final, 'team-3')?.instances[0]?.breakdown));

  const exported = await instructor(['gameday', 'export', game, '--format', 'json']);
  const doc = exported.code === 0 ? JSON.parse(exported.out) : undefined;
  const exportTotals = {};
  for (const r of doc?.results ?? []) exportTotals[r.team] = (exportTotals[r.team] ?? 0) + r.score;
  check('export json: the same scores', ['team-1', 'team-2', 'team-3', 'team-4'].every((tm) => exportTotals[tm] === expected[tm]), JSON.stringify(exportTotals));
  const marked = (doc?.events ?? []).filter((e) => e.team === 'team-3' && e.notCounted);
  check('export json marks the cheater’s three lines as not counted', marked.length === 3 && (doc?.events ?? []).filter((e) => e.notCounted).length === 3, JSON.stringify(marked.map((e) => e.type)));

  const labs = await Promise.all([p1, p2, p3, p4].map(async (p) => [p.team, JSON.parse((await p.crashlab(['score', '--json'])).out || '{}').score]));
  check('each participant’s lab (`crashlab score`): the same scores', labs.every(([tm, s]) => s === expected[tm]), JSON.stringify(Object.fromEntries(labs)));

  for (const b of boards) b.child.kill('SIGINT');
  await Promise.all(boards.map((b) => new Promise((r) => (b.child.exitCode !== null ? r() : b.child.once('exit', r)))));
  t = Date.now();
  const ended = endHint ? await run('sh', ['-c', `node ${BIN} ${endHint.replace(/^crashlab /, '')}`], { env: { ...process.env, KUBECONFIG } }).then(() => 0, (e) => e.code) : 2;
  lap('end', t);
  check('the end command create printed works as printed', ended === 0);
  console.log(`timings (s): ${JSON.stringify(timings)}, total ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Packs in a room: the instructor has a pack, the laptops do not. What they need comes from the
 * game (ConfigMap crashlab-content in the team namespace), never the cause or the fix before
 * the rules allow; `solve` is refused there (the solution stays with the instructor).
 */
const packGame = `rp${randomBytes(2).toString('hex')}`;
const packDir = mkdtempSync(join(tmpdir(), 'rehearsal-pack-'));
const packOut = mkdtempSync(join(tmpdir(), 'rehearsal-packroom-'));
async function packRoom() {
  const started = Date.now();
  // A workshop's pack: two built-ins copied under the workshop's own ids.
  for (const [from, to] of [['oom', 'acme-oom'], ['tight-liveness', 'acme-liveness']]) {
    for (const kind of ['scenarios', 'solutions']) cpSync(join(ROOT, kind, from), join(packDir, kind, to), { recursive: true });
    const file = join(packDir, 'scenarios', to, 'scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`^id: ${from}$`, 'm'), `id: ${to}`));
  }
  const oomScenario = yaml.load(readFileSync(join(ROOT, 'scenarios/oom/scenario.yaml'), 'utf8'));
  const withPack = (argv) => instructor(['--scenarios', packDir, ...argv]);
  const created = await withPack(['gameday', 'create', packGame, '--teams', '2', '--scenarios', 'acme-oom,acme-liveness', '--duration', '30m', '--out', packOut, '--no-network-probe']);
  check('pack room: gameday create --scenarios DIR (2 teams)', created.code === 0, created.err.split('\n').slice(-3).join(' | '));
  const board = spawn('node', [BIN, '--context', context, '--scenarios', packDir, 'gameday', 'board', packGame, '--json', '--watch'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBECONFIG } });
  const watched = { last: undefined };
  createInterface({ input: board.stdout }).on('line', (l) => (watched.last = JSON.parse(l)));
  const round = await withPack(['gameday', 'start', packGame, '--scenario', 'acme-oom', '--json']);
  const inst = Object.fromEntries((round.code === 0 ? JSON.parse(round.out).released : []).map((r) => [r.team, r.instance]));
  check('pack room: round 1 (acme-oom) released to both teams', Object.keys(inst).length === 2, round.err);
  const [q1, q2] = ['team-1', 'team-2'].map((tm) => laptop(tm, packOut));

  // What a team can read with its own token: the team-visible content, nothing that gives the cause.
  const content = JSON.parse((await q1.kubectl(['get', 'configmap', 'crashlab-content', '-o', 'json'])).out || '{}');
  const published = content.data?.scenarios ?? '';
  check(
    'pack room: the team reads the published scenarios, without category, hint text, debrief, guards or solution',
    /"acme-oom"/.test(published) && /"acme-liveness"/.test(published) && !/oom-killed|liveness-misfire|"guards"/.test(published) && !published.includes(oomScenario.hints[0].en) && !published.includes(oomScenario.debrief.en.slice(0, 60)),
    published.slice(0, 200),
  );
  const listed = await q1.crashlab(['list']);
  check('pack room: `crashlab list` on a laptop without the pack shows the game’s scenarios, no category', listed.code === 0 && /acme-oom/.test(listed.out) && /acme-liveness/.test(listed.out) && !/CATEGORY/.test(listed.out), listed.out + listed.err);

  const joined = await Promise.all([q1, q2].map((p) => p.crashlab(['start', 'acme-oom'])));
  check('pack room: each laptop joins the released run', joined.every((j) => j.code === 0 && /Joined/.test(j.out)), joined.map((j) => j.err.trim()).join(' | '));
  const statusLine = joined[0].out.split('\n').find((l) => l.startsWith('Next: '))?.slice('Next: '.length).split('   ·   ')[0];
  const status = statusLine ? await q1.typed(statusLine) : { code: 2, err: 'no Next: line' };
  check('pack room: the "Next:" status command works as printed', statusLine === 'crashlab status acme-oom' && status.code === 0, `${statusLine}: ${status.err}`);

  let t = Date.now();
  const hint = await q1.crashlab(['hint', 'acme-oom']);
  check('pack room: a hint’s text comes from the board once paid', hint.code === 0 && hint.out.includes(oomScenario.hints[0].en), `${Date.now() - t} ms: ${hint.out}${hint.err}`);
  t = Date.now();
  const wrong = await q1.crashlab(['answer', 'acme-oom', 'app-exception']);
  check('pack room: a wrong answer is judged wrong by the board (exit 1)', wrong.code === 1 && /^Not app-exception/.test(wrong.out), `${Date.now() - t} ms: ${wrong.out}${wrong.err}`);
  const right = await q1.crashlab(['answer', 'acme-oom', 'oom-killed']);
  check('pack room: the right answer is judged right', right.code === 0 && /^Right/.test(right.out), right.out + right.err);
  const solve = await q2.crashlab(['solve', 'acme-oom']);
  check('pack room: solve is refused, saying the solution stays with the instructor (exit 2)', solve.code === 2 && /stays with the instructor/.test(solve.err), solve.err);
  const right2 = await q2.crashlab(['answer', 'acme-oom', 'oom-killed']);
  check('pack room: team-2 names the cause first', right2.code === 0, right2.err);

  for (const p of [q1, q2]) {
    const dep = await deploymentOf(p, inst[p.team]);
    await p.kubectl(['patch', 'deployment', dep.metadata.name, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"128Mi"}]']);
  }
  const verifyLine = right.out.split('Fix it, then: ')[1]?.trim();
  const verified = await Promise.all([q1, q2].map((p) => (verifyLine ? p.typed(verifyLine) : { code: 2, out: '', err: 'no verify line' })));
  check('pack room: verify typed as `answer` printed passes on both laptops, saying the board checks the pack’s rules', verifyLine === 'crashlab verify acme-oom' && verified.every((v) => v.code === 0 && /PASS/.test(v.out) && /only its verdict scores/.test(v.out)), verified.map((v) => v.out.split('\n').find((l) => /PASS|FAIL|COULD/.test(l)) ?? v.err).join(' | '));

  const deadline = Date.now() + 90_000;
  let final;
  for (;;) {
    const r = await withPack(['gameday', 'board', packGame, '--json']);
    final = r.code === 0 ? JSON.parse(r.out) : undefined;
    if ((final && ['team-1', 'team-2'].every((tm) => row(final, tm)?.score > 0)) || Date.now() > deadline) break;
    await sleep(2000);
  }
  const meta = JSON.parse(kubectl(['get', 'configmap', 'crashlab-game', '-n', `crashlab-${packGame}-control`, '-o', 'jsonpath={.data.game}']));
  const expected = {};
  for (const team of ['team-1', 'team-2']) {
    const log = JSON.parse(`[${kubectl(['get', 'configmap', 'crashlab-progress', '-n', `crashlab-${packGame}-${team}`, '-o', 'jsonpath={.data.events}']).split('\n').filter(Boolean).join(',')}]`);
    expected[team] = Object.entries(meta.instances).filter(([, r]) => r.team === team).reduce((sum, [id, r]) => sum + expectedScore(log, id, r.releasedAt, { category: 'oom-killed' }), 0);
  }
  const scores = (b) => Object.fromEntries(['team-1', 'team-2'].map((tm) => [tm, row(b, tm)?.score]));
  check('pack room: board --json scores by the README’s rules (hint and wrong answer cost, first try earns)', JSON.stringify(scores(final)) === JSON.stringify(expected) && expected['team-2'] > expected['team-1'], `${JSON.stringify(scores(final))} expected ${JSON.stringify(expected)}`);
  check('pack room: the watching board says the same', JSON.stringify(scores(watched.last)) === JSON.stringify(expected), JSON.stringify(scores(watched.last)));
  const labs = await Promise.all([q1, q2].map(async (p) => [p.team, JSON.parse((await p.crashlab(['score', '--json'])).out || '{}').score]));
  check('pack room: each laptop’s `crashlab score` says the same', labs.every(([tm, s]) => s === expected[tm]), JSON.stringify(Object.fromEntries(labs)));
  const answers = JSON.parse(JSON.parse((await q1.kubectl(['get', 'configmap', 'crashlab-content', '-o', 'json'])).out || '{}').data?.answers ?? '{}');
  check('pack room: after the pass the team gets the cause and the debrief', answers[inst['team-1']]?.category === 'oom-killed' && answers[inst['team-1']]?.debrief?.en === oomScenario.debrief.en, JSON.stringify(Object.keys(answers[inst['team-1']] ?? {})));

  board.kill('SIGINT');
  await new Promise((r) => (board.exitCode !== null ? r() : board.once('exit', r)));
  const ended = await withPack(['gameday', 'end', packGame, '--no-results']);
  check('pack room: gameday end', ended.code === 0, ended.err);
  console.log(`pack room: ${Math.round((Date.now() - started) / 1000)} s`);
}

(args.includes('--only-pack-room') ? Promise.resolve() : main())
  .then(() => (args.includes('--no-pack-room') ? undefined : packRoom()))
  .catch((e) => check('rehearsal ran to the end', false, e.stack ?? e.message))
  .finally(async () => {
    try {
      for (const g of [game, packGame]) kubectl(['delete', 'namespaces,validatingadmissionpolicies,validatingadmissionpolicybindings', '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${g}`, '--wait=false']);
    } catch {}
    for (const dir of [outDir, packDir, packOut]) rmSync(dir, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
