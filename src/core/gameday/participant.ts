/**
 * The participant's side of a game: what a team kubeconfig says (pure parsing), and the team a
 * namespace belongs to, read from the one object the team may read by name (its progress
 * ConfigMap), so joining needs no cluster-scoped read.
 */
import yaml from 'js-yaml';
import type { K8sObject } from '../k8s.js';
import { GAME_LABEL, TEAM_LABEL } from './events.js';
import { jwtExpiry } from './objects.js';

export interface TeamKubeconfig {
  context: string;
  namespace: string;
  server: string;
  /** The token's expiry (JWT exp), when the user authenticates with a token. */
  tokenExpiresAt?: string;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

interface Named<T> {
  name?: string;
  [key: string]: unknown;
  value?: T;
}

/** Reads a kubeconfig's current context: its namespace, server and token expiry. */
export function parseTeamKubeconfig(text: string, file: string): TeamKubeconfig {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (error) {
    throw new KubeconfigError(`${file} is not a kubeconfig (YAML error: ${(error as Error).message.split('\n')[0]})`);
  }
  const config = doc as { 'current-context'?: string; contexts?: Named<never>[]; clusters?: Named<never>[]; users?: Named<never>[] } | undefined;
  const current = config?.['current-context'];
  if (!current) throw new KubeconfigError(`${file} has no current-context`);
  const context = config?.contexts?.find((c) => c.name === current)?.context as { cluster?: string; user?: string; namespace?: string } | undefined;
  if (!context) throw new KubeconfigError(`${file}: context "${current}" is not defined`);
  if (!context.namespace) throw new KubeconfigError(`${file}: context "${current}" names no namespace (a game kubeconfig always does)`);
  const cluster = config?.clusters?.find((c) => c.name === context.cluster)?.cluster as { server?: string } | undefined;
  if (!cluster?.server) throw new KubeconfigError(`${file}: cluster "${context.cluster}" has no server`);
  const user = config?.users?.find((u) => u.name === context.user)?.user as { token?: string } | undefined;
  const exp = user?.token ? jwtExpiry(user.token) : undefined;
  return { context: current, namespace: context.namespace, server: cluster.server, tokenExpiresAt: exp ? new Date(exp * 1000).toISOString() : undefined };
}

export interface TeamIdentity {
  game: string;
  team: string;
  namespace: string;
}

/** The game and team of a namespace, from the labels on its progress ConfigMap. */
export function teamFromProgress(namespace: string, progress: K8sObject | undefined): TeamIdentity | undefined {
  const game = progress?.metadata.labels?.[GAME_LABEL];
  const team = progress?.metadata.labels?.[TEAM_LABEL];
  return game && team ? { game, team, namespace } : undefined;
}
