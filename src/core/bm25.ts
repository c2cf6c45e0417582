import { terms } from './text.js';

/** Okapi BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation. @default 1.2 */
  k1?: number;
  /** Length normalisation. @default 0.75 */
  b?: number;
}

/**
 * An in-memory BM25 index over short passages, built once when the index loads.
 *
 * vectra 0.12 has BM25 too, but it rebuilds its BM25 engine and re-reads every document from
 * disk on each query; building once and scoring from postings keeps a query in microseconds.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Array<[doc: number, tf: number]>>();
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  private readonly k1: number;
  private readonly b: number;

  /**
   * @param options.documents texts to index, or
   * @param options.tokenized their content terms, when the caller has them already
   */
  constructor(options: ({ documents: string[] } | { tokenized: string[][] }) & Bm25Options) {
    const { k1 = 1.2, b = 0.75 } = options;
    const tokenized = 'tokenized' in options ? options.tokenized : options.documents.map((text) => terms(text));
    this.k1 = k1;
    this.b = b;
    this.lengths = new Float64Array(tokenized.length);
    let total = 0;
    tokenized.forEach((docTerms, doc) => {
      const counts = new Map<string, number>();
      for (const term of docTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
      let length = 0;
      for (const [term, tf] of counts) {
        length += tf;
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push([doc, tf]);
      }
      this.lengths[doc] = length;
      total += length;
    });
    this.avgLength = tokenized.length > 0 ? total / tokenized.length : 0;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency; 0 for a term no document contains. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** The highest idf a term can have here: what a term found in one document scores. */
  maxIdf(): number {
    return Math.log(1 + (this.size - 0.5) / 1.5);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** BM25 score of every document for the query terms (unique terms count once). */
  scores(queryTerms: string[]): Float64Array {
    const scores = new Float64Array(this.size);
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, tf] of list) {
        const norm = 1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / (this.avgLength || 1);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
      }
    }
    return scores;
  }
}
