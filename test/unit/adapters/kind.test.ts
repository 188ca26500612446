import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { KindCli, defaultKindConfigPath } from '../../../src/adapters/kind.js';
import { isAlive, readPid, setupFakes, waitFor, type FakeRule, type Fakes } from '../../fakes/index.js';
import { PortError } from '../../../src/ports/errors.js';

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

function kindWith(rules: FakeRule[] | ((dir: string) => FakeRule[]), tools: ('kubectl' | 'kind' | 'docker')[] = ['kind']): KindCli {
  fakes = setupFakes(rules, tools);
  return new KindCli({ env: fakes.env, retryMs: 10 });
}

const noClusters: FakeRule = { tool: 'kind', args: ['get', 'clusters'], stderrFile: 'kind/no-clusters.stderr' };
const createArgv = ['create', 'cluster', '--name', 'crashlab', '--config', '/work/kind/crashlab.yaml', '--wait', '60s'];

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('KindCli queries', () => {
  it('parses the version', async () => {
    const kind = kindWith([{ tool: 'kind', args: ['version'], stdoutFile: 'kind/version.stdout' }]);
    expect(await kind.version()).toBe('v0.30.0');
    expect(fakes!.calls()).toEqual([{ tool: 'kind', argv: ['version'] }]);
  });

  it('has no version when kind is not installed', async () => {
    const kind = kindWith([], []);
    expect(await kind.version()).toBeUndefined();
  });

  it('lists clusters; "No kind clusters found." is an empty list', async () => {
    expect(await kindWith([noClusters]).clusters()).toEqual([]);
    fakes!.cleanup();
    expect(await kindWith([{ tool: 'kind', args: ['get', 'clusters'], stdoutFile: 'kind/clusters.stdout' }]).clusters()).toEqual(['crashlab', 'kind']);
  });

  it('fails clearly when kind is missing', async () => {
    const error = await failure(kindWith([], []).clusters());
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).port).toBe('kind');
    expect((error as PortError).kind).toBe('missing-tool');
    expect(error.message).toBe('kind not found on PATH: install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
  });

  it('points at the config file shipped in kind/', () => {
    expect(defaultKindConfigPath()).toMatch(/[/\\]kind[/\\]crashlab\.yaml$/);
  });

  it('ships a config whose controller-manager writes at 100 QPS, burst 200, in both kubeadm config versions kind speaks', () => {
    const config = yaml.load(readFileSync(defaultKindConfigPath(), 'utf8')) as { kind: string; apiVersion: string; kubeadmConfigPatches?: string[] };
    expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    const patches = (config.kubeadmConfigPatches ?? []).map((patch) => yaml.load(patch) as { apiVersion?: string; kind: string; controllerManager?: { extraArgs?: unknown } });
    const extraArgs = (apiVersion: string) => patches.filter((p) => p.apiVersion === apiVersion && p.kind === 'ClusterConfiguration').map((p) => p.controllerManager?.extraArgs);
    // v1beta3 (Kubernetes < 1.36): a map of strings; v1beta4 (1.36+, kind v0.32+): name/value pairs, values strings.
    expect(extraArgs('kubeadm.k8s.io/v1beta3')).toEqual([{ 'kube-api-qps': '100', 'kube-api-burst': '200' }]);
    expect(extraArgs('kubeadm.k8s.io/v1beta4')).toEqual([
      [
        { name: 'kube-api-qps', value: '100' },
        { name: 'kube-api-burst', value: '200' },
      ],
    ]);
  });
});

describe('KindCli create', () => {
  it('runs kind create with the config and --wait, streaming its progress lines as they come', async () => {
    const kind = kindWith([noClusters, { tool: 'kind', args: ['create', 'cluster'], stderrFile: 'kind/create.stderr', lineDelayMs: 5 }]);
    const lines: string[] = [];
    await kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml', waitSeconds: 60, onLine: (line) => lines.push(line) });
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['get', 'clusters'], createArgv]);
    expect(lines[0]).toBe('Creating cluster "crashlab" ...');
    expect(lines).toContain(' ✓ Ensuring node image (kindest/node:v1.34.0) 🖼️');
    expect(lines).toContain(' • Ready after 17s 💚');
    expect(lines).not.toContain('');
  });

  it('reports a node that was not Ready although kind exited 0', async () => {
    const kind = kindWith([noClusters, { tool: 'kind', args: ['create', 'cluster'], stderrFile: 'kind/create-wait-timeout.stderr' }]);
    const error = await failure(kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml' }));
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).port).toBe('kind');
    expect((error as PortError).kind).toBe('not-ready');
    expect(error.message).toContain('was not Ready within 60s');
    expect(error.message).toContain('kubectl --context kind-crashlab get nodes');
  });

  it('passes kind’s own error on when create fails', async () => {
    const kind = kindWith([noClusters, { tool: 'kind', args: ['create', 'cluster'], stderrFile: 'kind/create-docker-down.stderr', exit: 1 }]);
    const error = await failure(kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml' }));
    expect((error as PortError).kind).toBe('failed');
    expect(error.message).toContain('Cannot connect to the Docker daemon');
    expect(error.message).toMatch(/^kind could not create the cluster "crashlab": failed to create cluster: /);
  });

  it('refuses to create over an existing cluster', async () => {
    const kind = kindWith([{ tool: 'kind', args: ['get', 'clusters'], stdoutFile: 'kind/clusters.stdout' }]);
    const error = await failure(kind.create({ name: 'crashlab' }));
    expect(error.message).toBe('a kind cluster named "crashlab" already exists');
    expect(fakes!.calls()).toHaveLength(1);
  });

  it('abort stops kind and the processes it started, cleans up the half-made cluster, and rejects with AbortError', async () => {
    const kind = kindWith((dir) => [
      noClusters,
      { tool: 'kind', args: ['create', 'cluster'], stderrFile: 'kind/create-progress-partial.stderr', hang: true, pidFile: join(dir, 'kind.pid'), childPidFile: join(dir, 'docker.pid') },
      { tool: 'kind', args: ['delete', 'cluster'], stderrFile: 'kind/delete.stderr' },
    ]);
    const controller = new AbortController();
    const lines: string[] = [];
    const creating = kind.create({
      name: 'crashlab',
      configPath: '/work/kind/crashlab.yaml',
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        if (line.includes('Ensuring node image')) controller.abort();
      },
    });
    const error = await failure(creating);
    expect(error.name).toBe('AbortError');
    const kindPid = readPid(join(fakes!.dir, 'kind.pid'));
    const childPid = readPid(join(fakes!.dir, 'docker.pid'));
    await waitFor(() => !isAlive(kindPid) && !isAlive(childPid));
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['get', 'clusters'], createArgv, ['delete', 'cluster', '--name', 'crashlab'], ['get', 'clusters']]);
    expect(lines).toContain('Deleting cluster "crashlab" ...');
  });

  it('an already aborted signal runs nothing', async () => {
    const kind = kindWith([noClusters]);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(kind.create({ name: 'crashlab', signal: controller.signal }));
    expect(error.name).toBe('AbortError');
    expect(fakes!.calls()).toEqual([]);
  });
});

describe('KindCli delete', () => {
  it('deletes by name and streams the output', async () => {
    const kind = kindWith([{ tool: 'kind', args: ['delete', 'cluster'], stderrFile: 'kind/delete.stderr' }]);
    const lines: string[] = [];
    await kind.delete('crashlab', (line) => lines.push(line));
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['delete', 'cluster', '--name', 'crashlab']]);
    expect(lines).toEqual(['Deleting cluster "crashlab" ...', 'Deleted nodes: ["crashlab-control-plane"]']);
  });
});

// Output of the real kind v0.33.0 (go1.26.8) on a real Docker 20.10 engine, recorded by
// test/kind (see test/fakes/outputs/kind/v0.33.0/README.md), not written by hand.
describe('KindCli against recorded output of real kind v0.33.0', () => {
  const real = (file: string) => `kind/v0.33.0/${file}`;
  const none: FakeRule = { tool: 'kind', args: ['get', 'clusters'], stderrFile: real('no-clusters.stderr') };

  it('parses `kind version`', async () => {
    const kind = kindWith([{ tool: 'kind', args: ['version'], stdoutFile: real('version.stdout') }]);
    expect(await kind.version()).toBe('v0.33.0');
  });

  it('reads "No kind clusters found." (stderr, exit 0) as no clusters', async () => {
    expect(await kindWith([none]).clusters()).toEqual([]);
  });

  it('lists the cluster kind printed', async () => {
    expect(await kindWith([{ tool: 'kind', args: ['get', 'clusters'], stdoutFile: real('clusters.stdout') }]).clusters()).toEqual(['crashlab']);
  });

  it('streams a whole successful create, line by line, without blank lines', async () => {
    const kind = kindWith([none, { tool: 'kind', args: ['create', 'cluster'], stderrFile: real('create.stderr'), lineDelayMs: 2 }]);
    const lines: string[] = [];
    await kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml', waitSeconds: 120, onLine: (line) => lines.push(line) });
    expect(lines[0]).toBe('cgroup v1 is deprecated in Kubernetes and will not be supported in a future kind release, please upgrade to cgroup v2');
    expect(lines).toContain(' ✓ Starting control-plane 🕹️');
    expect(lines).toContain(' ✓ Waiting ≤ 2m0s for control-plane = Ready ⏳');
    expect(lines.some((line) => /^ • Ready after \d+s 💚$/.test(line))).toBe(true);
    expect(lines).not.toContain('');
    expect(fakes!.calls()[1]?.argv).toEqual([...createArgv.slice(0, -1), '120s']);
  });

  it('passes on kind’s ERROR and the command output it quotes, not the cgroup v1 warning before it', async () => {
    const kind = kindWith([none, { tool: 'kind', args: ['create', 'cluster'], stderrFile: real('create-failed-writing-configuration.stderr'), exit: 1 }]);
    const lines: string[] = [];
    const error = await failure(kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml', onLine: (l) => lines.push(l) }));
    expect((error as PortError).kind).toBe('failed');
    expect(error.message).toMatch(/^kind could not create the cluster "crashlab": failed to create cluster: failed to generate kubeadm config content: /);
    expect(error.message).toContain('Command Output: cat: /kind/version: No such file or directory');
    expect(error.message).not.toContain('cgroup v1 is deprecated');
    expect(lines).toContain(' ✗ Writing configuration 📜');
  });

  it('after a cancel, deletes again while kind still lists the half-made cluster (kind said "Deleted nodes" but the container stayed)', async () => {
    const listed: FakeRule = { tool: 'kind', args: ['get', 'clusters'], stdout: 'crashlab\n', times: 1 };
    const kind = kindWith((dir) => [
      { ...none, times: 1 },
      { tool: 'kind', args: ['create', 'cluster'], stderrFile: real('create-progress-killed.stderr'), hang: true, pidFile: join(dir, 'kind.pid') },
      { tool: 'kind', args: ['delete', 'cluster'], stderrFile: real('delete.stderr') },
      listed,
      none,
    ]);
    const controller = new AbortController();
    const error = await failure(
      kind.create({
        name: 'crashlab',
        configPath: '/work/kind/crashlab.yaml',
        signal: controller.signal,
        onLine: (line) => {
          if (line.includes('Preparing nodes')) controller.abort();
        },
      }),
    );
    expect(error.name).toBe('AbortError');
    const deleteArgv = ['delete', 'cluster', '--name', 'crashlab'];
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['get', 'clusters'], createArgv, deleteArgv, ['get', 'clusters'], deleteArgv, ['get', 'clusters']]);
  });

  it('gives up deleting after a few attempts when the cluster stays listed', async () => {
    const kind = kindWith((dir) => [
      { ...none, times: 1 },
      { tool: 'kind', args: ['create', 'cluster'], stderrFile: real('create-progress-killed.stderr'), hang: true, pidFile: join(dir, 'kind.pid') },
      { tool: 'kind', args: ['delete', 'cluster'], stderrFile: real('delete.stderr') },
      { tool: 'kind', args: ['get', 'clusters'], stdout: 'crashlab\n' },
    ]);
    const controller = new AbortController();
    const error = await failure(kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml', signal: controller.signal, onLine: () => controller.abort() }));
    expect(error.name).toBe('AbortError');
    expect(fakes!.calls().filter((c) => c.argv[0] === 'delete')).toHaveLength(5);
  });

  it('streams the delete lines', async () => {
    const kind = kindWith([{ tool: 'kind', args: ['delete', 'cluster'], stderrFile: real('delete.stderr') }]);
    const lines: string[] = [];
    await kind.delete('crashlab', (line) => lines.push(line));
    expect(lines).toEqual(['Deleting cluster "crashlab" ...', 'Deleted nodes: ["crashlab-control-plane"]']);
  });
});
