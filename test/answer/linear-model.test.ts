import { describe, expect, it } from 'vitest';
import { bindModel, sigmoid } from '../../src/answer/linear-model.js';
import { parseRankingParams, unfittedParams } from '../../src/answer/ranking-params.js';
import { paramsForModel } from '../../src/answer/params.js';

describe('linear models', () => {
  const model = { columns: ['b', 'a'], mean: [1, 0], scale: [2, 1], weights: [4, -1], bias: 0.5 };

  it('scores bias + Σ weight·(value − mean)/scale, by column name', () => {
    expect(bindModel(model, ['a', 'b', 'c']).score([3, 5, 100])).toBeCloseTo(0.5 + (4 * (5 - 1)) / 2 - 3, 12);
  });

  it('refuses params that name a column the features lack', () => {
    expect(() => bindModel(model, ['a'])).toThrow(/unknown column "b".*--fit/);
  });

  it.each([
    [0, 0.5],
    [40, 1],
    [-40, 0],
  ])('sigmoid(%d) ≈ %d and stays finite', (x, p) => {
    expect(sigmoid(x)).toBeCloseTo(p, 9);
  });
});

describe('ranking params', () => {
  it.each(['all-MiniLM-L6-v2', 'all-MiniLM-L6-v2-dushanbe', 'multilingual-e5-small', 'test-tiny-bert'])('%s has fitted params with their cross-validated scores', (profile) => {
    const params = paramsForModel(profile);
    expect(params.profile).toBe(profile);
    expect(params.fit?.crossValidated.hitAt1).toBeGreaterThan(0);
    expect(params.fit?.questions).toBe('test/fixtures/train-questions.jsonl');
  });

  it('a model nobody fitted gets the safe unfitted params', () => {
    expect(paramsForModel('org/some-other-model')).toMatchObject({ modelId: 'org/some-other-model', fit: null });
  });

  it.each([
    ['not an object', null, /not an object/],
    ['a ranker without weights', { ...unfittedParams({ profile: 'p', modelId: 'm' }), ranker: { columns: ['x'], mean: [0], scale: [1], bias: 0 } }, /ranker/],
    ['a fractional sentence cut', { ...unfittedParams({ profile: 'p', modelId: 'm' }), sentences: 2.5 }, /sentences/],
    ['no threshold', { ...unfittedParams({ profile: 'p', modelId: 'm' }), decision: { columns: [], mean: [], scale: [], weights: [], bias: 0 } }, /threshold/],
  ])('parseRankingParams refuses %s, naming the file and the fix', (_name, json, message) => {
    expect(() => parseRankingParams(json, 'p.json')).toThrow(message);
    expect(() => parseRankingParams(json, 'p.json')).toThrow(/p\.json.*refit/);
  });
});
