import { cp, mkdtemp, rm } from 'node:fs/promises';
import { inject } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../src/embedding/embedder.js';
import { BUNDLED_MODELS_DIR, DEFAULT_PROFILE } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { type EngineOptions, loadEngine } from '../../src/app/serving/load-engine.js';
import { buildIndex } from '../../src/indexer/build-index.js';

/** Settings every test uses: the generated model, loaded offline. */
export { TEST_MODEL, TEST_MODELS_DIR } from '../../tools/test-model/generate.js';
import { TEST_MODEL, TEST_MODELS_DIR } from '../../tools/test-model/generate.js';
import { SEED_CORPUS } from './seed-corpus.js';

export function loadTestEmbedder(): Promise<Embedder> {
  return createTransformersEmbedder({ model: TEST_MODEL, modelsDir: TEST_MODELS_DIR });
}

/** The default real model shipped in models/ (all-MiniLM-L6-v2 fine-tuned here), for tests of answer quality. */
export function loadBundledEmbedder(): Promise<Embedder> {
  return createTransformersEmbedder({ model: DEFAULT_PROFILE, modelsDir: BUNDLED_MODELS_DIR });
}

/** A temporary folder removed by the returned cleanup. */
export async function tempDir(prefix = 'quotes-bot-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Builds an index of the real corpus with the test model into a temporary INDEX_DIR, for a
 * program started in another process. Call `cleanup` in afterAll.
 */
export async function buildTestIndex(options: { corpusDir?: string } = {}): Promise<{ indexDir: string; cleanup: () => Promise<void> }> {
  const { dir: indexDir, cleanup } = await tempDir('quotes-index-');
  if (options.corpusDir === undefined) {
    await copyTemplateIndex(indexDir);
    return { indexDir, cleanup };
  }
  const embedder = await loadTestEmbedder();
  try {
    await buildIndex({ corpusDir: options.corpusDir, indexDir, embedder });
  } finally {
    await embedder.dispose();
  }
  return { indexDir, cleanup };
}

/** Copies the index of the real corpus built once per run (generated model) into a folder. */
export async function copyTemplateIndex(indexDir: string): Promise<void> {
  await cp(inject('templateIndex'), indexDir, { recursive: true });
}

/**
 * Builds an index of the real corpus into a temporary INDEX_DIR and loads an engine on it: with
 * the generated model, the bundled one, or a real profile from a models folder. Call `close` in
 * afterAll.
 */
export async function createTestEngine(options: EngineOptions & { corpusDir?: string; model?: 'generated' | 'bundled' | { profile: string; modelsDir: string } } = {}) {
  const { corpusDir = SEED_CORPUS, model = 'generated', ...engineOptions } = options;
  const embedder =
    model === 'bundled' ? await loadBundledEmbedder()
    : model === 'generated' ? await loadTestEmbedder()
    : await createTransformersEmbedder({ model: model.profile, modelsDir: model.modelsDir });
  const { dir: indexDir, cleanup } = await tempDir('quotes-index-');
  // The real corpus with the generated model is built once per run; copying it is enough.
  if (model === 'generated' && corpusDir === SEED_CORPUS) await copyTemplateIndex(indexDir);
  else await buildIndex({ corpusDir, indexDir, embedder });
  const loaded = await loadEngine({ indexDir, embedder, ...engineOptions });
  return {
    ...loaded,
    embedder,
    indexDir,
    close: async () => {
      await embedder.dispose();
      await cleanup();
    },
  };
}
