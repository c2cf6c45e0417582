import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHUNK_SETTINGS } from '../src/ingest/chunk.js';
import { loadCorpus } from '../src/ingest/load.js';
import { prepareArticle } from '../src/ingest/prepare.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { BUILD_BATCH_SIZE, buildIndex, itemsToEmbed } from '../src/indexer/build-index.js';
import { median, ratio } from './stats.js';
import { timedEmbedder } from './timed-embedder.js';

export interface IndexBuildFigures {
  /** Texts (chunks and sentences) the build embeds. */
  texts: number;
  articles: number;
  /** Full build, wall time in ms and texts per second. */
  fullMs: number;
  /** Of the full build, the time spent inside the embedder; the rest is the build's own work. */
  fullEmbedMs: number;
  buildPerSecond: number;
  /** The raw embedder on the same texts in the same batch size (the anchor). */
  rawPerSecond: number;
  /** build / raw texts per second; target >= 0.8. */
  ratio: number;
  /** A rebuild with nothing changed, in ms, and its share of the full build; target < 0.1. */
  incrementalMs: number;
  incrementalRatio: number;
}

/** The texts a build of `corpusDir` embeds, in build order. */
export async function buildTexts(corpusDir: string): Promise<{ texts: string[]; articles: number }> {
  const articles = (await loadCorpus({ dir: corpusDir })).map((article) => prepareArticle({ article, settings: DEFAULT_CHUNK_SETTINGS }));
  return { texts: articles.flatMap((prepared) => itemsToEmbed(prepared).map((entry) => entry.text)), articles: articles.length };
}

/** Embeds texts the way a build does (batches of BUILD_BATCH_SIZE) and returns the wall time in ms. */
export async function timeRawEmbedding(options: { embedder: Embedder; texts: readonly string[] }): Promise<number> {
  const { embedder, texts } = options;
  const started = performance.now();
  for (let i = 0; i < texts.length; i += BUILD_BATCH_SIZE) await embedder.embed(texts.slice(i, i + BUILD_BATCH_SIZE));
  return performance.now() - started;
}

/**
 * Full build into a fresh folder, then a no-change rebuild of it, then the raw embedder on the
 * same texts, `repeats` times; each figure is the median over the rounds.
 */
export async function measureIndexBuild(options: { corpusDir: string; embedder: Embedder; repeats: number }): Promise<IndexBuildFigures> {
  const { corpusDir, embedder, repeats } = options;
  const { texts, articles } = await buildTexts(corpusDir);
  const timed = timedEmbedder(embedder);
  const full: number[] = [];
  const fullEmbed: number[] = [];
  const incremental: number[] = [];
  const raw: number[] = [];
  // Warm the model's kernels on these text lengths before timing anything.
  await timeRawEmbedding({ embedder, texts: texts.slice(0, BUILD_BATCH_SIZE) });
  for (let round = 0; round < repeats; round++) {
    const indexDir = await mkdtemp(join(tmpdir(), 'bench-build-'));
    try {
      timed.reset();
      let started = performance.now();
      await buildIndex({ corpusDir, indexDir, embedder: timed });
      full.push(performance.now() - started);
      fullEmbed.push(timed.elapsedMs);
      started = performance.now();
      const again = await buildIndex({ corpusDir, indexDir, embedder });
      incremental.push(performance.now() - started);
      if (again.embeddedArticles !== 0) throw new Error(`a no-change rebuild re-embedded ${again.embeddedArticles} articles`);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
    raw.push(await timeRawEmbedding({ embedder, texts }));
  }
  const fullMs = median(full);
  const rawMs = median(raw);
  const incrementalMs = median(incremental);
  const buildPerSecond = (texts.length / fullMs) * 1000;
  const rawPerSecond = (texts.length / rawMs) * 1000;
  return {
    texts: texts.length,
    articles,
    fullMs,
    fullEmbedMs: median(fullEmbed),
    buildPerSecond,
    rawPerSecond,
    ratio: ratio(buildPerSecond, rawPerSecond),
    incrementalMs,
    incrementalRatio: ratio(incrementalMs, fullMs),
  };
}
