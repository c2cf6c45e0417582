import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { createEmbedderFromConfig } from '../../app/serving/load-engine.js';
import { buildIndex } from '../../indexer/build-index.js';
import { checkIndexFreshness } from '../../indexer/freshness.js';
import { prepareCorpus } from '../../ingest/prepare.js';
import { ioOf } from '../io.js';

/**
 * `build-index`: builds (or incrementally rebuilds) the search index from the corpus into
 * INDEX_DIR, beside the live one, and switches to it in one step.
 */
export const buildIndexCommand = defineCommand({
  meta: { name: 'build-index', description: 'Build or update the search index from the corpus' },
  args: {
    corpus: { type: 'string', description: 'the corpus folder (default: CORPUS_DIR)', valueHint: 'DIR' },
    index: { type: 'string', description: 'the index folder (default: INDEX_DIR)', valueHint: 'DIR' },
    'if-stale': { type: 'boolean', description: 'do nothing (and load no model) when the index already matches corpus and model' },
  },
  async run(context) {
    const io = ioOf(context);
    const { args } = context;
    const config = parseEngineConfig(io.env);
    const corpusDir = args.corpus ?? config.corpusDir;
    const indexDir = args.index ?? config.indexDir;
    if (args['if-stale']) {
      const freshness = await checkIndexFreshness({ indexDir, corpusDir, model: config.embeddingModel });
      if (freshness.current) {
        io.stderr.write(`index in ${indexDir} is up to date\n`);
        return 0;
      }
      io.stderr.write(`rebuilding the index: ${freshness.reason}\n`);
    }
    // Every problem of the articles is reported before the model (the slow part) loads.
    const prepared = await prepareCorpus({ dir: corpusDir });
    io.stderr.write(`loading embedding model ${config.embeddingModel}${config.modelsDir ? ` from ${config.modelsDir}` : ''}…\n`);
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
            io.stderr.write(`embedding ${embedded}/${total} passages and sentences (${Math.round((100 * embedded) / total)}%)\n`);
          }
        },
      });
      const removed = summary.removedArticles.length > 0 ? `, removed ${summary.removedArticles.join(', ')}` : '';
      io.stdout.write(
        `index built in ${indexDir}: ${summary.articles} articles (${summary.embeddedArticles} embedded, ${summary.reusedArticles} unchanged${removed}), ` +
          `${summary.chunks} chunks, ${summary.sentences} sentences, ${summary.seconds.toFixed(1)} s, model ${embedder.modelId}\n`,
      );
    } finally {
      await embedder.dispose();
    }
    return 0;
  },
});
