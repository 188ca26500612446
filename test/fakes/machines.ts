/** Canned answers of whole machines, for preflight and doctor tests. */
import type { FakeRule } from './index.js';

/** This machine: docker CLI without a daemon, no kind, kubectl without any kubeconfig. */
export const NO_DAEMON_NO_KIND: FakeRule[] = [
  { tool: 'docker', args: ['version'], stderrFile: 'docker/daemon-down.stderr', exit: 1 },
  { tool: 'kubectl', args: ['version', '--client'], stdoutFile: 'kubectl/version-client.json' },
  { tool: 'kubectl', args: ['config', 'current-context'], stderrFile: 'kubectl/current-context-unset.stderr', exit: 1 },
  { tool: 'kubectl', args: ['config', 'get-contexts'], stdout: '' },
];

/** A laptop ready for the lab: daemon up, kind cluster crashlab running. */
export const READY_FOR_KIND: FakeRule[] = [
  { tool: 'docker', args: ['version'], stdoutFile: 'docker/server-version.stdout' },
  { tool: 'kind', args: ['version'], stdoutFile: 'kind/version.stdout' },
  { tool: 'kind', args: ['get', 'clusters'], stdoutFile: 'kind/clusters.stdout' },
  { tool: 'kubectl', args: ['version', '--client'], stdoutFile: 'kubectl/version-client.json' },
  { tool: 'kubectl', args: ['version', '-o', 'json'], stdoutFile: 'kubectl/version-server.json' },
  { tool: 'kubectl', args: ['config', 'current-context'], stdoutFile: 'kubectl/current-context.stdout' },
  { tool: 'kubectl', args: ['config', 'get-contexts'], stdoutFile: 'kubectl/contexts.stdout' },
];
