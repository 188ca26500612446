/**
 * StatefulSet, DaemonSet and Job verdicts over scripted snapshot sequences. The objects are the
 * test cluster's own (test/fixtures/verify/kinds/, captured with kubectl -o json while
 * test/cluster/verify-suite.mjs ran), moved through a rollout the way their controllers move them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KubeEvent, List, Pod } from '../../../../src/core/k8s.js';
import { decide, type VerifyConfig, type VerifySnapshot } from '../../../../src/core/verify/decide.js';
import type { ControllerRevision, Workload } from '../../../../src/core/verify/workload.js';

const dir = fileURLToPath(new URL('../../../fixtures/verify/kinds/', import.meta.url));
const load = <T>(name: string): T => JSON.parse(readFileSync(dir + name, 'utf8')) as T;
const items = <T>(name: string): T[] => load<List<T>>(name).items;

const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');

function snapAt(t0: number, s: number, workload: Workload, pods: Pod[], extra: Partial<VerifySnapshot> = {}): VerifySnapshot {
  return { atMs: t0 + s * 1000, workload, replicaSets: [], pods, events: [] as KubeEvent[], ...extra };
}

function setReady(pod: Pod, ready: boolean, when: string): Pod {
  const next = structuredClone(pod);
  for (const c of next.status!.conditions!) if (c.type === 'Ready' || c.type === 'ContainersReady') Object.assign(c, { status: ready ? 'True' : 'False', lastTransitionTime: when });
  for (const s of next.status!.containerStatuses!) s.ready = ready;
  return next;
}

describe('StatefulSet', () => {
  const sts = () => load<Workload>('sts-db.json');
  const pods = () => items<Pod>('sts-db-pods.json');
  /** Verify begins 3 s after db-1 (the first pod the update replaced) started. */
  const T0 = () => Date.parse(pods()[1].status!.startTime!) + 3000;
  const config: VerifyConfig = { namespace: 'vx-sts-update', kind: 'StatefulSet', name: 'db', marginSeconds: 10, rolloutTimeoutSeconds: 120 };

  /** Mid-rollout: db-1 already on the update revision (not Ready yet), db-0 still on the old one. */
  function midRollout() {
    const s = sts();
    const update = s.status!.updateRevision!;
    const old = `db-${'5d8f7c6b9a'}`;
    s.status = { ...s.status, currentRevision: old, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, currentReplicas: 1 };
    const [p0, p1] = pods();
    p0.metadata.labels!['controller-revision-hash'] = old;
    const starting = setReady(p1, false, p1.status!.startTime!);
    return { s, update, old, p0, p1: starting, p1Ready: pods()[1] };
  }

  it('waits for the ordered rolling update (pods replaced from the highest ordinal), then passes after W', () => {
    const m = midRollout();
    const t0 = T0();
    const waiting = decide(config, [snapAt(t0, 0, m.s, [m.p0, m.p1])]);
    expect(waiting.decision).toMatchObject({ kind: 'pending', phase: 'waiting-for-rollout' });
    if (waiting.decision.kind === 'pending') expect(waiting.decision.reason.en).toBe(`pod db-0 still runs revision ${m.old} (update revision ${m.update}); the StatefulSet replaces pods from the highest ordinal down`);
    const done = decide(config, [snapAt(t0, 0, m.s, [m.p0, m.p1]), snapAt(t0, 6, sts(), pods())]);
    expect(done.decision).toMatchObject({ kind: 'pending', phase: 'watching' });
    const W = done.baseline!.window.seconds;
    expect(decide(config, [snapAt(t0, 0, m.s, [m.p0, m.p1]), snapAt(t0, 6, sts(), pods()), snapAt(t0, 6 + W, sts(), pods())]).decision.kind).toBe('pass');
  });

  it('is not done while currentRevision ≠ updateRevision, even with every pod updated', () => {
    const s = sts();
    s.status = { ...s.status, currentRevision: 'db-5d8f7c6b9a' };
    const state = decide(config, [snapAt(T0(), 0, s, pods())]);
    if (state.decision.kind !== 'pending') throw new Error(`expected pending, got ${state.decision.kind}`);
    expect(state.decision.reason.en).toBe(`currentRevision db-5d8f7c6b9a ≠ updateRevision ${sts().status!.updateRevision}: the rolling update has not finished`);
  });

  it('names the missing ordinal: pods are created in order', () => {
    const state = decide(config, [snapAt(T0(), 0, sts(), [pods()[0]])]);
    if (state.decision.kind !== 'pending') throw new Error('expected pending');
    expect(state.decision.reason.en).toBe('pod db-1 does not exist yet (a StatefulSet creates its pods in order)');
  });

  it('fails at the first restart of an updated pod during the rollout', () => {
    const m = midRollout();
    const t0 = T0();
    const crashed = structuredClone(m.p1);
    const c = crashed.status!.containerStatuses![0];
    c.restartCount = 1;
    c.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: at(new Date(t0).toISOString(), 1), finishedAt: at(new Date(t0).toISOString(), 4) } };
    const state = decide(config, [snapAt(t0, 0, m.s, [m.p0, m.p1]), snapAt(t0, 4.5, m.s, [m.p0, crashed])]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'restart' });
    if (state.decision.kind === 'fail') expect(state.decision.evidence[0]).toMatchObject({ pod: 'db-1', exitCode: 1, restarts: { atStart: 0, now: 1 } });
  });
});

describe('DaemonSet', () => {
  const ds = () => load<Workload>('ds-agent.json');
  const pods = () => items<Pod>('ds-agent-pods.json');
  const revisions = () => items<ControllerRevision>('ds-agent-revisions.json');
  const config: VerifyConfig = { namespace: 'vx-ds-update', kind: 'DaemonSet', name: 'agent', marginSeconds: 10, rolloutTimeoutSeconds: 120 };
  const T0 = () => Date.parse(pods()[0].status!.startTime!) + 60_000;

  it('knows the current hash from the newest ControllerRevision, waits for the old pod to go, then passes', () => {
    const current = [...revisions()].sort((a, b) => b.revision - a.revision)[0].metadata.labels!['controller-revision-hash'];
    expect(pods()[0].metadata.labels!['controller-revision-hash']).toBe(current);
    const oldPod = structuredClone(pods()[0]);
    oldPod.metadata.name = 'agent-old01';
    oldPod.metadata.uid = '11111111-2222-4333-8444-555555555555';
    oldPod.metadata.labels!['controller-revision-hash'] = 'oldhash00';
    oldPod.metadata.deletionTimestamp = new Date(T0()).toISOString();
    const t0 = T0();
    const first = decide(config, [snapAt(t0, 0, ds(), [oldPod, ...pods()], { revisions: revisions() })]);
    if (first.decision.kind !== 'pending') throw new Error('expected pending');
    expect(first.decision.reason.en).toBe('old pod agent-old01 (revision oldhash00, current ' + current + ') is still there');
    const seq = [snapAt(t0, 0, ds(), [oldPod, ...pods()], { revisions: revisions() }), snapAt(t0, 2, ds(), pods(), { revisions: revisions() })];
    const opened = decide(config, seq);
    expect(opened.decision).toMatchObject({ kind: 'pending', phase: 'watching' });
    expect(decide(config, [...seq, snapAt(t0, 2 + opened.baseline!.window.seconds, ds(), pods(), { revisions: revisions() })]).decision.kind).toBe('pass');
  });

  it('is not done while fewer nodes run the update than desired', () => {
    const d = ds();
    d.status = { ...d.status, updatedNumberScheduled: 0 };
    const state = decide(config, [snapAt(T0(), 0, d, pods(), { revisions: revisions() })]);
    if (state.decision.kind !== 'pending') throw new Error('expected pending');
    expect(state.decision.reason.en).toBe(`0 of ${d.status!.desiredNumberScheduled} nodes updated`);
  });
});

describe('Job', () => {
  const config: VerifyConfig = { namespace: 'vx-job', kind: 'Job', name: 'migrate', marginSeconds: 10, rolloutTimeoutSeconds: 120 };
  const complete = () => load<Workload>('job-complete.json');
  const completePods = () => items<Pod>('job-complete-pods.json');
  const failing = () => load<Workload>('job-failing.json');
  const failingPods = () => items<Pod>('job-failing-pods.json');
  const T0 = () => Date.parse(complete().status!.startTime!);

  it('passes when Complete, with no window', () => {
    const running = complete();
    running.status = { active: 1, startTime: running.status!.startTime, ready: 1 };
    const pod = structuredClone(completePods()[0]);
    pod.status!.phase = 'Running';
    pod.status!.containerStatuses![0].state = { running: { startedAt: pod.status!.containerStatuses![0].state!.terminated!.startedAt } };
    const t0 = T0();
    const pending = decide(config, [snapAt(t0, 1, running, [pod])]);
    if (pending.decision.kind !== 'pending') throw new Error('expected pending');
    expect(pending.decision.reason.en).toBe('Job migrate: 0 of 1 completion(s), 1 active');
    const state = decide(config, [snapAt(t0, 1, running, [pod]), snapAt(t0, 6, complete(), completePods())]);
    expect(state.decision).toEqual({ kind: 'pass', summary: { en: 'Job migrate complete: 1 of 1 completion(s), no pod failed or restarted', ko: 'Job migrate 완료: 1개 중 1개 성공, 실패하거나 재시작한 파드 없음' } });
    expect(state.window?.seconds).toBe(0);
  });

  it('fails at the first failed pod, before the Job gives up (BackoffLimitExceeded)', () => {
    const t0 = Date.parse(failing().status!.startTime!);
    const state = decide(config, [snapAt(t0, 5, failing(), failingPods())]);
    expect(state.decision).toMatchObject({ kind: 'fail' });
    if (state.decision.kind === 'fail') {
      expect(state.decision.evidence[0]).toMatchObject({ exitCode: 3, reason: 'Error' });
      expect(state.decision.summary.en).toMatch(/^(a pod of Job migrate failed|Job migrate failed)/);
    }
  });

  it('fails a Job whose Failed condition says BackoffLimitExceeded, with the condition as evidence', () => {
    const j = failing();
    j.status = { ...j.status, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] };
    const state = decide(config, [snapAt(Date.parse(j.status!.startTime!), 30, j, failingPods())]);
    expect(state.decision).toMatchObject({ kind: 'fail', rule: 'job', summary: { en: 'Job migrate failed: BackoffLimitExceeded: Job has reached the specified backoff limit' } });
  });
});
