import { QUOTING } from './settings.js';

/** Where a quote comes from: one article of the corpus. */
export interface Source {
  /** Stable article id (the corpus file name without `.md`). */
  id: string;
  title: string;
  /** Publisher as a reader would name it, e.g. "ThePrint (Reuters)". */
  outlet: string;
  /** Publication date as YYYY-MM-DD, or null when the article does not give one. */
  date: string | null;
  /** Canonical address of the article, or null when it is not known. */
  url: string | null;
}

/** The same fact as worded by another article. */
export interface Corroboration {
  source: Source;
  /** That article's own verbatim sentence. */
  quote: string;
  /** True when this article states the figure differently from the snippet's quote. */
  differs: boolean;
}

/** One fact, quoted verbatim from one article, with every other article that reports it. */
export interface Snippet {
  /** Verbatim article text; fragments may be joined with " … ". At most 400 characters. */
  quote: string;
  source: Source;
  /** Relevance, higher is better; comparable only within one answer. */
  score: number;
  /** Character offsets of the quote in its article's body (first and last fragment). */
  start: number;
  end: number;
  /** Label of the news event the article covers, e.g. "October 2025 visit". */
  event: string;
  /** Other articles reporting the same fact, best first. */
  corroboratedBy: Corroboration[];
}

/** How many snippets a reader sees first; More sources pages the rest. */
/** The longest quote: a longer sentence is trimmed to the clauses that answer (and a reply shows no more). */
export const MAX_QUOTE_CHARS = QUOTING.maxQuoteChars;

export const QUOTES_PER_PAGE = QUOTING.quotesPerPage;

/** What the engine says about one question. Every front end renders this. */
export interface Answer {
  question: string;
  answered: boolean;
  /** Best first; empty when not answered. */
  snippets: Snippet[];
  /** Distinct events the snippets come from, in snippet order; more than one means mixed. */
  events: string[];
  /**
   * Why the engine declined, when `answered` is false: no words, nothing in the coverage, or a
   * question in a language the model cannot read (see `language`).
   */
  reason?: 'empty' | 'not-covered' | 'language';
  /** For `reason: 'language'`: the writing system of the question. */
  script?: 'latin' | 'cyrillic' | 'other';
  /**
   * When not answered but the coverage is about the question: the closest it comes (at most
   * two quotes), to be shown as such, never as an answer.
   */
  related?: Snippet[];
  /**
   * With a reader in the params: whether it judged the answer ('reader'), or the similarity
   * ranking alone did, for a question it cannot read (another language).
   */
  decidedBy?: 'reader' | 'similarity';
}

/** What reloading the index did. `failed` keeps serving the previous engine. */
export type ReloadResult =
  | { status: 'reloaded'; build: string; previousBuild: string }
  | { status: 'unchanged'; build: string }
  | { status: 'failed'; build: string; error: unknown };

/** The answer engine as front ends see it. */
export interface AnswerEngine {
  /** @param options.limit how many snippets at most @default 5 */
  answer(question: string, options?: { limit?: number }): Promise<Answer>;
  /** What is loaded: for /about, /healthz and logs. */
  readonly info: EngineInfo;
}

/**
 * What a corpus says of itself (corpus/about.json), each text keyed by language ("en" always):
 * what it covers, its topics, example questions.
 */
export interface CorpusAbout {
  description: Record<string, string>;
  topics: Record<string, string>;
  examples: Record<string, string[]>;
}

/** What a loaded index is: for /about, /healthz and logs. */
export interface IndexInfo {
  /** The corpus's own description, as the index was built from it. */
  about: CorpusAbout;
  modelId: string;
  dimensions: number;
  builtAt: string;
  articles: number;
  chunks: number;
}

export interface EngineInfo extends IndexInfo {
  sources: Array<Source & { event: string }>;
  /** The model reads questions in languages other than English. @default false */
  multilingual?: boolean;
}
