/**
 * The participant's side of a game: what a team kubeconfig says (pure parsing), and the team a
 * namespace belongs to, read from the one object the team may read by name (its progress
 * ConfigMap), so joining needs no cluster-scoped read.
 */
import yaml from 'js-yaml';
import { z } from 'zod';
import { excerpt } from '../untrusted.js';
import type { K8sObject } from '../k8s.js';
import { GAME_LABEL, TEAM_LABEL } from './events.js';
import { jwtExpiry } from './objects.js';
import { CoreError } from '../errors.js';

export interface TeamKubeconfig {
  context: string;
  namespace: string;
  server: string;
  /** insecure-skip-tls-verify: true on the cluster. */
  insecure: boolean;
  /** The token's expiry (JWT exp), when the user authenticates with a token. */
  tokenExpiresAt?: string;
}

// Only the parts crashlab reads, each checked for its shape: a kubeconfig with `contexts: 5`
// is "not a kubeconfig", never a JavaScript error.
const entry = <K extends string, T extends z.ZodType>(key: K, inner: T) => z.object({ name: z.string(), [key]: inner.optional() } as { name: z.ZodString } & Record<K, z.ZodOptional<T>>);
const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  contexts: z.array(entry('context', z.object({ cluster: z.string().optional(), user: z.string().optional(), namespace: z.string().optional() }))).nullish(),
  clusters: z.array(entry('cluster', z.object({ server: z.string().optional(), 'insecure-skip-tls-verify': z.boolean().optional() }))).nullish(),
  users: z.array(entry('user', z.object({ token: z.string().optional() }).nullable())).nullish(),
});

/** Reads a kubeconfig's current context: its namespace, server and token expiry. */
export function parseTeamKubeconfig(text: string, file: string): TeamKubeconfig {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (error) {
    {
    const why = excerpt((error as Error).message.split('\n')[0]);
    throw new CoreError('kubeconfig', { en: `${file} is not a kubeconfig (YAML error: ${why})`, ko: `${file} 파일은 kubeconfig가 아닙니다(YAML 오류: "${why}")` });
  }
  }
  const parsed = kubeconfigSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('kubeconfig', {
      en: `${file} is not a kubeconfig: ${issue.path.join('.') || 'the document'}: ${excerpt(issue.message)}`,
      ko: `${file} 파일은 kubeconfig가 아닙니다: ${issue.path.join('.') || '문서 전체'}: ${excerpt(issue.message)}`,
    });
  }
  const config = parsed.data;
  const current = config['current-context'];
  if (!current) throw new CoreError('kubeconfig', { en: `${file} has no current-context`, ko: `${file} 파일에 current-context가 없습니다` });
  const context = config.contexts?.find((c) => c.name === current)?.context;
  if (!context) throw new CoreError('kubeconfig', { en: `${file}: context "${excerpt(current)}" is not defined`, ko: `${file}: "${excerpt(current)}" 컨텍스트가 정의되어 있지 않습니다` });
  if (!context.namespace) throw new CoreError('kubeconfig', {
      en: `${file}: context "${excerpt(current)}" names no namespace (a game kubeconfig always does)`,
      ko: `${file}: "${excerpt(current)}" 컨텍스트에 네임스페이스가 없습니다(게임 데이 kubeconfig에는 항상 있습니다)`,
    });
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new CoreError('kubeconfig', { en: `${file}: cluster "${excerpt(context.cluster ?? '')}" has no server`, ko: `${file}: "${excerpt(context.cluster ?? '')}" 클러스터에 server가 없습니다` });
  const user = config.users?.find((u) => u.name === context.user)?.user;
  const exp = user?.token ? jwtExpiry(user.token) : undefined;
  return {
    context: current,
    namespace: context.namespace,
    server: cluster.server,
    insecure: cluster['insecure-skip-tls-verify'] === true,
    tokenExpiresAt: exp !== undefined ? new Date(exp * 1000).toISOString() : undefined,
  };
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

/** Why a team's access is over: its token expired, or the cluster stopped accepting it (the game ended). */
export interface GameOver {
  reason: 'expired' | 'ended';
  /** The token's expiry, when known. */
  tokenExpiresAt?: string;
}

/** kubectl's words for a rejected credential (an expired or deleted ServiceAccount token). */
export function isUnauthorized(text: string): boolean {
  return /\(Unauthorized\)|must be logged in to the server|provide credentials/.test(text);
}

/**
 * A team call the API server rejected as Unauthorized: past the token's expiry the token
 * expired; before it the game ended (`gameday end` deletes the team's namespace and with it
 * the ServiceAccount the token belongs to).
 */
export function gameOverOf(unauthorized: boolean, tokenExpiresAt: string | undefined, nowMs: number): GameOver | undefined {
  if (!unauthorized) return undefined;
  const expired = tokenExpiresAt !== undefined && Date.parse(tokenExpiresAt) <= nowMs;
  return { reason: expired ? 'expired' : 'ended', ...(tokenExpiresAt ? { tokenExpiresAt } : {}) };
}

/** What the participant reads (CLI and lab), in both languages: plain words and what to do next. */
export function gameOverText(over: GameOver, localTime: (iso: string, lang: 'en' | 'ko') => string): { message: { en: string; ko: string }; hint: { en: string; ko: string } } {
  const at = (lang: 'en' | 'ko') => (over.tokenExpiresAt ? localTime(over.tokenExpiresAt, lang) : '');
  return {
    message:
      over.reason === 'expired'
        ? { en: `Your team's token expired at ${at('en')}: the game's time is over.`, ko: `팀 토큰이 ${at('ko')}에 만료되었습니다: 게임 시간이 끝났습니다.` }
        : {
            en: "The game is over: the cluster no longer accepts your team's token (the instructor ended the game).",
            ko: '게임이 끝났습니다: 클러스터가 팀 토큰을 더 이상 받지 않습니다(강사가 게임을 종료했습니다).',
          },
    hint: {
      en: 'Ask your instructor for the results. If the game goes on, the instructor can re-issue your kubeconfig file with `crashlab gameday tokens`.',
      ko: '결과는 강사에게 문의하십시오. 게임이 계속된다면 강사가 `crashlab gameday tokens`로 새 kubeconfig 파일을 발급할 수 있습니다.',
    },
  };
}
