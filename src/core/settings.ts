/**
 * Every behavioural number that is not fitted, one documented object per concern, beside the
 * fitted params (`src/answer/params/`): how candidates are found (retrieval), what a quote and
 * a reply may hold (quoting), how a conversation carries on (conversation), what a reply shows
 * (display), and how articles are read (ingest). The deployment's own limits (rate limit,
 * question length, ports) are configuration (app/config.ts), read from the environment. Each was chosen by
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

export interface DisplaySettings {
  telegramMessageLimit: number;
  maxMessageChars: number;
  eventsNamed: number;
  eventChars: number;
  outletChars: number;
  titleChars: number;
  alsoNamed: number;
  figureVariants: number;
  inlineResults: number;
}

export interface IngestSettings {
  duplicateOverlap: number;
  minCaptionWords: number;
  leadMinWords: number;
  minClauseChars: number;
}

export interface Settings {
  retrieval: Readonly<RetrievalSettings>;
  quoting: Readonly<QuotingSettings>;
  conversation: Readonly<ConversationSettings>;
  display: Readonly<DisplaySettings>;
  ingest: Readonly<IngestSettings>;
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

export const DISPLAY: Readonly<DisplaySettings> = Object.freeze({
  /** Telegram refuses longer messages. */
  telegramMessageLimit: 4096,
  /** What replies aim for: a margin under Telegram's limit. */
  maxMessageChars: 4000,
  /** Event labels named where the bot says what it covers; the rest are counted (/sources lists all). */
  eventsNamed: 3,
  /** The longest event label, outlet name and title shown. */
  eventChars: 80,
  outletChars: 100,
  titleChars: 200,
  /** Outlets named on an "also reported by" line; the rest are counted. */
  alsoNamed: 8,
  /** Ways of writing a figure named on the "the outlets give the figure differently" line. */
  figureVariants: 6,
  /** Quotes offered as inline results. */
  inlineResults: 5,
});

export const INGEST: Readonly<IngestSettings> = Object.freeze({
  /** The same article under two names: this share of the shorter one's five-word runs in the other. */
  duplicateOverlap: 0.8,
  /** Words a caption with a credit, or an unpunctuated line, needs to count as content. */
  minCaptionWords: 6,
  /** Words the first paragraph needs to be the article's lead, where a wire dateline is cut off. */
  leadMinWords: 12,
  /** The shortest clause embedded on its own (a long sentence's parts). */
  minClauseChars: 40,
});

/** What is wrong with the settings, one line each; empty when they make sense together. */
export function checkSettings(settings: Settings = { retrieval: RETRIEVAL, quoting: QUOTING, conversation: CONVERSATION, display: DISPLAY, ingest: INGEST }): string[] {
  const { retrieval: r, quoting: q, conversation: c, display: d, ingest: i } = settings;
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
  if (d.maxMessageChars > d.telegramMessageLimit) problems.push('display.maxMessageChars must stay under Telegram\'s limit');
  if (q.maxQuoteChars + d.titleChars + d.outletChars > d.maxMessageChars) problems.push('display: one quote with its source must fit a message');
  for (const [name, value] of Object.entries({ eventsNamed: d.eventsNamed, eventChars: d.eventChars, outletChars: d.outletChars, titleChars: d.titleChars, alsoNamed: d.alsoNamed, figureVariants: d.figureVariants, inlineResults: d.inlineResults })) positive(`display.${name}`, value);
  if (!(i.duplicateOverlap > 0.5 && i.duplicateOverlap <= 1)) problems.push(`ingest.duplicateOverlap must be a share above one half (is ${i.duplicateOverlap})`);
  positive('ingest.minCaptionWords', i.minCaptionWords);
  positive('ingest.leadMinWords', i.leadMinWords);
  positive('ingest.minClauseChars', i.minClauseChars);
  return problems;
}
