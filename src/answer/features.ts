import { stem } from '../core/text.js';
import type { AnalyzedQuestion } from './question.js';
import type { ArticleInfo, CandidateSentence, TermFacts } from './store.js';
import { answersKind, joinsNext, joinsPrevious } from './quotes.js';
import { dot } from '../core/vectors.js';

/**
 * Signals of how well a candidate sentence answers a question. Continuous ones enter the model
 * three ways (see `featureColumns`); binary ones as they are. Every one is generic: nothing
 * here names a fact, an outlet or a sentence of the corpus.
 */
export const CONTINUOUS_FEATURES = [
  /** Cosine of the question with the sentence. */
  'dense.sentence',
  /** … with the sentence embedded together with the one before it. */
  'dense.context',
  /** … with the headline and the sentence embedded together. */
  'dense.titled',
  /** … with the best clause of a long sentence (or the sentence). */
  'dense.clause',
  /** … with the best retrieved passage containing the sentence. */
  'dense.passage',
  /** … with the sentence after it (answers often continue a sentence that matches). */
  'dense.next',
  /** The best sentence cosine among the candidates of the same article. */
  'dense.article',
  /** Cosine with what the quote shows: the sentence, or the one before and the sentence when joined. */
  'dense.quote',
  /** BM25 of the sentence, over the best candidate's. */
  'bm25.sentence',
  /** BM25 of its best passage, over the best passage's. */
  'bm25.passage',
  /** Idf-weighted share of the question's terms in the sentence. */
  'words.own',
  /** … in the sentence or the one before it. */
  'words.context',
  /** … counting WordNet synonyms and derivations ("shooters" finds "gunmen"). */
  'words.related',
  /** … counting places a word's place belongs to ("Minsk" finds "Belarus"). */
  'words.places',
  /** … counting broader terms of the sentence's words ("weekday" finds "Thursday"). */
  'words.kinds',
  /** … in what the quote shows (with the sentence before when joined). */
  'words.quote',
  /** log of the sentence's length in characters. */
  'shape.length',
  /** log(1 + rank of the sentence by cosine among the candidates). */
  'shape.rank',
] as const;

export const BINARY_FEATURES = [
  /** The question names the article's outlet ("per CNewsLive …"). */
  'source.named',
  /** The question names a year of the article's event. */
  'event.named',
  /** The question names years, none of them the article's event's. */
  'event.other',
  /** "How many/much …" and the sentence has a number. */
  'kind.quantity',
  /** "When …" and the sentence has a date or year. */
  'kind.time',
  /** "What did … say" and the sentence has a quotation. */
  'kind.statement',
  /** The sentence opens its article. */
  'shape.first',
  /** The quote joins a neighbouring sentence (one of the two opens with a back-reference). */
  'shape.joined',
] as const;

export type FeatureName = (typeof CONTINUOUS_FEATURES)[number] | (typeof BINARY_FEATURES)[number];

/**
 * Every column the ranker may use: a continuous feature as is, as a z-score among the
 * question's candidates (`:z`), and as its distance below the best candidate (`:gap`), so the
 * model can weigh both how good a sentence is and how it compares with the rest; binary
 * features as they are.
 */
export function featureColumns(): readonly string[] {
  return FEATURE_COLUMNS;
}

const FEATURE_COLUMNS: readonly string[] = Object.freeze([...CONTINUOUS_FEATURES.flatMap((f) => [f, `${f}:z`, `${f}:gap`]), ...BINARY_FEATURES]);

/** One question term with what it may stand for in the corpus and how much it matters. */
export interface QuestionTerm {
  word: string;
  term: string;
  /** Idf of the term (or of its best corpus stand-in); an unknown term weighs the most. */
  weight: number;
  related: ReadonlySet<string>;
  places: ReadonlySet<string>;
  /** Found in the corpus as it is, or through a synonym or derivation. */
  known: boolean;
}

/** Weighs the question's content words: rare terms matter more; an unknown one matters most. */
export function questionTerms(options: { question: AnalyzedQuestion; facts: TermFacts }): QuestionTerm[] {
  const { question, facts: terms } = options;
  const seen = new Set<string>();
  const out: QuestionTerm[] = [];
  for (const word of question.words) {
    const term = stem(word);
    if (seen.has(term)) continue;
    seen.add(term);
    const related = terms.related(word);
    const places = terms.places(word);
    const own = terms.idf(term);
    const standIn = Math.max(0, ...[...related].map((t) => terms.idf(t)));
    out.push({ word, term, weight: own > 0 ? own : standIn > 0 ? standIn : terms.maxIdf, related, places, known: own > 0 || standIn > 0 });
  }
  return out;
}

/**
 * Terms BM25 looks for: each question term the corpus has, or else the corpus words that stand
 * for it ("commerce" → "trade").
 */
export function searchTerms(options: { queryTerms: QuestionTerm[]; facts: TermFacts }): string[] {
  const { queryTerms, facts: terms } = options;
  return [...new Set(queryTerms.flatMap((t) => (terms.idf(t.term) > 0 ? [t.term] : [...t.related, ...t.places])))];
}

/** Whether a candidate (with the sentence before it) holds a question term or a related word. */
export function holdsTerm(c: CandidateSentence, t: QuestionTerm): boolean {
  const has = (s: string): boolean => c.terms.has(s) || c.previousTerms.has(s);
  return has(t.term) || [...t.related].some(has);
}

/** The inputs of one question's feature rows. */
export interface FeatureInput {
  question: AnalyzedQuestion;
  queryTerms: QuestionTerm[];
  queryVector: Float32Array;
  candidates: CandidateSentence[];
  articles: readonly ArticleInfo[];
  /** Whether quotes join the sentence before on a back-reference (see buildQuote). */
  joinBackReferences: boolean;
}

/** Raw feature values of every candidate, by name (before the per-question transforms). */
export function rawFeatures(input: FeatureInput): Array<Record<FeatureName, number>> {
  const { question, queryTerms, queryVector: q, candidates, articles, joinBackReferences } = input;
  const total = queryTerms.reduce((sum, t) => sum + t.weight, 0) || 1;
  // A year the question names also counts as found in a sentence of an article about that year.
  const yearOf = queryTerms.map((t) => (/^\d{4}$/.test(t.term) ? Number(t.term) : undefined));
  const asked = new Set(question.words);
  const years = new Set(question.years);
  const dense = candidates.map((c) => c.cosines.sentence);
  const bestLexical = Math.max(0, ...candidates.map((c) => c.lexical)) || 1;
  const articleBest = new Map<number, number>();
  candidates.forEach((c, i) => articleBest.set(c.article, Math.max(articleBest.get(c.article) ?? -Infinity, dense[i] ?? 0)));
  const order = dense.map((d, i) => [d, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const rank = new Array<number>(candidates.length);
  order.forEach(([, i], r) => (rank[i] = r));
  // Which terms each stem is a related word or a place of: a candidate's own stems then find
  // its related and place matches, instead of every related word being looked up in every candidate.
  const byStem = termsByStem(queryTerms);

  return candidates.map((c, i) => {
    const article = articles[c.article];
    const found = termsFound(byStem, c, queryTerms.length);
    const eventYears = article?.eventYears ?? [];
    let clause = dense[i] ?? 0;
    for (const v of c.vectors.clauses) clause = Math.max(clause, dot(q, v));
    const joined = joinBackReferences && joinsPrevious(c);
    const continued = joinBackReferences && !joined && joinsNext(c);
    const context = c.cosines.context;
    const nextTerms = continued ? c.next?.terms : undefined;
    // The weighted shares of the question's terms found each way, in one pass over the terms.
    let own = 0, inContext = 0, related = 0, places = 0, kinds = 0, quoted = 0;
    queryTerms.forEach((t, k) => {
      const year = yearOf[k] !== undefined && eventYears.includes(yearOf[k]);
      const here = c.terms.has(t.term) || year;
      const before = c.previousTerms.has(t.term);
      if (here) own += t.weight;
      if (here || before) inContext += t.weight;
      const bits = found[k] ?? 0;
      if (here || before || (bits & RELATED) !== 0) related += t.weight;
      if ((bits & PLACE) !== 0) places += t.weight;
      if (c.kinds.has(t.term)) kinds += t.weight;
      if (here || (joined && before) || nextTerms?.has(t.term) === true) quoted += t.weight;
    });
    return {
      'dense.sentence': dense[i] ?? 0,
      'dense.context': context,
      'dense.titled': dot(q, c.vectors.titled),
      'dense.clause': clause,
      'dense.passage': c.passageDense,
      'dense.next': c.cosines.next ?? 0,
      'dense.article': articleBest.get(c.article) ?? 0,
      'dense.quote': joined ? context : continued && c.cosines.nextContext !== undefined ? c.cosines.nextContext : (dense[i] ?? 0),
      'bm25.sentence': c.lexical / bestLexical,
      'bm25.passage': c.passageLexical,
      'words.own': own / total,
      'words.context': inContext / total,
      'words.related': related / total,
      'words.places': places / total,
      'words.kinds': kinds / total,
      'words.quote': quoted / total,
      'shape.length': Math.log(Math.max(1, c.text.length)),
      'shape.rank': Math.log1p(rank[i] ?? 0),
      'source.named': article?.outletWords.some((w) => asked.has(w)) ? 1 : 0,
      'event.named': years.size > 0 && eventYears.some((y) => years.has(y)) ? 1 : 0,
      'event.other': years.size > 0 && !eventYears.some((y) => years.has(y)) ? 1 : 0,
      'kind.quantity': question.expects === 'quantity' && answersKind(c.text, 'quantity') ? 1 : 0,
      'kind.time': question.expects === 'time' && answersKind(c.text, 'time') ? 1 : 0,
      'kind.statement': question.expects === 'statement' && answersKind(c.text, 'statement') ? 1 : 0,
      'shape.first': c.position === 0 ? 1 : 0,
      'shape.joined': joined || continued ? 1 : 0,
    };
  });
}

/** What a stem is to a question term (bits): one of its related words, one of its places. */
const RELATED = 1;
const PLACE = 2;

/** For each stem, the terms it is a related word or a place of, as flat pairs: term index, RELATED | PLACE. */
function termsByStem(queryTerms: QuestionTerm[]): Map<string, number[]> {
  const byStem = new Map<string, number[]>();
  const add = (s: string, k: number, bit: number): void => {
    const list = byStem.get(s);
    if (list) list.push(k, bit);
    else byStem.set(s, [k, bit]);
  };
  queryTerms.forEach((t, k) => {
    for (const s of t.related) add(s, k, RELATED);
    for (const s of t.places) add(s, k, PLACE);
  });
  return byStem;
}

/** For each term, the RELATED and PLACE bits of the stems found in the candidate or the sentence before it. */
function termsFound(byStem: Map<string, number[]>, c: CandidateSentence, count: number): Uint8Array {
  const found = new Uint8Array(count);
  const mark = (stems: ReadonlySet<string>): void => {
    for (const s of stems) {
      const list = byStem.get(s);
      if (list === undefined) continue;
      for (let j = 0; j < list.length; j += 2) found[list[j] as number] = (found[list[j] as number] as number) | (list[j + 1] as number);
    }
  };
  mark(c.terms);
  mark(c.previousTerms);
  return found;
}

/**
 * The feature matrix of one question: a row per candidate, a column per `featureColumns()`
 * entry. Z-scores and gaps are taken over this question's candidates.
 */
export function featureMatrix(input: FeatureInput): { columns: readonly string[]; rows: Float64Array[]; raw: Array<Record<FeatureName, number>> } {
  const raw = rawFeatures(input);
  const columns = featureColumns();
  const count = raw.length;
  const rows = raw.map(() => new Float64Array(columns.length));
  const values = new Float64Array(count);
  let col = 0;
  for (const name of CONTINUOUS_FEATURES) {
    let sum = 0;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = (raw[i] as Record<FeatureName, number>)[name];
      values[i] = v;
      sum += v;
      if (v > max) max = v;
    }
    const n = count || 1;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < count; i++) squares += ((values[i] as number) - mean) ** 2;
    const sd = Math.sqrt(squares / n);
    for (let i = 0; i < count; i++) {
      const row = rows[i] as Float64Array;
      const v = values[i] as number;
      row[col] = v;
      row[col + 1] = sd > 1e-9 ? (v - mean) / sd : 0;
      row[col + 2] = v - max;
    }
    col += 3;
  }
  for (const name of BINARY_FEATURES) {
    for (let i = 0; i < count; i++) (rows[i] as Float64Array)[col] = (raw[i] as Record<FeatureName, number>)[name];
    col++;
  }
  return { columns, rows, raw };
}
