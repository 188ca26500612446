/**
 * The signature library (signatures.json, data) and the line ranking over it. The JSON is part
 * of the module graph (the build copies it, no file is read at run time), so src/core stays
 * pure; it is loaded only by modules that diagnose, and `diagnose` is a lazily loaded command.
 *
 * Every line of a tail is matched against every signature; the line whose signature is most
 * specific wins, not the last line: real logs end in "aborting", "Exiting" or a stack frame,
 * and the telling line is earlier.
 */
import library from './signatures.json' with { type: 'json' };
import { isCategoryId, type CategoryId } from '../categories.js';
import type { Text } from '../text.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface LogSignature {
  id: string;
  product: string;
  category: CategoryId;
  confidence: Confidence;
  /** Ranks lines of one tail against each other: higher tells more. */
  specificity: number;
  pattern: RegExp;
  summary: Text;
  /** Next steps specific to this signature; the category's apply otherwise. */
  next?: Text[];
  /** Where the text comes from: the app's log (default) or the runtime's own message. */
  source: 'log' | 'message';
  /** The process ran out of memory by itself (heap limit, failed allocation). */
  memory: boolean;
}

export interface ProbeEventSignature {
  id: string;
  pattern: RegExp;
  category: CategoryId;
  summary: Text;
}

interface RawSignature {
  id: string;
  product: string;
  ignore?: boolean;
  source?: string;
  category?: string;
  confidence?: string;
  specificity?: number;
  pattern: string;
  flags?: string;
  summary?: Text;
  next?: Text[];
  memory?: boolean;
  /** Real log lines this entry must name (checked by the signature tests, never read at run time); optional. */
  samples?: { line: string; source: string }[];
}

interface RawLibrary {
  rootCause: { pattern: string; boost: number };
  sidecarProxies: string[];
  signatures: RawSignature[];
  probeEvents: { id: string; pattern: string; flags?: string; category: string; summary: Text }[];
}

function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && typeof (value as Text).en === 'string' && typeof (value as Text).ko === 'string' && (value as Text).en !== '' && (value as Text).ko !== '';
}

/** Validates the data once; a bad entry is a bug in the library, reported with its id. */
function compile(raw: RawLibrary): { signatures: LogSignature[]; ignored: RegExp[]; probeEvents: ProbeEventSignature[]; sidecarProxies: string[] } {
  const signatures: LogSignature[] = [];
  const ignored: RegExp[] = [];
  const seen = new Set<string>();
  for (const s of raw.signatures) {
    if (seen.has(s.id)) throw new Error(`signature library: duplicate id ${s.id}`);
    seen.add(s.id);
    const pattern = new RegExp(s.pattern, s.flags ?? 'i');
    if (s.ignore) {
      ignored.push(pattern);
      continue;
    }
    if (!s.category || !isCategoryId(s.category)) throw new Error(`signature ${s.id}: unknown category ${s.category}`);
    if (s.confidence !== 'high' && s.confidence !== 'medium' && s.confidence !== 'low') throw new Error(`signature ${s.id}: bad confidence`);
    if (typeof s.specificity !== 'number') throw new Error(`signature ${s.id}: no specificity`);
    if (!isText(s.summary)) throw new Error(`signature ${s.id}: summary needs en and ko`);
    if (s.next && !s.next.every(isText)) throw new Error(`signature ${s.id}: next steps need en and ko`);
    signatures.push({
      id: s.id,
      product: s.product,
      category: s.category,
      confidence: s.confidence,
      specificity: s.specificity,
      pattern,
      summary: s.summary,
      next: s.next,
      source: s.source === 'message' ? 'message' : 'log',
      memory: s.memory === true,
    });
  }
  const probeEvents = raw.probeEvents.map((p) => {
    if (!isCategoryId(p.category) || !isText(p.summary)) throw new Error(`probe signature ${p.id} is invalid`);
    return { id: p.id, pattern: new RegExp(p.pattern, p.flags ?? 'i'), category: p.category, summary: p.summary };
  });
  return { signatures, ignored, probeEvents, sidecarProxies: raw.sidecarProxies };
}

const LIBRARY = compile(library as RawLibrary);
const ROOT_CAUSE = new RegExp((library as RawLibrary).rootCause.pattern);
const ROOT_CAUSE_BOOST = (library as RawLibrary).rootCause.boost;
/** Most specific first, so the first signature that matches a line is that line's best. */
let BY_SPECIFICITY = [...LIBRARY.signatures].sort((a, b) => b.specificity - a.specificity);

/**
 * A scenario pack's signatures.json (same schema as this library: `signatures`, optionally
 * `probeEvents` and `sidecarProxies`), checked by the same code and merged in, so a workshop can
 * teach diagnosis its own log lines. Throws with the entry at fault; an id the library already
 * has is refused (a pack adds, it does not replace).
 */
export function addSignatures(raw: unknown): { added: number } {
  const r = raw as Partial<RawLibrary> | null;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.signatures)) throw new Error('expected an object with a "signatures" list, like the built-in library');
  const extra = compile({ rootCause: { pattern: '', boost: 0 }, sidecarProxies: r.sidecarProxies ?? [], signatures: r.signatures, probeEvents: r.probeEvents ?? [] });
  for (const s of extra.signatures) if (LIBRARY.signatures.some((known) => known.id === s.id)) throw new Error(`signature ${s.id}: the id is already in the library`);
  LIBRARY.signatures.push(...extra.signatures);
  LIBRARY.ignored.push(...extra.ignored);
  LIBRARY.probeEvents.push(...extra.probeEvents);
  LIBRARY.sidecarProxies.push(...extra.sidecarProxies);
  BY_SPECIFICITY = [...LIBRARY.signatures].sort((a, b) => b.specificity - a.specificity);
  return { added: extra.signatures.length + extra.ignored.length + extra.probeEvents.length };
}

export const LOG_SIGNATURES: readonly LogSignature[] = LIBRARY.signatures;
export const PROBE_EVENT_SIGNATURES: readonly ProbeEventSignature[] = LIBRARY.probeEvents;
/** Container names of proxies that an app's traffic goes through (mesh and database proxies). */
export const SIDECAR_PROXIES: readonly string[] = LIBRARY.sidecarProxies;

export interface LogMatch {
  signature: LogSignature;
  line: string;
}

const MAX_LOG_CHARS = 1 << 20;
const MAX_LINE_CHARS = 8192;

/** Lines of a log tail without blanks and without known red herrings (kubectl's own messages included). */
export function meaningfulLines(text: string | undefined): string[] {
  if (!text) return [];
  // Bounded work on any input: the last MiB of the log, each line's first 8 KiB (a 100 MB
  // single-line log is matched in milliseconds, not 21 s and 1.9 GB).
  const recent = text.length > MAX_LOG_CHARS ? text.slice(-MAX_LOG_CHARS) : text;
  return recent
    .split('\n')
    .map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l).replace(/\r$/, '').trimEnd())
    .filter((l) => l.trim() !== '' && !LIBRARY.ignored.some((p) => p.test(l)));
}

/** True when the text is only kubectl's own complaint, not anything the app printed. */
export function isKubectlMessage(text: string | undefined): boolean {
  if (!text || text.trim() === '') return false;
  return meaningfulLines(text).length === 0 && /unable to retrieve container logs|previous terminated container|failed to try resolving symlinks/.test(text);
}

/**
 * The most telling line of the text: the highest specificity wins; among equals, the line
 * nearest the end. `sources` limits which signatures apply (a runtime message is not a log).
 */
export function matchLog(text: string | undefined, sources: ReadonlyArray<LogSignature['source']> = ['log', 'message']): LogMatch | undefined {
  const lines = meaningfulLines(text);
  let best: LogMatch | undefined;
  let bestScore = -1;
  for (const line of lines) {
    const boost = ROOT_CAUSE.test(line) ? ROOT_CAUSE_BOOST : 0;
    for (const signature of BY_SPECIFICITY) {
      if (signature.specificity + boost < bestScore) break;
      if (!sources.includes(signature.source) || !signature.pattern.test(line)) continue;
      best = { signature, line };
      bestScore = signature.specificity + boost;
      break;
    }
  }
  return best;
}

/** The last non-empty lines, for evidence when no signature matched. */
export function tail(text: string | undefined, count: number): string[] {
  return meaningfulLines(text).slice(-count);
}
