import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIndex } from '../../src/indexer/build-index.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { generateTestModel, TEST_MODEL, TEST_MODELS_DIR } from '../../tools/test-model/generate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An index of the real corpus built with the generated model, to copy (never to write to). */
    templateIndex: string;
  }
}

/**
 * Once per run: generates the offline test model (so no test ever downloads one) and builds
 * the real corpus into a template index that tests copy instead of each building its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const corpus = 'corpus';
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
  return () => rm(templateIndex, { recursive: true, force: true });
}
