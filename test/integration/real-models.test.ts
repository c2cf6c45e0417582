import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { loadEngine } from '../../src/engine/load-engine.js';
import { buildIndex } from '../../src/index/build.js';
import { expectDevTargets, runDevEval } from '../helpers/dev-eval.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Real embedding weights, when a machine provides them beside the project (transformers.js
 * layout: <dir>/<org>/<model>/config.json). Without them this suite is skipped; the generated
 * model stands in everywhere else.
 */
const REAL_MODELS_DIR = resolve(process.env.REAL_MODELS_DIR ?? '../shared/models');

function findModels(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const org of readdirSync(dir, { withFileTypes: true })) {
    if (!org.isDirectory()) continue;
    for (const model of readdirSync(join(dir, org.name), { withFileTypes: true })) {
      if (model.isDirectory() && existsSync(join(dir, org.name, model.name, 'config.json'))) found.push(`${org.name}/${model.name}`);
    }
  }
  return found;
}

const models = findModels(REAL_MODELS_DIR);

describe.skipIf(models.length === 0)('real embedding models', () => {
  it.each(models)('%s answers the development questions with verbatim quotes and meets the targets', async (model) => {
    const embedder = await createTransformersEmbedder({ model, modelsDir: REAL_MODELS_DIR });
    const { dir: indexDir, cleanup } = await tempDir('real-model-index-');
    try {
      await buildIndex({ corpusDir: 'corpus', indexDir, embedder });
      const { engine } = await loadEngine({ indexDir, embedder });
      expectDevTargets((await runDevEval(engine)).metrics);
    } finally {
      await embedder.dispose();
      await cleanup();
    }
  }, 300_000);
});
