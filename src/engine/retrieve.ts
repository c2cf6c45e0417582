import { scoreRows, type SearchIndex } from './search-index.js';

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
  const dense =
    mode !== 'bm25' ? scoreRows({ matrix: index.chunkMatrix, dimensions: index.dimensions, query: queryVector }) : new Float64Array(n);
  const bm25 = mode !== 'dense' ? index.chunkBm25.scores(queryTerms) : new Float64Array(n);

  // Fusion reads each list to `depth`: a passage ranked lower adds under 1/(rrfK + depth) and
  // cannot change the top `limit`, and sorting only the heads keeps large corpora fast.
  const depth = Math.max(200, limit * 10);
  const fused = new Map<number, number>();
  const addRanks = (scores: Float64Array): void => {
    topIndexes(scores, depth).forEach((chunk, rank) => fused.set(chunk, (fused.get(chunk) ?? 0) + 1 / (rrfK + rank + 1)));
  };
  if (mode !== 'bm25') addRanks(dense);
  if (mode !== 'dense') addRanks(bm25);

  const preferred = new Set(
    index.articles.flatMap((a, i) => (a.eventYears.some((y) => years.includes(y)) ? [i] : [])),
  );
  // A year every article shares says nothing about which to prefer.
  if (preferred.size > 0 && preferred.size < index.articles.length) {
    for (const [chunk, score] of fused) {
      if (preferred.has(index.chunks[chunk]?.article ?? -1)) fused.set(chunk, score * yearBoost);
    }
  }
  return [...fused]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([chunk, score]) => ({ chunk, score, dense: dense[chunk] ?? 0, bm25: bm25[chunk] ?? 0 }));
}

/**
 * Indexes of the `k` highest positive scores, best first (ties: lower index first), in
 * O(n log k) with a bounded min-heap instead of sorting all n.
 */
export function topIndexes(scores: Float64Array, k: number): number[] {
  const heap: number[] = [];
  // "a is worse than b": lower score, or the same score and a later index.
  const worse = (a: number, b: number): boolean => (scores[a] ?? 0) < (scores[b] ?? 0) || ((scores[a] ?? 0) === (scores[b] ?? 0) && a > b);
  const swap = (i: number, j: number): void => {
    const t = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = t;
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[m] ?? 0)) m = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[m] ?? 0)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] ?? 0) <= 0) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c] ?? 0, heap[p] ?? 0)) break;
        swap(c, p);
        c = p;
      }
    } else if (worse(heap[0] ?? 0, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
