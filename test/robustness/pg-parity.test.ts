/**
 * Identical answers from both stores on the real corpus, for every question of every set
 * (375) and each model at hand: the generated one, the bundled all-MiniLM-L6-v2 and, when a
 * copy is beside the project, multilingual-e5-small. Both indexes are built from scratch, as
 * an operator would, one into files and one into PostgreSQL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/answer/engine.js';
import { paramsForModel } from '../../src/answer/params.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { loadEnglishWords } from '../../src/core/dictionary.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { BUNDLED_MODELS_DIR, resolveProfile } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { runEval } from '../../src/eval/run.js';
import { parseQuestions } from '../../src/eval/metrics.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { readFile } from 'node:fs/promises';
import { tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { createTestDatabase, describeWithDatabase } from '../support/pg.js';
import { REAL_MODELS_DIR } from '../support/real-model-eval.js';
import { differingAnswers, QUESTION_SETS, questionsOf } from '../support/store-parity.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const MODELS = [
  { profile: TEST_MODEL, modelsDir: TEST_MODELS_DIR },
  { profile: 'all-MiniLM-L6-v2', modelsDir: BUNDLED_MODELS_DIR },
  { profile: 'multilingual-e5-small', modelsDir: REAL_MODELS_DIR },
].filter((m) => {
  const present = existsSync(join(m.modelsDir, resolveProfile(m.profile).modelId, 'onnx', 'model_quantized.onnx')) || m.profile === TEST_MODEL;
  if (!present) console.warn(`store parity with ${m.profile} skipped: no weights in ${m.modelsDir}`);
  return present;
});

describeWithDatabase('both stores answer alike', () => {
  describe.each(MODELS)('$profile', ({ profile, modelsDir }) => {
    let embedder: Embedder;
    let cleanup: Array<() => Promise<void>> = [];
    let files: Awaited<ReturnType<typeof loadEngine>>;
    let postgres: Awaited<ReturnType<typeof loadEngine>>;

    beforeAll(async () => {
      embedder = await createTransformersEmbedder({ model: profile, modelsDir });
      const folder = await tempDir('quotes-parity-');
      const database = await createTestDatabase();
      cleanup = [folder.cleanup, database.drop];
      await buildIndex({ corpusDir: SEED_CORPUS, indexDir: folder.dir, embedder });
      await buildPgIndex({ url: database.url, corpusDir: SEED_CORPUS, embedder });
      const dictionary = await loadEnglishWords();
      files = await loadEngine({ indexDir: folder.dir, embedder, dictionary });
      postgres = await loadEngine({ indexDir: folder.dir, databaseUrl: database.url, embedder, dictionary });
    }, 240_000);
    afterAll(async () => {
      await postgres?.close();
      await files?.close();
      await embedder?.dispose();
      for (const c of cleanup.reverse()) await c();
    });

    it('every question of every set gets the same candidates, features, decision and answer', async () => {
      const questions = await questionsOf(QUESTION_SETS);
      expect(questions.length).toBe(375);
      const params = paramsForModel(embedder.modelId);
      const engine = (store: typeof files.store) => ({ store, engine: createAnswerEngine({ store, embedder, params, dictionary: files.dictionary }) });
      expect(await differingAnswers({ questions, params, a: engine(files.store), b: engine(postgres.store) })).toEqual([]);
    }, 600_000);

    it('the development set scores the same', async () => {
      const questions = parseQuestions(await readFile('test/fixtures/dev-questions.jsonl', 'utf8'), 'dev');
      const corpus = (await loadCorpus({ dir: SEED_CORPUS })).map((a) => a.body);
      const [a, b] = [await runEval({ engine: files.engine, questions, corpus }), await runEval({ engine: postgres.engine, questions, corpus })];
      expect(b.metrics).toEqual(a.metrics);
      expect(b.outcomes).toEqual(a.outcomes);
      console.info(`${profile}, dev set on both stores: hit@1 ${a.metrics.hitAt1.toFixed(3)}, hit@3 ${a.metrics.hitAt3.toFixed(3)}, answered ${a.metrics.answered.toFixed(3)}, rejected ${a.metrics.rejected.toFixed(3)}`);
    }, 300_000);
  });
});
