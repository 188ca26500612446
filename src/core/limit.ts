/**
 * Bounded concurrency for work against the cluster: each item is usually one kubectl process
 * (about 0.2-0.4 s of CPU and 40 MB of memory on the 2-core machines this runs on), so
 * starting one per team at once for 100 teams would thrash the instructor's laptop and the API
 * server's client limits; one at a time makes a round for 100 teams take a minute.
 */

/**
 * kubectl processes under way at once for the game-day commands (provisioning, a round's
 * release, `end`): past about 4 per core nothing goes faster on the instructor's machine, and 8
 * stays far below an API server's default in-flight limits (400 reads, 200 writes).
 */
export const KUBECTL_CONCURRENCY = 8;

/**
 * Calls `work` on every item with at most `limit` calls under way, and resolves with the
 * results in the items' order. A failing item does not stop the others (a round reaches every
 * team it can); once all have settled, the first failure (in item order) is thrown.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(limit >= 1)) throw new RangeError(`concurrency limit must be at least 1, not ${limit}`);
  const results: R[] = new Array(items.length);
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.floor(limit), items.length) }, runner));
  if (failures.length) throw failures.sort((a, b) => a.index - b.index)[0].error;
  return results;
}

/** Splits items into consecutive chunks of at most `size` (one kubectl call each). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be at least 1, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Splits items into `parts` chunks of nearly equal size (one kubectl call each, all under way
 * at once), none bigger than `maxSize`. kubectl applies or deletes a list one object after
 * another, so 100 teams' workloads in one call reach the last team seconds after the first;
 * and one call must end within the request timeout (60 s) on a loaded machine, so 1,000 teams
 * make more chunks than parts, worked `parts` at a time.
 */
export function evenChunks<T>(items: readonly T[], parts: number, maxSize = Infinity): T[][] {
  if (!(parts >= 1)) throw new RangeError(`parts must be at least 1, not ${parts}`);
  if (!(maxSize >= 1)) throw new RangeError(`chunk size must be at least 1, not ${maxSize}`);
  return chunks(items, Math.max(1, Math.min(maxSize, Math.ceil(items.length / parts))));
}
