/**
 * The status line's "the cluster is slow to answer" notice: the oldest kubectl call still
 * waiting, with its seconds so far (or "waiting for" a call that waits on purpose). Calls come and go at any rate; the notice is recomputed at
 * most every THROTTLE_MS after a change and once a second while a call waits, and React only
 * renders when its text changed: no re-render storm from a flapping cluster.
 */
import { useEffect, useState } from 'react';
import type { Lang } from '../../core/text.js';
import type { LabClient } from '../client.js';
import { formatDuration, t } from '../i18n.js';
import type { SlowCall } from '../slowCallStore.js';

export const THROTTLE_MS = 250;
const TICK_MS = 1000;

/** The oldest call the cluster is slow to answer, else the oldest that waits on purpose; the others counted. */
export function slowNotice(calls: readonly SlowCall[], now: number, lang: Lang): string | undefined {
  if (calls.length === 0) return undefined;
  const oldest = (list: readonly SlowCall[]) => list.reduce((a, b) => (b.since < a.since ? b : a));
  const slow = calls.filter((c) => !c.waits);
  const shown = oldest(slow.length > 0 ? slow : calls);
  const more = calls.length > 1 ? t(lang, 'slow.more', { n: calls.length - 1 }) : '';
  return t(lang, shown.waits ? 'slow.waiting' : 'slow.cluster', { command: shown.command, s: formatDuration(Math.floor((now - shown.since) / 1000)), more });
}

export function useSlowNotice(services: LabClient, lang: Lang, clock: () => number): string | undefined {
  const [notice, setNotice] = useState<string | undefined>(undefined);
  useEffect(() => {
    let calls: readonly SlowCall[] = [];
    let pending: NodeJS.Timeout | undefined;
    let ticker: NodeJS.Timeout | undefined;
    const show = () => {
      setNotice(slowNotice(calls, clock(), lang));
      if (calls.length > 0 && !ticker) ticker = setInterval(show, TICK_MS);
      if (calls.length === 0 && ticker) {
        clearInterval(ticker);
        ticker = undefined;
      }
    };
    const unsubscribe = services.watchSlowCalls((now) => {
      calls = now;
      pending ??= setTimeout(() => {
        pending = undefined;
        show();
      }, THROTTLE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(pending);
      clearInterval(ticker);
    };
  }, [services, lang, clock]);
  return notice;
}
