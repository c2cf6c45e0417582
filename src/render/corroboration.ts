import type { Corroboration, Snippet } from '../core/types.js';

/**
 * Every other outlet that reports a snippet's fact, each once, in the engine's order: those that
 * word it the same way and those whose figures differ. An outlet never corroborates itself: a
 * second article of the quoted outlet (or a copy of the same article) is not independent
 * confirmation.
 */
export function otherOutlets(snippet: Pick<Snippet, 'source' | 'corroboratedBy'>): Corroboration[] {
  const seen = new Set([outletKey(snippet.source.outlet)]);
  const out: Corroboration[] = [];
  for (const c of snippet.corroboratedBy) {
    const key = outletKey(c.source.outlet);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

function outletKey(outlet: string): string {
  return outlet.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A figure as the article writes it, with its qualifier: "over $45 billion", "around $45bn". */
const FIGURE_PHRASE =
  /(?:(?:just |well |slightly )?(?:around|about|over|under|nearly|almost|approximately|roughly|more than|less than|close to|some|up to)\s+)?(?:US)?\$?\d[\d,.]*\s?(?:bn|mn|tn|billion|million|trillion|thousand|%|percent)(?:\s+(?:USD|dollars))?/i;

/** The first figure phrase of a quote, as written; undefined when it states none. */
export function figurePhrase(text: string): string | undefined {
  return FIGURE_PHRASE.exec(text)?.[0].trim();
}

/** One way the outlets write a figure, and who writes it so (the quoted outlet first). */
export interface FigureVariant {
  phrase: string;
  outlets: string[];
}

/**
 * How the outlets reporting a snippet's fact write its figure, each way once, the quote's own
 * first: "over $45 billion" (ThePrint) and "around $45bn" (CNewsLive, bne IntelliNews).
 * Undefined when the quote states no figure or every outlet writes it as the quote does, so a
 * reader is told only about differences.
 */
export function figureVariants(snippet: Pick<Snippet, 'source' | 'corroboratedBy' | 'quote'>): FigureVariant[] | undefined {
  const own = figurePhrase(snippet.quote);
  if (!own) return undefined;
  const key = (phrase: string): string => phrase.toLowerCase().replace(/\s+/g, ' ');
  const variants = new Map<string, FigureVariant>([[key(own), { phrase: own, outlets: [snippet.source.outlet] }]]);
  for (const c of otherOutlets(snippet)) {
    const phrase = c.differs ? figurePhrase(c.quote) : undefined;
    if (!phrase) continue;
    const variant = variants.get(key(phrase)) ?? { phrase, outlets: [] };
    variant.outlets.push(c.source.outlet);
    variants.set(key(phrase), variant);
  }
  return variants.size > 1 ? [...variants.values()] : undefined;
}
