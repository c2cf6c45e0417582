/**
 * Reads a question together with candidate sentences and scores whether each answers it (a
 * cross-encoder). The only thing the engine knows about the reader model.
 */
export interface Reader {
  readonly modelId: string;
  /** The model's learnt score for "no sentence answers", on the same scale as `score`'s. */
  readonly none: number;
  /** One score per text, in order: higher means the text answers the question more surely. */
  score(question: string, texts: string[]): Promise<number[]>;
  /** Frees the model session. */
  dispose(): Promise<void>;
}
