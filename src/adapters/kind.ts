/** The Kind port over the kind binary. */
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { Kind, KindCreateOptions } from '../ports/kind.js';
import { isPortError, PortError, type PortFailures } from '../ports/errors.js';

export const KIND_INSTALL_URL = 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation';

/** kind/crashlab.yaml of the installed package (src/adapters and dist/adapters are both two levels down). */
export function defaultKindConfigPath(): string {
  return fileURLToPath(new URL('../../kind/crashlab.yaml', import.meta.url));
}


/** What kind prints (stderr) when `--wait` ran out; it still exits 0. */
const WAIT_TIMED_OUT = /Timed out waiting for Ready/;
/** Grace period between SIGTERM and SIGKILL when cancelling a kind run. */
const KILL_GRACE_MS = 3000;
/** Deleting a half-made cluster after a cancel: attempts, and the pause between them. */
const HALF_MADE_DELETE_ATTEMPTS = 5;
const HALF_MADE_RETRY_MS = 1000;

export class KindCli implements Kind {
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly retryMs: number;

  constructor(options: { bin?: string; env?: NodeJS.ProcessEnv; retryMs?: number } = {}) {
    this.bin = options.bin ?? 'kind';
    this.env = options.env ?? process.env;
    this.retryMs = options.retryMs ?? HALF_MADE_RETRY_MS;
  }

  private async exec(args: string[]) {
    const result = await execa(this.bin, args, { env: this.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    if (result.exitCode === undefined && result.code === 'ENOENT') throw missingKind();
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
  }

  /** `kind v0.30.0 go1.24.6 linux/amd64` → `v0.30.0`; undefined when kind is not installed. */
  async version(): Promise<string | undefined> {
    try {
      const { exitCode, stdout } = await this.exec(['version']);
      if (exitCode !== 0) return undefined;
      return /^kind (v\S+)/m.exec(stdout)?.[1] ?? stdout.trim().split(/\s+/)[1];
    } catch (error) {
      if (isPortError(error, 'kind', 'missing-tool')) return undefined;
      throw error;
    }
  }

  async clusters(): Promise<string[]> {
    const { exitCode, stdout, stderr } = await this.exec(['get', 'clusters']);
    // "No kind clusters found." goes to stderr with exit 0.
    if (exitCode !== 0) throw kindError(`kind could not list clusters: ${kindErrorText(stderr)}`, 'failed', stderr);
    return stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  async create(options: KindCreateOptions): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) throw aborted(options.name);
    // Needed to know whether cleaning up after a cancel would delete someone else's cluster.
    const existedBefore = (await this.clusters()).includes(options.name);
    if (existedBefore) throw kindError(`a kind cluster named "${options.name}" already exists`, 'failed');
    const args = ['create', 'cluster', '--name', options.name, '--config', options.configPath ?? defaultKindConfigPath(), '--wait', `${options.waitSeconds ?? 60}s`];
    const { exitCode, output, wasAborted } = await this.stream(args, options.onLine, signal);
    if (wasAborted) {
      // kind leaves a half-made node container behind when killed; it is ours (it did not exist before).
      await this.removeHalfMade(options.name, options.onLine).catch(() => undefined);
      throw aborted(options.name);
    }
    if (exitCode !== 0) throw kindError(`kind could not create the cluster "${options.name}": ${kindErrorText(output)}`, 'failed', output);
    if (WAIT_TIMED_OUT.test(output)) {
      throw kindError(
        `the kind cluster "${options.name}" was created but its node was not Ready within ${options.waitSeconds ?? 60}s (kind only warns about this); it may still become Ready: check \`kubectl --context kind-${options.name} get nodes\``,
        'not-ready',
        output,
      );
    }
  }

  /**
   * Deletes a cluster whose `kind create` was just killed, until kind no longer lists it.
   * Seen with kind v0.33.0 and Docker 20.10 (test/kind): killed while "Preparing nodes", the
   * node container was still being created by dockerd; `kind delete cluster` printed
   * `Deleted nodes: ["crashlab-control-plane"]` and exited 0, yet the container stayed
   * (status Created) and `kind get clusters` still listed the cluster. A second delete a
   * moment later removed it.
   */
  private async removeHalfMade(name: string, onLine?: (line: string) => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.stream(['delete', 'cluster', '--name', name], onLine);
      if (!(await this.clusters()).includes(name) || attempt >= HALF_MADE_DELETE_ATTEMPTS) return;
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  async delete(name: string, onLine?: (line: string) => void): Promise<void> {
    const { exitCode, output } = await this.stream(['delete', 'cluster', '--name', name], onLine);
    if (exitCode !== 0) throw kindError(`kind could not delete the cluster "${name}": ${kindErrorText(output)}`, 'failed', output);
  }

  async loadImage(name: string, image: string, onLine?: (line: string) => void): Promise<void> {
    const { exitCode, output } = await this.stream(['load', 'docker-image', image, '--name', name], onLine);
    if (exitCode === 0) return;
    const hint = /not present locally|No such image/i.test(output) ? `; pull it first: docker pull ${image}` : '';
    throw kindError(`kind could not load ${image} into "${name}": ${kindErrorText(output)}${hint}`, 'failed', output);
  }

  /**
   * Runs kind, passing each output line (kind reports progress on stderr) to onLine as it
   * arrives. kind runs in its own process group so a cancel also stops the docker commands
   * it started.
   */
  private async stream(args: string[], onLine?: (line: string) => void, signal?: AbortSignal): Promise<{ exitCode: number; output: string; wasAborted: boolean }> {
    const child: ResultPromise = execa(this.bin, args, {
      env: this.env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      // Own process group (POSIX); on Windows detached would open a console window instead.
      detached: process.platform !== 'win32',
      buffer: false,
    });
    let output = '';
    let wasAborted = false;
    const collect = (stream: NodeJS.ReadableStream | null) => {
      if (!stream) return;
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output += chunk;
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') onLine?.(line.trimEnd());
      });
      stream.on('end', () => {
        if (partial.trim() !== '') onLine?.(partial.trimEnd());
      });
    };
    collect(child.stdout);
    collect(child.stderr);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      wasAborted = true;
      stop(child, 'SIGTERM');
      killTimer = setTimeout(() => stop(child, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await child;
      if (result.exitCode === undefined && result.code === 'ENOENT') throw missingKind();
      return { exitCode: result.exitCode ?? 1, output, wasAborted };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    }
  }
}

/** Signals kind's whole process group; where there are no groups (Windows), kind itself. */
function stop(child: ResultPromise, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') child.kill(signal);
  }
}

function kindError(message: string, kind: PortFailures['kind'], output = ''): PortError<'kind'> {
  return new PortError('kind', kind, message, { output });
}

function missingKind(): PortError<'kind'> {
  return kindError(`kind not found on PATH: install it: ${KIND_INSTALL_URL}`, 'missing-tool');
}

function aborted(name: string): Error {
  return new DOMException(`creating the kind cluster "${name}" was cancelled`, 'AbortError');
}

/** kind's `ERROR: ...` lines (and the command output it quotes), else the last lines it printed. */
function kindErrorText(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errorAt = lines.findIndex((line) => line.startsWith('ERROR:'));
  const relevant = errorAt >= 0 ? lines.slice(errorAt) : lines.slice(-3);
  return relevant.join('\n').replace(/^ERROR: /, '') || 'no output';
}
