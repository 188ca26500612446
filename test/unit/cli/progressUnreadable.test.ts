/**
 * Issue 21, item 11: a progress file that cannot be read (a folder, no permission,
 * XDG_CONFIG_HOME=/dev/null) is not a failed action: start and reset still do what they do,
 * print it, exit 0, and warn once with the reason (the README's "a failed save is not a failed action").
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { MemoryKube } from '../../fakes/memoryKube.js';
import { capture } from '../../fakes/captureIo.js';
import { VirtualClock } from '../../fakes/clock.js';

const clock = VirtualClock.stopped(Date.parse('2026-11-24T09:14:00Z'));

function progressIsAFolder(): string {
  const xdg = mkdtempSync(join(tmpdir(), 'crashlab-xdg-'));
  mkdirSync(join(xdg, 'crashlab', 'progress.json'), { recursive: true });
  return xdg;
}

describe('progress that cannot be read', () => {
  for (const [what, xdg] of [
    ['XDG_CONFIG_HOME=/dev/null', () => '/dev/null'],
    ['progress.json is a folder', progressIsAFolder],
  ] as const) {
    it(`${what}: start deploys and reset removes, each exits 0 with one warning`, async () => {
      const kube = new MemoryKube();
      const home = xdg();
      const started = capture({ XDG_CONFIG_HOME: home });
      expect(await main(['start', 'bad-command'], started.io, { kube: () => kube, clock })).toBe(0);
      expect(kube.namespaces.has('crashlab-bad-command')).toBe(true);
      expect(started.out()).toContain('Next: crashlab status bad-command');
      expect(started.err()).toMatch(/^crashlab: warning: bad-command was started, but your progress was not saved: .*progress\.json/);
      expect(started.err().split('\n').filter(Boolean)).toHaveLength(1);

      const reset = capture({ XDG_CONFIG_HOME: home });
      expect(await main(['reset', 'bad-command', '--yes'], reset.io, { kube: () => kube, clock })).toBe(0);
      expect(kube.namespaces.has('crashlab-bad-command')).toBe(false);
      expect(reset.err()).toMatch(/^crashlab: warning: bad-command was reset, but your progress was not saved: /);
    });
  }
});
