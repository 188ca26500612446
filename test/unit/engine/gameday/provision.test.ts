/**
 * Game-day provisioning: names, RBAC, sizing from the real catalog, PSA levels, object
 * builders, and the engine over an in-memory GameCluster (create → create again → end).
 */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';
import { numberedTeams, parseGameDuration, parseParticipants, teamNamespace, validateGameName } from '../../../../src/core/gameday/names.js';
import { controlObjects, jwtExpiry, teamKubeconfig, teamObjects } from '../../../../src/core/gameday/objects.js';
import { offerScenarios } from '../../../../src/core/gameday/offer.js';
import { PLAYER_RULES, instructorChecks, missingRights, type AccessCheck } from '../../../../src/core/gameday/rbac.js';
import { podFootprint, psaLevel, scenarioPeak, sizeTeam, type SizingInput } from '../../../../src/core/gameday/sizing.js';
import { parseGameMeta } from '../../../../src/core/gameday/game.js';
import type { K8sObject } from '../../../../src/core/k8s.js';
import { createGame, endGame, planGame, reissueTokens } from '../../../../src/engine/gameday/provision.js';
import { LabError as GamedayError } from '../../../../src/engine/errors.js';
import { UNPROTECTED_WARNING } from '../../../../src/core/gameday/teamLogPolicy.js';
import { MemoryGameCluster, memoryFiles } from '../../../fakes/memoryGameCluster.js';
import { KUBECTL_CONCURRENCY } from '../../../../src/core/limit.js';
import { VirtualClock } from '../../../fakes/clock.js';
import { loadSigner, readSigner } from '../../../../src/engine/gameday/signing.js';

const catalog = await loadCatalog(packageRoot());
const inputs: SizingInput[] = catalog.bundles.map((b) => ({ id: b.scenario.id, broken: b.broken, solution: b.solution, notQuiteFix: b.notQuiteFix, guards: b.scenario.guards }));
const oom = inputs.find((i) => i.id === 'oom')!;

describe('names', () => {
  it('accepts DNS labels and refuses what cannot name a namespace', () => {
    expect(validateGameName('gd1')).toBe('gd1');
    expect(() => validateGameName('GD')).toThrow(expect.objectContaining({ kind: 'game-name' }));
    expect(() => validateGameName('a'.repeat(50))).toThrow(/too long/);
    expect(teamNamespace('gd1', 'team-3')).toBe('crashlab-gd1-team-3');
    expect(numberedTeams(3)).toEqual(['team-1', 'team-2', 'team-3']);
    expect(() => numberedTeams(0)).toThrow(/1 to 200/);
  });

  it('reads a participants file, members optional, and refuses duplicates and the reserved name', () => {
    expect(parseParticipants('gd1', '# room A\nred: Ada, Grace\n\nblue\n')).toEqual([
      { team: 'red', members: ['Ada', 'Grace'] },
      { team: 'blue', members: [] },
    ]);
    expect(() => parseParticipants('gd1', 'red\nred\n')).toThrow(/line 2: team "red" appears twice/);
    expect(() => parseParticipants('gd1', 'control\n')).toThrow(/reserved/);
    expect(() => parseParticipants('gd1', 'Red Team\n')).toThrow(/line 1/);
  });

  it('parses game durations', () => {
    expect(parseGameDuration('60m')).toBe(3600);
    expect(parseGameDuration('1h30m')).toBe(5400);
    expect(parseGameDuration('45')).toBe(2700);
    expect(() => parseGameDuration('soon')).toThrow(/not a duration/);
  });
});

describe('player RBAC', () => {
  const granted = (resource: string, verb: string, group = '') => PLAYER_RULES.some((r) => !r.resourceNames && r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

  it('grants what the routine, edit/apply/patch/rollout, logs, exec and debug --copy-to need', () => {
    for (const [resource, verb, group] of [
      ['pods', 'list'],
      ['pods', 'create'], // debug --copy-to
      ['pods/log', 'get'],
      ['pods/exec', 'create'],
      ['events', 'list'],
      ['deployments', 'patch', 'apps'],
      ['replicasets', 'list', 'apps'], // rollout history/undo
      ['configmaps', 'update'],
      ['secrets', 'patch'],
    ] as const) {
      expect(granted(resource, verb, group ?? ''), `${verb} ${resource}`).toBe(true);
    }
  });

  it('grants nothing that escalates or removes the guard rails', () => {
    for (const resource of ['roles', 'rolebindings', 'resourcequotas', 'limitranges', 'networkpolicies', 'serviceaccounts/token', 'namespaces', 'nodes']) {
      for (const verb of ['create', 'update', 'patch', 'delete', 'bind', 'escalate', 'impersonate']) {
        for (const group of ['', 'rbac.authorization.k8s.io', 'networking.k8s.io']) expect(granted(resource, verb, group), `${verb} ${resource}`).toBe(false);
      }
    }
    expect(PLAYER_RULES.some((r) => r.verbs.includes('*') || r.resources.includes('*'))).toBe(false);
    const progress = PLAYER_RULES.find((r) => r.resourceNames);
    expect(progress).toMatchObject({ resources: ['configmaps'], resourceNames: ['crashlab-progress'], verbs: ['get', 'update', 'patch'] });
  });

  it('asks for the team-log policy and binding verbs cluster-wide, unless the cluster cannot hold them', () => {
    const asked = (options?: { teamLogPolicy?: boolean }) =>
      instructorChecks('crashlab-gd1-team-1', options)
        .direct.filter((c) => c.group === 'admissionregistration.k8s.io')
        .map((c) => `${c.verb} ${c.resource}${c.namespace ? ' in a namespace' : ''}`);
    expect(asked()).toEqual(
      ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'].flatMap((r) => ['create', 'get', 'list', 'patch', 'delete'].map((v) => `${v} ${r}`)),
    );
    expect(asked({ teamLogPolicy: false })).toEqual([]);
  });

  it('lists the instructor rights that are missing, escalate standing in for the Role contents', () => {
    const checks = instructorChecks('crashlab-gd1-team-1');
    const key = (c: AccessCheck) => `${c.verb} ${c.resource}${c.subresource ? `/${c.subresource}` : ''}`;
    const denied = new Set(['delete namespaces', 'create serviceaccounts/token']);
    const missing = missingRights(checks, (c) => !denied.has(key(c)) && !(c.resource === 'pods' && c.verb === 'delete'));
    expect(missing).toContain('delete namespaces (cluster-wide)');
    expect(missing).toContain('create serviceaccounts/token (in crashlab-gd1-team-1)');
    // escalate is allowed here, so lacking `delete pods` is not a problem of its own
    expect(missing.some((m) => m.includes('delete pods'))).toBe(false);
    const noEscalate = missingRights(checks, (c) => c.verb !== 'escalate' && !(c.resource === 'pods' && c.verb === 'delete'));
    expect(noEscalate.join('\n')).toMatch(/escalate roles\.rbac\.authorization\.k8s\.io .*delete pods \(in crashlab-gd1-team-1\)/);
  });
});

describe('sizing from the scenarios', () => {
  it('charges a pod the larger of its containers and its biggest init container', () => {
    const f = podFootprint({
      containers: [{ name: 'a', resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } } }],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '100m', memory: '8Mi' }, limits: { memory: '64Mi' } } }],
    });
    // the app container states no CPU or ephemeral-storage limit: the LimitRange defaults charge it
    expect(f).toEqual({ cpuRequestMilli: 100, memoryRequestMi: 16, memoryLimitMi: 64, cpuLimitMilli: 100, ephemeralStorageLimitMi: 256 });
  });

  it('leaves room for every scenario: its solution, a rollout, a debug copy and the guard maximum', () => {
    const sizing = sizeTeam(inputs);
    // oom's solution has a 128Mi limit and its guard allows up to 256Mi: the LimitRange maximum must too
    expect(sizing.limits.maxMemoryMi).toBeGreaterThanOrEqual(256);
    const solutionPod = podFootprint((oom.solution.find((o) => o.kind === 'Deployment')!.spec as { template: { spec: never } }).template.spec);
    expect(sizing.quota.memoryLimitMi).toBeGreaterThanOrEqual(2 * (solutionPod.memoryLimitMi + 32));
    expect(sizing.quota.pods).toBeGreaterThanOrEqual(6);
    // a quota only as big as one scenario is not enough for one plus an injected fault
    expect(sizeTeam([oom]).quota.memoryLimitMi).toBeGreaterThan(256 * 2);
    // CPU and ephemeral storage: every pod of the peak, at the LimitRange default, twice (two slots)
    const peak = scenarioPeak(oom);
    expect(sizeTeam([oom]).quota.cpuLimitMilli).toBeGreaterThanOrEqual(2 * peak.cpuLimitMilli);
    expect(sizeTeam([oom]).quota.ephemeralStorageLimitMi).toBeGreaterThanOrEqual(2 * peak.ephemeralStorageLimitMi);
    expect(peak.cpuLimitMilli).toBeGreaterThanOrEqual(peak.pods * 100);
  });

  it('enforces the strictest Pod Security level the offered manifests pass', () => {
    expect(psaLevel(inputs).enforce).toBe('baseline');
    const restrictedPod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      },
    };
    expect(psaLevel([{ id: 'x', broken: [restrictedPod], solution: [restrictedPod], guards: [] }]).enforce).toBe('restricted');
    const hostPath = structuredClone(restrictedPod);
    (hostPath.spec as { volumes: unknown[] }).volumes = [{ name: 'h', hostPath: { path: '/' } }];
    const decision = psaLevel([{ id: 'y', broken: [hostPath], solution: [restrictedPod], guards: [] }]);
    expect(decision).toEqual({ enforce: 'privileged', because: ['y: hostPath volume h'] });
    expect(() => planGame({ game: 'gd1', teams: [{ team: 'team-1', members: [] }], scenarios: [{ id: 'y', broken: [hostPath], solution: [restrictedPod], guards: [] }], durationSeconds: 3600, overtimeSeconds: 0, outDir: 'x' })).toThrow(GamedayError);
  });

  it('offers only scenarios that may run shared', () => {
    expect(offerScenarios([{ id: 'a' }, { id: 'b' }], undefined)).toMatchObject({ ok: true, ids: ['a', 'b'] });
    expect(offerScenarios([{ id: 'a', shared: true }, { id: 'b', shared: false }], undefined)).toEqual({ ok: true, ids: ['a'], note: undefined });
    expect(offerScenarios([{ id: 'a', shared: true }, { id: 'b', shared: false }], ['b'])).toMatchObject({ ok: false, message: expect.stringMatching(/not offered.*b/) });
    expect(offerScenarios([{ id: 'a' }], ['zz'])).toMatchObject({ ok: false, message: expect.stringMatching(/unknown scenario: zz/) });
  });
});

const plan = planGame({ game: 'gd1', teams: [{ team: 'team-1', members: ['Ada'] }, { team: 'team-2', members: [] }], scenarios: inputs, durationSeconds: 3600, overtimeSeconds: 900, outDir: '/out' });

describe('objects', () => {
  it('labels every object with the game, namespaces first, and scopes the binding to the team SA', () => {
    const objects = teamObjects(plan, 'team-1');
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'crashlab-gd1-team-1', labels: { 'crashlab.dev/team': 'team-1', 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    for (const o of [...objects, ...controlObjects(plan, '2026-11-30T10:00:00Z')]) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'gd1' });
    }
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ConfigMap']);
    const binding = objects.find((o) => o.kind === 'RoleBinding')!;
    expect(binding).toMatchObject({ roleRef: { kind: 'Role', name: 'crashlab-player' }, subjects: [{ kind: 'ServiceAccount', name: 'crashlab-player', namespace: 'crashlab-gd1-team-1' }] });
    const netpol = objects.find((o) => o.kind === 'NetworkPolicy')!;
    expect(netpol.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    // the instructor namespace admits no ingress at all (no rule = deny)
    const control = controlObjects(plan, '2026-11-30T10:00:00Z').find((o) => o.kind === 'NetworkPolicy')!;
    expect(control).toMatchObject({ metadata: { namespace: 'crashlab-gd1-control' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    expect(control.spec).not.toHaveProperty('ingress');
    // guard rails against abuse: CPU and ephemeral-storage limits by default, and a team total
    const quota = objects.find((o) => o.kind === 'ResourceQuota')!.spec as { hard: Record<string, string> };
    expect(Object.keys(quota.hard)).toEqual(expect.arrayContaining(['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'pods']));
    const range = objects.find((o) => o.kind === 'LimitRange')!.spec as { limits: { default: Record<string, string>; defaultRequest: Record<string, string> }[] };
    expect(range.limits[0].default).toEqual({ memory: '256Mi', cpu: '100m', 'ephemeral-storage': '256Mi' });
    // a small disk request: the scheduler reserves requests, not limits
    expect(range.limits[0].defaultRequest['ephemeral-storage']).toBe('16Mi');
  });

  it('writes the game document the board reads', () => {
    const cm = controlObjects(plan, '2026-11-30T10:00:00Z')[1] as K8sObject & { data: Record<string, string> };
    const meta = parseGameMeta(cm.data.game);
    expect(meta).toMatchObject({ ok: true, meta: { name: 'gd1', teams: ['team-1', 'team-2'], durationSeconds: 3600, overtimeSeconds: 900 } });
  });

  it('builds a kubeconfig with server, CA, token and the team namespace', () => {
    const config = teamKubeconfig('gd1', 'team-1', { server: 'https://127.0.0.1:6443', caData: 'Q0E=' }, 'tok');
    expect(config).toMatchObject({
      clusters: [{ cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }],
      users: [{ user: { token: 'tok' } }],
      contexts: [{ context: { namespace: 'crashlab-gd1-team-1' } }],
      'current-context': 'crashlab-gd1-team-1',
    });
  });
});

describe('createGame / endGame', () => {
  const start = Date.parse('2026-11-30T10:00:00Z');

  it('makes the board key at create, once: a read-only board started before any verifying one checks verdicts with it', async () => {
    const clock = { now: () => start, sleep: async () => undefined };
    const cluster = new MemoryGameCluster(clock.now);
    await createGame({ cluster, files: memoryFiles(), clock }, plan, '/out');
    const readOnly = await readSigner(cluster, 'gd1');
    expect(readOnly).toBeDefined();
    await createGame({ cluster, files: memoryFiles(), clock }, plan, '/out');
    // The verifying board loads the same key (a second create kept it): what it signs, the read-only board trusts.
    const verifying = await loadSigner(cluster, 'gd1');
    const verdict = { at: '2026-11-30T10:05:00Z', type: 'verify-verdict' as const, instance: 'i-1', pass: true, by: 'instructor' as const, reasons: [] };
    expect(readOnly!.check('crashlab-gd1-team-1', { ...verdict, sig: verifying.sign('crashlab-gd1-team-1', verdict) })).toBe(true);
  });

  it('provisions, resumes without new tokens or a wiped event log, and ends only that game', async () => {
    let now = start;
    const clock = { now: () => now, sleep: async () => undefined };
    const cluster = new MemoryGameCluster(clock.now);
    const files = memoryFiles();
    const first = await createGame({ cluster, files, clock }, plan, '/out');
    expect(first.teams.map((t) => t.namespace)).toEqual(['crashlab-gd1-team-1', 'crashlab-gd1-team-2']);
    expect(cluster.tokens).toEqual([
      // the game (60 min) + overtime (15 min) + the tokens' 5 min of slack
      { ns: 'crashlab-gd1-team-1', seconds: 4800 },
      { ns: 'crashlab-gd1-team-2', seconds: 4800 },
    ]);
    const config = yaml.load(files.files.get('/out/team-1.kubeconfig')!) as { users: { user: { token: string } }[] };
    expect(jwtExpiry(config.users[0].user.token)).toBe(start / 1000 + 4800);
    expect(files.files.get('/out/team-1.handout.md')).toMatch(/crashlab join team-1\.kubeconfig[\s\S]*## 한국어/);

    // a team wrote its log; a second create a minute later changes nothing of it
    const progress = cluster.objects.get('configmap/crashlab-gd1-team-1/crashlab-progress')!;
    (progress as unknown as { data: Record<string, string> }).data.events = '{"at":"2026-11-30T10:00:30Z","type":"started"}\n';
    const other = planGame({ game: 'gd2', teams: [{ team: 'team-1', members: [] }], scenarios: [oom], durationSeconds: 3600, overtimeSeconds: 0, outDir: '/out2' });
    await createGame({ cluster, files, clock }, other, '/out2');
    now += 60_000;
    const count = cluster.objects.size;
    const second = await createGame({ cluster, files, clock }, plan, '/out');
    expect(second.teams.every((t) => !t.newToken)).toBe(true);
    expect(cluster.tokens).toHaveLength(3);
    expect(cluster.objects.size).toBe(count);
    expect((cluster.objects.get('configmap/crashlab-gd1-team-1/crashlab-progress') as unknown as { data: Record<string, string> }).data.events).toContain('started');
    // the offered scenarios ride on the progress ConfigMap (the team may read only that)
    expect(cluster.objects.get('configmap/crashlab-gd1-team-1/crashlab-progress')!.metadata.annotations?.['crashlab.dev/offered']).toBe(inputs.map((i) => i.id).join(','));

    cluster.objects.set('namespace//bystander', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bystander', labels: { 'app.kubernetes.io/managed-by': 'crashlab' } } });
    // each game has its team-log policy pair (cluster-scoped), applied once however often create runs
    const policies = () => [...cluster.objects.values()].filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(policies()).toEqual([
      'ValidatingAdmissionPolicy/crashlab-gd1-team-log',
      'ValidatingAdmissionPolicy/crashlab-gd2-team-log',
      'ValidatingAdmissionPolicyBinding/crashlab-gd1-team-log',
      'ValidatingAdmissionPolicyBinding/crashlab-gd2-team-log',
    ]);
    expect(second.teamLogPolicy).toBe('applied');
    expect(second.warnings).toEqual([]);

    const ended = await endGame(cluster, 'gd1', { wait: false });
    expect(ended.removed.map((r) => r.namespace)).toEqual(['crashlab-gd1-control', 'crashlab-gd1-team-1', 'crashlab-gd1-team-2']);
    expect(ended.removed[1].objects).toContain('Role/crashlab-player');
    expect([...cluster.objects.values()].filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(['bystander', 'crashlab-gd2-control', 'crashlab-gd2-team-1']);
    expect(ended.clusterObjects).toEqual(['ValidatingAdmissionPolicy/crashlab-gd1-team-log', 'ValidatingAdmissionPolicyBinding/crashlab-gd1-team-log']);
    expect(policies()).toEqual(['ValidatingAdmissionPolicy/crashlab-gd2-team-log', 'ValidatingAdmissionPolicyBinding/crashlab-gd2-team-log']);
    // ending again finds nothing of gd1, and gd2's pair still stands
    expect(await endGame(cluster, 'gd1', { wait: false })).toEqual({ game: 'gd1', removed: [], clusterObjects: [] });
    expect(policies()).toHaveLength(2);
  });

  it('provisions 40 teams in a few batched applies, namespaces first, never more than KUBECTL_CONCURRENCY calls at once', async () => {
    const clock = VirtualClock.stopped(start);
    const cluster = new MemoryGameCluster(clock.now);
    const calls: { what: string; objects: K8sObject[] }[] = [];
    let running = 0;
    let peak = 0;
    // Every cluster call takes a moment, as a kubectl process does: calls overlap only when sent together.
    const timed = <A extends unknown[], R>(what: string, f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      peak = Math.max(peak, ++running);
      calls.push({ what, objects: what === 'apply' ? (a[0] as K8sObject[]) : [] });
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return f(...a);
    };
    cluster.applyObjects = timed('apply', cluster.applyObjects.bind(cluster));
    cluster.createToken = timed('token', cluster.createToken.bind(cluster));
    const teams = numberedTeams(40).map((team) => ({ team, members: [] }));
    const big = planGame({ game: 'gd3', teams, scenarios: [oom], durationSeconds: 3600, overtimeSeconds: 0, outDir: '/out3' });
    const result = await createGame({ cluster, files: memoryFiles(), clock }, big, '/out3');
    expect(result.teams.map((t) => t.team)).toEqual(teams.map((t) => t.team));
    expect(peak).toBeLessThanOrEqual(KUBECTL_CONCURRENCY);
    expect(peak).toBeGreaterThan(1);
    const teamApplies = calls.filter((c) => c.what === 'apply' && c.objects.some((o) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace ?? '').startsWith('crashlab-gd3-team-')));
    // 40 teams, 5 a call: 8 applies of namespaces, then 8 of everything else (not 80 applies + 40 lookups).
    expect(teamApplies).toHaveLength(2 * KUBECTL_CONCURRENCY);
    expect(teamApplies.slice(0, KUBECTL_CONCURRENCY).every((c) => c.objects.every((o) => o.kind === 'Namespace'))).toBe(true);
    expect(teamApplies.slice(KUBECTL_CONCURRENCY).every((c) => c.objects.every((o) => o.kind !== 'Namespace'))).toBe(true);
    expect(calls.filter((c) => c.what === 'token')).toHaveLength(40);
  });

  it('refuses before changing anything when the instructor lacks rights, naming them', async () => {
    const cluster = new MemoryGameCluster(() => start);
    cluster.denied.add('create namespaces');
    cluster.denied.add("create serviceaccounts/token");
    const error = await createGame({ cluster, files: memoryFiles(), clock: VirtualClock.stopped(start) }, plan, '/out').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GamedayError);
    expect((error as GamedayError).details).toEqual(['create namespaces (cluster-wide)', 'create serviceaccounts/token (in crashlab-gd1-team-1)']);
    expect(cluster.objects.size).toBe(0);
  });

  it('asks for the team-log policy rights and refuses, naming them, when they are missing', async () => {
    const cluster = new MemoryGameCluster(() => start);
    cluster.denied.add('create validatingadmissionpolicybindings');
    cluster.denied.add('delete validatingadmissionpolicies');
    const error = await createGame({ cluster, files: memoryFiles(), clock: VirtualClock.stopped(start) }, plan, '/out').catch((e: unknown) => e);
    expect((error as GamedayError).details).toEqual([
      'delete validatingadmissionpolicies.admissionregistration.k8s.io (cluster-wide)',
      'create validatingadmissionpolicybindings.admissionregistration.k8s.io (cluster-wide)',
    ]);
    expect(cluster.objects.size).toBe(0);
  });

  it('on a cluster without the policy API: asks no rights for it, warns once, provisions the rest, and end still works', async () => {
    const cluster = new MemoryGameCluster(() => start);
    cluster.servesPolicies = false;
    // an instructor who could not create policies anyway is not refused for it here
    cluster.denied.add('create validatingadmissionpolicies');
    const warned: string[] = [];
    const clock = VirtualClock.stopped(start);
    const result = await createGame({ cluster, files: memoryFiles(), clock, onWarning: (w) => warned.push(w) }, plan, '/out');
    expect(cluster.asked.some((c) => c.group === 'admissionregistration.k8s.io')).toBe(false);
    expect(result.teamLogPolicy).toBe('unsupported');
    expect(warned).toEqual([UNPROTECTED_WARNING]);
    expect(result.warnings).toEqual([UNPROTECTED_WARNING]);
    expect(UNPROTECTED_WARNING).toMatch(/team event logs are not protected.*signed instructor verdicts are still tamper-proof/);
    expect(result.teams).toHaveLength(2);
    expect([...cluster.objects.values()].some((o) => o.kind.startsWith('ValidatingAdmissionPolicy'))).toBe(false);
    const ended = await endGame(cluster, 'gd1', { wait: false });
    expect(ended.removed).toHaveLength(3);
    expect(ended.clusterObjects).toEqual([]);
  });

  it('refuses a token the API server shortened below the game', async () => {
    const cluster = new MemoryGameCluster(() => start);
    cluster.maxTokenSeconds = 3600;
    await expect(createGame({ cluster, files: memoryFiles(), clock: VirtualClock.stopped(start) }, plan, '/out')).rejects.toThrow(/expires at .* before the game ends/);
  });
});

describe('tokens last until the game really ends (issue 16)', () => {
  const start = Date.parse('2026-11-30T10:00:00Z');
  const setup = () => {
    let now = start;
    const clock = { now: () => now, sleep: async () => undefined };
    const cluster = new MemoryGameCluster(clock.now);
    const files = memoryFiles();
    const expiry = (team: string, dir = '/out') => jwtExpiry((yaml.load(files.files.get(`${dir}/${team}.kubeconfig`)!) as { users: { user: { token: string } }[] }).users[0].user.token);
    return { clock, cluster, files, expiry, advance: (ms: number) => (now += ms) };
  };

  it('a team added by a later create gets the same end as the others, not a longer token', async () => {
    const { clock, cluster, files, expiry, advance } = setup();
    await createGame({ cluster, files, clock }, plan, '/out');
    advance(20 * 60_000);
    const late = planGame({ game: 'gd1', teams: [...plan.teams, { team: 'team-3', members: [] }], scenarios: inputs, durationSeconds: 3600, overtimeSeconds: 900, outDir: '/out' });
    await createGame({ cluster, files, clock }, late, '/out');
    expect(expiry('team-3')).toBe(expiry('team-1'));
    expect(expiry('team-1')).toBe(start / 1000 + 4800);
  });

  it('a declared start (create --starts-at) sizes the tokens: provisioned the night before, alive until the real end', async () => {
    const { clock, cluster, files, expiry } = setup();
    const tomorrow = '2026-12-01T09:00:00.000Z';
    await createGame({ cluster, files, clock }, { ...plan, plannedStart: tomorrow }, '/out');
    expect(expiry('team-1')).toBe(Date.parse(tomorrow) / 1000 + 4800);
    const meta = parseGameMeta((cluster.objects.get('configmap/crashlab-gd1-control/crashlab-game') as unknown as { data: { game: string } }).data.game);
    expect(meta.ok && meta.meta.tokensEndAt).toBe(new Date(Date.parse(tomorrow) + 4800_000).toISOString());
  });

  it('`gameday tokens` re-issues every team file from the real start, or one team’s', async () => {
    const { clock, cluster, files, expiry, advance } = setup();
    await createGame({ cluster, files, clock }, plan, '/out');
    // The game starts two hours later than provisioned.
    advance(2 * 3600_000);
    const cm = cluster.objects.get('configmap/crashlab-gd1-control/crashlab-game') as unknown as { data: { game: string } };
    cm.data.game = JSON.stringify({ ...JSON.parse(cm.data.game), startedAt: new Date(clock.now()).toISOString() });
    const one = await reissueTokens({ cluster, files, clock }, 'gd1', '/out', { team: 'team-2' });
    expect(one.teams.map((t) => t.team)).toEqual(['team-2']);
    expect(expiry('team-2')).toBe(clock.now() / 1000 + 4800);
    expect(expiry('team-1')).toBe(start / 1000 + 4800);
    await reissueTokens({ cluster, files, clock }, 'gd1', '/out');
    expect(expiry('team-1')).toBe(clock.now() / 1000 + 4800);
    await expect(reissueTokens({ cluster, files, clock }, 'gd1', '/out', { team: 'team-9' })).rejects.toThrow(/no team "team-9"/);
  });
});

describe('handout (issue 16)', () => {
  it('says how to install from the file handed out, shows local times, how to verify and what costs points, in en and ko', async () => {
    const { handout, localTime } = await import('../../../../src/core/gameday/handout.js');
    const text = handout({ game: 'gd1', team: 'team-1', members: [], kubeconfigFile: 'team-1.kubeconfig', expiresAt: '2026-12-06T06:15:00.000Z', durationSeconds: 3600, overtimeSeconds: 900, scenarioCount: 1, install: 'crashlab-0.1.0.tgz', utcOffsetMinutes: 540 });
    expect(text).toContain('npm install -g ./crashlab-0.1.0.tgz');
    expect(text).toContain('**2026-12-06 15:15 (UTC+09:00)**');
    expect(text).not.toContain('2026-12-06T06:15');
    expect(text).toContain('export KUBECONFIG=$PWD/team-1.kubeconfig');
    expect(text).toMatch(/`crashlab verify <id>`/);
    expect(text).toMatch(/each hint -10/);
    expect(text).toMatch(/힌트 하나당 -10점/);
    expect(text).not.toMatch(/Pick one of/);
    expect(localTime('2026-12-06T06:15:00.000Z', -300)).toBe('2026-12-06 01:15 (UTC-05:00)');
  });
});
