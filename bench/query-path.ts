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
  /** The first warm-up round alone: a process that has just started, with V8 still compiling. */
  firstRound?: { engine: LatencySummary; embed: LatencySummary; ratioP50: number };
}

/**
 * Rounds over the questions before measuring. A bot answers thousands of questions between
 * restarts: the target is about that steady state. The engine's code is JavaScript, which V8
 * compiles to its fastest tier only after many calls (one round of the 24 dev questions left
 * the p50 ratio 0.1 higher and varying from run to run); the embedding is native code and
 * needs no more than one. The first round is reported on its own (`firstRound`).
 */
export const WARMUP_ROUNDS = 10;

/**
 * Times `engine.answer` against `embedder.embed([question], {kind: 'query'})` on the same
 * questions. Both are warmed first (`WARMUP_ROUNDS`); inside each round they alternate
 * question by question so drift (GC, CPU frequency, other processes) hits both alike. Each
 * percentile is the median over the rounds.
 */
export async function measureQueryPath(options: {
  engine: AnswerEngine;
  embedder: Embedder;
  questions: readonly string[];
  repeats: number;
  warmupRounds?: number;
}): Promise<QueryPathFigures> {
  const { engine, embedder, questions, repeats, warmupRounds = WARMUP_ROUNDS } = options;
  const round = async (): Promise<{ engine: LatencySummary; embed: LatencySummary }> => {
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
    return { engine: latencySummary(engineMs), embed: latencySummary(embedMs) };
  };
  let firstRound: QueryPathFigures['firstRound'];
  for (let warm = 0; warm < warmupRounds; warm++) {
    const figures = await round();
    if (warm === 0) firstRound = { ...figures, ratioP50: ratio(figures.engine.p50, figures.embed.p50) };
  }
  const engineRuns: LatencySummary[] = [];
  const embedRuns: LatencySummary[] = [];
  for (let r = 0; r < repeats; r++) {
    const figures = await round();
    engineRuns.push(figures.engine);
    embedRuns.push(figures.embed);
  }
  const engineSummary = medianOfSummaries(engineRuns);
  const embedSummary = medianOfSummaries(embedRuns);
  return {
    engine: engineSummary,
    embed: embedSummary,
    ratioP50: ratio(engineSummary.p50, embedSummary.p50),
    overheadP50: engineSummary.p50 - embedSummary.p50,
    ...(firstRound ? { firstRound } : {}),
  };
}

/** Answers every question once and returns the answers as JSON lines, to compare runs for identity. */
export async function answerFingerprint(options: { engine: AnswerEngine; questions: readonly string[] }): Promise<string> {
  const lines: string[] = [];
  for (const question of options.questions) lines.push(JSON.stringify(await options.engine.answer(question)));
  return lines.join('\n');
}
