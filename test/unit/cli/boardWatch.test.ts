/**
 * Issue 21, items 15 and 16: `gameday board` on a game that does not exist says so (exit 2),
 * and `board --json --watch` ends on SIGINT/SIGTERM with an interrupted line and 130/143, never
 * printing a running game as `not-started` with no rows while its pod watch keeps ending. The
 * signal case runs the built CLI (dist/) as a real process over a fake kubectl.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../src/cli/main.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { setupFakes, waitFor, type Fakes } from '../../fakes/index.js';
import { capture } from '../../fakes/captureIo.js';
import { MemoryGameCluster } from '../../fakes/memoryGameCluster.js';
import { logText } from '../../fakes/gameday.js';

const BIN = fileURLToPath(new URL('../../../bin/crashlab.js', import.meta.url));
const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

describe('a board for a game that does not exist (item 15)', () => {
  it('board nosuch --json exits 2 with "no game", like start and export', async () => {
    const cluster = new MemoryGameCluster();
    const deps = { kube: () => new MemoryKube('crashlab-local'), gameCluster: () => cluster } as Deps;
    const c = capture();
    const code = await main(['--context', 'crashlab-local', 'gameday', 'board', 'nosuch', '--json'], c.io, deps);
    expect(code).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err()).toMatch(/^crashlab: no game "nosuch" on this cluster/);
  });
});

const gameCm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels, resourceVersion: '1' },
  data: { game: JSON.stringify({ name: 'g1', teams: ['team-1'], scenarios: ['oom'], startedAt: new Date(Date.now() - 60_000).toISOString(), instances: {} }) },
};
const progressCm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'crashlab-progress', namespace: 'crashlab-g1-team-1', labels: { ...labels, 'crashlab.dev/team': 'team-1' }, resourceVersion: '2' },
  data: { events: logText([[0, 'hint']]) },
};

function runBoard(signal: NodeJS.Signals): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--context', 'crashlab-local', 'gameday', 'board', 'g1', '--json', '--watch', '--no-verify'], {
      env: { ...fakes!.env, XDG_CONFIG_HOME: join(fakes!.dir, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter(Boolean) }));
    // Long enough for the pod watch to end and be re-opened a few times (every second).
    waitFor(() => out.includes('\n'), 15_000).then(
      () => setTimeout(() => child.kill(signal), 1500),
      (error) => {
        child.kill('SIGKILL');
        reject(error);
      },
    );
  });
}

describe('board --json --watch interrupted (item 16)', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: an interrupted line and exit ${code}; no line shows the running game as not-started`, async () => {
      fakes = setupFakes(
        [
          { tool: 'kubectl', args: ['configmap', 'crashlab-game'], stdout: JSON.stringify(gameCm) },
          { tool: 'kubectl', args: ['secret'], stderr: 'Error from server (NotFound): secrets "crashlab-board-key" not found\n', exit: 1 },
          // The pod watch ends at once, again and again (an API server that closes it).
          { tool: 'kubectl', args: ['pods', '--watch'], stdout: '' },
          { tool: 'kubectl', args: ['configmaps', '--watch'], hang: true },
          { tool: 'kubectl', args: ['pods'], stdout: JSON.stringify({ kind: 'List', items: [] }) },
          { tool: 'kubectl', args: ['configmaps'], stdout: JSON.stringify({ kind: 'List', items: [gameCm, progressCm] }) },
        ],
        ['kubectl'],
      );
      const result = await runBoard(signal);
      expect(result.code).toBe(code);
      const docs = result.lines.map((l) => JSON.parse(l));
      expect(docs.at(-1)).toEqual({ interrupted: true, command: 'gameday board', signal });
      const boards = docs.slice(0, -1);
      expect(boards.length).toBeGreaterThan(0);
      for (const b of boards) {
        expect(b.clock.phase).toBe('running');
        expect(b.rows.map((r: { team: string }) => r.team)).toEqual(['team-1']);
      }
    }, 30_000);
  }
});
