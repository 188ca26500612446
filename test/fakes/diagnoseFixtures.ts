import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeEvent, List, Pod } from '../../src/core/k8s.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/diagnose/', import.meta.url));

export interface Fixture {
  pod: Pod;
  events?: List<KubeEvent>;
  logs?: string;
}

/** `<name>.pod.json` (kubectl get pod -o json), `<name>.events.json` and `<name>.logs.txt` when present. */
export function fixture(name: string): Fixture {
  const path = (suffix: string) => `${FIXTURES}${name}.${suffix}`;
  return {
    pod: JSON.parse(readFileSync(path('pod.json'), 'utf8')) as Pod,
    events: existsSync(path('events.json')) ? (JSON.parse(readFileSync(path('events.json'), 'utf8')) as List<KubeEvent>) : undefined,
    logs: existsSync(path('logs.txt')) ? readFileSync(path('logs.txt'), 'utf8') : undefined,
  };
}

/** An unmodified capture from a real cluster (see real-v1.34/README.md). */
export function realFixture(name: string): Fixture {
  return fixture(`real-v1.34/${name}`);
}

export function podList(name: string): List<Pod> {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.pods.json`, 'utf8')) as List<Pod>;
}

export const at = (iso: string): number => Date.parse(iso);
