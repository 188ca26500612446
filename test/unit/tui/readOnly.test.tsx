/** No cluster: the lab still lets a learner read the scenarios (a read-only picker), never start one. */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderLab, settle, type Lab } from './harness.js';

let lab: Lab | undefined;
afterEach(() => {
  lab?.unmount();
  lab = undefined;
});

describe('the read-only picker', () => {
  it('b on a failed cluster opens the picker to read briefings; Enter starts nothing', async () => {
    let starts = 0;
    lab = renderLab({
      patch: (s) => {
        s.ensureCluster = async () => {
          throw Object.assign(new Error('kind create cluster failed: Cannot connect to the Docker daemon'), { hint: 'Start Docker, then press r.' });
        };
        const start = s.start.bind(s);
        s.start = async (...args: Parameters<typeof s.start>) => {
          starts++;
          return start(...args);
        };
      },
    });
    let frame = await lab.waitFor('Cannot connect to the Docker daemon');
    expect(frame).toContain('b browse (read-only)');
    await lab.type('b');
    frame = await lab.waitFor('read-only: no cluster');
    expect(frame).toContain('Pick a scenario');
    expect(frame).not.toContain('Enter start');
    await lab.type(KEY.down);
    await lab.type(KEY.enter);
    await settle(50);
    expect(starts).toBe(0);
    expect(lab.frame()).toContain('read-only: no cluster');
  });
});
