import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnglishWords } from '../../core/dictionary.js';
import type { EngineConfig } from '../config.js';
import type { Embedder } from '../../embedding/embedder.js';
import { BUNDLED_MODELS_DIR, resolveProfile } from '../../embedding/profiles.js';
import { createTransformersEmbedder } from '../../embedding/transformers-embedder.js';
import type { Reader } from '../../embedding/reader.js';
import { createTransformersReader } from '../../embedding/transformers-reader.js';
import { createAnswerEngine } from '../../answer/engine.js';
import { paramsForModel } from '../../answer/params.js';
import type { RankingParams } from '../../answer/ranking-params.js';
import { indexLocation } from '../../backend/backend.js';
import { openStore, type IndexLocation } from './open-store.js';

/** What a loaded engine may be given instead of the defaults. */
export interface EngineOptions {
  /** English words that spelling repair leaves alone; pass it back in on reload to skip reading it again. */
  dictionary?: ReadonlySet<string>;
  /** Ranking params; the fitted ones of the embedder's model by default. */
  params?: RankingParams;
  /** The reader the params name (see createReaderFor); without it they answer as fitted without one. */
  reader?: Reader;
}

/**
 * Loads the live index (of the backend the location names, see backend/) for an embedder and
 * returns a ready engine. Refuses an index built with another model before anything is
 * queried. `close` frees the store's database connections.
 */
export async function loadEngine(options: IndexLocation & { embedder: Embedder } & EngineOptions) {
  const { embedder } = options;
  const { store, build, close } = await openStore(options);
  try {
    const dictionary = options.dictionary ?? (await loadEnglishWords());
    const params = options.params ?? paramsForModel(embedder.modelId);
    const multilingual = resolveProfile(embedder.modelId).multilingual;
    const engine = createAnswerEngine({ store, embedder, params, dictionary, multilingual, ...(options.reader ? { reader: options.reader } : {}) });
    return { engine, build, store, dictionary, params, close };
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
 * Loads the reader that a model's params name, if they name one: from MODELS_DIR when it holds
 * it, else from the project's bundled `models/` folder (the reader ships there; it is never
 * downloaded).
 */
export async function createReaderFor(options: { params: RankingParams; modelsDir?: string | undefined }): Promise<Reader | undefined> {
  const modelId = options.params.reader?.modelId;
  if (!modelId) return undefined;
  const dirs = [options.modelsDir, BUNDLED_MODELS_DIR].filter((d): d is string => d !== undefined);
  const dir = dirs.find((d) => existsSync(join(d, modelId, 'reader.json'))) ?? BUNDLED_MODELS_DIR;
  return createTransformersReader({ modelsDir: dir, modelId });
}

/**
 * Loads the configured model and the live index: what every front end does at start-up.
 * `dispose` frees both.
 */
export async function createEngineFromConfig(options: { config: EngineConfig } & EngineOptions) {
  const { config, ...engineOptions } = options;
  const embedder = await createEmbedderFromConfig(config);
  let reader: Reader | undefined;
  try {
    reader = engineOptions.reader ?? (await createReaderFor({ params: engineOptions.params ?? paramsForModel(embedder.modelId), modelsDir: config.modelsDir }));
    const loaded = await loadEngine({ ...indexLocation(config), embedder, ...engineOptions, ...(reader ? { reader } : {}) });
    const dispose = async (): Promise<void> => {
      await loaded.close();
      await reader?.dispose();
      await embedder.dispose();
    };
    return { ...loaded, embedder, dispose };
  } catch (error) {
    await reader?.dispose();
    await embedder.dispose();
    throw error;
  }
}
