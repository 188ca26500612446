/** The terminal's hand-over to $EDITOR: the lab's input is off until the editor is done. */
import { useEffect, useRef, useState } from 'react';
import type { TerminalControl } from '../terminal.js';

export type HandOverTerminal = TerminalControl & { setInputSuspended?: (suspended: boolean) => Promise<void> };

/** Whether input is suspended now; the terminal's setInputSuspended resolves once the lab rendered the change. */
export function useTerminalHandOver(terminal: HandOverTerminal): boolean {
  const [suspended, setSuspended] = useState(false);
  const suspendResolve = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (!terminal.setInputSuspended) return;
    (terminal as { setInputSuspended: (s: boolean) => Promise<void> }).setInputSuspended = (value: boolean) =>
      new Promise<void>((resolve) => {
        suspendResolve.current = resolve;
        setSuspended(value);
      });
  }, [terminal]);
  useEffect(() => {
    suspendResolve.current?.();
    suspendResolve.current = undefined;
  }, [suspended]);
  return suspended;
}
