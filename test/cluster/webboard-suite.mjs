#!/usr/bin/env node
/**
 * The web board (`gameday board G --web`) on the real cluster, in a real browser: Chromium from
 * Debian's `chromium` package driven by playwright-core (no browser download). A game of two
 * teams named webs<random>: team-2 fixes its workload and asks; the verified fix shows on the
 * room's page within 2 s of the board's `--json --watch` line; a team note with markup shows as
 * text on the instructor's page; freeze hides the standings from the room; a board bound to
 * another address than localhost needs its viewer token; the page loads nothing from elsewhere;
 * `gameday reset --team` puts one team's instance back.
 * `gameday end` keeps the results on disk and the page keeps the final standings. Screenshots of
 * the projector view and of the final view are the suite's output (paths printed).
 * Prints one line per check and a final `N passed, N failed`; exits 1 on failure.
 *
 *   KUBECONFIG=~/.cache/crashlab-cluster/run/kubeconfig PATH=~/.cache/crashlab-cluster/bin:$PATH \
 *     node test/cluster/webboard-suite.mjs [--context crashlab-local]
 * Needs `make build`, `npm ci` (playwright-core) and `apt-get install chromium`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { CACHE, ROOT as root, appendTeamEvents } from './lib.mjs';

const args = process.argv.slice(2);
const context = args.includes('--context') ? args[args.indexOf('--context') + 1] : 'crashlab-local';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const game = `webs${randomBytes(2).toString('hex')}`;
const ns = (t) => `crashlab-${game}-${t}`;
const outDir = mkdtempSync(join(tmpdir(), 'webboard-suite-'));
const xdg = mkdtempSync(join(tmpdir(), 'webboard-xdg-'));
const screenshot = join(CACHE, 'webboard-projector.png');
const finalShot = join(CACHE, 'webboard-final.png');
const instructorShot = join(CACHE, 'webboard-instructor.png');
const NOTE = `<img src=x onerror="window.__xss=1">found it & "fixed" it`;
let passed = 0;
let failed = 0;
const children = [];

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
const env = { ...process.env, XDG_CONFIG_HOME: xdg };
const kubectl = (argv, input) => execFileSync('kubectl', ['--context', context, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
function crashlab(argv) {
  try {
    return { code: 0, out: execFileSync('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { code: e.status ?? 2, out: String(e.stdout ?? ''), err: String(e.stderr ?? '') };
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A long-running crashlab (a board): its stdout lines, and the process to stop. */
function spawnCrashlab(argv) {
  const child = spawn('node', [join(root, 'bin/crashlab.js'), '--context', context, '--yes', ...argv], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = [];
  const waiters = new Set();
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push({ at: Date.now(), line: l });
    for (const w of waiters) w();
  });
  const waitFor = async (pattern, ms = 30_000) => {
    const deadline = Date.now() + ms;
    const matches = typeof pattern === 'function' ? pattern : (l) => pattern.test(l);
    for (;;) {
      const hit = lines.find((l) => matches(l.line));
      if (hit) return hit;
      if (Date.now() > deadline || child.exitCode !== null) return undefined;
      await new Promise((r) => {
        waiters.add(r);
        setTimeout(() => (waiters.delete(r), r()), 250);
      });
    }
  };
  return { child, lines, waitFor };
}
async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGINT');
  await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
}

const appendEvents = (team, events) => appendTeamEvents(kubectl, ns(team), events);

async function main() {
  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const { chromium } = await import('playwright-core');
  const create = crashlab(['gameday', 'create', game, '--teams', '2', '--scenarios', 'bad-command', '--out', outDir, '--json']);
  if (create.code !== 0) throw new Error(`gameday create: ${create.err}`);
  const start = crashlab(['gameday', 'start', game, '--scenario', 'bad-command', '--json']);
  if (start.code !== 0) throw new Error(`gameday start: ${start.err}`);
  const released = Object.fromEntries(JSON.parse(start.out).released.map((r) => [r.team, r.instance]));
  console.log(`game ${game} on ${context}: ${JSON.stringify(released)}`);

  // The instructor's web board (it answers verify requests), and a second board printing JSON.
  const web = spawnCrashlab(['gameday', 'board', game, '--web', '127.0.0.1:0']);
  const roomUrl = (await web.waitFor(/^room view/))?.line.match(/http:\S+/)?.[0];
  const instructorUrl = (await web.waitFor(/^instructor view/))?.line.match(/http:\S+/)?.[0];
  check('board --web prints the room URL (no token on localhost) and the instructor URL with its token', /^http:\/\/127\.0\.0\.1:\d+\/$/.test(roomUrl ?? '') && /\/instructor\?t=[\w-]{20,}$/.test(instructorUrl ?? ''), `${roomUrl} ${instructorUrl}`);
  if (!roomUrl || !instructorUrl) throw new Error('the web board did not start');
  const json = spawnCrashlab(['gameday', 'board', game, '--json', '--watch', '--no-verify']);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context_ = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const room = await context_.newPage();
    const origins = new Set();
    room.on('request', (r) => origins.add(new URL(r.url()).origin));
    await room.goto(roomUrl);
    await room.waitForSelector('tr[data-team="team-2"]', { timeout: 15_000 });
    await room.waitForFunction(() => document.getElementById('status')?.dataset.live === 'true', null, { timeout: 10_000 });
    const roomText = await room.locator('main').innerText();
    check('the room page lists both teams and the clock, and shows no scenario id', /team-1/.test(roomText) && /team-2/.test(roomText) && /\d+:\d\d left/.test(roomText) && !roomText.includes('bad-command'));

    // team-1's note, with markup in it: text on the instructor's page, never markup.
    appendEvents('team-1', [{ at: new Date().toISOString(), type: 'note', instance: released['team-1'], text: NOTE }]);
    const instructor = await context_.newPage();
    await instructor.goto(instructorUrl);
    let noteText = '';
    for (let i = 0; i < 20 && noteText !== NOTE; i++) {
      noteText = (await instructor.locator('tr[data-team="team-1"] td.note').textContent()) ?? '';
      if (noteText !== NOTE) await sleep(500);
    }
    const injected = await instructor.evaluate(() => ({ xss: window.__xss, imgs: document.querySelectorAll('td.note img').length }));
    check('a team note with markup shows as text on the instructor page (escaped, nothing runs)', noteText === NOTE && injected.xss === undefined && injected.imgs === 0, JSON.stringify({ noteText, ...injected }));
    check('the note (it may spell the fix) is not on the room page', !(await room.content()).includes('found it'));

    // team-2 fixes its workload and asks; the web board verifies and signs.
    const dep = JSON.parse(kubectl(['get', 'deployments', '-n', ns('team-2'), '-l', `crashlab.dev/instance=${released['team-2']}`, '-o', 'json'])).items[0].metadata.name;
    kubectl(['patch', 'deployment', dep, '-n', ns('team-2'), '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command/0","value":"/bin/httpd"}]']);
    const now = new Date().toISOString();
    appendEvents('team-2', [
      { at: now, type: 'diagnosis', instance: released['team-2'], category: 'bad-command', correct: true },
      { at: now, type: 'fix-applied', instance: released['team-2'], how: 'own' },
      { at: now, type: 'verify-requested', instance: released['team-2'] },
    ]);
    const t0 = Date.now();
    await room.waitForFunction(() => document.querySelector('tr[data-team="team-2"]')?.dataset.verified === 'true', null, { timeout: 180_000, polling: 100 });
    const pageAt = Date.now();
    const jsonLine = await json.waitFor((l) => (JSON.parse(l).rows ?? []).some((r) => r.team === 'team-2' && r.verified), 5_000);
    const jsonAt = jsonLine?.at ?? Infinity;
    const jsonVerified = jsonLine && JSON.parse(jsonLine.line).rows.find((r) => r.team === 'team-2');
    const pageScore = Number(await room.locator('tr[data-team="team-2"]').getAttribute('data-score'));
    check(
      "the room page shows team-2's verified fix within 2 s of the board's --json line, with the same score",
      jsonVerified?.verified === true && pageAt - jsonAt <= 2000 && pageScore === jsonVerified.score && pageScore >= 100,
      `verified ${Math.round((pageAt - t0) / 1000)} s after the request; page ${pageAt - jsonAt} ms after --json; score ${pageScore} (json ${jsonVerified?.score})`,
    );
    await room.waitForSelector('.chart svg path', { timeout: 5_000 });
    await room.screenshot({ path: screenshot, fullPage: true });
    console.log(`projector view: ${screenshot}`);
    check('every request of the page went to the board itself (no CDN)', origins.size === 1 && origins.has(new URL(roomUrl).origin), [...origins].join(' '));

    // The instructor's detail view: team-2's log, open across the page's re-renders.
    await instructor.locator('details[data-key="team-2"] summary').click();
    await sleep(2500);
    const detail = await instructor.evaluate(() => {
      const d = document.querySelector('details[data-key="team-2"]');
      return { open: d?.open === true, text: d?.textContent ?? '' };
    });
    await instructor.screenshot({ path: instructorShot, fullPage: true });
    console.log(`instructor view: ${instructorShot}`);
    check("the instructor page's team detail lists the team's events (the instructor's pass) and stays open across re-renders", detail.open && /diagnosis: bad-command/.test(detail.text) && /verdict by instructor: pass/.test(detail.text), detail.text.slice(0, 160));

    // Freeze: the room's page hides the standings, the instructor's still shows them; reveal.
    const frozeAt = Date.now();
    const freeze = crashlab(['gameday', 'freeze', game]);
    await room.waitForSelector('.banner.frozen', { timeout: 10_000 }).catch(() => undefined);
    const roomFrozen = await room.evaluate(() => ({ banner: !!document.querySelector('.banner.frozen'), scores: document.querySelectorAll('[data-score]').length, chart: !!document.querySelector('.chart') }));
    await instructor.waitForSelector('.banner.frozen', { timeout: 10_000 }).catch(() => undefined);
    const instructorScores = await instructor.locator('[data-score]').count();
    check('freeze: the room page hides scores, ranks and the chart; the instructor page keeps them', freeze.code === 0 && roomFrozen.banner && roomFrozen.scores === 0 && !roomFrozen.chart && instructorScores === 2, `${JSON.stringify(roomFrozen)}, instructor ${instructorScores} scores, ${Date.now() - frozeAt} ms`);
    crashlab(['gameday', 'reveal', game]);
    const revealed = await room.waitForSelector('tr[data-score]', { timeout: 10_000 }).then(() => true, () => false);
    check('reveal: the room page shows the standings again', revealed);

    // One team's environment back to its start: same instance, new objects, logged for the instructor.
    const uid = () => kubectl(['get', 'deployments', '-n', ns('team-1'), '-l', `crashlab.dev/instance=${released['team-1']}`, '-o', 'jsonpath={.items[0].metadata.uid}']);
    const uidBefore = uid();
    const reset = crashlab(['gameday', 'reset', game, '--team', 'team-1']);
    const resets = JSON.parse(JSON.parse(kubectl(['get', 'configmap', 'crashlab-game', '-n', `crashlab-${game}-control`, '-o', 'json'])).data.game).resets ?? [];
    const uidAfter = uid();
    check('gameday reset --team puts the team’s instance back (same instance id, new Deployment) and logs it', reset.code === 0 && uidAfter !== '' && uidAfter !== uidBefore && resets.some((r) => r.team === 'team-1' && r.instance === released['team-1']), reset.code === 0 ? reset.out.trim() : reset.err);

    // Bound to another address: the viewer token is required (a second, read-only board).
    const shared = spawnCrashlab(['gameday', 'board', game, '--no-verify', '--web', '0.0.0.0:0']);
    const sharedUrl = (await shared.waitFor(/^room view/))?.line.match(/http:\S+/)?.[0] ?? '';
    const base = sharedUrl.replace('0.0.0.0', '127.0.0.1').replace(/\/\?t=.*$/, '');
    const token = /\?t=([\w-]+)$/.exec(sharedUrl)?.[1];
    const other = await context_.newPage();
    const denied = await other.goto(`${base}/`);
    const deniedEvents = await fetch(`${base}/events`).then((r) => r.status);
    const allowed = await other.goto(`${base}/?t=${token}`);
    const rows = await other.waitForSelector('tr[data-team="team-2"]', { timeout: 10_000 }).then(() => true, () => false);
    check('on 0.0.0.0 the room page and its stream need the viewer token (403 without, the board with it)', Boolean(token) && denied?.status() === 403 && deniedEvents === 403 && allowed?.status() === 200 && rows, `${denied?.status()}/${deniedEvents}/${allowed?.status()}`);
    await stop(shared.child);

    // The end: the results stay on the instructor's disk, and the page keeps the final standings.
    const resultsDir = join(CACHE, 'webboard-results');
    const end = crashlab(['gameday', 'end', game, '--results', resultsDir]);
    const kept = /kept the final results of 2 team\(s\): (\S+\.md), (\S+\.json)/.exec(end.out);
    check('gameday end keeps the final results (md + json) and says where', end.code === 0 && Boolean(kept) && existsSync(kept[1]) && JSON.parse(readFileSync(kept[2], 'utf8')).results.length === 2, end.code === 0 ? kept?.[1] : end.err);
    const endView = await room.waitForSelector('.banner.ended', { timeout: 30_000 }).then(() => true, () => false);
    const podium = endView ? await room.locator('.podium .place-1 .team').textContent() : '';
    const finalRows = await room.locator('tr[data-score]').count();
    const stuckRow = endView ? await room.locator('.debrief tr[data-scenario="bad-command"]').innerText().catch(() => '') : '';
    check('the end view says where the room got stuck: bad-command diagnosed and fixed by 1 of 2 teams, with times', /1\/2 · \d+:\d\d \/ \d+:\d\d\s+1\/2 · \d+:\d\d/.test(stuckRow), stuckRow.replace(/\s+/g, ' '));
    await room.screenshot({ path: finalShot, fullPage: true });
    console.log(`final view: ${finalShot}`);
    check('after the end the room page shows the final standings (team-2 first), not an empty board', endView && podium === 'team-2' && finalRows === 2, `podium ${podium}, ${finalRows} rows`);
  } finally {
    await browser.close();
    await stop(web.child);
    await stop(json.child);
  }
  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
}

main()
  .catch((e) => check('suite ran to the end', false, e.message))
  .finally(async () => {
    for (const c of children) await stop(c);
    if (crashlab(['gameday', 'end', game]).code !== 0) {
      try {
        kubectl(['delete', 'namespaces,validatingadmissionpolicies,validatingadmissionpolicybindings', '-l', `app.kubernetes.io/managed-by=crashlab,crashlab.dev/game=${game}`, '--wait=false']);
      } catch {}
    }
    rmSync(outDir, { recursive: true, force: true });
    rmSync(xdg, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
