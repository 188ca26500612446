/**
 * Instructor verdicts are signed so that a team, which can write its own event log, cannot
 * forge one: HMAC-SHA256 keyed by a Secret in the game's control namespace (teams have no
 * access there), over the team's namespace and the event without `sig` (so a signed pass
 * copied into another team's log does not verify).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VerifyVerdictEvent } from '../../core/gameday/events.js';
import { GAME_LABEL } from '../../core/gameday/events.js';
import { controlNamespace } from '../../core/gameday/game.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../core/k8s.js';
import type { GameCluster } from '../../ports/gameCluster.js';

export const BOARD_KEY_SECRET = 'crashlab-board-key';

export interface Signer {
  sign(namespace: string, event: VerifyVerdictEvent): string;
  check(namespace: string, event: VerifyVerdictEvent): boolean;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hmacSigner(key: Buffer): Signer {
  const mac = (namespace: string, event: VerifyVerdictEvent) => {
    const { sig: _sig, ...rest } = event;
    return createHmac('sha256', key).update(`${namespace}\n${canonical(rest)}`).digest('hex');
  };
  return {
    sign: mac,
    check: (namespace, event) => {
      if (!event.sig) return false;
      const want = Buffer.from(mac(namespace, event), 'hex');
      const got = Buffer.from(event.sig, 'hex');
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}

/** The game's board key if a board ever made one (read-only: snapshots and exports). */
export async function readSigner(cluster: GameCluster, game: string): Promise<Signer | undefined> {
  const data = await cluster.getSecretData(controlNamespace(game), BOARD_KEY_SECRET);
  return data?.key ? hmacSigner(Buffer.from(data.key, 'base64')) : undefined;
}

/** The game's board key: read from the control namespace, created there on first use. */
export async function loadSigner(cluster: GameCluster, game: string): Promise<Signer> {
  const namespace = controlNamespace(game);
  let data = await cluster.getSecretData(namespace, BOARD_KEY_SECRET);
  if (!data?.key) {
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [GAME_LABEL]: game };
    await cluster.createSecret(namespace, BOARD_KEY_SECRET, { key: randomBytes(32).toString('base64') }, labels);
    // Another board may have won the race: whatever is stored now is the key.
    data = await cluster.getSecretData(namespace, BOARD_KEY_SECRET);
  }
  if (!data?.key) throw new Error(`Secret ${BOARD_KEY_SECRET} in ${namespace} has no key`);
  return hmacSigner(Buffer.from(data.key, 'base64'));
}
