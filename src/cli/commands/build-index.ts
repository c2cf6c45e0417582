import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { createEmbedderFromConfig } from '../../app/serving/load-engine.js';
import { chooseBackend } from '../../backend/backend.js';
import { prepareCorpus } from '../../ingest/prepare.js';
import { ioOf } from '../io.js';

/** Files of the corpus folder that are neither articles nor its description (about.json). */
async function strayFiles(corpusDir: string): Promise<string[]> {
  const names = await readdir(corpusDir).catch(() => [] as string[]);
  return names.filter((n) => !n.startsWith('.') && !/\.md$/i.test(n) && n !== 'about.json').sort();
}

/**
 * `build-index`: builds (or incrementally rebuilds) the search index from the corpus into
 * INDEX_DIR, beside the live one, or into DATABASE_URL as a new generation, and switches to
 * it in one step.
 */
export const buildIndexCommand = defineCommand({
  meta: { name: 'build-index', description: 'Build or update the search index from the corpus' },
  args: {
    corpus: { type: 'string', description: 'the corpus folder (default: CORPUS_DIR)', valueHint: 'DIR' },
    index: { type: 'string', description: 'the index folder (default: DATABASE_URL when set, else INDEX_DIR)', valueHint: 'DIR' },
    'if-stale': { type: 'boolean', description: 'do nothing (and load no model) when the index already matches corpus and model' },
    force: { type: 'boolean', description: 'build a new index even when nothing changed (by default an up-to-date index is left as it is, so a serving bot does not reload)' },
  },
  async run(context) {
    const io = ioOf(context);
    const { args } = context;
    const config = parseEngineConfig(io.env);
    const corpusDir = args.corpus ?? config.corpusDir;
    // --index names a folder: it wins over DATABASE_URL.
    const backend = chooseBackend(args.index === undefined ? config : { indexDir: args.index });
    const where = backend.kind === 'files' ? (args.index ?? config.indexDir) : backend.describe;
    const check = () => backend.freshness({ corpusDir, model: config.embeddingModel });
    for (const file of await strayFiles(corpusDir)) {
      io.stderr.write(`warning: ${join(corpusDir, file)} is not an article and is not indexed: articles are .md files with front matter; to add a page copied from the browser, run npm run add-article -- '${join(corpusDir, file)}' --outlet NAME --event LABEL\n`);
    }
    // Nothing changed: the live build stays, so a serving bot has nothing to reload.
    if (!args.force) {
      const freshness = await check();
      if (freshness.current) {
        io.stderr.write(`index in ${where} is up to date: nothing changed in the corpus or the model${args['if-stale'] ? '' : ' (--force builds it again)'}\n`);
        return 0;
      }
      if (args['if-stale']) io.stderr.write(`rebuilding the index: ${freshness.reason}\n`);
    }
    // Every problem of the articles is reported before the model (the slow part) loads.
    const prepared = await prepareCorpus({ dir: corpusDir });
    io.stderr.write(`loading embedding model ${config.embeddingModel}${config.modelsDir ? ` from ${config.modelsDir}` : ''}…\n`);
    const embedder = await createEmbedderFromConfig(config);
    try {
      let lastShown = 0;
      const onProgress = ({ embedded, total }: { embedded: number; total: number }) => {
        const now = Date.now();
        if (embedded === total || now - lastShown > 500) {
          lastShown = now;
          io.stderr.write(`embedding ${embedded}/${total} passages and sentences (${Math.round((100 * embedded) / total)}%)\n`);
        }
      };
      const summary = await backend.build({
        corpusDir,
        embedder,
        prepared,
        onProgress,
        onStep: (step) => io.stderr.write(`${step}\n`),
        // Replicas starting together each run `--if-stale`: one builds, the others wait for
        // it and then find the index up to date.
        waitForLock: args['if-stale'] === true,
        onWait: (holder) => io.stderr.write(`another build (${holder}) is writing the index; waiting for it\n`),
        stillNeeded: async () => !(args['if-stale'] && (await check()).current),
      });
      if (!summary) {
        io.stderr.write(`index in ${where} is up to date\n`);
        return 0;
      }
      const removed = summary.removedArticles.length > 0 ? `, removed ${summary.removedArticles.join(', ')}` : '';
      io.stdout.write(
        `index built in ${where}: ${summary.articles} articles (${summary.embeddedArticles} embedded, ${summary.reusedArticles} unchanged${removed}), ` +
          `${summary.chunks} chunks, ${summary.sentences} sentences, ${summary.seconds.toFixed(1)} s, model ${embedder.modelId}\n`,
      );
    } finally {
      await embedder.dispose();
    }
    return 0;
  },
});
