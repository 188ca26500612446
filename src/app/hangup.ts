/**
 * A closed terminal (SIGHUP, or EIO from it) ends crashlab the conventional way: every registered cleanup runs,
 * synchronously (kubectl process trees signalled, the terminal restored where it still exists),
 * then the process dies by SIGHUP itself, so a shell reports 129. Not process.exit and not a
 * natural exit: once its controlling terminal is gone, Node (measured on 20.20) aborts or
 * segfaults in its own exit path (SIGABRT/SIGSEGV, a core dump on a terminal server), with or
 * without raw mode (its ResetStdio asserts that restoring the terminal mode cannot fail with EIO).
 * Dying by the default action of the signal skips that path.
 */
const cleanups = new Set<() => void>();

/**
 * Ends the process as a hangup now: the terminal is gone (SIGHUP, or EIO on a write or read,
 * which can come first: a frame drawn between the close and the signal).
 */
export function hangUpNow(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // The next cleanup still runs; the terminal that would show the error is gone.
    }
  }
  cleanups.clear();
  // With no listener left Node restores the default action, which the signal then takes.
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}

/** Runs `cleanup` (synchronous work only) before the process ends on SIGHUP; returns the unregister. */
export function onHangup(cleanup: () => void): () => void {
  if (cleanups.size === 0) process.on('SIGHUP', hangUpNow);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) process.removeListener('SIGHUP', hangUpNow);
  };
}
