import { describe, expect, it } from 'vitest';
import { focusContainer, formatKubectl, routineSteps, shellQuote } from '../../../src/core/routine.js';
import type { Pod } from '../../../src/core/k8s.js';

const target = { namespace: 'crashlab-oom', pod: 'web-7d9c5b8f6d-x2x9q', container: 'app' };

describe('routineSteps', () => {
  it('fills namespace, pod and container into every step, in the guide order', () => {
    const steps = routineSteps(target);
    expect(steps.map((s) => s.id)).toEqual(['get-wide', 'describe', 'logs', 'logs-previous', 'last-state', 'events', 'debug-copy']);
    for (const step of steps) {
      expect(step.args).toContain('crashlab-oom');
      expect(step.command.startsWith('kubectl ')).toBe(true);
      expect(step.title.ko.length).toBeGreaterThan(0);
    }
    expect(steps.find((s) => s.id === 'logs-previous')!.args).toEqual(['logs', 'web-7d9c5b8f6d-x2x9q', '-n', 'crashlab-oom', '-c', 'app', '--previous', '--timestamps']);
  });

  it('scopes events to the pod instead of tailing every namespace', () => {
    const events = routineSteps(target).find((s) => s.id === 'events')!;
    expect(events.args).toContain('involvedObject.name=web-7d9c5b8f6d-x2x9q');
    expect(events.args).not.toContain('-A');
  });

  it('debugs a copy with sh, not --target with bash, and does not run it for the learner', () => {
    const debug = routineSteps(target).find((s) => s.id === 'debug-copy')!;
    expect(debug.command).toBe('kubectl debug web-7d9c5b8f6d-x2x9q -n crashlab-oom --copy-to=web-7d9c5b8f6d-x2x9q-dbg --container=app --profile=baseline -it -- sh');
    expect(debug.interactive).toBe(true);
    expect(debug.args.join(' ')).not.toMatch(/--target|bash/);
  });

  it('shell-quotes the jsonpath so the printed command can be pasted', () => {
    const lastState = routineSteps({ ...target, context: 'kind-crashlab' }).find((s) => s.id === 'last-state')!;
    expect(lastState.command).toMatch(/^kubectl --context kind-crashlab get pod web-7d9c5b8f6d-x2x9q -n crashlab-oom -o 'jsonpath=\{range/);
    expect(lastState.args[0]).toBe('get');
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest, including single quotes', () => {
    expect(shellQuote('--sort-by=.lastTimestamp')).toBe('--sort-by=.lastTimestamp');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(formatKubectl(['get', 'pods'], undefined)).toBe('kubectl get pods');
  });
});

describe('focusContainer', () => {
  const pod = (init: Pod['status']): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'app' }] }, status: init });
  it('looks at a failing init container first: the app only waits for it', () => {
    const p = pod({
      initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(focusContainer(p, 'app')).toBe('migrate');
  });
  it('picks the crashing container of several, and falls back to the scenario container', () => {
    const p = pod({
      containerStatuses: [
        { name: 'proxy', ready: true, restartCount: 0, state: { running: {} } },
        { name: 'worker', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    expect(focusContainer(p, 'proxy')).toBe('worker');
    expect(focusContainer(undefined, 'app')).toBe('app');
    expect(focusContainer(pod({ containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] }), 'app')).toBe('app');
  });
});
