/**
 * The append-only guard of a team's event log: the ValidatingAdmissionPolicy and binding one
 * game gets (pure builders). What they do on a real API server is proven by
 * test/cluster/gameday-suite.mjs with a team's own kubeconfig.
 */
import { describe, expect, it } from 'vitest';
import { teamObjects } from '../../../../src/core/gameday/objects.js';
import { APPEND_ONLY_MESSAGE, MODE_MESSAGE, NO_DELETE_MESSAGE, teamLogPolicy, teamLogPolicyBinding, teamLogPolicyName, teamLogPolicyObjects } from '../../../../src/core/gameday/teamLogPolicy.js';
import { planGame } from '../../../../src/engine/gameday/provision.js';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';

const oom = (await loadCatalog(packageRoot())).bundles.find((b) => b.scenario.id === 'oom')!;

type Spec = Record<string, any>;

describe('team-log policy', () => {
  const policy = teamLogPolicy('gd1');
  const binding = teamLogPolicyBinding('gd1');
  const spec = policy.spec as Spec;

  it('is one cluster-scoped pair per game, named from the game and labelled as the game', () => {
    expect(teamLogPolicyObjects('gd1').map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy/crashlab-gd1-team-log',
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding/crashlab-gd1-team-log',
    ]);
    for (const o of [policy, binding]) {
      expect(o.metadata.namespace).toBeUndefined();
      expect(o.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'gd1' });
    }
    expect(teamLogPolicyName('gd2')).not.toBe(teamLogPolicyName('gd1'));
  });

  it('matches updates and deletes of the progress ConfigMap only, by a ServiceAccount of that namespace', () => {
    expect(spec.failurePolicy).toBe('Fail');
    expect(spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['UPDATE', 'DELETE'], resourceNames: ['crashlab-progress'] }]);
    // The instructor (a user, or a ServiceAccount of another namespace) is not a team identity.
    expect(spec.matchConditions).toEqual([{ name: 'team-service-account', expression: "request.userInfo.username.startsWith('system:serviceaccount:' + request.namespace + ':')" }]);
  });

  it('keeps events append-only (missing key = empty), the identity labels, the game mode, mutability, and the object itself', () => {
    expect(spec.variables).toEqual([
      { name: 'oldEvents', expression: "has(oldObject.data) && 'events' in oldObject.data ? oldObject.data['events'] : ''" },
      { name: 'newEvents', expression: "has(object.data) && 'events' in object.data ? object.data['events'] : ''" },
    ]);
    const rules = spec.validations as { expression: string; message: string }[];
    expect(rules.find((r) => r.message === NO_DELETE_MESSAGE)?.expression).toBe("request.operation != 'DELETE'");
    expect(rules.find((r) => r.message === APPEND_ONLY_MESSAGE)?.expression).toBe("request.operation != 'UPDATE' || variables.newEvents.startsWith(variables.oldEvents)");
    const labels = rules.find((r) => r.message.includes('labels'))!.expression;
    for (const key of ['app.kubernetes.io/managed-by', 'crashlab.dev/game', 'crashlab.dev/team']) expect(labels).toContain(`'${key}' in object.metadata.labels`);
    expect(rules.some((r) => r.expression.includes('object.immutable'))).toBe(true);
    expect(rules.find((r) => r.message === MODE_MESSAGE)?.expression).toContain("'crashlab.dev/mode' in object.metadata.annotations");
    // every UPDATE rule is guarded: on DELETE `object` is null
    for (const r of rules.filter((x) => x.expression.includes('object.'))) expect(r.expression.startsWith("request.operation != 'UPDATE' || ")).toBe(true);
    expect(APPEND_ONLY_MESSAGE).toBe("the team's event log is append-only during a game: only new lines may be added");
  });

  it('binds to the team namespaces of that game only (not its instructor namespace), denying', () => {
    expect(binding.spec).toEqual({
      policyName: 'crashlab-gd1-team-log',
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: {
          matchLabels: { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'gd1' },
          matchExpressions: [{ key: 'crashlab.dev/team', operator: 'Exists' }],
        },
      },
    });
    // the selector matches what provisioning labels a team namespace with
    const plan = planGame({ game: 'gd1', teams: [{ team: 'red', members: [] }], scenarios: [{ id: 'oom', broken: oom.broken, solution: oom.solution, guards: oom.scenario.guards }], durationSeconds: 3600, overtimeSeconds: 0, outDir: 'x' });
    const ns = teamObjects(plan, 'red')[0];
    const selector = (binding.spec as Spec).matchResources.namespaceSelector;
    expect(ns.metadata.labels).toMatchObject(selector.matchLabels);
    expect(ns.metadata.labels).toHaveProperty('crashlab.dev/team');
    // and the log starts with an `events` key (a first append finds a string to extend)
    expect(teamObjects(plan, 'red').find((o) => o.metadata.name === 'crashlab-progress')).toMatchObject({ data: { events: '' } });
  });
});
