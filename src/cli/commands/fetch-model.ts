import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { ConfigError } from '../../core/errors.js';
import { fetchModel } from '../../embedding/fetch-model.js';
import { ioOf } from '../io.js';

/**
 * `fetch-model`: downloads the configured model (EMBEDDING_MODEL) into MODEL_CACHE_DIR on a
 * connected machine, then checks that it loads offline from there. A model already complete
 * in the folder is not downloaded again.
 */
export const fetchModelCommand = defineCommand({
  meta: { name: 'fetch-model', description: 'Download the configured model into MODEL_CACHE_DIR, ready to load offline' },
  async run(context) {
    const io = ioOf(context);
    const config = parseEngineConfig(io.env);
    if (config.modelsDir) throw new ConfigError('MODELS_DIR is set, which turns downloads off; unset it to fetch a model into MODEL_CACHE_DIR');
    io.stderr.write(`fetching embedding model ${config.embeddingModel} into ${config.modelCacheDir}…\n`);
    const fetched = await fetchModel({ model: config.embeddingModel, cacheDir: config.modelCacheDir });
    const how = fetched.downloaded ? 'cached' : 'already complete there, nothing downloaded';
    io.stdout.write(`model ${fetched.modelId} (${fetched.dimensions} dims) ${how}; load it offline with MODELS_DIR=${fetched.modelsDir}\n`);
    return 0;
  },
});
