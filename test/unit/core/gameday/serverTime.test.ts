import { describe, expect, it } from 'vitest';
import { clockOffsetMs, onServerTime } from '../../../../src/core/gameday/serverTime.js';
import { serverOffsetMs } from '../../../../src/engine/gameday/serverClock.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { T0, at } from '../../../fakes/gameday.js';

/** One clock for the test: each now() moves it on by `stepMs` (a call takes that long). */
function steppingClock(startMs: number, stepMs: number): Clock {
  let now = startMs;
  return { now: () => (now += stepMs) - stepMs, sleep: async () => {} };
}

describe('clockOffsetMs (a laptop clock against the API server’s)', () => {
  it('measures a laptop 10 minutes ahead from one server second read between two local readings', () => {
    // Server said 10:00:00 (truncated: its clock read 10:00:00.000–.999); the laptop read 10:10:00.200 and 10:10:00.400.
    expect(clockOffsetMs(at(0), T0 + 600_200, T0 + 600_400)).toBe(-600_200 + 500 - 100);
  });

  it('measures a laptop 10 minutes behind', () => {
    expect(clockOffsetMs('2026-11-30T10:10:00Z', T0, T0 + 100)).toBe(600_000 + 500 - 50);
  });

  it('takes a laptop within the tolerance (plus half the call) as right', () => {
    expect(clockOffsetMs(at(0), T0 + 1_900, T0 + 2_100)).toBe(0);
    expect(clockOffsetMs(at(0), T0 - 2_000, T0 - 1_000)).toBe(0);
    // A slow call widens what the measure can tell apart.
    expect(clockOffsetMs(at(0), T0, T0 + 6_000)).toBe(0);
    expect(clockOffsetMs(at(0), T0 + 3_000, T0 + 3_200)).toBe(-2_600);
  });

  it('is 0 when the server said nothing usable', () => {
    expect(clockOffsetMs(undefined, T0, T0)).toBe(0);
    expect(clockOffsetMs('', T0, T0)).toBe(0);
    expect(clockOffsetMs('yesterday', T0, T0)).toBe(0);
    expect(clockOffsetMs(at(0), T0 + 10, T0)).toBe(0);
  });
});

describe('onServerTime', () => {
  it('moves every event onto the server’s clock and keeps the rest of each event', () => {
    const events = [
      { at: at(600), type: 'diagnosis', category: 'oom' },
      { at: at(610), type: 'verify-requested', id: 'r1' },
    ];
    expect(onServerTime(events, -600_000)).toEqual([
      { at: at(0), type: 'diagnosis', category: 'oom' },
      { at: at(10), type: 'verify-requested', id: 'r1' },
    ]);
    expect(events[0].at).toBe(at(600));
  });

  it('leaves events alone with no offset, and an unreadable time as it is', () => {
    expect(onServerTime([{ at: at(5) }], 0)).toEqual([{ at: at(5) }]);
    expect(onServerTime([{ at: 'soon' }], 1000)).toEqual([{ at: 'soon' }]);
  });
});

describe('serverOffsetMs', () => {
  it('asks the cluster once, between two readings of the laptop clock', async () => {
    const asked: string[] = [];
    const cluster = {
      serverTime: async (namespace: string) => {
        asked.push(namespace);
        return '2026-11-30T10:00:00Z';
      },
    };
    // The laptop is 10 min ahead; the call takes 200 ms.
    expect(await serverOffsetMs(cluster, 'crashlab-g1-team-1', steppingClock(T0 + 600_000, 200))).toBe(-600_000 + 500 - 100);
    expect(asked).toEqual(['crashlab-g1-team-1']);
  });

  it('is 0 when the cluster cannot say (no serverTime, or the call fails): the laptop’s time stays', async () => {
    expect(await serverOffsetMs({}, 'ns', steppingClock(T0, 10))).toBe(0);
    expect(await serverOffsetMs({ serverTime: () => Promise.reject(new Error('Forbidden')) }, 'ns', steppingClock(T0 + 600_000, 10))).toBe(0);
  });
});
