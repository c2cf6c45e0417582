import type { QuestionTerm } from './features.js';
import type { AnalyzedQuestion } from './question.js';
import { answersKind } from './quotes.js';

/**
 * Signals of whether the coverage answers a question at all, read off the ranked candidates:
 * how the best sentence scores against the rest, how much of the question the corpus knows,
 * and whether the best sentence holds the kind of thing asked for. All of them compare the
 * question with the coverage; none reads the question's wording alone. (A classifier on the
 * question's embedding scored well in cross-validation but learned the training set's mix
 * of questions: "how much …" questions there are mostly traps, and it declined "How much
 * trade did Russia do with Central Asia?".)
 */
export const DECISION_SIGNALS = [
  /** Ranker score of the best candidate. */
  'top.score',
  /** Its lead over the second. */
  'top.margin',
  /** Its share of the candidates' softmax mass. */
  'top.share',
  /** Cosine of the question with the best sentence, and with its best clause. */
  'top.dense',
  'top.clause',
  /** The highest sentence cosine among all candidates, and the best sentence's z-score among them. */
  'best.dense',
  'top.denseZ',
  /** Whether the best by the ranker is also the best by cosine alone, and by BM25 alone. */
  'top.denseAgrees',
  'top.bm25Agrees',
  /** Share of the question's terms the best sentence (with the one before) holds, plainly and with related words. */
  'top.words',
  'top.related',
  /** Idf-weighted share of the question's terms the corpus knows at all, and how many it does not. */
  'question.known',
  'question.unknown',
  'question.terms',
  /** The weightiest question term the corpus lacks, and the weightiest the best quote lacks (over the highest idf). */
  'question.unknownMax',
  'top.missingMax',
  /** The question asks for a number or a date and the best sentence has none. */
  'kind.missing',
] as const;

export type DecisionSignal = (typeof DECISION_SIGNALS)[number];

/**
 * Which way each signal may push the decision, fixed before fitting: more evidence never
 * argues for declining, missing evidence never for answering. The data sets how much. Without
 * this, the training questions' make-up leaks in: their traps reuse the articles' words and
 * their answerable questions avoid them, so a free fit learned that a question the best
 * sentence covers word for word is less likely answered, and declined "What did Putin say
 * about trade in 2025?".
 */
export const DECISION_DIRECTIONS: Readonly<Record<DecisionSignal, 1 | -1 | 0>> = Object.freeze({
  'top.score': 1,
  'top.margin': 1,
  'top.share': 1,
  'top.dense': 1,
  'top.clause': 1,
  'best.dense': 1,
  'top.denseZ': 1,
  'top.denseAgrees': 1,
  'top.bm25Agrees': 1,
  'top.words': 1,
  'top.related': 1,
  'question.known': 1,
  'question.unknown': -1,
  'question.terms': 0,
  'question.unknownMax': -1,
  'top.missingMax': -1,
  'kind.missing': -1,
});

/** The decision's columns. */
export function decisionColumns(): readonly string[] {
  return DECISION_SIGNALS;
}

/** Reads the decision row of one question from its ranked candidates. */
export function decisionRow(options: {
  question: AnalyzedQuestion;
  queryTerms: QuestionTerm[];
  /** Ranker scores, one per candidate. */
  scores: number[];
  /** The candidates' raw feature values (see rawFeatures), in the same order. */
  features: Array<Record<'dense.sentence' | 'dense.clause' | 'words.context' | 'words.related' | 'bm25.sentence', number>>;
  /** Whether each candidate holds each question term (with the sentence before, or a related word). */
  holds: (candidate: number, term: QuestionTerm) => boolean;
  maxIdf: number;
  /** Text of each candidate, for the answer-kind check. */
  texts: string[];
  answerKinds: boolean;
}): Float64Array {
  const { question, queryTerms, scores, features, texts, answerKinds, holds, maxIdf } = options;
  let best = -1;
  let second = -Infinity;
  scores.forEach((s, i) => {
    if (best < 0 || s > (scores[best] ?? -Infinity)) {
      if (best >= 0) second = Math.max(second, scores[best] ?? -Infinity);
      best = i;
    } else second = Math.max(second, s);
  });
  const top = features[best];
  const topScore = scores[best] ?? 0;
  const mass = scores.reduce((sum, s) => sum + Math.exp(s - topScore), 0) || 1;
  const total = queryTerms.reduce((sum, t) => sum + t.weight, 0) || 1;
  const known = queryTerms.reduce((sum, t) => sum + (t.known ? t.weight : 0), 0) / total;
  const text = texts[best] ?? '';
  const missing = answerKinds && (question.expects === 'quantity' || question.expects === 'time') && !answersKind(text, question.expects);
  const dense = features.map((f) => f['dense.sentence']);
  const n = dense.length || 1;
  const mean = dense.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(dense.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const argmax = (values: number[]): number => values.reduce((bestAt, v, i) => (v > (values[bestAt] ?? -Infinity) ? i : bestAt), 0);
  const heaviest = (terms: QuestionTerm[]): number => Math.max(0, ...terms.map((t) => t.weight)) / (maxIdf || 1);
  const signals: Record<DecisionSignal, number> = {
    'top.score': best >= 0 ? topScore : 0,
    'top.margin': best >= 0 && Number.isFinite(second) ? topScore - second : 0,
    'top.share': best >= 0 ? 1 / mass : 0,
    'top.dense': top?.['dense.sentence'] ?? 0,
    'top.clause': top?.['dense.clause'] ?? 0,
    'best.dense': Math.max(0, ...dense),
    'top.denseZ': best >= 0 && sd > 1e-9 ? ((dense[best] ?? 0) - mean) / sd : 0,
    'top.denseAgrees': best >= 0 && argmax(dense) === best ? 1 : 0,
    'top.bm25Agrees': best >= 0 && argmax(features.map((f) => f['bm25.sentence'])) === best ? 1 : 0,
    'top.words': top?.['words.context'] ?? 0,
    'top.related': top?.['words.related'] ?? 0,
    'question.known': known,
    'question.unknown': queryTerms.filter((t) => !t.known).length,
    'question.terms': queryTerms.length,
    'kind.missing': missing ? 1 : 0,
    'question.unknownMax': heaviest(queryTerms.filter((t) => !t.known)),
    'top.missingMax': best >= 0 ? heaviest(queryTerms.filter((t) => !holds(best, t))) : 1,
  };
  return Float64Array.from(DECISION_SIGNALS, (name) => signals[name]);
}
