/**
 * A running game: rounds (`start`), injected faults, the instructor's controls (freeze, reveal,
 * pause, resume) and a team's reset.
 */
import type { BoardControl } from '../../core/gameday/board.js';
import { nextRoundScenario, pauseClock, resumeClock, type GameMeta } from '../../core/gameday/game.js';
import { validateGameName } from '../../core/gameday/names.js';
import type { GameCluster } from '../../ports/gameCluster.js';
import type { GamedayPorts } from './apiTypes.js';
import { readGameMeta, releaseScenario, updateGameMeta, type ReleaseResult } from './control.js';
import { gameRequestError } from './errors.js';
import { resetTeam, type ResetTeamResult } from './resetTeam.js';

// The instructor's controls: one field of the game metadata each, so every board (Ink, web,
// --json) and every browser sees the same state.
export const CONTROLS: { name: BoardControl; description: string; change: (meta: GameMeta, nowMs: number) => boolean; done: string; already: string }[] = [
  { name: 'freeze', description: "hide the standings from the room's screens (the instructor's board still shows them)", change: (m) => (m.frozen ? false : ((m.frozen = true), true)), done: 'standings frozen: the room sees no scores until `gameday reveal`', already: 'already frozen' },
  { name: 'reveal', description: 'show the standings to the room again (after a freeze)', change: (m) => (m.frozen ? ((m.frozen = false), true) : false), done: 'standings revealed to the room', already: 'not frozen' },
  { name: 'pause', description: 'stop the game clock (teams keep working; the end moves by the pause)', change: (m, now) => pauseClock(m, now), done: 'game clock paused', already: 'not started or already paused' },
  { name: 'resume', description: 'restart the game clock where it stopped', change: (m, now) => resumeClock(m, now), done: 'game clock resumed', already: 'not paused' },
];

/** One control applied to the game's metadata, in words. */
export async function applyControl(ports: GamedayPorts, cluster: GameCluster, game: string, name: BoardControl): Promise<string> {
  const control = CONTROLS.find((c) => c.name === name)!;
  let changed = false;
  await updateGameMeta(cluster, game, (meta) => {
    changed = control.change(meta, ports.clock.now());
  });
  return `game ${game}: ${changed ? control.done : `nothing to do (${control.already})`}`;
}

export function runningActions(ports: GamedayPorts) {
  const { clock } = ports;

  async function release(game: string, id: string, via: 'round' | 'inject', team: string | undefined, keep: boolean | undefined, onTeam?: (team: string, instance: string) => void) {
    const { kube, cluster } = await ports.open(true);
    const bundle = await ports.bundle(id);
    const result = await releaseScenario({ cluster, kube, clock, game, bundle, via, team, keepPrevious: keep, random: (n) => ports.randomBytes(n), onTeam });
    return { game, scenario: id, via, ...result };
  }

  return {
    /** A round: the named scenario, or the next offered one nobody played yet. */
    async start(game: string, options: { scenario?: string; keep?: boolean; onTeam?: (team: string, instance: string) => void }): Promise<ReleaseResult & { game: string; scenario: string; via: 'round' | 'inject' }> {
      validateGameName(game);
      let id = options.scenario;
      if (!id) {
        const { cluster } = await ports.open(true);
        const { meta } = await readGameMeta(cluster, game);
        id = nextRoundScenario(meta, Object.keys(await ports.scenarios()));
        if (!id) throw gameRequestError(`every scenario offered in ${game} was already played (a round or an injected fault)`, 'Name one with --scenario.');
      }
      return release(game, id, 'round', undefined, options.keep, options.onTeam);
    },

    /** A fault mid-game, into every team's namespace or one team's. */
    inject(game: string, scenario: string, options: { team?: string; onTeam?: (team: string, instance: string) => void }) {
      validateGameName(game);
      return release(game, scenario, 'inject', options.team, true, options.onTeam);
    },

    /** freeze / reveal / pause / resume: what was done, in words. */
    async control(game: string, name: BoardControl): Promise<string> {
      validateGameName(game);
      const { cluster } = await ports.open(true);
      return applyControl(ports, cluster, game, name);
    },

    async resetTeam(game: string, team: string, instance?: string): Promise<ResetTeamResult> {
      validateGameName(game);
      const { kube, cluster } = await ports.open(true);
      return resetTeam({ cluster, kube, clock, game, team, instance, bundle: (id) => ports.bundle(id) });
    },
  };
}
