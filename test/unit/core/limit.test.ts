import { describe, expect, it } from 'vitest';
import { chunks, evenChunks, mapLimit } from '../../../src/core/limit.js';

/** A task the test finishes by hand, so the order of events is the test's, not the timer's. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimit', () => {
  it('never runs more than the limit at once, and starts the next as soon as one finishes', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const done = mapLimit([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await gates[i].opened;
      running--;
      return i * 10;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await done).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
  });

  it('keeps results in item order whatever order they finish in', async () => {
    const out = await mapLimit([30, 10, 20], 3, (ms) => new Promise<number>((r) => setTimeout(() => r(ms), ms)));
    expect(out).toEqual([30, 10, 20]);
  });

  it('still works every item when one fails, then throws the first failure in item order', async () => {
    const seen: number[] = [];
    const run = mapLimit([1, 2, 3, 4], 2, async (i) => {
      seen.push(i);
      await tick();
      if (i === 2 || i === 3) throw new Error(`item ${i}`);
      return i;
    });
    await expect(run).rejects.toThrow('item 2');
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
  });

  it('handles no items and a limit above the item count', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit(['a'], 8, async (s) => s.toUpperCase())).toEqual(['A']);
  });

  it('refuses a limit below 1 (a zero limit would never finish)', async () => {
    await expect(mapLimit([1], 0, async (i) => i)).rejects.toThrow(RangeError);
  });
});

describe('chunks', () => {
  it('splits into consecutive chunks, the last one shorter', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
    expect(() => chunks([1], 0)).toThrow(RangeError);
  });
});

describe('evenChunks', () => {
  it('makes at most that many chunks, sizes differing by the remainder only', () => {
    expect(evenChunks([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(evenChunks(Array.from({ length: 100 }, (_, i) => i), 8).map((c) => c.length)).toEqual([13, 13, 13, 13, 13, 13, 13, 9]);
    expect(evenChunks([1, 2], 8)).toEqual([[1], [2]]);
    expect(evenChunks([], 8)).toEqual([]);
  });

  it('never makes a chunk bigger than maxSize (one kubectl call must end within its timeout)', () => {
    const sizes = evenChunks(Array.from({ length: 1000 }, (_, i) => i), 8, 25).map((c) => c.length);
    expect(sizes).toHaveLength(40);
    expect(Math.max(...sizes)).toBe(25);
    expect(evenChunks([1, 2, 3], 8, 25)).toEqual([[1], [2], [3]]);
  });
});
