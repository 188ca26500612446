/**
 * Naming a workload: `--workload KIND/NAME` and the scenario file's `workload:` (kind + name,
 * or the original `deployment:`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../src/core/scenario.js';
import { parseWorkloadRef } from '../../../../src/core/verify/workload.js';

const shipped = () => yaml.load(readFileSync(fileURLToPath(new URL('../../../../scenarios/tight-liveness/scenario.yaml', import.meta.url)), 'utf8')) as Record<string, any>;

describe('parseWorkloadRef', () => {
  it('reads kubectl short and long kind names', () => {
    expect(parseWorkloadRef('deploy/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadRef('deployment.apps/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadRef('sts/db')).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(parseWorkloadRef('daemonsets/agent')).toEqual({ kind: 'DaemonSet', name: 'agent' });
    expect(parseWorkloadRef('job/migrate-1')).toEqual({ kind: 'Job', name: 'migrate-1' });
  });

  it('refuses what verify cannot judge', () => {
    for (const raw of ['web', 'pod/web', 'cronjob/nightly', 'deploy/', 'deploy/Web', 'deploy/a/b']) expect(parseWorkloadRef(raw), raw).toBeUndefined();
  });
});

describe('scenario workload', () => {
  it('keeps `deployment:` working and fills kind and name from it', () => {
    const result = parseScenario(shipped());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.scenario.workload).toEqual({ kind: 'Deployment', name: 'search-api', deployment: 'search-api', container: 'app' });
      expect(result.scenario.verify.deployment).toBe('search-api');
    }
  });

  it('accepts a Job named with kind + name, and verify.deployment defaults to it', () => {
    const raw = shipped();
    raw.workload = { kind: 'Job', name: 'migrate', container: 'migrate' };
    delete raw.verify.deployment;
    raw.guards = [];
    const result = parseScenario(raw);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.scenario.workload).toMatchObject({ kind: 'Job', name: 'migrate' });
      expect(result.scenario.verify.deployment).toBe('migrate');
    }
  });

  it('says what is wrong with a workload it cannot name', () => {
    const problems = (workload: unknown) => {
      const raw = shipped();
      raw.workload = workload;
      const result = parseScenario(raw);
      return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems({ container: 'app' })).toEqual(['workload.name: the workload needs a name (name:, or deployment: for a Deployment)']);
    expect(problems({ kind: 'Job', deployment: 'x', container: 'app' })).toEqual(['workload.deployment: deployment: names a Deployment; name a Job with name:']);
    expect(problems({ kind: 'CronJob', name: 'x', container: 'app' })[0]).toMatch(/^workload.kind: /);
  });
});
