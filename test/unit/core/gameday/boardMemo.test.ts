import { describe, expect, it } from 'vitest';
import { boardFingerprint, BoardJson, boardMemo, buildBoard, type BoardInput, type TeamInput } from '../../../../src/core/gameday/board.js';
import { foldTeamLog, parseEventLog } from '../../../../src/core/gameday/events.js';
import type { GameMeta } from '../../../../src/core/gameday/game.js';
import type { Pod } from '../../../../src/core/k8s.js';
import { safeJson } from '../../../../src/core/untrusted.js';
import { at, CATEGORIES, logText, meta, realPod, T0 } from '../../../fakes/gameday.js';

/** A fixed-seed PRNG (mulberry32): the same sequence of events on every run. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] };
}

type Entry = [number, string, Record<string, unknown>?];
const TEAMS = 12;
const ns = (i: number) => `crashlab-g1-team-${i}`;
const inst = (i: number, round: number) => `i-${String(i).padStart(3, '0')}r${round}x`;
// Read once: a fresh object per pod event, as the watch gives.
const captures = { oom: realPod('oom', '', ''), 'secret-fixed': realPod('secret-fixed', '', ''), 'bad-command': realPod('bad-command', '', '') };
const podOf = (capture: keyof typeof captures, namespace: string, instance: string, name: string): Pod => {
  const pod = structuredClone(captures[capture]);
  pod.metadata = { ...pod.metadata, namespace, name, labels: { ...pod.metadata.labels, 'crashlab.dev/instance': instance, app: instance } };
  return pod;
};

// A line's bytes as text (undefined: no line).
const text = (line: Uint8Array | undefined) => (line === undefined ? undefined : new TextDecoder().decode(line));

describe('the live board kept between builds (BoardMemo, BoardJson)', () => {
  it('gives the same board and the same JSON text as a full rebuild, over a random sequence of events', () => {
    const rnd = prng(20261206);
    const rounds = new Map<number, number>();
    const entries = new Map<number, Entry[]>();
    const garbage = new Set<number>();
    const logs = new Map<number, TeamInput['log']>();
    const pods = new Map<string, Pod>();
    let nowMs = T0 + 30_000;
    let verifying = new Set<string>();
    let notes: string[] = [];
    let hideScenarios = false;
    let teams = Array.from({ length: TEAMS }, (_, i) => i + 1);
    // The instructor's mapping moves too (which scenario, released when): every score is judged against it.
    let shift = 0;
    let flip = 0;
    const gameMeta = (extra: Partial<GameMeta> = {}): GameMeta =>
      meta({
        teams: teams.map((i) => `team-${i}`),
        instances: Object.fromEntries(
          teams.flatMap((i) => Array.from({ length: rounds.get(i) ?? 1 }, (_, r) => [inst(i, r + 1), { scenario: (r + flip) % 2 ? 'bad-command' : 'oom', team: `team-${i}`, releasedAt: at(r * 300 + shift), round: r + 1, via: 'round' as const }])),
        ),
        ...extra,
      });
    const fold = (i: number) => logs.set(i, foldTeamLog(parseEventLog(logText(entries.get(i)!) + (garbage.has(i) ? 'not json\n' : ''))));
    for (const i of teams) {
      rounds.set(i, 1);
      entries.set(i, [[0, 'released', { instance: inst(i, 1), round: 1 }]]);
      fold(i);
      pods.set(ns(i), podOf('bad-command', ns(i), inst(i, 1), `web-${i}`));
    }
    let currentMeta = gameMeta();

    const memo = boardMemo();
    // A second memo fed as a live board feeds it: pods kept by namespace, a namespace's list
    // replaced only when one of its pods changed.
    const keptMemo = boardMemo();
    const lists = new Map<string, readonly Pod[]>();
    const podsKept = () => {
      const grouped = new Map<string, Pod[]>();
      for (const pod of pods.values()) grouped.set(pod.metadata.namespace!, [...(grouped.get(pod.metadata.namespace!) ?? []), pod]);
      for (const [namespace, list] of grouped) {
        const kept = lists.get(namespace);
        if (!kept || kept.length !== list.length || kept.some((p, i) => p !== list[i])) lists.set(namespace, list);
      }
      for (const namespace of lists.keys()) if (!grouped.has(namespace)) lists.delete(namespace);
      return lists;
    };
    const json = new BoardJson();
    const full = new BoardJson();
    let reused = 0;
    let unchanged = 0;
    let lastFingerprint: string | undefined;
    let previous: ReturnType<typeof buildBoard> | undefined;
    for (let step = 0; step < 600; step++) {
      const i = rnd.pick(teams);
      const roll = rnd.int(100);
      const seconds = Math.floor((nowMs - T0) / 1000);
      const round = rounds.get(i)!;
      if (roll < 55) {
        // A pod event: a new object for the team's pod (a restart, a new pod of the current or an old instance, one going away).
        const capture = rnd.pick(['oom', 'secret-fixed', 'bad-command'] as const);
        const pod = podOf(capture, ns(i), rnd.int(4) === 0 ? inst(i, Math.max(1, round - 1)) : inst(i, round), `web-${i}-${rnd.int(3)}`);
        pod.metadata.creationTimestamp = at(seconds - rnd.int(100));
        if (rnd.int(6) === 0) pod.metadata.deletionTimestamp = at(seconds);
        if (rnd.int(8) === 0) pods.delete(`${ns(i)}/${pod.metadata.name}`);
        else pods.set(`${ns(i)}/${pod.metadata.name}`, pod);
      } else if (roll < 80) {
        // The team's log grows (a new FoldedTeamLog, as the engine folds a changed ConfigMap).
        const event = rnd.pick<Entry>([
          [seconds, 'started'],
          [seconds, 'hint'],
          [seconds, 'diagnosis', { category: rnd.pick(['oom-killed', 'bad-command']), correct: true }],
          [seconds, 'verify-requested'],
          [seconds, 'verify-verdict', { pass: rnd.int(2) === 0, by: 'instructor', result: 'fail', reasons: ['x'] }],
        ]);
        entries.get(i)!.push(event);
        if (rnd.int(20) === 0) garbage.add(i);
        fold(i);
      } else if (roll < 85) {
        // A new round for the team: a new instance in the game's mapping and in its log.
        rounds.set(i, round + 1);
        entries.get(i)!.push([seconds, 'released', { instance: inst(i, round + 1), round: round + 1 }]);
        fold(i);
        currentMeta = gameMeta();
      } else if (roll < 88) {
        shift = rnd.int(60);
        flip = rnd.int(2);
        currentMeta = gameMeta({ frozen: rnd.int(2) === 0, tokensEndAt: rnd.int(2) ? at(seconds + rnd.int(120) - 60) : undefined });
      } else if (roll < 91) {
        verifying = new Set(rnd.int(2) ? [inst(i, round)] : []);
      } else if (roll < 93) {
        notes = rnd.int(2) ? ['pods watch: lost'] : [];
      } else if (roll < 94) {
        hideScenarios = !hideScenarios;
      } else if (roll < 96 && teams.length > 3) {
        teams = teams.filter((t) => t !== i);
        currentMeta = gameMeta();
      } else if (roll < 97 && teams.length < TEAMS) {
        teams = [...teams, ...Array.from({ length: TEAMS }, (_, k) => k + 1).filter((t) => !teams.includes(t)).slice(0, 1)];
        currentMeta = gameMeta();
      }
      // The clock moves on: sometimes not at all (several events in one millisecond), sometimes minutes.
      nowMs += rnd.pick([0, 0, 7, 250, 1000, 61_000]);

      const input = (): BoardInput => ({
        game: 'g1',
        nowMs,
        meta: currentMeta,
        teams: teams.map((t) => ({ team: `team-${t}`, namespace: ns(t), log: logs.get(t) })),
        pods: [...pods.values()],
        categories: CATEGORIES,
        verifying,
        hideScenarios,
        notes,
        stuck: { afterSeconds: 900, failedVerifies: 2 },
      });
      const incremental = buildBoard(input(), memo);
      const whole = buildBoard(input());
      expect(incremental, `step ${step}`).toStrictEqual(whole);
      expect(buildBoard({ ...input(), pods: undefined, podsByNamespace: podsKept() }, keptMemo), `step ${step}`).toStrictEqual(whole);
      expect(text(json.line(incremental)), `step ${step}`).toBe(`${safeJson(whole)}\n`);
      // A line exactly when the whole board's fingerprint changed (what --json --watch printed before).
      const fingerprint = boardFingerprint(whole);
      expect(text(json.changedLine(incremental)), `step ${step}`).toBe(fingerprint === lastFingerprint ? undefined : `${safeJson(whole)}\n`);
      if (fingerprint === lastFingerprint) unchanged++;
      lastFingerprint = fingerprint;
      // A fresh BoardJson (nothing cached) writes the same text.
      expect(text(full.line(whole))).toBe(`${safeJson(whole)}\n`);
      if (previous) reused += incremental.rows.filter((r) => previous!.rows.includes(r)).length;
      previous = incremental;
    }
    // The memo did hand unchanged rows out again (else this compared two full rebuilds).
    expect(reused).toBeGreaterThan(600);
    // Both sides of the line rule were exercised.
    expect(unchanged).toBeGreaterThan(10);
  });

  it('writes a board it does not know the shape of whole', () => {
    const board = { ...buildBoard({ game: 'g1', nowMs: T0, meta: meta(), teams: [], pods: [], categories: CATEGORIES }), ended: true };
    expect(text(new BoardJson().line(board))).toBe(`${safeJson(board)}\n`);
    const json = new BoardJson();
    expect(text(json.changedLine(board))).toBe(`${safeJson(board)}\n`);
    expect(json.changedLine({ ...board, at: new Date(T0 + 5000).toISOString() })).toBeUndefined();
  });
});
