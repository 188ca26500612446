/**
 * Each kubelet renews its node's Lease (namespace kube-node-lease) every 10 s. While it does
 * not (the kubelet down, restarting, or cut off), nothing refreshes its pods' status: the API
 * server keeps showing them Ready, so a pass would rest on stale status and a crash meanwhile
 * would go unseen; the node controller only marks the node 40 s later. A Lease that did not move
 * during the stability window therefore gives "could not verify". Clock-free (pure): two
 * readings of renewTime, compared; a node whose Lease could not be read (a team's token has no
 * rights there) gives no opinion.
 */
import type { Text } from '../text.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** A window this long sees at least one renewal of a live kubelet's Lease (every 10 s). */
export const HEARTBEAT_MIN_WINDOW_MS = 15_000;

/** Nodes whose Lease renewTime is the same at the end of the window as at its start. */
export function silentNodes(atStart: Record<string, string | undefined>, atEnd: Record<string, string | undefined>, windowMs: number): string[] {
  if (windowMs < HEARTBEAT_MIN_WINDOW_MS) return [];
  return Object.keys(atStart)
    .filter((node) => atStart[node] !== undefined && atStart[node] === atEnd[node])
    .sort();
}

export function silentNodeText(nodes: string[], windowSeconds: number): Text {
  const list = nodes.join(', ');
  return {
    en: `node ${list} did not renew its heartbeat (Lease) during the ${windowSeconds} s window: its kubelet was not answering, so the pods' status was not fresh; could not verify, run verify again`,
    ko: `${list} 노드가 ${windowSeconds}초 확인 구간 동안 하트비트(Lease)를 갱신하지 않았습니다: kubelet이 응답하지 않아 파드 상태가 최신이 아니므로 검증할 수 없습니다. 검증을 다시 실행하십시오`,
  };
}
