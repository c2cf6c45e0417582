import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { bestIndexes, dot, fuseRanks, scoreRows, topIndexes, topRows, unit } from '../../src/core/vectors.js';
import { fusionDepth, RRF_K } from '../../src/answer/candidates.js';

describe('dot', () => {
  it.each([0, 1, 3, 4, 5, 7, 384])('of %i components is exactly the sum taken one component at a time', (n) => {
    const random = seededRandom(n + 1);
    const a = Float32Array.from({ length: n }, () => random() * 2 - 1);
    const b = Float32Array.from({ length: n + 2 }, () => random() * 2 - 1);
    let plain = 0;
    for (let i = 0; i < n; i++) plain += (a[i] ?? 0) * (b[i] ?? 0);
    expect(dot(a, b)).toBe(plain);
    expect(dot(b, a)).toBe(plain);
  });
});

describe('bestIndexes', () => {
  it.each([
    [[0.5, -0.9, 0, -0.1, 0.5], 3, [0, 4, 2]],
    [[-3, -1, -2], 2, [1, 2]],
    [[0, 0, 0], 2, [0, 1]],
  ])('best of %j (k=%i), zero and negative scores included, is %j', (scores, k, expected) => {
    expect(bestIndexes(Float64Array.from(scores), k)).toEqual(expected);
  });
});

describe('topIndexes', () => {
  it.each([
    [[0.5, 0.9, 0, 0.7, 0.9], 3, [1, 4, 3]],
    [[0.5, 0.9, 0, 0.7, 0.9], 10, [1, 4, 3, 0]],
    [[0, 0, 0], 2, []],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9], 4, [8, 7, 6, 5]],
  ])('top of %j (k=%i) is %j', (scores, k, expected) => {
    expect(topIndexes(Float64Array.from(scores), k)).toEqual(expected);
  });

  it('agrees with a full sort on random scores', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scores = Float64Array.from({ length: 2000 }, () => Math.round(random() * 50) / 50);
    const sorted = [...scores.keys()].filter((i) => (scores[i] ?? 0) > 0).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    expect(topIndexes(scores, 100)).toEqual(sorted.slice(0, 100));
  });

  it('asked for at least as many as there are, returns them all in the same order as the heap would', () => {
    const scores = Float64Array.from([0.2, -0.4, 0.9, 0, 0.2, 0.9, 0.1]);
    expect(topIndexes(scores, 7)).toEqual([2, 5, 0, 4, 6]);
    expect(topIndexes(scores, 50)).toEqual(topIndexes(scores, 5));
    expect(bestIndexes(scores, 50)).toEqual([2, 5, 0, 4, 6, 3, 1]);
    expect(bestIndexes(scores, 7)).toEqual(bestIndexes(scores, 6).concat([1]));
  });
});

describe('topRows', () => {
  it('picks from scores known for some rows as topIndexes picks from the full array', () => {
    const full = Float64Array.from([0, 0.5, 0, 0.9, 0.5, -0.2, 0.7]);
    const known = new Map([[6, 0.7], [4, 0.5], [1, 0.5], [3, 0.9], [5, -0.2]]);
    expect(topRows(known, 4)).toEqual(topIndexes(full, 4));
    expect(topRows(known, 4)).toEqual([3, 6, 1, 4]);
  });
});

describe('fuseRanks', () => {
  it('ranks, not raw scores, are summed: high in both lists beats high in one', () => {
    const dense = Float64Array.from([0.9, 0.8, 0.1]);
    const lexical = Float64Array.from([5, 0, 4]);
    // row 0: 1/61 + 1/61; row 2: 1/63 + 1/62; row 1: 1/62 only.
    expect(fuseRanks({ rankings: [dense, lexical], depth: 10, k: 60 })).toEqual([0, 2, 1]);
  });

  it('rows no ranking scores above zero are left out', () => {
    expect(fuseRanks({ rankings: [Float64Array.from([0, 0])], depth: 10, k: 60 })).toEqual([]);
  });

  it('read fusionDepth(passages) deep, puts in its top passages only rows that one of the cut lists holds', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 200; round++) {
      const n = 600;
      const passages = 1 + Math.floor(random() * 60);
      const depth = fusionDepth(passages);
      // Correlated lists, as dense and BM25 are: a shared part and each list's own noise.
      const shared = Array.from({ length: n }, () => random());
      const dense = Float64Array.from(shared, (x) => x + random());
      const lexical = Float64Array.from(shared, (x) => x + 2 * random());
      const complete = fuseRanks({ rankings: [dense, lexical], depth: n, k: RRF_K }).slice(0, passages);
      const held = new Set([...topIndexes(dense, depth), ...topIndexes(lexical, depth)]);
      expect(complete.filter((row) => !held.has(row))).toEqual([]);
    }
  });
});

describe('unit and scoreRows', () => {
  it('scores every row by cosine with the query', () => {
    const rows = [unit([1, 0]), unit([1, 1]), unit([0, 2])];
    const matrix = new Float32Array(6);
    rows.forEach((r, i) => matrix.set(r, i * 2));
    const scores = scoreRows({ matrix, dimensions: 2, query: unit([1, 0]) });
    expect([...scores].map((s) => Number(s.toFixed(4)))).toEqual([1, 0.7071, 0]);
  });

  it('a zero or non-finite vector becomes all zeros, matching nothing', () => {
    expect([...unit([0, 0])]).toEqual([0, 0]);
    expect([...unit([Number.NaN, 1])]).toEqual([0, 0]);
  });
});
