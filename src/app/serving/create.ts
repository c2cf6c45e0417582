import type { EngineConfig } from '../config.js';
import type { Embedder } from '../../embedding/embedder.js';
import { BUNDLED_MODELS_DIR } from '../../embedding/profiles.js';
import { createTransformersEmbedder } from '../../embedding/transformers-embedder.js';
import type { EngineOptions } from './load-engine.js';
import { loadEngine } from './load-engine.js';

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
