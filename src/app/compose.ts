/**
 * The composition root: the only place that turns options (context, kubeconfig, language,
 * colour) into adapters and hands the lab action API (engine/labApi.ts) to a client. Adapters
 * load on first use, so a command that never touches a cluster does not pay for execa.
 */
import { join, resolve } from 'node:path';
import { parseTeamKubeconfig, teamFromProgress } from '../core/gameday/participant.js';
import { MODE_ANNOTATION, OFFERED_ANNOTATION } from '../core/gameday/names.js';
import { GAME_LABEL, PROGRESS_CONFIGMAP, TEAM_LABEL } from '../core/gameday/events.js';
import type { Lang, Text } from '../core/text.js';
import { ALL_LAB_FAMILIES, labFamilies, type LabApi, type LabFamilies, type LabFamily } from '../engine/labApi.js';
import { LabContext } from '../engine/lab/context.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Editor } from '../ports/editor.js';
import type { Kind } from '../ports/kind.js';
import type { Kube } from '../ports/kube.js';
import { kubeError } from '../ports/errors.js';
import type { K8sObject } from '../core/k8s.js';
import type { PreflightProbe } from '../ports/preflight.js';
import type { ProgressStore } from '../ports/store.js';
import type { TeamLogWriter } from '../ports/gameday.js';
import { FileProgressStore, defaultProgressPath } from '../adapters/progressStore.js';
import { formatProblem, loadCatalog, type Catalog } from '../adapters/scenarios.js';
import { catalogPort, contentRootOf } from './readOnly.js';
import { loadPacks, type LoadPacksOptions, type PackCatalog, type PackInfo } from '../adapters/packs.js';
import { timeKubeCalls, type OnSlowCall } from './slowCallTimer.js';
import { kubeconfigFromEnv, teamKubeconfigFile, teamKubeconfigText } from './teamFile.js';

export type { LabApi, LabFamilies, LabFamily };
export { labFamilies };

/** What every client is started with (the CLI's global options; the lab UI gets the same). */
export interface AppOptions {
  /** kubeconfig context; undefined means the default kind-crashlab. */
  context?: string;
  /** A kubeconfig file instead of $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** Skip confirmations (non-kind contexts, destructive resets). */
  yes: boolean;
  lang: Lang;
  color: boolean;
  /** Per kubectl call (--request-timeout / CRASHLAB_REQUEST_TIMEOUT); doctor's checks use at most 5 s. */
  requestTimeoutMs?: number;
  /** Scenario packs besides the built-in one (--scenarios, then CRASHLAB_SCENARIOS). */
  scenarioDirs?: string[];
}

/** Replaceable parts, so clients can be tested in-process without a cluster. */
export interface AppOverrides {
  kube?: (context: string) => Kube;
  kind?: Kind;
  store?: ProgressStore;
  clock?: Clock;
  /** Directory holding scenarios/, solutions/ and kind/ (default: the package root). */
  contentRoot?: string;
  /** Answers a yes/no question (the CLI reads a TTY). */
  confirm?: (question: string, words?: Text) => Promise<boolean>;
  editor?: Editor;
  preflight?: PreflightProbe;
  randomBytes?: (count: number) => Uint8Array;
  env?: NodeJS.ProcessEnv;
  /**
   * Hold the store's warnings (a progress file set aside) for the next progress() call instead
   * of writing them to stderr: the lab UI owns the terminal.
   */
  holdStoreWarnings?: boolean;
  /** The team's event log in game mode (default: kubectl with the team kubeconfig). */
  teamLog?: TeamLogWriter;
  /** The game's labels for the team's runs (default: read from its progress ConfigMap). */
  gameLabels?: () => Promise<Record<string, string> | undefined>;
  /** The scenarios the team's game offers (default: read from its progress ConfigMap). */
  offered?: () => Promise<string[] | undefined>;
  /** Whether the team's game is a mystery game (default: read from its progress ConfigMap). */
  mysteryGame?: () => Promise<boolean>;
  /** Where warnings go (a progress file set aside, progress not saved); default: stderr. Ignored with holdStoreWarnings. */
  onWarning?: (warning: string) => void;
  /** Ctrl-C: stops running kubectl processes and refuses new ones. */
  signal?: AbortSignal;
  /** Told once when a kubectl call has waited 2 s (a cluster that accepts but does not answer). */
  onSlowCluster?: (info: { context: string; timeoutMs: number }) => void;
  /**
   * Told of every kubectl call that has waited 2 s, and (through the function it returns) when
   * that call answers: the lab UI's status line, which must also go away again.
   */
  onSlowCall?: OnSlowCall;
}

export { contentRootOf };

/** The scenario sources under `root`, every file validated, problems included (validate). */
export function openCatalog(root: string): Promise<Catalog> {
  return loadCatalog(root);
}

/** The built-in pack and `dirs`, every file validated from its sources (validate, gameday create, prove). */
export function openPacks(root: string, dirs: readonly string[] = [], options: LoadPacksOptions = {}): Promise<PackCatalog> {
  return loadPacks(root, dirs, { sources: true, ...options });
}
export type { PackCatalog, PackInfo };

export { formatProblem, type Catalog };

/**
 * A game-day team kubeconfig (`crashlab --kubeconfig team-3.kubeconfig`, `crashlab join`): its
 * current context names the team namespace `crashlab-<game>-<team>`. Then that context is used
 * (no --context needed), every run lives in that namespace, and no confirmation is asked: the
 * team's credentials reach nothing else.
 */
export function teamScope(kubeconfig: string | undefined): { context: string; namespace: string; tokenExpiresAt?: string } | undefined {
  const text = teamKubeconfigText(kubeconfig);
  if (kubeconfig === undefined || text === undefined) return undefined;
  try {
    const config = parseTeamKubeconfig(text, kubeconfig);
    return /^crashlab-[a-z0-9-]+$/.test(config.namespace) ? { context: config.context, namespace: config.namespace, ...(config.tokenExpiresAt ? { tokenExpiresAt: config.tokenExpiresAt } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The game-day team this invocation plays as, if any: a team file given with --kubeconfig or set
 * in $KUBECONFIG (as the handout says) is the game, unless --context names another cluster.
 * The one place that decides it (the lab, and `list` hiding categories, ask here).
 */
export function teamOf(options: Pick<AppOptions, 'kubeconfig' | 'context'>, env: NodeJS.ProcessEnv = process.env): ReturnType<typeof teamScope> {
  return teamScope(teamKubeconfigFile(options, env));
}

/** The whole lab API (the lab UI). */
export function composeLab(options: AppOptions, overrides: AppOverrides = {}): LabApi {
  return labFamilies(composeLabContext(options, overrides), ALL_LAB_FAMILIES);
}

/** The lab's ports and options from the global options, under any of its action families (labFamilies). */
export function composeLabContext(options: AppOptions, overrides: AppOverrides = {}): LabContext {
  const baseEnv = overrides.env ?? process.env;
  const team = teamOf(options, baseEnv);
  if (team) options = { ...options, context: team.context, yes: true };
  // Commands shown to a team must work in its shell as printed: with $KUBECONFIG set to the
  // file kubectl needs no flag; otherwise (--kubeconfig, `crashlab join FILE`) it needs the file.
  const shownKubeconfig = team && options.kubeconfig && resolve(options.kubeconfig) !== (kubeconfigFromEnv(baseEnv) && resolve(kubeconfigFromEnv(baseEnv)!)) ? resolve(options.kubeconfig) : undefined;
  const env = options.kubeconfig ? { ...baseEnv, KUBECONFIG: options.kubeconfig } : baseEnv;
  // Every kubectl of the lab, the team's log writes included: --request-timeout, Ctrl-C, the waiting notice.
  const callBounds = { timeoutMs: options.requestTimeoutMs, signal: overrides.signal, onSlow: overrides.onSlowCluster };
  // The game's rules for this team, on its progress ConfigMap (the one object it may read by name): read once.
  let teamProgress: Promise<K8sObject | undefined> | undefined;
  const readTeamProgress = (scope: { context: string; namespace: string }) =>
    (teamProgress ??= import('../adapters/kubectl.js').then(({ Kubectl }) => new Kubectl({ context: scope.context, env, ...callBounds }).getObject(scope.namespace, 'configmap', PROGRESS_CONFIGMAP)).catch((error: unknown) => {
      teamProgress = undefined;
      throw error;
    }));
  const root = contentRootOf(overrides);
  let heldWarning: string | undefined;
  const warn = overrides.holdStoreWarnings
    ? (warning: string) => (heldWarning = warning)
    : (overrides.onWarning ?? ((warning: string) => process.stderr.write(`crashlab: warning: ${warning}\n`)));
  const store = overrides.store ?? new FileProgressStore(defaultProgressPath(env), { onWarning: warn });
  const clock = overrides.clock ?? systemClock;
  let clockOffset: Promise<number> | undefined;
  return new LabContext(
    {
      kube: async (context) => {
        const adapter = await import('../adapters/kubectl.js');
        const kube = overrides.kube
          ? overrides.kube(context)
          : new adapter.Kubectl({ context, env, ...callBounds });
        const onSlowCall = overrides.onSlowCall;
        return onSlowCall ? timeKubeCalls(kube, { slowMs: adapter.SLOW_CALL_MS, now: () => clock.now(), onSlowCall }) : kube;
      },
      kind: async () => {
        if (overrides.kind) return overrides.kind;
        const { KindCli } = await import('../adapters/kind.js');
        return new KindCli({ env });
      },
      store,
      clock,
      catalog: catalogPort(root, options.scenarioDirs),
      preflight:
        overrides.preflight ??
        (async (context) => {
          const { probePreflight } = await import('../adapters/preflight.js');
          const { DEFAULT_PROBE_TIMEOUT_MS } = await import('../adapters/preflight.js');
          return probePreflight({ context, env, timeoutMs: Math.min(DEFAULT_PROBE_TIMEOUT_MS, options.requestTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS), signal: overrides.signal });
        }),
      editor: overrides.editor ?? {
        edit: async (text, fileName) => {
          const { editText } = await import('../adapters/editor.js');
          return editText(text, fileName, env);
        },
      },
      confirm: overrides.confirm,
      offered: !team
        ? undefined
        : overrides.offered ??
          (async () => {
            const list = (await readTeamProgress(team))?.metadata.annotations?.[OFFERED_ANNOTATION];
            return list ? list.split(',').filter(Boolean) : undefined;
          }),
      gameLabels: !team
        ? undefined
        : (overrides.gameLabels ??
          (async () => {
            const labels = (await readTeamProgress(team))?.metadata.labels ?? {};
            const picked = Object.fromEntries([GAME_LABEL, TEAM_LABEL].flatMap((k) => (labels[k] ? [[k, labels[k]]] : [])));
            return Object.keys(picked).length === 2 ? picked : undefined;
          })),
      mysteryGame: !team ? undefined : (overrides.mysteryGame ?? (async () => (await readTeamProgress(team))?.metadata.annotations?.[MODE_ANNOTATION] === 'mystery')),
      teamLog: !team
        ? undefined
        : overrides.teamLog ?? {
            // The one compare-and-swap loop the board uses too (engine/gameday/configMapWrites.ts).
            append: async (namespace, events) => {
              const [{ GameClusterKubectl }, { appendToTeamLog }, { serverOffsetMs }, { onServerTime }] = await Promise.all([
                import('../adapters/gameClusterKubectl.js'),
                import('../engine/gameday/configMapWrites.js'),
                import('../engine/gameday/serverClock.js'),
                import('../core/gameday/serverTime.js'),
              ]);
              const identity = teamFromProgress(namespace, await readTeamProgress(team));
              if (!identity) throw kubeError(`ConfigMap ${PROGRESS_CONFIGMAP} is missing from ${namespace}: ask your instructor to run gameday create again`, 'not-found');
              const cluster = new GameClusterKubectl({ context: team.context, env, ...callBounds });
              // The laptop's clock may be off: the log gets the cluster's time (measured once a run).
              clockOffset ??= serverOffsetMs(cluster, namespace, clock);
              await appendToTeamLog(cluster, namespace, identity.game, identity.team, onServerTime(events, await clockOffset));
            },
          },
      randomBytes: overrides.randomBytes,
      warn: overrides.holdStoreWarnings ? undefined : warn,
      takeStoreWarning: () => {
        const warning = heldWarning;
        heldWarning = undefined;
        return warning;
      },
    },
    {
      context: options.context,
      yes: options.yes,
      lang: options.lang,
      kindConfigPath: join(root, 'kind', 'crashlab.yaml'),
      sharedNamespace: team?.namespace,
      tokenExpiresAt: team?.tokenExpiresAt,
      ...(team ? { shownKubectlFlags: shownKubeconfig ? ['--kubeconfig', shownKubeconfig] : [] } : {}),
    },
  );
}
