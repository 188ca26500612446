/**
 * Images built for a CPU architecture the cluster does not have (runtime-issue). A scenario
 * lists one image's per-architecture manifests by digest (`foreignArch: {amd64: ..., arm64:
 * ...}`); at deploy time the variant for an architecture no node has replaces whichever of them
 * the manifests name. A single-platform manifest pulled by digest is accepted by containerd
 * whatever its platform (an index without the node's platform is refused at pull instead:
 * `no match for platform in manifest`), so the container really starts and the kernel refuses
 * the binary: `exec /bin/sh: exec format error`.
 */

/** The architectures Kubernetes reports in node.status.nodeInfo.architecture (GOARCH names). */
export const ARCHITECTURES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64'] as const;

export type ForeignArchChoice = { ok: true; arch: string; image: string } | { ok: false; reason: string };

/**
 * The first variant (in the order the scenario lists them) whose architecture no node has.
 * No node architecture known: no choice (the caller keeps the manifest as written).
 */
export function chooseForeignArch(variants: Record<string, string>, nodeArchitectures: readonly string[]): ForeignArchChoice {
  const have = new Set(nodeArchitectures.map((a) => a.trim()).filter(Boolean));
  if (have.size === 0) return { ok: false, reason: 'no node reported its architecture' };
  for (const [arch, image] of Object.entries(variants)) {
    if (!have.has(arch)) return { ok: true, arch, image };
  }
  return { ok: false, reason: `every variant (${Object.keys(variants).join(', ')}) has an architecture a node runs (${[...have].join(', ')})` };
}

/** The image replacements prepareForDeploy applies: every variant becomes the chosen one. */
export function foreignArchImages(variants: Record<string, string>, chosen: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const image of Object.values(variants)) if (image !== chosen) map[image] = chosen;
  return map;
}

/** node.status.nodeInfo.architecture of every node, from `kubectl get nodes -o jsonpath={.items[*].status.nodeInfo.architecture}`. */
export function parseNodeArchitectures(jsonpathOutput: string): string[] {
  return [...new Set(jsonpathOutput.split(/\s+/).filter(Boolean))];
}
