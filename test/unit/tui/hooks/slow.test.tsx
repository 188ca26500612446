/** The status line's slow-cluster notice: appears while a kubectl call waits, ticks, goes away, never storms. */
import { afterEach, describe, expect, it } from 'vitest';
import { THROTTLE_MS } from '../../../../src/tui/hooks/useSlowNotice.js';
import { SlowCallStore } from '../../../../src/tui/slowCallStore.js';
import { KEY, openFirstLab, renderLab, settle, until, type Lab } from '../harness.js';

let lab: Lab | undefined;
afterEach(() => {
  lab?.unmount();
  lab = undefined;
});

const NOTICE = 'The cluster is slow to answer';

describe('slow cluster notice', () => {
  it('shows the oldest waiting call with its seconds so far, keeps the keys working, and goes away once it answers', async () => {
    const slowCalls = new SlowCallStore();
    lab = renderLab({ slowCalls });
    await lab.waitFor('Pick a scenario');
    expect(lab.frame()).not.toContain(NOTICE);

    const answered = slowCalls.report({ command: 'kubectl get pods', since: lab.services.now() - 2000, waits: false });
    let frame = await lab.waitFor(`${NOTICE}: 2s so far (kubectl get pods)…`);
    // Non-blocking: the key line is still there and keys still act.
    expect(frame).toContain('Enter start');
    expect(frame).toMatch(/›\s+The command that was never run/);
    await lab.type(KEY.down);
    frame = await lab.waitFor(/›\s+Killed while warming up/);
    expect(frame).toContain(NOTICE);

    // A second call waiting: counted, the oldest one named.
    const second = slowCalls.report({ command: 'kubectl logs web-1', since: lab.services.now() - 2000, waits: false });
    lab.services.advance(6000);
    await lab.waitFor(`${NOTICE}: 8s so far (kubectl get pods; 1 more waiting)…`, 2000);

    answered();
    await lab.waitFor(`${NOTICE}: 8s so far (kubectl logs web-1)…`);
    second();
    await until(() => !lab!.frame().includes(NOTICE));
    expect(lab.frame()).toContain('Enter start');
  });

  it('a call that waits on purpose is said as waiting, and a slow one comes first', async () => {
    const slowCalls = new SlowCallStore();
    lab = renderLab({ slowCalls, columns: 120 });
    await lab.waitFor('Pick a scenario');
    const deleting = slowCalls.report({ command: 'kubectl delete namespace crashlab-oom', since: lab.services.now() - 12_000, waits: true });
    await lab.waitFor('Waiting for the cluster to finish: 12s so far (kubectl delete namespace crashlab-oom)…');
    expect(lab.frame()).not.toContain(NOTICE);
    const slow = slowCalls.report({ command: 'kubectl get namespace crashlab-oom', since: lab.services.now() - 2000, waits: false });
    await lab.waitFor(`${NOTICE}: 2s so far (kubectl get namespace crashlab-oom; 1 more waiting)…`);
    slow();
    deleting();
    await until(() => !lab!.frame().includes('so far'));
  });

  it('speaks Korean in a Korean lab', async () => {
    const slowCalls = new SlowCallStore();
    lab = renderLab({ slowCalls, lang: 'ko' });
    await lab.waitFor('시나리오 선택');
    slowCalls.report({ command: 'kubectl apply', since: lab.services.now() - 3000, waits: false });
    await lab.waitFor('클러스터 응답이 느립니다: 3s 경과(kubectl apply)…');
  });

  it('takes its row from the screen, not from the terminal: the lab view still fits 80×24', async () => {
    const slowCalls = new SlowCallStore();
    lab = renderLab({ slowCalls });
    await openFirstLab(lab);
    const rows = (frame: string) => frame.replace(/\n$/, '').split('\n').length;
    const before = lab.frame();
    const answered = slowCalls.report({ command: 'kubectl get pods', since: lab.services.now() - 2000, waits: false });
    const during = await lab.waitFor(NOTICE);
    expect(rows(during)).toBe(rows(before));
    expect(rows(during)).toBeLessThanOrEqual(24);
    // The header and the key line both stay.
    expect(during.split('\n')[0]).toContain('crashlab › Lab');
    const lines = during.replace(/\n$/, '').split('\n');
    expect(lines.at(-2)).toContain(NOTICE);
    expect(lines.at(-1)).toContain('Enter run · y copy');
    answered();
    await until(() => !lab!.frame().includes(NOTICE));
    expect(rows(lab.frame())).toBe(rows(before));
  });

  it('does not redraw per call: a flapping cluster costs a few frames, not hundreds', async () => {
    const slowCalls = new SlowCallStore();
    lab = renderLab({ slowCalls });
    await lab.waitFor('Pick a scenario');
    const steady = slowCalls.report({ command: 'kubectl get pods', since: lab.services.now() - 2000, waits: false });
    await lab.waitFor(NOTICE);
    await settle(50);
    const framesBefore = lab.stdout.frames.length;
    const startedAt = Date.now();
    // 100 older calls turn slow and answer within a few hundred ms, each changing the notice's
    // text twice (it names the oldest call): drawn as they come, that would be 200 frames.
    for (let i = 0; i < 100; i++) {
      const done = slowCalls.report({ command: `kubectl get pod web-${i}`, since: lab.services.now() - 5000, waits: false });
      await settle(1);
      done();
      await settle(1);
    }
    await settle(300);
    const drawn = lab.stdout.frames.length - framesBefore;
    // One frame per 250 ms (plus the 1 s tick) at most, however loaded the machine; unthrottled it is ~190.
    const elapsed = Date.now() - startedAt;
    expect(drawn).toBeLessThanOrEqual(Math.ceil(elapsed / THROTTLE_MS) + Math.ceil(elapsed / 1000) + 1);
    expect(drawn).toBeLessThan(20);
    expect(lab.frame()).toContain(`${NOTICE}: 2s so far (kubectl get pods)…`);
    steady();
  });
});
