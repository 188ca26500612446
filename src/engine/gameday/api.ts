/**
 * The instructor's game-day API, like the lab's (labApi.ts): every game-day rule behind one
 * object, over ports the composition root (app/gameday.ts) fills in. One module per action
 * family (provisioning, running, results, the live board); this file only assembles them. The
 * CLI's `gameday` commands parse flags, call one of these and print what comes back.
 */
import { validateGameName } from '../../core/gameday/names.js';
import type { GamedayPorts, LiveBoardOptions } from './apiTypes.js';
import { openLiveBoard } from './liveBoard.js';
import { provisioningActions } from './provisioningActions.js';
import { resultActions } from './resultActions.js';
import { runningActions } from './runningActions.js';

export type { CreateInput, GamedayPorts, GamePlanned, LiveBoard, LiveBoardOptions } from './apiTypes.js';
export { CONTROLS } from './runningActions.js';

export function createGameday(ports: GamedayPorts) {
  const results = resultActions(ports);
  return {
    clock: ports.clock,
    context: ports.context,
    /** The game name, by the one rule (core/gameday/names.ts). */
    checkGame: (game: string): string => validateGameName(game),
    ...provisioningActions(ports, results),
    ...runningActions(ports),
    ...results,
    board: (game: string, options: LiveBoardOptions) => openLiveBoard(ports, game, options),
  };
}

export type GamedayApi = ReturnType<typeof createGameday>;
