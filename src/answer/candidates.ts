/**
 * The candidate stage every store feeds: passages found by the dense and the lexical rankings,
 * fused by rank, become each sentence once with its passages' best scores, cut to the best by
 * three cheap scores. Pure: the stores (files in memory, PostgreSQL) compute the rankings and
 * the scores; this stage combines them alike.
 */
import { bestIndexes } from '../core/vectors.js';
import { RETRIEVAL } from '../core/settings.js';
import type { Candidates, CandidateSentence, QuotableSentence } from './store.js';

/** Reciprocal-rank-fusion constant, the usual value: ranks past the top few weigh little. */
export const RRF_K = RETRIEVAL.rrfK;

/**
 * How deep each ranking is read for a question that takes sentences from `passages` passages:
 * RRF_K + 2 × passages, the least depth at which a passage found in neither list can never
 * enter the fused top `passages`. Each of the dense ranking's first `passages` scores at least
 * 1/(k + passages), so the fused top `passages` all score at least that; a passage below
 * `depth` in both lists scores under 2/(k + depth + 1), which is less. (Deeper reading would
 * only add the small shares, under 1/(k + depth), of passages that one list ranks far down.)
 */
export function fusionDepth(passages: number): number {
  return RRF_K + 2 * passages;
}

/** The terms before a sentence that opens its article (one shared empty set, never changed). */
export const NO_TERMS: ReadonlySet<string> = new Set<string>();

/** A ranked passage: its fused place is its index in the list. */
export interface RankedPassage {
  dense: number;
  lexical: number;
  first: number;
  count: number;
}

/** The cheap scores a sentence is first cut by (see `RankingParams.sentences`). */
export interface FirstScores {
  /** Cosine of the question with the sentence, and with the sentence before and it together. */
  dense: number;
  context: number;
  /** BM25 of the sentence. */
  lexical: number;
}

/**
 * The candidates of the ranked passages: each sentence once, in id order, with the best dense
 * score and the best BM25 score (over the best passage's) of a passage holding it. With
 * `sentences`, only those among the best that many by any of their first scores (ties: the
 * earlier sentence), so a store builds full candidates for those alone. Shared by every store,
 * so the passage scores and the cut are worked out alike.
 */
export function assembleCandidates(options: {
  ranked: readonly RankedPassage[];
  sentences?: number | undefined;
  firstScores: (id: number) => FirstScores;
  /**
   * The full candidate of a sentence, with the scores of its best passages; `first` gives any
   * sentence's first scores, each worked out once a question.
   */
  sentence: (id: number, passage: { dense: number; lexical: number }, first: (id: number) => FirstScores) => CandidateSentence;
  /** What a quote of a sentence the cut left out needs. */
  quotable: (id: number) => QuotableSentence;
}): Candidates {
  const { ranked, sentences, firstScores, sentence, quotable } = options;
  const topLexical = ranked.reduce((best, chunk) => Math.max(best, chunk.lexical), 0) || 1;
  const passage = new Map<number, { dense: number; lexical: number }>();
  for (const chunk of ranked) {
    for (let s = chunk.first; s < chunk.first + chunk.count; s++) {
      const seen = passage.get(s);
      const d = chunk.dense;
      const l = chunk.lexical / topLexical;
      passage.set(s, seen ? { dense: Math.max(seen.dense, d), lexical: Math.max(seen.lexical, l) } : { dense: d, lexical: l });
    }
  }
  const ids = [...passage.keys()].sort((a, b) => a - b);
  const scored = new Map<number, FirstScores>();
  const first = (id: number): FirstScores => {
    let scores = scored.get(id);
    if (scores === undefined) {
      scores = firstScores(id);
      scored.set(id, scores);
    }
    return scores;
  };
  const kept = sentences === undefined || ids.length <= sentences ? ids : firstCut(ids, sentences, first);
  const build = (id: number): CandidateSentence => sentence(id, passage.get(id) ?? { dense: 0, lexical: 0 }, first);
  let others: QuotableSentence[] | undefined;
  return {
    ranked: kept.map(build),
    others: () => {
      if (!others) {
        const inCut = new Set(kept);
        others = ids.filter((id) => !inCut.has(id)).map(quotable);
      }
      return others;
    },
  };
}

/** A candidate's cosines (see `CandidateSentence.cosines`) from the first scores of it and of the sentence after it. */
export function cosinesOf(id: number, after: number | undefined, first: (id: number) => FirstScores): CandidateSentence['cosines'] {
  const own = first(id);
  const next = after === undefined ? undefined : first(after);
  return { sentence: own.dense, context: own.context, next: next?.dense, nextContext: next?.context };
}

/** The ids (ascending) among the best `count` by any of the first scores. */
function firstCut(ids: readonly number[], count: number, firstScores: (id: number) => FirstScores): number[] {
  const dense = new Float64Array(ids.length);
  const context = new Float64Array(ids.length);
  const lexical = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const s = firstScores(id);
    dense[i] = s.dense;
    context[i] = s.context;
    lexical[i] = s.lexical;
  });
  const keep = new Uint8Array(ids.length);
  for (const scores of [dense, context, lexical]) for (const i of bestIndexes(scores, count)) keep[i] = 1;
  return ids.filter((_, i) => keep[i] === 1);
}
