import { normalizeNumbers, normalizeText, terms } from '../core/text.js';

/**
 * Figures a sentence states, with their qualifier: "around $45bn" -> "around 45 billion usd",
 * "over $45 billion" -> "over 45 billion usd". Two reports of the same fact that differ here
 * are shown side by side rather than merged silently.
 */
export function figures(text: string): string[] {
  const normalized = normalizeNumbers(normalizeText(text)).toLowerCase();
  const pattern =
    /\b((?:just |well |slightly )?(?:around|about|over|under|nearly|almost|approximately|roughly|more than|less than|close to|some|up to)\s+)?(\d+(?:\.\d+)?)(?:\s+(billion|million|trillion|thousand))?(?:\s+(usd|percent))?/g;
  const out: string[] = [];
  for (const m of normalized.matchAll(pattern)) {
    const value = m[2] ?? '';
    // Years and bare small integers ("two years", "2024") are not figures worth comparing.
    if (!m[3] && !m[4]) continue;
    out.push([m[1]?.trim(), value, m[3], m[4]].filter(Boolean).join(' '));
  }
  return out;
}

/** The figure without its qualifier, to tell "the same number said differently" from "a different number". */
export function figureValue(figure: string): string {
  return (/\d+(?:\.\d+)?(?:\s+(?:billion|million|trillion|thousand))?(?:\s+(?:usd|percent))?/.exec(figure)?.[0] ?? figure).trim();
}

/**
 * Whether two sentences from different articles report the same fact: they state the same
 * figure with overlapping wording, or (with no figures) share most of their content words.
 */
export function sameFact(a: string, b: string): boolean {
  const fa = figures(a).map(figureValue);
  const fb = new Set(figures(b).map(figureValue));
  const ta = new Set(terms(a));
  const tb = new Set(terms(b));
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const jaccard = shared / (ta.size + tb.size - shared || 1);
  if (fa.some((f) => fb.has(f))) return jaccard >= 0.12;
  if (fa.length > 0 && fb.size > 0) return false;
  return jaccard >= 0.45;
}

/** True when both state figures and no qualified figure of one appears in the other. */
export function figuresDiffer(a: string, b: string): boolean {
  const fa = figures(a);
  const fb = figures(b);
  if (fa.length === 0 || fb.length === 0) return false;
  const setB = new Set(fb);
  return !fa.some((f) => setB.has(f));
}
