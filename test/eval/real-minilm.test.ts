import { expect, it } from 'vitest';
import { BUNDLED_MODELS_DIR } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { describeRealModel } from '../support/real-model-eval.js';

/** The bundled model, always present: its answer quality is part of every test run. */
describeRealModel({
  profile: 'all-MiniLM-L6-v2',
  modelsDir: BUNDLED_MODELS_DIR,
  // Recorded (mean of 3 splits): hit@1 0.659, hit@3 0.821, answered 0.945, rejected 0.370.
  cvFloors: { hitAt1: 0.6, hitAt3: 0.76, answered: 0.91, rejected: 0.28, fidelity: 1 },
  // Measured: hit@1 0.90, hit@3 1, answered 1, rejected 1.
  devFloors: { hitAt1: 0.85, hitAt3: 0.9, answered: 0.95, rejected: 0.75 },
});

it('with no configuration the bundled model loads offline from models/', async () => {
  const embedder = await createTransformersEmbedder({ model: 'all-MiniLM-L6-v2', bundledDir: BUNDLED_MODELS_DIR });
  try {
    expect(embedder).toMatchObject({ modelId: 'Xenova/all-MiniLM-L6-v2', dimensions: 384 });
  } finally {
    await embedder.dispose();
  }
});
