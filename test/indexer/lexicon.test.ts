import { describe, expect, it } from 'vitest';
import { buildLexicon } from '../../src/indexer/lexicon.js';
import { baseForms } from '../../src/core/lexicon-data.js';
import { loadWordNet } from '../../src/indexer/wordnet.js';
import { createLexicon } from '../../src/store/lexicon.js';

describe('the corpus lexicon, from WordNet', async () => {
  const wordnet = await loadWordNet();
  const data = buildLexicon({ words: ['gunmen', 'belarus', 'moscow', 'thursday', 'troops', 'trade', 'reuters'], wordnet });
  const lexicon = createLexicon(data);

  it.each([
    ['shooters', 'gunmen', 'related'],
    ['minsk', 'belarus', 'places'],
    ['kremlin', 'moscow', 'places'],
  ] as const)('a question word "%s" stands for the corpus word "%s" (%s)', (word, corpusWord, relation) => {
    expect(data[relation][baseForms(word).find((f) => f in data[relation]) ?? word]).toContain(corpusWord);
    expect(lexicon[relation](word).size).toBeGreaterThan(0);
  });

  it.each([
    ['thursday', 'weekday'],
    ['trade', 'commerce'],
  ])('the corpus word "%s" is a kind of "%s"', (word, broader) => {
    expect(data.kinds[word]).toContain(broader);
  });

  it('only corpus words are values: the lexicon points into the corpus, never out of it', () => {
    const values = new Set([...Object.values(data.related), ...Object.values(data.places)].flat());
    for (const v of values) expect(['gunmen', 'belarus', 'moscow', 'thursday', 'troops', 'trade', 'reuters']).toContain(v);
  });

  it.each([
    ['shooters', 'shooter'],
    ['stopped', 'stop'],
    ['countries', 'country'],
  ])('baseForms(%s) includes %s', (word, base) => {
    expect(baseForms(word)).toContain(base);
  });
});
