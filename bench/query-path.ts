import type { AnswerEngine } from '../src/core/types.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { latencySummary, medianOfSummaries, ratio, type LatencySummary } from './stats.js';

export interface QueryPathFigures {
  /** engine.answer, warm, in-process. */
  engine: LatencySummary;
  /** The bare query embedding of the same questions (the anchor). */
  embed: LatencySummary;
  /** engine p50 / embed p50; target <= 1.5. */
  ratioP50: number;
  /** What the engine adds beyond the embedding at p50, in ms. */
  overheadP50: number;
}

/**
 * Times `engine.answer` against `embedder.embed([question], {kind: 'query'})` on the same
 * questions. Both are warmed first; inside each round they alternate question by question so
 * drift (GC, CPU frequency, other processes) hits both alike. Each percentile is the median
 * over the rounds.
 */
export async function measureQueryPath(options: {
  engine: AnswerEngine;
  embedder: Embedder;
  questions: readonly string[];
  repeats: number;
}): Promise<QueryPathFigures> {
  const { engine, embedder, questions, repeats } = options;
  for (const question of questions) {
    await engine.answer(question);
    await embedder.embed([question], { kind: 'query' });
  }
  const engineRuns: LatencySummary[] = [];
  const embedRuns: LatencySummary[] = [];
  for (let round = 0; round < repeats; round++) {
    const engineMs: number[] = [];
    const embedMs: number[] = [];
    for (const question of questions) {
      let started = performance.now();
      await engine.answer(question);
      engineMs.push(performance.now() - started);
      started = performance.now();
      await embedder.embed([question], { kind: 'query' });
      embedMs.push(performance.now() - started);
    }
    engineRuns.push(latencySummary(engineMs));
    embedRuns.push(latencySummary(embedMs));
  }
  const engineSummary = medianOfSummaries(engineRuns);
  const embedSummary = medianOfSummaries(embedRuns);
  return {
    engine: engineSummary,
    embed: embedSummary,
    ratioP50: ratio(engineSummary.p50, embedSummary.p50),
    overheadP50: engineSummary.p50 - embedSummary.p50,
  };
}

/** Answers every question once and returns the answers as JSON lines, to compare runs for identity. */
export async function answerFingerprint(options: { engine: AnswerEngine; questions: readonly string[] }): Promise<string> {
  const lines: string[] = [];
  for (const question of options.questions) lines.push(JSON.stringify(await options.engine.answer(question)));
  return lines.join('\n');
}
