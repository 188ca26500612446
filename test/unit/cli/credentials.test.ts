/**
 * Issue 21, items 1, 3, 9 (kubeconfig shape, JWT exp), 10 and 14: team credentials go only into
 * files crashlab creates, in a folder only its user can write; outputs are checked before the
 * cluster is touched; insecure connections are said (or refused) at create and at join.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import { localGameFiles } from '../../../src/adapters/gameFiles.js';
import { teamKubeconfig } from '../../../src/core/gameday/objects.js';
import type { GameCluster } from '../../../src/ports/gameCluster.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryGameCluster } from '../../fakes/memoryGameCluster.js';
import { VirtualClock } from '../../fakes/clock.js';

const START = Date.parse('2026-11-30T10:00:00Z');
const clock = VirtualClock.stopped(START);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'crashlab-cred-'));
}

async function run(deps: Deps, argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io, deps);
  return { code, out: c.out(), err: c.err() };
}

function createDeps(cluster: MemoryGameCluster): Deps {
  return { gameCluster: () => cluster, gamedayFiles: localGameFiles, clock } as Deps;
}

describe('credential files crashlab creates itself (item 1)', () => {
  it('a symlink planted as team-1.kubeconfig is replaced, its target never written or chmod-ed', async () => {
    const dir = tmp();
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'precious', { mode: 0o644 });
    const out = join(dir, 'out');
    mkdirSync(out, { mode: 0o700 });
    symlinkSync(target, join(out, 'team-1.kubeconfig'));
    const cluster = new MemoryGameCluster(() => START);
    const r = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    const written = lstatSync(join(out, 'team-1.kubeconfig'));
    expect(written.isSymbolicLink()).toBe(false);
    expect(written.mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'team-1.kubeconfig'), 'utf8')).toContain('token:');
  });

  it('a folder other users can write to is refused in words, before anything is provisioned (item 14)', async () => {
    const out = join(tmp(), 'shared');
    mkdirSync(out);
    chmodSync(out, 0o777);
    const cluster = new MemoryGameCluster(() => START);
    const r = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`crashlab: the folder ${out} can be written by other users (mode 0777): they could swap a team's credentials`);
    expect(cluster.objects.size).toBe(0);
    expect(cluster.tokens).toHaveLength(0);
  });

  it('an --out that is a file is refused before anything is provisioned', async () => {
    const out = join(tmp(), 'a-file');
    writeFileSync(out, 'x');
    const cluster = new MemoryGameCluster(() => START);
    const r = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(/^crashlab: cannot create the folder .*a-file: /);
    expect(cluster.objects.size).toBe(0);
  });
});

describe('gameday export --out (items 10 and 14)', () => {
  /** A cluster that must not be called: the output is refused first. */
  const untouchable = { gameCluster: () => ({}) as GameCluster, kube: () => ({ context: 'crashlab-local' }) } as unknown as Deps;

  it('refuses an existing file without --force, and a symlink even with --force, without a cluster call', async () => {
    const dir = tmp();
    const existing = join(dir, 'results.md');
    writeFileSync(existing, 'keep me');
    const r = await run(untouchable, ['--context', 'crashlab-local', 'gameday', 'export', 'g1', '--out', existing]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`crashlab: ${existing} already exists\n  Name a new file, or pass --force to replace it.\n`);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    const target = join(dir, 'victim');
    writeFileSync(target, 'precious');
    const link = join(dir, 'link.md');
    symlinkSync(target, link);
    const s = await run(untouchable, ['--context', 'crashlab-local', 'gameday', 'export', 'g1', '--out', link, '--force']);
    expect(s.code).toBe(2);
    expect(s.err).toContain(`crashlab: ${link} is a symbolic link: crashlab does not write through one`);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(readlinkSync(link)).toBe(target);
  });

  it('writes a new file 0600; --force replaces a regular file; /dev/full is one line, exit 2', async () => {
    const dir = tmp();
    const file = join(dir, 'new.txt');
    await localGameFiles.writeNew(file, 'one', {});
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(localGameFiles.writeNew(file, 'two', {})).rejects.toThrow(`${file} already exists`);
    await localGameFiles.writeNew(file, 'two', { force: true });
    expect(readFileSync(file, 'utf8')).toBe('two');
    await expect(localGameFiles.writeNew('/dev/full', 'x'.repeat(10), { force: true })).rejects.toThrow('cannot write /dev/full: the disk is full (ENOSPC)');
  });
});

describe('insecure connections are said (item 3)', () => {
  it('create refuses a plain http:// server or skipped TLS verification unless --allow-insecure, before any change', async () => {
    for (const endpoint of [{ server: 'http://10.0.0.1:8080' }, { server: 'https://10.0.0.1:6443', insecure: true }]) {
      const cluster = new MemoryGameCluster(() => START);
      cluster.endpointValue = endpoint;
      const out = join(tmp(), 'out');
      const r = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^crashlab: not handing out team tokens over an insecure connection; nothing was changed\n  - the context/);
      expect(cluster.objects.size).toBe(0);
      const insist = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', out, '--allow-insecure']);
      expect(insist.code).toBe(0);
      expect(insist.err).toMatch(/^warning: the context/m);
    }
  });

  it("create warns that a loopback server (a kind context) does not reach the teams' laptops", async () => {
    const cluster = new MemoryGameCluster(() => START);
    cluster.endpointValue = { server: 'https://127.0.0.1:36443', caData: 'Q0E=' };
    const r = await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', join(tmp(), 'out')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("warning: the context's server https://127.0.0.1:36443 is this machine's loopback address: it works only on this machine, not on the teams' laptops");
  });

  it('join warns on a kubeconfig others can read, a plain http:// server and skipped TLS verification (en and ko)', async () => {
    const cluster = new MemoryGameCluster(() => START);
    await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', join(tmp(), 'out')]);
    const file = join(tmp(), 'team-1.kubeconfig');
    writeFileSync(file, yaml.dump(teamKubeconfig('hd1', 'team-1', { server: 'http://10.0.0.1:8080', insecure: true }, 'e30.e30.sig')));
    chmodSync(file, 0o644);
    const deps = { gameCluster: () => cluster } as Deps;
    const r = await run(deps, ['join', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ game: 'hd1', team: 'team-1' });
    expect(r.err).toContain(`crashlab: warning: ${file} can be read by other users of this machine (mode 0644) and holds your team's token: run chmod 600 ${file}`);
    expect(r.err).toContain("crashlab: warning: the kubeconfig's server http://10.0.0.1:8080 is plain http://");
    const ko = await run(deps, ['--lang', 'ko', 'join', file, '--json']);
    expect(ko.err).toContain('TLS 검증을 건너뜁니다');
  });
});

describe('join validates the kubeconfig it is given (item 9)', () => {
  it('contexts: 5 and a JWT with exp 1e20 are clear words, not JavaScript errors', async () => {
    const file = join(tmp(), 'bad.kubeconfig');
    writeFileSync(file, 'current-context: x\ncontexts: 5\n', { mode: 0o600 });
    const r = await run({}, ['join', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^crashlab: .*bad\.kubeconfig is not a kubeconfig: contexts: /);
    expect(r.err).not.toMatch(/is not a function|Cannot read properties/);

    const cluster = new MemoryGameCluster(() => START);
    await run(createDeps(cluster), ['--yes', 'gameday', 'create', 'hd1', '--teams', '1', '--scenarios', 'oom', '--out', join(tmp(), 'out')]);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const huge = join(tmp(), 'huge.kubeconfig');
    writeFileSync(huge, yaml.dump(teamKubeconfig('hd1', 'team-1', { server: 'https://10.0.0.1:6443', caData: 'Q0E=' }, `${b64({ alg: 'RS256' })}.${b64({ exp: 1e20 })}.sig`)), { mode: 0o600 });
    const j = await run({ gameCluster: () => cluster } as Deps, ['join', huge, '--json']);
    expect(j.err).not.toContain('Invalid time value');
    expect(j.code).toBe(0);
  });
});
