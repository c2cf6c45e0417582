import type { LinearModel } from './linear-model.js';

/**
 * What the reader said about one question: it read the best `read` candidates of the first
 * ranking (candidate indices, in that ranking's order) and gave each a score of whether it
 * answers the question, beside its learnt score for "no sentence answers".
 */
export interface Reading {
  read: number[];
  logits: number[];
  none: number;
}

/**
 * The reader's part of a profile's params: how many candidates it reads, and the final ranking
 * and decision that combine its scores with the first ranking's. Fitted by `npm run
 * train-reader` on scores of readers that never saw the question's article.
 */
export interface ReaderParams {
  /** The reader model's folder under the models directory (see src/embedding/transformers-reader.ts). */
  modelId: string;
  /** The reader reads this many of the first ranking's best candidates (a speed trade-off, see the README). */
  candidates: number;
  /** Final score of a read candidate, over READER_RANK_COLUMNS. */
  ranker: LinearModel;
  /** Probability that a read candidate answers, over the decision signals and READER_SIGNALS; answers at `threshold`. */
  decision: LinearModel & { threshold: number };
  /** As RankingParams.snippets, on the final scores. */
  snippets: { maxGap: number; moreGap: number };
}

/** The final ranking's columns: the first ranking's score and the reader's. */
export const READER_RANK_COLUMNS = ['first.score', 'reader.logit'] as const;

/** What the decision reads off the reader, beside the first ranking's decision signals. */
export const READER_SIGNALS = [
  /** The reader's score of the final best candidate. */
  'reader.top',
  /** Its highest score among the candidates it read. */
  'reader.max',
  /** Its probability that no candidate it read answers (softmax with its "none" score). */
  'reader.none',
] as const;

export type ReaderSignal = (typeof READER_SIGNALS)[number];

/** Which way each reader signal may push the decision (see DECISION_DIRECTIONS). */
export const READER_DIRECTIONS: Readonly<Record<ReaderSignal, 1 | -1>> = Object.freeze({ 'reader.top': 1, 'reader.max': 1, 'reader.none': -1 });

/** The indices of the best `count` scores, best first (ties: the earlier candidate). */
export function bestIndices(scores: readonly number[], count: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, Math.max(0, count))
    .map(([, i]) => i);
}

/** A read candidate's final-ranking row: its first-ranking score and the reader's. */
export function readerRankRow(firstScore: number, logit: number): Float64Array {
  return Float64Array.of(firstScore, logit);
}

/** The reader signals of a question, given which read candidate the final ranking put first. */
export function readerSignals(reading: Reading, best: number): Float64Array {
  const { logits, none } = reading;
  const max = Math.max(none, ...logits);
  const mass = logits.reduce((sum, l) => sum + Math.exp(l - max), Math.exp(none - max));
  const signals: Record<ReaderSignal, number> = {
    'reader.top': logits[best] ?? none,
    'reader.max': logits.length > 0 ? Math.max(...logits) : none,
    'reader.none': Math.exp(none - max) / mass,
  };
  return Float64Array.from(READER_SIGNALS, (name) => signals[name]);
}
