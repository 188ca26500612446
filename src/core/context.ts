/**
 * Which kubeconfig context crashlab may touch. crashlab creates and deletes namespaces, so
 * anything but its own kind cluster needs the learner's explicit word.
 */
export const DEFAULT_CLUSTER_NAME = 'crashlab';
export const DEFAULT_CONTEXT = `kind-${DEFAULT_CLUSTER_NAME}`;

export type ContextDecision =
  | { context: string; allowed: true }
  | { context: string; allowed: false; needsConfirmation: true; question: string };

export function decideContext(requested: string | undefined, options: { mutating: boolean; yes: boolean }): ContextDecision {
  const context = requested ?? DEFAULT_CONTEXT;
  if (context === DEFAULT_CONTEXT || !options.mutating || options.yes) return { context, allowed: true };
  return {
    context,
    allowed: false,
    needsConfirmation: true,
    question: `Context "${context}" is not crashlab's own kind cluster. crashlab will create and delete namespaces labelled app.kubernetes.io/managed-by=crashlab there (never anything else). Continue?`,
  };
}

/** crashlab-<id> by default; a prefix lets game days give each participant their own. */
export function scenarioNamespace(scenarioId: string, prefix = 'crashlab'): string {
  return `${prefix}-${scenarioId}`;
}
