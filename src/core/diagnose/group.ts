/**
 * A workload's pods usually fail the same way: ten replicas with the same missing Secret are
 * one finding, not ten. Findings are identical when container, category and summary agree;
 * the group keeps the first pod's finding (same shape as any finding) and names the others.
 */
import type { Finding } from '../diagnose.js';

export function groupFindings(findings: Finding[], podCount: number): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.container}\u0000${f.category}\u0000${f.severity}\u0000${f.summary.en}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].map((group) => {
    const [first, ...rest] = group;
    if (rest.length === 0) return podCount > 1 ? { ...first, evidence: [...first.evidence, `only pod ${first.pod} of ${podCount} shows this`] } : first;
    const names = group.map((f) => f.pod);
    const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
    return { ...first, evidence: [`same finding on ${group.length} of ${podCount} pods: ${shown}`, ...first.evidence] };
  });
}
