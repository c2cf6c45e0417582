import { terms } from '../core/text.js';
import type { AnswerKind } from './query.js';
import type { RankedChunk, RetrievalMode } from './retrieve.js';
import { coverageOf, type WeightedTerm } from './terms.js';
import { dot, type SearchIndex } from './search-index.js';

export const MAX_QUOTE_CHARS = 400;

export interface ScoredSentence {
  sentence: number;
  score: number;
  /** Share of the question's content (idf-weighted) found in this sentence and the one before it. */
  coverage: number;
  dense: number;
}

/** Weights of the sentence score; tuned with `npm run eval` on the development questions. */
export interface SentenceWeights {
  dense: number;
  lexical: number;
  passage: number;
  /** Bonus for a sentence of the kind the question asks for (a number for "how many"). */
  kind: number;
}

export const DEFAULT_SENTENCE_WEIGHTS: Readonly<SentenceWeights> = Object.freeze({ dense: 0.2, lexical: 0.5, passage: 0.3, kind: 0.15 });

/**
 * Scores every sentence of the retrieved chunks against the question: its own dense
 * similarity, its lexical coverage of the question (with the previous sentence as context, at
 * half weight, so "He was sanctioned…" still matches a question naming "BTK's founder"), and
 * the rank of the passage it came from.
 */
export function scoreSentences(options: {
  index: SearchIndex;
  ranked: RankedChunk[];
  queryVector: Float32Array;
  /** The question's content terms with their weights (see weighTerms). */
  weighted: WeightedTerm[];
  mode?: RetrievalMode;
  weights?: SentenceWeights;
  /** The kind of text that answers the question; matching sentences get `weights.kind`. */
  expects?: AnswerKind | undefined;
}): ScoredSentence[] {
  const { index, ranked, queryVector, weighted, expects, mode = 'hybrid', weights = DEFAULT_SENTENCE_WEIGHTS } = options;
  const topChunkScore = ranked[0]?.score ?? 1;
  const passage = new Map<number, number>();
  for (const r of ranked) {
    for (const s of index.chunks[r.chunk]?.sentences ?? []) {
      passage.set(s, Math.max(passage.get(s) ?? 0, r.score / topChunkScore));
    }
  }

  const scored: ScoredSentence[] = [];
  for (const [sentence, passageScore] of passage) {
    const entry = index.sentences[sentence];
    if (!entry) continue;
    const own = index.factsOf(sentence).terms;
    const before = entry.previous !== undefined ? index.factsOf(entry.previous).terms : new Set<string>();
    // A year the question names is also covered by an article about an event in that year.
    const eventYears = new Set(index.articles[entry.article]?.eventYears.map(String) ?? []);
    const ownCoverage = coverageOf({ weighted, has: (t) => own.has(t) || eventYears.has(t) });
    const withContext = coverageOf({ weighted, has: (t) => own.has(t) || before.has(t) || eventYears.has(t) });
    // Context from the sentence before counts half: it explains, but is not what gets quoted.
    const coverage = ownCoverage + 0.5 * (withContext - ownCoverage);
    const dense = mode === 'bm25' ? 0 : Math.max(0, dot(queryVector, entry.vector));
    const lexical = mode === 'dense' ? 0 : coverage;
    scored.push({
      sentence,
      coverage,
      dense,
      score:
        weights.dense * dense +
        weights.lexical * lexical +
        weights.passage * passageScore +
        (expects && answersKind(entry.text, expects) ? weights.kind : 0),
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}

const MONTH = /\b(january|february|march|april|may|june|july|august|september|october|november|december)\b/i;

/** Whether a sentence holds the kind of thing a question asks for. */
export function answersKind(text: string, kind: AnswerKind): boolean {
  if (kind === 'quantity') return /\d/.test(text);
  if (kind === 'time') return /\b(19|20)\d{2}\b/.test(text) || MONTH.test(text);
  return /[“”"]/.test(text);
}

/** Words that point back to the sentence before: quoting them alone would lose the subject. */
const BACK_REFERENCE = /^(he|she|it|they|this|that|these|those|his|her|its|their|the statement|the company|the base)\b/i;

export interface Quote {
  text: string;
  start: number;
  end: number;
  /** Sentence indexes the quote covers. */
  sentences: number[];
}

/**
 * Makes the quote for a sentence: the sentence itself, with the sentence before it when it
 * opens with a back-reference ("He was sanctioned…"), and trimmed to the clauses that match
 * the question when it is longer than the limit. The text is always the article's own
 * characters; trimmed parts are marked with "…".
 */
export function buildQuote(options: {
  index: SearchIndex;
  sentence: number;
  queryTerms: string[];
  /** Sentences already quoted elsewhere in the answer: never repeated as context. */
  exclude?: ReadonlySet<number>;
}): Quote {
  const { index, sentence, queryTerms, exclude } = options;
  const entry = index.sentences[sentence];
  if (!entry) return { text: '', start: 0, end: 0, sentences: [] };
  const prevIndex = entry.previous;
  const prev = prevIndex !== undefined ? index.sentences[prevIndex] : undefined;
  if (prev && prevIndex !== undefined && !exclude?.has(prevIndex) && BACK_REFERENCE.test(entry.text)) {
    // Both sentences lie in the chunk of the earlier one, or (after an overlap) in this one's.
    const chunk = [index.chunks[prev.chunk], index.chunks[entry.chunk]].find((c) => c && c.start <= prev.start && entry.end <= c.end);
    if (chunk) {
      const joined = chunk.text.slice(prev.start - chunk.start, entry.end - chunk.start);
      if (joined.length <= MAX_QUOTE_CHARS && !joined.includes('\n')) {
        return { text: joined, start: prev.start, end: entry.end, sentences: [prevIndex, sentence] };
      }
    }
  }
  if (entry.text.length <= MAX_QUOTE_CHARS) return { text: entry.text, start: entry.start, end: entry.end, sentences: [sentence] };
  const window = bestWindow({ text: entry.text, queryTerms });
  const prefix = window.start > 0 ? '… ' : '';
  const suffix = window.end < entry.text.length ? ' …' : '';
  return {
    text: `${prefix}${entry.text.slice(window.start, window.end)}${suffix}`,
    start: entry.start + window.start,
    end: entry.start + window.end,
    sentences: [sentence],
  };
}

/** The run of clauses under the length limit that covers the most question terms. */
function bestWindow(options: { text: string; queryTerms: string[] }): { start: number; end: number } {
  const { text, queryTerms } = options;
  const limit = MAX_QUOTE_CHARS - 4;
  const cuts = [0];
  for (const m of text.matchAll(/[,;:–—-]\s+|\s+(?:and|but|while|which|where)\s+/g)) cuts.push((m.index ?? 0) + m[0].length);
  cuts.push(text.length);
  const wanted = new Set(queryTerms);
  // Hits per clause once; a window's hits are then a difference of prefix sums.
  const prefix = [0];
  for (let i = 0; i < cuts.length - 1; i++) {
    const clause = text.slice(cuts[i] ?? 0, cuts[i + 1] ?? 0);
    prefix.push((prefix[i] ?? 0) + terms(clause).filter((t) => wanted.has(t)).length);
  }
  let best = { start: 0, end: Math.min(text.length, limit), hits: -1 };
  for (let i = 0; i < cuts.length - 1; i++) {
    for (let j = i + 1; j < cuts.length; j++) {
      const start = cuts[i] ?? 0;
      const end = cuts[j] ?? 0;
      if (end - start > limit) break;
      const hits = (prefix[j] ?? 0) - (prefix[i] ?? 0);
      if (hits > best.hits || (hits === best.hits && end - start > best.end - best.start)) best = { start, end, hits };
    }
  }
  if (best.hits < 0) best.end = Math.max(text.lastIndexOf(' ', limit), 1);
  // Trim the joining whitespace and dangling separators so the fragment reads cleanly.
  let { start, end } = best;
  while (end > start && /[\s,;:–—-]/.test(text[end - 1] ?? '')) end--;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  return { start, end };
}
