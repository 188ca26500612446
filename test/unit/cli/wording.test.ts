/** Issue 8 case 9 and case 11: every failure said once, plainly, with a hint that fits. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { parseEvents, parsePods } from '../../../src/cli/commands/diagnose.js';
import { parseScenario } from '../../../src/core/scenario.js';
import { ensureCluster } from '../../../src/engine/cluster.js';
import { verifyDeployment } from '../../../src/engine/verify.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { VirtualClock } from '../../fakes/clock.js';
import { kubeError } from '../../../src/ports/errors.js';

/** What kubectl 1.34 prints on stderr when the API server refuses connections (five klog lines, then the one that matters). */
const REFUSED = readFileSync(new URL('../../fakes/outputs/kubectl/refused.stderr', import.meta.url), 'utf8');
const UNREACHABLE = 'cannot reach the cluster of context "prod": The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port? Check that the cluster is running and your credentials work: `kubectl --context prod cluster-info`.';


function errorOf(work: () => unknown): { message: string; hint?: string } {
  try {
    work();
  } catch (error) {
    return error as { message: string; hint?: string };
  }
  throw new Error('expected an error');
}

describe('kubectl noise', () => {
  it('up on an unreachable cluster keeps kubectl\'s one meaningful line, no klog lines', async () => {
    const kube = new MemoryKube();
    kube.run = async () => ({ exitCode: 1, stdout: '', stderr: REFUSED });
    const error = await ensureCluster({ kube, onLine: () => undefined }).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'the cluster in context kind-crashlab is not ready: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
    );
    expect((error as Error).message).not.toContain('memcache.go');
  });
});

describe('wording', () => {
  it('--events that is not JSON points at kubectl get events, not get pod', () => {
    const error = errorOf(() => parseEvents('not json', '--events events.json'));
    expect(error.message).toMatch(/^--events events\.json is not valid JSON/);
    expect(error.hint).toBe('Produce it with `kubectl get events -o json` (YAML is not accepted).');
    expect(errorOf(() => parsePods('{', '--pod pod.json')).hint).toBe('Produce it with `kubectl get pod X -o json` (YAML is not accepted).');
  });

  it('a Pod without spec is called a Pod without spec, not "not a Pod"', () => {
    const error = errorOf(() => parsePods(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' } }), '--pod pod.json'));
    expect(error.message).toBe('--pod pod.json: the Pod has no spec, so it cannot be diagnosed');
    expect(errorOf(() => parsePods(JSON.stringify({ kind: 'Service', metadata: { name: 's' } }), '--pod svc.json')).message).toBe('--pod svc.json is not a Pod or a List of Pods (kind Service)');
  });

  it('a missing required scenario field is called missing; an unknown category is echoed', () => {
    const parsed = parseScenario({ id: 'x', category: 'network-flake' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const byPath = Object.fromEntries(parsed.problems.map((p) => [p.path, p.message]));
    expect(byPath.title).toBe('missing (required: object)');
    expect(byPath.difficulty).toBe('missing (required: one of easy, medium, hard)');
    expect(byPath.category).toMatch(/^"network-flake" is not one of the allowed values: app-exception, bad-command, /);
  });

  it('a non-kind context that cannot be reached is never told to run `crashlab up`', async () => {
    const kube = new MemoryKube();
    kube.getDeployment = async () => {
      throw kubeError(UNREACHABLE, 'unreachable');
    };
    kube.getPods = kube.getDeployment as never;
    const status = capture();
    expect(await main(['--context', 'prod', 'status', 'oom'], status.io, { kube: () => kube, store: new MemoryStore() })).toBe(2);
    expect(status.err()).toBe(`crashlab: ${UNREACHABLE}\n  \`crashlab doctor\` checks kubectl, the context and the cluster.\n`);
    const verify = capture();
    expect(await main(['--context', 'prod', 'verify', 'oom'], verify.io, { kube: () => kube, store: new MemoryStore() })).toBe(2);
    expect(verify.out()).not.toContain('crashlab up');
  });

  it('"cannot reach the cluster" is said once, and no "?." before the next sentence', async () => {
    const kube = new MemoryKube();
    kube.getDeployment = async () => {
      throw kubeError(UNREACHABLE, 'unreachable');
    };
    const verdict = await verifyDeployment({ kube, clock: VirtualClock.stopped(0), namespace: 'ns', deployment: 'web', rolloutTimeoutSeconds: 10 });
    expect(verdict.summary.en).toBe(UNREACHABLE);
    expect(verdict.summary.en.match(/cannot reach the cluster/g)).toHaveLength(1);
    expect(verdict.summary.en).not.toContain('?.');
  });
});
