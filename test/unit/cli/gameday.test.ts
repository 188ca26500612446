/** `crashlab gameday create|end` as a user runs it: flags, one-line errors, exit codes, dry run. */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { main } from '../../../src/cli/main.js';
import type { GameCluster } from '../../../src/ports/gameCluster.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryGameCluster, memoryFiles } from '../../fakes/memoryGameCluster.js';
import { VirtualClock } from '../../fakes/clock.js';


/** A cluster that must not be called (dry run, bad input). */
const untouchable = (): GameCluster => {
  throw new Error('the cluster was contacted');
};

describe('crashlab gameday', () => {
  it('--dry-run prints every object as YAML and never contacts the cluster', async () => {
    const c = capture();
    const code = await main(['gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'oom,probe-path', '--dry-run'], c.io, { gameCluster: untouchable });
    expect(code).toBe(0);
    const docs = c.out().split(/^---$/m).map((d) => yaml.load(d) as { kind?: string; metadata?: { name: string; namespace?: string } } | undefined).filter((d) => d?.kind);
    expect(docs.map((d) => `${d!.kind}/${d!.metadata!.namespace ?? ''}/${d!.metadata!.name}`)).toEqual([
      'Namespace//crashlab-gd1-control',
      'ConfigMap/crashlab-gd1-control/crashlab-game',
      'NetworkPolicy/crashlab-gd1-control/crashlab-deny-ingress',
      'ValidatingAdmissionPolicy//crashlab-gd1-team-log',
      'ValidatingAdmissionPolicyBinding//crashlab-gd1-team-log',
      ...['team-1', 'team-2'].flatMap((t) => [
        `Namespace//crashlab-gd1-${t}`,
        ...['ServiceAccount', 'Role', 'RoleBinding'].map((k) => `${k}/crashlab-gd1-${t}/crashlab-player`),
        `ResourceQuota/crashlab-gd1-${t}/crashlab-quota`,
        `LimitRange/crashlab-gd1-${t}/crashlab-limits`,
        `NetworkPolicy/crashlab-gd1-${t}/crashlab-same-namespace`,
        `ConfigMap/crashlab-gd1-${t}/crashlab-progress`,
      ]),
    ]);
    expect(c.out()).toMatch(/crashlab-gd1\/team-2\.kubeconfig/);
    const policy = docs.find((d) => d?.kind === 'ValidatingAdmissionPolicy') as unknown as { spec: { validations: { message: string }[] } };
    expect(policy.spec.validations.map((v) => v.message)).toContain("the team's event log is append-only during a game: only new lines may be added");
    expect(c.out()).toMatch(/# crashlab-gd1-team-log: .*applied only where the cluster serves admissionregistration\.k8s\.io\/v1/);
  });

  it('hands out an install command that works while crashlab is unpublished: the npm pack file by default (issue 16 item 6)', async () => {
    const start = Date.parse('2026-11-30T10:00:00Z');
    const files = memoryFiles();
    const cluster = new MemoryGameCluster(() => start);
    const c = capture();
    const deps = { gameCluster: () => cluster, gamedayFiles: files, clock: VirtualClock.stopped(start) };
    expect(await main(['--yes', 'gameday', 'create', 'gd1', '--teams', '1', '--scenarios', 'oom', '--no-network-probe', '--out', '/out'], c.io, deps)).toBe(0);
    const handout = [...files.files.entries()].find(([p]) => p.endsWith('team-1.handout.md'))?.[1] ?? '';
    expect(handout).toContain('npm install -g ./crashlab-0.1.0.tgz');
    expect(handout).not.toMatch(/npm install -g crashlab\b/);
    expect(c.out()).toMatch(/the handouts say to install crashlab-0\.1\.0\.tgz: hand it out too \(make it with `npm pack`/);
  });

  it('warns once on stderr when the cluster cannot protect the team logs, and end says what it removed', async () => {
    const start = Date.parse('2026-11-30T10:00:00Z');
    // The board's side (for the results `end` keeps) sees no team here: nothing to keep.
    const deps = (cluster: MemoryGameCluster) => ({ gameCluster: () => cluster, gamedayFiles: memoryFiles(), clock: VirtualClock.stopped(start) });
    const old = new MemoryGameCluster(() => start);
    old.servesPolicies = false;
    const c = capture();
    expect(await main(['--yes', 'gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'oom'], c.io, deps(old))).toBe(0);
    expect(c.err().match(/^warning: /gm)).toHaveLength(1);
    expect(c.err()).toMatch(/^warning: this cluster does not serve admissionregistration\.k8s\.io\/v1 ValidatingAdmissionPolicy .*team event logs are not protected.*signed instructor verdicts are still tamper-proof/m);
    expect(c.out()).toMatch(/game gd1: 2 team\(s\) ready/);

    const current = new MemoryGameCluster(() => start);
    const made = capture();
    expect(await main(['--yes', 'gameday', 'create', 'gd1', '--teams', '1', '--scenarios', 'oom'], made.io, deps(current))).toBe(0);
    expect(made.err()).toBe('');
    expect(made.out()).toMatch(/team event logs append-only: ValidatingAdmissionPolicy and binding crashlab-gd1-team-log/);
    const ended = capture();
    expect(await main(['--yes', 'gameday', 'end', 'gd1'], ended.io, deps(current))).toBe(0);
    expect(ended.out()).toMatch(/^removed ValidatingAdmissionPolicy\/crashlab-gd1-team-log, ValidatingAdmissionPolicyBinding\/crashlab-gd1-team-log \(the append-only guard of the team logs\)$/m);
    expect(current.objects.size).toBe(0);
  });

  it('--mystery marks the game and every team’s progress ConfigMap; without it neither is marked', async () => {
    const docsOf = async (extra: string[]) => {
      const c = capture();
      expect(await main(['gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'oom', '--dry-run', ...extra], c.io, { gameCluster: untouchable })).toBe(0);
      return c.out().split(/^---$/m).map((d) => yaml.load(d) as { kind?: string; metadata?: { name: string; annotations?: Record<string, string> }; data?: Record<string, string> } | undefined).filter((d) => d?.kind);
    };
    const mystery = await docsOf(['--mystery']);
    const progress = mystery.filter((d) => d!.metadata!.name === 'crashlab-progress');
    expect(progress).toHaveLength(2);
    for (const p of progress) expect(p!.metadata!.annotations).toMatchObject({ 'crashlab.dev/mode': 'mystery', 'crashlab.dev/offered': 'oom' });
    expect(JSON.parse(mystery.find((d) => d!.metadata!.name === 'crashlab-game')!.data!.game).mode).toBe('mystery');
    const plain = await docsOf([]);
    expect(plain.filter((d) => d!.metadata!.annotations?.['crashlab.dev/mode'])).toEqual([]);
    expect(JSON.parse(plain.find((d) => d!.metadata!.name === 'crashlab-game')!.data!.game).mode).toBe('game');
  });

  it.each([
    [['gameday', 'create', 'GD'], /game name "GD" must be a DNS label/],
    [['gameday', 'create', 'gd1'], /say how many teams/],
    [['gameday', 'create', 'gd1', '--teams', 'two'], /--teams must be a whole number/],
    [['gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'nope'], /unknown scenario: nope/],
    [['gameday', 'create', 'gd1', '--teams', '2', '--duration', 'soon'], /--duration "soon" is not a duration/],
    [['gameday', 'create', 'gd1', '--participants', '/nonexistent/teams.txt'], /cannot read participants file \/nonexistent\/teams.txt: ENOENT/],
    [['--context', 'other', 'gameday', 'end', 'gd1'], /pass --yes to confirm/],
  ])('refuses %j with one line and exit 2', async (argv, message) => {
    const c = capture();
    const code = await main(argv, c.io, { gameCluster: untouchable });
    expect(code).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });
});

describe('gameday create --starts-at (issue 16)', () => {
  it('takes HH:MM (the next one to come, local time) or an ISO time, and refuses anything else', async () => {
    const { parseStartsAt } = await import('../../../src/cli/commands/gameday.js');
    const now = new Date(2026, 11, 6, 20, 0).getTime();
    expect(parseStartsAt('09:00', now)).toBe(new Date(2026, 11, 7, 9, 0).toISOString());
    expect(parseStartsAt('21:30', now)).toBe(new Date(2026, 11, 6, 21, 30).toISOString());
    expect(parseStartsAt('2026-12-07T09:00+09:00', now)).toBe('2026-12-07T00:00:00.000Z');
    expect(() => parseStartsAt('25:00', now)).toThrow(/not a time of day/);
    expect(() => parseStartsAt('tomorrow', now)).toThrow(/HH:MM/);
  });
});
