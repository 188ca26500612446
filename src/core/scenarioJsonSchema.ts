/**
 * The JSON Schema of scenario.yaml, generated from the zod schema (one source), with the
 * descriptions an editor shows: which fields are regular expressions, which values Kubernetes
 * can report. The build writes it to dist/scenario.schema.json; scaffolded YAML points at it.
 */
import { z } from 'zod';
import { HINT_COUNT, KNOWN_EVENT_REASONS, KNOWN_TERMINATED_REASONS, KNOWN_WAITING_REASONS, scenarioSchema } from './scenario.js';

const REGEX = 'A JavaScript regular expression (escape ( ) [ ] . ? + * to match them literally).';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, any>;
  const props = schema.properties;
  const expect = props.expect.properties;
  const describe = (node: Record<string, any> | undefined, text: string) => {
    if (node) node.description = text;
  };
  describe(props.images, 'Every image the manifests run, pinned (name:tag, no :latest). Checked against the manifests; `crashlab images` lists them.');
  describe(props.hints, `Exactly ${HINT_COUNT}: a nudge, the evidence, the fix.`);
  describe(props.shared, 'true when it runs as designed in a game-day team namespace (Pod Security baseline, quota); default false.');
  describe(expect.waitingMessage, `state.waiting.message must match. ${REGEX}`);
  describe(expect.lastTerminated?.properties?.message, `lastState.terminated.message must match. ${REGEX}`);
  describe(expect.previousLog, `The previous container log must match. ${REGEX}`);
  describe(expect.waitingReasons, `One of: ${KNOWN_WAITING_REASONS.join(', ')}.`);
  describe(expect.events, `Warning event reasons, from: ${KNOWN_EVENT_REASONS.join(', ')}.`);
  describe(expect.lastTerminated?.properties?.reason, `One of: ${KNOWN_TERMINATED_REASONS.join(', ')}.`);
  describe(props.verify?.properties?.requireChange, 'true (or {because: {en, ko}}) when the broken workload heals by itself if left alone: verify then fails while its pod template is still the broken one. Default false.');
  describe(expect.firstSymptomWithin, 'At most 30s; within must be at least this.');
  return { $id: 'https://crashlab.dev/scenario.schema.json', title: 'crashlab scenario.yaml', ...schema };
}
