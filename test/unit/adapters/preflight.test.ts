import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { probePreflight } from '../../../src/adapters/preflight.js';
import { KIND_STABLE_VERSION, preflightChecks, preflightPassed, type PreflightProbes } from '../../../src/core/preflight.js';
import { setupFakes, type Fakes } from '../../fakes/index.js';
import { NO_DAEMON_NO_KIND, READY_FOR_KIND } from '../../fakes/machines.js';

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

const linux = { platform: 'linux', arch: 'x64' };

describe('probePreflight', () => {
  it('on a machine with a docker CLI but no daemon, and no kind', async () => {
    fakes = setupFakes(NO_DAEMON_NO_KIND, ['docker', 'kubectl']);
    const probes = await probePreflight({ env: fakes.env, ...linux });
    expect(probes).toEqual({
      ...linux,
      requestedContext: undefined,
      docker: { found: true, error: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' },
      kind: { found: false },
      kubectl: { found: true, version: 'v1.34.1' },
      kubeconfig: { current: undefined, contexts: [] },
    });
    expect(fakes.calls().find((c) => c.tool === 'docker')?.argv).toEqual(['version', '--format', '{{.Server.Version}}']);
    expect(fakes.calls().find((c) => c.argv.includes('--client'))?.argv).toEqual(['version', '--client', '-o', 'json']);
  });

  it('on a ready machine: lists clusters and asks the crashlab cluster for its version', async () => {
    fakes = setupFakes(READY_FOR_KIND);
    const probes = await probePreflight({ env: fakes.env, ...linux });
    expect(probes.docker).toEqual({ found: true, serverVersion: '28.2.2' });
    expect(probes.kind).toEqual({ found: true, version: 'v0.30.0', clusters: ['crashlab', 'kind'] });
    expect(probes.kubeconfig).toEqual({ current: 'prod-eu', contexts: ['kind-crashlab', 'prod-eu'] });
    expect(probes.server).toEqual({ reachable: true, version: 'v1.34.0' });
    const serverCall = fakes.calls().find((c) => c.argv.includes('--request-timeout=5s'));
    expect(serverCall?.argv).toEqual(['--context', 'kind-crashlab', 'version', '-o', 'json', '--request-timeout=5s']);
    expect(preflightPassed(preflightChecks(probes))).toBe(true);
  });

  it('with --context: no docker, no kind; only kubectl and that context', async () => {
    fakes = setupFakes(READY_FOR_KIND, ['kubectl']);
    const probes = await probePreflight({ env: fakes.env, context: 'prod-eu', ...linux });
    expect(probes.docker).toBeUndefined();
    expect(probes.kind).toBeUndefined();
    expect(probes.server).toEqual({ reachable: true, version: 'v1.34.0' });
    expect(fakes.calls().every((c) => c.tool === 'kubectl')).toBe(true);
    expect(fakes.calls().at(-1)?.argv.slice(0, 2)).toEqual(['--context', 'prod-eu']);
  });

  it('a context whose server refuses connections', async () => {
    // The client rule first: ['version', '-o', 'json'] would also match `version --client -o json`.
    fakes = setupFakes([READY_FOR_KIND.find((r) => r.args?.includes('--client'))!, { tool: 'kubectl', args: ['version', '-o', 'json'], stderrFile: 'kubectl/refused.stderr', exit: 1 }, ...READY_FOR_KIND], ['kubectl']);
    const probes = await probePreflight({ env: fakes.env, context: 'prod-eu', ...linux });
    expect(probes.server?.reachable).toBe(false);
    expect(probes.server?.error).toBe('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?');
  });
});

function probes(overrides: Partial<PreflightProbes>): PreflightProbes {
  return {
    ...linux,
    docker: { found: true, serverVersion: '28.2.2' },
    kind: { found: true, version: 'v0.30.0', clusters: ['crashlab'] },
    kubectl: { found: true, version: 'v1.34.1' },
    kubeconfig: { current: 'kind-crashlab', contexts: ['kind-crashlab'] },
    server: { reachable: true, version: 'v1.34.0' },
    ...overrides,
  };
}

function byId(checks: ReturnType<typeof preflightChecks>) {
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

describe('preflightChecks', () => {
  it('everything in place → all ok, passed', () => {
    const checks = preflightChecks(probes({}));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['docker', 'ok'],
      ['docker-daemon', 'ok'],
      ['kind', 'ok'],
      ['kubectl', 'ok'],
      ['context', 'ok'],
      ['cluster', 'ok'],
    ]);
    expect(byId(checks).cluster.detail.en).toBe('kind cluster "crashlab" is up, Kubernetes v1.34.0');
    expect(preflightPassed(checks)).toBe(true);
  });

  it('no cluster yet is not a failure: `crashlab up` creates it', () => {
    const checks = preflightChecks(probes({ kind: { found: true, version: 'v0.30.0', clusters: [] }, kubeconfig: { contexts: [] }, server: undefined }));
    const { cluster, context } = byId(checks);
    expect(cluster).toMatchObject({ status: 'warning', required: false });
    expect(cluster.fix?.en).toContain('`crashlab up`');
    expect(context).toMatchObject({ status: 'ok', required: false });
    expect(preflightPassed(checks)).toBe(true);
  });

  it('daemon permission denied → the docker group fix', () => {
    const checks = preflightChecks(probes({ docker: { found: true, error: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version": dial unix /var/run/docker.sock: connect: permission denied' } }));
    const daemon = byId(checks)['docker-daemon'];
    expect(daemon.status).toBe('failed');
    expect(daemon.fix?.en).toContain('sudo usermod -aG docker $USER');
    expect(preflightPassed(checks)).toBe(false);
  });

  it('cluster exists but its context is gone → kind export kubeconfig', () => {
    const checks = preflightChecks(probes({ kubeconfig: { current: 'prod-eu', contexts: ['prod-eu'] }, server: undefined }));
    const { context } = byId(checks);
    expect(context).toMatchObject({ status: 'failed', required: true });
    expect(context.fix?.en).toBe('Restore it: `kind export kubeconfig --name crashlab`.');
    expect(preflightPassed(checks)).toBe(false);
  });

  it('cluster exists but does not answer → docker start its node', () => {
    const checks = preflightChecks(probes({ server: { reachable: false, error: 'The connection to the server 127.0.0.1:39211 was refused - did you specify the right host or port?' } }));
    expect(byId(checks).cluster).toMatchObject({ status: 'failed', required: true });
    expect(byId(checks).cluster.fix?.en).toContain('`docker start crashlab-control-plane`');
  });

  it('install hints follow the OS and CPU', () => {
    const missing = { docker: { found: false }, kind: { found: false }, kubectl: { found: false }, kubeconfig: undefined, server: undefined };
    const mac = byId(preflightChecks(probes({ ...missing, platform: 'darwin', arch: 'arm64' })));
    expect(mac.docker.fix?.en).toContain('brew install --cask docker');
    expect(mac.kind.fix?.en).toContain('`brew install kind`');
    expect(mac.kubectl.fix?.en).toContain('`brew install kubectl`');
    const win = byId(preflightChecks(probes({ ...missing, platform: 'win32', arch: 'x64' })));
    expect(win.docker.fix?.en).toContain('choco install docker-desktop');
    expect(win.kind.fix?.en).toContain('`choco install kind`');
    expect(win.kubectl.fix?.en).toContain('`choco install kubernetes-cli`');
    const armLinux = byId(preflightChecks(probes({ ...missing, platform: 'linux', arch: 'arm64' })));
    expect(armLinux.kind.fix?.en).toContain('https://kind.sigs.k8s.io/dl/v0.33.0/kind-linux-arm64');
    expect(armLinux.kubectl.fix?.en).toContain('https://kubernetes.io/docs/tasks/tools/');
    expect(armLinux['docker-daemon'].status).toBe('skipped');
    for (const check of Object.values(armLinux)) if (check.fix) expect(check.fix.ko).not.toBe(check.fix.en);
  });

  it('another context needs only kubectl, the context and its server', () => {
    const checks = preflightChecks(probes({ requestedContext: 'prod-eu', docker: undefined, kind: undefined, kubeconfig: { contexts: ['kind-crashlab'] }, server: undefined }));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['kubectl', 'ok'],
      ['context', 'failed'],
      ['cluster', 'skipped'],
    ]);
    expect(byId(checks).context.detail.en).toBe('context "prod-eu" is not in your kubeconfig (contexts: kind-crashlab)');
    expect(preflightPassed(checks)).toBe(false);
  });
});

describe('the kind version the install hint names', () => {
  it('is the one make test-kind proves', () => {
    const proved = /KIND_VERSION="\$\{KIND_VERSION:-(v[0-9.]+)\}"/.exec(readFileSync('test/kind/lib.sh', 'utf8'))?.[1];
    expect(proved).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(KIND_STABLE_VERSION).toBe(proved);
  });
});
