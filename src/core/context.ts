/**
 * Which kubeconfig context crashlab may touch. crashlab creates and deletes namespaces, so
 * anything but its own kind cluster needs the learner's explicit word.
 */
import type { Text } from './text.js';

export const DEFAULT_CLUSTER_NAME = 'crashlab';
export const DEFAULT_CONTEXT = `kind-${DEFAULT_CLUSTER_NAME}`;

export type ContextDecision =
  | { context: string; allowed: true }
  | { context: string; allowed: false; needsConfirmation: true; question: string; questionWords: Text };

export function decideContext(requested: string | undefined, options: { mutating: boolean; yes: boolean }): ContextDecision {
  const context = requested ?? DEFAULT_CONTEXT;
  if (context === DEFAULT_CONTEXT || !options.mutating || options.yes) return { context, allowed: true };
  const question = `Context "${context}" is not crashlab's own kind cluster. crashlab will create and delete namespaces labelled app.kubernetes.io/managed-by=crashlab there (never anything else). Continue?`;
  return {
    context,
    allowed: false,
    needsConfirmation: true,
    question,
    questionWords: {
      en: question,
      ko: `"${context}" 컨텍스트는 crashlab 전용 kind 클러스터가 아닙니다. crashlab이 그곳에 app.kubernetes.io/managed-by=crashlab 레이블이 붙은 네임스페이스를 만들고 지웁니다(그 밖의 것은 건드리지 않습니다). 계속할까요?`,
    },
  };
}

/** crashlab-<id> by default; a prefix lets game days give each participant their own. */
export function scenarioNamespace(scenarioId: string, prefix = 'crashlab'): string {
  return `${prefix}-${scenarioId}`;
}
