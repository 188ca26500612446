/**
 * Each scenario's `expect` against what a real cluster showed for its broken manifest
 * (test/fixtures/scenarios/observed, captured from kubectl). The cluster suite re-checks this
 * live; this keeps scenario edits honest between cluster runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog, packageRoot } from '../../src/adapters/scenarios.js';
import type { KubeEvent, List, Pod } from '../../src/core/k8s.js';
import { matchSignature, observeSignature } from '../../src/core/signature.js';
import { diagnose } from '../../src/core/diagnose.js';

const OBSERVED = fileURLToPath(new URL('../fixtures/scenarios/observed', import.meta.url));
const catalog = await loadCatalog(packageRoot());

function read<T>(id: string, file: string): T {
  return JSON.parse(readFileSync(join(OBSERVED, id, file), 'utf8')) as T;
}

// A scenario added to the tree has no snapshot until someone runs it on a cluster: said, not failed.
const captured = catalog.scenarios.filter((s) => existsSync(join(OBSERVED, s.id)));
const uncaptured = catalog.scenarios.filter((s) => !existsSync(join(OBSERVED, s.id))).map((s) => s.id);
if (uncaptured.length) {
  console.warn(
    `crashlab: no observed snapshot yet for ${uncaptured.join(', ')}: their expect: is checked only on a cluster. Capture one with\n` +
      `  node test/cluster/suite.mjs --only ${uncaptured.join(',')} --capture test/fixtures/scenarios/observed`,
  );
}

describe('scenario expectations against real kubectl output', () => {
  it.skip.each(uncaptured)('%s: no observed snapshot yet (see the note above for how to capture one)', () => {});

  it.each(captured.map((s) => [s.id, s] as const))('%s breaks the way its scenario.yaml says', (id, scenario) => {
    // The newest pod of the workload, as `crashlab status` reads it (a rollout over a history
    // also has the old version's pods).
    const pods = read<List<Pod>>(id, 'pods.json')
      .items.filter((p) => p.metadata.labels?.app === scenario.workload.deployment)
      .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
    expect(pods.length).toBeGreaterThan(0);
    const events = read<List<KubeEvent>>(id, 'events.json').items;
    const previousLog = readFileSync(join(OBSERVED, id, 'previous.log'), 'utf8');
    const status = readFileSync(join(OBSERVED, id, 'status.txt'), 'utf8').trim();
    const observed = observeSignature(pods[0], scenario.expect.container, events, previousLog, status);
    const { checks } = matchSignature(scenario.expect, observed);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    // A signature names at least three things (a pod that never crashes, like readiness-failure's
    // Running + no restarts + Unhealthy, has fewer fields to name than a crash loop).
    expect(checks.length).toBeGreaterThanOrEqual(3);
  });

  // The lab asks the learner to name the cause; the diagnosis engine must name the same one
  // from the same real snapshot (the cluster suite re-checks this live).
  it.each(captured.map((s) => [s.id, s] as const))('%s: diagnosis names its category from the snapshot', (id, scenario) => {
    const pods = read<List<Pod>>(id, 'pods.json').items.filter((p) => p.metadata.labels?.app === scenario.workload.deployment);
    const events = read<List<KubeEvent>>(id, 'events.json').items;
    const previousLog = readFileSync(join(OBSERVED, id, 'previous.log'), 'utf8');
    const top = diagnose({ pods, events, logs: { [scenario.expect.container]: previousLog } }).findings[0];
    expect(top?.category).toBe(scenario.category);
  });
});
