import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramsForModel } from '../../src/answer/params.js';
import { resolveProfile } from '../../src/embedding/profiles.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { createReaderFor, loadEngine } from '../../src/app/serving/load-engine.js';
import type { Reader } from '../../src/embedding/reader.js';
import { crossValidate, DEFAULT_FIT_SETTINGS, withCandidateSettings } from '../../src/eval/fit.js';
import { parseQuestions, type EvalMetrics } from '../../src/eval/metrics.js';
import { openWorkbench, type Workbench } from '../../src/eval/workbench.js';
import { expectDevTargets, runDevEval, type DevFloors } from './dev-eval.js';

/**
 * Answer quality with real weights: the bundled all-MiniLM-L6-v2 always, and
 * multilingual-e5-small when a machine has it beside the project (REAL_MODELS_DIR, or
 * ../shared/models, in transformers.js layout). Floors sit a few points under the
 * cross-validated scores recorded with each model's params (one split here, the mean of
 * three there), so a change that makes answers worse fails here.
 */
export const REAL_MODELS_DIR = resolve(process.env.REAL_MODELS_DIR ?? '../shared/models');

export interface RealModel {
  profile: string;
  modelsDir: string;
  /**
   * Floors of the params cross-validated on the training questions. Absent for a model
   * fine-tuned on them: it has seen those questions, so only sets it never saw can judge it.
   */
  cvFloors?: Omit<EvalMetrics, 'questions' | 'longQuotes' | 'mrrAt5'>;
  devFloors: DevFloors;
  /** Floors on further question sets nothing was fitted or fine-tuned on, by file. */
  unseenFloors?: Readonly<Record<string, DevFloors>>;
  /** For a multilingual model: floors on the development questions asked in Russian. */
  russianDevFloors?: DevFloors;
}

/**
 * The evaluation of one real model: cross-validated on the training questions and on the
 * development set, above its floors. Skipped, with a visible notice, when its weights are absent.
 */
export function describeRealModel(model: RealModel): void {
  const present = existsSync(join(model.modelsDir, resolveProfile(model.profile).modelId, 'onnx', 'model_quantized.onnx'));
  // Visible in the run's output, so a skipped model is never mistaken for a passing one.
  if (!present) console.warn(`real-model evaluation of ${model.profile} skipped: no weights in ${model.modelsDir}`);
  describe.skipIf(!present)(`${model.profile} with real weights`, () => {
  let embedder: Embedder;
  let bench: Workbench;
  /** The reader the profile's params name, as the product loads it (none for most profiles). */
  let reader: Reader | undefined;
  beforeAll(async () => {
    embedder = await createTransformersEmbedder({ model: model.profile, modelsDir: model.modelsDir });
    reader = await createReaderFor({ params: paramsForModel(model.profile), modelsDir: model.modelsDir });
    bench = await openWorkbench({ corpusDir: 'test/fixtures/corpus', embedder });
  }, 120_000);
  afterAll(async () => {
    await bench?.dispose();
    await reader?.dispose();
    await embedder?.dispose();
  });
  const servedEngine = async () => (await loadEngine({ indexDir: bench.indexDir, embedder, ...(reader ? { reader } : {}) })).engine;

  const cvFloors = model.cvFloors;
  if (cvFloors) it('cross-validated on the training questions, it stays above the floors', async () => {
    const questions = parseQuestions(await readFile('test/fixtures/train-questions.jsonl', 'utf8'), 'train');
    const examples = await bench.examples({ questions, params: withCandidateSettings(paramsForModel(model.profile), DEFAULT_FIT_SETTINGS) });
    const { metrics } = crossValidate({ examples, articles: bench.store.articles, settings: DEFAULT_FIT_SETTINGS, corpus: bench.corpus, profile: model.profile, modelId: embedder.modelId });
    console.info(`${model.profile} cross-validated (one split of 5 folds): hit@1 ${metrics.hitAt1.toFixed(3)}, hit@3 ${metrics.hitAt3.toFixed(3)}, answered ${metrics.answered.toFixed(3)}, rejected ${metrics.rejected.toFixed(3)}`);
    for (const [name, floor] of Object.entries(cvFloors)) expect(metrics[name as keyof EvalMetrics], name).toBeGreaterThanOrEqual(floor);
    expect(metrics.longQuotes).toBe(0);
  }, 300_000);

  it('answers the development questions above the floors, with the committed params', async () => {
    const engine = await servedEngine();
    const { metrics } = await runDevEval(engine);
    console.info(`${model.profile} on the development questions: hit@1 ${metrics.hitAt1.toFixed(3)}, hit@3 ${metrics.hitAt3.toFixed(3)}, answered ${metrics.answered.toFixed(3)}, rejected ${metrics.rejected.toFixed(3)}`);
    expectDevTargets(metrics, model.devFloors);
    const troops = await engine.answer('How many Russian troops are in Tajikistan?');
    expect(troops.snippets[0]?.quote).toContain('7,000 troops');
  }, 300_000);

  for (const [file, floors] of Object.entries(model.unseenFloors ?? {})) {
    it(`answers ${file} (never fitted on) above the floors`, async () => {
      const { metrics } = await runDevEval(await servedEngine(), file);
      console.info(`${model.profile} on ${file}: hit@1 ${metrics.hitAt1.toFixed(3)}, hit@3 ${metrics.hitAt3.toFixed(3)}, answered ${metrics.answered.toFixed(3)}, rejected ${metrics.rejected.toFixed(3)}`);
      expectDevTargets(metrics, floors);
    }, 300_000);
  }

  // Only a multilingual model has Russian floors: an English-only one declines those questions.
  const russianFloors = model.russianDevFloors;
  if (russianFloors) {
    it('answers the development questions asked in Russian above the floors', async () => {
      const { metrics } = await runDevEval(await servedEngine(), 'test/fixtures/ru-questions.jsonl');
      console.info(`${model.profile} on the Russian development questions: hit@1 ${metrics.hitAt1.toFixed(3)}, hit@3 ${metrics.hitAt3.toFixed(3)}, answered ${metrics.answered.toFixed(3)}, rejected ${metrics.rejected.toFixed(3)}`);
      expectDevTargets(metrics, russianFloors);
    }, 300_000);
  }
  });
}
