import { join } from 'node:path';
import pg from 'pg';
import type { Embedder } from '../src/embedding/embedder.js';
import { buildIndex } from '../src/indexer/build-index.js';
import { buildPgIndex } from '../src/indexer/pg-build.js';
import { createDatabase } from '../tools/pg/pgserver.js';
import { liveBuildBytes } from './growth.js';
import { runLoadProbe, type LoadProbeResult } from './load-probe.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';
import { timedEmbedder } from './timed-embedder.js';

export const STORES = ['files', 'pg'] as const;
export type StoreKind = (typeof STORES)[number];

/** One store at one corpus size. */
export interface StoreFigures {
  store: StoreKind;
  articles: number;
  texts: number;
  buildMs: number;
  /** Of the build, the time inside the embedder. */
  embedMs: number;
  /** The build reused the vectors the first store's build computed (its figure is the store's own work). */
  vectorsReused: boolean;
  /** Bytes of the index: the live build's files, or the database. */
  indexBytes: number;
  /** A fresh process loading the model and the index, then answering with query vectors reused. */
  probe: LoadProbeResult;
}

/**
 * Builds one synthetic corpus of `size` articles into each store and measures, in a fresh
 * process per store, start to ready, the answer latency without the query embedding (each
 * question's vector is computed during the warm-up and reused) and the memory once loaded.
 * Each store embeds the corpus itself, so both build figures are whole builds.
 * @param options.adminUrl a PostgreSQL server where databases may be created; each size gets
 *   a database of its own, dropped afterwards
 */
export async function compareStores(options: {
  sourceDir: string;
  workDir: string;
  size: number;
  seed: number;
  stores: readonly StoreKind[];
  adminUrl: string | undefined;
  embedder: Embedder;
  model: string;
  modelsDir: string | undefined;
  questions: string[];
  repeats: number;
  onStep?: (step: string) => void;
}): Promise<StoreFigures[]> {
  const { sourceDir, workDir, size, seed, stores, adminUrl, embedder, model, modelsDir, questions, repeats, onStep } = options;
  const corpusDir = join(workDir, `stores-corpus-${size}`);
  onStep?.(`generating ${size} synthetic articles`);
  await writeSyntheticCorpus({ sourceDir, outDir: corpusDir, count: size, seed });
  const probeRequest = { model, ...(modelsDir ? { modelsDir } : {}), questions, repeats, excludeEmbedding: true };
  const figures: StoreFigures[] = [];
  // The first store's build embeds the corpus; the next one reuses those vectors (same model,
  // same texts, same results), so its build figure is the store's own work. On two cores a
  // real embedding of 5,000 articles takes a quarter of an hour; twice is beyond the budget.
  const known = new Map<string, Float32Array>();
  for (const store of stores) {
    const timed = timedEmbedder(rememberingVectors({ inner: embedder, known, reuse: store !== stores[0] }));
    if (store === 'files') {
      const indexDir = join(workDir, `stores-index-${size}`);
      onStep?.(`building ${size} articles into files`);
      const started = performance.now();
      const summary = await buildIndex({ corpusDir, indexDir, embedder: timed });
      const buildMs = performance.now() - started;
      onStep?.(`loading and querying ${size} articles from files in a fresh process`);
      const probe = await runLoadProbe({ indexDir, ...probeRequest });
      figures.push({ store, articles: summary.articles, texts: summary.chunks + summary.sentences, buildMs, embedMs: timed.elapsedMs, vectorsReused: store !== stores[0], indexBytes: await liveBuildBytes(indexDir), probe });
      continue;
    }
    if (!adminUrl) continue;
    const database = await createDatabase({ adminUrl, name: `quotes_bench_${size}_${process.pid}` });
    try {
      onStep?.(`building ${size} articles into PostgreSQL`);
      const started = performance.now();
      const summary = await buildPgIndex({ url: database.url, corpusDir, embedder: timed, onStep: (step) => onStep?.(`PostgreSQL build: ${step}`) });
      const buildMs = performance.now() - started;
      if (!summary) throw new Error('the PostgreSQL build did nothing');
      onStep?.(`loading and querying ${size} articles from PostgreSQL in a fresh process`);
      const probe = await runLoadProbe({ indexDir: join(workDir, 'no-index'), databaseUrl: database.url, ...probeRequest });
      figures.push({ store, articles: summary.articles, texts: summary.chunks + summary.sentences, buildMs, embedMs: timed.elapsedMs, vectorsReused: store !== stores[0], indexBytes: await databaseBytes(database.url), probe });
    } finally {
      await database.drop();
    }
  }
  return figures;
}

/** The size of a database on disk (tables, indexes, HNSW graphs). */
async function databaseBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(found.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * The embedder, remembering each passage vector it computes; with `reuse`, a passage seen
 * before is not embedded again. Queries are always embedded.
 */
function rememberingVectors(options: { inner: Embedder; known: Map<string, Float32Array>; reuse: boolean }): Embedder {
  const { inner, known, reuse } = options;
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    async embed(texts, embedOptions) {
      if (embedOptions?.kind === 'query') return inner.embed(texts, embedOptions);
      const missing = reuse ? texts.filter((text) => !known.has(text)) : texts;
      const computed = missing.length > 0 ? await inner.embed(missing, embedOptions) : [];
      missing.forEach((text, i) => {
        const vector = computed[i];
        if (vector) known.set(text, vector);
      });
      return texts.map((text, i) => (reuse ? known.get(text) : computed[i]) ?? new Float32Array(inner.dimensions));
    },
    dispose: () => inner.dispose(),
  };
}
