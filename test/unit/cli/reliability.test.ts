/**
 * Issue 8: failures said once and plainly, nothing hangs. The signal and output-error cases run
 * the built CLI (bin/crashlab.js, dist/) as a real process with the fake kubectl on PATH,
 * because what is under test is what the process does (its own handler, its exit code).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { isAlive, readPid, setupFakes, waitFor, type Fakes, type FakeRule } from '../../fakes/index.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { VirtualClock } from '../../fakes/clock.js';

const BIN = fileURLToPath(new URL('../../../bin/crashlab.js', import.meta.url));

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the built CLI; `interruptAfter` sends SIGINT to crashlab alone once the condition holds. */
function runCli(argv: string[], options: { env?: NodeJS.ProcessEnv; stdoutFile?: string; interruptWhen?: () => boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { ...options.env, XDG_CONFIG_HOME: join(fakes?.dir ?? '/nonexistent', 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
    if (options.interruptWhen) {
      const when = options.interruptWhen;
      waitFor(when, 15_000).then(
        () => child.kill('SIGINT'),
        (error) => {
          child.kill('SIGKILL');
          reject(error);
        },
      );
    }
  });
}

function hangingKubectl(): { rules: (dir: string) => FakeRule[]; pidFile: (dir: string) => string } {
  const pidFile = (dir: string) => join(dir, 'kubectl.pid');
  return { pidFile, rules: (dir) => [{ tool: 'kubectl', hang: true, pidFile: pidFile(dir) }] };
}

describe('Ctrl-C while kubectl runs (real processes)', () => {
  it('verify --json prints an interrupted verdict, stops kubectl and exits 130 by its own handler', async () => {
    const hang = hangingKubectl();
    fakes = setupFakes(hang.rules, ['kubectl']);
    const pidFile = hang.pidFile(fakes.dir);
    const result = await runCli(['verify', 'oom', '--json'], { env: fakes.env, interruptWhen: () => existsSync(pidFile) && readPid(pidFile) > 0 });
    // Died by the signal would be code null, signal SIGINT.
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    const verdict = JSON.parse(result.out);
    expect(verdict).toMatchObject({ interrupted: true, result: 'unable', unableCause: 'interrupted' });
    await waitFor(() => !isAlive(readPid(pidFile)), 5000);
  }, 30_000);

  it('any other command ends with its own message and 130; --json prints {interrupted: true}', async () => {
    const hang = hangingKubectl();
    fakes = setupFakes(hang.rules, ['kubectl']);
    const pidFile = hang.pidFile(fakes.dir);
    const result = await runCli(['status', 'oom', '--json'], { env: fakes.env, interruptWhen: () => existsSync(pidFile) && readPid(pidFile) > 0 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(JSON.parse(result.out)).toMatchObject({ interrupted: true, command: 'status' });
    expect(result.err).toContain('crashlab: interrupted (Ctrl-C): `crashlab status` stopped before it finished');
    expect(result.err).not.toMatch(/\n\s+at /);
    await waitFor(() => !isAlive(readPid(pidFile)), 5000);
  }, 30_000);
});

describe('output that cannot be written', () => {
  it('list >/dev/full: one line on stderr, no stack trace, exit 2', async () => {
    fakes = setupFakes([], []);
    const full = await runShell(`${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} list > /dev/full`, { ...fakes.env, XDG_CONFIG_HOME: fakes.dir });
    expect(full.code).toBe(2);
    expect(full.err).toBe('crashlab: cannot write the output: the disk is full (ENOSPC)\n');
  }, 30_000);
});

function runShell(command: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}


describe("commander's usage errors in crashlab's voice", () => {
  it('an unknown command: crashlab: prefix, the suggestion, and where the usage is', async () => {
    const c = capture();
    expect(await main(['lisst'], c.io)).toBe(2);
    expect(c.err()).toBe("crashlab: unknown command 'lisst'\n(Did you mean list?)\nRun `crashlab --help` for usage.\n");
  });

  it("a subcommand's error points at that subcommand's help", async () => {
    const c = capture();
    expect(await main(['start'], c.io)).toBe(2);
    expect(c.err()).toBe("crashlab: missing required argument 'id'\nRun `crashlab start --help` for usage.\n");
    const o = capture();
    expect(await main(['list', '--bogus'], o.io)).toBe(2);
    expect(o.err()).toBe("crashlab: unknown option '--bogus'\nRun `crashlab list --help` for usage.\n");
  });
});

describe('a cluster that accepts connections and never answers', () => {
  it('says it is waiting after 2 s, and gives up at --request-timeout with the limit in the message', async () => {
    fakes = setupFakes([{ tool: 'kubectl', hang: true }], ['kubectl']);
    const c = capture(fakes.env);
    const started = Date.now();
    const code = await main(['status', 'oom', '--request-timeout', '3s'], c.io);
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(8000);
    const lines = c.err().split('\n');
    expect(lines[0]).toBe('crashlab: waiting for the cluster of context "kind-crashlab"… (giving up after 3 s; --request-timeout to change)');
    expect(c.err()).toContain('kubectl got no answer from the cluster of context "kind-crashlab" within 3 s (--request-timeout to change).');
    expect(c.err().match(/waiting for the cluster/g)).toHaveLength(1);
  }, 15_000);

  it('CRASHLAB_REQUEST_TIMEOUT sets the same limit; a bad value is a clear error', async () => {
    fakes = setupFakes([{ tool: 'kubectl', hang: true }], ['kubectl']);
    const c = capture({ ...fakes.env, CRASHLAB_REQUEST_TIMEOUT: '1s' });
    expect(await main(['status', 'oom'], c.io)).toBe(2);
    expect(c.err()).toContain('within 1 s');
    const bad = capture({ ...fakes.env, CRASHLAB_REQUEST_TIMEOUT: 'soon' });
    expect(await main(['status', 'oom'], bad.io)).toBe(2);
    expect(bad.err()).toBe('crashlab: CRASHLAB_REQUEST_TIMEOUT "soon" is not a duration of at least 1 s\n  Use e.g. CRASHLAB_REQUEST_TIMEOUT=20s or 2m.\n');
  }, 15_000);
});

describe('progress that cannot be saved after the action succeeded', () => {
  const clock = VirtualClock.stopped(Date.parse('2026-11-24T09:14:00Z'));

  it('start with XDG_CONFIG_HOME=/proc: deploys, prints what it did, warns in words, exits 0, quickly', async () => {
    const kube = new MemoryKube();
    const c = capture({ XDG_CONFIG_HOME: '/proc' });
    const started = Date.now();
    const code = await main(['start', 'bad-command'], c.io, { kube: () => kube, clock });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(code).toBe(0);
    expect(c.out()).toContain('deployment/status-page serverside-applied');
    expect(c.out()).toContain('Next: crashlab status bad-command');
    expect(c.err()).toBe(
      'crashlab: warning: bad-command was started, but your progress was not saved: cannot save progress to /proc/crashlab/progress.json: cannot create the folder /proc/crashlab: a folder on the way does not exist (ENOENT)\n',
    );
    expect(kube.namespaces.has('crashlab-bad-command')).toBe(true);
  });

  it('solve on a full disk: the solution is applied, the warning names the reason, exit 0', async () => {
    const kube = new MemoryKube();
    await main(['start', 'oom'], capture().io, { kube: () => kube, clock, store: new MemoryStore() });
    const full = new MemoryStore();
    full.update = async () => {
      throw new Error('cannot save progress to /home/ana/.config/crashlab/progress.json: the disk is full (ENOSPC)');
    };
    const c = capture();
    const code = await main(['solve', 'oom'], c.io, { kube: () => kube, clock, store: full });
    expect(code).toBe(0);
    expect(c.out()).toContain('Reference solution applied.');
    expect(c.err()).toBe('crashlab: warning: the reference solution was applied, but your progress was not saved: cannot save progress to /home/ana/.config/crashlab/progress.json: the disk is full (ENOSPC)\n');
  });
});
