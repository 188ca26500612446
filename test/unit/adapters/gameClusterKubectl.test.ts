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
  it('watches every pod of the game with one kubectl across namespaces: the API server\'s own stream through get --raw', async () => {
    // Recorded on the project's v1.34 test cluster: `kubectl get --raw
    // '/api/v1/pods?watch=1&labelSelector=crashlab.dev%2Fgame%3Dg1'` for 50 s while a Deployment's
    // busybox pod exited 1 (ContainerCreating, Error, CrashLoopBackOff, three restarts); one
    // compact JSON event a line, cut into 113-byte chunks here.
    const cluster = clusterWith([{ tool: 'kubectl', args: ['--raw'], stdoutFile: 'kubectl/watch-pods-raw.stream', chunkBytes: 113 }]);
    const events: WatchEvent<Pod>[] = [];
    const errors: Error[] = [];
    const watch = cluster.watchPods('crashlab.dev/game=g1', (e) => events.push(e), (e) => errors.push(e));
    await watch.done;
    const status = (p: Pod) => p.status?.containerStatuses?.[0];
    expect(events.map((e) => `${e.type} ${e.object.status?.phase} ${status(e.object)?.restartCount ?? '-'} ${Object.keys(status(e.object)?.state ?? {})[0] ?? '-'}`)).toEqual([
      'ADDED Pending - -',
      'MODIFIED Pending - -',
      'MODIFIED Pending 0 waiting',
      'MODIFIED Running 0 terminated',
      'MODIFIED Running 1 terminated',
      'MODIFIED Running 1 waiting',
      'MODIFIED Running 2 terminated',
      'MODIFIED Running 2 waiting',
      'MODIFIED Running 3 terminated',
    ]);
    expect(events.every((e) => e.object.metadata.namespace === 'crashlab-g1-team-1')).toBe(true);
    expect(fakes!.calls().map((c) => c.argv)).toEqual([['--context', 'crashlab-local', 'get', '--raw', '/api/v1/pods?watch=1&labelSelector=crashlab.dev%2Fgame%3Dg1']]);
    expect(errors.map((e) => e.message)).toEqual(['the pods watch ended (the API server closed it)']);
    // One Go processor for a process that copies a stream.
    expect(fakes!.calls()[0].gomaxprocs).toBe('1');
  });

  it('leaves a GOMAXPROCS the user set to the watch', async () => {
    fakes = setupFakes([{ tool: 'kubectl', args: ['--raw'], stdout: '' }]);
    const cluster = new GameClusterKubectl({ context: 'crashlab-local', env: { ...fakes.env, GOMAXPROCS: '4' } });
    await cluster.watchPods('crashlab.dev/game=g1', () => {}).done;
    expect(fakes.calls()[0].gomaxprocs).toBe('4');
  });

  it('reports an ERROR event of the stream (410 Gone after a compaction) and keeps the events before it', async () => {
    // The API server's Status line, as the faults suite saw it through `kubectl get --raw` after etcd was compacted.
    const gone = '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 17912 (18085)","reason":"Expired","code":410}}';
    const configMap = '{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"crashlab-progress","namespace":"crashlab-g1-team-1","resourceVersion":"17912"},"data":{"events":""}}}';
    const cluster = clusterWith([{ tool: 'kubectl', args: ['--raw'], stdout: `${configMap}\n${gone}\n` }]);
    const events: WatchEvent<ConfigMap>[] = [];
    const errors: Error[] = [];
    await cluster.watchConfigMaps('crashlab.dev/game=g1', (e) => events.push(e), (e) => errors.push(e)).done;
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED crashlab-progress']);
    expect(fakes!.calls()[0].argv.slice(2)).toEqual(['get', '--raw', '/api/v1/configmaps?watch=1&labelSelector=crashlab.dev%2Fgame%3Dg1']);
    expect(errors.map((e) => e.message)).toEqual(['configmaps watch error: too old resource version: 17912 (18085)', 'the configmaps watch ended (the API server closed it)']);
  });

  it('says what the API server refused when the watch is not allowed', async () => {
    const cluster = clusterWith([{ tool: 'kubectl', args: ['--raw'], stderr: 'Error from server (Forbidden): pods is forbidden: User "nobody" cannot watch resource "pods" in API group "" at the cluster scope\n', exit: 1 }]);
    const errors: Error[] = [];
    await cluster.watchPods('crashlab.dev/game=g1', () => {}, (e) => errors.push(e)).done;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PortError);
    expect(errors[0].message).toMatch(/forbidden|not allowed|permission/i);
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

  it('replaces many ConfigMaps in one kubectl call and gives back those written (a conflict or a gone one left out, not thrown)', async () => {
    // Recorded with kubectl v1.34: three logs in one `replace -f - -o json`, the second with a
    // stale resourceVersion (409), the third in a namespace that does not exist (404); exit 1.
    const cluster = clusterWith([{ tool: 'kubectl', args: ['replace'], stdoutFile: 'kubectl/replace-configmaps-partial.stdout', stderrFile: 'kubectl/replace-configmaps-partial.stderr', exit: 1 }]);
    const cm = (namespace: string, resourceVersion: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace, resourceVersion }, data: { events: 'x' } });
    const written = await cluster.replaceConfigMaps([cm('rtest1', '68449'), cm('rtest2', '1'), cm('rtest3', '1')]);
    expect(written.map((w) => `${w.metadata.namespace} ${w.data?.events}`)).toEqual(['rtest1 a2']);
    const call = fakes!.calls()[0];
    expect(call.argv).toEqual(['--context', 'crashlab-local', 'replace', '-f', '-', '-o', 'json']);
    expect(JSON.parse(call.stdin!).items.map((i: ConfigMap) => i.metadata.resourceVersion)).toEqual(['68449', '1', '1']);
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
