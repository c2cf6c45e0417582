import { terms } from './text.js';
import { RETRIEVAL } from './settings.js';

/** Okapi BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation. @default 1.2 */
  k1?: number;
  /** Length normalisation. @default 0.75 */
  b?: number;
}

export const BM25_K1 = RETRIEVAL.bm25.k1;
export const BM25_B = RETRIEVAL.bm25.b;

/**
 * Postings of every term, packed: term `i` is found in `docs[starts[i] .. starts[i+1])`, each
 * with its count in `tfs`; `lengths` holds each document's number of terms. Plain typed arrays,
 * so an index can be written to a file (or a database) and read back without rebuilding it.
 */
export interface PackedPostings {
  terms: string[];
  starts: Int32Array;
  docs: Int32Array;
  tfs: Int32Array;
  lengths: Int32Array;
}

/** Inverse document frequency of a term found in `df` of `documents` documents; 0 when df is 0. */
export function bm25Idf(options: { documents: number; df: number }): number {
  const { documents, df } = options;
  if (df === 0) return 0;
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

/**
 * One term's share of a document's BM25 score. Every store scores with this one function, in
 * the same order of operations, so that their scores are equal to the last bit.
 */
export function bm25Term(options: { idf: number; tf: number; length: number; avgLength: number; k1?: number; b?: number }): number {
  const { idf, tf, length, avgLength, k1 = BM25_K1, b = BM25_B } = options;
  const norm = 1 - b + (b * length) / (avgLength || 1);
  return (idf * tf * (k1 + 1)) / (tf + k1 * norm);
}

/**
 * How many of a term's postings the passage ranking reads: the term's best, by their weight
 * (see postingWeight). A term found in more passages than this is a common word whose share of
 * any one passage's score is small; reading it only where it weighs most bounds a question's
 * lexical work however large the corpus grows, and the stores keep each list best first, so
 * the cut is a prefix. Below it the ranking is exact: the largest list of the real corpus
 * holds 41 passages.
 */
export const POSTINGS_PER_TERM = RETRIEVAL.postingsPerTerm;

/** A posting's BM25 weight before the idf: the order a term's postings are read in, best first. */
export function postingWeight(options: { tf: number; length: number; avgLength: number; k1?: number; b?: number }): number {
  return bm25Term({ idf: 1, ...options });
}

/**
 * Which postings of a list are read: all of a list no longer than `limit`; otherwise the
 * `limit` heaviest (see postingWeight), ties to the earlier posting.
 * @returns a flag per posting
 */
export function readPostings(options: { weights: Float64Array; limit: number }): Uint8Array {
  const { weights, limit } = options;
  const read = new Uint8Array(weights.length);
  if (weights.length <= limit) return read.fill(1);
  if (limit <= 0) return read;
  const sorted = Float64Array.from(weights).sort();
  const cut = sorted[weights.length - limit] ?? 0;
  let above = 0;
  for (const w of weights) if (w > cut) above++;
  let ties = limit - above;
  weights.forEach((w, i) => {
    if (w > cut || (w === cut && ties-- > 0)) read[i] = 1;
  });
  return read;
}

/** Packs the postings of tokenized documents (terms in order of first appearance). */
export function packPostings(tokenized: readonly (readonly string[])[]): PackedPostings {
  const lists = new Map<string, number[]>();
  const lengths = new Int32Array(tokenized.length);
  let total = 0;
  tokenized.forEach((docTerms, doc) => {
    const counts = new Map<string, number>();
    for (const term of docTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = lists.get(term);
      if (!list) lists.set(term, (list = []));
      list.push(doc, tf);
      total++;
    }
    lengths[doc] = docTerms.length;
  });
  const termList = [...lists.keys()];
  const starts = new Int32Array(termList.length + 1);
  const docs = new Int32Array(total);
  const tfs = new Int32Array(total);
  let at = 0;
  termList.forEach((term, i) => {
    starts[i] = at;
    const list = lists.get(term) ?? [];
    for (let p = 0; p < list.length; p += 2) {
      docs[at] = list[p] ?? 0;
      tfs[at] = list[p + 1] ?? 0;
      at++;
    }
  });
  starts[termList.length] = at;
  return { terms: termList, starts, docs, tfs, lengths };
}

/**
 * An in-memory BM25 index over short passages.
 *
 * vectra 0.12 has BM25 too, but it rebuilds its BM25 engine and re-reads every document from
 * disk on each query; scoring from packed postings keeps a query in microseconds, and the
 * postings can be stored with the build instead of being rebuilt at every start.
 */
export class Bm25Index {
  readonly postings: PackedPostings;
  private readonly termIndex = new Map<string, number>();
  /** Per term (and cut), the postings a cut ranking reads: the lists never change. */
  private readonly readCache = new Map<string, Uint8Array>();
  readonly avgLength: number;
  private readonly k1: number;
  private readonly b: number;

  /**
   * @param options.documents texts to index, or
   * @param options.tokenized their content terms, when the caller has them already, or
   * @param options.postings postings packed earlier (see `packPostings`)
   */
  constructor(options: ({ documents: string[] } | { tokenized: string[][] } | { postings: PackedPostings }) & Bm25Options) {
    const { k1 = BM25_K1, b = BM25_B } = options;
    this.k1 = k1;
    this.b = b;
    this.postings =
      'postings' in options ? options.postings : packPostings('tokenized' in options ? options.tokenized : options.documents.map((text) => terms(text)));
    this.postings.terms.forEach((term, i) => this.termIndex.set(term, i));
    let total = 0;
    for (const length of this.postings.lengths) total += length;
    this.avgLength = this.postings.lengths.length > 0 ? total / this.postings.lengths.length : 0;
  }

  get size(): number {
    return this.postings.lengths.length;
  }

  /** How many documents hold the term. */
  documentFrequency(term: string): number {
    const i = this.termIndex.get(term);
    return i === undefined ? 0 : (this.postings.starts[i + 1] ?? 0) - (this.postings.starts[i] ?? 0);
  }

  /** Inverse document frequency; 0 for a term no document contains. */
  idf(term: string): number {
    return bm25Idf({ documents: this.size, df: this.documentFrequency(term) });
  }

  /** The highest idf a term can have here: what a term found in one document scores. */
  maxIdf(): number {
    return Math.log(1 + (this.size - 0.5) / 1.5);
  }

  has(term: string): boolean {
    return this.termIndex.has(term);
  }

  /** Which postings of term `i` a cut to `limit` reads (see readPostings), worked out once per term. */
  private postingsRead(i: number, limit: number): Uint8Array {
    const key = `${i}:${limit}`;
    let read = this.readCache.get(key);
    if (!read) {
      const { starts, docs, tfs, lengths } = this.postings;
      const from = starts[i] ?? 0;
      const shape = { avgLength: this.avgLength, k1: this.k1, b: this.b };
      const weights = Float64Array.from({ length: (starts[i + 1] ?? 0) - from }, (_, k) => postingWeight({ tf: tfs[from + k] ?? 0, length: lengths[docs[from + k] ?? 0] ?? 0, ...shape }));
      read = readPostings({ weights, limit });
      this.readCache.set(key, read);
    }
    return read;
  }

  /**
   * BM25 score of every document for the query terms (unique terms count once).
   * @param options.perTerm read only this many postings of each term, its best (see readPostings)
   */
  scores(queryTerms: string[], options: { perTerm?: number } = {}): Float64Array {
    const { perTerm = Infinity } = options;
    const scores = new Float64Array(this.size);
    const { starts, docs, tfs, lengths } = this.postings;
    const shape = { avgLength: this.avgLength, k1: this.k1, b: this.b };
    for (const term of new Set(queryTerms)) {
      const i = this.termIndex.get(term);
      if (i === undefined) continue;
      const idf = this.idf(term);
      const from = starts[i] ?? 0;
      const to = starts[i + 1] ?? 0;
      const read = to - from > perTerm ? this.postingsRead(i, perTerm) : undefined;
      for (let p = from; p < to; p++) {
        if (read && !read[p - from]) continue;
        const doc = docs[p] ?? 0;
        scores[doc] = (scores[doc] ?? 0) + bm25Term({ idf, tf: tfs[p] ?? 0, length: lengths[doc] ?? 0, ...shape });
      }
    }
    return scores;
  }
}
