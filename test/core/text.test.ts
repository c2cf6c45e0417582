import { describe, expect, it } from 'vitest';
import { Bm25Index, readPostings } from '../../src/core/bm25.js';
import { normalizeNumbers, normalizeText, stem, terms } from '../../src/core/text.js';

describe('normalizeNumbers gives money and number forms one spelling', () => {
  it.each([
    ['around $45bn', 'around 45 billion usd'],
    ['over $45 billion', 'over 45 billion usd'],
    ['just over 45 billion USD', 'just over 45 billion usd'],
    ['US$1.13 billion', '1.13 billion usd'],
    ['1,357-kilometer border', '1357-kilometer border'],
    ['risen by more than 17%', 'risen by more than 17 percent'],
    ['45bn dollars', '45 billion usd'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeNumbers(input).toLowerCase()).toBe(expected);
  });
});

describe('normalizeText', () => {
  it('straightens quotes and dashes, drops zero-width characters, collapses space', () => {
    expect(normalizeText('Russia’s  “good\u200b result” – 2025')).toBe('Russia\'s "good result" - 2025');
  });
});

describe('terms', () => {
  it.each([
    ["How much was Russia's trade last year?", ['russia', 'trade', 'last', 'year']],
    ['Who founded BTK Group?', ['found', 'btk', 'group']],
    ['$45bn', ['45', 'billion', 'usd']],
  ])('%s', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it('meets inflected forms on one stem', () => {
    expect(stem('sanctioned')).toBe(stem('sanction'));
    expect(stem('troops')).toBe(stem('troop'));
    expect(stem('countries')).toBe('country');
  });
});

describe('Bm25Index', () => {
  const index = new Bm25Index({ documents: ['Russia trade with Belarus.', 'China trade overtook Russia.', 'Troops at the base.'] });
  it('ranks the document with the rarer matching term first', () => {
    const scores = index.scores(terms('Belarus trade'));
    expect(scores[0]).toBeGreaterThan(scores[1] ?? 0);
    expect(scores[2]).toBe(0);
  });
  it('gives a term no document has no idf', () => {
    expect(index.idf('france')).toBe(0);
    expect(index.idf('belaru')).toBeGreaterThan(index.idf('trade'));
  });
  it('reads only the best postings of a term when told to, and all of a shorter list', () => {
    const documents = ['trade trade trade.', 'Trade with Belarus and China and Russia.', 'Trade.', 'Belarus.'];
    const many = new Bm25Index({ documents });
    const all = many.scores(terms('trade belarus'));
    const cut = many.scores(terms('trade belarus'), { perTerm: 2 });
    // "trade" is in three documents: the long second one, where it weighs least, loses its share.
    expect(cut[0]).toBe(all[0]);
    expect(cut[2]).toBe(all[2]);
    expect(cut[1]).toBeLessThan(all[1] ?? 0);
    expect(cut[1]).toBeGreaterThan(0);
    // "belarus" is in two: both read.
    expect(cut[3]).toBe(all[3]);
  });
});

describe('readPostings', () => {
  it('keeps the heaviest, ties to the earlier posting', () => {
    expect([...readPostings({ weights: Float64Array.from([1, 3, 2, 3, 2]), limit: 3 })]).toEqual([0, 1, 1, 1, 0]);
    expect([...readPostings({ weights: Float64Array.from([2, 2, 2]), limit: 2 })]).toEqual([1, 1, 0]);
    expect([...readPostings({ weights: Float64Array.from([5, 1]), limit: 9 })]).toEqual([1, 1]);
  });
});
