import type { Answer, AnswerEngine, Corroboration, EngineInfo, Snippet } from '../core/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { figuresDiffer, sameFact, type FactTerms } from './corroborate.js';
import { DEFAULT_THRESHOLDS, shouldAnswer, type AnswerSignals, type AnswerThresholds } from './decide.js';
import { analyzeQuery } from './query.js';
import { buildQuote, scoreSentences, type ScoredSentence, type SentenceWeights } from './quotes.js';
import { rankChunks, type RetrievalMode } from './retrieve.js';
import { unit, type SearchIndex } from './search-index.js';
import { searchTerms, weighTerms, type WeightedTerm } from './terms.js';

export interface EngineOptions {
  /** English words that typo repair leaves alone (see loadEnglishWords). */
  dictionary?: ReadonlySet<string>;
  mode?: RetrievalMode;
  thresholds?: AnswerThresholds;
  weights?: SentenceWeights;
  /** Reciprocal-rank-fusion constant. @default 60 */
  rrfK?: number;
  /** Chunks whose sentences are considered for quoting and corroboration. @default 20 */
  passages?: number;
}

/** The longest question the engine reads; longer input is cut, never rejected here. */
export const MAX_QUESTION_CHARS = 1000;

/**
 * The answer engine: question -> repaired query -> embedding -> hybrid passage ranking ->
 * sentence scoring -> quotes grouped by fact with every outlet that reports it.
 */
export function createAnswerEngine(options: { index: SearchIndex; embedder: Embedder } & EngineOptions): AnswerEngine & {
  /** The answer with the signals the answer decision used (for calibrating a model's thresholds). */
  explain(question: string): Promise<{ answer: Answer; signals: AnswerSignals | undefined }>;
} {
  const { index, embedder, dictionary, rrfK, mode = 'hybrid', thresholds = DEFAULT_THRESHOLDS, weights, passages = 20 } = options;
  const info: EngineInfo = {
    modelId: index.manifest.modelId,
    dimensions: index.manifest.dimensions,
    builtAt: index.manifest.builtAt,
    articles: index.articles.length,
    chunks: index.chunks.length,
    sources: index.articles.map((a) => ({ ...a.source, event: a.event })),
  };

  const run = async (question: string, limit: number) => {
    const text = question.slice(0, MAX_QUESTION_CHARS);
    const query = analyzeQuery({ question: text, vocabulary: index.vocabulary, ...(dictionary ? { dictionary } : {}) });
    if (query.terms.length === 0) {
      return { answer: declined(question, 'empty' as const), signals: undefined };
    }
    const [raw] = mode === 'bm25' ? [new Float32Array(index.manifest.dimensions)] : await embedder.embed([query.text], { kind: 'query' });
    const queryVector = unit(raw ?? []);
    const weighted = weighTerms({ terms: query.terms, bm25: index.sentenceBm25, acronyms: query.acronyms });
    const lexicalTerms = searchTerms({ weighted, bm25: index.chunkBm25 });
    const ranked = rankChunks({ index, queryVector, queryTerms: lexicalTerms, years: query.years, mode, limit: passages, ...(rrfK ? { rrfK } : {}) });
    const scored = scoreSentences({ index, ranked, queryVector, weighted, mode, expects: query.expects, ...(weights ? { weights } : {}) });
    const signals = signalsFor({ scored, weighted });
    if (!shouldAnswer({ signals, thresholds })) return { answer: declined(question, 'not-covered' as const), signals };
    const snippets = groupIntoSnippets({ index, scored, queryTerms: query.terms, limit });
    if (snippets.length === 0) return { answer: declined(question, 'not-covered' as const), signals };
    const events = [...new Set(snippets.map((s) => s.event))];
    return { answer: { question, answered: true, snippets, events }, signals };
  };

  return {
    info,
    async answer(question, answerOptions) {
      return (await run(question, answerOptions?.limit ?? 5)).answer;
    },
    explain: (question) => run(question, 5),
  };
}

function declined(question: string, reason: 'empty' | 'not-covered'): Answer {
  return { question, answered: false, snippets: [], events: [], reason };
}

function signalsFor(options: { scored: ScoredSentence[]; weighted: WeightedTerm[] }): AnswerSignals {
  const { scored, weighted } = options;
  const total = weighted.reduce((sum, w) => sum + w.weight, 0) || 1;
  const known = weighted.filter((w) => w.known).reduce((sum, w) => sum + w.weight, 0);
  const best = scored[0];
  return { coverage: best?.coverage ?? 0, corpusCoverage: known / total, dense: best?.dense ?? 0, terms: weighted.length };
}

/**
 * Turns scored sentences into snippets, best first: each new fact becomes a snippet; a
 * sentence from another article reporting the same fact joins it as corroboration; sentences
 * overlapping an earlier quote of the same article are skipped.
 */
function groupIntoSnippets(options: { index: SearchIndex; scored: ScoredSentence[]; queryTerms: string[]; limit: number }): Snippet[] {
  const { index, scored, queryTerms, limit } = options;
  const snippets: Array<Snippet & { facts: FactTerms; article: number }> = [];
  const used = new Set<number>();
  const best = scored[0]?.score ?? 0;
  for (const candidate of scored) {
    if (used.has(candidate.sentence)) continue;
    // Weak leftovers are noise as facts of their own, but may still corroborate one.
    const strong = candidate.score >= best * 0.5 && candidate.coverage > 0;
    const sentence = index.sentences[candidate.sentence];
    if (!sentence) continue;
    const quote = buildQuote({ index, sentence: candidate.sentence, queryTerms, exclude: used });
    quote.sentences.forEach((s) => used.add(s));
    const article = index.articles[sentence.article];
    if (!article || quote.text === '') continue;
    const facts = factsOfQuote(index, quote.sentences);
    const fact = snippets.find((s) => s.article !== sentence.article && sameFact(s.facts, facts));
    if (fact) {
      if (!fact.corroboratedBy.some((c) => c.source.id === article.source.id)) {
        const corroboration: Corroboration = { source: article.source, quote: quote.text, differs: figuresDiffer(fact.facts, facts) };
        fact.corroboratedBy.push(corroboration);
      }
      continue;
    }
    if (!strong || snippets.length >= limit) continue;
    snippets.push({
      quote: quote.text,
      source: article.source,
      score: Number(candidate.score.toFixed(4)),
      start: quote.start,
      end: quote.end,
      event: article.event,
      corroboratedBy: [],
      facts,
      article: sentence.article,
    });
  }
  return snippets.map(({ facts: _facts, article: _article, ...snippet }) => snippet);
}

/** The facts of a quote: those of its sentences together. */
function factsOfQuote(index: SearchIndex, sentences: number[]): FactTerms {
  if (sentences.length === 1) return index.factsOf(sentences[0] ?? -1);
  const all = sentences.map((s) => index.factsOf(s));
  return { terms: new Set(all.flatMap((f) => [...f.terms])), figures: all.flatMap((f) => f.figures) };
}
