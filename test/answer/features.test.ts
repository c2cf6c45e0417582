import { describe, expect, it } from 'vitest';
import { featureColumns, featureMatrix, holdsTerm, questionTerms, rawFeatures, searchTerms, type FeatureInput } from '../../src/answer/features.js';
import { analyzeQuestion, spellingCandidates } from '../../src/answer/question.js';
import { unit } from '../../src/core/vectors.js';
import { bagOfWords, syntheticStore } from '../support/synthetic-store.js';

const store = syntheticStore(
  [
    { id: 'border', outlet: 'Asia-Plus', paragraphs: [['Security along the border with Afghanistan is a concern.', 'The border with Afghanistan is 1,357 kilometres long.']] },
    { id: 'old', event: 'June 2022 visit', paragraphs: [['The gunmen came from Tajikistan.', 'Putin spoke on Thursday.']] },
  ],
  { lexicon: { related: { shooters: ['gunmen'] }, places: { dushanbe: ['tajikistan'] }, kinds: { thursday: ['weekday'] } } },
);

async function inputFor(text: string): Promise<FeatureInput> {
  const question = analyzeQuestion({ question: text, spelling: await store.spell(spellingCandidates({ question: text })) });
  const queryVector = unit(bagOfWords(question.text));
  const facts = await store.describe(question.words);
  const queryTerms = questionTerms({ question, facts });
  const { ranked: candidates } = await store.candidates({ vector: queryVector, terms: searchTerms({ queryTerms, facts }), passages: 10 });
  return { question, queryTerms, queryVector, candidates, articles: store.articles, joinBackReferences: true };
}
const featuresOf = async (question: string, sentenceStart: string) => {
  const input = await inputFor(question);
  const i = input.candidates.findIndex((c) => c.text.startsWith(sentenceStart));
  return rawFeatures(input)[i];
};

describe('features of a candidate sentence', () => {
  it('a "how long" question marks the sentence with the figure, not its neighbour', async () => {
    expect((await featuresOf('How long is the border with Afghanistan?', 'The border'))?.['kind.quantity']).toBe(1);
    expect((await featuresOf('How long is the border with Afghanistan?', 'Security'))?.['kind.quantity']).toBe(0);
  });

  it('a question naming a year marks the articles about that event, and the others as other', async () => {
    const question = 'Where did Putin speak in 2022?';
    expect((await featuresOf(question, 'Putin spoke'))?.['event.named']).toBe(1);
    expect((await featuresOf(question, 'The border with'))?.['event.other']).toBe(1);
  });

  it('a question naming the outlet marks its sentences', async () => {
    expect((await featuresOf('What does Asia-Plus say about the border?', 'The border'))?.['source.named']).toBe(1);
    expect((await featuresOf('What does Asia-Plus say about the border?', 'Putin spoke'))?.['source.named']).toBe(0);
  });

  it.each([
    ['synonyms and derivations', 'Where were the shooters from?', 'The gunmen', 'words.related'],
    ['places', 'What happened in Dushanbe?', 'The gunmen', 'words.places'],
    ['broader terms', 'On which weekday did Putin speak?', 'Putin spoke', 'words.kinds'],
  ] as const)('the lexicon finds %s the sentence lacks as typed', async (question, _q, sentence, feature) => {
    expect((await featuresOf(_q, sentence))?.[feature]).toBeGreaterThan(0);
    expect((await featuresOf(_q, 'Security along'))?.[feature] ?? 0).toBe(0);
  });

  it('holdsTerm counts a related word as the term', async () => {
    const input = await inputFor('shooters');
    const gunmen = input.candidates.find((c) => c.text.startsWith('The gunmen'));
    const [term] = input.queryTerms;
    expect(gunmen && term && holdsTerm(gunmen, term)).toBe(true);
  });
});

describe('featureMatrix', () => {
  it('has a row per candidate and every column, with z-scores and gaps taken within the question', async () => {
    const input = await inputFor('How long is the border with Afghanistan?');
    const { columns, rows } = featureMatrix(input);
    expect(columns).toEqual(featureColumns());
    expect(rows).toHaveLength(input.candidates.length);
    const gap = columns.indexOf('dense.sentence:gap');
    const z = columns.indexOf('dense.sentence:z');
    expect(Math.max(...rows.map((r) => r[gap] ?? -1))).toBe(0);
    const zs = rows.map((r) => r[z] ?? 0);
    expect(zs.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    for (const row of rows) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });
});
