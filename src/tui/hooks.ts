/** Small hooks the root component uses: terminal size, a clock tick, batched updates. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';

/** The terminal's size, following resizes. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Calls `tick` now and then every `intervalMs`; no timer at all while it is undefined. */
export function useTicks(tick: () => void, intervalMs: number | undefined): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    latest.current();
    if (intervalMs === undefined) return;
    const timer = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}

/** Collects items pushed quickly (streamed output) and hands them over at most every `ms`. */
export function useBatched<T>(flush: (batch: T[]) => void, ms = 100): (item: T) => void {
  const pending = useRef<T[]>([]);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const latest = useRef(flush);
  latest.current = flush;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (item: T) => {
      pending.current.push(item);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        latest.current(pending.current.splice(0));
      }, ms);
    },
    [ms],
  );
}
