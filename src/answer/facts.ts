import { normalizeNumbers, normalizeText, terms } from '../core/text.js';
import type { Corroboration, Snippet, Source } from '../core/types.js';
import type { Quote } from './quotes.js';
import { boundedMemo } from '../core/memo.js';
import { QUOTING } from '../core/settings.js';

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

/** What corroboration compares: a text's content terms and the figures it states. */
export interface FactTerms {
  terms: ReadonlySet<string>;
  /** Qualified figures, e.g. "around 45 billion usd". */
  figures: readonly string[];
  /** The same figures without their qualifiers (see figureValue), each once. */
  values: readonly string[];
  /** The terms as ascending numbers of `numbering`, so two texts are compared by one merge. */
  ids: Int32Array;
  numbering: TermNumbering;
}

/** Numbers for terms, handed out in the order first seen. */
export interface TermNumbering {
  ids: Map<string, number>;
}

/**
 * What a text states. Its terms are numbered in `numbering`: two texts described under the
 * same numbering are compared by one merge of two short number lists, two numbered apart by
 * their term sets (the same count, more slowly).
 */
export function describeFact(text: string, numbering: TermNumbering = { ids: new Map() }): FactTerms {
  const stated = figures(text);
  const termSet = new Set(terms(text));
  const { ids } = numbering;
  const numbers = new Int32Array(termSet.size);
  let k = 0;
  for (const t of termSet) {
    let id = ids.get(t);
    if (id === undefined) {
      id = ids.size;
      ids.set(t, id);
    }
    numbers[k++] = id;
  }
  return { terms: termSet, figures: stated, values: [...new Set(stated.map(figureValue))], ids: numbers.sort(), numbering };
}

/** A describer starts a new numbering past this many terms (a corpus has far fewer). */
const MAX_NUMBERED_TERMS = 500_000;

/** A quote's place in a store's articles: names its text for as long as the store is served. */
export function quotePlace(q: SourcedQuote): string {
  return `${q.article}:${q.quote.start}:${q.quote.end}`;
}

/**
 * Describes quotes, each worked out once and remembered (up to `max`) under `keyOf`: its text
 * by default; an engine, which keeps one describer for as long as it serves its store, names
 * quotes by their place (quotePlace), cheaper to look up. Its quotes share one term numbering.
 */
export function factDescriber(options: { keyOf?: (q: SourcedQuote) => string; max?: number } = {}): (quote: SourcedQuote) => FactTerms {
  const { keyOf = (q: SourcedQuote) => q.quote.text, max = 20_000 } = options;
  let numbering: TermNumbering = { ids: new Map() };
  return boundedMemo(
    (q: SourcedQuote) => {
      if (numbering.ids.size >= MAX_NUMBERED_TERMS) numbering = { ids: new Map() };
      return describeFact(q.quote.text, numbering);
    },
    max,
    keyOf,
  );
}

/** How many terms two texts share (exactly, whichever numbering each was described under). */
function sharedTerms(a: FactTerms, b: FactTerms): number {
  let shared = 0;
  if (a.numbering !== b.numbering) {
    for (const t of a.terms) if (b.terms.has(t)) shared++;
    return shared;
  }
  const x = a.ids;
  const y = b.ids;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const d = (x[i] as number) - (y[j] as number);
    if (d === 0) {
      shared++;
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  return shared;
}

/**
 * Whether two sentences from different articles report the same fact: they state the same
 * figure with overlapping wording, or (with no figures) share most of their content words.
 */
export function sameFact(a: FactTerms, b: FactTerms): boolean {
  const sameFigure = a.values.some((v) => b.values.includes(v));
  if (!sameFigure && a.figures.length > 0 && b.figures.length > 0) return false;
  const least = sameFigure ? QUOTING.sameFact.withFigure : QUOTING.sameFact.withoutFigure;
  // The overlap can be no larger than the smaller set: skip counting when even that falls short.
  const sizeA = a.terms.size;
  const sizeB = b.terms.size;
  if (Math.min(sizeA, sizeB) / (Math.max(sizeA, sizeB) || 1) < least) return false;
  const shared = sharedTerms(a, b);
  return shared / (sizeA + sizeB - shared || 1) >= least;
}

/** True when both state figures and no qualified figure of one appears in the other. */
export function figuresDiffer(a: FactTerms, b: FactTerms): boolean {
  if (a.figures.length === 0 || b.figures.length === 0) return false;
  const setB = new Set(b.figures);
  return !a.figures.some((f) => setB.has(f));
}

/** A quote of a sentence, with where it comes from. */
export interface SourcedQuote {
  quote: Quote;
  /** Article index and outlet, to keep an outlet from corroborating itself. */
  article: number;
  outlet: string;
  source: Source;
  event: string;
}

/** A quote chosen for the answer, before grouping. */
export interface RankedQuote extends SourcedQuote {
  score: number;
  /** How far its score is below the best quote's. */
  gap: number;
}

/**
 * Groups quotes, best first, into snippets: a quote of a new fact becomes a snippet when it is
 * within the gap allowed at its position (`maxGapAt(number of snippets so far)`); a quote from
 * another outlet reporting the same fact corroborates it (whatever its gap: it supports a fact
 * already shown); anything else is left out. `corroborators`, quotes that were not ranked,
 * come after them all and may only corroborate.
 */
export function groupIntoSnippets(options: {
  quotes: RankedQuote[];
  corroborators?: readonly SourcedQuote[];
  limit: number;
  maxGapAt: (position: number) => number;
  /** What a quote states: an engine's factDescriber, which remembers quotes across questions (by default, one for this call, by text). */
  describe?: (quote: SourcedQuote) => FactTerms;
}): Snippet[] {
  const { quotes, corroborators = [], limit, maxGapAt, describe = factDescriber() } = options;
  const snippets: Array<Snippet & { facts: FactTerms; outlet: string }> = [];
  /** Adds the quote to the snippet of the same fact from another outlet, if there is one. */
  const corroborates = (q: SourcedQuote, facts: FactTerms): boolean => {
    const fact = snippets.find((s) => s.outlet !== q.outlet && s.source.id !== q.source.id && sameFact(s.facts, facts));
    if (fact && !fact.corroboratedBy.some((c) => c.source.outlet === q.outlet)) {
      const corroboration: Corroboration = { source: q.source, quote: q.quote.text, differs: figuresDiffer(fact.facts, facts) };
      fact.corroboratedBy.push(corroboration);
    }
    return fact !== undefined;
  };
  for (const q of quotes) {
    const facts = describe(q);
    if (corroborates(q, facts)) continue;
    if (snippets.length >= limit || q.gap > maxGapAt(snippets.length)) continue;
    snippets.push({
      quote: q.quote.text,
      source: q.source,
      score: Number(q.score.toFixed(4)),
      start: q.quote.start,
      end: q.quote.end,
      event: q.event,
      corroboratedBy: [],
      facts,
      outlet: q.outlet,
    });
  }
  for (const q of corroborators) corroborates(q, describe(q));
  return snippets.map(({ facts: _facts, outlet: _outlet, ...snippet }) => snippet);
}
