/**
 * The composition root of the instructor's game-day commands (board, start, inject, export):
 * the lab's Kube adapter (the verify engine reads through it), the GameCluster adapter for the
 * game-wide watches and log writes, the clock and the catalog, with the context safety rule
 * applied once here. A separate file from compose.ts so the lab's root stays the lab's.
 */
import { decideContext } from '../core/context.js';
import type { Scenario } from '../core/scenario.js';
import type { ScenarioBundle } from '../engine/scenarioRuns.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { GameCluster } from '../ports/gameCluster.js';
import type { Kube } from '../ports/kube.js';
import { loadPacks } from '../adapters/packs.js';
import type { WebBoardServer, WebBoardServerOptions } from '../adapters/webBoard.js';
import { contentRootOf, type AppOptions, type AppOverrides } from './compose.js';

export interface GamedayOverrides extends AppOverrides {
  gameCluster?: (context: string) => GameCluster;
}

export class GamedayAppError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'GamedayAppError';
  }
}

export interface GamedayApp {
  readonly context: string;
  readonly clock: Clock;
  /** The adapters, after the context check (`mutating`: the command changes the cluster). */
  open(mutating: boolean): Promise<{ kube: Kube; cluster: GameCluster }>;
  scenarios(): Promise<Record<string, Scenario>>;
  bundle(id: string): Promise<ScenarioBundle>;
  randomBytes(count: number): Uint8Array;
  /** The web board's HTTP server (`gameday board --web`). */
  serveWebBoard(options: WebBoardServerOptions): Promise<WebBoardServer>;
}

export type { WebBoardServer, WebBoardServerOptions };

export function composeGameday(options: AppOptions, overrides: GamedayOverrides = {}): GamedayApp {
  const baseEnv = overrides.env ?? process.env;
  const env = options.kubeconfig ? { ...baseEnv, KUBECONFIG: options.kubeconfig } : baseEnv;
  const context = decideContext(options.context, { mutating: false, yes: true }).context;
  let catalog: ReturnType<typeof loadPacks> | undefined;
  const load = () => (catalog ??= loadPacks(contentRootOf(overrides), options.scenarioDirs ?? []));
  let confirmed = options.yes;

  return {
    context,
    clock: overrides.clock ?? systemClock,
    async open(mutating) {
      const decision = decideContext(options.context, { mutating, yes: confirmed });
      if (!decision.allowed) {
        if (!(overrides.confirm && (await overrides.confirm(decision.question, decision.questionWords)))) {
          throw new GamedayAppError(`not touching context "${decision.context}" without confirmation`, 'Pass --yes to confirm.');
        }
        confirmed = true;
      }
      // Both adapters honour --request-timeout, stop at Ctrl-C and say when the cluster is slow.
      const bounds = { timeoutMs: options.requestTimeoutMs, signal: overrides.signal, onSlow: overrides.onSlowCluster };
      const kube = overrides.kube ? overrides.kube(context) : new (await import('../adapters/kubectl.js')).Kubectl({ context, env, ...bounds });
      const cluster = overrides.gameCluster ? overrides.gameCluster(context) : new (await import('../adapters/gameClusterKubectl.js')).GameClusterKubectl({ context, env, ...bounds });
      return { kube, cluster };
    },
    async scenarios() {
      return Object.fromEntries((await load()).bundles.map((b) => [b.scenario.id, b.scenario]));
    },
    async bundle(id) {
      const found = (await load()).bundles.find((b) => b.scenario.id === id);
      if (!found) throw new GamedayAppError(`no scenario "${id}"`, `Known scenarios: ${(await load()).scenarios.map((s) => s.id).join(', ')}. A scenario of your own pack: pass the same --scenarios DIR as to gameday create.`);
      return found;
    },
    randomBytes: overrides.randomBytes ?? ((count) => globalThis.crypto.getRandomValues(new Uint8Array(count))),
    async serveWebBoard(serverOptions) {
      return (await import('../adapters/webBoard.js')).startWebBoardServer(serverOptions);
    },
  };
}
