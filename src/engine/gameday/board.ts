/**
 * The live instructor board: exactly two watches for the whole game, whatever the number of
 * teams (every pod labelled `crashlab.dev/game=<G>` across namespaces, and every ConfigMap of
 * the game: the teams' progress logs and the instructor's `crashlab-game`). Each change
 * rebuilds the pure board model (core/gameday/board.ts). When a team asks for verification the
 * board runs the same verify engine as `crashlab verify` (read-only), feeding it pods from the
 * game-wide watch instead of opening a watch per team, and appends a signed instructor verdict.
 */
import { boardMemo, buildBoard, type Board, type StuckRules } from '../../core/gameday/board.js';
import {
  foldTeamLog,
  GAME_LABEL,
  INSTANCE_LABEL,
  parseEventLog,
  pendingVerifyRequests,
  PROGRESS_CONFIGMAP,
  PROGRESS_EVENTS_KEY,
  TEAM_LABEL,
  type GameEvent,
  type ParsedLog,
  type FoldedTeamLog,
  type VerifyVerdictEvent,
} from '../../core/gameday/events.js';
import { controlNamespace, GAME_CONFIGMAP, GAME_DATA_KEY, gameClock, parseGameMeta, teamNamespace, type GameMeta } from '../../core/gameday/game.js';
import { matchesSelector } from '../../core/gameday/selector.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type K8sObject, type Pod } from '../../core/k8s.js';
import { requireChangeFor } from '../../core/verify/unchanged.js';
import { parseDuration, type Scenario } from '../../core/scenario.js';
import type { Clock } from '../../ports/clock.js';
import type { ConfigMap, GameCluster, WatchEvent } from '../../ports/gameCluster.js';
import { appendToTeamLog, updateConfigMap } from './configMapWrites.js';
import type { Kube, PodWatchEvent, Watch } from '../../ports/kube.js';
import { verifyDeployment, type Verdict } from '../verify.js';
import type { Signer } from './signing.js';
import { CONTENT_ANSWERS_KEY, CONTENT_CONFIGMAP, readTeamContent, teamAnswers } from '../../core/gameday/teamContent.js';

export interface GameBoardOptions {
  game: string;
  cluster: GameCluster;
  /** The lab's Kube port, for the verify engine's reads (its pod watch is served by the board's). */
  kube: Kube;
  clock: Clock;
  /** Scenario id → scenario, for categories, guards and verify settings. */
  scenarios: Record<string, Scenario>;
  /**
   * Scenario id → its broken manifest's objects, for `verify.requireChange` (a scenario that heals
   * by itself passes nobody who changed nothing).
   */
  brokenObjects?: Record<string, K8sObject[]>;
  /** Signs this board's verdicts and checks those in the logs. */
  signer?: Signer;
  /**
   * Without a signer: count unsigned instructor verdicts (a board that could not get a key;
   * it says so) or none (default: a snapshot of a game whose board never signed anything).
   */
  trustUnsigned?: boolean;
  /** Answer verify requests (default true); a second, read-only board passes false. */
  verify?: boolean;
  maxConcurrentVerifies?: number;
  hideScenarios?: boolean;
  stuck?: StuckRules;
  onChange?: (board: Board) => void;
  /** Knobs of the verify engine (tests shorten its cadence). */
  verifyTuning?: { pollIntervalMs?: number; windowOverrideSeconds?: number };
  /**
   * Rendering may take about 1 / (1 + renderGapFactor) of a core: after a render of c ms
   * (c ≥ 5), the next waits until factor·c ms have passed. 0 (default): every change renders.
   */
  renderGapFactor?: number;
  /**
   * At most one render this often (ms): a burst of pod events (a round's release: a hundred a
   * second) is drawn as it comes, a frame at a time, instead of once per event. 0 (default): no
   * floor.
   */
  minRenderGapMs?: number;
  /** Pause before re-opening a watch the API server closed. */
  rewatchDelayMs?: number;
}

interface TeamState {
  team: string;
  namespace: string;
  parsed: ParsedLog;
  log: FoldedTeamLog;
  text: string;
}

/** Renders cheaper than this are never held back (see schedule). */
const THROTTLE_FROM_MS = 5;
const RETRY_AFTER_MS = 15_000;
/**
 * A verification that lost the cluster (an API server restart) is tried again rather than
 * answered "could not verify": the team asked once. After this many tries it is answered.
 */
const MAX_LOST_CLUSTER_TRIES = 8;

export class GameBoard {
  private readonly pods = new Map<string, Pod>();
  /** The same pods by namespace: a pod event replaces its namespace's list only (the board keeps the rest). */
  private readonly podLists = new Map<string, readonly Pod[]>();
  private readonly teams = new Map<string, TeamState>();
  /** teamList(), until the game's metadata or a team log comes or goes. */
  private teamsListed?: { team: string; namespace: string; log?: FoldedTeamLog }[];
  private meta?: GameMeta;
  private readonly verifying = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private readonly lostCluster = new Map<string, number>();
  private readonly abort = new AbortController();
  private answering: boolean;
  private readonly notes = new Map<string, string>();
  /** Team namespace → its content ConfigMap (packs in a room): published ids and the answers text last seen. */
  private readonly content = new Map<string, { published: Set<string>; answers: string }>();
  private readonly publishing = new Set<string>();
  private watches: Watch[] = [];
  private stopped = false;
  private scheduled = false;
  private lastRender = { at: -Infinity, ms: 0 };
  private readonly podSubscribers = new Set<(event: PodWatchEvent) => void>();
  private readonly running = new Set<Promise<void>>();
  /** Kept between renders: a pod event re-derives its team's row, not every team's (core BoardMemo). */
  private readonly memo = boardMemo();
  private readonly categories: Record<string, string>;
  readonly stats = { podEvents: 0, configMapEvents: 0, renders: 0, verifications: 0, podWatchesOpened: 0, configMapWatchesOpened: 0 };

  constructor(private readonly options: GameBoardOptions) {
    this.answering = options.verify !== false;
    this.categories = Object.fromEntries(Object.values(options.scenarios).map((s) => [s.id, s.category]));
    if (!options.signer && options.trustUnsigned) this.notes.set('unsigned', 'instructor verdicts are not signed (no board key): a team could forge one');
    if (!options.signer && !options.trustUnsigned) this.notes.set('unsigned', 'no board key in the control namespace: no instructor verdict can be trusted yet');
  }

  start(): void {
    this.openPodWatch();
    this.openConfigMapWatch();
  }

  /**
   * One list of pods and ConfigMaps instead of watches: a snapshot for `board --json` and
   * `export`. It answers no verify request (that takes a stability window).
   */
  async load(): Promise<Board> {
    const [pods, configMaps] = await Promise.all([this.options.cluster.listPods(this.selector()), this.options.cluster.listConfigMaps(this.selector())]);
    const answering = this.answering;
    this.answering = false;
    try {
      for (const pod of pods) this.onPod({ type: 'ADDED', object: pod });
      // The game metadata first: the team logs are judged against it.
      const meta = configMaps.filter((c) => c.metadata.name === GAME_CONFIGMAP);
      for (const cm of [...meta, ...configMaps.filter((c) => !meta.includes(c))]) this.onConfigMap({ type: 'ADDED', object: cm });
    } finally {
      this.answering = answering;
    }
    return this.board();
  }

  /** Stops both watches and waits for verifications in flight to finish writing. */
  async stop(): Promise<void> {
    this.stopped = true;
    // A verification cut short writes no verdict: the request stays open for the next board.
    this.abort.abort();
    for (const w of this.watches) w.cancel();
    this.watches = [];
    await Promise.allSettled([...this.running]);
  }

  board(): Board {
    return buildBoard({
      game: this.options.game,
      nowMs: this.options.clock.now(),
      meta: this.meta,
      teams: this.teamList(),
      podsByNamespace: this.podLists,
      categories: this.categories,
      verifying: new Set([...this.verifying].map((k) => k.split('/')[1])),
      stuck: this.options.stuck,
      hideScenarios: this.options.hideScenarios,
      notes: [...this.notes.values()],
    }, this.memo);
  }

  /** Every team's parsed events, for the export. */
  logs(): { team: string; events: GameEvent[]; lines?: number[] }[] {
    return this.teamList().map((t) => {
      const parsed = this.teams.get(t.namespace)?.parsed;
      return { team: t.team, events: parsed?.events ?? [], lines: parsed?.lines?.map((l) => l.line) };
    });
  }

  gameMeta(): GameMeta | undefined {
    return this.meta;
  }

  private teamList(): { team: string; namespace: string; log?: FoldedTeamLog }[] {
    if (this.teamsListed) return this.teamsListed;
    const names = new Map<string, string>();
    for (const team of this.meta?.teams ?? []) names.set(teamNamespace(this.options.game, team), team);
    for (const t of this.teams.values()) names.set(t.namespace, t.team);
    return (this.teamsListed = [...names].map(([namespace, team]) => ({ team, namespace, log: this.teams.get(namespace)?.log })));
  }

  // ---------------------------------------------------------------- watches

  private selector(): string {
    return `${GAME_LABEL}=${this.options.game}`;
  }

  private openPodWatch(): void {
    this.stats.podWatchesOpened++;
    let fresh = true;
    const watch = this.options.cluster.watchPods(
      this.selector(),
      (event) => {
        if (fresh) {
          // A re-opened watch lists every pod again as ADDED: forget what may have gone meanwhile.
          this.pods.clear();
          this.podLists.clear();
          fresh = false;
        }
        this.onPod(event);
      },
      (error) => this.watchTrouble('pods', error),
    );
    this.watches.push(watch);
    void watch.done.then(() => this.rewatch(watch, () => this.openPodWatch()));
  }

  private openConfigMapWatch(): void {
    this.stats.configMapWatchesOpened++;
    const watch = this.options.cluster.watchConfigMaps(
      this.selector(),
      (event) => this.onConfigMap(event),
      (error) => this.watchTrouble('configmaps', error),
    );
    this.watches.push(watch);
    void watch.done.then(() => this.rewatch(watch, () => this.openConfigMapWatch()));
  }

  private rewatch(watch: Watch, open: () => void): void {
    this.watches = this.watches.filter((w) => w !== watch);
    if (this.stopped) return;
    void this.options.clock.sleep(this.options.rewatchDelayMs ?? 1000).then(() => {
      if (!this.stopped) open();
    });
  }

  private watchTrouble(what: string, error: Error): void {
    this.notes.set(`watch-${what}`, `${what} watch: ${error.message}`);
    this.schedule();
  }

  private onPod(event: WatchEvent<Pod>): void {
    this.stats.podEvents++;
    this.notes.delete('watch-pods');
    const key = podKey(event.object);
    if (event.type === 'DELETED') this.pods.delete(key);
    else this.pods.set(key, event.object);
    // The namespace's list in this.pods's order (an update keeps its place, as Map.set does).
    const ns = event.object.metadata.namespace ?? '';
    const old = this.podLists.get(ns) ?? [];
    const at = old.findIndex((p) => podKey(p) === key);
    const list = event.type === 'DELETED' ? old.filter((_, i) => i !== at) : at < 0 ? [...old, event.object] : old.map((p, i) => (i === at ? event.object : p));
    if (list.length > 0) this.podLists.set(ns, list);
    else this.podLists.delete(ns);
    for (const subscriber of this.podSubscribers) subscriber({ type: event.type, pod: event.object });
    this.schedule();
  }

  private onConfigMap(event: WatchEvent<ConfigMap>): void {
    this.stats.configMapEvents++;
    this.teamsListed = undefined;
    this.notes.delete('watch-configmaps');
    const cm = event.object;
    const namespace = cm.metadata.namespace ?? '';
    if (cm.metadata.name === GAME_CONFIGMAP && namespace === controlNamespace(this.options.game)) {
      if (event.type === 'DELETED') this.meta = undefined;
      else {
        const parsed = parseGameMeta(cm.data?.[GAME_DATA_KEY]);
        if (parsed.ok) {
          this.meta = parsed.meta;
          this.notes.delete('meta');
          // A game offering a pack's scenarios needs the pack here too: without it nothing of
          // theirs can be verified, judged or published (packs in a room).
          const missing = parsed.meta.scenarios.filter((id) => !this.options.scenarios[id]);
          if (missing.length) this.notes.set('packs', `this game offers ${missing.join(', ')}, which this board has not loaded: start it with the same --scenarios DIR as gameday create`);
          else this.notes.delete('packs');
        } else this.notes.set('meta', parsed.error);
      }
      // Which releases are the instructor's is judged against the game's mapping: judge again.
      for (const team of this.teams.values()) team.log = this.fold(team.namespace, team.team, team.parsed);
    } else if (cm.metadata.name === PROGRESS_CONFIGMAP && namespace !== controlNamespace(this.options.game)) {
      if (event.type === 'DELETED') this.teams.delete(namespace);
      else {
        const text = cm.data?.[PROGRESS_EVENTS_KEY] ?? '';
        const previous = this.teams.get(namespace);
        if (previous && previous.text === text) return;
        const team = cm.metadata.labels?.[TEAM_LABEL] ?? namespace.replace(`crashlab-${this.options.game}-`, '');
        const parsed = parseEventLog(text);
        const log = this.fold(namespace, team, parsed);
        // The log is append-only: a team rewriting its past is worth the instructor's attention.
        if (previous && !text.startsWith(previous.text)) this.notes.set(`rewrite-${namespace}`, `${team} rewrote its event log (not an append)`);
        this.teams.set(namespace, { team, namespace, parsed, log, text });
      }
    } else if (cm.metadata.name === CONTENT_CONFIGMAP && namespace !== controlNamespace(this.options.game)) {
      if (event.type === 'DELETED') this.content.delete(namespace);
      else {
        const read = readTeamContent(cm.data);
        this.content.set(namespace, { published: new Set(read.scenarios.map((s) => s.id)), answers: cm.data?.[CONTENT_ANSWERS_KEY] ?? '' });
      }
    } else return;
    this.answerRequests();
    this.publishAnswers();
    this.schedule();
  }

  /**
   * Packs in a room: what each team has earned of a scenario its laptops do not have (a paid
   * hint's text, the judgement of a named cause, the debrief after a pass), written into its
   * content ConfigMap when it changed (core/gameday/teamContent.ts decides what).
   */
  private publishAnswers(): void {
    if (!this.answering || this.stopped) return;
    for (const team of this.teams.values()) {
      const content = this.content.get(team.namespace);
      if (!content || content.published.size === 0 || this.publishing.has(team.namespace)) continue;
      const meta = this.meta;
      const scenarioOf = (instance: string) => {
        const record = meta?.instances[instance];
        return record && record.team === team.team && content.published.has(record.scenario) ? this.options.scenarios[record.scenario] : undefined;
      };
      const text = JSON.stringify(teamAnswers(team.log, team.parsed.events, scenarioOf));
      if (text === content.answers) continue;
      this.publishing.add(team.namespace);
      const run: Promise<void> = this.writeAnswers(team.namespace, text)
        .then(
          () => {
            this.publishing.delete(team.namespace);
            content.answers = text;
            // Events that came in while this write ran (a failed write waits for the next event).
            this.publishAnswers();
          },
          (error: unknown) => {
            this.publishing.delete(team.namespace);
            this.notes.set(`content-${team.namespace}`, `publishing to ${team.team}: ${(error as Error).message}`);
          },
        )
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  private async writeAnswers(namespace: string, text: string): Promise<void> {
    await updateConfigMap(this.options.cluster, namespace, CONTENT_CONFIGMAP, (current) =>
      !current || current.data?.[CONTENT_ANSWERS_KEY] === text ? undefined : { ...current, data: { ...current.data, [CONTENT_ANSWERS_KEY]: text } },
    );
  }

  /**
   * A team's log as the board counts it: instructor verdicts only with this board's signature,
   * releases only those the game's mapping gives this team (a team can write its log).
   */
  private fold(namespace: string, team: string, parsed: ParsedLog): FoldedTeamLog {
    const signer = this.options.signer;
    const trusted = signer ? (e: VerifyVerdictEvent) => signer.check(namespace, e) : () => this.options.trustUnsigned === true;
    const meta = this.meta;
    return foldTeamLog(parsed, trusted, { released: meta ? (e) => meta.instances[e.instance]?.team === team : undefined });
  }

  /**
   * Coalesces the events of one kubectl output chunk into one render; with `renderGapFactor`
   * (`gameday board`'s, engine/gameday/liveBoard.ts: 9), keeps rendering (the board and its
   * listeners: the JSON line, the screen) to about a tenth of a core: after a render that took
   * c ≥ 5 ms, the next waits until 9·c ms have passed. A 100-team board renders in ~0.5 ms:
   * never held back; a 1,000-team one in ~5 ms: held back when a render crosses 5 ms, instead
   * of one per pod event past a core. With `minRenderGapMs` (liveBoard: 25) a burst renders a
   * frame at a time.
   */
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    const render = () => {
      this.scheduled = false;
      if (this.stopped) return;
      const started = performance.now();
      this.stats.renders++;
      this.options.onChange?.(this.board());
      this.lastRender = { at: performance.now(), ms: performance.now() - started };
    };
    // A board that renders in a few ms (up to a few hundred teams) renders every chunk at once,
    // but not more often than a frame.
    const factor = this.options.renderGapFactor ?? 0;
    const now = performance.now();
    const costWait = factor === 0 || this.lastRender.ms < THROTTLE_FROM_MS ? 0 : this.lastRender.at + factor * this.lastRender.ms - now;
    const wait = Math.max(costWait, this.lastRender.at + (this.options.minRenderGapMs ?? 0) - now);
    if (wait <= 0) queueMicrotask(render);
    else setTimeout(render, wait).unref?.();
  }

  // ---------------------------------------------------------------- verification

  private answerRequests(): void {
    if (!this.answering || this.stopped) return;
    const max = this.options.maxConcurrentVerifies ?? 4;
    for (const team of this.teams.values()) {
      // The newest open request of each instance: the verdict names it (and answers the older ones).
      const latest = new Map<string, string | undefined>();
      for (const r of pendingVerifyRequests(team.log)) latest.set(r.instance, r.id);
      for (const [instance, request] of latest) {
        const key = `${team.namespace}/${instance}`;
        if (this.verifying.has(key)) continue;
        // A verification that could not even write its verdict is retried, but not in a tight loop.
        const failed = this.failedAt.get(key);
        if (failed !== undefined && this.options.clock.now() - failed < RETRY_AFTER_MS) continue;
        if (this.verifying.size >= max) return;
        this.verifying.add(key);
        const run: Promise<void> = this.verifyOne(team, instance, request)
          .then(() => void this.notes.delete(`verify-${key}`))
          .catch((error: unknown) => {
            this.notes.set(`verify-${key}`, `verifying ${team.team}: ${(error as Error).message}`);
            this.failedAt.set(key, this.options.clock.now());
            // Nothing else may wake the board (a relisted log that did not change is no event): ask again later.
            // (Cancelled by stop(): a stopped board keeps no timer alive.)
            this.options.clock.sleep(RETRY_AFTER_MS, this.abort.signal).then(
              () => this.answerRequests(),
              () => {},
            );
          })
          .finally(() => {
            this.verifying.delete(key);
            this.running.delete(run);
            this.schedule();
            // A request that waited for a free slot, or came in while this one ran.
            this.answerRequests();
          });
        this.running.add(run);
        this.schedule();
      }
    }
  }

  private async verifyOne(team: TeamState, instance: string, request: string | undefined): Promise<void> {
    this.stats.verifications++;
    const { clock } = this.options;
    const record = this.meta?.instances[instance];
    const scenario = record ? this.options.scenarios[record.scenario] : undefined;
    let result: 'pass' | 'fail' | 'unable';
    let reasons: string[];
    if (this.meta && gameClock(this.meta, clock.now()).phase === 'over') {
      result = 'unable';
      reasons = ['the game is over: no more verifications'];
    } else if (!record || record.team !== team.team || !scenario) {
      result = 'unable';
      reasons = [`instance ${instance} was not released to ${team.team} by the instructor`];
    } else {
      const deployments = await this.options.cluster.findDeployments(team.namespace, `${INSTANCE_LABEL}=${instance}`);
      const deployment = deployments.find((d) => d.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) ?? deployments[0];
      if (!deployment) {
        result = 'unable';
        reasons = [`no Deployment labelled ${INSTANCE_LABEL}=${instance} in ${team.namespace}`];
      } else {
        const verdict = await verifyDeployment({
          kube: this.sharedKube(),
          clock,
          namespace: team.namespace,
          deployment: deployment.metadata.name,
          guards: scenario.guards,
          requireChange: requireChangeFor(scenario, this.options.brokenObjects?.[scenario.id] ?? []),
          crashWithinSeconds: parseDuration(scenario.verify.crashWithin),
          marginSeconds: parseDuration(scenario.verify.margin),
          rolloutTimeoutSeconds: parseDuration(scenario.verify.rolloutTimeout),
          pollIntervalMs: this.options.verifyTuning?.pollIntervalMs,
          windowOverrideSeconds: this.options.verifyTuning?.windowOverrideSeconds,
          signal: this.abort.signal,
        });
        if (verdict.interrupted || this.stopped) return;
        const key = `${team.namespace}/${instance}`;
        if (verdict.unableCause === 'cluster') {
          const tries = (this.lostCluster.get(key) ?? 0) + 1;
          this.lostCluster.set(key, tries);
          if (tries < MAX_LOST_CLUSTER_TRIES) throw new Error(`${verdict.summary.en} (tried ${tries} time${tries === 1 ? '' : 's'}; trying again)`);
        }
        this.lostCluster.delete(key);
        result = verdict.result;
        reasons = verdictReasons(verdict);
      }
    }
    const event: VerifyVerdictEvent = {
      at: new Date(clock.now()).toISOString(),
      type: 'verify-verdict',
      instance,
      pass: result === 'pass',
      by: 'instructor',
      result,
      reasons,
      ...(request !== undefined ? { request } : {}),
    };
    if (this.options.signer) event.sig = this.options.signer.sign(team.namespace, event);
    // Another board may have answered meanwhile: one verdict per request, whatever the number
    // of boards (the fold counts only the first anyway; this keeps the log free of the second).
    const answered = (text: string | undefined) => {
      if (request === undefined) return false;
      const state = this.fold(team.namespace, team.team, parseEventLog(text)).instances.find((s) => s.instance === instance);
      return state?.requests.some((r) => r.id === request && r.verdict !== undefined) ?? false;
    };
    await appendToTeamLog(this.options.cluster, team.namespace, this.options.game, team.team, [event], answered);
  }

  /**
   * The lab's Kube with its pod watch served from the board's game-wide watch: a verification
   * opens no watch of its own (still one pod watch for the whole game), and every other call
   * goes to the real Kube. A Proxy, so a method added to the Kube port later passes through.
   * The optional object watches are hidden: the verifier then re-reads the workload and its
   * events on its own schedule (every few seconds) instead of opening two watches per team.
   */
  private sharedKube(): Kube {
    const watchPods = (namespace: string, labelSelector: string | undefined, onEvent: (e: PodWatchEvent) => void): Watch => {
      const matches = (pod: Pod) => pod.metadata.namespace === namespace && (!labelSelector || matchesSelector(pod.metadata.labels, labelSelector));
      const subscriber = (e: PodWatchEvent) => {
        if (matches(e.pod)) onEvent(e);
      };
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      // Like a real watch: first the current pods, as ADDED.
      queueMicrotask(() => {
        for (const pod of this.pods.values()) if (matches(pod)) onEvent({ type: 'ADDED', pod });
        this.podSubscribers.add(subscriber);
      });
      return {
        done,
        cancel: () => {
          queueMicrotask(() => this.podSubscribers.delete(subscriber));
          resolve();
        },
      };
    };
    const kube = this.options.kube;
    return new Proxy(kube, {
      get(target, prop, receiver) {
        if (prop === 'watchPods') return watchPods;
        if (prop === 'watchObjects') return undefined;
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

const podKey = (pod: Pod) => pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;

function verdictReasons(verdict: Verdict): string[] {
  const reasons: string[] = [];
  // The first piece of evidence is often the summary itself, reworded: keep what adds something.
  for (const text of [verdict.summary.en, ...verdict.evidence.map((e) => e.summary.en), ...verdict.guardResults.filter((g) => !g.ok).map((g) => g.message.en)]) {
    if (text && !reasons.some((r) => r.includes(text))) reasons.push(text);
  }
  return reasons.slice(0, 6);
}
