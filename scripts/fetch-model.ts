/**
 * Downloads the configured embedding model (EMBEDDING_MODEL) into MODEL_CACHE_DIR and checks
 * that it then loads offline from there, with MODELS_DIR=MODEL_CACHE_DIR.
 * Usage: MODEL_CACHE_DIR=/app/models npm run fetch-model
 */
import { runCli } from '../src/cli/run.js';
import { parseEngineConfig } from '../src/app/config.js';
import { fetchModel } from '../src/embedding/fetch-model.js';
import { ConfigError } from '../src/core/errors.js';

await runCli(async () => {
  const config = parseEngineConfig(process.env);
  if (config.modelsDir) {
    throw new ConfigError('MODELS_DIR is set, which turns downloads off; unset it to fetch a model into MODEL_CACHE_DIR');
  }
  process.stderr.write(`fetching embedding model ${config.embeddingModel} into ${config.modelCacheDir}…\n`);
  const fetched = await fetchModel({ model: config.embeddingModel, cacheDir: config.modelCacheDir });
  const how = fetched.downloaded ? 'cached' : 'already complete there, nothing downloaded';
  console.log(`model ${fetched.modelId} (${fetched.dimensions} dims) ${how}; load it offline with MODELS_DIR=${fetched.modelsDir}`);
});
