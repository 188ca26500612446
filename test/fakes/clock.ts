/**
 * The one clock of the tests: virtual time that moves only when the test moves it, so a 60 s
 * verify window or a kubelet back-off runs in milliseconds and deterministically.
 */
import type { Clock } from '../../src/ports/clock.js';

interface Timer {
  at: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  private timers: Timer[] = [];
  constructor(public nowMs: number) {}

  /** A clock that stays at `at` and whose sleeps return at once: for tests that only read the time. */
  static stopped(at: number): VirtualClock {
    const clock = new VirtualClock(at);
    clock.sleep = async () => undefined;
    return clock;
  }

  /** Bound, so `clock.now` can be handed on as a function. */
  now = (): number => this.nowMs;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.nowMs + Math.max(0, ms), resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  nextTimerAt(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }

  /** Moves to `at` and fires every timer due by then. */
  advanceTo(at: number): void {
    this.nowMs = Math.max(this.nowMs, at);
    const due = this.timers.filter((t) => t.at <= this.nowMs);
    this.timers = this.timers.filter((t) => t.at > this.nowMs);
    for (const t of due) t.resolve();
  }

  /** Moves `ms` forward and fires every timer due by then. */
  advance(ms: number): void {
    this.advanceTo(this.nowMs + ms);
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
