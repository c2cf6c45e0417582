import { loadEnglishWords } from '../core/dictionary.js';
import type { Embedder } from '../embedding/embedder.js';
import { resolveProfile } from '../embedding/profiles.js';
import { DEFAULT_THRESHOLDS } from './decide.js';
import { assertSameModel } from '../index/manifest.js';
import { readLiveBuild } from '../index/read.js';
import { createAnswerEngine, type EngineOptions } from './engine.js';
import { createSearchIndex } from './search-index.js';

/**
 * Loads the live index of INDEX_DIR for an embedder and returns a ready engine. Refuses an
 * index built with another model before anything is queried. Pass `dictionary` back in when
 * reloading to skip reading the word list again.
 */
export async function loadEngine(options: { indexDir: string; embedder: Embedder } & EngineOptions) {
  const { indexDir, embedder, ...engineOptions } = options;
  const contents = await readLiveBuild(indexDir);
  assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
  const index = createSearchIndex(contents);
  const dictionary = engineOptions.dictionary ?? (await loadEnglishWords());
  const denseAccept = resolveProfile(embedder.modelId).denseAccept;
  const thresholds = engineOptions.thresholds ?? { ...DEFAULT_THRESHOLDS, ...(denseAccept !== undefined ? { denseAccept } : {}) };
  return {
    engine: createAnswerEngine({ index, embedder, ...engineOptions, dictionary, thresholds }),
    build: contents.build,
    index,
    dictionary,
  };
}
