/**
 * The PostgreSQL store against the in-memory one on the real corpus: the same candidates,
 * features, decisions and answers for the development questions (every question of every set,
 * with two models, is the slow suite test/robustness/pg-parity.test.ts), the same spelling
 * repairs and term statistics for every word of every question, and builds that are
 * incremental, atomic and refuse another model or a second build.
 */
import { appendFile, cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnswerEngine, type ExplainingEngine } from '../../src/answer/engine.js';
import { paramsForModel } from '../../src/answer/params.js';
import type { PassageStore } from '../../src/answer/store.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { loadEnglishWords } from '../../src/core/dictionary.js';
import { isExpectedError } from '../../src/core/errors.js';
import { words } from '../../src/core/text.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { acquirePgBuildLock } from '../../src/indexer/pg-lock.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { SCHEMA } from '../../src/store/postgres/connect.js';
import { copyTemplateIndex, loadTestEmbedder, tempDir } from '../support/engine.js';
import { describeWithDatabase, useTestDatabase } from '../support/pg.js';
import { differingAnswers, QUESTION_SETS, questionsOf } from '../support/store-parity.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';


describeWithDatabase('PostgreSQL store', () => {
  const db = useTestDatabase();
  let embedder: Embedder;
  let files: { store: PassageStore; engine: ExplainingEngine; close: () => Promise<void> };
  let postgres: { store: PassageStore; engine: ExplainingEngine; build: string; close: () => Promise<void> };
  let cleanup: () => Promise<void>;
  let questions: string[];

  beforeAll(async () => {
    embedder = await loadTestEmbedder();
    const folder = await tempDir('quotes-pg-files-');
    cleanup = folder.cleanup;
    await copyTemplateIndex(folder.dir);
    const summary = await buildPgIndex({ url: db.url, corpusDir: SEED_CORPUS, embedder });
    expect(summary).toMatchObject({ articles: 5, embeddedArticles: 5, reusedArticles: 0 });
    const dictionary = await loadEnglishWords();
    const params = paramsForModel(embedder.modelId);
    const fromFiles = await loadEngine({ indexDir: folder.dir, embedder, dictionary, params });
    const fromDb = await loadEngine({ indexDir: folder.dir, databaseUrl: db.url, embedder, dictionary, params });
    files = { store: fromFiles.store, engine: createAnswerEngine({ store: fromFiles.store, embedder, params, dictionary }), close: fromFiles.close };
    postgres = { store: fromDb.store, engine: createAnswerEngine({ store: fromDb.store, embedder, params, dictionary }), build: fromDb.build, close: fromDb.close };
    questions = await questionsOf(QUESTION_SETS);
  }, 120_000);
  afterAll(async () => {
    await postgres?.close();
    await files?.close();
    await embedder?.dispose();
    await cleanup?.();
  });

  it('describes the same index: counts, model, articles in the same order', () => {
    // Each build records its own time; everything else is the same.
    expect({ ...postgres.store.info, builtAt: '' }).toEqual({ ...files.store.info, builtAt: '' });
    expect(postgres.store.articles).toEqual(files.store.articles);
  });

  it('gives every development question the same candidates, features, decision and answer', async () => {
    const dev = await questionsOf(['dev']);
    expect(dev.length).toBe(24);
    expect(await differingAnswers({ questions: dev, params: paramsForModel(embedder.modelId), a: files, b: postgres })).toEqual([]);
  });

  it('repairs the same misspellings and knows the same words', async () => {
    const asked = [...new Set(questions.flatMap((q) => words(q)))].filter((w) => w.length >= 4 && !/\d/.test(w));
    const typos = asked.slice(0, 200).flatMap((w) => [w.slice(0, -1), `${w.slice(0, 1)}${w.slice(2, 3)}${w.slice(1, 2)}${w.slice(3)}`, `${w}x`]);
    const [a, b] = [await files.store.spell([...asked, ...typos]), await postgres.store.spell([...asked, ...typos])];
    expect([...b.known]).toEqual([...a.known]);
    expect([...b.nearest]).toEqual([...a.nearest]);
    expect(a.nearest.size).toBeGreaterThan(100);
  });

  it('gives the same term statistics and lexicon for every word asked', async () => {
    const asked = [...new Set(questions.flatMap((q) => words(q)))];
    const [a, b] = [await files.store.describe(asked), await postgres.store.describe(asked)];
    expect(b.maxIdf).toBe(a.maxIdf);
    for (const w of asked) {
      expect([...b.related(w)], w).toEqual([...a.related(w)]);
      expect([...b.places(w)], w).toEqual([...a.places(w)]);
      for (const t of [w, ...a.related(w), ...a.places(w)]) expect(b.idf(t), t).toBe(a.idf(t));
    }
  });

  it('rebuilds incrementally: an unchanged corpus reuses every article, changed ones are embedded alone, a bot on the generation before still ranks only its own passages, and old generations go', async () => {
    const again = await buildPgIndex({ url: db.url, corpusDir: SEED_CORPUS, embedder });
    expect(again).toMatchObject({ articles: 5, embeddedArticles: 0, reusedArticles: 5, removedArticles: [] });
    expect(again?.build).not.toBe(postgres.build);
    // The generation before the live one is kept for bots still reloading: it answers.
    expect((await postgres.engine.answer('How many Russian troops are in Tajikistan?')).answered).toBe(true);
    const corpus = await tempDir('quotes-pg-corpus-');
    try {
      await cp(SEED_CORPUS, corpus.dir, { recursive: true });
      // The first article and one after it change (the second so that its new passages are not
      // the first article's, whose database rows come first).
      const [first, second] = (await readdir(corpus.dir)).filter((n) => n.endsWith('.md')).sort();
      await appendFile(join(corpus.dir, first ?? ''), '\n\nThe rebuild test added this paragraph about railway freight tariffs.\n');
      await appendFile(join(corpus.dir, second ?? ''), '\n\nA second paragraph the rebuild test added says grain exports rose by a third.\n');
      const before = await loadEngine({ indexDir: corpus.dir, databaseUrl: db.url, embedder });
      const changed = await buildPgIndex({ url: db.url, corpusDir: corpus.dir, embedder });
      expect(changed).toMatchObject({ articles: 5, embeddedArticles: 2, reusedArticles: 3 });
      const answer = await (await loadEngine({ indexDir: corpus.dir, databaseUrl: db.url, embedder })).engine.answer('railway freight tariffs');
      expect(answer.snippets.some((s) => s.quote.includes('railway freight tariffs'))).toBe(true);
      // HNSW searches both generations' passages: a bot still on the one before (the corpus
      // unchanged) ranks only its own, as the files of that corpus do.
      const stale = { store: before.store, engine: createAnswerEngine({ store: before.store, embedder, params: paramsForModel(embedder.modelId), dictionary: before.dictionary }) };
      const asked = [...(await questionsOf(['dev'])), 'railway freight tariffs', 'How much did grain exports rise?'];
      expect(await differingAnswers({ questions: asked, params: paramsForModel(embedder.modelId), a: files, b: stale })).toEqual([]);
      await before.close();
    } finally {
      await corpus.cleanup();
    }
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // The live generation and the one before it; the first build's is gone, and with it the
      // rows of the article versions no generation has any more (five, and two changed).
      const generations = await client.query(`SELECT name, state FROM ${SCHEMA}.generations ORDER BY id`);
      expect(generations.rows.map((r: { state: string }) => r.state)).toEqual(['ready', 'ready']);
      const articles = await client.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.articles`);
      expect(articles.rows[0]).toEqual({ n: 7 });
    } finally {
      await client.end();
    }
    // Two builds later the first generation is gone: a bot still on it is told to reload.
    await expect(postgres.engine.answer('How many Russian troops are in Tajikistan?')).rejects.toThrow(/no longer in the database .*reload/);
  }, 120_000);

  it('refuses an index built with another model, naming both', async () => {
    const other = { ...embedder, modelId: 'Xenova/all-MiniLM-L6-v2', dimensions: 384 };
    const error = await loadEngine({ indexDir: 'unused', databaseUrl: db.url, embedder: other }).catch((e: unknown) => e);
    expect(isExpectedError(error)).toBe(true);
    expect((error as Error).message).toMatch(/built with test-tiny-bert .* but EMBEDDING_MODEL is Xenova\/all-MiniLM-L6-v2/);
  });

  it('refuses a second build while one holds the lock, naming its pid', async () => {
    const lock = await acquirePgBuildLock({ url: db.url, role: 'build' });
    try {
      const error = await buildPgIndex({ url: db.url, corpusDir: SEED_CORPUS, embedder }).catch((e: unknown) => e);
      expect(isExpectedError(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`another build \\(pid ${process.pid}\\) is writing the index in database quotes_test_`));
    } finally {
      await lock.release();
    }
  });

  it('reports a damaged passage vector as a damaged index to rebuild, not a wrong answer', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TEMP TABLE kept AS SELECT article, position, vec FROM ${SCHEMA}.chunks`);
    try {
      await client.query(`UPDATE ${SCHEMA}.chunks SET vec = substring(vec FROM 1 FOR 8)`);
      const { engine, close } = await loadEngine({ indexDir: 'unused', databaseUrl: db.url, embedder });
      try {
        await expect(engine.answer('How many Russian troops are in Tajikistan?')).rejects.toThrow(/holds a passage vector that is not \d+ numbers \(damaged\); rebuild with npm run build-index/);
      } finally {
        await close();
      }
    } finally {
      await client.query(`UPDATE ${SCHEMA}.chunks c SET vec = k.vec FROM kept k WHERE k.article = c.article AND k.position = c.position`);
      await client.end();
    }
  });

  it('says how to build when the database has no index yet', async () => {
    const empty = await (await import('../support/pg.js')).createTestDatabase();
    try {
      const error = await loadEngine({ indexDir: 'unused', databaseUrl: empty.url, embedder }).catch((e: unknown) => e);
      expect(isExpectedError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^no index in database quotes_test_\w+ on .* \(DATABASE_URL\); run npm run build-index first$/);
    } finally {
      await empty.drop();
    }
  });
});
