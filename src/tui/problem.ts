/** Failures as words for the learner: what went wrong and, when known, what to do next. */
import { errorWords, type Lang } from '../core/text.js';

export interface Problem {
  message: string;
  hint?: string;
  /** The game is over for this team (its token expired or the game ended): the lab says so and stops. */
  gameOver?: boolean;
}

/** Any rejection as words for the learner, in their language when the error carries it: the message, and the next step when known. */
export function problemOf(error: unknown, lang: Lang = 'en'): Problem {
  if (error instanceof Error) {
    const { message, hint } = errorWords(error, lang);
    const gameOver = (error as { kind?: unknown }).kind === 'game-over';
    return { message: message.split('\n')[0] || error.name, hint, ...(gameOver ? { gameOver } : {}) };
  }
  return { message: String(error) };
}

