import { afterEach, describe, expect, it } from 'vitest';
import { GameClusterKubectl } from '../../../src/adapters/gameClusterKubectl.js';
import { type ConfigMap, type WatchEvent } from '../../../src/ports/gameCluster.js';
import type { Pod } from '../../../src/core/k8s.js';
import { setupFakes, type FakeRule, type Fakes } from '../../fakes/index.js';
import { PortError } from '../../../src/ports/errors.js';

let fakes: Fakes | undefined;
afterEach(() => fakes?.cleanup());

function clusterWith(rules: FakeRule[]): GameClusterKubectl {
  fakes = setupFakes(rules);
  return new GameClusterKubectl({ context: 'crashlab-local', env: fakes.env });
}

describe('GameClusterKubectl', () => {
  it('watches every pod of the game with one kubectl across namespaces', async () => {
    // The same recorded stream the lab's pod watch reads: kubectl prints the same shape with -A.
    const cluster = clusterWith([{ tool: 'kubectl', args: ['--watch'], stdoutFile: 'kubectl/watch-pods.stream', chunkBytes: 113 }]);
    const events: WatchEvent<Pod>[] = [];
    const errors: Error[] = [];
    const watch = cluster.watchPods('crashlab.dev/game=g1', (e) => events.push(e), (e) => errors.push(e));
    await watch.done;
    expect(events.map((e) => `${e.type} ${e.object.status?.containerStatuses?.[0].restartCount}`)).toEqual(['ADDED 3', 'MODIFIED 3', 'MODIFIED 4']);
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['--context', 'crashlab-local', 'get', 'pods', '-A', '-l', 'crashlab.dev/game=g1', '--watch', '--output-watch-events', '-o', 'json']]);
    expect(errors.map((e) => e.message)).toEqual(['the pods watch ended (the API server closed it)']);
  });

  it('writes a ConfigMap with replace (compare-and-swap) and maps a 409 to a conflict', async () => {
    const stderr = 'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "crashlab-progress": the object has been modified; please apply your changes to the latest version and try again\n';
    const cluster = clusterWith([{ tool: 'kubectl', args: ['replace'], stderr, exit: 1 }]);
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-team-1', resourceVersion: '4711' }, data: { events: '' } };
    await expect(cluster.writeConfigMap(cm)).rejects.toMatchObject({ port: 'kubectl', kind: 'conflict', name: 'ConflictError' });
    const call = fakes!.calls()[0];
    expect(call.argv).toEqual(['--context', 'crashlab-local', 'replace', '-n', 'crashlab-g1-team-1', '-f', '-', '-o', 'json']);
    expect(JSON.parse(call.stdin!).metadata.resourceVersion).toBe('4711');
  });

  it('creates a ConfigMap that has no resourceVersion yet', async () => {
    const cluster = clusterWith([{ tool: 'kubectl', args: ['create'], stdout: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crashlab-progress","namespace":"n","resourceVersion":"1"}}' }]);
    const written = await cluster.writeConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: 'n' } });
    expect(written.metadata.resourceVersion).toBe('1');
    expect(fakes!.calls()[0].argv.slice(2, 4)).toEqual(['create', '-n']);
  });

  it('reads the API server’s time from a server-side dry run (nothing is written)', async () => {
    const cluster = clusterWith([{ tool: 'kubectl', args: ['--dry-run=server'], stdout: '2026-12-06T15:05:37Z' }]);
    expect(await cluster.serverTime('crashlab-g1-team-1')).toBe('2026-12-06T15:05:37Z');
    expect(fakes!.calls()[0].argv).toEqual(['--context', 'crashlab-local', 'create', 'configmap', 'crashlab-clock', '-n', 'crashlab-g1-team-1', '--dry-run=server', '-o', 'jsonpath={.metadata.creationTimestamp}']);
  });
});
