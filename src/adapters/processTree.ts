/**
 * Stopping a tool with everything it started. kubectl may be a wrapper script, or run an exec
 * credential plugin: signalling kubectl alone leaves its children running, re-parented to pid 1.
 * The tree is read (Linux /proc, else `ps`) before anything is signalled, while every child
 * still names its parent. Tools stay in crashlab's process group on purpose: Ctrl-C and a
 * closed terminal reach them from the kernel too, even if crashlab itself is killed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** After SIGTERM, how long the tree has before SIGKILL. */
export const KILL_GRACE_MS = 3000;

/** pid → parent pid, for every process this user can see. */
function parentsOf(): Map<number, number> {
  const parents = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parents.set(Number(entry), Number(fields[1]));
      } catch {
        // The process ended while the table was read.
      }
    }
    if (parents.size) return parents;
  } catch {
    // No /proc (macOS): ps below.
  }
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of out.split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      if (pid > 0) parents.set(pid, ppid);
    }
  } catch {
    // Nothing to read: only the tool itself is signalled.
  }
  return parents;
}

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parentsOf()) children.set(parent, [...(children.get(parent) ?? []), child]);
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const child of children.get(tree[i]) ?? []) if (!tree.includes(child)) tree.push(child);
  return tree;
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * SIGTERM to the tree now, SIGKILL to whatever of it is left after KILL_GRACE_MS (or at once
 * when `finish` is called once the tool has ended). Returns `finish`.
 */
export function stopTree(pid: number | undefined): () => void {
  if (pid === undefined) return () => {};
  const tree = processTree(pid);
  signalAll(tree, 'SIGTERM');
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signalAll(tree, 'SIGKILL');
  };
  const timer = setTimeout(finish, KILL_GRACE_MS);
  timer.unref();
  return finish;
}

/**
 * Stops a running tool's tree when `signal` aborts or `timeoutMs` passes (execa's own cancel
 * and timeout signal the tool alone). `settled()` is called once the tool has ended.
 */
export function treeStopper(pid: number | undefined, options: { signal?: AbortSignal; timeoutMs?: number }) {
  let timedOut = false;
  let canceled = false;
  let finish: (() => void) | undefined;
  const stop = () => (finish ??= stopTree(pid));
  const onAbort = () => {
    canceled = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
  return {
    get timedOut() {
      return timedOut;
    },
    get canceled() {
      return canceled;
    },
    /** The tool ended: anything of its tree still running is killed, the timers are cleared. */
    settled() {
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      finish?.();
    },
    stop,
  };
}
