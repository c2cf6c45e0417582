import type { IndexInfo, Source } from '../core/types.js';

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
  /** Its content terms (stems), as the store holds them for every sentence. */
  terms: ReadonlySet<string>;
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
  /**
   * Its cosines with the question, which the store works out for the candidate cut: alone and
   * embedded with the sentence before; the same two of the sentence after it (undefined at the
   * article's end).
   */
  cosines: { sentence: number; context: number; next: number | undefined; nextContext: number | undefined };
  vectors: {
    /** The headline and the sentence, embedded together. */
    titled: Float32Array;
    /** Clauses of a long sentence; empty for short ones. */
    clauses: Float32Array[];
  };
  /** Lower-case words of the sentence. */
  words: readonly string[];
  /** Stems of the broader terms its words are kinds of ("thursday" → "weekday"), from the lexicon. */
  kinds: ReadonlySet<string>;
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

/** What the corpus says of words a question might have misspelt. */
export interface WordFacts {
  /** The words the corpus has, as typed (lower case). */
  known: ReadonlySet<string>;
  /** For the others: the nearest corpus word (see core/spelling.ts), when one is near enough. */
  nearest: ReadonlyMap<string, string>;
}

/** What the corpus says of a question's words: their statistics and what they stand for. */
export interface TermFacts {
  /** Inverse document frequency over sentences of every stem asked about, and of every stem
   * in `related` and `places`; 0 for one no sentence has. */
  idf(term: string): number;
  /** The idf of a term found in one sentence only. */
  maxIdf: number;
  /** Per word asked: stems of corpus words that are its synonyms or derivations (WordNet). */
  related(word: string): ReadonlySet<string>;
  /** Per word asked: stems of corpus words for places it is part of or contains. */
  places(word: string): ReadonlySet<string>;
}

/** What `PassageStore.candidates` is asked. */
export interface CandidateQuery {
  vector: Float32Array;
  terms: string[];
  passages: number;
  sentences?: number | undefined;
}

/** What a quote is made from: a sentence and its neighbours (see buildQuote). */
export type QuotableSentence = Pick<CandidateSentence, 'id' | 'article' | 'text' | 'start' | 'end' | 'previous' | 'next'>;

/** The candidates of a question. */
export interface Candidates {
  /** The sentences to rank, in id order. */
  ranked: CandidateSentence[];
  /**
   * The passages' other sentences, which the cut left out (see `CandidateQuery.sentences`), in
   * id order, built on the first call with what a quote needs only: they never lead an answer,
   * but another outlet's report of a fact the answer quotes is shown with it.
   */
  others(): QuotableSentence[];
}

/** What is loaded, with the number of quotable sentences. */
export interface StoreInfo extends IndexInfo {
  sentences: number;
}

/**
 * Where the answer engine gets its text, vectors and word statistics. The engine never reads
 * files or talks to a database: a store does, asked a few times per question, so a store need
 * not hold the whole index in memory.
 */
export interface PassageStore {
  readonly info: StoreInfo;
  readonly articles: readonly ArticleInfo[];
  /** Which of these words the corpus has, and the nearest corpus spelling of the rest. */
  spell(words: readonly string[]): Promise<WordFacts>;
  /** Statistics and lexicon of these (correctly spelt) words and their stems. */
  describe(words: readonly string[]): Promise<TermFacts>;
  /**
   * The sentences of the passages that best match a question, by dense similarity and BM25
   * fused by rank.
   * @param query.passages how many passages to take sentences from
   * @param query.sentences when set, only the sentences among the best this many by any of
   *   their cosine, their cosine with the sentence before (`cosines.context`) or their BM25
   *   are ranked; the others are built only when asked for (to corroborate a fact)
   */
  candidates(query: CandidateQuery): Promise<Candidates>;
}
