/**
 * Issue 21 (items 4-7, 12): the game-day commands, `join` and `note` are bounded and stopped
 * like the lab commands; a kubectl with children is stopped with its whole tree; a request
 * timeout Node cannot hold is refused; `doctor` interrupted says so. The signal cases run the
 * built CLI (bin/crashlab.js) as a real process with the fake kubectl (test/fakes) on PATH: what
 * is under test is what that process and its children do.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { teamKubeconfig } from '../../../src/core/gameday/objects.js';
import { isAlive, readPid, setupFakes, waitFor, type Fakes, type FakeRule } from '../../fakes/index.js';
import { capture } from '../../fakes/captureIo.js';

const BIN = fileURLToPath(new URL('../../../bin/crashlab.js', import.meta.url));

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

/** A kubectl that never answers and has a child of its own (as a wrapper script or an exec credential plugin has). */
function hangingWithChild(dir: string, args?: string[]): FakeRule[] {
  return [{ tool: 'kubectl', ...(args ? { args } : {}), hang: true, pidFile: join(dir, 'kubectl.pid'), childPidFile: join(dir, 'child.pid') }];
}

function teamFile(dir: string): string {
  const file = join(dir, 'team-1.kubeconfig');
  writeFileSync(file, yaml.dump(teamKubeconfig('lab1', 'team-1', { server: 'https://127.0.0.1:6443', caData: 'Q0E=' }, 'e30.e30.sig')), { mode: 0o600 });
  return file;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the built CLI and sends `signal` to its pid alone (not its process group) once kubectl's child runs. */
function runCli(argv: string[], env: NodeJS.ProcessEnv, signal: NodeJS.Signals, ready: () => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { env: { ...env, XDG_CONFIG_HOME: join(fakes!.dir, 'config') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, out, err }));
    waitFor(ready, 15_000).then(
      () => child.kill(signal),
      (error) => {
        child.kill('SIGKILL');
        reject(error);
      },
    );
  });
}

const running = (file: string) => () => existsSync(file) && readPid(file) > 0;

describe('a signal to crashlab’s pid stops kubectl and everything kubectl started', () => {
  it('gameday export, SIGTERM: exit 143 by its own handler, kubectl and its child gone', async () => {
    fakes = setupFakes((dir) => hangingWithChild(dir), ['kubectl']);
    const childFile = join(fakes.dir, 'child.pid');
    const started = Date.now();
    const result = await runCli(['gameday', 'export', 'lab1'], fakes.env, 'SIGTERM', running(childFile));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(143);
    // The 10 s "did not stop" fallback is not what ended it.
    expect(Date.now() - started).toBeLessThan(9000);
    expect(result.err).not.toContain('did not stop within 10 s');
    await waitFor(() => !isAlive(readPid(join(fakes!.dir, 'kubectl.pid'))) && !isAlive(readPid(childFile)), 5000);
  }, 30_000);

  it('join --json, SIGINT: exit 130, {"interrupted": true}, no kubectl left', async () => {
    fakes = setupFakes((dir) => hangingWithChild(dir), ['kubectl']);
    const childFile = join(fakes.dir, 'child.pid');
    const result = await runCli(['join', teamFile(fakes.dir), '--json'], fakes.env, 'SIGINT', running(childFile));
    expect(result.code).toBe(130);
    expect(JSON.parse(result.out)).toMatchObject({ interrupted: true, command: 'join' });
    await waitFor(() => !isAlive(readPid(join(fakes!.dir, 'kubectl.pid'))) && !isAlive(readPid(childFile)), 5000);
  }, 30_000);

  it('a lab command (status): the child of kubectl is not left re-parented to pid 1', async () => {
    fakes = setupFakes((dir) => hangingWithChild(dir), ['kubectl']);
    const childFile = join(fakes.dir, 'child.pid');
    const result = await runCli(['status', 'oom'], fakes.env, 'SIGINT', running(childFile));
    expect(result.code).toBe(130);
    await waitFor(() => !isAlive(readPid(childFile)), 5000);
  }, 30_000);
});

describe('doctor interrupted', () => {
  it('SIGINT while kubectl hangs: exit 130 and {"interrupted": true}, never "kubectl cannot run"', async () => {
    fakes = setupFakes((dir) => hangingWithChild(dir, ['version', '--client']), ['kubectl']);
    const childFile = join(fakes.dir, 'child.pid');
    const result = await runCli(['doctor', '--json'], fakes.env, 'SIGINT', running(childFile));
    expect(result.code).toBe(130);
    expect(JSON.parse(result.out)).toMatchObject({ interrupted: true, command: 'doctor' });
    expect(result.out + result.err).not.toMatch(/cannot run|reinstall/i);
    await waitFor(() => !isAlive(readPid(childFile)), 5000);
  }, 30_000);

  it('SIGTERM: exit 143, no report printed', async () => {
    fakes = setupFakes((dir) => hangingWithChild(dir, ['version', '--client']), ['kubectl']);
    const result = await runCli(['doctor'], fakes.env, 'SIGTERM', running(join(fakes.dir, 'child.pid')));
    expect(result.code).toBe(143);
    expect(result.out).not.toContain('crashlab doctor:');
    expect(result.err).toContain('stopped (SIGTERM): `crashlab doctor` stopped before it finished');
  }, 30_000);
});

describe('game-day commands, join and note honour --request-timeout', () => {
  it('gameday export: "waiting for the cluster" once after 2 s, gives up at the limit', async () => {
    fakes = setupFakes([{ tool: 'kubectl', hang: true }], ['kubectl']);
    const c = capture(fakes.env);
    const started = Date.now();
    expect(await main(['gameday', 'export', 'lab1', '--request-timeout', '3s'], c.io)).toBe(2);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(c.err().match(/crashlab: waiting for the cluster of context "kind-crashlab"… \(giving up after 3 s; --request-timeout to change\)/g)).toHaveLength(1);
    expect(c.err()).toContain('within 3 s');
  }, 15_000);

  it('gameday end, join and note: the limit holds (not the default 60 s), set by flag or CRASHLAB_REQUEST_TIMEOUT', async () => {
    fakes = setupFakes([{ tool: 'kubectl', hang: true }], ['kubectl']);
    const file = teamFile(fakes.dir);
    const runs = [
      { argv: ['gameday', 'end', 'lab1', '--yes', '--request-timeout', '1s'], env: fakes.env },
      { argv: ['join', file, '--json', '--request-timeout', '1s'], env: fakes.env },
      { argv: ['--kubeconfig', file, 'note', 'the', 'limit', 'was', '32Mi'], env: { ...fakes.env, CRASHLAB_REQUEST_TIMEOUT: '1s' } },
    ];
    const started = Date.now();
    const results = await Promise.all(
      runs.map(async ({ argv, env }) => {
        const c = capture(env);
        return { code: await main(argv, c.io), err: c.err() };
      }),
    );
    expect(Date.now() - started).toBeLessThan(6000);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.err).toContain('within 1 s (--request-timeout to change)');
    }
  }, 15_000);
});

describe('a request timeout Node cannot hold', () => {
  it('above 2^31-1 ms (24.8 days) is refused in words, before any kubectl runs', async () => {
    fakes = setupFakes([{ tool: 'kubectl', stdout: '{"items":[]}' }], ['kubectl']);
    const c = capture(fakes.env);
    expect(await main(['status', 'oom', '--request-timeout', '40000m'], c.io)).toBe(2);
    expect(c.err()).toBe('crashlab: --request-timeout "40000m" is too long: at most 35791m (24 days)\n  A cluster that has not answered in minutes will not answer; e.g. 5m.\n');
    const env = capture({ ...fakes.env, CRASHLAB_REQUEST_TIMEOUT: '2147483648ms' });
    expect(await main(['status', 'oom'], env.io)).toBe(2);
    expect(env.err()).toContain('CRASHLAB_REQUEST_TIMEOUT "2147483648ms" is too long');
    expect(fakes.calls()).toEqual([]);
    // The longest accepted one still works.
    const ok = capture(fakes.env);
    await main(['status', 'oom', '--request-timeout', '35791m'], ok.io);
    expect(ok.err()).not.toContain('too long');
    expect(fakes.calls().length).toBeGreaterThan(0);
  });
});
