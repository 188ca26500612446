/**
 * Renders the lab at a fixed terminal size (ink-testing-library's stdout is fixed at 100
 * columns; the lab must be judged at 80×24) and lets tests type keys and wait for frames.
 */
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink';
import { App } from '../../../src/tui/app.js';
import { labClient, type LabClient } from '../../../src/tui/client.js';
import type { SlowCallStore } from '../../../src/tui/slowCallStore.js';
import { createLab } from '../../../src/engine/labApi.js';
import { deployRun } from '../../../src/engine/scenarioRuns.js';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import type { PreflightProbes } from '../../../src/core/preflight.js';
import type { Progress } from '../../../src/core/progress.js';
import type { Lang } from '../../../src/core/text.js';
import type { EditResult } from '../../../src/ports/editor.js';
import type { Kind } from '../../../src/ports/kind.js';
import type { GameEvent } from '../../../src/core/gameday/events.js';
import { SimCluster } from '../../fakes/cluster.js';
import { VirtualClock } from '../../fakes/clock.js';
import { MemoryStore } from '../../fakes/memoryKube.js';

/** The real scenario catalog: the UI tests run the real engine over the simulated cluster. */
const CATALOG = await loadCatalog(packageRoot());
const START = Date.parse('2026-11-24T10:00:00Z');

/** What a machine with docker, kind, kubectl and crashlab's cluster looks like to preflight. */
export const HEALTHY_MACHINE: PreflightProbes = {
  platform: 'linux',
  arch: 'x64',
  docker: { found: true, serverVersion: '27.3.1' },
  kind: { found: true, version: 'v0.32.0', clusters: ['crashlab'] },
  kubectl: { found: true, version: 'v1.34.1' },
  kubeconfig: { current: 'kind-crashlab', contexts: ['kind-crashlab'] },
  server: { reachable: true, version: 'v1.34.1' },
};

/** The lab's client over the real engine, plus the handles a test drives the world with. */
export interface LabServices extends LabClient {
  sim: SimCluster;
  /** Game mode: what the lab appended to the team's event log. */
  teamEvents: GameEvent[];
  store: MemoryStore;
  now(): number;
  /** Moves the cluster's clock, a second at a time (pods crash, back off, verify's timers fire). */
  advance(ms: number): void;
  /** The learner fixes it by hand (kubectl apply of the reference solution), not with `s`. */
  fixByHand(): Promise<void>;
}

function labServices(options: { lang: Lang; tokenExpiresAt?: string; context?: string; preflight?: PreflightProbes; editor?: (text: string) => EditResult; progress?: Progress; sharedNamespace?: string; mysteryGame?: boolean; slowCalls?: SlowCallStore }): LabServices {
  const clock = new VirtualClock(START);
  const sim = new SimCluster(clock, CATALOG.bundles, options.context ?? 'kind-crashlab');
  const store = new MemoryStore();
  if (options.progress) store.progress = structuredClone(options.progress);
  const teamEvents: GameEvent[] = [];
  const kind: Kind = { version: async () => 'v0.32.0', clusters: async () => ['crashlab'], create: async () => undefined, delete: async () => undefined };
  const api = createLab(
    {
      kube: async () => sim,
      kind: async () => kind,
      store,
      clock,
      catalog: { load: async () => ({ scenarios: CATALOG.scenarios, bundles: CATALOG.bundles, problems: [] }) },
      preflight: async () => options.preflight ?? HEALTHY_MACHINE,
      editor: { edit: async (text) => (options.editor ? options.editor(text) : { status: 'unchanged' }) },
      mysteryGame: async () => options.mysteryGame ?? false,
      ...(options.sharedNamespace ? { teamLog: { append: async (_namespace: string, events: GameEvent[]) => void teamEvents.push(...events) } } : {}),
    },
    // A team kubeconfig is the instructor's consent (compose.ts teamScope): no context question.
    { context: options.context, yes: options.sharedNamespace !== undefined, lang: options.lang, kindConfigPath: 'kind/crashlab.yaml', sharedNamespace: options.sharedNamespace, tokenExpiresAt: options.tokenExpiresAt },
  );
  return {
    ...labClient(api, options.lang, options.slowCalls),
    sim,
    teamEvents,
    store,
    now: () => clock.now(),
    advance: (ms) => sim.advance(ms),
    async fixByHand() {
      const run = [...sim.namespaces.keys()][0];
      const pod = sim.simPods[0];
      const bundle = CATALOG.bundles.find((b) => pod?.replicaSet.startsWith(`${b.scenario.workload.deployment}-`))!;
      await deployRun(sim, { ...(await api.target(bundle.scenario.id)), namespace: run }, bundle.solution);
    },
  };
}

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  write(data: string) {
    this.pending.push(data);
    this.emit('readable');
  }
  read = () => this.pending.shift() ?? null;
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
  pause() {}
  resume() {}
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  backspace: '\x7f',
  ctrlC: '\x03',
};

export interface Lab {
  services: LabServices;
  stdout: FakeStdout;
  /** Raw input: one write is one chunk, however many keys it holds. */
  stdin: FakeStdin;
  frame(): string;
  /** Types keys one at a time, letting the app render between them. */
  type(...keys: string[]): Promise<void>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  exitCode(): number | undefined;
  /** What the app put on the clipboard (OSC 52 in a real terminal). */
  copied: string[];
  exited: Promise<unknown>;
  unmount(): void;
}

/** Long enough for a render and its effects (Ink re-subscribes the key handler after each commit). */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function renderLab(
  options: {
    columns?: number;
    rows?: number;
    lang?: Lang;
    context?: string;
    preflight?: PreflightProbes;
    editor?: (text: string) => EditResult;
    progress?: Progress;
    /** Game mode: the lab runs in this team namespace (a team kubeconfig's). */
    sharedNamespace?: string;
    /** The instructor made the team's game a mystery game. */
    mysteryGame?: boolean;
    patch?: (services: LabServices) => void;
    clock?: () => number;
    /** The feed the status line's slow-cluster notice reads (the composition root's onSlowCall). */
    slowCalls?: SlowCallStore;
    /** How often a team's picker looks for released rounds. */
    teamRefreshMs?: number;
    /** The team token's expiry (from its kubeconfig). */
    tokenExpiresAt?: string;
  } = {},
): Lab {
  const services = labServices({ lang: options.lang ?? 'en', tokenExpiresAt: options.tokenExpiresAt, context: options.context, preflight: options.preflight, editor: options.editor, progress: options.progress, sharedNamespace: options.sharedNamespace, mysteryGame: options.mysteryGame, slowCalls: options.slowCalls });
  options.patch?.(services);
  const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
  const stdin = new FakeStdin();
  let code: number | undefined;
  const copied: string[] = [];
  const terminal = { handOver: <T,>(task: () => Promise<T>) => task(), copy: (text: string) => copied.push(text) };
  const instance = render(<App services={services} lang={options.lang ?? 'en'} terminal={terminal} now={options.clock ?? services.now} onExit={(c) => (code = c)} teamRefreshMs={options.teamRefreshMs} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => stdout.frames.at(-1) ?? '';
  return {
    services,
    stdout,
    stdin,
    frame,
    async type(...keys: string[]) {
      for (const key of keys) {
        await settle();
        stdin.write(key);
        await settle();
      }
    },
    async waitFor(text, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = frame();
        if (typeof text === 'string' ? current.includes(text) : text.test(current)) return current;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${current}`);
        await settle(5);
      }
    },
    exitCode: () => code,
    copied,
    exited: instance.waitUntilExit(),
    unmount: () => instance.unmount(),
  };
}

/** From launch to the lab view of the first scenario (bad-command), its pod created. */
export async function openFirstLab(lab: Lab): Promise<void> {
  await lab.waitFor('Pick a scenario');
  await lab.type(KEY.enter);
  await lab.waitFor('60-second routine');
  await lab.waitFor(/READY 0\/1/);
}

/** The pod the simulated Deployment runs now. */
export function podName(lab: Lab): string {
  return lab.services.sim.simPods.at(-1)!.name;
}

/** Waits until `check` holds (for effects that finish after the frame that shows them). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await settle(5);
  }
}
