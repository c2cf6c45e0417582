import type { QuestionTerm } from './features.js';
import { bindModel, sigmoid, type LinearModel } from './linear-model.js';
import type { AnalyzedQuestion } from './question.js';
import { answersKind } from './quotes.js';

/**
 * Signals of whether the coverage answers a question at all, read off the ranked candidates:
 * how the best sentence scores against the rest, how much of the question the corpus knows,
 * and whether the best sentence holds the kind of thing asked for. The question's own
 * embedding joins them (`q0` … `qN`): the decision learns which kinds of question this
 * coverage leaves open ("who is the president of …", "what is the weather …").
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
  /** The highest sentence cosine among all candidates. */
  'best.dense',
  /** Share of the question's terms the best sentence (with the one before) holds, plainly and with related words. */
  'top.words',
  'top.related',
  /** Idf-weighted share of the question's terms the corpus knows at all, and how many it does not. */
  'question.known',
  'question.unknown',
  'question.terms',
  /** The question asks for a number or a date and the best sentence has none. */
  'kind.missing',
] as const;

export type DecisionSignal = (typeof DECISION_SIGNALS)[number];

/** The decision's columns: the signals, then one per dimension of the question's embedding. */
export function decisionColumns(dimensions: number): string[] {
  return [...DECISION_SIGNALS, ...Array.from({ length: dimensions }, (_, i) => `q${i}`)];
}

/** Reads the decision row of one question from its ranked candidates. */
export function decisionRow(options: {
  question: AnalyzedQuestion;
  queryTerms: QuestionTerm[];
  queryVector: Float32Array;
  /** Ranker scores, one per candidate. */
  scores: number[];
  /** The candidates' raw feature values (see rawFeatures), in the same order. */
  features: Array<Record<'dense.sentence' | 'dense.clause' | 'words.context' | 'words.related', number>>;
  /** Text of each candidate, for the answer-kind check. */
  texts: string[];
  answerKinds: boolean;
}): Float64Array {
  const { question, queryTerms, queryVector, scores, features, texts, answerKinds } = options;
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
  const signals: Record<DecisionSignal, number> = {
    'top.score': best >= 0 ? topScore : 0,
    'top.margin': best >= 0 && Number.isFinite(second) ? topScore - second : 0,
    'top.share': best >= 0 ? 1 / mass : 0,
    'top.dense': top?.['dense.sentence'] ?? 0,
    'top.clause': top?.['dense.clause'] ?? 0,
    'best.dense': Math.max(0, ...features.map((f) => f['dense.sentence'])),
    'top.words': top?.['words.context'] ?? 0,
    'top.related': top?.['words.related'] ?? 0,
    'question.known': known,
    'question.unknown': queryTerms.filter((t) => !t.known).length,
    'question.terms': queryTerms.length,
    'kind.missing': missing ? 1 : 0,
  };
  const row = new Float64Array(DECISION_SIGNALS.length + queryVector.length);
  DECISION_SIGNALS.forEach((name, i) => (row[i] = signals[name]));
  row.set(queryVector, DECISION_SIGNALS.length);
  return row;
}

/** Probability that the coverage answers the question, from a fitted decision model. */
export function answerProbability(options: { model: LinearModel; row: Float64Array; dimensions: number }): number {
  const { model, row, dimensions } = options;
  return sigmoid(bindModel(model, decisionColumns(dimensions)).score(row));
}
