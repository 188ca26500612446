/** Puts the fake kubectl/kind/docker (test/fakes/bin) on a hermetic PATH for adapter tests. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKES_DIR = fileURLToPath(new URL('.', import.meta.url));

export type FakeToolName = 'kubectl' | 'kind' | 'docker';

export interface FakeRule {
  tool: FakeToolName;
  /** Every one of these must appear in argv for the rule to answer. */
  args?: string[];
  stdout?: string;
  stderr?: string;
  /** Files under test/fakes/outputs/. */
  stdoutFile?: string;
  stderrFile?: string;
  exit?: number;
  /** Answer only this many matching calls; later ones go to the next matching rule. */
  times?: number;
  lineDelayMs?: number;
  chunkBytes?: number;
  chunkDelayMs?: number;
  hang?: boolean;
  pidFile?: string;
  childPidFile?: string;
}

export interface FakeCall {
  tool: FakeToolName;
  argv: string[];
  stdin?: string;
  /** GOMAXPROCS in the call's environment, when set. */
  gomaxprocs?: string;
}

export interface Fakes {
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Every call the fakes received, in order. */
  calls(): FakeCall[];
  cleanup(): void;
}

/**
 * A temp dir with the rules and the call log. Only the listed tools are on PATH (and nothing
 * else: a real kubectl or kind on the machine can never answer), so a tool left out is
 * "not installed" exactly as the adapters see it: ENOENT. Rules may be built from the temp
 * dir (pid files).
 */
export function setupFakes(rules: FakeRule[] | ((dir: string) => FakeRule[]), tools: FakeToolName[] = ['kubectl', 'kind', 'docker']): Fakes {
  const dir = mkdtempSync(join(tmpdir(), 'crashlab-fakes-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of tools) symlinkSync(join(FAKES_DIR, 'bin', tool), join(bin, tool));
  const log = join(dir, 'calls.jsonl');
  const rulesFile = join(dir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify(typeof rules === 'function' ? rules(dir) : rules));
  return {
    dir,
    env: { PATH: bin, HOME: dir, FAKE_NODE: process.execPath, FAKES_DIR, FAKE_RULES: rulesFile, FAKE_LOG: log },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as FakeCall)
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A process is gone when signalling it fails, or when only its zombie entry is left. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8'));
}
