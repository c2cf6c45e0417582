import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIndex } from '../../src/indexer/build-index.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { generateTestModel, TEST_MODEL, TEST_MODELS_DIR } from '../../tools/test-model/generate.js';
import { startPgServer } from '../../tools/pg/pgserver.js';
import { SEED_CORPUS } from './seed-corpus.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An index of the real corpus built with the generated model, to copy (never to write to). */
    templateIndex: string;
    /** A PostgreSQL server with pgvector, as a superuser URL; '' when none could be started. */
    databaseUrl: string;
    /** Why there is no PostgreSQL server, when there is none. */
    databaseUnavailable: string;
  }
}

/**
 * A PostgreSQL server for the run: TEST_DATABASE_URL when given (a server with pgvector where
 * this user may create databases), else a private pgserver started for the run.
 */
async function startDatabase(): Promise<{ url: string; stop: () => Promise<void> } | { unavailable: string }> {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) return { url: given, stop: async () => {} };
  const started = await startPgServer({ log: (line) => console.warn(line) });
  return 'server' in started ? started.server : started;
}

/**
 * Once per run: generates the offline test model (so no test ever downloads one), builds
 * the real corpus into a template index that tests copy instead of each building its own, and
 * starts a PostgreSQL server (tests make their own databases in it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The quick suite never needs a server: starting one cost it seconds and, on a busy machine, minutes.
  const database: Promise<{ url: string; stop: () => Promise<void> } | { unavailable: string }> =
    project.name === 'unit' ? Promise.resolve({ unavailable: 'the quick suite (npm test) runs without PostgreSQL; npm run test:pg and test:quality use it' }) : startDatabase();
  const corpus = SEED_CORPUS;
  const names = (await readdir(corpus)).filter((n) => n.endsWith('.md'));
  const texts = await Promise.all(names.map((n) => readFile(join(corpus, n), 'utf8')));
  await generateTestModel({ outDir: join(TEST_MODELS_DIR, TEST_MODEL), texts });
  const templateIndex = await mkdtemp(join(tmpdir(), 'quotes-template-index-'));
  const embedder = await createTransformersEmbedder({ model: TEST_MODEL, modelsDir: TEST_MODELS_DIR });
  try {
    await buildIndex({ corpusDir: corpus, indexDir: templateIndex, embedder });
  } finally {
    await embedder.dispose();
  }
  project.provide('templateIndex', templateIndex);
  const db = await database;
  if ('url' in db) {
    project.provide('databaseUrl', db.url);
    project.provide('databaseUnavailable', '');
  } else {
    // Visible in every run's output: the PostgreSQL suites are skipped, not passed.
    if (project.name !== 'unit') console.warn(`\nNOTICE: the PostgreSQL suites are skipped: ${db.unavailable}\n`);
    project.provide('databaseUrl', '');
    project.provide('databaseUnavailable', db.unavailable);
  }
  return async () => {
    await rm(templateIndex, { recursive: true, force: true });
    if ('stop' in db) await db.stop();
  };
}
