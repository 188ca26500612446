import { afterEach, describe, expect, it } from 'vitest';
import { deployRun } from '../../../src/engine/scenarioRuns.js';
import { plainRun } from '../../../src/core/instance.js';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import { HEALTHY_MACHINE, KEY, openFirstLab, podName, renderLab, settle, until, type Lab, type LabServices } from './harness.js';

const CATALOG = await loadCatalog(packageRoot());

let lab: Lab | undefined;
afterEach(() => {
  lab?.unmount();
  lab = undefined;
});

const lines = (frame: string) => frame.split('\n');

describe('the lab at 80×24', () => {
  it('never draws more than rows-1 lines or wider than 80 columns', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    for (const frame of lab.stdout.frames.slice(-5)) {
      expect(lines(frame).length).toBeLessThanOrEqual(23);
      for (const line of lines(frame)) expect([...line].length).toBeLessThanOrEqual(80);
    }
  });

  it('passes a clean preflight by itself and shows the picker with difficulty, best time and the category of what is done only', async () => {
    lab = renderLab({ progress: { version: 1, scenarios: { 'probe-path': { completed: true, solvedWithHelp: false, bestSeconds: 412, attempts: 2, hintsUsed: 1 } } } });
    const frame = await lab.waitFor('Pick a scenario');
    expect(frame).toContain('The command that was never run');
    expect(frame).toContain('easy');
    expect(frame).toMatch(/✓ Asking the wrong question .*Wrong probe path.*best 6m52s/);
    // Not done yet: its category is the answer the diagnose screen asks for, so it is not shown.
    expect(frame).not.toContain('Wrong command/args');
    // Solo, typing a cause to practise it still finds its scenarios.
    await lab.type('/', 'O', 'O', 'M', KEY.enter);
    expect(await lab.waitFor('filter: OOM')).toContain('Too big for its box');
  });

  it('stops at a failed preflight check and shows the exact fix', async () => {
    lab = renderLab({ preflight: { ...HEALTHY_MACHINE, docker: { found: true, error: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' } } });
    const frame = await lab.waitFor('cannot start until');
    expect(frame).toMatch(/✗ Docker/);
    expect(frame).toContain('fix:');
    await lab.type(KEY.enter);
    expect(lab.frame()).not.toContain('Pick a scenario');
  });

  it('filters with / and hides titles and categories in mystery mode', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('/', 'o', 'o', 'm');
    let frame = await lab.waitFor('filter: oom');
    expect(frame).toContain('Too big for its box');
    expect(frame).not.toContain('The command that was never run');
    await lab.type(KEY.enter, KEY.escape);
    await lab.type('m');
    frame = await lab.waitFor('mystery mode');
    expect(frame).toContain('STATUS flips between RunContainerError and');
    expect(frame).not.toContain('The command that was never run');
    expect(frame).not.toContain('Wrong command/args');
  });

  it('keeps keys that arrive in one chunk apart (fast typing, paste)', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('/oom');
    await lab.waitFor('filter: oom');
    await lab.type(KEY.enter, KEY.enter);
    await lab.waitFor('60-second routine');
    await lab.waitFor(/READY 0\/1/);
    await lab.type('jj\r');
    await lab.waitFor('✓ 3 Current logs');
  });

  it('shows the crash-looping pod, its restarts on the timeline and the back-off countdown', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    // The simulated container dies 2 s after each start; kubelet waits 10 s, 20 s, 40 s...
    for (let i = 0; i < 40; i++) lab.services.advance(1000);
    const frame = await lab.waitFor('RESTARTS 3');
    expect(frame).toMatch(new RegExp(`${podName(lab)}\\s+CrashLoopBackOff\\s+READY 0/1\\s+RESTARTS 3`));
    expect(frame).toMatch(/last exit StartError \(128\)/);
    expect(frame).toMatch(/back-off 40s, retry in \d+s/);
    const timeline = lines(frame).find((l) => l.includes('restarts ├'))!;
    expect(timeline.match(/●/g)).toHaveLength(3);
    // The gaps between restarts grow: 12 s then 22 s (2 s run + 10 s, then + 20 s back-off).
    expect(frame).toMatch(/12s\s+22s/);
  });

  it('counts restarts from before the watch began without inventing their times', async () => {
    let live = false;
    lab = renderLab({
      patch: (s) => {
        const real = s.watchPods.bind(s);
        s.watchPods = (target, onPods, onError) => real(target, (pods) => live && onPods(pods), onError);
      },
    });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter);
    await lab.waitFor('60-second routine');
    for (let i = 0; i < 40; i++) lab.services.advance(1000);
    // Watch callbacks are delivered asynchronously: let the ones for those 40 s arrive (and be
    // dropped) before the lab may see anything.
    await settle(50);
    live = true;
    // The lab joins late: of the 4 restarts only those it saw happen may carry a time on the
    // timeline; the earlier ones are counted but not drawn. (Exactly which update arrives first
    // depends on when the asynchronous watch delivery lands, so the count of dots is bounded.)
    lab.services.advance(40_000);
    const frame = await lab.waitFor('RESTARTS 4');
    const timeline = lines(frame).find((l) => /restarts \+\d+ ├/.test(l))!;
    const dots = timeline.match(/●/g)?.length ?? 0;
    expect(dots).toBeGreaterThanOrEqual(1);
    expect(dots).toBeLessThan(4);
    expect(timeline).toContain(`restarts +${dots} ├`);
  });

  it('runs a routine step on Enter: the command, its output and a ✓', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    expect(lab.frame()).toContain('›· 1 Status at a glance');
    await lab.type(KEY.enter);
    const frame = await lab.waitFor('[exit code 0]');
    expect(frame).toContain('›✓ 1 Status at a glance');
    expect(frame).toContain('$ kubectl get pod');
    expect(frame).toContain(podName(lab));
    expect(frame).toMatch(/NAME\s+READY\s+STAT/);
    await lab.type('j', KEY.enter);
    const describe = await lab.waitFor('Namespace:        crashlab-bad-command');
    expect(describe).toContain('›✓ 2 Describe the pod');
    expect(describe).toContain(' ✓ 1 Status at a glance');
    expect(lab.services.sim.calls).toContain(`run describe pod ${podName(lab)} -n crashlab-bad-command`);
  });

  it('copies the selected step’s exact command with y', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('j', 'j', 'j', 'y');
    const frame = await lab.waitFor('copied to the clipboard');
    expect(lab.copied).toEqual([`kubectl logs ${podName(lab)} -n crashlab-bad-command -c app --previous --timestamps`]);
    expect(frame).toContain('$ kubectl logs');
  });

  it('reveals hints one at a time and counts them', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    expect(lab.frame()).toContain('hints 0/3');
    await lab.type('h');
    let frame = await lab.waitFor('Hint 1/3');
    expect(frame).toContain('Empty logs are a clue');
    expect(frame).toContain('hints 1/3');
    await lab.type('h', 'h', 'h');
    frame = await lab.waitFor('Hint 3/3');
    expect(frame).toContain('hints 3/3');
  });

  it('says whether the diagnosis is right, with the evidence from the live pod', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    lab.services.advance(5000);
    await lab.type('d');
    await lab.waitFor('What is the cause?');
    // Cause 1 is "Application runtime exception": wrong for this scenario.
    await lab.type('1', KEY.enter);
    let frame = await lab.waitFor('Not this one');
    expect(frame).toContain('StartError');
    expect(lab.services.store.progress.scenarios['bad-command']).toMatchObject({ diagnosedCategory: 'app-exception', diagnosedCorrectly: false });
    await lab.type(KEY.enter, KEY.down, KEY.enter);
    frame = await lab.waitFor('Right: Wrong command/args');
    expect(frame).toContain('128');
    expect(lab.services.store.progress.scenarios['bad-command']).toMatchObject({ diagnosedCategory: 'bad-command', diagnosedCorrectly: true });
  });

  it('Esc to the picker and Enter on the same scenario resumes the run as it was; a redeploy only on n and y', async () => {
    lab = renderLab({ columns: 100, rows: 30 });
    await openFirstLab(lab);
    const startedAt = lab.services.now();
    await lab.type('h', KEY.enter);
    await lab.waitFor('hints 1/3');
    const applies = () => lab!.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    const before = applies();
    lab.services.advance(120_000);
    await lab.type(KEY.escape);
    let frame = await lab.waitFor('Pick a scenario');
    expect(frame).toMatch(/The command that was never run .*▸ yours, 2m00s, hints 1\/3/);
    expect(frame).toContain('Enter resumes it as you left it');
    await lab.type(KEY.enter);
    frame = await lab.waitFor('60-second routine');
    // Same run: nothing deployed, the hint and the clock kept, the step still marked as run.
    expect(applies()).toBe(before);
    expect(frame).toContain('2m · hints 1/3');
    expect(frame).toContain('Hint 1/3');
    // The pod watch starts again: the routine (its step marked as run) follows the pod.
    await lab.waitFor(/✓ 1 /);
    expect(lab.services.store.progress.scenarios['bad-command'].attempts).toBe(1);
    // A redeploy is asked for, and confirmed.
    await lab.type(KEY.escape);
    await lab.waitFor('Pick a scenario');
    await lab.type('n');
    await lab.waitFor('Deploy it again from scratch?');
    await lab.type('n');
    await settle(50);
    expect(lab.frame()).not.toContain('Deploy it again from scratch?');
    expect(applies()).toBe(before);
    await lab.type('n', 'y');
    frame = await lab.waitFor('hints 0/3');
    expect(applies()).toBeGreaterThan(before);
    expect(lab.services.store.progress.scenarios['bad-command'].attempts).toBe(2);
    expect(lab.services.now()).toBeGreaterThan(startedAt);
  });

  it('keys typed while a screen changes act on the screen that follows: h and d during the deploy', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    lab = renderLab({
      patch: (services) => {
        const start = services.start.bind(services);
        services.start = async (...args) => {
          await gate;
          return start(...args);
        };
      },
    });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter, 'h', 'd');
    await lab.waitFor('Deploying the broken workload');
    release();
    const frame = await lab.waitFor('What is the cause?');
    expect(frame).toContain('hints 1/3');
  });

  it('keys typed during a deploy that fails are dropped, not acted on in the picker', async () => {
    lab = renderLab({
      patch: (services) => {
        services.start = async () => {
          await settle(400);
          throw new Error('the cluster went away');
        };
      },
    });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter, 'j', 'j', 'm');
    await lab.waitFor('the cluster went away');
    await settle(50);
    const frame = lab.frame();
    expect(frame).not.toContain('mystery mode');
    expect(frame).toMatch(/› +The command that was never run/);
  });

  it('f typed while the diagnosis is checked opens the fix screen once it is right', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    lab = renderLab({
      patch: (services) => {
        const check = services.checkDiagnosis.bind(services);
        services.checkDiagnosis = async (...args) => {
          await gate;
          return check(...args);
        };
      },
    });
    await openFirstLab(lab);
    await lab.type('d', '2', KEY.enter, 'f');
    await lab.waitFor('Checking your answer');
    release();
    await lab.waitFor('Fix the live objects');
  });

  it('a run of an earlier session, not passed and still deployed: Enter resumes it with its hints and clock, nothing deployed', async () => {
    // The lab was quit 10 minutes after the start, two hints in (the progress file says so).
    lab = renderLab({ progress: { version: 1, scenarios: { 'bad-command': { completed: false, solvedWithHelp: false, attempts: 1, hintsUsed: 0, startedAt: '2026-11-24T09:50:00.000Z', attemptHints: [0, 1] } } } });
    const bundle = CATALOG.bundles.find((b) => b.scenario.id === 'bad-command')!;
    await deployRun(lab.services.sim, plainRun('bad-command'), bundle.broken);
    const applies = () => lab!.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    const before = applies();
    const picker = await lab.waitFor('Pick a scenario');
    expect(picker).toMatch(/You started this at \d\d:\d\d and have not passed it yet: Enter resumes that run/);
    expect(picker).toMatch(/Enter resume/);
    await lab.type(KEY.enter);
    const frame = await lab.waitFor('60-second routine');
    expect(frame.split('\n')[0]).toMatch(/10m · hints 2\/3/);
    expect(applies()).toBe(before);
    expect(lab.services.store.progress.scenarios['bad-command'].attempts).toBe(1);
  });

  it('a run of an earlier session that is gone is deployed anew; n asks before replacing one that is still there', async () => {
    lab = renderLab({ progress: { version: 1, scenarios: { 'bad-command': { completed: false, solvedWithHelp: false, attempts: 1, hintsUsed: 0, startedAt: '2026-11-24T08:03:00.000Z', attemptHints: [0] } } } });
    const applies = () => lab!.services.sim.calls.filter((c) => c.startsWith('apply')).length;
    await lab.waitFor('Pick a scenario');
    await lab.type('n');
    await lab.waitFor('Deploy it again from scratch?');
    await lab.type('n');
    await settle(50);
    expect(applies()).toBe(0);
    expect(lab.frame()).toContain('Pick a scenario');
    // Nothing deployed any more: Enter starts it from scratch.
    await lab.type(KEY.enter);
    const frame = await lab.waitFor('60-second routine');
    expect(frame.split('\n')[0]).toMatch(/hints 0\/3/);
    expect(applies()).toBeGreaterThan(0);
    expect(lab.services.store.progress.scenarios['bad-command'].attempts).toBe(2);
  });

  it('number keys select the numbered cause (one or two digits) and show it; Enter submits only a selection', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('d');
    let frame = await lab.waitFor('What is the cause?');
    expect(frame).toContain('Select a cause with ↑↓, or type its');
    expect(frame).not.toMatch(/^ ›/m);
    // Nothing selected: Enter names nothing (it used to submit cause 1, a wrong first answer).
    await lab.type(KEY.enter);
    await settle(50);
    expect(lab.frame()).not.toContain('Not this one');
    expect(lab.services.store.progress.scenarios['bad-command']?.diagnosedCategory).toBeUndefined();
    // 9 selects "OOMKilled", shown beside the list, not yet submitted.
    await lab.type('9');
    frame = await lab.waitFor(/› 9 OOMKilled/);
    expect(frame).toContain('9. OOMKilled');
    expect(frame).not.toContain('Checking your answer');
    // 1 then 4 in a row is 14; 0 then 2 is 2; a pause after 1 makes the 4 a 4.
    await lab.type('1', '4');
    await lab.waitFor(/›14 Init container/);
    await lab.type('0', '2');
    await lab.waitFor(/› 2 Wrong command\/args/);
    await lab.type('1');
    lab.services.advance(2000);
    await lab.type('4');
    await lab.waitFor(/› 4 /);
    await lab.type('+');
    await lab.waitFor(/› \+ Image pull failure/);
    await lab.type('+');
    await lab.waitFor(/› \+ Pods refused at admission/);
    await lab.type('0', '2', KEY.enter);
    frame = await lab.waitFor('Right: Wrong command/args');
    expect(lab.services.store.progress.scenarios['bad-command']).toMatchObject({ diagnosedCategory: 'bad-command', diagnosedCorrectly: true });
  });

  it('fails fast with evidence when verifying an unfixed workload', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    // Crash-looping when verify begins: the real verifier fails at once, with the kubelet's evidence.
    for (let i = 0; i < 15; i++) lab.services.advance(1000);
    await lab.waitFor(/CrashLoopBackOff\s+READY 0\/1\s+RESTARTS [1-9]/);
    await lab.type('v');
    await lab.waitFor('Verifying the fix');
    const began = lab.services.now();
    for (let i = 0; i < 60 && !lab.frame().includes('FAIL'); i++) {
      lab.services.advance(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    const frame = await lab.waitFor('FAIL');
    // Fail-fast: the verdict comes with the next crash, long before a stability window could end.
    expect(lab.services.now() - began).toBeLessThanOrEqual(30_000);
    expect(frame).toContain('FAIL: the fix does not hold');
    expect(frame).toContain('Evidence:');
    expect(frame).toContain('StartError');
    await until(() => lab!.services.store.progress.scenarios['bad-command']?.lastVerifiedAt === undefined && lab!.frame().includes('FAIL'));
    expect(lab.services.store.progress.scenarios['bad-command']).toMatchObject({ completed: false, attempts: 1 });
  });

  it('applies the reference solution after confirmation, verifies with a countdown and saves the pass', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('h', 'f');
    await lab.waitFor('Fix the live objects');
    expect(lab.frame()).toContain('kubectl edit deployment/status-page -n crashlab-bad-command');
    await lab.type('s');
    await lab.waitFor('Apply the reference solution?');
    await lab.type('y');
    await lab.waitFor('Reference solution applied');
    expect(lab.services.sim.calls.filter((c) => c.startsWith('apply'))).toHaveLength(2);
    await lab.type('v');
    await lab.waitFor(/Waiting for the rollout|Watching for restarts/);
    lab.services.advance(1000);
    const watching = await lab.waitFor(/Watching for restarts: \d+s left of a \d+s window/);
    const windowSeconds = Number(/left of a (\d+)s window/.exec(watching)![1]);
    expect(lab.frame()).toMatch(/RESTARTS 0/);
    for (let i = 0; i <= windowSeconds + 5 && !lab.frame().includes('progress saved'); i++) {
      lab.services.advance(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
    const frame = await lab.waitFor('progress saved');
    expect(frame).toContain('Debrief');
    expect(frame).toContain('solved with help');
    expect(frame).toContain('/usr/sbin/httpd');
    // The reference solution was applied: the pass completes it with help and sets no best time.
    const progress = (await lab.services.progress()).progress.scenarios['bad-command'];
    expect(progress).toMatchObject({ completed: true, solvedWithHelp: true, hintsUsed: 1 });
    expect(progress.bestSeconds).toBeUndefined();
    await lab.type(KEY.enter);
    await lab.waitFor('Pick a scenario');
    expect(lab.frame()).toMatch(/◐ The command that was never run/);
  });

  it('asks before quitting during a verify and cancels it on yes', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.services.fixByHand();
    await lab.type('v');
    await lab.waitFor(/Waiting for the rollout|Watching for restarts/);
    await lab.type('q');
    await lab.waitFor('A verification is running. Quit anyway?');
    await lab.type('n');
    expect(lab.frame()).not.toContain('Quit anyway?');
    expect(lab.exitCode()).toBeUndefined();
    await lab.type('q', 'y');
    await lab.exited;
    expect(lab.exitCode()).toBe(0);
    // The verify's pod watch was cancelled with it: only the lab's own watch was left.
    expect(lab.services.sim.watcherCount()).toBeLessThanOrEqual(1);
  });

  it('mystery mode runs the scenario under names that do not give the cause away', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('m');
    await lab.waitFor('mystery mode');
    await lab.type(KEY.enter);
    // The picker's own symptom rows say "READY 0/1" too: wait for the lab screen first.
    await lab.waitFor('60-second routine');
    const frame = await lab.waitFor(/READY 0\/1/);
    expect(frame).toMatch(/crashlab-i-[a-z2-7]{6}/);
    expect(frame).not.toContain('bad-command');
    const onCluster = JSON.stringify([...lab.services.sim.namespaces.values(), ...lab.services.sim.objects].map((o) => [o.metadata.name, o.metadata.labels]));
    expect(onCluster).not.toContain('bad-command');
    expect(Object.values(lab.services.store.progress.instances ?? {})).toEqual([expect.objectContaining({ scenario: 'bad-command' })]);
  });

  it('acts on a burst of keys in order: Down Down Enter in one chunk starts the third scenario', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    lab.stdin.write(KEY.down + KEY.down + KEY.enter);
    await lab.waitFor('60-second routine');
    expect(lab.services.store.progress.scenarios).toEqual({ oom: expect.objectContaining({ attempts: 1 }) });
    expect(lab.frame()).toContain('Too big for its box');
  });

  it('ends with exit code 130 on Ctrl-C, like an interrupted command', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.ctrlC);
    await lab.exited;
    expect(lab.exitCode()).toBe(130);
  });

  it('quits at once with q when nothing is running', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('q');
    await lab.exited;
    expect(lab.exitCode()).toBe(0);
  });

  it('shows the help overlay and closes it with any key', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('?');
    const frame = await lab.waitFor('Keys');
    expect(frame).toContain('mystery mode (symptoms only)');
    await lab.type('x');
    await lab.waitFor('Pick a scenario');
  });

  it('speaks Korean with --lang ko', async () => {
    lab = renderLab({ lang: 'ko', progress: { version: 1, scenarios: { 'bad-command': { completed: true, solvedWithHelp: false, attempts: 1, hintsUsed: 0 } } } });
    const frame = await lab.waitFor('시나리오 선택');
    expect(frame).toContain('한 번도 실행되지 못한 command');
    expect(frame).toContain('잘못된 command/args');
  });

  it('uses the extra width for events and logs --previous at 160×48', async () => {
    lab = renderLab({ columns: 160, rows: 48 });
    await openFirstLab(lab);
    for (let i = 0; i < 5; i++) lab.services.advance(1000);
    const frame = await lab.waitFor('Warning BackOff');
    expect(frame).toContain('Events');
    expect(frame).toContain('logs --previous');
    expect(lines(frame).length).toBeLessThanOrEqual(47);
  });

  it('still works, clipped, in a terminal smaller than 80×24', async () => {
    lab = renderLab({ columns: 60, rows: 16 });
    await openFirstLab(lab);
    await lab.type(KEY.enter, 'd');
    const frame = await lab.waitFor('What is the cause?');
    expect(lines(frame).length).toBeLessThanOrEqual(15);
    for (const line of lines(frame)) expect([...line].length).toBeLessThanOrEqual(60);
  });

  it('follows a terminal resize', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    lab.stdout.resize(160, 48);
    await lab.waitFor('Events');
  });
});

describe('rendering cost', () => {
  /** The UI clock runs in real time on top of the scripted clock, so any tick would change the frame. */
  function renderWithRunningClock(): Lab {
    const realStart = Date.now();
    let services: LabServices | undefined;
    const rendered = renderLab({ clock: () => (services?.now() ?? 0) + (Date.now() - realStart) });
    services = rendered.services;
    return rendered;
  }

  it('draws nothing while idle (healthy pod, no countdown on screen)', async () => {
    lab = renderWithRunningClock();
    await openFirstLab(lab);
    await lab.services.fixByHand();
    lab.services.advance(3000);
    await lab.waitFor(/Running\s+READY 1\/1/);
    await new Promise((r) => setTimeout(r, 100));
    const before = lab.stdout.frames.length;
    await new Promise((r) => setTimeout(r, 2000));
    expect(lab.stdout.frames.length).toBe(before);
  });

  it('ticks about once a second while the back-off countdown is visible', async () => {
    lab = renderWithRunningClock();
    await openFirstLab(lab);
    for (let i = 0; i < 5; i++) lab.services.advance(1000);
    await lab.waitFor('retry in');
    await new Promise((r) => setTimeout(r, 300));
    const before = lab.stdout.frames.length;
    await new Promise((r) => setTimeout(r, 3000));
    const frames = lab.stdout.frames.length - before;
    // 1 Hz: three ticks, plus one when a second boundary falls at the window's edge.
    expect(frames).toBeGreaterThanOrEqual(2);
    expect(frames).toBeLessThanOrEqual(4);
  });
});
