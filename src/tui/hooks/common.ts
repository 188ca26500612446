/** Small hooks the root component and the screen hooks share: terminal size, a clock tick, batched and synchronous state. */
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

/**
 * State that a burst of keys can read synchronously: `set` updates the ref at once (the next
 * key in the same chunk sees it) and schedules the render. Keys read `ref.current`.
 */
export function useSyncState<T>(initial: T | (() => T)): [T, (update: T | ((previous: T) => T)) => void, { readonly current: T }] {
  const [state, setState] = useState(initial);
  const ref = useRef(state);
  const set = useCallback((update: T | ((previous: T) => T)) => {
    ref.current = typeof update === 'function' ? (update as (previous: T) => T)(ref.current) : update;
    setState(ref.current);
  }, []);
  return [state, set, ref];
}

/** A reducer whose latest state is readable at once (see useSyncState). */
export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S): [S, (action: A) => void, { readonly current: S }] {
  const [state, set, ref] = useSyncState(initial);
  const dispatch = useCallback((action: A) => set((previous) => reducer(previous, action)), [reducer, set]);
  return [state, dispatch, ref];
}
