import type { Corroboration, Snippet } from '../core/types.js';

/**
 * The outlets to list as "also reported by" under a snippet: other outlets that word the fact
 * the same way, each once. An outlet never corroborates itself: a second article of the quoted
 * outlet (or a copy of the same article) is not independent confirmation.
 */
export function alsoReportedBy(snippet: Pick<Snippet, 'source' | 'corroboratedBy'>): Corroboration[] {
  const seen = new Set([outletKey(snippet.source.outlet)]);
  const out: Corroboration[] = [];
  for (const c of snippet.corroboratedBy) {
    const key = outletKey(c.source.outlet);
    if (c.differs || seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

function outletKey(outlet: string): string {
  return outlet.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
