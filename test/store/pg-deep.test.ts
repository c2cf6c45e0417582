/**
 * Both stores on a corpus larger than the fusion depth, where each ranking is cut: the real
 * corpus has 41 passages, which every depth covers, so only here do the cut rankings (HNSW's
 * nearest passages, each term's postings read best first up to a limit) meet the in-memory
 * scans.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/answer/engine.js';
import { paramsForModel } from '../../src/answer/params.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import type { PassageStore } from '../../src/answer/store.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { loadEnglishWords } from '../../src/core/dictionary.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { fusionDepth } from '../../src/answer/candidates.js';
import { HNSW_EF_SEARCH, SCHEMA } from '../../src/store/postgres/connect.js';
import { writeSyntheticCorpus } from '../../bench/synthetic-corpus.js';
import { loadTestEmbedder, tempDir } from '../support/engine.js';
import { describeWithDatabase, useTestDatabase } from '../support/pg.js';
import { differingAnswers, questionsOf } from '../support/store-parity.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

describeWithDatabase('both stores on a corpus deeper than fusion reads', () => {
  const db = useTestDatabase();
  let embedder: Embedder;
  let files: Awaited<ReturnType<typeof loadEngine>>;
  let postgres: Awaited<ReturnType<typeof loadEngine>>;
  let filesCut: Awaited<ReturnType<typeof loadEngine>>;
  let postgresCut: Awaited<ReturnType<typeof loadEngine>>;
  let cleanup: () => Promise<void>;
  let cleanupDir: string;

  beforeAll(async () => {
    embedder = await loadTestEmbedder();
    const folder = await tempDir('quotes-pg-deep-');
    cleanup = folder.cleanup;
    cleanupDir = folder.dir;
    const corpusDir = join(folder.dir, 'corpus');
    const indexDir = join(folder.dir, 'index');
    await writeSyntheticCorpus({ sourceDir: SEED_CORPUS, outDir: corpusDir, count: 60, seed: 7 });
    await buildIndex({ corpusDir, indexDir, embedder });
    await buildPgIndex({ url: db.url, corpusDir, embedder });
    const dictionary = await loadEnglishWords();
    files = await loadEngine({ indexDir, embedder, dictionary });
    postgres = await loadEngine({ indexDir, databaseUrl: db.url, embedder, dictionary });
    filesCut = await loadEngine({ indexDir, embedder, dictionary, postingsPerTerm: CUT });
    postgresCut = await loadEngine({ indexDir, databaseUrl: db.url, embedder, dictionary, postingsPerTerm: CUT });
  }, 180_000);
  afterAll(async () => {
    await postgresCut?.close();
    await filesCut?.close();
    await postgres?.close();
    await files?.close();
    await embedder?.dispose();
    await cleanup?.();
  });

  const params = (): RankingParams => paramsForModel(embedder.modelId);
  const engine = (store: PassageStore, p: RankingParams) => ({ store, engine: createAnswerEngine({ store, embedder, params: p, dictionary: files.dictionary }) });
  const engines = (p: RankingParams) => ({ a: engine(files.store, p), b: engine(postgres.store, p) });

  it.each([40, 8])('takes the same candidates from the %i best passages for every development question', async (passages) => {
    const p = { ...params(), passages };
    // The corpus must be deeper than what fusion reads, or nothing is cut.
    expect(files.store.info.chunks).toBeGreaterThan(2 * fusionDepth(passages));
    const dev = await questionsOf(['dev']);
    expect(await differingAnswers({ questions: dev, params: p, ...engines(p) })).toEqual([]);
  }, 120_000);

  it('searches HNSW wider when the fusion depth asks for more passages than it keeps by default', async () => {
    const passages = 400;
    const p = { ...params(), passages };
    // Fusion reads 860 deep and the store asks HNSW for 1,720 (it gets 1,000, pgvector's
    // most): beyond its usual search list, and beyond the corpus's passages.
    expect(2 * fusionDepth(passages)).toBeGreaterThan(HNSW_EF_SEARCH);
    expect(files.store.info.chunks).toBeGreaterThan(HNSW_EF_SEARCH);
    const dev = await questionsOf(['dev']);
    expect(await differingAnswers({ questions: dev.slice(0, 8), params: p, ...engines(p) })).toEqual([]);
  }, 120_000);

  it('reads the same best postings of each term when a limit cuts the lists', async () => {
    const p = params();
    const dev = await questionsOf(['dev']);
    expect(await differingAnswers({ questions: dev, params: p, a: engine(filesCut.store, p), b: engine(postgresCut.store, p) })).toEqual([]);
    // The limit is low enough to change what some questions get: the lists were cut.
    expect((await differingAnswers({ questions: dev, params: p, a: engine(files.store, p), b: engine(filesCut.store, p) })).length).toBeGreaterThan(0);
  }, 120_000);

  it('reads every posting of a generation built before postings were stored best first', async () => {
    const p = params();
    const dev = await questionsOf(['dev']);
    const pool = new pg.Pool({ connectionString: db.url });
    let old: Awaited<ReturnType<typeof loadEngine>> | undefined;
    try {
      await pool.query(`UPDATE ${SCHEMA}.generations SET postings_best_first = false`);
      old = await loadEngine({ indexDir: join(cleanupDir, 'index'), databaseUrl: db.url, embedder, dictionary: files.dictionary, postingsPerTerm: CUT });
      // No cut: the same as the files read whole, whatever the limit says.
      expect(await differingAnswers({ questions: dev, params: p, a: engine(files.store, p), b: engine(old.store, p) })).toEqual([]);
    } finally {
      await old?.close();
      await pool.query(`UPDATE ${SCHEMA}.generations SET postings_best_first = true`);
      await pool.end();
    }
  }, 120_000);
});

/** Postings read per term in the cut stores: far fewer than the corpus's common words have. */
const CUT = 12;
