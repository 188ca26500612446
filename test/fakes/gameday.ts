/** Builders for game-day tests: event logs as the lab writes them, pods from real captures. */
import { readFileSync } from 'node:fs';
import type { Pod } from '../../src/core/k8s.js';
import { foldTeamLog, parseEventLog, type FoldedTeamLog } from '../../src/core/gameday/events.js';
import { gameMetaSchema, type GameMeta } from '../../src/core/gameday/game.js';

export const T0 = Date.parse('2026-11-30T10:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A JSON Lines log from `[seconds after T0, type, fields]` triples. */
export function logText(entries: [number, string, Record<string, unknown>?][]): string {
  return entries.map(([s, type, fields]) => JSON.stringify({ at: at(s), type, ...fields })).join('\n') + '\n';
}

export function teamLog(entries: [number, string, Record<string, unknown>?][]): FoldedTeamLog {
  return foldTeamLog(parseEventLog(logText(entries)));
}

/** A real pod captured on the v1.34 test cluster (see test/fixtures/diagnose/real-v1.34), moved into a team namespace. */
export function realPod(capture: 'oom' | 'secret-fixed' | 'bad-command', namespace: string, instance: string, name?: string): Pod {
  const pod = JSON.parse(readFileSync(new URL(`../fixtures/diagnose/real-v1.34/${capture}.pod.json`, import.meta.url), 'utf8')) as Pod;
  pod.metadata.namespace = namespace;
  if (name) pod.metadata.name = name;
  const { ['crashlab.dev/scenario']: _spoiler, ...labels } = pod.metadata.labels ?? {};
  pod.metadata.labels = { ...labels, 'crashlab.dev/instance': instance, 'crashlab.dev/game': 'g1', app: instance };
  return pod;
}

export function meta(overrides: Partial<GameMeta> = {}): GameMeta {
  return gameMetaSchema.parse({
    name: 'g1',
    teams: ['team-1', 'team-2'],
    scenarios: ['oom', 'bad-command'],
    durationSeconds: 3600,
    overtimeSeconds: 600,
    startedAt: at(0),
    instances: {
      'i-aaaaaa': { scenario: 'oom', team: 'team-1', releasedAt: at(0), round: 1 },
      'i-bbbbbb': { scenario: 'oom', team: 'team-2', releasedAt: at(0), round: 1 },
    },
    ...overrides,
  });
}

export const CATEGORIES = { oom: 'oom-killed', 'bad-command': 'bad-command' };
