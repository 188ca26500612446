/**
 * Where the cluster suites find the project, the test cluster and its kubectl: one place for
 * the paths and the overrides every suite honours (CRASHLAB_CLUSTER_CACHE, KUBECONFIG,
 * CRASHLAB_SUITE_CONTEXT, KUBECTL).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const CACHE = process.env.CRASHLAB_CLUSTER_CACHE ?? join(homedir(), '.cache', 'crashlab-cluster');
export const KUBECONFIG = process.env.KUBECONFIG ?? join(CACHE, 'run', 'kubeconfig');
export const CONTEXT = process.env.CRASHLAB_SUITE_CONTEXT ?? 'crashlab-local';
export const KUBECTL = process.env.KUBECTL ?? (existsSync(join(CACHE, 'bin', 'kubectl')) ? join(CACHE, 'bin', 'kubectl') : 'kubectl');

/**
 * Appends events to a team's log as a participant's client would (get, then replace: a
 * conflicting write by a board or a teammate is retried). `kubectl(argv, input)` returns stdout
 * and throws with `stderr` on failure, like the suites' execFileSync wrappers.
 */
export function appendTeamEvents(kubectl, namespace, events) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cm = JSON.parse(kubectl(['get', 'configmap', 'crashlab-progress', '-n', namespace, '-o', 'json']));
    cm.data = { ...cm.data, events: (cm.data?.events ?? '') + events.map((e) => `${JSON.stringify(e)}\n`).join('') };
    try {
      kubectl(['replace', '-f', '-'], JSON.stringify(cm));
      return;
    } catch (e) {
      if (!/Conflict|modified/.test(String(e.stderr))) throw e;
    }
  }
  throw new Error(`could not append to ${namespace}'s team log after 5 conflicts`);
}

/** A suite's PASS/FAIL lines and its closing `N passed, N failed` (the line run.sh reads). */
export function checker() {
  const counts = { passed: 0, failed: 0 };
  const check = (name, ok, detail = '') => {
    counts[ok ? 'passed' : 'failed']++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  };
  const finish = () => {
    console.log(`${counts.passed} passed, ${counts.failed} failed`);
    process.exit(counts.failed ? 1 : 0);
  };
  return { check, finish };
}
