import type { Lang } from '../../core/text.js';
import type { LabClient } from '../client.js';
import type { FlowAction, FlowState } from '../flow.js';

/** What every screen hook is handed by the root component. */
export interface HookDeps {
  services: LabClient;
  lang: Lang;
  clock: () => number;
  dispatch: (action: FlowAction) => void;
  flowRef: { readonly current: FlowState };
}

export const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';
