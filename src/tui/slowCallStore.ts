/**
 * A store of the kubectl calls waiting on a slow cluster right now, fed by the composition root
 * (onSlowCall) and read by the status line. Kept outside React: calls start and answer at any
 * time, the status line samples them at its own pace (hooks/useSlowNotice.ts).
 */
import type { OnSlowCall, SlowCall } from '../app/slowCallTimer.js';

export type { SlowCall };

export type SlowCallListener = (calls: readonly SlowCall[]) => void;

export class SlowCallStore {
  private readonly calls = new Set<SlowCall>();
  private readonly listeners = new Set<SlowCallListener>();

  /** The composition root's onSlowCall: one call is slow; the returned function says it answered. */
  readonly report: OnSlowCall = (call) => {
    const entry = { ...call };
    this.calls.add(entry);
    this.emit();
    return () => {
      if (this.calls.delete(entry)) this.emit();
    };
  };

  /** Tells `listener` the waiting calls now and on every change; returns the unsubscribe. */
  subscribe(listener: SlowCallListener): () => void {
    this.listeners.add(listener);
    listener(this.current());
    return () => {
      this.listeners.delete(listener);
    };
  }

  current(): readonly SlowCall[] {
    return [...this.calls];
  }

  private emit(): void {
    const calls = this.current();
    for (const listener of this.listeners) listener(calls);
  }
}
