/** Reading a team kubeconfig (as `gameday create` writes it) and the team behind a namespace. */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { teamKubeconfig } from '../../../../src/core/gameday/objects.js';
import { parseTeamKubeconfig, teamFromProgress } from '../../../../src/core/gameday/participant.js';

const jwt = (exp: number) => `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

describe('parseTeamKubeconfig', () => {
  it('reads namespace, server and token expiry from the kubeconfig create writes', () => {
    const text = yaml.dump(teamKubeconfig('gd1', 'team-3', { server: 'https://10.0.0.1:6443', caData: 'Q0E=' }, jwt(1_800_000_000)));
    expect(parseTeamKubeconfig(text, 'team-3.kubeconfig')).toEqual({
      context: 'crashlab-gd1-team-3',
      namespace: 'crashlab-gd1-team-3',
      server: 'https://10.0.0.1:6443',
      insecure: false,
      tokenExpiresAt: '2027-01-15T08:00:00.000Z',
    });
  });

  it('says what is wrong with a kubeconfig that is not a team one', () => {
    expect(() => parseTeamKubeconfig('a: [', 'x')).toThrow(expect.objectContaining({ kind: 'kubeconfig', name: 'KubeconfigError' }));
    expect(() => parseTeamKubeconfig('apiVersion: v1\nkind: Config\n', 'x')).toThrow(/no current-context/);
    const noNs = { 'current-context': 'c', contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }], clusters: [{ name: 'k', cluster: { server: 'https://s' } }] };
    expect(() => parseTeamKubeconfig(yaml.dump(noNs), 'x')).toThrow(/names no namespace/);
  });
});

describe('teamFromProgress', () => {
  it('takes game and team from the progress ConfigMap labels', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', labels: { 'crashlab.dev/game': 'gd1', 'crashlab.dev/team': 'team-3' } } };
    expect(teamFromProgress('crashlab-gd1-team-3', cm)).toEqual({ game: 'gd1', team: 'team-3', namespace: 'crashlab-gd1-team-3' });
    expect(teamFromProgress('ns', undefined)).toBeUndefined();
  });
});
