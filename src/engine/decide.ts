/** Signals for deciding whether the corpus answers a question at all. */
export interface AnswerSignals {
  /** Idf-weighted share of the question's content terms found in the best sentence and its context. */
  coverage: number;
  /** Idf-weighted share of the question's content terms that occur anywhere in the corpus. */
  corpusCoverage: number;
  /** Dense similarity of the best sentence. */
  dense: number;
  /** Number of content terms in the question. */
  terms: number;
}

export interface AnswerThresholds {
  /** Minimum coverage of the question by the best quote. @default 0.45 */
  minCoverage: number;
  /** Minimum share of the question the corpus knows at all. @default 0.55 */
  minCorpusCoverage: number;
  /**
   * Dense similarity that answers on its own even with little word overlap (paraphrases).
   * Model-specific; Infinity disables it. @default Infinity
   */
  denseAccept: number;
}

export const DEFAULT_THRESHOLDS: Readonly<AnswerThresholds> = Object.freeze({
  minCoverage: 0.45,
  minCorpusCoverage: 0.55,
  denseAccept: Number.POSITIVE_INFINITY,
});

/**
 * Answer only when the quote covers the question: most of what the question asks about must
 * be in the corpus (so "the capital of France" is declined even though "capital" is there),
 * and the best sentence must cover enough of it. A strong dense match can stand in for the
 * best sentence's word overlap (a paraphrase) on models calibrated for it.
 */
export function shouldAnswer(options: { signals: AnswerSignals; thresholds?: AnswerThresholds }): boolean {
  const { signals, thresholds = DEFAULT_THRESHOLDS } = options;
  if (signals.terms === 0) return false;
  // Whatever the model, most of what the question asks about must be in the coverage at all.
  if (signals.corpusCoverage < thresholds.minCorpusCoverage) return false;
  return signals.coverage >= thresholds.minCoverage || signals.dense >= thresholds.denseAccept;
}
