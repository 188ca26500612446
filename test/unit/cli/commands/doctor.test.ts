import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { register } from '../../../../src/cli/commands/doctor.js';
import type { CommandEnv } from '../../../../src/cli/main.js';
import type { Lang } from '../../../../src/core/text.js';
import { setupFakes, type Fakes } from '../../../fakes/index.js';
import { NO_DAEMON_NO_KIND, READY_FOR_KIND } from '../../../fakes/machines.js';

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

/** Runs `crashlab [--context X] doctor ...` in-process with only the doctor command registered. */
async function doctor(argv: string[], env: NodeJS.ProcessEnv, lang: Lang = 'en', requestTimeoutMs?: number) {
  let stdout = '';
  let stderr = '';
  let exit = 0;
  const program = new Command('crashlab').exitOverride().option('--context <name>');
  const commandEnv: CommandEnv = {
    io: {
      stdout: Object.assign(new PassThrough(), { write: (s: string) => ((stdout += s), true) }),
      stderr: Object.assign(new PassThrough(), { write: (s: string) => ((stderr += s), true) }),
      stdin: new PassThrough(),
      env,
    },
    deps: {},
    setExit: (code) => (exit = code),
    globals: () => ({ context: program.opts<{ context?: string }>().context, yes: false, lang, color: false, requestTimeoutMs }),
  };
  register(program, commandEnv);
  await program.parseAsync(argv, { from: 'user' });
  return { stdout, stderr, exit };
}

describe('crashlab doctor', () => {
  it.runIf(process.platform === 'linux')('says exactly what is missing on a machine with no Docker daemon and no kind', async () => {
    fakes = setupFakes(NO_DAEMON_NO_KIND, ['docker', 'kubectl']);
    const { stdout, stderr, exit } = await doctor(['doctor'], fakes.env);
    expect(exit).toBe(1);
    expect(stderr).toBe('');
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    expect(stdout).toBe(
      [
        'crashlab doctor: the kind cluster "crashlab" (context kind-crashlab)',
        '',
        '  ✓ Docker              Docker CLI found',
        '  ✗ Docker daemon       Docker daemon not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        '                        fix: Start the daemon: `sudo systemctl start docker` (and `sudo systemctl enable docker` to start it at boot).',
        '  ✗ kind                kind not found on PATH',
        `                        fix: Install kind: \`curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.33.0/kind-linux-${arch} && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind\` (or \`go install sigs.k8s.io/kind@v0.33.0\`). https://kind.sigs.k8s.io/docs/user/quick-start/#installation`,
        '  ✓ kubectl             kubectl v1.34.1',
        '  ✓ kubeconfig context  "kind-crashlab" will be added by `crashlab up`; no current context is set',
        '  - Cluster             kind cluster "crashlab" not checked: needs kind and a running Docker daemon',
        '',
        '2 problems to fix before the lab can run; then run `crashlab doctor` again.',
        '',
      ].join('\n'),
    );
  });

  it('--json gives ids, statuses and fixes, exit 1', async () => {
    fakes = setupFakes(NO_DAEMON_NO_KIND, ['docker', 'kubectl']);
    const { stdout, exit } = await doctor(['doctor', '--json'], fakes.env);
    expect(exit).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.context).toBe('kind-crashlab');
    expect(report.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(['docker:ok', 'docker-daemon:failed', 'kind:failed', 'kubectl:ok', 'context:ok', 'cluster:skipped']);
    expect(report.checks[1].detail).toContain('Cannot connect to the Docker daemon');
    expect(report.checks[2].fix).toContain('https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
  });

  it('passes with exit 0 when everything is ready', async () => {
    fakes = setupFakes(READY_FOR_KIND);
    const { stdout, exit } = await doctor(['doctor'], fakes.env);
    expect(exit).toBe(0);
    expect(stdout).toContain('  ✓ Cluster             kind cluster "crashlab" is up, Kubernetes v1.34.0');
    expect(stdout).not.toContain('✗');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('All required checks passed.');
  });

  it('--context of another cluster needs neither docker nor kind', async () => {
    fakes = setupFakes(READY_FOR_KIND, ['kubectl']);
    const { stdout, exit } = await doctor(['--context', 'prod-eu', 'doctor'], fakes.env);
    expect(exit).toBe(0);
    expect(stdout).toContain('crashlab doctor: context prod-eu (docker and kind are not needed for it)');
    expect(stdout).toContain('the API server of "prod-eu" answers (Kubernetes v1.34.0)');
    expect(stdout).not.toMatch(/Docker|kind not found/);
  });

  it('--context of an unreachable cluster fails with the fix', async () => {
    // The client rule first: ['version', '-o', 'json'] would also match `version --client -o json`.
    fakes = setupFakes([READY_FOR_KIND.find((r) => r.args?.includes('--client'))!, { tool: 'kubectl', args: ['version', '-o', 'json'], stderrFile: 'kubectl/refused.stderr', exit: 1 }, ...READY_FOR_KIND], ['kubectl']);
    const { stdout, exit } = await doctor(['--context', 'prod-eu', 'doctor'], fakes.env);
    expect(exit).toBe(1);
    expect(stdout).toContain('✗ Cluster');
    expect(stdout).toContain('  ✗ Cluster             the API server of "prod-eu" does not answer: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n');
    expect(stdout).toContain('fix: Check that the cluster is running and your credentials work: `kubectl --context prod-eu cluster-info`.');
  });

  it('a kubectl that hangs: "did not answer within N s", quickly, and nothing else asked of it', async () => {
    fakes = setupFakes([{ tool: 'kubectl', hang: true }, ...READY_FOR_KIND]);
    const started = Date.now();
    const { stdout, exit } = await doctor(['doctor'], fakes.env, 'en', 1000);
    // One bounded probe, not 10 s + two 60 s kubeconfig calls.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(exit).toBe(1);
    expect(stdout).toContain('  ✗ kubectl             kubectl did not answer within 1 s (`kubectl version --client` needs no cluster)\n');
    expect(stdout).toContain('  - kubeconfig context  not checked: needs kubectl');
    expect(stdout).not.toContain('kubeconfig context  "kind-crashlab"');
    expect(fakes.calls().filter((c) => c.tool === 'kubectl').map((c) => c.argv.join(' '))).toEqual(['version --client -o json']);
  });

  it('a kubectl that is not executable, or is garbage: "kubectl cannot run", never "✓ (version unknown)"', async () => {
    fakes = setupFakes(READY_FOR_KIND, ['docker', 'kind']);
    const bin = join(fakes.dir, 'bin', 'kubectl');
    writeFileSync(bin, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const notExecutable = await doctor(['doctor'], fakes.env);
    expect(notExecutable.exit).toBe(1);
    expect(notExecutable.stdout).toContain('  ✗ kubectl             kubectl cannot run: it is not executable (permission denied)\n');
    expect(notExecutable.stdout).toContain('fix: The kubectl on your PATH (`which kubectl`) is broken: reinstall it.');

    // Random bytes marked executable: the system hands it to sh, which prints nonsense.
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x28, 0x29, 0x0a, 0xc3, 0x28, 0x7b, 0x0a]));
    chmodSync(bin, 0o755);
    const garbage = await doctor(['doctor'], fakes.env);
    expect(garbage.exit).toBe(1);
    expect(garbage.stdout).toMatch(/ {2}✗ kubectl {13}kubectl cannot run: `kubectl version --client` exited with code 2 \(.+\)\n/);
    expect(garbage.stdout).not.toContain('version unknown');
  });

  it('speaks Korean, aligned in terminal columns', async () => {
    fakes = setupFakes(NO_DAEMON_NO_KIND, ['docker', 'kubectl']);
    const { stdout } = await doctor(['doctor'], fakes.env, 'ko');
    expect(stdout).toContain('  ✗ Docker 데몬          Docker 데몬에 연결할 수 없습니다: Cannot connect to the Docker daemon');
    expect(stdout).toContain('  ✓ kubeconfig 컨텍스트  ');
    expect(stdout).toContain('실습을 시작하기 전에 해결할 문제가 2개 있습니다.');
  });
});
