/** The game is over for this team (token expired, game ended): whichever call found out first says so. */
import { useEffect } from 'react';
import type { FlowState } from '../flow.js';
import { problemOf, type Problem } from '../problem.js';
import type { HookDeps } from './deps.js';
import { TEAM_REFRESH_MS } from './usePicker.js';

export function useGameOver({ services, lang, dispatch }: HookDeps, flow: FlowState, problems: (Problem | undefined)[], teamRefreshMs: number | undefined): void {
  const over = problems.find((p) => p?.gameOver);
  useEffect(() => {
    if (over) dispatch({ type: 'game-over', message: over.message, hint: over.hint });
  }, [over]);
  // Away from the picker (which looks every few seconds anyway), a lab's watch can outlive the
  // game: one cheap read now and then finds out.
  const awayFromPicker = services.inGame && flow.screen !== 'picker' && flow.screen !== 'preflight' && !flow.gameOver;
  useEffect(() => {
    if (!awayFromPicker) return;
    let mounted = true;
    const timer = setInterval(() => {
      services.gameGoesOn().catch((error: unknown) => {
        const problem = problemOf(error, lang);
        if (mounted && problem.gameOver) dispatch({ type: 'game-over', message: problem.message, hint: problem.hint });
      });
    }, (teamRefreshMs ?? TEAM_REFRESH_MS) * 3);
    return () => {
      mounted = false;
      clearInterval(timer);
    };
  }, [awayFromPicker, services, teamRefreshMs]);
}
