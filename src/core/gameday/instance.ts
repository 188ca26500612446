/**
 * A scenario's broken workload made into an opaque game instance for one team: the Deployment
 * is named after the instance id and every object is labelled with the game and the instance,
 * never with the scenario id (a name or label that spells the scenario gives the answer away,
 * and one shared screenshot would spoil it for the room).
 */
import type { K8sObject } from '../k8s.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../k8s.js';
import { GAME_LABEL, INSTANCE_LABEL, TEAM_LABEL } from './events.js';

export interface InstanceTarget {
  game: string;
  team: string;
  namespace: string;
  instance: string;
  /** The scenario's workload Deployment (renamed to the instance id). */
  deployment: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function prepareInstance(objects: K8sObject[], target: InstanceTarget): K8sObject[] {
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [GAME_LABEL]: target.game, [TEAM_LABEL]: target.team, [INSTANCE_LABEL]: target.instance };
  return objects
    .filter((o) => o.kind !== 'Namespace')
    .map((original) => {
      const object = structuredClone(original);
      const own = Object.fromEntries(Object.entries(object.metadata.labels ?? {}).filter(([k]) => k !== 'crashlab.dev/scenario'));
      object.metadata = { ...object.metadata, namespace: target.namespace, labels: { ...own, ...labels } };
      if (object.kind === 'Deployment' && object.metadata.name === target.deployment) {
        object.metadata.name = target.instance;
        const spec = object.spec as Record<string, unknown>;
        // The instance label in the selector keeps two instances' pods apart in one namespace.
        if (isRecord(spec.selector)) spec.selector = { ...spec.selector, matchLabels: { ...(spec.selector.matchLabels as Record<string, string>), [INSTANCE_LABEL]: target.instance } };
      }
      const spec = object.spec;
      if (isRecord(spec) && isRecord(spec.template)) {
        const template = spec.template as { metadata?: { labels?: Record<string, string> } };
        const tl = Object.fromEntries(Object.entries(template.metadata?.labels ?? {}).filter(([k]) => k !== 'crashlab.dev/scenario'));
        template.metadata = { ...template.metadata, labels: { ...tl, ...labels } };
      }
      return object;
    });
}
