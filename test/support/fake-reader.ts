import type { Reader, ReadPassage } from '../../src/embedding/reader.js';

/** A reader whose scores a test writes: `score(question, text)` per candidate; every call is recorded. */
export function scriptedReader(options: { modelId?: string; none?: number; score: (question: string, text: string) => number }): Reader & { calls: Array<{ question: string; texts: string[]; passages: ReadPassage[] }> } {
  const calls: Array<{ question: string; texts: string[]; passages: ReadPassage[] }> = [];
  return {
    modelId: options.modelId ?? 'test/reader',
    none: options.none ?? 0,
    calls,
    score(question, passages) {
      const texts = passages.map((p) => p.text);
      calls.push({ question, texts, passages });
      return Promise.resolve(texts.map((t) => options.score(question, t)));
    },
    dispose: () => Promise.resolve(),
  };
}
