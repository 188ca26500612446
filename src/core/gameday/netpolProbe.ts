/**
 * The network-isolation probe of `gameday create`: a busybox httpd in one team namespace, a
 * client in another that tries to reach it, and a peer client in the server's own namespace.
 * The game's NetworkPolicy admits only same-namespace traffic, so on a cluster that enforces
 * NetworkPolicy the client cannot connect while the peer can; on one whose CNI ignores it (plain
 * bridge + host-local) both get an HTTP answer. The peer is the control: without it, pods that
 * cannot reach each other at all would pass for "enforced". The client
 * speaks HTTP through `nc` with a hand-written request: Debian's busybox-static `wget`
 * segfaults against busybox httpd in a pod (DESIGN.md, facts seen 2026-12-06). Pure: no I/O.
 */
import type { K8sObject } from '../k8s.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../k8s.js';
import { GAME_LABEL } from './events.js';
import { controlNamespace, teamNamespace } from './game.js';

export const PROBE_LABEL = 'crashlab.dev/probe';
export const PROBE_VALUE = 'network-policy';
export const PROBE_SERVER = 'crashlab-netpol-probe-server';
export const PROBE_CLIENT = 'crashlab-netpol-probe-client';
export const PROBE_PEER = 'crashlab-netpol-probe-peer';
export const PROBE_PORT = 8080;
/** The image every scenario uses, so an offline workshop that pre-loaded it has it. */
export const PROBE_IMAGE = 'busybox:1.36';
/** The client's connect timeout: a blocked SYN gives no answer at all. */
export const PROBE_CONNECT_SECONDS = 3;

export type NetpolVerdict = 'enforced' | 'ignored' | 'unknown';

export function probeSelector(game: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${GAME_LABEL}=${game},${PROBE_LABEL}=${PROBE_VALUE}`;
}

/** Server in the first team's namespace; client in the second team's (with one team, the instructor's). */
export function probeNamespaces(game: string, teams: string[]): { server: string; client: string } {
  return { server: teamNamespace(game, teams[0]), client: teams.length > 1 ? teamNamespace(game, teams[1]) : controlNamespace(game) };
}

function probePod(game: string, namespace: string, name: string, command: string[], port?: number): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [GAME_LABEL]: game, [PROBE_LABEL]: PROBE_VALUE } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      // Pod Security restricted, like everything a team namespace admits.
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: PROBE_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command,
          ...(port ? { ports: [{ containerPort: port }] } : {}),
          resources: { requests: { cpu: '10m', memory: '8Mi' }, limits: { memory: '16Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

export function probeServer(game: string, namespace: string): K8sObject {
  return probePod(game, namespace, PROBE_SERVER, ['httpd', '-f', '-p', String(PROBE_PORT), '-h', '/'], PROBE_PORT);
}

/**
 * How often each client tries, 1 s apart. An enforcing CNI admits a new pod's address a moment
 * after the pod starts (kube-router on the test cluster: the peer's first try was refused), so
 * the peer keeps trying; the client tries less, since a DROPping CNI makes each try last the
 * whole connect timeout.
 */
export const PROBE_TRIES = { peer: 8, client: 3 } as const;

/** Exits 0 when an HTTP status line came back from the server pod (within `tries`), 1 otherwise. */
export function probeClient(game: string, namespace: string, serverIp: string, role: keyof typeof PROBE_TRIES = 'client'): K8sObject {
  const name = role === 'peer' ? PROBE_PEER : PROBE_CLIENT;
  const tries = PROBE_TRIES[role];
  const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w ${PROBE_CONNECT_SECONDS} ${serverIp} ${PROBE_PORT} | grep -q '^HTTP/1'`;
  return probePod(game, namespace, name, ['sh', '-c', `for i in $(seq ${tries}); do ${request} && exit 0; sleep 1; done; exit 1`]);
}

/** The verdict from the two clients' exit codes: the peer (same namespace as the server) must get through first. */
export function netpolVerdict(peerExit: number, clientExit: number): { verdict: NetpolVerdict; detail?: string } {
  if (peerExit !== 0) return { verdict: 'unknown', detail: "a pod in the probe server's own namespace could not reach it either, so the pods cannot reach each other at all" };
  return { verdict: clientExit === 0 ? 'ignored' : 'enforced' };
}

/** What create says, from the client's exit code (undefined: no answer in time). */
export function netpolMessage(verdict: NetpolVerdict, where: { server: string; client: string }, detail?: string): string {
  switch (verdict) {
    case 'ignored':
      return `this cluster ignores NetworkPolicy: a pod in ${where.client} reached a pod in ${where.server} despite the game's policy, so teams can reach each other's pods (use a CNI that enforces NetworkPolicy, e.g. Calico or Cilium, if that matters)`;
    case 'enforced':
      return `network isolation holds: a pod in ${where.client} could not reach a pod in ${where.server}, which a pod of its own namespace reached (NetworkPolicy enforced)`;
    case 'unknown':
      return `could not tell whether this cluster enforces NetworkPolicy${detail ? `: ${detail}` : ''}`;
  }
}
