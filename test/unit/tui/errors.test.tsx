/** The lab's unhappy paths: cancelled cluster creation, confirmations, rejected edits, lost clusters. */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, openFirstLab, renderLab, until, type Lab } from './harness.js';

let lab: Lab | undefined;
afterEach(() => {
  lab?.unmount();
  lab = undefined;
});

describe('cluster creation', () => {
  it('Ctrl-C cancels kind cleanly and offers to delete the half-made cluster', async () => {
    let aborted = false;
    const deleted: string[] = [];
    lab = renderLab({
      patch: (s) => {
        s.ensureCluster = ({ onLine, signal }) =>
          new Promise((_resolve, reject) => {
            onLine('Creating cluster "crashlab" ...');
            onLine(' ✓ Ensuring node image (kindest/node:v1.33.1) 🖼');
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(Object.assign(new Error('kind create cluster was cancelled'), { name: 'AbortError' }));
            });
          });
        s.deleteCluster = async (onLine) => {
          deleted.push('crashlab');
          onLine('Deleting cluster "crashlab" ...');
          return 'deleted' as const;
        };
      },
    });
    let frame = await lab.waitFor('Finding or creating the cluster');
    await lab.waitFor('Ensuring node image');
    expect(frame).toContain('Ctrl-C cancel');
    await lab.type(KEY.ctrlC);
    frame = await lab.waitFor('Cluster creation cancelled');
    expect(aborted).toBe(true);
    expect(frame).toContain('d delete the cluster (crashlab down)');
    expect(lab.exitCode()).toBeUndefined();
    await lab.type('d');
    await lab.waitFor('Cluster deleted');
    expect(deleted).toEqual(['crashlab']);
  });

  it('stops kind when the lab is torn down mid-creation (SIGTERM, crash)', async () => {
    let aborted = false;
    lab = renderLab({
      patch: (s) => {
        s.ensureCluster = ({ signal }) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
            });
          });
      },
    });
    await lab.waitFor('Finding or creating the cluster');
    lab.unmount();
    lab = undefined;
    expect(aborted).toBe(true);
  });

  it('shows a failure with its next step, and r retries', async () => {
    let attempts = 0;
    lab = renderLab({
      patch: (s) => {
        const real = s.ensureCluster.bind(s);
        s.ensureCluster = async (options) => {
          attempts++;
          if (attempts === 1) throw Object.assign(new Error('kind create cluster failed: port 6443 is already in use'), { hint: 'Stop whatever listens on 6443, then press r.' });
          return real(options);
        };
      },
    });
    const frame = await lab.waitFor('port 6443 is already in use');
    expect(frame).toContain('next: Stop whatever listens on 6443');
    expect(frame).not.toMatch(/at .*\.js:\d+/);
    await lab.type('r');
    await lab.waitFor('Pick a scenario');
  });

  it('asks before using a context that is not crashlab’s own cluster', async () => {
    lab = renderLab({ context: 'prod' });
    await lab.waitFor('Continue?');
    expect(lab.frame()).not.toContain('Pick a scenario');
    await lab.type('y');
    await lab.waitFor('Pick a scenario');
  });

  it('quits without touching the cluster when the context is refused', async () => {
    lab = renderLab({ context: 'prod' });
    await lab.waitFor('Continue?');
    await lab.type('n');
    await lab.exited;
    expect(lab.exitCode()).toBe(2);
  });
});

describe('errors in the lab', () => {
  it('an unreadable scenario catalog is explained instead of spinning forever', async () => {
    lab = renderLab({
      patch: (s) => {
        s.scenarios = async () => {
          throw Object.assign(new Error('scenarios/oom/scenario.yaml: limits.memory: must be a quantity'), { hint: 'Fix the file or reinstall crashlab.' });
        };
      },
    });
    const frame = await lab.waitFor('must be a quantity');
    expect(frame).toContain('next: Fix the file or reinstall crashlab.');
  });

  it('a scenario that cannot start says why and what to do, and the picker stays usable', async () => {
    lab = renderLab({
      patch: (s) => {
        s.start = async () => {
          throw Object.assign(new Error('the cluster "kind-crashlab" is not reachable: connection refused'), { hint: 'Is it running? crashlab up' });
        };
      },
    });
    await lab.waitFor('Pick a scenario');
    await lab.type(KEY.enter);
    const frame = await lab.waitFor('not reachable');
    expect(frame).toContain('next: Is it running? crashlab up');
    await lab.type('j');
    await lab.waitFor('›  Killed while warming up');
  });

  it('edits the live Deployment in $EDITOR and applies it on save', async () => {
    const edited: string[] = [];
    lab = renderLab({
      editor: (text) => {
        edited.push(text);
        return { status: 'saved', text: text.replace('- /usr/sbin/httpd', '- /bin/httpd') };
      },
    });
    await openFirstLab(lab);
    await lab.type('f', 'e');
    const frame = await lab.waitFor('Applied. Watch the pod');
    expect(frame).toContain('deployment.apps/status-page');
    // The learner edited the live object (no status, no managedFields) and the fixed pod runs.
    expect(edited[0]).toContain('- /usr/sbin/httpd');
    expect(edited[0]).not.toContain('status:');
    lab.services.advance(2000);
    await lab.waitFor(/Running\s+READY 1\/1/);
  });

  it('shows a rejected edit readably and keeps the learner’s text for the next edit', async () => {
    const seen: string[] = [];
    lab = renderLab({
      editor: (text) => {
        seen.push(text);
        return { status: 'saved', text: text.replace('kind: Deployment', 'kind: Deploymnet') };
      },
    });
    await openFirstLab(lab);
    await lab.type('f', 'e');
    const frame = await lab.waitFor('The server rejected the change');
    expect(frame).toMatch(/exactly one Deployment named\s+status-page/);
    expect(frame).toContain('Press e to edit again');
    await lab.type('e');
    await until(() => seen.length === 2);
    expect(seen[1]).toContain('kind: Deploymnet');
  });

  it('a lost pod watch shows as a message, not a crash', async () => {
    lab = renderLab({
      patch: (s) => {
        const real = s.watchPods.bind(s);
        s.watchPods = (target, onPods, onError) => {
          const watch = real(target, onPods, onError);
          setTimeout(() => onError?.(Object.assign(new Error('the cluster went away: connection refused'), { hint: 'Check it with: kubectl get nodes' })), 20);
          return watch;
        };
      },
    });
    await openFirstLab(lab);
    const frame = await lab.waitFor('the cluster went away');
    expect(frame).toContain('Check it with: kubectl get nodes');
  });
});

describe('verdicts', () => {
  it('names a broken guard once, with what the fix removed', async () => {
    const removed = 'the liveness probe on container app was removed: a fix must keep it (tune its timing instead)';
    lab = renderLab({
      patch: (s) => {
        s.verify = async (_target, { onProgress }) => {
          onProgress({ phase: 'done' });
          return {
            outcome: 'fail',
            summary: `the fix removed what the scenario tests: ${removed}`,
            windowSeconds: 25,
            windowReasons: ['longest term 15 s + margin 10 s = 25 s'],
            elapsedSeconds: 3,
            evidence: [removed, 'pod search-api-555f7b4784-2gwwk container app: restartCount 1'],
            guards: [{ guard: 'livenessProbe on app', ok: false, detail: removed }],
          };
        };
      },
    });
    await openFirstLab(lab);
    await lab.type('v');
    const frame = await lab.waitFor('FAIL: the fix does not hold');
    expect(frame).toContain('Guards:');
    expect(frame).toContain('✗ livenessProbe on app: the liveness probe on container app was');
    expect(frame).toContain('• pod search-api-555f7b4784-2gwwk container app: restartCount 1');
    expect(frame).not.toContain('• the liveness probe');
    expect(frame).toContain('longest term 15 s + margin 10 s = 25 s');
    await lab.type('f');
    await lab.waitFor('Fix the live objects');
  });
});
