import type { Embedder } from '../src/embedding/embedder.js';

/** An Embedder that adds up the wall time spent inside `embed`, to split a build's time. */
export interface TimedEmbedder extends Embedder {
  /** Milliseconds spent in `embed` since the last `reset`. */
  readonly elapsedMs: number;
  reset(): void;
}

export function timedEmbedder(inner: Embedder): TimedEmbedder {
  let elapsedMs = 0;
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    get elapsedMs() {
      return elapsedMs;
    },
    reset() {
      elapsedMs = 0;
    },
    async embed(texts, options) {
      const started = performance.now();
      try {
        return await inner.embed(texts, options);
      } finally {
        elapsedMs += performance.now() - started;
      }
    },
    dispose: () => inner.dispose(),
  };
}
