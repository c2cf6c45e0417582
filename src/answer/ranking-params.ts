import type { LinearModel } from './linear-model.js';
import type { ReaderParams } from './reading.js';

/**
 * Every number the answer engine uses to rank and to decide, for one embedding model. Fitted by
 * `npm run eval -- --fit --profile NAME` on the training questions and stored as JSON in
 * `src/answer/params/`; never edited by hand. The README's "Evaluation" section documents
 * each part.
 */
export interface RankingParams {
  /** Model profile name (see src/embedding/profiles.ts) and the model id it was fitted with. */
  profile: string;
  modelId: string;
  /** Candidate sentences come from this many best passages (dense and BM25, fused by rank). */
  passages: number;
  /**
   * Of those passages' sentences, only the best this many by each of three cheap scores are
   * ranked (their union): the sentence's cosine with the question, its cosine with the sentence
   * before, its BM25. Absent: every sentence of the passages.
   */
  sentences?: number;
  /** Scores each candidate sentence from its feature row (see answer/features.ts). */
  ranker: LinearModel;
  /**
   * Probability that the coverage answers the question, from the best candidate's signals and
   * the question's own embedding; the engine answers when it reaches `threshold`.
   */
  decision: LinearModel & { threshold: number };
  /**
   * A further snippet is shown when its ranker score is within a gap of the best one: the same
   * learned scores that chose the first decide whether another answers as well. `maxGap` for
   * the first page (`QUOTES_PER_PAGE` snippets), `moreGap` (no wider) for the pages after it, so
   * More sources offers only quotes clearly as good. Old params without `moreGap` use `maxGap`.
   */
  snippets: { maxGap: number; moreGap?: number };
  /**
   * For a question in another language than the articles (with a multilingual model): the same
   * three parts fitted, on the training questions asked in Russian, on signals that do not
   * depend on the question's language.
   */
  crossLingual?: Pick<RankingParams, 'ranker' | 'decision' | 'snippets'>;
  /**
   * The reader (a cross-encoder trained by `npm run train-reader`): it reads the best
   * candidates of `ranker`, and its scores with the ranker's give the final order and the
   * answer decision. `decision` above then only tells whether the coverage is about the
   * question at all: a question the reader declines but `decision` would answer gets the
   * closest quotes, said to be no answer. Absent: `ranker` and `decision` answer alone.
   */
  reader?: ReaderParams;
  /** Word lists in use; each kept only where cross-validation showed it helps. */
  wordLists: { backReferences: boolean; answerKinds: boolean };
  /** How and on what the params were fitted, with their cross-validated scores. */
  fit: FitRecord | null;
}

export interface FitRecord {
  questions: string;
  count: number;
  folds: number;
  seed: number;
  corpusHash: string;
  pipelineVersion: number;
  /** Scores on held-out folds only: the honest estimate for unseen questions. */
  crossValidated: Record<string, number>;
  /** The cross-lingual model's questions and held-out scores. */
  crossLingual?: { questions: string; crossValidated: Record<string, number> };
  /**
   * For a fine-tuned model: how it was trained. Its `crossValidated` scores are nested: each
   * fold's questions were answered by a model fine-tuned without them, with params fitted on
   * features no model had seen the question of. `unanswerableWeight`, when set, is how much the
   * unanswerable training questions counted (each taught to score every sentence under a learnt
   * "no answer" similarity); without it they were left out.
   */
  fineTuned?: { from: string; epochs: number; learningRate: number; seed: number; unanswerableWeight?: number };
  /**
   * The reader's training: on how many questions (the original training questions and the
   * team's reader data), in how many folds by article, and the scores of `npm run
   * train-reader`'s cross-validation on those folds: on the five articles' questions
   * (`crossValidated`) and on the practice articles' (`crossValidatedNewArticles`).
   */
  reader?: { questions: number; folds: number; listLength: number; training: Record<string, number | string>; crossValidated: Record<string, number>; crossValidatedNewArticles?: Record<string, number> };
}

/** Checks parsed JSON is complete params; the message names the first problem. */
export function parseRankingParams(json: unknown, where: string): RankingParams {
  const p = json as Partial<RankingParams> | null;
  const linear = (m: unknown): m is LinearModel => {
    const l = m as Partial<LinearModel> | null;
    const n = Array.isArray(l?.columns) ? l.columns.length : -1;
    const numbers = (a: unknown): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    return n >= 0 && numbers(l?.mean) && numbers(l?.scale) && numbers(l?.weights) && typeof l?.bias === 'number';
  };
  const problem =
    !p || typeof p !== 'object'
      ? 'not an object'
      : typeof p.profile !== 'string' || typeof p.modelId !== 'string'
        ? 'profile and modelId are required'
        : !Number.isInteger(p.passages) || (p.passages ?? 0) < 1
          ? 'passages must be a positive whole number'
          : p.sentences !== undefined && (!Number.isInteger(p.sentences) || p.sentences < 1)
            ? 'sentences, if set, must be a positive whole number'
          : !linear(p.ranker)
            ? 'ranker is not a complete linear model'
            : !linear(p.decision) || typeof p.decision.threshold !== 'number'
              ? 'decision is not a complete linear model with a threshold'
              : typeof p.snippets?.maxGap !== 'number' || !['number', 'undefined'].includes(typeof p.snippets.moreGap)
                ? 'snippets needs maxGap (and moreGap, if any, a number)'
                : typeof p.wordLists?.backReferences !== 'boolean' || typeof p.wordLists.answerKinds !== 'boolean'
                  ? 'wordLists needs backReferences and answerKinds'
                  : p.reader !== undefined && !readerComplete(p.reader)
                    ? 'reader needs modelId, a positive whole number of candidates, a ranker, a decision with a threshold and snippets'
                  : undefined;
  if (problem) throw new Error(`${where}: ${problem}; refit with npm run eval -- --fit`);
  return p as RankingParams;

  function readerComplete(r: Partial<ReaderParams>): boolean {
    return (
      typeof r.modelId === 'string' &&
      Number.isInteger(r.candidates) &&
      (r.candidates ?? 0) >= 1 &&
      linear(r.ranker) &&
      linear(r.decision) &&
      typeof r.decision.threshold === 'number' &&
      typeof r.snippets?.maxGap === 'number' &&
      typeof r.snippets.moreGap === 'number'
    );
  }
}

/**
 * Params for a model nobody has fitted: rank by the sentence's cosine and word coverage, answer
 * when the best sentence covers half the question. Safe, not good: fit the profile.
 */
export function unfittedParams(options: { profile: string; modelId: string }): RankingParams {
  return {
    ...options,
    passages: 20,
    ranker: { columns: ['dense.sentence:z', 'words.related'], mean: [0, 0], scale: [1, 1], weights: [1, 2], bias: 0 },
    decision: { columns: ['top.related'], mean: [0.5], scale: [0.1], weights: [1], bias: 0, threshold: 0.5 },
    snippets: { maxGap: 1, moreGap: 1 },
    wordLists: { backReferences: true, answerKinds: true },
    fit: null,
  };
}
