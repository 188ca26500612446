/**
 * Issue 16 item 17: closing the terminal of any crashlab screen ends it cleanly. A hung-up
 * process must not exit normally: Node 20 then aborts in ResetStdio ("Assertion failed",
 * SIGABRT) because the terminal mode cannot be restored on a closed terminal. crashlab stops
 * its kubectl trees and dies by SIGHUP instead (a shell reports 129). The lab case runs the
 * built CLI in a real pseudo-terminal (util-linux `script`) that is then closed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, readPid, setupFakes, waitFor, type Fakes } from '../../fakes/index.js';

const BIN = fileURLToPath(new URL('../../../bin/crashlab.js', import.meta.url));

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

const running = (file: string) => () => existsSync(file) && readPid(file) > 0;

/** util-linux `script` gives a command a pseudo-terminal; BSD/macOS `script` takes other flags. */
function utilLinuxScript(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).trim();
    return /util-linux/.test(execFileSync(path, ['--version'], { encoding: 'utf8' })) ? path : undefined;
  } catch {
    return undefined;
  }
}
const SCRIPT = utilLinuxScript();

describe('SIGHUP to a command', () => {
  it('status: kubectl and its child are stopped, the process dies by SIGHUP', async () => {
    fakes = setupFakes((dir) => [{ tool: 'kubectl', hang: true, pidFile: join(dir, 'kubectl.pid'), childPidFile: join(dir, 'child.pid') }], ['kubectl']);
    const dir = fakes.dir;
    const child = spawn(process.execPath, [BIN, 'status', 'oom'], { env: { ...fakes.env, XDG_CONFIG_HOME: join(dir, 'config') }, stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    await waitFor(running(join(dir, 'child.pid')), 15_000);
    child.kill('SIGHUP');
    expect(await ended).toEqual({ code: null, signal: 'SIGHUP' });
    await waitFor(() => !isAlive(readPid(join(dir, 'kubectl.pid'))) && !isAlive(readPid(join(dir, 'child.pid'))), 5000);
  }, 30_000);
});

describe.skipIf(!SCRIPT)('closing the terminal of the lab (a real pseudo-terminal)', () => {
  it('ends by SIGHUP, without Node aborting, and leaves no kubectl behind', async () => {
    // The preflight screen, waiting on a kubectl that hangs and has a child.
    fakes = setupFakes((dir) => [{ tool: 'kubectl', hang: true, pidFile: join(dir, 'kubectl.pid'), childPidFile: join(dir, 'child.pid') }], ['kubectl']);
    const dir = fakes.dir;
    const rcFile = join(dir, 'rc.json');
    const errFile = join(dir, 'stderr.txt');
    // Records how crashlab ended (the shell in the terminal dies with it).
    const wrapper = join(dir, 'wrap.cjs');
    writeFileSync(
      wrapper,
      `const { spawn } = require('child_process');
process.on('SIGHUP', () => {});
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ['inherit', 'inherit', require('fs').openSync(${JSON.stringify(errFile)}, 'w')] });
child.on('exit', (code, signal) => require('fs').writeFileSync(${JSON.stringify(rcFile)}, JSON.stringify({ code, signal })));`,
    );
    const command = [process.execPath, wrapper, process.execPath, BIN, '--context', 'fake-ctx', '--yes'].map((a) => `'${a}'`).join(' ');
    const terminal = spawn(SCRIPT!, ['-qfec', command, '/dev/null'], { env: { ...fakes.env, SHELL: '/bin/sh', XDG_CONFIG_HOME: join(dir, 'config'), TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    terminal.stdout.on('data', (d) => (screen += d));
    await waitFor(() => running(join(dir, 'child.pid'))() && screen.includes('Preflight'), 15_000);
    // The terminal window closes: its pseudo-terminal goes away under the lab.
    terminal.kill('SIGKILL');
    await waitFor(() => existsSync(rcFile), 10_000);
    expect(JSON.parse(readFileSync(rcFile, 'utf8'))).toEqual({ code: null, signal: 'SIGHUP' });
    expect(readFileSync(errFile, 'utf8')).not.toMatch(/Assertion failed|ResetStdio/);
    await waitFor(() => !isAlive(readPid(join(dir, 'kubectl.pid'))) && !isAlive(readPid(join(dir, 'child.pid'))), 5000);
  }, 30_000);
});
