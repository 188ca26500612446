/** Issue 16 item 11: a game-day team's `list` does not hand out the category its diagnosis scores. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { teamKubeconfig } from '../../../src/core/gameday/objects.js';
import { capture } from '../../fakes/captureIo.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function teamFile(): string {
  dir = mkdtempSync(join(tmpdir(), 'crashlab-list-'));
  const file = join(dir, 'team-1.kubeconfig');
  writeFileSync(file, yaml.dump(teamKubeconfig('lab1', 'team-1', { server: 'https://10.0.0.1:6443', caData: 'Q0E=' }, 'e30.e30.sig')), { mode: 0o600 });
  return file;
}

describe('list with a team kubeconfig', () => {
  it('has no CATEGORY column and no category in --json', async () => {
    const file = teamFile();
    const c = capture({ XDG_CONFIG_HOME: dir });
    expect(await main(['--kubeconfig', file, 'list'], c.io)).toBe(0);
    expect(c.out().split('\n')[0]).toMatch(/^ID\s+DIFFICULTY\s+TITLE/);
    expect(c.out()).not.toMatch(/oom-killed|liveness-misfire|missing-config/);
    const json = capture({ XDG_CONFIG_HOME: dir });
    expect(await main(['--kubeconfig', file, 'list', '--json'], json.io)).toBe(0);
    const listed = JSON.parse(json.out()).scenarios as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThan(0);
    for (const s of listed) expect(s).not.toHaveProperty('category');
  });

  it('the same with $KUBECONFIG set to the team file, as the handout says (seen by hand: the category showed)', async () => {
    const c = capture({ XDG_CONFIG_HOME: dir, KUBECONFIG: teamFile() });
    expect(await main(['list', '--json'], c.io)).toBe(0);
    for (const s of JSON.parse(c.out()).scenarios as Record<string, unknown>[]) expect(s).not.toHaveProperty('category');
  });

  it('solo (no team kubeconfig) keeps the category: choosing a cause to practise is the point there', async () => {
    const c = capture({ XDG_CONFIG_HOME: '/nonexistent' });
    expect(await main(['list'], c.io)).toBe(0);
    expect(c.out().split('\n')[0]).toMatch(/^ID\s+CATEGORY/);
    expect(c.out()).toContain('oom-killed');
  });
});
