/**
 * runTui's session: the lab's kubectl calls get the command line's request timeout, and quitting
 * (q, Ctrl-C) or a signal aborts the session signal, which stops the running kubectl process,
 * restores the terminal and returns the exit code (no process.exit). The real composition root
 * and Kubectl adapter run here, over the fake kubectl (test/fakes), so the process is real.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Console } from 'node:console';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { plainRun } from '../../../src/core/instance.js';
import { composeLab, type AppOptions, type AppOverrides } from '../../../src/app/compose.js';
import { main } from '../../../src/cli/main.js';
import { openServices, runTui } from '../../../src/tui/index.js';
import { SlowCallStore } from '../../../src/tui/slowCallStore.js';
import { LabTerminal } from '../../../src/tui/terminal.js';
import type { Kind } from '../../../src/ports/kind.js';
import { isAlive, readPid, setupFakes, waitFor, type Fakes } from '../../fakes/index.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryStore } from '../../fakes/memoryKube.js';
import { FakeStdin, HEALTHY_MACHINE } from './harness.js';

class FakeOut extends EventEmitter {
  written = '';
  isTTY = true;
  columns = 100;
  rows = 30;
  write(data: string) {
    this.written += data;
    return true;
  }
}

const LEAVE_ALT = '\x1b[?1049l';
const globals: AppOptions = { yes: false, lang: 'en', color: true };
const kind: Kind = { version: async () => 'v0.32.0', clusters: async () => ['crashlab'], create: async () => undefined, delete: async () => undefined };

// runTui lets Ink patch the console (patch-console builds a new console.Console); vitest's
// console has no Console constructor, node's is lent for these tests.
const hadConsole = Object.hasOwn(console, 'Console');
beforeAll(() => {
  if (!hadConsole) Object.assign(console, { Console });
});
afterAll(() => {
  if (!hadConsole) delete (console as { Console?: unknown }).Console;
});

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

/** The fake kubectl: the cluster is ready, then every other call (start's first one) hangs until killed. */
function hangingCluster(): { fakes: Fakes; pidFile: string } {
  const f = setupFakes(
    (dir) => [
      { tool: 'kubectl', args: ['wait'], stdout: 'node/crashlab-control-plane condition met\n' },
      { tool: 'kubectl', args: ['version'], stdout: '{"serverVersion":{"gitVersion":"v1.34.1"}}\n' },
      { tool: 'kubectl', hang: true, pidFile: join(dir, 'kubectl.pid') },
    ],
    ['kubectl'],
  );
  return { fakes: f, pidFile: join(f.dir, 'kubectl.pid') };
}

/** runTui on fake terminal streams, with the real composeLab pointed at the fakes. */
function startLab(env: NodeJS.ProcessEnv) {
  const out = new FakeOut();
  const stdin = new FakeStdin();
  const terminal = new LabTerminal(out as unknown as NodeJS.WriteStream, stdin as unknown as NodeJS.ReadStream);
  const seen: { overrides?: AppOverrides } = {};
  const exit = vi.fn();
  const compose: typeof composeLab = (options, overrides = {}) => {
    seen.overrides = overrides;
    return composeLab(options, { ...overrides, env, store: new MemoryStore(), kind, preflight: async () => HEALTHY_MACHINE });
  };
  const done = runTui(globals, { terminal, stdin: stdin as unknown as NodeJS.ReadStream, compose, exit });
  return { out, stdin, seen, exit, done };
}

/** Enter until start's kubectl runs (preflight goes on to the cluster and the picker by itself). */
async function startFirstScenario(lab: ReturnType<typeof startLab>, pidFile: string): Promise<number> {
  await waitFor(() => {
    if (!existsSync(pidFile)) lab.stdin.write('\r');
    return existsSync(pidFile) && readPid(pidFile) > 0;
  }, 8000);
  return readPid(pidFile);
}

describe('the lab session (runTui)', () => {
  it('q while start waits on kubectl: the session signal is aborted, kubectl is stopped, the terminal restored, exit 0', async () => {
    const cluster = hangingCluster();
    fakes = cluster.fakes;
    const lab = startLab(fakes.env);
    const pid = await startFirstScenario(lab, cluster.pidFile);
    expect(lab.seen.overrides?.signal?.aborted).toBe(false);
    lab.stdin.write('q');
    await expect(lab.done).resolves.toBe(0);
    expect(lab.seen.overrides?.signal?.aborted).toBe(true);
    await waitFor(() => !isAlive(pid), 5000);
    expect(lab.out.written.endsWith(LEAVE_ALT)).toBe(true);
    expect(lab.exit).not.toHaveBeenCalled();
  }, 20_000);

  it('SIGINT: the same clean end with 130, by the lab’s own handler, not process.exit', async () => {
    const cluster = hangingCluster();
    fakes = cluster.fakes;
    const lab = startLab(fakes.env);
    const pid = await startFirstScenario(lab, cluster.pidFile);
    process.emit('SIGINT', 'SIGINT');
    expect(lab.seen.overrides?.signal?.aborted).toBe(true);
    expect(lab.exit).not.toHaveBeenCalled();
    await expect(lab.done).resolves.toBe(130);
    await waitFor(() => !isAlive(pid), 5000);
    expect(lab.out.written.endsWith(LEAVE_ALT)).toBe(true);
    expect(lab.out.written.match(/\x1b\[\?1049l/g)).toHaveLength(1);
  }, 20_000);

  it('a second signal while the first one’s shutdown runs exits at once with its code', async () => {
    const cluster = hangingCluster();
    fakes = cluster.fakes;
    const lab = startLab(fakes.env);
    await startFirstScenario(lab, cluster.pidFile);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    expect(lab.exit).toHaveBeenCalledWith(143);
    await expect(lab.done).resolves.toBe(143);
  }, 20_000);
});

describe('the command line reaches the lab’s kubectl calls', () => {
  it('--request-timeout: a UI call on a cluster that never answers gives up at that limit and says so', async () => {
    fakes = setupFakes((dir) => [{ tool: 'kubectl', hang: true, pidFile: join(dir, 'kubectl.pid') }], ['kubectl']);
    const env = fakes.env;
    const slowCalls = new SlowCallStore();
    const services = openServices(
      { ...globals, requestTimeoutMs: 1000 },
      { signal: new AbortController().signal, slowCalls, compose: (options, overrides) => composeLab(options, { ...overrides, env, store: new MemoryStore() }) },
    );
    const started = Date.now();
    const error = await services.events(plainRun('oom'), 'web-1').catch((e: unknown) => e);
    const took = Date.now() - started;
    expect((error as Error).message).toMatch(/no answer from the cluster of context "kind-crashlab" within 1 s/);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(4000);
    await waitFor(() => !isAlive(readPid(join(fakes!.dir, 'kubectl.pid'))), 5000);
  }, 15_000);
});

describe('opening the lab from the command line', () => {
  it('crashlab --request-timeout 5s hands the limit to the lab (runTui passes it to composeLab)', async () => {
    const { io } = capture({});
    Object.assign(io.stdout, { isTTY: true });
    Object.assign(io.stdin, { isTTY: true });
    const opened: AppOptions[] = [];
    const code = await main(['--context', 'crashlab-local', '--request-timeout', '5s'], io, { openLab: async (options) => (opened.push(options), 0) });
    expect(code).toBe(0);
    expect(opened).toEqual([expect.objectContaining({ context: 'crashlab-local', requestTimeoutMs: 5000 })]);
    // …and openServices gives composeLab those globals, the session signal and the slow feed.
    const calls: [AppOptions, AppOverrides | undefined][] = [];
    const signal = new AbortController().signal;
    const slowCalls = new SlowCallStore();
    openServices(opened[0]!, { signal, slowCalls, compose: (options, overrides) => (calls.push([options, overrides]), composeLab(options, { ...overrides, store: new MemoryStore(), env: {} })) });
    expect(calls[0]![0].requestTimeoutMs).toBe(5000);
    expect(calls[0]![1]).toMatchObject({ signal, onSlowCall: slowCalls.report, holdStoreWarnings: true });
  });
});
