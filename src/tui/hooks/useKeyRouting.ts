/**
 * Keys to the key table (bindings.ts). Keys typed while the screen changes (a deploy, the
 * catalog loading, a diagnosis being checked, start-up) wait for the screen that follows and act
 * there, in order; a transition that fails drops them (they were meant for a screen that did not come).
 */
import { useEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { activeBindings, type KeyContext } from '../bindings.js';
import type { FlowState } from '../flow.js';
import { route, splitChunk } from '../keys.js';

/** Keys kept while a screen changes; more than a burst of typing is not meant for the next screen. */
const MAX_PENDING_KEYS = 32;

export interface KeyRouting {
  flowRef: { readonly current: FlowState };
  /** Read at the moment of each key, so a burst acts on the state the previous key left. */
  keyContext: () => KeyContext;
  /** The screen is changing: keys wait. */
  inTransition: () => boolean;
  /** The transition failed: waiting keys are dropped. */
  transitionFailed: boolean;
  /** The filter field takes a pasted chunk as text; elsewhere each character is a key. */
  typing: () => boolean;
  /** The terminal is handed over (an editor runs). */
  suspended: boolean;
}

export function useKeyRouting({ flowRef, keyContext, inTransition, transitionFailed, typing, suspended }: KeyRouting): void {
  const pendingKeys = useRef<{ input: string; key: Key }[]>([]);
  const press = (one: { input: string; key: Key }) => {
    // Quitting never waits.
    const quitting = (one.key.ctrl && one.input === 'c') || (one.input === 'q' && !one.key.ctrl && !one.key.meta);
    if (!quitting && (pendingKeys.current.length || inTransition())) {
      if (pendingKeys.current.length < MAX_PENDING_KEYS) pendingKeys.current.push(one);
      return;
    }
    route(activeBindings(flowRef.current), keyContext(), one.input, one.key);
  };
  useEffect(() => {
    if (!pendingKeys.current.length) return;
    if (transitionFailed) {
      pendingKeys.current = [];
      return;
    }
    while (pendingKeys.current.length && !inTransition()) {
      const one = pendingKeys.current.shift()!;
      route(activeBindings(flowRef.current), keyContext(), one.input, one.key);
    }
  });
  useInput(
    (input: string, key: Key) => {
      for (const one of typing() ? [{ input, key }] : splitChunk(input, key)) press(one);
    },
    { isActive: !suspended },
  );
}
