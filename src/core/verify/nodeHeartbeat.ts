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

/** Slack over the window for two renewals 10 s apart: a larger gap means the kubelet was silent when the window opened. */
export const HEARTBEAT_GAP_SLACK_MS = 15_000;

/**
 * Nodes whose kubelet was not answering when the window opened and came back during it: the
 * renewTime moved by more than the window plus slack. A restarted kubelet re-runs every
 * readiness probe (pods read not Ready until then), so a lost readiness in such a window is the
 * outage's, not the workload's. Both readings are the kubelet's own timestamps: no clock of ours.
 */
export function recoveringNodes(atStart: Record<string, string | undefined>, atEnd: Record<string, string | undefined>, windowMs: number): string[] {
  return Object.keys(atStart)
    .filter((node) => {
      const [start, end] = [atStart[node], atEnd[node]].map((v) => (v === undefined ? NaN : Date.parse(v)));
      return end - start > windowMs + HEARTBEAT_GAP_SLACK_MS;
    })
    .sort();
}

export function recoveringNodeText(nodes: string[]): Text {
  const list = nodes.join(', ');
  return {
    en: `node ${list} was not answering when the window opened and its kubelet came back during it (it re-checks every pod's readiness): could not verify, run verify again`,
    ko: `확인 구간이 시작될 때 ${list} 노드가 응답하지 않았고 구간 중에 kubelet이 돌아왔습니다(모든 파드의 준비 상태를 다시 확인합니다): 검증할 수 없습니다. 검증을 다시 실행하십시오`,
  };
}

export function silentNodeText(nodes: string[], windowSeconds: number): Text {
  const list = nodes.join(', ');
  return {
    en: `node ${list} did not renew its heartbeat (Lease) during the ${windowSeconds} s window: its kubelet was not answering, so the pods' status was not fresh; could not verify, run verify again`,
    ko: `${list} 노드가 ${windowSeconds}초 확인 구간 동안 하트비트(Lease)를 갱신하지 않았습니다: kubelet이 응답하지 않아 파드 상태가 최신이 아니므로 검증할 수 없습니다. 검증을 다시 실행하십시오`,
  };
}
