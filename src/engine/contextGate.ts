/**
 * The context rule, asked before anything changes a cluster: core/context.ts decideContext
 * decides, this asks (once per client run) and refuses in one set of words. The lab
 * (labApi.ts), the game day (app/gameday.ts) and prove (app/prove.ts) all go through it.
 */
import { decideContext } from '../core/context.js';
import type { Text } from '../core/text.js';
import { LabError } from './errors.js';

export type Confirm = (question: string, words?: Text) => Promise<boolean>;

export interface ContextGate {
  /** The context every adapter is given. */
  readonly context: string;
  /** Whether a change needs the user's yes first, and the question to ask (the lab UI asks it itself). */
  target(): { context: string; confirmQuestion?: string; confirmWords?: Text };
  /** The user said yes to target()'s question. */
  confirmed(): void;
  /** Resolves when the command may go on; LabError not-confirmed when it may not. */
  allow(mutating: boolean): Promise<void>;
}

/** The lab's hint; a caller whose context has no kind alternative gives its own. */
const DEFAULT_HINT: Text = { en: 'Pass --yes to confirm, or omit --context to use the kind cluster crashlab.', ko: '--yes로 확인하거나, --context를 빼고 kind 클러스터 crashlab을 쓰세요.' };

export function contextGate(requested: string | undefined, options: { yes: boolean; confirm?: Confirm; hint?: Text }): ContextGate {
  let confirmed = options.yes;
  const context = decideContext(requested, { mutating: false, yes: true }).context;
  return {
    context,
    target() {
      const decision = decideContext(requested, { mutating: true, yes: confirmed });
      return decision.allowed ? { context } : { context, confirmQuestion: decision.question, confirmWords: decision.questionWords };
    },
    confirmed() {
      confirmed = true;
    },
    async allow(mutating) {
      const decision = decideContext(requested, { mutating, yes: confirmed });
      if (decision.allowed) return;
      if (options.confirm && (await options.confirm(decision.question, decision.questionWords))) {
        confirmed = true;
        return;
      }
      throw new LabError(
        { en: `not touching context "${decision.context}" without confirmation`, ko: `확인 없이는 "${decision.context}" 컨텍스트를 건드리지 않습니다` },
        'not-confirmed',
        options.hint ?? DEFAULT_HINT,
      );
    },
  };
}
