import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../../../src/core/k8s.js';
import type { Guard } from '../../../../src/core/scenario.js';
import { evaluateGuards } from '../../../../src/core/verify/guards.js';
import { parseQuantity } from '../../../../src/core/verify/quantity.js';
import { deployment } from '../../../fakes/objects.js';

const spec = (): PodSpec => deployment().spec.template.spec;
const app = (s: PodSpec) => s.containers[0];

const GUARDS: Guard[] = [
  { kind: 'probe', container: 'app', probe: 'liveness' },
  { kind: 'readOnlyRootFilesystem', container: 'app' },
  { kind: 'runAsNonRoot', container: 'app' },
  { kind: 'resourceLimit', container: 'app', resource: 'memory', max: '256Mi' },
  { kind: 'secretKeyRef', container: 'app', env: 'API_TOKEN', secret: 'api', allowOptional: false },
  { kind: 'image', container: 'app', image: 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine' },
];

function failures(s: PodSpec, guards: Guard[] = GUARDS) {
  return evaluateGuards(guards, s).filter((r) => !r.ok);
}

describe('evaluateGuards', () => {
  it('holds on the fixture template (image names compared without docker.io/library prefixes)', () => {
    const results = evaluateGuards(GUARDS, spec());
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    expect(results.map((r) => r.label)).toEqual([
      'livenessProbe on app',
      'readOnlyRootFilesystem on app',
      'runAsNonRoot on app',
      'memory limit on app (max 256Mi)',
      'env API_TOKEN from Secret api on app',
      'image docker.io/nginxinc/nginx-unprivileged:1.27-alpine on app',
    ]);
  });

  it('names a deleted liveness probe, in English and Korean', () => {
    const s = spec();
    delete app(s).livenessProbe;
    const [f] = failures(s);
    expect(f.guard).toEqual(GUARDS[0]);
    expect(f.message.en).toBe('the liveness probe on container app was removed: a fix must keep it (tune its timing instead)');
    expect(f.message.ko).toContain('app 컨테이너의 liveness 프로브가 삭제되었습니다');
  });

  it('fails readOnlyRootFilesystem false or missing', () => {
    const s = spec();
    app(s).securityContext!.readOnlyRootFilesystem = false;
    expect(failures(s).map((f) => f.guard.kind)).toEqual(['readOnlyRootFilesystem']);
    expect(failures(s)[0].message.en).toMatch(/readOnlyRootFilesystem on container app is false/);
    delete app(s).securityContext;
    expect(failures(s).map((f) => f.guard.kind)).toEqual(['readOnlyRootFilesystem', 'runAsNonRoot']);
  });

  it('accepts runAsNonRoot from the pod securityContext, unless the container overrides it', () => {
    const s = spec();
    delete app(s).securityContext!.runAsNonRoot;
    expect(failures(s).map((f) => f.guard.kind)).toEqual(['runAsNonRoot']);
    s.securityContext = { runAsNonRoot: true, runAsUser: 101 };
    expect(failures(s)).toEqual([]);
    app(s).securityContext!.runAsNonRoot = false;
    expect(failures(s)[0].message.en).toMatch(/runAsNonRoot is false for container app/);
  });

  it('fails a removed memory limit and one above the maximum, comparing quantities across units', () => {
    const s = spec();
    app(s).resources!.limits!.memory = '268435456';
    expect(failures(s)).toEqual([]);
    app(s).resources!.limits!.memory = '268435457';
    expect(failures(s)[0].message.en).toBe('the memory limit on container app is 268435457, above 256Mi: size it to what the app needs instead of making it huge');
    app(s).resources!.limits!.memory = '1G';
    expect(failures(s).map((f) => f.guard.kind)).toEqual(['resourceLimit']);
    app(s).resources!.limits!.memory = '200M';
    expect(failures(s)).toEqual([]);
    delete app(s).resources!.limits!.memory;
    expect(failures(s)[0].message.en).toMatch(/the memory limit on container app was removed/);
  });

  it('checks a cpu limit in millicores', () => {
    const cpu: Guard[] = [{ kind: 'resourceLimit', container: 'app', resource: 'cpu', max: '500m' }];
    const s = spec();
    expect(failures(s, cpu)).toEqual([]);
    app(s).resources!.limits!.cpu = '1';
    expect(failures(s, cpu)).toHaveLength(1);
    app(s).resources!.limits!.cpu = 'lots';
    expect(failures(s, cpu)[0].message.en).toBe('the cpu limit on container app ("lots") is not a valid quantity');
  });

  it('fails a secretKeyRef made optional, moved to a plain value or to another Secret', () => {
    const s = spec();
    app(s).env![0].valueFrom!.secretKeyRef!.optional = true;
    expect(failures(s)[0].message.en).toBe('env API_TOKEN on container app is now optional: that hides a missing key instead of fixing it');
    expect(failures(s, [{ ...(GUARDS[4] as Extract<Guard, { kind: 'secretKeyRef' }>), allowOptional: true }])).toEqual([]);
    app(s).env = [{ name: 'API_TOKEN', value: 'hunter2' }];
    expect(failures(s)[0].message.en).toMatch(/no longer comes from Secret api/);
    app(s).env = [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-copy', key: 'token' } } }];
    expect(failures(s)).toHaveLength(1);
    app(s).env![0].valueFrom!.secretKeyRef!.name = 'api';
    app(s).env![0].valueFrom!.secretKeyRef!.key = 'api-token';
    expect(failures(s)).toEqual([]);
  });

  it('fails a swapped image and a renamed container', () => {
    const s = spec();
    app(s).image = 'busybox:1.36';
    expect(failures(s).map((f) => f.guard.kind)).toEqual(['image']);
    app(s).name = 'web';
    const f = failures(s);
    expect(f).toHaveLength(GUARDS.length);
    expect(f[0].message.en).toBe('container app is not in the pod template any more (renamed or removed): guard "livenessProbe on app" cannot hold');
  });
});

describe('parseQuantity', () => {
  it('reads binary and decimal suffixes, millis, exponents and plain numbers', () => {
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('128k')).toBe(128_000);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('0.5')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('12Ki')).toBe(12 * 1024);
  });

  it('rejects what the API server would reject', () => {
    for (const bad of ['', 'Mi', '64MB', '64 Mi', '1.2.3', 'lots', '64mi']) expect(parseQuantity(bad)).toBeUndefined();
  });
});

describe('command guard: the lesson is what the workload does (issue 16)', () => {
  const oom = (script: string): PodSpec => ({ containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script], resources: { limits: { memory: '32Mi' } } }] });
  const guard: Guard = { kind: 'command', container: 'app', line: 'dd if=/dev/zero of=/dev/null bs=64M count=1', what: { en: 'the 64 MiB catalogue load', ko: '64 MiB 카탈로그 적재' } };

  it('fails the oom cheat: the 32Mi limit kept, the 64 MiB load deleted from the command', () => {
    const [result] = evaluateGuards([guard], oom('set -e\necho loading\nexec httpd -f -p 8080 -h /www\n'));
    expect(result.ok).toBe(false);
    expect(result.message.en).toMatch(/no longer runs the 64 MiB catalogue load/);
  });

  it('passes the real fix (the load kept, indentation and args split as YAML gives them)', () => {
    expect(evaluateGuards([guard], oom('set -e\n  dd if=/dev/zero of=/dev/null bs=64M count=1  \nexec httpd\n'))[0].ok).toBe(true);
    const spec: PodSpec = { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c'], args: ['dd if=/dev/zero of=/dev/null bs=64M count=1'] }] };
    expect(evaluateGuards([guard], spec)[0].ok).toBe(true);
  });

  it('a line only quoted in an echo is not the line', () => {
    expect(evaluateGuards([guard], oom('echo "dd if=/dev/zero of=/dev/null bs=64M count=1"\n'))[0].ok).toBe(false);
  });
});

describe('prove’s generated wrong fix for a command guard', () => {
  it('deletes the pinned line, and the verifier’s guard then fails', async () => {
    const { violateGuard, brokenGuards } = await import('../../../../src/core/prove.js');
    const { loadCatalog, packageRoot } = await import('../../../../src/adapters/scenarios.js');
    const b = (await loadCatalog(packageRoot())).bundles.find((x) => x.scenario.id === 'oom')!;
    const guard = b.scenario.guards.find((g) => g.kind === 'command')!;
    const wrong = violateGuard(b.solution, b.scenario, guard)!;
    expect(wrong.what).toMatch(/deleted "dd if=\/dev\/zero/);
    expect(brokenGuards(wrong.objects, b.scenario)).toEqual([guard]);
    expect(brokenGuards(b.solution, b.scenario)).toEqual([]);
  });
});
