/**
 * The composition root of `crashlab prove`: the packs (every file validated), the scenarios
 * asked for, the context rule (a non-kind context needs confirmation, as for every command that
 * creates namespaces), and the prover adapter that drives crashlab and kubectl.
 */
import { join } from 'node:path';
import { contextGate } from '../engine/contextGate.js';
import { LabError } from '../engine/errors.js';
import type { Text } from '../core/text.js';
import { physicalMinimumSeconds, proveReport, type ProveCheck, type ProveRow } from '../core/prove.js';
import { loadPacks } from '../adapters/packs.js';
import { packageRoot } from '../adapters/scenarios.js';
import { prove, type ProveTarget } from '../adapters/prover.js';
import type { AppOptions, AppOverrides } from './compose.js';
import { contentRootOf } from './readOnly.js';

export interface ProveRequest {
  ids: string[];
  jobs: number;
  capture?: string;
  bystander?: string;
  kubectl?: string;
  onLine: (line: string) => void;
  confirm?: (question: string, words?: Text) => Promise<boolean>;
}

export interface ProveOutcome {
  ok: boolean;
  context: string;
  rows: ProveRow[];
  checks: ProveCheck[];
  versions: string;
  seconds: number;
  /** Sum over the proven scenarios of first symptom + verify window: no cluster can be faster. */
  minimumSeconds: number;
  markdown: string;
}

export async function runProve(options: AppOptions, overrides: AppOverrides, request: ProveRequest): Promise<ProveOutcome> {
  const gate = contextGate(options.context, { yes: options.yes, confirm: request.confirm, hint: { en: 'Pass --yes to confirm.', ko: '--yes로 확인하세요.' } });
  await gate.allow(true);
  const dirs = options.scenarioDirs ?? [];
  const catalog = await loadPacks(contentRootOf(overrides), dirs, { sources: true });
  const wanted = request.ids.length ? request.ids : catalog.scenarios.map((s) => s.id);
  const unknown = wanted.filter((id) => !catalog.scenarios.some((s) => s.id === id));
  if (unknown.length) {
    const invalid = catalog.problems.filter((p) => p.scenario && unknown.includes(p.scenario));
    throw new LabError(
      `no valid scenario ${unknown.map((id) => `"${id}"`).join(', ')}${invalid.length ? ` (${invalid.length} problem(s): run crashlab validate)` : ''}`,
      'unknown-scenario',
      `Known scenarios: ${catalog.scenarios.map((s) => s.id).join(', ')}.`,
    );
  }
  const targets: ProveTarget[] = wanted.map((id) => {
    const b = catalog.bundles.find((x) => x.scenario.id === id)!;
    const pack = catalog.packOf[id];
    return {
      scenario: b.scenario,
      solution: b.solution,
      notQuiteFixes: b.notQuiteFixes ?? (b.notQuiteFix ? [{ name: 'not-quite-fix', objects: b.notQuiteFix }] : []),
      ...(pack && !pack.builtIn ? { pack: pack.name } : {}),
    };
  });
  const env = overrides.env ?? process.env;
  const result = await prove(targets, {
    bin: join(packageRoot(), 'bin', 'crashlab.js'),
    context: gate.context,
    kubeconfig: options.kubeconfig,
    kubectl: request.kubectl ?? env.KUBECTL,
    scenarioDirs: dirs,
    jobs: request.jobs,
    capture: request.capture,
    bystander: request.bystander,
    env,
    onLine: request.onLine,
    signal: overrides.signal,
  });
  const minimumSeconds = targets.reduce((sum, t) => sum + physicalMinimumSeconds(t.scenario, result.rows.find((r) => r.id === t.scenario.id)), 0);
  const markdown = proveReport(result.rows, result.checks, { date: new Date().toISOString(), versions: result.versions, context: gate.context, seconds: result.seconds, jobs: request.jobs, minimumSeconds });
  const ok = result.checks.length > 0 && result.checks.every((c) => c.ok) && result.rows.length === targets.length;
  return { ok, context: gate.context, ...result, minimumSeconds, markdown };
}
