/**
 * Which scenarios a game may offer. A scenario says in its data whether it can run on a
 * shared cluster (`shared: true`); one that cannot is never offered.
 */
export interface Offerable {
  id: string;
  shared?: boolean;
}

export type OfferResult = { ok: true; ids: string[]; note?: string } | { ok: false; message: string };

/**
 * The offered ids for `--scenarios a,b` (requested) or `--all` (requested undefined).
 * Until the catalog carries the `shared` field at all, every scenario counts as shareable
 * (and the note says so): the cluster suite is what proves it.
 */
export function offerScenarios(catalog: Offerable[], requested: string[] | undefined): OfferResult {
  const declared = catalog.some((s) => s.shared !== undefined);
  const shareable = (s: Offerable) => (declared ? s.shared === true : true);
  const note = declared ? undefined : 'no scenario declares `shared` yet: offering every scenario';
  if (requested === undefined) {
    const ids = catalog.filter(shareable).map((s) => s.id);
    if (ids.length === 0) return { ok: false, message: 'no scenario in the catalog can run on a shared cluster (none has shared: true)' };
    return { ok: true, ids, note };
  }
  const unknown = requested.filter((id) => !catalog.some((s) => s.id === id));
  if (unknown.length) return { ok: false, message: `unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${catalog.map((s) => s.id).join(', ')})` };
  const notShared = requested.filter((id) => !shareable(catalog.find((s) => s.id === id)!));
  if (notShared.length) return { ok: false, message: `not offered in games (its data says it cannot run on a shared cluster): ${notShared.join(', ')}` };
  return { ok: true, ids: [...new Set(requested)], note };
}
