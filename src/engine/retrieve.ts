import type { SearchIndex } from './search-index.js';
import { dot } from './search-index.js';

/** Which signals rank passages: both fused (the product), or one alone (for evaluation). */
export type RetrievalMode = 'hybrid' | 'dense' | 'bm25';

export interface RankedChunk {
  chunk: number;
  /** Fused score, higher is better. */
  score: number;
  dense: number;
  bm25: number;
}

export interface RankOptions {
  index: SearchIndex;
  queryVector: Float32Array;
  queryTerms: string[];
  /** Years the question names; articles about an event in one of them are preferred. */
  years?: number[];
  mode?: RetrievalMode;
  /** Reciprocal-rank-fusion constant: smaller trusts the top ranks more. @default 60 */
  rrfK?: number;
  /** Multiplier for chunks of articles about a year the question names. @default 1.5 */
  yearBoost?: number;
  /** How many chunks to return. @default 8 */
  limit?: number;
}

/**
 * Ranks chunks by dense similarity and BM25 and fuses the two rankings with reciprocal rank
 * fusion: ranks, not raw scores, are combined, so cosine values and BM25 values (which live on
 * unrelated scales and shift with the model and the corpus) need no calibration.
 */
export function rankChunks(options: RankOptions): RankedChunk[] {
  const { index, queryVector, queryTerms, years = [], mode = 'hybrid', rrfK = 60, yearBoost = 1.5, limit = 8 } = options;
  const n = index.chunks.length;
  const dense = new Float64Array(n);
  if (mode !== 'bm25') index.chunks.forEach((c, i) => (dense[i] = dot(queryVector, c.vector)));
  const bm25 = mode !== 'dense' ? index.chunkBm25.scores(queryTerms) : new Float64Array(n);

  const fused = new Float64Array(n);
  const addRanks = (scores: Float64Array): void => {
    const order = [...scores.keys()].filter((i) => (scores[i] ?? 0) > 0).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    order.forEach((chunk, rank) => (fused[chunk] = (fused[chunk] ?? 0) + 1 / (rrfK + rank + 1)));
  };
  if (mode !== 'bm25') addRanks(dense);
  if (mode !== 'dense') addRanks(bm25);

  const preferred = new Set(
    index.articles.flatMap((a, i) => (a.eventYears.some((y) => years.includes(y)) ? [i] : [])),
  );
  // A year every article shares says nothing about which to prefer.
  if (preferred.size > 0 && preferred.size < index.articles.length) {
    index.chunks.forEach((c, i) => {
      if (preferred.has(c.article)) fused[i] = (fused[i] ?? 0) * yearBoost;
    });
  }
  return [...fused.keys()]
    .filter((i) => (fused[i] ?? 0) > 0)
    .sort((a, b) => (fused[b] ?? 0) - (fused[a] ?? 0))
    .slice(0, limit)
    .map((chunk) => ({ chunk, score: fused[chunk] ?? 0, dense: dense[chunk] ?? 0, bm25: bm25[chunk] ?? 0 }));
}
