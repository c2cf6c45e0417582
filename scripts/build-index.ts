/**
 * Builds (or incrementally rebuilds) the search index from corpus/ into INDEX_DIR.
 * Usage: npm run build-index [-- --corpus DIR] [--index DIR] [--if-stale]
 *   --if-stale  do nothing (and load no model) when the index already matches corpus and model
 */
import { parseArgs } from 'node:util';
import { runCli } from '../src/cli/run.js';
import { parseEngineConfig } from '../src/app/config.js';
import { prepareCorpus } from '../src/ingest/prepare.js';
import { createEmbedderFromConfig } from '../src/app/serving/load-engine.js';
import { InputError } from '../src/core/errors.js';
import { buildIndex } from '../src/build/build-index.js';
import { checkIndexFreshness } from '../src/build/freshness.js';

await runCli(async () => {
  let values: { corpus?: string; index?: string; 'if-stale'?: boolean };
  try {
    ({ values } = parseArgs({ options: { corpus: { type: 'string' }, index: { type: 'string' }, 'if-stale': { type: 'boolean' } } }));
  } catch (cause) {
    throw new InputError(`${(cause as Error).message}; usage: npm run build-index [-- --corpus DIR] [--index DIR] [--if-stale]`, { cause });
  }
  const config = parseEngineConfig(process.env);
  const corpusDir = values.corpus ?? config.corpusDir;
  const indexDir = values.index ?? config.indexDir;
  if (values['if-stale']) {
    const freshness = await checkIndexFreshness({ indexDir, corpusDir, model: config.embeddingModel });
    if (freshness.current) {
      process.stderr.write(`index in ${indexDir} is up to date\n`);
      return;
    }
    process.stderr.write(`rebuilding the index: ${freshness.reason}\n`);
  }
  // Every problem of the articles is reported before the model (the slow part) loads.
  const prepared = await prepareCorpus({ dir: corpusDir });
  process.stderr.write(`loading embedding model ${config.embeddingModel}${config.modelsDir ? ` from ${config.modelsDir}` : ''}…\n`);
  const embedder = await createEmbedderFromConfig(config);
  try {
    let lastShown = 0;
    const summary = await buildIndex({
      corpusDir,
      indexDir,
      embedder,
      prepared,
      onProgress: ({ embedded, total }) => {
        const now = Date.now();
        if (embedded === total || now - lastShown > 500) {
          lastShown = now;
          process.stderr.write(`embedding ${embedded}/${total} passages and sentences (${Math.round((100 * embedded) / total)}%)\n`);
        }
      },
    });
    const removed = summary.removedArticles.length > 0 ? `, removed ${summary.removedArticles.join(', ')}` : '';
    console.log(
      `index built in ${indexDir}: ${summary.articles} articles (${summary.embeddedArticles} embedded, ${summary.reusedArticles} unchanged${removed}), ` +
        `${summary.chunks} chunks, ${summary.sentences} sentences, ${summary.seconds.toFixed(1)} s, model ${embedder.modelId}`,
    );
  } finally {
    await embedder.dispose();
  }
});
