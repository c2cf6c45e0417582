import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../src/embedding/embedder.js';
import { buildIndex } from '../src/indexer/build-index.js';
import { buildTexts, timeRawEmbedding } from './index-build.js';
import { buildPath, readCurrent } from '../src/store/layout.js';
import { runLoadProbe, type LoadProbeResult } from './load-probe.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';
import { timedEmbedder } from './timed-embedder.js';

export interface GrowthFigures {
  articles: number;
  texts: number;
  buildMs: number;
  buildMsPerArticle: number;
  /** Of the build, the time inside the embedder; the rest is the build's own work. */
  embedMs: number;
  /** The raw embedder on the same texts in the same batch size, when asked for (`rawAnchor`). */
  rawEmbedMs?: number;
  /** A rebuild of the same corpus with nothing changed. */
  incrementalMs: number;
  /** Bytes of the live build folder (index.json and manifest). */
  indexBytes: number;
  probe: LoadProbeResult;
}

/**
 * Generates a synthetic corpus of `size` articles, builds it once (building is the expensive
 * part; at the large size one run is all the time budget allows), rebuilds it unchanged, then
 * loads and queries it in a fresh process.
 */
export async function measureGrowth(options: {
  sourceDir: string;
  workDir: string;
  size: number;
  seed: number;
  embedder: Embedder;
  model: string;
  modelsDir: string | undefined;
  questions: string[];
  repeats: number;
  /** Also time the raw embedder on the same texts (as long as the build's embedding). */
  rawAnchor?: boolean;
  onStep?: (step: string) => void;
}): Promise<GrowthFigures> {
  const { sourceDir, workDir, size, seed, embedder, model, modelsDir, questions, repeats, rawAnchor = false, onStep } = options;
  const corpusDir = join(workDir, `corpus-${size}`);
  const indexDir = join(workDir, `index-${size}`);
  onStep?.(`generating ${size} synthetic articles`);
  await writeSyntheticCorpus({ sourceDir, outDir: corpusDir, count: size, seed });
  onStep?.(`building the index of ${size} articles`);
  const timed = timedEmbedder(embedder);
  let started = performance.now();
  const summary = await buildIndex({ corpusDir, indexDir, embedder: timed });
  const buildMs = performance.now() - started;
  let rawEmbedMs: number | undefined;
  if (rawAnchor) {
    onStep?.(`embedding the same ${summary.chunks + summary.sentences} texts with the raw embedder`);
    rawEmbedMs = await timeRawEmbedding({ embedder, texts: (await buildTexts(corpusDir)).texts });
  }
  onStep?.(`rebuilding ${size} articles unchanged`);
  started = performance.now();
  await buildIndex({ corpusDir, indexDir, embedder });
  const incrementalMs = performance.now() - started;
  onStep?.(`loading and querying ${size} articles in a fresh process`);
  const probe = await runLoadProbe({ indexDir, model, ...(modelsDir ? { modelsDir } : {}), questions, repeats });
  return {
    articles: summary.articles,
    texts: summary.chunks + summary.sentences,
    buildMs,
    buildMsPerArticle: buildMs / summary.articles,
    embedMs: timed.elapsedMs,
    ...(rawEmbedMs !== undefined ? { rawEmbedMs } : {}),
    incrementalMs,
    indexBytes: await liveBuildBytes(indexDir),
    probe,
  };
}

/** Total size of the files of the live build. */
export async function liveBuildBytes(indexDir: string): Promise<number> {
  const build = await readCurrent(indexDir);
  if (!build) return 0;
  const folder = buildPath({ indexDir, build });
  let total = 0;
  for (const name of await readdir(folder)) total += (await stat(join(folder, name))).size;
  return total;
}
