import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramsForModel } from '../../src/answer/params.js';
import { crossValidate, DEFAULT_FIT_SETTINGS, fitParams, foldAssignment, outOfFold, withCandidateSettings, type FitExample } from '../../src/eval/fit.js';
import { parseQuestions } from '../../src/eval/metrics.js';
import { openWorkbench, type Workbench } from '../../src/eval/workbench.js';
import { loadTestEmbedder, TEST_MODEL } from '../support/engine.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

describe('folds', () => {
  it('the same seed deals the same folds, every fold gets a fair share', () => {
    const folds = foldAssignment(23, 5, 7);
    expect(foldAssignment(23, 5, 7)).toEqual(folds);
    expect(foldAssignment(23, 5, 8)).not.toEqual(folds);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('outOfFold applies to each item a model fitted without it', () => {
    const items = Array.from({ length: 17 }, (_, i) => i);
    const seen = outOfFold({ items, folds: 4, seed: 3, fit: (train) => new Set(train), apply: (model, item) => model.has(item) });
    expect(seen).toEqual(items.map(() => false));
  });
});

describe('fitting on the training questions (generated model)', () => {
  let embedder: Embedder;
  let bench: Workbench;
  let examples: FitExample[];
  beforeAll(async () => {
    embedder = await loadTestEmbedder();
    bench = await openWorkbench({ corpusDir: SEED_CORPUS, embedder });
    const questions = parseQuestions(await readFile('test/fixtures/train-questions.jsonl', 'utf8'), 'train');
    examples = await bench.examples({ questions, params: withCandidateSettings(paramsForModel(TEST_MODEL), DEFAULT_FIT_SETTINGS) });
  });
  afterAll(async () => {
    await bench?.dispose();
    await embedder?.dispose();
  });

  it('reproduces the committed params (npm run eval -- --fit is deterministic)', () => {
    const committed = paramsForModel(TEST_MODEL);
    const fitted = fitParams({ examples, articles: bench.store.articles, settings: DEFAULT_FIT_SETTINGS, profile: TEST_MODEL, modelId: embedder.modelId });
    const close = (a: number[], b: number[]): void => {
      expect(a).toHaveLength(b.length);
      a.forEach((x, i) => expect(x).toBeCloseTo(b[i] ?? NaN, 3));
    };
    expect(fitted.ranker.columns).toEqual(committed.ranker.columns);
    close(fitted.ranker.weights, committed.ranker.weights);
    close(fitted.decision.weights, committed.decision.weights);
    expect(fitted.decision.threshold).toBeCloseTo(committed.decision.threshold, 3);
    expect(fitted.snippets.maxGap).toBeCloseTo(committed.snippets.maxGap, 3);
  }, 60_000);

  it("cross-validation never learns from the questions it scores: changing a held-out fold's answers changes none of its scores", () => {
    const subset = examples.slice(0, 120);
    const settings = { ...DEFAULT_FIT_SETTINGS, folds: 3 };
    const run = (items: FitExample[]) => crossValidate({ examples: items, articles: bench.store.articles, settings, corpus: bench.corpus, profile: TEST_MODEL, modelId: embedder.modelId });
    const folds = foldAssignment(subset.length, settings.folds, settings.seed + 2);
    const poisoned = subset.map((e, i) => (folds[i] === 0 ? { ...e, question: { ...e.question, answerable: !e.question.answerable, evidence: ['zzz'] } } : e));
    const a = run(subset).outcomes;
    const b = run(poisoned).outcomes;
    subset.forEach((_, i) => {
      if (folds[i] === 0) expect(b[i]?.answer).toEqual(a[i]?.answer);
    });
    // …and the labels do matter where they are learned from.
    expect(subset.some((_, i) => folds[i] !== 0 && JSON.stringify(b[i]?.answer) !== JSON.stringify(a[i]?.answer))).toBe(true);
  }, 120_000);
});
