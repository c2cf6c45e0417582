import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerEngine } from '../answer/engine.js';
import type { RankingParams } from '../answer/ranking-params.js';
import type { PassageStore } from '../answer/store.js';
import { loadEnglishWords } from '../core/dictionary.js';
import { loadCorpus } from '../ingest/load.js';
import type { Embedder } from '../embedding/embedder.js';
import type { Reader } from '../embedding/reader.js';
import { buildIndex } from '../indexer/build-index.js';
import type { Manifest } from '../store/manifest.js';
import { readLiveSnapshot } from '../store/read.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { FitExample } from './fit.js';
import type { EvalQuestion } from './metrics.js';

/** Everything fitting and evaluation need for one model: its own index of the corpus, loaded. */
export interface Workbench {
  /** The private index folder (removed by dispose). */
  indexDir: string;
  store: PassageStore;
  manifest: Manifest;
  /** Article bodies, for the verbatim check. */
  corpus: string[];
  dictionary: ReadonlySet<string>;
  /** Asks every question once and keeps what the engine saw (candidates and features). */
  examples(options: { questions: EvalQuestion[]; params: RankingParams }): Promise<FitExample[]>;
  dispose(): Promise<void>;
}

/**
 * Builds the corpus into a private temporary index for the embedder's model (INDEX_DIR may
 * hold another model's index) and loads it. Query embeddings are kept per question text, so
 * asking again with other params costs nothing.
 */
export async function openWorkbench(options: { corpusDir: string; embedder: Embedder; reader?: Reader | undefined }): Promise<Workbench> {
  const { corpusDir, embedder, reader } = options;
  const indexDir = await mkdtemp(join(tmpdir(), 'eval-index-'));
  try {
    await buildIndex({ corpusDir, indexDir, embedder });
    const contents = await readLiveSnapshot(indexDir);
    const store = createMemoryStore(contents);
    const corpus = (await loadCorpus({ dir: corpusDir })).map((a) => a.body);
    const dictionary = await loadEnglishWords();
    const cache = new Map<string, Float32Array>();
    const caching: Embedder = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      async embed(texts, embedOptions) {
        const key = (t: string): string => `${embedOptions?.kind ?? 'passage'}\u0000${t}`;
        const missing = texts.filter((t) => !cache.has(key(t)));
        if (missing.length > 0) (await embedder.embed(missing, embedOptions)).forEach((v, i) => cache.set(key(missing[i] ?? ''), v));
        return texts.map((t) => cache.get(key(t)) ?? new Float32Array(embedder.dimensions));
      },
      dispose: () => Promise.resolve(),
    };
    return {
      indexDir,
      store,
      manifest: contents.manifest,
      corpus,
      dictionary,
      async examples({ questions, params }) {
        // With a reader, each inspection carries its reading of the best candidates, as in the engine.
        const engine = createAnswerEngine({ store, embedder: caching, params, dictionary, ...(reader ? { reader } : {}) });
        const out: FitExample[] = [];
        for (const question of questions) out.push({ question, inspection: await engine.inspect(question.question) });
        return out;
      },
      dispose: () => rm(indexDir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(indexDir, { recursive: true, force: true });
    throw error;
  }
}
