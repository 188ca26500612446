/** `crashlab gameday create|end` as a user runs it: flags, one-line errors, exit codes, dry run. */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { main } from '../../../src/cli/main.js';
import type { GamedayCluster } from '../../../src/ports/gameday.js';
import { capture } from './captureIo.js';


/** A cluster that must not be called (dry run, bad input). */
const untouchable = (): GamedayCluster => {
  throw new Error('the cluster was contacted');
};

describe('crashlab gameday', () => {
  it('--dry-run prints every object as YAML and never contacts the cluster', async () => {
    const c = capture();
    const code = await main(['gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'oom,probe-path', '--dry-run'], c.io, { gameday: untouchable });
    expect(code).toBe(0);
    const docs = c.out().split(/^---$/m).map((d) => yaml.load(d) as { kind?: string; metadata?: { name: string; namespace?: string } } | undefined).filter((d) => d?.kind);
    expect(docs.map((d) => `${d!.kind}/${d!.metadata!.namespace ?? ''}/${d!.metadata!.name}`)).toEqual([
      'Namespace//crashlab-gd1-control',
      'ConfigMap/crashlab-gd1-control/crashlab-game',
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
  });

  it('--mystery marks the game and every team’s progress ConfigMap; without it neither is marked', async () => {
    const docsOf = async (extra: string[]) => {
      const c = capture();
      expect(await main(['gameday', 'create', 'gd1', '--teams', '2', '--scenarios', 'oom', '--dry-run', ...extra], c.io, { gameday: untouchable })).toBe(0);
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
    const code = await main(argv, c.io, { gameday: untouchable });
    expect(code).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });
});
