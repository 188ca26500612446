/**
 * Verify and debrief: runs the verification (cancellable), records each verdict as it arrives,
 * loads the debrief on a pass, scrolls it, resets the run.
 */
import { useEffect, useRef } from 'react';
import type { Progress } from '../../core/progress.js';
import { useSyncState } from './common.js';
import { clamp } from '../layout.js';
import { problemOf } from '../problem.js';
import type { DebriefState } from '../screens/state.js';
import { isAbort, type HookDeps } from './deps.js';
import { t } from '../i18n.js';
import type { TerminalControl } from '../terminal.js';

export function useVerify(
  { services, clock, dispatch, flowRef, lang }: HookDeps,
  options: { labKey: string | undefined; onSaved: (progress: Progress) => void; debriefBounds: () => { maxOffset: number; page: number }; terminal: TerminalControl },
) {
  const abort = useRef<AbortController | undefined>(undefined);
  const [debrief, setDebrief] = useSyncState<DebriefState>({ offset: 0, saved: false });
  useEffect(() => setDebrief({ offset: 0, saved: false }), [options.labKey]);
  // Unmounted by a signal or a crash: stop the kubectl children before the process goes.
  useEffect(() => () => abort.current?.abort(), []);
  const pollStop = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => pollStop.current?.(), [options.labKey]);

  function start() {
    const lab = flowRef.current.lab;
    if (!lab || lab.verifying) return;
    const controller = new AbortController();
    abort.current = controller;
    dispatch({ type: 'verify-started' });
    services
      .verify(lab.target, { signal: controller.signal, onProgress: (p) => dispatch({ type: 'verify-progress', progress: p }) })
      // A verdict that arrives after the learner cancelled is not theirs to keep.
      .then((verdict) => dispatch(controller.signal.aborted ? { type: 'verify-cancelled' } : { type: 'verify-finished', verdict, at: clock() }))
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) dispatch({ type: 'verify-cancelled' });
        else {
          const p = problemOf(error, lang);
          dispatch({
            type: 'verify-finished',
            at: clock(),
            verdict: { outcome: 'unable', summary: p.message, evidence: p.hint ? [p.hint] : [], guards: [], windowSeconds: 0, windowReasons: [], elapsedSeconds: 0 },
          });
        }
      })
      .finally(() => {
        if (abort.current === controller) abort.current = undefined;
      });
  }

  // A verdict is saved as soon as it arrives; the debrief loads its data on a pass.
  const verdictAt = flowRef.current.lab?.verdictAt;
  useEffect(() => {
    const l = flowRef.current.lab;
    if (!l?.verdict || l.verdictAt === undefined) return;
    const outcome = l.verdict.outcome;
    setDebrief((d) => ({ ...d, saved: false, saveError: undefined }));
    services
      .recordVerdict(l.target, outcome, { seconds: Math.round((l.verdictAt - l.startedAt) / 1000), hintsUsed: l.hintsShown })
      .then((p) => {
        options.onSaved(p);
        setDebrief((d) => ({ ...d, saved: true }));
      })
      .catch((error: unknown) => setDebrief((d) => ({ ...d, saveError: problemOf(error, lang) })));
    if (outcome === 'pass' && services.inGame) {
      // The team's score is the board's (its verdict comes after its own window): ask until it is in.
      let stopped = false;
      const poll = async (tries: number) => {
        const team = await services.teamScore().catch(() => undefined);
        if (stopped || !team) return;
        const pending = !team.instances.some((i) => i.instance === l.target.instance && i.verified);
        setDebrief((d) => ({ ...d, team: { score: team.score, pending } }));
        if (pending && tries > 0) setTimeout(() => void poll(tries - 1), 5000);
      };
      void poll(36);
      pollStop.current = () => (stopped = true);
    }
    if (outcome === 'pass') {
      services
        .debrief(l.target)
        .then((data) => setDebrief((d) => ({ ...d, data })))
        .catch((error: unknown) => setDebrief((d) => ({ ...d, error: problemOf(error, lang) })));
    }
  }, [verdictAt]);

  const scroll = (rows: number) => setDebrief((d) => ({ ...d, offset: clamp(d.offset + rows, 0, options.debriefBounds().maxOffset) }));

  return {
    debrief,
    start,
    cancel: () => abort.current?.abort(),
    abortAll: () => abort.current?.abort(),
    scroll,
    page: (direction: number) => scroll(direction * options.debriefBounds().page),
    /** Game mode: the team's note, written in $EDITOR, into the team's log. */
    async writeNote() {
      try {
        const edited = await options.terminal.handOver(() => services.editText(t(lang, 'debrief.noteTemplate'), 'team-note.md'));
        if (edited.status === 'failed') return setDebrief((d) => ({ ...d, note: { ok: false, text: edited.error } }));
        const text = edited.status === 'saved' ? edited.text.split('\n').filter((line) => !line.startsWith('#')).join('\n').trim() : '';
        if (!text) return setDebrief((d) => ({ ...d, note: { ok: false, text: t(lang, 'debrief.noteEmpty') } }));
        // The run on screen, never whichever ran last.
        await services.note(text, flowRef.current.lab?.target);
        setDebrief((d) => ({ ...d, note: { ok: true, text: t(lang, 'debrief.noteSaved') } }));
      } catch (error) {
        setDebrief((d) => ({ ...d, note: { ok: false, text: problemOf(error, lang).message } }));
      }
    },
    reset() {
      const target = flowRef.current.lab?.target;
      if (!target) return;
      services
        .reset(target)
        .then(() => setDebrief((d) => ({ ...d, resetDone: target.namespace })))
        .catch((error: unknown) => setDebrief((d) => ({ ...d, error: problemOf(error, lang) })));
    },
  };
}
