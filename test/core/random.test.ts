import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, stays in [0, 1), and differs for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });

  it('gives the same numbers on every machine (mulberry32)', () => {
    const random = seededRandom(1);
    expect(Array.from({ length: 3 }, () => random().toFixed(10))).toEqual(['0.6270739406', '0.0027357212', '0.5274470400']);
  });
});
