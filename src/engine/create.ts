import type { EngineConfig } from '../config.js';
import { createTransformersEmbedder } from '../embedding/transformers-embedder.js';
import type { EngineOptions } from './engine.js';
import { loadEngine } from './load-engine.js';

/** Loads the configured model and the live index: what every front end does at start-up. */
export async function createEngineFromConfig(options: { config: EngineConfig } & EngineOptions) {
  const { config, ...engineOptions } = options;
  const embedder = await createTransformersEmbedder({
    model: config.embeddingModel,
    ...(config.modelsDir ? { modelsDir: config.modelsDir } : {}),
    cacheDir: config.modelCacheDir,
  });
  try {
    const loaded = await loadEngine({ indexDir: config.indexDir, embedder, ...engineOptions });
    return { ...loaded, embedder };
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
}
