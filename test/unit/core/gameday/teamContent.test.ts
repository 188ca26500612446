/**
 * Packs in a room (#19 item 7): what a laptop without the instructor's pack learns of a pack
 * scenario, and when (core/gameday/teamContent.ts), and how a team's lab plays one: it deploys
 * the published broken manifests, waits for the board's answers (hint text, judgement,
 * debrief), and refuses `solve` (the reference solution stays with the instructor).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog, packageRoot } from '../../../../src/adapters/scenarios.js';
import { composeLab } from '../../../../src/app/compose.js';
import { foldTeamLog, parseEventLog, type GameEvent } from '../../../../src/core/gameday/events.js';
import { teamKubeconfig, teamObjects } from '../../../../src/core/gameday/objects.js';
import { CONTENT_ANSWERS_KEY, CONTENT_CONFIGMAP, CONTENT_SCENARIOS_KEY, knownCategory, publishScenario, publishedContent, readTeamContent, teamAnswers } from '../../../../src/core/gameday/teamContent.js';
import type { K8sObject } from '../../../../src/core/k8s.js';
import { handout } from '../../../../src/core/gameday/handout.js';
import type { Scenario } from '../../../../src/core/scenario.js';
import { MemoryKube, MemoryStore } from '../../../fakes/memoryKube.js';

const catalog = await loadCatalog(packageRoot());
const oom = catalog.bundles.find((b) => b.scenario.id === 'oom')!;
/** A pack scenario as a workshop would copy it from the built-in one, under its own id. */
const pack = { ...oom, scenario: { ...oom.scenario, id: 'acme-oom' } as Scenario };

describe('what a team may see of a pack scenario (published at create)', () => {
  it('keeps the cause and the fix off the team: no category, hint text, debrief, guards, solution or not-quite-fix', () => {
    const published = publishScenario(pack);
    const text = JSON.stringify(published);
    expect(published).toMatchObject({ id: 'acme-oom', hintCount: 3, briefing: oom.scenario.briefing, symptoms: oom.scenario.symptoms, broken: oom.broken });
    expect(Object.keys(published)).not.toEqual(expect.arrayContaining(['category']));
    expect(text).not.toContain(oom.scenario.category);
    for (const hint of oom.scenario.hints) expect(text).not.toContain(hint.en);
    expect(text).not.toContain(oom.scenario.debrief.en.slice(0, 40));
    expect(text).not.toContain('"guards"');
    // What only `expect` says (OOMKilled, exit 137) names the failure.
    expect(published.expect).toEqual({ container: oom.scenario.expect.container, within: oom.scenario.expect.within, firstSymptomWithin: oom.scenario.expect.firstSymptomWithin });
    expect(text).not.toContain(JSON.stringify(oom.solution[0]?.spec ?? {}).slice(0, 200));
  });

  it('a mystery game publishes no title', () => {
    expect(publishScenario(pack, 'mystery').title).toBeUndefined();
    expect(publishScenario(pack, 'game').title).toEqual(oom.scenario.title);
  });

  it('publishes only offered scenarios outside the built-in pack, into each team namespace', () => {
    const content = publishedContent({ bundles: [oom, pack], packOf: { oom: { builtIn: true }, 'acme-oom': { builtIn: false } } }, ['oom', 'acme-oom'], 'game');
    expect(content.published?.map((p) => p.id)).toEqual(['acme-oom']);
    expect(publishedContent({ bundles: [oom], packOf: { oom: { builtIn: true } } }, ['oom'], 'game')).toEqual({});
    const plan = { game: 'g1', teams: [], scenarios: ['acme-oom'], durationSeconds: 600, overtimeSeconds: 0, sizing: { quota: { pods: 1, cpuRequestMilli: 1, memoryRequestMi: 1, memoryLimitMi: 1, configmaps: 1, secrets: 1, services: 1, pvcs: 0 }, limits: { maxMemoryMi: 1, maxCpuMilli: 1, defaults: { memoryLimitMi: 1, cpuRequestMilli: 1, memoryRequestMi: 1 } }, basis: [] }, psa: 'baseline' as const, ...content };
    const cm = teamObjects(plan as never, 'team-1').find((o) => o.metadata.name === CONTENT_CONFIGMAP)!;
    expect(cm.metadata).toMatchObject({ namespace: 'crashlab-g1-team-1', labels: expect.objectContaining({ 'crashlab.dev/game': 'g1', 'app.kubernetes.io/managed-by': 'crashlab' }) });
    expect(readTeamContent(cm.data as Record<string, string>).scenarios.map((s) => s.id)).toEqual(['acme-oom']);
    expect(cm.data).not.toHaveProperty(CONTENT_ANSWERS_KEY);
  });

  it('the handout says, in both languages, that pack scenarios have no solve', () => {
    const base = { game: 'g1', team: 'team-1', members: [], kubeconfigFile: 'team-1.kubeconfig', expiresAt: '2026-12-06T15:00:00Z', durationSeconds: 1800, overtimeSeconds: 600, scenarioCount: 2 };
    const text = handout({ ...base, packScenarios: 2 });
    expect(text).toContain("2 scenarios of this game come from your instructor's own pack");
    expect(text).toContain('`solve` is not available (the solution stays with the instructor)');
    expect(text).toContain('이 게임의 시나리오 2개는 강사가 직접 만든 팩에서 왔습니다');
    expect(handout(base)).not.toMatch(/own pack|팩에서/);
  });

  it('reads an unreadable ConfigMap as nothing published', () => {
    expect(readTeamContent({ [CONTENT_SCENARIOS_KEY]: '{not json', [CONTENT_ANSWERS_KEY]: '[]' })).toEqual({ scenarios: [], answers: {} });
  });
});

describe('what the board sends as the game goes (answers)', () => {
  const line = (e: Partial<GameEvent> & { type: GameEvent['type'] }) => JSON.stringify({ at: '2026-12-06T12:00:00Z', instance: 'i-aaaaaa', ...e });
  const answersFor = (lines: string[]) => {
    const parsed = parseEventLog(lines.join('\n'));
    return teamAnswers(foldTeamLog(parsed), parsed.events, (instance) => (instance === 'i-aaaaaa' ? pack.scenario : undefined));
  };
  const released = line({ type: 'released' } as never);

  it('a hint’s text once it was paid for, only that one', () => {
    const answers = answersFor([released, line({ type: 'hint', index: 1 } as never)]);
    expect(answers['i-aaaaaa'].hints).toEqual({ '1': oom.scenario.hints[1] });
  });

  it('judges each named cause; the category and debrief only after a passing instructor verdict', () => {
    const wrong = answersFor([released, line({ type: 'diagnosis', category: 'app-exception', correct: true } as never), line({ type: 'diagnosis', category: 'oom-killed', correct: false } as never)]);
    expect(wrong['i-aaaaaa'].diagnoses).toEqual({ 'app-exception': false, 'oom-killed': true });
    expect(wrong['i-aaaaaa'].debrief).toBeUndefined();
    expect(wrong['i-aaaaaa'].category).toBeUndefined();
    expect(knownCategory(wrong['i-aaaaaa'])).toBe('oom-killed');
    const failed = answersFor([released, line({ type: 'verify-requested', id: 'r1' } as never), line({ type: 'verify-verdict', pass: false, by: 'instructor', result: 'fail', reasons: [], request: 'r1' } as never)]);
    expect(failed['i-aaaaaa'].debrief).toBeUndefined();
    const passed = answersFor([released, line({ type: 'verify-requested', id: 'r1' } as never), line({ type: 'verify-verdict', pass: true, by: 'instructor', result: 'pass', reasons: [], request: 'r1' } as never)]);
    expect(passed['i-aaaaaa']).toMatchObject({ category: 'oom-killed', debrief: oom.scenario.debrief });
    // A participant's own verdict gives nothing away.
    const own = answersFor([released, line({ type: 'verify-verdict', pass: true, by: 'participant', result: 'pass', reasons: [] } as never)]);
    expect(own['i-aaaaaa'].debrief).toBeUndefined();
  });

  it('nothing for an instance whose scenario is not published to this team', () => {
    const parsed = parseEventLog([released, line({ type: 'hint', index: 0 } as never)].join('\n'));
    expect(teamAnswers(foldTeamLog(parsed), parsed.events, () => undefined)).toEqual({});
  });
});

const NS = 'crashlab-g1-team-1';

describe('a team’s lab on a laptop without the pack', () => {
  function room() {
    const kube = new MemoryKube(NS);
    const labels = { 'app.kubernetes.io/managed-by': 'crashlab', 'crashlab.dev/game': 'g1', 'crashlab.dev/team': 'team-1' };
    kube.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crashlab-progress', namespace: NS, labels } });
    const content: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONTENT_CONFIGMAP, namespace: NS, labels }, data: { [CONTENT_SCENARIOS_KEY]: JSON.stringify([publishScenario(pack)]) } } as K8sObject;
    kube.objects.push(content);
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-room-'));
    const file = join(dir, 'team-1.kubeconfig');
    writeFileSync(file, yaml.dump(teamKubeconfig('g1', 'team-1', { server: 'https://127.0.0.1:6443', caData: 'Q0E=' }, 'e30.e30.sig')), { mode: 0o600 });
    const events: GameEvent[] = [];
    let now = Date.parse('2026-12-06T12:00:00Z');
    let onSleep = () => {};
    const lab = composeLab(
      { kubeconfig: file, yes: false, lang: 'en', color: false },
      {
        kube: () => kube,
        store: new MemoryStore(),
        clock: { now: () => now, sleep: async (ms) => void ((now += ms), onSleep()) },
        env: {},
        offered: async () => ['oom', 'acme-oom'],
        teamLog: { append: async (_ns, e) => void events.push(...e) },
        randomBytes: (n) => new Uint8Array(n).fill(7),
      },
    );
    /** The board answering: what it writes into the content ConfigMap. */
    const answer = (answers: object) => ((content.data as Record<string, string>)[CONTENT_ANSWERS_KEY] = JSON.stringify(answers));
    return { kube, lab, events, answer, whileWaiting: (f: () => void) => (onSleep = f) };
  }

  it('lists and starts the published scenario from the room’s content', async () => {
    const { kube, lab } = room();
    expect((await lab.scenarios()).map((s) => s.id)).toEqual(expect.arrayContaining(['oom', 'acme-oom']));
    const run = await lab.start('acme-oom');
    const deployment = kube.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === NS)!;
    expect(deployment.metadata.labels?.['crashlab.dev/instance']).toBe(run.instance);
  });

  it('refuses solve and says why (the solution stays with the instructor)', async () => {
    const { lab } = room();
    const run = await lab.start('acme-oom');
    await expect(lab.solve(run)).rejects.toMatchObject({ kind: 'not-in-room', message: expect.stringMatching(/reference solution stays with the instructor/) });
  });

  it('a hint is logged first, then its text comes from the board’s answer', async () => {
    const { lab, events, answer, whileWaiting } = room();
    const run = await lab.start('acme-oom');
    whileWaiting(() => answer({ [run.instance!]: { scenario: 'acme-oom', hints: { '0': oom.scenario.hints[0] }, diagnoses: {} } }));
    const hint = await lab.hint(run);
    expect(events.map((e) => e.type)).toEqual(['started', 'hint']);
    expect(hint).toMatchObject({ index: 0, total: 3, text: oom.scenario.hints[0] });
  });

  it('a named cause is judged by the board; a silent board is said, after the answer was recorded', async () => {
    const { kube, lab, events, answer, whileWaiting } = room();
    const run = await lab.start('acme-oom');
    kube.pods.push({ metadata: { name: 'pod-x', namespace: NS, labels: { 'crashlab.dev/instance': run.instance! } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] }, status: { phase: 'Running' } } as never);
    const error = await lab.checkDiagnosis(run, 'pod-x', 'oom-killed').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'board-silent', message: expect.stringMatching(/has not sent its judgement/) });
    expect(events.at(-1)).toMatchObject({ type: 'diagnosis', category: 'oom-killed' });
    whileWaiting(() => answer({ [run.instance!]: { scenario: 'acme-oom', hints: {}, diagnoses: { 'oom-killed': true } } }));
    expect(await lab.checkDiagnosis(run, 'pod-x', 'oom-killed')).toMatchObject({ picked: 'oom-killed', correct: true });
  });
});
