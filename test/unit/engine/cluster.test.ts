import { describe, expect, it } from 'vitest';
import { ensureCluster } from '../../../src/engine/cluster.js';
import type { Kind, KindCreateOptions } from '../../../src/ports/kind.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { PortError } from '../../../src/ports/errors.js';
import { LabError } from '../../../src/engine/errors.js';

function fakeKind(clusters: string[], create: (o: KindCreateOptions) => Promise<void> = async () => undefined): Kind & { created: string[] } {
  const created: string[] = [];
  return {
    created,
    version: async () => 'kind v0.30.0',
    clusters: async () => clusters,
    create: async (o) => {
      created.push(o.name);
      await create(o);
    },
    delete: async () => undefined,
  };
}

const lines: string[] = [];
const onLine = (l: string) => lines.push(l);

describe('ensureCluster', () => {
  it('reuses an existing kind cluster and still checks the node is Ready', async () => {
    const kube = new MemoryKube();
    const kind = fakeKind(['crashlab']);
    await expect(ensureCluster({ kube, kind: { cli: kind, configPath: 'kind/crashlab.yaml' }, onLine })).resolves.toMatchObject({ created: false });
    expect(kind.created).toEqual([]);
    expect(kube.calls[0]).toBe('run wait --for=condition=Ready node --all --timeout=120s');
  });

  it('treats kind’s --wait timeout as "wait longer", not as a failure', async () => {
    const kube = new MemoryKube();
    const kind = fakeKind([], async () => {
      throw new PortError('kind', 'not-ready', 'node not ready');
    });
    await expect(ensureCluster({ kube, kind: { cli: kind, configPath: 'x' }, onLine })).resolves.toMatchObject({ created: true });
  });

  it('passes a cancellation through as the adapter’s AbortError', async () => {
    const controller = new AbortController();
    const kind = fakeKind([], async () => {
      controller.abort();
      throw new DOMException('cancelled', 'AbortError');
    });
    await expect(ensureCluster({ kube: new MemoryKube(), kind: { cli: kind, configPath: 'x' }, onLine, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('never touches kind for another context, and reports a node that is not Ready', async () => {
    const kube = new MemoryKube('prod');
    kube.runResults.set('wait', { exitCode: 1, stdout: '', stderr: 'error: timed out waiting for the condition on nodes/worker-1' });
    const error = await ensureCluster({ kube, onLine }).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.kind).toBe('cluster-not-ready');
    expect(error.message).toBe('the cluster in context prod is not ready: timed out waiting for the condition on nodes/worker-1');
  });
});
