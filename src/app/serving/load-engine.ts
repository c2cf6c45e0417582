import { loadEnglishWords } from '../../core/dictionary.js';
import type { Embedder } from '../../embedding/embedder.js';
import { createAnswerEngine } from '../../answer/engine.js';
import { paramsForModel } from '../../answer/params.js';
import type { RankingParams } from '../../answer/ranking-params.js';
import { assertSameModel } from '../../store/manifest.js';
import { readLiveBuild } from '../../store/read.js';
import { createMemoryStore } from '../../store/memory-store.js';

/** What a loaded engine may be given instead of the defaults. */
export interface EngineOptions {
  /** English words that spelling repair leaves alone; pass it back in on reload to skip reading it again. */
  dictionary?: ReadonlySet<string>;
  /** Ranking params; the fitted ones of the embedder's model by default. */
  params?: RankingParams;
}

/**
 * Loads the live index of INDEX_DIR for an embedder and returns a ready engine. Refuses an
 * index built with another model before anything is queried.
 */
export async function loadEngine(options: { indexDir: string; embedder: Embedder } & EngineOptions) {
  const { indexDir, embedder } = options;
  const contents = await readLiveBuild(indexDir);
  assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
  const store = createMemoryStore(contents);
  const dictionary = options.dictionary ?? (await loadEnglishWords());
  const params = options.params ?? paramsForModel(embedder.modelId);
  return {
    engine: createAnswerEngine({ store, embedder, params, dictionary }),
    build: contents.build,
    store,
    dictionary,
    params,
    manifest: contents.manifest,
  };
}
