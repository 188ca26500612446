import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KindCli, KindError, defaultKindConfigPath } from '../../../src/adapters/kind.js';
import { isAlive, readPid, setupFakes, waitFor, type FakeRule, type Fakes } from '../../fakes/index.js';

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

function kindWith(rules: FakeRule[] | ((dir: string) => FakeRule[]), tools: ('kubectl' | 'kind' | 'docker')[] = ['kind']): KindCli {
  fakes = setupFakes(rules, tools);
  return new KindCli({ env: fakes.env });
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
    expect(error).toBeInstanceOf(KindError);
    expect((error as KindError).kind).toBe('missing-tool');
    expect(error.message).toBe('kind not found on PATH: install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
  });

  it('points at the config file shipped in kind/', () => {
    expect(defaultKindConfigPath()).toMatch(/[/\\]kind[/\\]crashlab\.yaml$/);
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
    expect(error).toBeInstanceOf(KindError);
    expect((error as KindError).kind).toBe('not-ready');
    expect(error.message).toContain('was not Ready within 60s');
    expect(error.message).toContain('kubectl --context kind-crashlab get nodes');
  });

  it('passes kind’s own error on when create fails', async () => {
    const kind = kindWith([noClusters, { tool: 'kind', args: ['create', 'cluster'], stderrFile: 'kind/create-docker-down.stderr', exit: 1 }]);
    const error = await failure(kind.create({ name: 'crashlab', configPath: '/work/kind/crashlab.yaml' }));
    expect((error as KindError).kind).toBe('failed');
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
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['get', 'clusters'], createArgv, ['delete', 'cluster', '--name', 'crashlab']]);
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
