/**
 * `gameday create`'s network-isolation check: a probe pair of pods (core/gameday/netpolProbe.ts),
 * bounded in time, always removed after. Run after the teams exist (their NetworkPolicy is what
 * is probed); `--no-network-probe` skips it, a dry run never runs it.
 */
import { netpolMessage, netpolVerdict, probeClient, probeNamespaces, probeSelector, probeServer, PROBE_CLIENT, PROBE_PEER, PROBE_SERVER, type NetpolVerdict } from '../../core/gameday/netpolProbe.js';
import type { Clock } from '../../ports/clock.js';
import type { GameCluster } from '../../ports/gameCluster.js';

export interface NetpolProbeResult {
  verdict: NetpolVerdict;
  message: string;
  /** Namespaces of the server and client pods. */
  server: string;
  client: string;
  ms: number;
}

/** The whole probe (two pod starts and a connect timeout) gives up after this long. */
export const PROBE_BUDGET_MS = 25_000;
const POLL_MS = 250;

type PodState = { podIP?: string; ready: boolean; exitCode?: number; waiting?: string };

function stateOf(pod: unknown): PodState {
  const status = ((pod as { status?: unknown } | undefined)?.status ?? {}) as { podIP?: string; conditions?: { type?: string; status?: string }[]; containerStatuses?: { state?: { terminated?: { exitCode?: number }; waiting?: { reason?: string } } }[] };
  const container = status.containerStatuses?.[0]?.state;
  return {
    podIP: status.podIP,
    ready: Boolean(status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    exitCode: container?.terminated?.exitCode,
    waiting: container?.waiting?.reason,
  };
}

export async function probeNetworkPolicy(deps: { cluster: GameCluster; clock: Clock; budgetMs?: number }, game: string, teams: string[]): Promise<NetpolProbeResult> {
  const { cluster, clock } = deps;
  const started = clock.now();
  const deadline = started + (deps.budgetMs ?? PROBE_BUDGET_MS);
  const where = probeNamespaces(game, teams);
  const selector = probeSelector(game);
  const finish = (verdict: NetpolVerdict, detail?: string): NetpolProbeResult => ({ verdict, message: netpolMessage(verdict, where, detail), ...where, ms: clock.now() - started });
  // Polls until `done` answers or the budget is spent (a clock that never moves ends too: the
  // poll count is bounded by the budget as well).
  const poll = async (namespace: string, name: string, done: (s: PodState) => boolean): Promise<PodState | undefined> => {
    for (let polls = 0; clock.now() < deadline && polls * POLL_MS < (deps.budgetMs ?? PROBE_BUDGET_MS); polls++) {
      const state = stateOf(await cluster.getObject(namespace, 'pod', name));
      if (done(state)) return state;
      if (state.waiting && /ErrImage|ImagePull|InvalidImage|CreateContainer/.test(state.waiting)) return state;
      await clock.sleep(POLL_MS);
    }
    return undefined;
  };
  const remove = async () => {
    await Promise.allSettled([where.server, where.client].map((ns) => cluster.deleteManagedObjects(ns, selector, ['pods'], { wait: false })));
  };
  try {
    await remove(); // a probe left by an interrupted create
    await cluster.applyObjects([probeServer(game, where.server)]);
    const server = await poll(where.server, PROBE_SERVER, (s) => s.ready && Boolean(s.podIP));
    if (!server?.podIP || !server.ready) return finish('unknown', server?.waiting ? `the probe server could not start (${server.waiting})` : `the probe server was not ready within ${Math.round((deps.budgetMs ?? PROBE_BUDGET_MS) / 1000)} s`);
    // Both clients at once: the peer in the server's namespace, the client across the policy.
    await cluster.applyObjects([probeClient(game, where.server, server.podIP, 'peer'), probeClient(game, where.client, server.podIP)]);
    const [peer, client] = await Promise.all([poll(where.server, PROBE_PEER, (s) => s.exitCode !== undefined), poll(where.client, PROBE_CLIENT, (s) => s.exitCode !== undefined)]);
    const unfinished = (state: PodState | undefined, what: string) => finish('unknown', state?.waiting ? `the probe ${what} could not start (${state.waiting})` : `the probe ${what} did not finish in time`);
    if (peer?.exitCode === undefined) return unfinished(peer, 'peer');
    if (client?.exitCode === undefined) return unfinished(client, 'client');
    const { verdict, detail } = netpolVerdict(peer.exitCode, client.exitCode);
    return finish(verdict, detail);
  } catch (error) {
    return finish('unknown', error instanceof Error ? error.message.split('\n')[0] : String(error));
  } finally {
    await remove();
  }
}
