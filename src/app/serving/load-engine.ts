import { loadEnglishWords } from '../../core/dictionary.js';
import type { EngineConfig } from '../config.js';
import type { Embedder } from '../../embedding/embedder.js';
import { BUNDLED_MODELS_DIR, resolveProfile } from '../../embedding/profiles.js';
import { createTransformersEmbedder } from '../../embedding/transformers-embedder.js';
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
    engine: createAnswerEngine({ store, embedder, params, dictionary, multilingual: resolveProfile(embedder.modelId).multilingual }),
    build: contents.build,
    store,
    dictionary,
    params,
    manifest: contents.manifest,
  };
}

/**
 * Loads the configured embedding model: from MODELS_DIR when set, else from the project's
 * bundled `models/` folder when it holds the model, else from the hub (cached in MODEL_CACHE_DIR).
 */
export function createEmbedderFromConfig(config: EngineConfig): Promise<Embedder> {
  return createTransformersEmbedder({
    model: config.embeddingModel,
    bundledDir: BUNDLED_MODELS_DIR,
    ...(config.modelsDir ? { modelsDir: config.modelsDir } : {}),
    cacheDir: config.modelCacheDir,
  });
}

/** Loads the configured model and the live index: what every front end does at start-up. */
export async function createEngineFromConfig(options: { config: EngineConfig } & EngineOptions) {
  const { config, ...engineOptions } = options;
  const embedder = await createEmbedderFromConfig(config);
  try {
    const loaded = await loadEngine({ indexDir: config.indexDir, embedder, ...engineOptions });
    return { ...loaded, embedder };
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
}
