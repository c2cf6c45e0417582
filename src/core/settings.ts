/**
 * Every behavioural number that is not fitted, one documented object per concern, beside the
 * fitted params (`src/answer/params/`): how candidates are found (retrieval), what a quote and
 * a reply may hold (quoting), how a conversation carries on (conversation). Each was chosen by
 * measurement or by a limit of Telegram, as its comment says; none is tuned per question.
 * `checkSettings` is the test that they still make sense together.
 */

export interface RetrievalSettings {
  bm25: Readonly<{ k1: number; b: number }>;
  postingsPerTerm: number;
  rrfK: number;
  hnswEfSearch: number;
  nearestMargin: number;
  spelling: Readonly<{ edits: number; longWordEdits: number; longWordLetters: number }>;
  latinShare: number;
}

export interface QuotingSettings {
  maxQuoteChars: number;
  maxSentenceChars: number;
  chunk: Readonly<{ maxChars: number; overlapSentences: number }>;
  sameFact: Readonly<{ withFigure: number; withoutFigure: number }>;
  quotesPerPage: number;
  snippetsPerAnswer: number;
  maxRelatedQuotes: number;
}

export interface ConversationSettings {
  followUpWords: number;
  memory: Readonly<{ ttlMs: number; perChat: number; maxChats: number }>;
  pages: Readonly<{ ttlMs: number; maxAnswers: number }>;
}

export interface Settings {
  retrieval: Readonly<RetrievalSettings>;
  quoting: Readonly<QuotingSettings>;
  conversation: Readonly<ConversationSettings>;
}

export const RETRIEVAL: Readonly<RetrievalSettings> = Object.freeze({
  /** BM25's term saturation and length normalisation (the usual values). */
  bm25: Object.freeze({ k1: 1.2, b: 0.75 }),
  /**
   * How many postings of each query term the passage ranking reads, best first: a word in
   * every passage of a 20,000-article corpus costs no more than a rare one, and the best
   * postings still rank (see docs/scaling.md).
   */
  postingsPerTerm: 2000,
  /** Reciprocal-rank fusion of the dense and the lexical passage lists: 1 / (rrfK + rank). */
  rrfK: 60,
  /** pgvector's HNSW search breadth: enough for the passages a question reads at 20,000 articles. */
  hnswEfSearch: 400,
  /** PostgreSQL fetches this many times the nearest passages it needs, then filters to the live build. */
  nearestMargin: 2,
  /**
   * How far a misspelt word may be from the corpus word it stands for: one edit, two for words
   * of `longWordLetters` letters or more.
   */
  spelling: Object.freeze({ edits: 1, longWordEdits: 2, longWordLetters: 8 }),
  /** A question whose letters are less than this share Latin is not English (for English-only models). */
  latinShare: 0.5,
});

export const QUOTING: Readonly<QuotingSettings> = Object.freeze({
  /** The longest quote: a longer sentence is trimmed to the clauses that answer. */
  maxQuoteChars: 400,
  /** The longest sentence: a run with no boundary is cut at a clause, else at a space. */
  maxSentenceChars: 1000,
  /** Passages (chunks) of at most this many characters, repeating this many sentences at a split. */
  chunk: Object.freeze({ maxChars: 600, overlapSentences: 1 }),
  /**
   * Two outlets' sentences state the same fact when they share this share of their terms: less
   * when they share a figure ("$45 billion"), more when they share none.
   */
  sameFact: Object.freeze({ withFigure: 0.12, withoutFigure: 0.45 }),
  /** Snippets shown first; "More sources" pages the rest. */
  quotesPerPage: 3,
  /** Snippets asked of the engine per question (every page together). */
  snippetsPerAnswer: 9,
  /** Quotes shown as "the closest the coverage comes" to a question it does not answer. */
  maxRelatedQuotes: 2,
});

export const CONVERSATION: Readonly<ConversationSettings> = Object.freeze({
  /** A follow-up this short (in content words) names too little to be a question of its own. */
  followUpWords: 3,
  /** How long the bot remembers what it answered in a chat, and how many answers per chat. */
  memory: Object.freeze({ ttlMs: 30 * 60_000, perChat: 20, maxChats: 10_000 }),
  /** How long, and how many, computed answers are kept for their "More sources" pages. */
  pages: Object.freeze({ ttlMs: 30 * 60_000, maxAnswers: 500 }),
});

/** What is wrong with the settings, one line each; empty when they make sense together. */
export function checkSettings(settings: Settings = { retrieval: RETRIEVAL, quoting: QUOTING, conversation: CONVERSATION }): string[] {
  const { retrieval: r, quoting: q, conversation: c } = settings;
  const problems: string[] = [];
  const positive = (name: string, value: number): void => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a positive number (is ${value})`);
  };
  positive('retrieval.bm25.k1', r.bm25.k1);
  if (!(r.bm25.b >= 0 && r.bm25.b <= 1)) problems.push(`retrieval.bm25.b must be between 0 and 1 (is ${r.bm25.b})`);
  for (const [name, value] of Object.entries({ postingsPerTerm: r.postingsPerTerm, rrfK: r.rrfK, hnswEfSearch: r.hnswEfSearch, nearestMargin: r.nearestMargin })) positive(`retrieval.${name}`, value);
  if (r.spelling.edits > r.spelling.longWordEdits) problems.push('retrieval.spelling: a long word may not be allowed fewer edits than a short one');
  if (!(r.latinShare > 0 && r.latinShare <= 1)) problems.push(`retrieval.latinShare must be a share (is ${r.latinShare})`);
  if (q.maxQuoteChars > q.maxSentenceChars) problems.push('quoting.maxQuoteChars must not exceed quoting.maxSentenceChars');
  if (q.chunk.maxChars < q.maxQuoteChars) problems.push('quoting.chunk.maxChars must hold at least one whole quote');
  if (!(q.sameFact.withFigure < q.sameFact.withoutFigure)) problems.push('quoting.sameFact: sharing a figure must ask for fewer shared terms than sharing none');
  if (q.quotesPerPage > q.snippetsPerAnswer) problems.push('quoting.quotesPerPage must not exceed quoting.snippetsPerAnswer');
  if (q.maxRelatedQuotes > q.quotesPerPage) problems.push('quoting.maxRelatedQuotes must not exceed quoting.quotesPerPage');
  for (const [name, value] of Object.entries({ followUpWords: c.followUpWords, 'memory.ttlMs': c.memory.ttlMs, 'memory.perChat': c.memory.perChat, 'pages.ttlMs': c.pages.ttlMs, 'pages.maxAnswers': c.pages.maxAnswers })) positive(`conversation.${name}`, value);
  return problems;
}
