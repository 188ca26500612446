import { afterEach, describe, expect, it } from 'vitest';
import { KEY, openFirstLab, renderLab, until, type Lab } from './harness.js';
import type { DemoServices } from '../../src/tui/demo.js';

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

  it('passes a clean preflight by itself and shows the picker with categories, difficulty and best time', async () => {
    lab = renderLab();
    const frame = await lab.waitFor('Pick a scenario');
    expect(frame).toContain('The binary that is not there');
    expect(frame).toContain('Wrong command/args');
    expect(frame).toContain('easy');
    expect(frame).toMatch(/✓ Liveness probe on the wrong path .*best 6m52s/);
  });

  it('stops at a failed preflight check and shows the exact fix', async () => {
    lab = renderLab({
      demo: {
        preflight: [
          { id: 'docker', title: { en: 'Docker daemon', ko: 'Docker 데몬' }, status: 'fail', detail: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock', fix: { en: 'Start Docker: sudo systemctl start docker', ko: 'Docker 시작: sudo systemctl start docker' } },
          { id: 'kubectl', title: { en: 'kubectl', ko: 'kubectl' }, status: 'ok', detail: 'v1.33.1' },
        ],
      },
    });
    const frame = await lab.waitFor('cannot start until');
    expect(frame).toContain('✗ Docker daemon');
    expect(frame).toContain('fix: Start Docker: sudo systemctl start docker');
    await lab.type(KEY.enter);
    expect(lab.frame()).not.toContain('Pick a scenario');
  });

  it('filters with / and hides titles and categories in mystery mode', async () => {
    lab = renderLab();
    await lab.waitFor('Pick a scenario');
    await lab.type('/', 'o', 'o', 'm');
    let frame = await lab.waitFor('filter: oom');
    expect(frame).toContain('Memory limit too small');
    expect(frame).not.toContain('The binary that is not there');
    await lab.type(KEY.enter, KEY.escape);
    await lab.type('m');
    frame = await lab.waitFor('mystery mode');
    expect(frame).toContain('Restarts, no logs at all, exit code 128');
    expect(frame).not.toContain('The binary that is not there');
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
    // The scripted container dies 2 s after each start; kubelet waits 10 s, 20 s, 40 s...
    for (let i = 0; i < 40; i++) lab.services.advance(1000);
    const frame = await lab.waitFor('RESTARTS 3');
    expect(frame).toMatch(/web-7d4b9c8f6-x2k4p\s+CrashLoopBackOff\s+READY 0\/1\s+RESTARTS 3/);
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
    live = true;
    // The first update the lab sees is the 4th restart (at 79 s): only that one has a time.
    lab.services.advance(40_000);
    const frame = await lab.waitFor('RESTARTS 4');
    const timeline = lines(frame).find((l) => l.includes('restarts +3 ├'))!;
    expect(timeline.match(/●/g)).toHaveLength(1);
  });

  it('runs a routine step on Enter: the command, its output and a ✓', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    expect(lab.frame()).toContain('›· 1 Status at a glance');
    await lab.type(KEY.enter);
    const frame = await lab.waitFor('[exit code 0]');
    expect(frame).toContain('›✓ 1 Status at a glance');
    expect(frame).toContain('$ kubectl get pod web-7d4b9c8f6-x2k4p -n');
    expect(frame).toMatch(/NAME\s+READY\s+STATUS/);
    await lab.type('j', KEY.enter);
    const describe = await lab.waitFor('Namespace:        crashlab-bad-command');
    expect(describe).toContain('›✓ 2 Describe the pod');
    expect(describe).toContain(' ✓ 1 Status at a glance');
    expect(describe).not.toContain('Restart Count:');
    // Long output scrolls: PgDn moves the window.
    await lab.type(KEY.pageDown, KEY.pageDown);
    const scrolled = await lab.waitFor('Restart Count:');
    expect(scrolled).toMatch(/Output (\d+)-\d+\/\d+/);
    expect(scrolled).not.toMatch(/Output 1-/);
  });

  it('copies the selected step’s exact command with y', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('j', 'j', 'j', 'y');
    const frame = await lab.waitFor('copied to the clipboard');
    expect(lab.copied).toEqual(['kubectl logs web-7d4b9c8f6-x2k4p -n crashlab-bad-command -c app --previous --timestamps']);
    expect(frame).toContain('$ kubectl logs web-7d4b9c8f6-x2k4p -n');
  });

  it('reveals hints one at a time and counts them', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    expect(lab.frame()).toContain('hints 0/3');
    await lab.type('h');
    let frame = await lab.waitFor('Hint 1/3');
    expect(frame).toContain('logs --previous is empty');
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
    // First entry is "Application runtime exception": wrong for this scenario.
    await lab.type(KEY.enter);
    let frame = await lab.waitFor('Not this one');
    expect(frame).toContain('StartError');
    expect(lab.services.calls.diagnoses).toEqual([{ scenarioId: 'bad-command', category: 'app-exception', correct: false }]);
    await lab.type(KEY.enter, KEY.down, KEY.enter);
    frame = await lab.waitFor('Right: Wrong command/args');
    expect(frame).toContain('exit code 128');
    expect(lab.services.calls.diagnoses.at(-1)).toEqual({ scenarioId: 'bad-command', category: 'bad-command', correct: true });
  });

  it('fails fast with evidence when verifying an unfixed workload', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('v');
    await lab.waitFor('Waiting for the rollout');
    lab.services.advance(1000);
    const frame = await lab.waitFor('FAIL');
    expect(frame).toContain('CrashLoopBackOff');
    expect(frame).toContain('Evidence:');
    expect(frame).toContain('restartCount');
    await until(() => lab!.services.calls.results.length === 1);
    expect(lab.services.calls.results[0].result.outcome).toBe('fail');
  });

  it('applies the reference solution after confirmation, verifies with a countdown and saves the pass', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    await lab.type('h', 'f');
    await lab.waitFor('Fix the live objects');
    expect(lab.frame()).toContain('kubectl edit deployment/web -n crashlab-bad-command');
    await lab.type('s');
    await lab.waitFor('Apply the reference solution?');
    await lab.type('y');
    await lab.waitFor('Reference solution applied');
    expect(lab.services.calls.solved).toBe(1);
    await lab.type('v');
    await lab.waitFor('Waiting for the rollout');
    lab.services.advance(1000);
    await lab.waitFor('Watching for restarts: 20s left of a 20s window');
    lab.services.advance(1000);
    await lab.waitFor('Watching for restarts: 19s left of a 20s window');
    expect(lab.frame()).toMatch(/RESTARTS 0/);
    for (let i = 0; i < 20; i++) {
      lab.services.advance(1000);
      await new Promise((r) => setTimeout(r, 2));
    }
    const frame = await lab.waitFor('progress saved');
    expect(frame).toContain('Debrief');
    expect(frame).toContain('solved with help');
    expect(frame).toContain('-          command: ["/bin/web-server"]');
    const saved = lab.services.calls.results.at(-1);
    expect(saved).toMatchObject({ scenarioId: 'bad-command', result: { outcome: 'pass', hintsUsed: 1 } });
    // The reference solution was applied: the pass completes it with help and sets no best time.
    const progress = (await lab.services.progress()).progress.scenarios['bad-command'];
    expect(progress).toMatchObject({ completed: true, solvedWithHelp: true });
    expect(progress.bestSeconds).toBeUndefined();
    await lab.type(KEY.enter);
    await lab.waitFor('Pick a scenario');
    expect(lab.frame()).toMatch(/◐ The binary that is not there/);
  });

  it('asks before quitting during a verify and cancels it on yes', async () => {
    lab = renderLab();
    await openFirstLab(lab);
    lab.services.setFixed(true);
    await lab.type('v');
    await lab.waitFor('Waiting for the rollout');
    await lab.type('q');
    await lab.waitFor('A verification is running. Quit anyway?');
    await lab.type('n');
    expect(lab.frame()).not.toContain('Quit anyway?');
    expect(lab.exitCode()).toBeUndefined();
    await lab.type('q', 'y');
    await lab.exited;
    expect(lab.exitCode()).toBe(0);
    expect(lab.services.calls.verifyAborted).toBe(1);
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
    lab = renderLab({ lang: 'ko' });
    const frame = await lab.waitFor('시나리오 선택');
    expect(frame).toContain('없는 실행 파일');
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
    let services: DemoServices | undefined;
    const rendered = renderLab({ clock: () => (services?.now() ?? 0) + (Date.now() - realStart) });
    services = rendered.services;
    return rendered;
  }

  it('draws nothing while idle (healthy pod, no countdown on screen)', async () => {
    lab = renderWithRunningClock();
    await openFirstLab(lab);
    lab.services.setFixed(true);
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
