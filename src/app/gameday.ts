/**
 * The composition root of the instructor's game-day commands: the game-day API
 * (engine/gameday/api.ts) over the lab's Kube adapter (the verify engine reads through it), the
 * GameCluster adapter for the game-wide watches and log writes, the provisioning adapter, the
 * disk, the clock and the catalog, with the context safety rule applied here. A separate file
 * from compose.ts so the lab's root stays the lab's.
 */
import { contextGate } from '../engine/contextGate.js';
import { LabError } from '../engine/errors.js';
import type { Offerable } from '../core/gameday/offer.js';
import { createGameday, type GamedayApi } from '../engine/gameday/api.js';
import { systemClock } from '../ports/clock.js';
import type { GameCluster } from '../ports/gameCluster.js';
import type { GameFiles } from '../ports/gameday.js';
import { loadPacks } from '../adapters/packs.js';
import { contentRootOf, openPacks, type AppOptions, type AppOverrides } from './compose.js';
import { gameFiles, gamedayCluster } from './gamedayProvision.js';

export interface GamedayOverrides extends AppOverrides {
  /** The game's cluster: provisioning, the board's game-wide watches, log writes. */
  gameCluster?: (context: string) => GameCluster;
  /** Where kubeconfigs, handouts, exports and final results go. */
  gamedayFiles?: GameFiles;
}

export type { GamedayApi };
export type { WebBoardServer, WebBoardServerOptions } from '../ports/webBoard.js';
// What the game-day commands print with (pure formatting), so they need nothing but this root.
export { CONTROLS, type CreateInput, type LiveBoard } from '../engine/gameday/api.js';
export { PROBE_BUDGET_MS } from '../engine/gameday/netpolProbe.js';
export { PROBE_CLIENT, PROBE_PEER, PROBE_SERVER } from '../core/gameday/netpolProbe.js';
export { ADMISSION_VERSION, teamLogPolicyName } from '../core/gameday/teamLogPolicy.js';
export { formatSeconds } from '../core/gameday/names.js';
export { localTime } from '../core/gameday/handout.js';
export { formatClock } from '../core/gameday/game.js';
export { DEFAULT_STUCK, type Board, type BoardControl } from '../core/gameday/board.js';
export { EXPORT_FORMATS, type ExportFormat } from '../core/gameday/export.js';
export { safeJson } from '../core/untrusted.js';

/** What a refusal tells an instructor: what crashlab would change there, and how to say yes. */
const GAME_HINT = {
  en: 'crashlab only creates and deletes objects labelled app.kubernetes.io/managed-by=crashlab and crashlab.dev/game=<game>: pass --yes to confirm.',
  ko: 'crashlab은 app.kubernetes.io/managed-by=crashlab, crashlab.dev/game=<game> 레이블이 붙은 오브젝트만 만들고 지웁니다. 확인하려면 --yes를 주세요.',
};

export function composeGameday(options: AppOptions, overrides: GamedayOverrides = {}): GamedayApi {
  const baseEnv = overrides.env ?? process.env;
  const env = options.kubeconfig ? { ...baseEnv, KUBECONFIG: options.kubeconfig } : baseEnv;
  // The context rule, once for every command of this run (a yes to start holds for inject).
  const gate = contextGate(options.context, { yes: options.yes, confirm: overrides.confirm, hint: GAME_HINT });
  const context = gate.context;
  let catalog: ReturnType<typeof loadPacks> | undefined;
  const load = () => (catalog ??= loadPacks(contentRootOf(overrides), options.scenarioDirs ?? []));
  // Both adapters honour --request-timeout, stop at Ctrl-C and say when the cluster is slow.
  const bounds = { timeoutMs: options.requestTimeoutMs, signal: overrides.signal, onSlow: overrides.onSlowCluster };

  // One cluster adapter per command line, for provisioning and the board alike.
  let cluster: Promise<GameCluster> | undefined;
  const gameCluster = () => (cluster ??= overrides.gameCluster ? Promise.resolve(overrides.gameCluster(context)) : gamedayCluster({ context, kubeconfig: options.kubeconfig, env: baseEnv, ...bounds }));

  return createGameday({
    context,
    clock: overrides.clock ?? systemClock,
    async open(mutating) {
      await gate.allow(mutating);
      const kube = overrides.kube ? overrides.kube(context) : new (await import('../adapters/kubectl.js')).Kubectl({ context, env, ...bounds });
      return { kube, cluster: await gameCluster() };
    },
    async openProvisioning() {
      await gate.allow(true);
      return gameCluster();
    },
    async files() {
      return overrides.gamedayFiles ?? (await gameFiles());
    },
    async scenarios() {
      return Object.fromEntries((await load()).bundles.map((b) => [b.scenario.id, b.scenario]));
    },
    async bundle(id) {
      const found = (await load()).bundles.find((b) => b.scenario.id === id);
      if (!found) throw new LabError(`no scenario "${id}"`, 'unknown-scenario', `Known scenarios: ${(await load()).scenarios.map((s) => s.id).join(', ')}. A scenario of your own pack: pass the same --scenarios DIR as to gameday create.`);
      return found;
    },
    async catalog(packDirs) {
      const packs = await openPacks(contentRootOf(overrides), packDirs);
      return { scenarios: packs.scenarios as Offerable[], bundles: packs.bundles, ...(packs.packOf ? { packOf: packs.packOf } : {}) };
    },
    randomBytes: overrides.randomBytes ?? ((count) => globalThis.crypto.getRandomValues(new Uint8Array(count))),
    async serveWebBoard(serverOptions) {
      return (await import('../adapters/webBoard.js')).startWebBoardServer(serverOptions);
    },
  });
}
