#!/usr/bin/env node
// The live board's node CPU per pod event, without a cluster: a game of N teams in memory
// (test/fakes MemoryGameCluster), the real engine (GameBoard) and what `board --json --watch`
// does on each change (fingerprint, JSON line). Each pod event renders on its own, as a watch
// that delivers one event per kubectl chunk does. Loads the TypeScript sources through vite.
// linesSha256 hashes every line printed: equal before and after a change that keeps the output
// (--root DIR runs another checkout's sources, e.g. main's, with this script).
// --advance-ms: the clock moves this much between events (100: 10 events a second, as the kwok
// bench's churn; 0: every event in the same instant, which hides the per-second row changes).
// Usage: node scripts/board-bench.mjs [--teams 100] [--events 2000] [--advance-ms 100] [--root DIR]
import { createHash } from 'node:crypto';
import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = flag('--root', join(dirname(fileURLToPath(import.meta.url)), '..'));
const teams = Number(flag('--teams', '100'));
const events = Number(flag('--events', '2000'));
const advanceMs = Number(flag('--advance-ms', '100'));

const vite = await createServer({ root, logLevel: 'error', server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] } });
const load = (p) => vite.ssrLoadModule(join(root, p));
const { GameBoard } = await load('src/engine/gameday/board.ts');
const core = await load('src/core/gameday/board.ts');
const { safeJson } = await load('src/core/untrusted.ts');
// What liveBoard's changedLine does (UTF-8 lines from BoardJson since the byte lines; strings
// from BoardJson.changedJson before that; whole boards before the incremental board).
let lastPrinted = '';
const bytes = (text) => (text === undefined ? undefined : Buffer.from(`${text}\n`));
const kept = core.BoardJson ? new core.BoardJson() : undefined;
const json = kept?.changedLine
  ? kept
  : {
      changedLine(b) {
        if (kept) return bytes(kept.changedJson(b));
        const fingerprint = core.boardFingerprint(b);
        if (fingerprint === lastPrinted) return undefined;
        lastPrinted = fingerprint;
        return bytes(safeJson(b));
      },
    };
const { MemoryGameCluster } = await load('test/fakes/memoryGameCluster.ts');
const { VirtualClock } = await load('test/fakes/clock.ts');
const { readyPod, T0 } = await load('test/fakes/objects.ts');

const iso = (s) => new Date(T0 + s * 1000).toISOString();
const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1' };
const names = Array.from({ length: teams }, (_, i) => `team-${i + 1}`);
const ns = (t) => `crashlab-g1-${t}`;
const inst = (i) => `i-${String(i).padStart(6, '0')}`;
const cluster = new MemoryGameCluster(() => T0);
const clock = new VirtualClock(T0);
const scenario = { id: 'bad-command', category: 'bad-command', guards: [], verify: { deployment: 'web', crashWithin: 20, margin: 10, rolloutTimeout: 120 } };
cluster.setConfigMap({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'crashlab-game', namespace: 'crashlab-g1-control', labels },
  data: { game: JSON.stringify({ name: 'g1', teams: names, startedAt: iso(-600), instances: Object.fromEntries(names.map((t, i) => [inst(i), { scenario: 'bad-command', team: t, releasedAt: iso(-600) }])) }) },
});
names.forEach((t, i) => {
  const lines = [{ at: iso(-600), type: 'released', instance: inst(i) }, { at: iso(-300), type: 'hint', instance: inst(i), level: 1 }];
  cluster.setConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: ns(t), labels: { ...labels, 'crashlab.dev/team': t } }, data: { events: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' } });
});
const pods = names.map((t, i) => {
  const pod = readyPod();
  pod.metadata.namespace = ns(t);
  pod.metadata.name = `web-${i}`;
  pod.metadata.uid = `uid-${i}`;
  pod.metadata.labels = { ...pod.metadata.labels, ...labels, 'crashlab.dev/instance': inst(i) };
  return pod;
});
for (const pod of pods) cluster.setPod(pod);

const hash = createHash('sha256');
let lineBytes = 0;
let lines = 0;
let renderMs = 0;
const board = new GameBoard({
  game: 'g1', cluster, kube: {}, clock, scenarios: { [scenario.id]: scenario }, trustUnsigned: true, verify: false, renderGapFactor: 0, // every event renders: the cost per event, not the gap
  onChange: (b) => {
    const started = performance.now();
    const line = json.changedLine(b);
    if (line !== undefined) {
      lineBytes += line.length;
      hash.update(line);
      lines++;
    }
    renderMs += performance.now() - started;
  },
});
board.start();
const settle = () => new Promise((r) => setImmediate(r));
await settle();
await settle();

// Pod status changes spread over the teams (a restart count going up), one render each.
let rv = 1000;
const measure = async (n) => {
  renderMs = 0; lineBytes = 0; lines = 0;
  const before = board.stats.renders;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let e = 0; e < n; e++) {
    const pod = pods[(e * 7) % teams];
    const status = pod.status.containerStatuses[0];
    status.restartCount++;
    pod.metadata.resourceVersion = String(++rv);
    clock.nowMs += advanceMs;
    cluster.setPod(pod);
    await settle();
  }
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall, renders: board.stats.renders - before, renderMs };
};
await measure(Math.min(200, events)); // warm-up (JIT)
const r = await measure(events);
// The fake's own cost (structuredClone of the pod per event, the loop): subtracted.
const base = process.cpuUsage();
for (let e = 0; e < events; e++) {
  structuredClone(pods[(e * 7) % teams]);
  await settle();
}
const baseUsed = process.cpuUsage(base);
const baseMs = (baseUsed.user + baseUsed.system) / 1000;
await board.stop();
await vite.close();
const per = (x) => Math.round((x / events) * 1000) / 1000;
console.log(JSON.stringify({
  teams, events, advanceMs, renders: r.renders, lines,
  nodeCpuMsPerEvent: per(r.cpuMs - baseMs),
  renderAndLineMsPerEvent: per(r.renderMs),
  bytesPerLine: lines ? Math.round(lineBytes / lines) : 0,
  linesSha256: hash.digest('hex').slice(0, 16),
}));
