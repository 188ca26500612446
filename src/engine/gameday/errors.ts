/**
 * The game day's failures, as the engine's one error type (engine/errors.ts LabError): one
 * family, two constructors, so every game-day rule says which of the two it is.
 */
import { LabError } from '../errors.js';

/** A game that cannot be provisioned as asked; `details` lists the reasons (missing rights, risks). */
export function gameRefused(message: string, details: string[] = [], hint?: string): LabError {
  return new LabError(message, 'game-refused', hint, details);
}

/** A request about a game that cannot be met: no such game (kind no-game), team, scenario or instance. */
export function gameRequestError(message: string, hint?: string): LabError {
  return new LabError(message, /^no game "/.test(message) ? 'no-game' : 'game-request', hint);
}
