import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../src/cli/main.js';
import type { Io } from '../../../../src/cli/io.js';
import { displayWidth } from '../../../../src/cli/commands/diagnose.js';
import type { KubeEvent, Pod } from '../../../../src/core/k8s.js';
import { FIXTURES, fixture } from '../../../fakes/diagnoseFixtures.js';
import { MemoryKube } from '../../../fakes/memoryKube.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function fakeIo(stdinText = ''): Io & { out: Sink; err: Sink } {
  const out = new Sink();
  const err = new Sink();
  return { stdout: out, stderr: err, stdin: Readable.from([Buffer.from(stdinText)]), env: { NO_COLOR: '1' }, out, err };
}

async function cli(argv: string[], stdin = '', deps = {}) {
  const io = fakeIo(stdin);
  const code = await main(argv, io, deps);
  return { code, stdout: io.out.text, stderr: io.err.text };
}

const file = (name: string) => `${FIXTURES}${name}`;

describe('crashlab diagnose --pod <file>', () => {
  it('prints JSON findings with summary and next steps in the chosen language', async () => {
    const r = await cli(['diagnose', '--pod', file('oom-killed.pod.json'), '--events', file('oom-killed.events.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const { findings } = JSON.parse(r.stdout);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ pod: fixture('oom-killed').pod.metadata.name, container: 'app', category: 'oom-killed', confidence: 'high' });
    expect(findings[0].summary).toMatch(/^The container exceeded its memory limit \(64Mi\)/);
    expect(findings[0].evidence).toContain('lastState.terminated: reason=OOMKilled exitCode=137');
    expect(findings[0].nextSteps[0]).toMatch(/^Confirm:/);

    const ko = JSON.parse((await cli(['--lang', 'ko', 'diagnose', '--pod', file('oom-killed.pod.json'), '--json'])).stdout);
    expect(ko.findings[0].summary).toMatch(/메모리 limit/);
    expect(ko.findings[0].nextSteps[0]).toMatch(/^확인:/);
  });

  it('reads the pod from stdin with --pod - and uses the --logs file', async () => {
    const pod = fixture('readonly-fs').pod;
    const r = await cli(['diagnose', '--pod', '-', '--logs', file('readonly-fs.logs.txt'), '--json'], JSON.stringify(pod));
    expect(r.code).toBe(0);
    const [f] = JSON.parse(r.stdout).findings;
    expect(f.category).toBe('read-only-fs');
    expect(f.evidence).toContain("log: mkdir: can't create directory '/var/cache/app': Read-only file system");
  });

  it('reads stdin with a bare - too, as DESIGN.md shows it', async () => {
    const r = await cli(['diagnose', '-', '--json'], JSON.stringify(fixture('exec-format-error').pod));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].category).toBe('runtime-issue');
  });

  it('takes per-container logs as --logs <container>=<file>', async () => {
    const r = await cli(['diagnose', '--pod', file('port-in-use.pod.json'), '--logs', `metrics=${file('port-in-use.logs.txt')}`, '--logs', `nginx=${file('readonly-fs.logs.txt')}`, '--json']);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).findings;
    expect(findings.map((f: { container: string; category: string }) => [f.container, f.category])).toEqual([['metrics', 'port-conflict']]);
    const unnamed = await cli(['diagnose', '--pod', file('port-in-use.pod.json'), '--logs', file('port-in-use.logs.txt'), '--logs', file('readonly-fs.logs.txt')]);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('with several --logs, name each container');
  });

  it('accepts a List of pods and puts the broken one first', async () => {
    const r = await cli(['diagnose', '--pod', file('list-mixed.pods.json'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: { category: string }) => f.category)).toEqual(['oom-killed', 'healthy']);
  });

  it('prints plain blocks that fit 80 columns, in English and in Korean', async () => {
    for (const lang of ['en', 'ko']) {
      const r = await cli(['--lang', lang, 'diagnose', '--pod', file('secret-key-missing.pod.json'), '--events', file('secret-key-missing.events.json')]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`crashlab-secret-typo: ${fixture('secret-key-missing').pod.metadata.name} / app`);
      expect(lines[1]).toBe(lang === 'en' ? '  missing-config — Missing env var / Secret / ConfigMap (high confidence)' : '  missing-config — 환경 변수/Secret/ConfigMap 누락 (신뢰도 높음)');
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
      expect(r.stdout).toContain(lang === 'en' ? 'Evidence:' : '증거:');
      expect(r.stdout).toContain('passwrod');
      expect(r.stdout).toContain(lang === 'en' ? 'Guide note:' : '가이드 주의:');
    }
  });

  it.each([
    [['diagnose', '--pod', '/nonexistent/pod.json'], 'cannot read --pod file "/nonexistent/pod.json": no such file'],
    [['diagnose', '--pod', file('oom-killed.logs.txt')], `--pod file "${file('oom-killed.logs.txt')}" is not valid JSON`],
    [['diagnose', '--pod', file('oom-killed.events.json')], `--pod file "${file('oom-killed.events.json')}" is not a Pod or a List of Pods (item 0: kind Event)`],
    [['diagnose', '--pod', file('oom-killed.pod.json'), '--events', file('oom-killed.pod.json')], `--events file "${file('oom-killed.pod.json')}" is not a List of Events`],
    [['diagnose', '--pod', file('oom-killed.pod.json'), '--logs', '/nonexistent/prev.log'], 'cannot read --logs file "/nonexistent/prev.log": no such file'],
    [['diagnose'], 'which pod?'],
  ])('exits 2 with a one-line message naming the input: %j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toContain(`crashlab: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an empty stdin and on a JSON value that is not a pod', async () => {
    expect((await cli(['diagnose', '--pod', '-'], '')).stderr).toContain('crashlab: stdin is empty');
    const r = await cli(['diagnose', '--pod', '-'], '{"kind":"Deployment","metadata":{"name":"web"},"spec":{}}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stdin is not a Pod or a List of Pods (kind Deployment)');
  });
});

/** A read-only cluster holding one pod, its events and per-container previous logs. */
function onePod(pod: Pod, events: KubeEvent[], previousLogs: Record<string, string>): MemoryKube {
  const kube = new MemoryKube().seed({ pods: [pod], events, readOnly: true });
  for (const [container, text] of Object.entries(previousLogs)) kube.setLog(pod.metadata.namespace!, pod.metadata.name, container, text, { previous: true });
  return kube;
}

describe('crashlab diagnose <pod> -n <ns> (live)', () => {
  it('reads the pod, its events and the previous log of each restarted container', async () => {
    const { pod, events, logs } = fixture('port-in-use');
    const kube = onePod(pod, events!.items, { metrics: logs! });
    const r = await cli(['diagnose', pod.metadata.name, '-n', 'team-d', '--json'], '', { kube: () => kube });
    expect(r.code).toBe(0);
    expect(kube.calls).toEqual([`getPod team-d ${pod.metadata.name}`, `getEvents team-d ${pod.metadata.name}`, `logs team-d ${pod.metadata.name} metrics --previous --tail=50`]);
    const [f] = JSON.parse(r.stdout).findings;
    expect(f).toMatchObject({ container: 'metrics', category: 'port-conflict' });
  });

  it('carries on without a log the runtime never produced (StartError)', async () => {
    const { pod, events } = fixture('bad-command-exec');
    const kube = onePod(pod, events!.items, {});
    const r = await cli(['diagnose', pod.metadata.name, '-n', 'crashlab-bad-command', '--json'], '', { kube: () => kube });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].category).toBe('bad-command');
  });

  it('exits 2 naming the pod and namespace when the pod does not exist', async () => {
    const { pod } = fixture('healthy');
    const r = await cli(['diagnose', 'nope', '-n', 'team-a'], '', { kube: () => onePod(pod, [], {}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('crashlab: pod "nope" not found in namespace "team-a" (context kind-crashlab)');
  });

  it('refuses a pod name together with --pod', async () => {
    const r = await cli(['diagnose', 'web', '--pod', file('healthy.pod.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give either a pod name (live) or --pod <file>, not both');
  });
});
