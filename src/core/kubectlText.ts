/**
 * kubectl's error text as a learner should read it. Pure (no I/O): the kubectl adapter maps
 * errors with it, and the engine uses it where it holds kubectl's raw output (`kubectl wait`).
 */

/** klog lines (`E1124 15:57:32.840748   18038 memcache.go:265] ...`) repeat the real error noisily. */
const KLOG_LINE = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ \S+:\d+\]/;

/** kubectl's error text without log noise, `Error from server (X): ` / `error: ` prefixes and validation boilerplate. */
export function cleanKubectlMessage(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !KLOG_LINE.test(line))
    .map((line) =>
      line
        .replace(/^Error from server(?: \([A-Za-z]+\))?: /, '')
        .replace(/^error: /, '')
        .replace(/; if you choose to ignore these errors, turn validation off with --validate=false$/, ''),
    )
    .join('\n');
}

/** The one line that says what went wrong: the first line left after the noise, or undefined. */
export function meaningfulLine(stderr: string): string | undefined {
  return cleanKubectlMessage(stderr).split('\n').find((line) => line.trim() !== '');
}

/**
 * kubectl arguments of a call that waits on purpose (a delete with --wait=true, `kubectl
 * wait`, `rollout status`): it is answered, then waits for pods to end or a rollout to finish,
 * so it is neither "a slow cluster" nor bound by the request timeout.
 */
export function waitsOnPurpose(args: readonly unknown[]): boolean {
  return args.includes('--wait=true') || args[0] === 'wait' || (args[0] === 'rollout' && args[1] === 'status');
}
