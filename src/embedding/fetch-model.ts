import { resolve } from 'node:path';
import { resolveProfile } from './profiles.js';
import { createTransformersEmbedder, hasLocalModel } from './transformers-embedder.js';

export interface FetchedModel {
  modelId: string;
  dimensions: number;
  /** The folder to give as MODELS_DIR to load this model offline. */
  modelsDir: string;
}

/**
 * Downloads an embedding model into `cacheDir` (on a connected machine, e.g. while building
 * the container image), then loads it again with the network off from that same folder.
 *
 * transformers.js caches a file as `<cacheDir>/<model id>/<file>` and, offline, reads
 * `<MODELS_DIR>/<model id>/<file>`: the two layouts match, so the cache folder is the
 * MODELS_DIR of the image. The second load proves it before the image ships.
 */
export async function fetchModel(options: { model: string; cacheDir: string }): Promise<FetchedModel & { downloaded: boolean }> {
  const cacheDir = resolve(options.cacheDir);
  // A model already complete in the folder (the bundled one, or an earlier fetch) needs no network.
  const downloaded = !hasLocalModel({ modelsDir: cacheDir, profile: resolveProfile(options.model) });
  if (downloaded) {
    const online = await createTransformersEmbedder({ model: options.model, cacheDir });
    await online.dispose();
  }
  const offline = await createTransformersEmbedder({ model: options.model, modelsDir: cacheDir, cacheDir });
  try {
    return { modelId: offline.modelId, dimensions: offline.dimensions, modelsDir: cacheDir, downloaded };
  } finally {
    await offline.dispose();
  }
}
