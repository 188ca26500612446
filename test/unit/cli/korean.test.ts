/**
 * Korean learners read Korean: every Korean text crashlab ships, and what the CLI prints with
 * --lang ko, holds no English sentence (names, commands, field paths and quoted logs aside).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import type { KubeEvent, List, Pod } from '../../../src/core/k8s.js';
import { cells } from '../../../src/core/width.js';
import { pick } from '../../../src/core/text.js';
import { shaped } from '../../../src/adapters/kubectl.js';
import { asList } from '../../../src/core/k8sSchema.js';
import { MemoryKube, MemoryStore } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { englishLines, englishRuns } from './english.js';
import { koreanTexts, root } from '../../fakes/texts.js';
import { VirtualClock } from '../../fakes/clock.js';

describe('the English-sentence detector', () => {
  it('flags sentences', () => {
    expect(englishRuns("팀 로그: Noted in your team's log; the instructor's export shows it")).not.toEqual([]);
    expect(englishLines('Reference solution applied. Prove it: crashlab verify oom')).not.toEqual([]);
    expect(englishLines('Cluster ready (context kind-crashlab). Next: crashlab list')).not.toEqual([]);
    expect(englishRuns('파드 상태: the pod is not ready yet')).not.toEqual([]);
  });

  it('leaves identifiers, commands, field paths and quoted logs alone', () => {
    expect(englishRuns('`lastState.terminated.reason`이 OOMKilled입니다. Liveness probe가 CrashLoopBackOff를 만듭니다.')).toEqual([]);
    expect(englishRuns('이전 로그는 "loading the product catalogue" 직후에 끊깁니다')).toEqual([]);
    expect(englishLines('다음: crashlab status oom   ·   crashlab routine oom')).toEqual([]);
    expect(englishLines('web-w9qrrfhvj5-6xv9b  CrashLoopBackOff  0/1  4 (2s ago)  StartError (exit 128)')).toEqual([]);
    expect(englishLines('   │ Error from server (NotFound): pods "x" not found')).toEqual([]);
    expect(englishLines('deployment.apps/catalog-api serverside-applied')).toEqual([]);
  });
});

describe('Korean text', () => {
  it('every ko string (scenarios, signatures, categories, routine, lab and CLI tables) has no English sentence', () => {
    const found = koreanTexts()
      .map(([where, text]) => [where, englishRuns(text)] as const)
      .filter(([, runs]) => runs.length > 0);
    expect(found).toEqual([]);
  });
});

describe('crashlab --lang ko prints Korean', () => {
  const fixture = (name: string) => JSON.parse(readFileSync(join(root, 'test/fixtures/diagnose', name), 'utf8'));
  let kube: MemoryKube;
  let deps: Deps;

  beforeEach(() => {
    kube = new MemoryKube();
    deps = { kube: () => kube, store: new MemoryStore(), clock: VirtualClock.stopped(Date.parse('2026-11-24T09:14:00Z')) };
  });

  async function ko(...argv: string[]) {
    const c = capture({ COLUMNS: '80' });
    const code = await main(['--lang', 'ko', ...argv], c.io, deps);
    return { code, out: c.out(), err: c.err(), all: c.out() + c.err() };
  }

  /** The bad-command scenario's pod as the API server shows it after a few crashes. */
  function breakIt(): void {
    const pod: Pod = fixture('bad-command-exec.pod.json');
    pod.metadata.namespace = 'crashlab-bad-command';
    pod.metadata.labels = { ...pod.metadata.labels, 'crashlab.dev/scenario': 'bad-command' };
    const last = pod.status!.containerStatuses![0].lastState!.terminated!;
    last.message = last.message!.replaceAll('/bin/server', '/usr/sbin/httpd');
    kube.pods = [pod];
    kube.events = (fixture('bad-command-exec.events.json') as List<KubeEvent>).items;
  }

  /** Korean, no English line, and prose fits the 80 columns it was reflowed to (tables may be wider, as kubectl's are). */
  function expectKorean(text: string, prose = true): void {
    expect(text).toMatch(/[가-힣]/);
    expect(englishLines(text)).toEqual([]);
    // Commands stay whole on one line, to be copied.
    if (prose) for (const row of text.split('\n').filter((r) => !r.trim().startsWith('$ '))) expect(cells(row), row).toBeLessThanOrEqual(80);
  }

  it('list, start, status, routine, solve, reset', async () => {
    const list = await ko('list');
    expect(list.out).toContain('쉬움');
    expectKorean(list.out, false);
    const start = await ko('start', 'bad-command');
    expect(start.code).toBe(0);
    expect(start.out).toContain('다음: crashlab status bad-command');
    expectKorean(start.all);
    breakIt();
    const status = await ko('status', 'bad-command');
    expect(status.out).toContain('설계대로 고장 났습니다');
    expectKorean(status.all, false);
    kube.runResults.set('get', { exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "x" not found' });
    expectKorean((await ko('routine', 'bad-command', '--run')).all);
    const solve = await ko('solve', 'bad-command');
    expect(solve.out).toContain('모범 답안을 적용했습니다');
    expectKorean(solve.out.split('\n').filter((l) => /[가-힣]/.test(l)).join('\n'));
    expectKorean((await ko('reset', 'bad-command')).all);
  });

  it('the question for a context that is not kind-crashlab, and the refusal without an answer', async () => {
    let asked = '';
    deps.confirm = async (question, said) => {
      asked = pick(said ?? { en: question, ko: question }, 'ko');
      return false;
    };
    const refused = await ko('--context', 'shared-prod', 'start', 'bad-command');
    expect(refused.code).toBe(2);
    expect(asked).toContain('shared-prod');
    expectKorean(asked, false);
    expectKorean(refused.err);
  });

  it('Ctrl-C and SIGTERM while a command runs', async () => {
    await ko('start', 'bad-command');
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      // The cluster hangs; the signal arrives at crashlab's own handler (the last listener), not vitest's.
      kube.getPods = async () => {
        (process.listeners(signal).at(-1) as (name: string) => void)(signal);
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      };
      const result = await ko('status', 'bad-command');
      expect(result.code, signal).toBe(code);
      expectKorean(result.err);
      const json = await ko('status', 'bad-command', '--json');
      expect(JSON.parse(json.out).message, 'scripts read English').toMatch(/before it finished/);
    }
  });

  it('up and up --preload: progress and the loaded images', async () => {
    const loaded: string[] = [];
    deps.kind = { version: async () => '0.27.0', clusters: async () => ['crashlab'], create: async () => undefined, delete: async () => undefined, loadImage: async (_name, image) => void loaded.push(image) };
    kube.runResults.set('wait', { exitCode: 0, stdout: 'node/crashlab-control-plane condition met', stderr: '' });
    const up = await ko('up', '--preload');
    expect(up.code, up.err).toBe(0);
    expect(loaded.length).toBeGreaterThan(0);
    expect(up.err).toContain('이미지');
    expectKorean(up.all, false);
    expectKorean((await ko('--context', 'shared-prod', '--yes', 'up', '--preload')).err);
  });

  it('a kubeconfig join cannot use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-ko-'));
    for (const [name, body] of [['yaml', 'contexts: [\n'], ['shape', 'current-context: x\ncontexts: 5\n'], ['none', 'contexts: []\n'], ['undefined', 'current-context: x\ncontexts: []\n'], ['nons', 'current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n']]) {
      writeFileSync(join(dir, `${name}.kubeconfig`), body, { mode: 0o600 });
      const join_ = await ko('join', join(dir, `${name}.kubeconfig`));
      expect(join_.code, name).toBe(2);
      // One sentence reflowed over rows: read it whole (a quoted parser message may span rows).
      expectKorean(join_.err.replace(/\n\s*/g, ' '), false);
    }
  });

  it('JSON from kubectl that crashlab cannot use', async () => {
    await ko('start', 'bad-command');
    kube.getPods = async () => shaped(() => asList('pod', 42).items);
    const status = await ko('status', 'bad-command');
    expect(status.code).toBe(2);
    expect(status.err).toContain('kubectl이 출력한 JSON');
    // The shape checker's finding (a field path and what was there) is quoted, like kubectl's own words.
    expectKorean(status.err.replace(/\n\s*/g, ' '), false);
  });

  it('errors and their next steps', async () => {
    for (const argv of [['status', 'no-such'], ['status', 'oom'], ['note', 'raised the limit'], ['--request-timeout', 'x', 'status', 'oom'], ['start'], ['statsu', 'oom'], ['status', 'oom', '--bogus']]) {
      const result = await ko(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expectKorean(result.err);
    }
  });
});

describe('crashlab --lang ko --help', () => {
  it('is Korean for the learner commands, as far as commander allows, and fits 80 columns', async () => {
    for (const argv of [['--help'], ['start', '--help'], ['status', '--help'], ['verify', '--help'], ['note', '--help'], ['join', '--help'], ['diagnose', '--help']]) {
      const c = capture({ COLUMNS: '80' });
      expect(await main(['--lang', 'ko', ...argv], c.io, {}), argv.join(' ')).toBe(0);
      expect(c.out()).toMatch(/사용법:/);
      expect(englishLines(c.out()), argv.join(' ')).toEqual([]);
      for (const row of c.out().split('\n').filter((r) => !r.trim().startsWith('crashlab '))) expect(cells(row), row).toBeLessThanOrEqual(80);
    }
  });
});
