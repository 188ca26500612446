import { describe, expect, it } from 'vitest';
import { decideContext, scenarioNamespace } from '../../../src/core/context.js';

describe('decideContext', () => {
  it('uses kind-crashlab by default without asking', () => {
    expect(decideContext(undefined, { mutating: true, yes: false })).toEqual({ context: 'kind-crashlab', allowed: true });
  });
  it('asks before changing any other context', () => {
    const decision = decideContext('prod-eks', { mutating: true, yes: false });
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.question).toMatch(/prod-eks.*managed-by=crashlab/);
  });
  it('accepts --yes, and does not ask for read-only commands', () => {
    expect(decideContext('prod-eks', { mutating: true, yes: true }).allowed).toBe(true);
    expect(decideContext('prod-eks', { mutating: false, yes: false }).allowed).toBe(true);
  });
  it('names scenario namespaces crashlab-<id>', () => {
    expect(scenarioNamespace('oom')).toBe('crashlab-oom');
    expect(scenarioNamespace('oom', 'alice')).toBe('alice-oom');
  });
});
