/**
 * The hint on screen: its text as the lab returned it. For a scenario of the instructor's pack
 * (packs in a room) the text comes from the board, not from the picker's copy; a resumed lab
 * asks again for the hint already taken (the lab does not count it twice).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Scenario } from '../../core/scenario.js';
import { pick, type Text } from '../../core/text.js';
import { hintLabel } from '../screens/lab.js';
import type { HookDeps } from './deps.js';

type Lab = NonNullable<HookDeps['flowRef']['current']['lab']>;
const keyOf = (lab: Lab, index: number) => `${lab.target.namespace}/${lab.target.instance ?? lab.scenarioId}#${index}`;

export function useHintText({ services, lang, flowRef }: HookDeps, lab: Lab | undefined, scenario: Scenario | undefined) {
  const [texts, setTexts] = useState<Record<string, Text>>({});
  const asked = useRef(new Set<string>());
  const ask = useCallback(
    (target: Lab['target'], key: string, index: number) => {
      asked.current.add(key);
      return services.hint(target, index).then((shown) => {
        const text = (shown as { text?: Text } | undefined)?.text;
        if (text) setTexts((all) => ({ ...all, [key]: text }));
      });
    },
    [services],
  );
  const shownKey = lab && lab.hintsShown > 0 ? keyOf(lab, lab.hintsShown - 1) : undefined;
  useEffect(() => {
    const current = flowRef.current.lab;
    if (!current || !shownKey || asked.current.has(shownKey)) return;
    ask(current.target, shownKey, current.hintsShown - 1).catch(() => undefined);
  }, [shownKey]);
  const text = shownKey && lab ? (texts[shownKey] ?? scenario?.hints[lab.hintsShown - 1]) : undefined;
  return {
    hint: lab && scenario && text ? { label: hintLabel(lang, lab.hintsShown, lab.hintCount), text: pick(text, lang) } : undefined,
    /** The `h` key: reveals the next hint (logged once per hint in a game); its text arrives with the answer. */
    reveal: (next: Lab) => ask(next.target, keyOf(next, next.hintsShown), next.hintsShown),
  };
}
