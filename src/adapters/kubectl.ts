/**
 * The Kube port over the kubectl binary. kubectl (not a client library) on purpose: the lab
 * teaches kubectl, and running the same binary the learner runs means the same kubeconfig,
 * auth plugins and error messages.
 */
import { execa } from 'execa';
import type { Deployment, K8sObject, KubeEvent, List, Pod, ReplicaSet } from '../core/k8s.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../core/k8s.js';
import { DEFAULT_CONTEXT } from '../core/context.js';
import type { ErrorWords, Text } from '../core/text.js';
import { cleanKubectlMessage } from '../core/kubectlText.js';
import { isPortError, kubeError, type PortError } from '../ports/errors.js';
import type { Kube, LogOptions, ObjectWatchEvent, PodWatchEvent, Watch } from '../ports/kube.js';
import { waitsOnPurpose } from '../core/kubectlText.js';
import { asList, asShape, shapeOfResource, type Shape } from '../core/k8sSchema.js';
import { isCoreError } from '../core/errors.js';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { excerpt } from '../core/untrusted.js';
import { treeStopper } from './processTree.js';

export const KUBECTL_INSTALL_URL = 'https://kubernetes.io/docs/tasks/tools/';
const MISSING_KUBECTL = `kubectl not found on PATH: install it: ${KUBECTL_INSTALL_URL}`;

export interface KubectlOptions {
  context: string;
  kubeconfig?: string;
  bin?: string;
  env?: NodeJS.ProcessEnv;
  /** Per call; a kubectl that hangs on an unreachable server must not hang crashlab. */
  timeoutMs?: number;
  /** Stops running kubectl processes (Ctrl-C) and refuses new calls. */
  signal?: AbortSignal;
  /** Called once, when a call has been waiting SLOW_CALL_MS: a cluster that accepts connections but does not answer. */
  onSlow?: (info: { context: string; timeoutMs: number }) => void;
}

export const DEFAULT_KUBECTL_TIMEOUT_MS = 60_000;
/** How long a call may take before the learner is told crashlab is waiting for the cluster. */
export const SLOW_CALL_MS = 2_000;
/**
 * The bound of a call that waits on purpose (a namespace deleted with --wait, rollout status,
 * kubectl wait): the request timeout is about a server that does not answer, and those calls
 * are answered, then wait for pods to end. A short --request-timeout must not cut them off.
 */
export const DELIBERATE_WAIT_MS = 300_000;
/** How often an exact apply tries `kubectl replace` again after a lost resourceVersion race. */
const REPLACE_ATTEMPTS = 5;


/** What a finished kubectl process left behind; `spawnError` is set when it never ran. */
export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  spawnError?: string;
  /** With spawnError ENOENT: kubectl exists, but the interpreter of its `#!` line does not. */
  interpreter?: { program: string; shebang: string };
  timedOut: boolean;
  /** Stopped through the abort signal (Ctrl-C). */
  canceled?: boolean;
}

export interface ToolOptions {
  bin?: string;
  env?: NodeJS.ProcessEnv;
  kubeconfig?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onSlow?: () => void;
}

/** One kubectl process: the one place crashlab's adapters start kubectl for a call (watches use streamWatch). */
export async function runKubectl(args: string[], options: ToolOptions, input?: string): Promise<Outcome> {
  if (options.signal?.aborted) return { exitCode: 1, stdout: '', stderr: '', timedOut: false, canceled: true };
  const slow = options.onSlow ? setTimeout(options.onSlow, SLOW_CALL_MS) : undefined;
  slow?.unref();
  const child = execa(options.bin ?? 'kubectl', args, {
    env: options.env ?? process.env,
    extendEnv: false,
    reject: false,
    input,
    stdin: input === undefined ? 'ignore' : undefined,
    stripFinalNewline: false,
  });
  // The timeout and Ctrl-C stop kubectl with its children (a wrapper, a credential plugin).
  const stopper = treeStopper(child.pid, { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_KUBECTL_TIMEOUT_MS });
  try {
    const result = await child;
    const stopped = stopper.timedOut || stopper.canceled;
    const spawnError = result.exitCode === undefined && !result.signal && !stopped ? result.code : undefined;
    return {
      exitCode: result.exitCode ?? (result.failed ? 1 : 0),
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      spawnError,
      ...(spawnError === 'ENOENT' ? { interpreter: missingInterpreter(options.bin ?? 'kubectl', options.env ?? process.env) } : {}),
      timedOut: stopper.timedOut,
      canceled: stopper.canceled,
    };
  } finally {
    stopper.settled();
    clearTimeout(slow);
  }
}

export { cleanKubectlMessage } from '../core/kubectlText.js';

function unreachableHint(context: string): Text {
  return context === DEFAULT_CONTEXT
    ? {
        en: 'Start the lab cluster with `crashlab up` (if it exists but is stopped: `docker start crashlab-control-plane`).',
        ko: '`crashlab up`으로 실습 클러스터를 시작하세요(클러스터가 있는데 멈춰 있다면 `docker start crashlab-control-plane`).',
      }
    : {
        en: `Check that the cluster is running and your credentials work: \`kubectl --context ${context} cluster-info\`.`,
        ko: `클러스터가 실행 중이고 자격 증명이 유효한지 확인하세요: \`kubectl --context ${context} cluster-info\`.`,
      };
}

function missingContextHint(context: string): Text {
  return context === DEFAULT_CONTEXT
    ? {
        en: 'Create the lab cluster with `crashlab up` (or, if the kind cluster exists, `kind export kubeconfig --name crashlab`).',
        ko: '`crashlab up`으로 실습 클러스터를 만드세요(kind 클러스터가 이미 있다면 `kind export kubeconfig --name crashlab`).',
      }
    : { en: 'List the contexts you have with `kubectl config get-contexts`.', ko: '`kubectl config get-contexts`로 가진 컨텍스트를 확인하세요.' };
}

/** crashlab's sentence followed by its hint, in both languages. */
function said(message: Text, hint: Text): ErrorWords {
  return { message: { en: `${message.en} ${hint.en}`, ko: `${message.ko} ${hint.ko}` } };
}

/** Joins a quoted tool message and crashlab's next sentence without doubling punctuation ("port?. Start"). */
function sentence(text: string): string {
  return /[.?!:]$/.test(text) ? text : `${text}.`;
}

const SPAWN_ERRORS: Record<string, string> = {
  EACCES: 'it is not executable (permission denied)',
  ENOEXEC: 'it is not a program this system can run',
  EISDIR: 'it is a folder',
};

/**
 * ENOENT from exec means the program or its interpreter is missing: a kubectl that exists on
 * PATH with a `#!` line naming a missing interpreter (a broken wrapper script) is not "not
 * found on PATH". Returns the program and its first line in that case.
 */
export function missingInterpreter(bin: string, env: NodeJS.ProcessEnv): { program: string; shebang: string } | undefined {
  const candidates = bin.includes('/') ? [bin] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, bin));
  for (const program of candidates) {
    try {
      if (!statSync(program).isFile()) continue;
      const buffer = Buffer.alloc(256);
      const fd = openSync(program, 'r');
      const read = (() => {
        try {
          return readSync(fd, buffer, 0, buffer.length, 0);
        } finally {
          closeSync(fd);
        }
      })();
      const head = buffer.subarray(0, read).toString('latin1');
      if (!head.startsWith('#!')) return undefined;
      return { program, shebang: head.split('\n')[0].replace(/\r$/, '') };
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Maps a failed kubectl run to an error a learner can act on. */
export function kubeErrorFrom(outcome: Outcome, context: string, timeoutMs: number): PortError<'kubectl'> {
  if (outcome.canceled) return kubeError('kubectl was stopped: crashlab was interrupted', 'other', '', { message: { en: 'kubectl was stopped: crashlab was interrupted', ko: 'crashlab이 중단되어 kubectl도 멈췄습니다' } });
  if (outcome.spawnError === 'ENOENT' && outcome.interpreter) {
    const { program, shebang } = outcome.interpreter;
    return kubeError(`kubectl cannot run: ${program} starts with "${excerpt(shebang, 80)}" and that interpreter does not exist. Fix that first line or reinstall kubectl: ${KUBECTL_INSTALL_URL}`, 'missing-tool');
  }
  if (outcome.spawnError === 'ENOENT') return kubeError(MISSING_KUBECTL, 'missing-tool', '', { message: { en: MISSING_KUBECTL, ko: `PATH에 kubectl이 없습니다. 설치하세요: ${KUBECTL_INSTALL_URL}` } });
  if (outcome.spawnError) {
    const why = SPAWN_ERRORS[outcome.spawnError] ?? outcome.spawnError;
    return kubeError(`kubectl cannot run: ${why}. Reinstall it: ${KUBECTL_INSTALL_URL}`, 'missing-tool');
  }
  if (outcome.timedOut) {
    const words = said(
      {
        en: `kubectl got no answer from the cluster of context "${context}" within ${timeoutMs / 1000} s (--request-timeout to change).`,
        ko: `"${context}" 컨텍스트의 클러스터가 ${timeoutMs / 1000}초 안에 kubectl에 응답하지 않았습니다(--request-timeout으로 바꿀 수 있음).`,
      },
      unreachableHint(context),
    );
    return kubeError(words.message.en, 'unreachable', '', words);
  }
  const raw = outcome.stderr;
  const message = cleanKubectlMessage(raw) || `kubectl exited with code ${outcome.exitCode}`;
  const firstLine = message.split('\n')[0];
  if (/context was not found for specified context|context "[^"]*" does not exist|no context exists with the name/i.test(raw)) {
    const words = said({ en: `context "${context}" is not in your kubeconfig.`, ko: `kubeconfig에 "${context}" 컨텍스트가 없습니다.` }, missingContextHint(context));
    return kubeError(words.message.en, 'unreachable', raw, words);
  }
  if (/connection refused|Unable to connect to the server|no such host|i\/o timeout|TLS handshake timeout|current-context is not set|no route to host/i.test(raw)) {
    const words = said(
      { en: `cannot reach the cluster of context "${context}": ${sentence(firstLine)}`, ko: `"${context}" 컨텍스트의 클러스터에 연결할 수 없습니다: ${sentence(firstLine)}` },
      unreachableHint(context),
    );
    return kubeError(words.message.en, 'unreachable', raw, words);
  }
  if (/\((Forbidden|Unauthorized)\)|is forbidden|provide credentials/.test(raw)) return kubeError(message, 'forbidden', raw);
  if (/\(NotFound\)/.test(raw)) return kubeError(message, 'not-found', raw);
  if (/is invalid|\((BadRequest|Invalid|UnprocessableEntity)\)|error validating|denied the request|error parsing|error converting YAML/.test(raw)) {
    return kubeError(message, 'invalid', raw);
  }
  return kubeError(message, 'other', raw);
}

/**
 * What `kubectl replace -f -` reported per object. kubectl prints one error per refused object,
 * `The Job "x" is invalid: ` followed by `* field: ...` lines; an object whose refusal names an
 * immutable field can only be re-created. NotFound is fine (the apply creates the object).
 */
export function replaceFailures(stderr: string): { immutable: { kind: string; name: string }[]; conflicts: string[]; errors: string[] } {
  const blocks: string[][] = [];
  for (const line of nonEmptyLines(stderr)) {
    if (line.startsWith('* ') && blocks.length) blocks[blocks.length - 1].push(line);
    else blocks.push([line]);
  }
  const immutable: { kind: string; name: string }[] = [];
  const conflicts: string[] = [];
  const errors: string[] = [];
  for (const block of blocks) {
    const head = block[0];
    if (/\(NotFound\)/.test(head)) continue;
    // kubectl replace reads the live resourceVersion, then PUTs: a controller's status write in
    // between (a Deployment's, every few seconds while its pod crash-loops) is a 409 to retry.
    if (/\(Conflict\).*the object has been modified/.test(head)) {
      conflicts.push(head);
      continue;
    }
    const invalid = /^The (\w+) "([^"]+)" is invalid:/.exec(head);
    if (invalid && block.some((line) => /field is immutable/.test(line))) immutable.push({ kind: invalid[1], name: invalid[2] });
    else errors.push(...block);
  }
  return { immutable, conflicts, errors };
}

export function nonEmptyLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}

/**
 * Splits a stream of concatenated JSON objects into one string per top-level object.
 * kubectl's watch output is not one object per line in general: kubectl 1.32 prints compact
 * lines, other versions and printers pretty-print over many lines. Braces inside strings
 * (managedFields keys like `k:{"name":"app"}`) and escaped quotes do not count.
 */
export class JsonObjectSplitter {
  private buffer = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(chunk: string): string[] {
    this.buffer += chunk;
    const objects: string[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') {
        this.inString = true;
      } else if (c === '{') {
        if (this.depth === 0) start = i;
        this.depth++;
      } else if (c === '}' && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) objects.push(this.buffer.slice(start, i + 1));
      }
    }
    // Keep only the unfinished object (whitespace between objects is dropped).
    this.buffer = this.depth > 0 ? this.buffer.slice(start) : '';
    this.scanned = this.buffer.length;
    return objects;
  }
}

/**
 * The lines of `kubectl get --raw <path>?watch=1`: the API server's watch stream, one compact
 * JSON event a line (JSON escapes every newline inside a string), as the chunks come.
 */
export class JsonLineSplitter {
  private buffer = '';

  push(chunk: string): string[] {
    const text = this.buffer + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.buffer = text;
      return [];
    }
    this.buffer = text.slice(end + 1);
    return text.slice(0, end).split('\n').filter((line) => line.trim() !== '');
  }
}

const WATCH_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * The one kubectl core every kubectl adapter stands on (the lab's Kubectl, the game day's
 * GameClusterKubectl): context and kubeconfig flags, the request timeout and its deliberate
 * waits, Ctrl-C, the slow-cluster notice, errors as PortErrors, JSON answers shape-checked.
 */
export class KubectlCore {
  readonly context: string;
  protected readonly tool: ToolOptions;
  protected readonly timeoutMs: number;

  constructor(options: KubectlOptions) {
    this.context = options.context;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KUBECTL_TIMEOUT_MS;
    let told = false;
    const onSlow = options.onSlow;
    this.tool = {
      bin: options.bin,
      env: options.env,
      kubeconfig: options.kubeconfig,
      timeoutMs: this.timeoutMs,
      signal: options.signal,
      // Once per command: one "waiting for the cluster" line, not one per call.
      onSlow: onSlow
        ? () => {
            if (told) return;
            told = true;
            onSlow({ context: this.context, timeoutMs: this.timeoutMs });
          }
        : undefined,
    };
  }

  /** `kubectl config current-context`; undefined when none is set. */
  static async currentContext(options: ToolOptions = {}): Promise<string | undefined> {
    const outcome = await runKubectl(['config', 'current-context', ...kubeconfigArgs(options.kubeconfig)], options);
    if (outcome.spawnError) throw kubeErrorFrom(outcome, '', 0);
    if (outcome.exitCode !== 0) return undefined;
    return outcome.stdout.trim() || undefined;
  }

  /** Names of all contexts in the kubeconfig. */
  static async contexts(options: ToolOptions = {}): Promise<string[]> {
    const outcome = await runKubectl(['config', 'get-contexts', '-o', 'name', ...kubeconfigArgs(options.kubeconfig)], options);
    if (outcome.spawnError) throw kubeErrorFrom(outcome, '', 0);
    if (outcome.exitCode !== 0) return [];
    return nonEmptyLines(outcome.stdout);
  }

  protected globalArgs(): string[] {
    return ['--context', this.context, ...kubeconfigArgs(this.tool.kubeconfig)];
  }

  protected timeoutFor(args: readonly string[]): number {
    return waitsOnPurpose(args) ? Math.max(this.timeoutMs, DELIBERATE_WAIT_MS) : this.timeoutMs;
  }

  protected exec(args: string[], input?: string): Promise<Outcome> {
    // A deliberate wait is neither cut off by the request timeout nor "a slow cluster".
    const tool = waitsOnPurpose(args) ? { ...this.tool, timeoutMs: this.timeoutFor(args), onSlow: undefined } : this.tool;
    return runKubectl([...this.globalArgs(), ...args], tool, input);
  }

  /** Runs kubectl and returns stdout, or throws a PortError (port kubectl). */
  protected async call(args: string[], input?: string): Promise<string> {
    const outcome = await this.exec(args, input);
    if (outcome.exitCode !== 0 || outcome.spawnError || outcome.timedOut || outcome.canceled) throw this.failure(outcome, args);
    return outcome.stdout;
  }

  /** The error of a failed call (an adapter may tell one failure apart, e.g. a lost compare-and-swap). */
  protected failure(outcome: Outcome, args: readonly string[]): Error {
    return kubeErrorFrom(outcome, this.context, this.timeoutFor(args));
  }

  /** `get ... -o json`, with NotFound as undefined; the answer's shape checked (core/k8sSchema.ts). */
  protected async getJson<S extends Shape>(shape: S, args: string[]): Promise<ReturnType<typeof asShape<S>> | undefined> {
    const value = await this.getRaw(args);
    return value === undefined ? undefined : shaped(() => asShape(shape, value));
  }

  protected async getRaw(args: string[]): Promise<unknown> {
    try {
      return JSON.parse(await this.call(['get', ...args, '-o', 'json']));
    } catch (error) {
      if (isPortError(error, 'kubectl', 'not-found')) return undefined;
      if (error instanceof SyntaxError) throw kubeSays(`kubectl printed something that is not JSON: ${error.message}`, `kubectl이 JSON이 아닌 것을 출력했습니다: ${error.message}`);
      throw error;
    }
  }

  protected async list<S extends Shape>(shape: S, args: string[]): Promise<ReturnType<typeof asShape<S>>[]> {
    const value = await this.getRaw(args);
    return value === undefined ? [] : shaped(() => asList(shape, value)).items;
  }

  getObject(namespace: string, resource: string, name: string): Promise<K8sObject | undefined> {
    return this.getJson(shapeOfResource(resource), [resource, name, '-n', namespace]);
  }

  async deleteManagedObjects(namespace: string, labelSelector: string, kinds: readonly string[], options: { wait?: boolean } = {}): Promise<string[]> {
    if (kinds.length === 0) return [];
    // The managed-by requirement is added here, whatever the caller's selector says.
    const selector = [`${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`, labelSelector].filter(Boolean).join(',');
    const out = await this.call(['delete', kinds.map((k) => k.toLowerCase()).join(','), '-n', namespace, '-l', selector, '--ignore-not-found', `--wait=${options.wait ? 'true' : 'false'}`]);
    // Nothing matched prints "No resources found"; kubectl 1.34 says `configmap "x" deleted from
    // NS namespace`, older ones `configmap "x" deleted`: only the deleted lines count.
    return nonEmptyLines(out).filter((line) => /^\S+ "[^"]+" deleted\b/.test(line));
  }
}

/** The lab's Kube port over kubectl. */
export class Kubectl extends KubectlCore implements Kube {
  async apply(objects: K8sObject[], namespace: string, options: { exact?: boolean } = {}): Promise<string[]> {
    const list = { apiVersion: 'v1', kind: 'List', items: objects };
    const lines: string[] = [];
    if (options.exact) {
      // Objects that do not exist yet are created by the apply below. An object the API server
      // refuses to replace because a field is immutable (a Job's pod template) is deleted and
      // created again (`replace --force`), so it ends up exactly as written.
      const existing = { ...list, items: objects.filter((o) => o.kind !== 'Namespace') };
      let replaced: Outcome;
      let failures: ReturnType<typeof replaceFailures>;
      // Replacing again is harmless (the same objects, whole): a lost race is tried again.
      for (let attempt = 1; ; attempt++) {
        replaced = await this.exec(['replace', '-n', namespace, '-f', '-'], JSON.stringify(existing));
        failures = replaceFailures(replaced.stderr);
        if (replaced.exitCode === 0 || failures.conflicts.length === 0 || failures.errors.length > 0 || attempt >= REPLACE_ATTEMPTS) break;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
      const { immutable, conflicts, errors } = failures;
      if (replaced.exitCode !== 0 && (errors.length > 0 || conflicts.length > 0 || replaced.spawnError || replaced.timedOut || replaced.canceled)) {
        throw kubeErrorFrom(replaced, this.context, this.timeoutMs);
      }
      const recreate = existing.items.filter((o) => immutable.some((r) => r.kind === o.kind && r.name === o.metadata.name));
      if (recreate.length) {
        lines.push(...nonEmptyLines(await this.call(['replace', '--force', '-n', namespace, '-f', '-'], JSON.stringify({ ...list, items: recreate }))));
      }
    }
    const out = await this.call(
      ['apply', '--server-side', '--field-manager=crashlab', '--force-conflicts', '-n', namespace, '-f', '-'],
      JSON.stringify(list),
    );
    return [...lines, ...nonEmptyLines(out)];
  }

  getPods(namespace: string, labelSelector?: string): Promise<Pod[]> {
    return this.list('pod', ['pods', '-n', namespace, ...selectorArgs(labelSelector)]);
  }

  getPod(namespace: string, name: string): Promise<Pod | undefined> {
    return this.getJson('pod', ['pod', name, '-n', namespace]);
  }

  getDeployment(namespace: string, name: string): Promise<Deployment | undefined> {
    return this.getJson('deployment', ['deployment.apps', name, '-n', namespace]);
  }

  getReplicaSets(namespace: string, labelSelector?: string): Promise<ReplicaSet[]> {
    return this.list('replicaSet', ['replicasets.apps', '-n', namespace, ...selectorArgs(labelSelector)]);
  }

  getEvents(namespace: string, involvedObjectName?: string): Promise<KubeEvent[]> {
    const field = involvedObjectName ? ['--field-selector', `involvedObject.name=${involvedObjectName}`] : [];
    return this.list('event', ['events', '-n', namespace, ...field]);
  }

  getNamespace(name: string): Promise<K8sObject | undefined> {
    return this.getJson('object', ['namespace', name]);
  }

  async logs(namespace: string, pod: string, container: string, options: LogOptions = {}): Promise<string> {
    const args = ['logs', pod, '-n', namespace, '-c', container];
    if (options.previous) args.push('--previous');
    if (options.tail !== undefined) args.push(`--tail=${options.tail}`);
    if (options.timestamps) args.push('--timestamps');
    const outcome = await this.exec(args);
    if (outcome.exitCode === 0 && !outcome.spawnError && !outcome.canceled) return outcome.stdout;
    // No previous instance yet, or a container that never started (CreateContainerConfigError,
    // ContainerCreating): there are no logs, which is itself the evidence.
    if (/previous terminated container "[^"]*" in pod "[^"]*" not found|is waiting to start/.test(outcome.stderr)) return '';
    throw kubeErrorFrom(outcome, this.context, this.timeoutMs);
  }

  watchPods(
    namespace: string,
    labelSelector: string | undefined,
    onEvent: (event: PodWatchEvent) => void,
    onError?: (error: Error) => void,
  ): Watch {
    const args = ['get', 'pods', '-n', namespace, ...selectorArgs(labelSelector)];
    return this.watchStream(args, 'pod', (type, object) => onEvent({ type, pod: shaped(() => asShape('pod', object)) }), onError);
  }

  listObjects(namespace: string, resource: string, labelSelector?: string): Promise<K8sObject[]> {
    return this.list(shapeOfResource(resource), [resource, '-n', namespace, ...selectorArgs(labelSelector)]);
  }

  watchObjects(
    namespace: string,
    resource: string,
    options: { name?: string; labelSelector?: string },
    onEvent: (event: ObjectWatchEvent) => void,
    onError?: (error: Error) => void,
  ): Watch {
    const args = ['get', resource, ...(options.name ? [options.name] : []), '-n', namespace, ...selectorArgs(options.labelSelector)];
    return this.watchStream(args, resource, (type, object) => onEvent({ type, object: object as K8sObject }), onError);
  }

  /** `kubectl get ... --watch --output-watch-events -o json`, one callback per event. */
  private watchStream(
    getArgs: string[],
    what: string,
    onEvent: (type: PodWatchEvent['type'], object: unknown) => void,
    onError?: (error: Error) => void,
  ): Watch {
    return streamWatch(
      { bin: this.tool.bin ?? 'kubectl', env: this.tool.env ?? process.env, signal: this.tool.signal },
      getWatch([...this.globalArgs(), ...getArgs]),
      onEvent,
      (outcome) =>
        outcome.exitCode === 0 && !outcome.spawnError
          ? kubeSays(
              `the ${what} watch ended (the API server closed it); watch again to keep following the ${what}s`,
              `${what} 감시가 끝났습니다(API 서버가 닫음). 계속 따라가려면 다시 감시하세요`,
            )
          : kubeErrorFrom(outcome, this.context, this.timeoutMs),
      (message, raw) => kubeSays(`${what} watch error: ${message}`, `${what} 감시 오류: ${message}`, raw),
      onError,
    );
  }

  async deleteManagedNamespace(name: string, options: { wait?: boolean } = {}): Promise<'deleted' | 'absent' | 'refused'> {
    const namespace = await this.getNamespace(name);
    if (!namespace) return 'absent';
    if (namespace.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return 'refused';
    // The label selector repeats the guard in the delete itself, so a namespace relabelled
    // between the read and the delete is still not touched.
    const out = await this.call([
      'delete',
      'namespace',
      '--field-selector',
      `metadata.name=${name}`,
      '-l',
      `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
      `--wait=${options.wait ? 'true' : 'false'}`,
    ]);
    if (out.includes(`namespace "${name}" deleted`)) return 'deleted';
    return (await this.getNamespace(name)) ? 'refused' : 'absent';
  }

  async run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const outcome = await this.exec(args);
    if (outcome.canceled) throw kubeErrorFrom(outcome, this.context, this.timeoutMs);
    // Like a shell: a missing binary is exit 127 with a message, not an exception.
    if (outcome.spawnError) return { exitCode: 127, stdout: '', stderr: `${kubeErrorFrom(outcome, this.context, this.timeoutMs).message}\n` };
    if (outcome.timedOut) return { exitCode: 124, stdout: outcome.stdout, stderr: `${outcome.stderr}${kubeErrorFrom(outcome, this.context, this.timeoutFor(args)).message}\n` };
    return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
  }
}

function kubeconfigArgs(kubeconfig: string | undefined): string[] {
  return kubeconfig ? ['--kubeconfig', kubeconfig] : [];
}

function selectorArgs(labelSelector: string | undefined): string[] {
  return labelSelector ? ['-l', labelSelector] : [];
}

/** crashlab's own sentence about a kubectl answer, in both languages (kubectl's words stay its own). */
function kubeSays(en: string, ko: string, raw = ''): PortError<'kubectl'> {
  return kubeError(en, 'other', raw, { message: { en, ko } });
}

/** A wrong-shaped answer from kubectl as a PortError that says what was wrong, where. */
export function shaped<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isCoreError(error, 'shape')) throw kubeSays(`kubectl printed JSON crashlab cannot use: ${error.message}`, `kubectl이 출력한 JSON을 crashlab이 쓸 수 없습니다: "${error.message}"`);
    throw error;
  }
}

/** A kubectl command that prints watch events, and how its output splits into them. */
export interface WatchCommand {
  args: string[];
  splitter(): { push(chunk: string): string[] };
}

/** `kubectl <get args> --watch --output-watch-events -o json`: kubectl decodes each event and prints it again, indented. */
export const getWatch = (args: string[]): WatchCommand => ({ args: [...args, '--watch', '--output-watch-events', '-o', 'json'], splitter: () => new JsonObjectSplitter() });

/**
 * `kubectl get --raw <path>?watch=1…`: the API server's own watch stream, which kubectl copies
 * through as it comes (kubectl keeps the credentials; it neither decodes nor prints the events
 * again, most of a `get --watch`'s CPU on a busy game). For paths crashlab knows (core/v1).
 */
export const rawWatch = (globalArgs: string[], path: string): WatchCommand => ({ args: [...globalArgs, 'get', '--raw', path], splitter: () => new JsonLineSplitter() });

/**
 * A watch command's events, one callback each. A watch has no timeout: it lives until
 * cancelled, and its end or failure is reported once through onError (`ended` words it), never
 * after cancel. Shared by every watch crashlab runs.
 */
export function streamWatch(
  spawn: { bin: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
  command: WatchCommand,
  onEvent: (type: PodWatchEvent['type'], object: unknown) => void,
  ended: (outcome: Outcome) => PortError<'kubectl'>,
  watchError: (message: string, raw: string) => PortError<'kubectl'>,
  onError?: (error: Error) => void,
): Watch {
  const child = execa(spawn.bin, command.args, {
    // One Go processor: a watch copies a stream, and with more the Go scheduler spins idle ones
    // up on every event (kubectl's CPU on a 10-events-a-second watch: 0.25-0.3 % -> 0.2 %).
    // A GOMAXPROCS the user set wins.
    env: { GOMAXPROCS: '1', ...spawn.env },
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  let cancelled = false;
  // Ctrl-C stops the watch's kubectl with its children, like any other call.
  const stopper = treeStopper(child.pid, { signal: spawn.signal });
  let stderrTail = '';
  const report = (error: Error) => {
    if (!cancelled) onError?.(error);
  };
  const splitter = command.splitter();
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    for (const text of splitter.push(chunk)) {
      if (cancelled) return;
      let parsed: { type?: string; object?: unknown };
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        report(kubeSays(`kubectl watch printed invalid JSON: ${(error as Error).message}`, `kubectl watch가 잘못된 JSON을 출력했습니다: ${(error as Error).message}`, text));
        continue;
      }
      if (parsed.type === 'ERROR') {
        report(watchError((parsed.object as { message?: string } | undefined)?.message ?? 'unknown', text));
      } else if (parsed.type && WATCH_TYPES.has(parsed.type) && parsed.object) {
        try {
          onEvent(parsed.type as PodWatchEvent['type'], parsed.object);
        } catch (error) {
          report(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4096);
  });
  const done = child.then((result) => {
    stopper.settled();
    if (cancelled) return;
    report(
      ended({
        exitCode: result.exitCode ?? 1,
        stdout: '',
        stderr: stderrTail,
        spawnError: result.exitCode === undefined && !result.signal && !result.isCanceled ? result.code : undefined,
        timedOut: false,
        canceled: stopper.canceled,
      }),
    );
  });
  return {
    done,
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      stopper.stop();
    },
  };
}
