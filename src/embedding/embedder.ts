/** Turns texts into vectors. The only thing the index and the engine know about a model. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /**
   * Embeds texts in order. Questions use `kind: 'query'` (some models want an instruction
   * prefix on the question only).
   * @default kind 'passage'
   */
  embed(texts: string[], options?: { kind?: 'query' | 'passage' }): Promise<Float32Array[]>;
  /** Frees the model session. */
  dispose(): Promise<void>;
}
