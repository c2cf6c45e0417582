import type { IndexInfo, Source } from '../core/types.js';
import type { Lexicon } from './lexicon.js';

/** One article as the answer engine sees it. */
export interface ArticleInfo {
  source: Source;
  /** Label of the news event the article covers, e.g. "October 2025 visit". */
  event: string;
  /** Years the event label names, e.g. [2025]. */
  eventYears: number[];
  /** Lower-case words of the outlet's name ("bne", "intellinews"), for "per bne …" questions. */
  outletWords: string[];
}

/** A sentence next to a candidate, and the text between the two. */
export interface Neighbour {
  id: number;
  text: string;
  start: number;
  end: number;
  gap: string;
}

/** A sentence the answer may quote, with everything ranking needs to judge it. */
export interface CandidateSentence {
  /** Id within the loaded index. */
  id: number;
  /** Index into `PassageStore.articles`. */
  article: number;
  text: string;
  /** Offsets in the article body. */
  start: number;
  end: number;
  /** Place among the article's quotable sentences (0: the first). */
  position: number;
  /**
   * The sentences before and after it in the article, with the characters between (known
   * when both lie in one passage; a quote joins only such neighbours).
   */
  previous: Neighbour | undefined;
  next: Neighbour | undefined;
  vectors: {
    sentence: Float32Array;
    /** The sentence before it and the sentence, embedded together. */
    context: Float32Array;
    /** The headline and the sentence, embedded together. */
    titled: Float32Array;
    /** Clauses of a long sentence; empty for short ones. */
    clauses: Float32Array[];
    /** The sentence after it, alone and embedded together with this one. */
    next: Float32Array | undefined;
    nextContext: Float32Array | undefined;
  };
  /** Lower-case words of the sentence. */
  words: readonly string[];
  /** Content terms (stems) of the sentence, and of the sentence before it. */
  terms: ReadonlySet<string>;
  previousTerms: ReadonlySet<string>;
  /** Best dense similarity of a retrieved passage containing it. */
  passageDense: number;
  /** Best BM25 score of a retrieved passage containing it, over the best passage's (0..1). */
  passageLexical: number;
  /** BM25 score of the sentence itself for the query terms. */
  lexical: number;
}

/** Corpus-wide statistics of content terms. */
export interface TermStats {
  /** Inverse document frequency over sentences; 0 for a term no sentence has. */
  idf(term: string): number;
  /** The idf of a term found in one sentence only. */
  readonly maxIdf: number;
  /** Every word of the indexed text, lower case (for spelling repair). */
  readonly vocabulary: ReadonlySet<string>;
}

/** What is loaded, with the number of quotable sentences. */
export interface StoreInfo extends IndexInfo {
  sentences: number;
}

/**
 * Where the answer engine gets its text and vectors. The engine never reads files or talks to
 * a database: a store does, and hands over the candidates of one question.
 */
export interface PassageStore {
  readonly info: StoreInfo;
  readonly articles: readonly ArticleInfo[];
  readonly terms: TermStats;
  readonly lexicon: Lexicon;
  /**
   * The sentences of the passages that best match a question, by dense similarity and BM25
   * fused by rank.
   * @param query.passages how many passages to take sentences from
   */
  candidates(query: { vector: Float32Array; terms: string[]; passages: number }): Promise<CandidateSentence[]>;
}
