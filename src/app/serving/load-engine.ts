import { loadEnglishWords } from '../../core/dictionary.js';
import type { EngineConfig } from '../config.js';
import type { Embedder } from '../../embedding/embedder.js';
import { BUNDLED_MODELS_DIR, resolveProfile } from '../../embedding/profiles.js';
import { createTransformersEmbedder } from '../../embedding/transformers-embedder.js';
import { createAnswerEngine } from '../../answer/engine.js';
import { paramsForModel } from '../../answer/params.js';
import type { RankingParams } from '../../answer/ranking-params.js';
import { openStore, type IndexLocation } from './open-store.js';

/** What a loaded engine may be given instead of the defaults. */
export interface EngineOptions {
  /** English words that spelling repair leaves alone; pass it back in on reload to skip reading it again. */
  dictionary?: ReadonlySet<string>;
  /** Ranking params; the fitted ones of the embedder's model by default. */
  params?: RankingParams;
}

/**
 * Loads the live index (of INDEX_DIR, or of DATABASE_URL when given) for an embedder and
 * returns a ready engine. Refuses an index built with another model before anything is
 * queried. `close` frees the store's database connections.
 */
export async function loadEngine(options: IndexLocation & { embedder: Embedder } & EngineOptions) {
  const { embedder } = options;
  const { store, build, close } = await openStore(options);
  try {
    const dictionary = options.dictionary ?? (await loadEnglishWords());
    const params = options.params ?? paramsForModel(embedder.modelId);
    return { engine: createAnswerEngine({ store, embedder, params, dictionary, multilingual: resolveProfile(embedder.modelId).multilingual }), build, store, dictionary, params, close };
  } catch (error) {
    await close();
    throw error;
  }
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

/**
 * Loads the configured model and the live index: what every front end does at start-up.
 * `dispose` frees both.
 */
export async function createEngineFromConfig(options: { config: EngineConfig } & EngineOptions) {
  const { config, ...engineOptions } = options;
  const embedder = await createEmbedderFromConfig(config);
  try {
    const loaded = await loadEngine({ indexDir: config.indexDir, databaseUrl: config.databaseUrl, embedder, ...engineOptions });
    const dispose = async (): Promise<void> => {
      await loaded.close();
      await embedder.dispose();
    };
    return { ...loaded, embedder, dispose };
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
}
