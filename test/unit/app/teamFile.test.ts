/**
 * app/teamFile.ts: which kubeconfig could make a run a game-day team's, found without parsing
 * it (so `crashlab list` loads compose.ts, js-yaml and zod only for a possible team file).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { teamKubeconfigFile, teamKubeconfigText } from '../../../src/app/teamFile.js';
import { teamOf } from '../../../src/app/compose.js';
import { teamKubeconfig } from '../../../src/core/gameday/objects.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function file(name: string, content: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'crashlab-teamfile-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// What `crashlab up` leaves in ~/.kube/config (kind's own names), and a team file as the game writes it.
const KIND = `apiVersion: v1
kind: Config
current-context: kind-crashlab
contexts:
- name: kind-crashlab
  context: {cluster: kind-crashlab, user: kind-crashlab}
clusters:
- name: kind-crashlab
  cluster: {server: 'https://127.0.0.1:39163'}
users:
- name: kind-crashlab
  user: {token: abc}
`;

describe('the kubeconfig that decides', () => {
  it('is --kubeconfig, else a single $KUBECONFIG file, and none when --context names another cluster', () => {
    expect(teamKubeconfigFile({ kubeconfig: 'a' }, { KUBECONFIG: 'b' })).toBe('a');
    expect(teamKubeconfigFile({}, { KUBECONFIG: 'b' })).toBe('b');
    expect(teamKubeconfigFile({}, { KUBECONFIG: ['b', 'c'].join(delimiter) })).toBeUndefined();
    expect(teamKubeconfigFile({ kubeconfig: 'a', context: 'kind-crashlab' }, {})).toBeUndefined();
  });

  it('is read, not parsed: a file without a crashlab- namespace is no team’s; a team file is', () => {
    expect(teamKubeconfigText(file('config', KIND))).toBeUndefined();
    expect(teamKubeconfigText('/nonexistent/config')).toBeUndefined();
    expect(teamKubeconfigText(undefined)).toBeUndefined();
    const team = file('team-1.kubeconfig', yaml.dump(teamKubeconfig('lab1', 'team-1', { server: 'https://10.0.0.1:6443', caData: 'Q0E=' }, 'e30.e30.sig')));
    expect(teamKubeconfigText(team)).toContain('crashlab-lab1-team-1');
    // compose.ts still decides, from the parsed file.
    expect(teamOf({ kubeconfig: team }, {})).toMatchObject({ namespace: 'crashlab-lab1-team-1' });
    expect(teamOf({ kubeconfig: file('other', KIND) }, {})).toBeUndefined();
  });
});
