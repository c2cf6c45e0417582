import { describe, expect, it } from 'vitest';
import { terms } from '../../src/core/text.js';
import { DEFAULT_THRESHOLDS, shouldAnswer } from '../../src/engine/decide.js';
import { describeFact, figures, figuresDiffer, sameFact } from '../../src/engine/corroborate.js';
import { analyzeQuery, editDistance, expectedAnswer } from '../../src/engine/query.js';
import { answersKind, buildQuote, MAX_QUOTE_CHARS, scoreSentences } from '../../src/engine/quotes.js';
import { rankChunks, topIndexes, type RetrievalMode } from '../../src/engine/retrieve.js';
import { unit } from '../../src/engine/search-index.js';
import { weighTerms } from '../../src/engine/terms.js';
import { bagOfWords, syntheticIndex } from '../helpers/synthetic-index.js';

const index = syntheticIndex([
  { id: 'trade', paragraphs: [['Russia trade with Central Asia reached 45 billion dollars last year.', 'Putin called it a good result.']] },
  { id: 'base', paragraphs: [['The military base hosts about 7,000 troops.', 'He called the base a guarantor of security.']] },
  { id: 'old', event: 'June 2022 visit', paragraphs: [['In 2022 the military base was discussed with Rahmon.', 'Putin then flew to Ashgabat.']] },
  { id: 'noise', paragraphs: [['Migrants send remittances home.', 'Labour shortages persist in Russia.']] },
]);
const query = (text: string) => ({ queryVector: unit(bagOfWords(text)), queryTerms: terms(text) });
const articleOf = (chunk: number): string => index.articles[index.chunks[chunk]?.article ?? -1]?.source.id ?? '';

describe('rankChunks', () => {
  it.each<[RetrievalMode, string, string]>([
    ['hybrid', 'How much trade with Central Asia?', 'trade'],
    ['dense', 'How much trade with Central Asia?', 'trade'],
    ['bm25', 'How much trade with Central Asia?', 'trade'],
    ['hybrid', 'How many troops at the base?', 'base'],
    ['bm25', 'remittances from migrants', 'noise'],
  ])('%s: "%s" ranks the %s article first', (mode, question, expected) => {
    const ranked = rankChunks({ index, ...query(question), mode });
    expect(articleOf(ranked[0]?.chunk ?? -1)).toBe(expected);
  });

  it('fuses by rank: a passage first in both lists beats one first in only one', () => {
    const ranked = rankChunks({ index, ...query('military base troops'), rrfK: 60 });
    expect(articleOf(ranked[0]?.chunk ?? -1)).toBe('base');
    expect(ranked[0]?.score).toBeCloseTo(2 / 61, 6);
  });

  it.each([
    [[2022], 'old'],
    [[], 'base'],
  ])('a question naming the years %j prefers the article about that event (%s)', (years, expected) => {
    const ranked = rankChunks({ index, ...query('the military base'), years });
    expect(articleOf(ranked[0]?.chunk ?? -1)).toBe(expected);
  });

  it('returns nothing when nothing matches', () => {
    expect(rankChunks({ index, queryVector: new Float32Array(64), queryTerms: ['zzz'] })).toEqual([]);
  });
});

describe('sentence selection', () => {
  it('quotes the sentence that answers, not its neighbour', () => {
    const q = query('how many troops');
    const ranked = rankChunks({ index, ...q });
    const weighted = weighTerms({ terms: q.queryTerms, bm25: index.sentenceBm25 });
    const best = scoreSentences({ index, ranked, queryVector: q.queryVector, weighted })[0];
    expect(index.sentences[best?.sentence ?? -1]?.text).toBe('The military base hosts about 7,000 troops.');
  });

  it('adds the sentence before when the quote opens with a back-reference', () => {
    const sentence = index.sentences.findIndex((s) => s.text.startsWith('He called the base'));
    const quote = buildQuote({ index, sentence, queryTerms: terms('guarantor of security') });
    expect(quote.text).toBe('The military base hosts about 7,000 troops. He called the base a guarantor of security.');
    expect(quote.sentences).toHaveLength(2);
  });

  it('does not repeat context that another snippet already quotes', () => {
    const sentence = index.sentences.findIndex((s) => s.text.startsWith('He called the base'));
    const previous = index.sentences[sentence]?.previous ?? -1;
    const quote = buildQuote({ index, sentence, queryTerms: [], exclude: new Set([previous]) });
    expect(quote.text).toBe('He called the base a guarantor of security.');
  });

  it(`trims a sentence over ${MAX_QUOTE_CHARS} characters to the clauses that match, marked with …`, () => {
    const clauses = Array.from({ length: 12 }, (_, i) => `clause number ${i} about nothing in particular`);
    clauses[7] = 'the Wildberries platform looks at Dushanbe';
    const long = `${clauses.join(', ')}.`;
    const big = syntheticIndex([{ id: 'long', paragraphs: [[long]] }]);
    const quote = buildQuote({ index: big, sentence: 0, queryTerms: terms('Wildberries Dushanbe') });
    expect(quote.text.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    expect(quote.text).toContain('the Wildberries platform looks at Dushanbe');
    for (const fragment of quote.text.split('…').map((f) => f.trim()).filter(Boolean)) expect(long).toContain(fragment);
  });
});

describe('corroboration', () => {
  it.each([
    ['around $45bn', ['around 45 billion usd']],
    ['was over $45 billion – a good result', ['over 45 billion usd']],
    ['which reached just over 45 billion USD in 2024', ['just over 45 billion usd']],
    ['risen by more than 17%', ['more than 17 percent']],
    ['in 2021 reached US$1.13 billion', ['1.13 billion usd']],
    ['about 7,000 troops in 2022', []],
  ])('figures in "%s"', (text, expected) => {
    expect(figures(text)).toEqual(expected);
  });

  const bne = "Russia's trade turnover last year with Kazakhstan, Uzbekistan and Tajikistan amounted to around $45bn.";
  const reuters = 'Russia’s total trade turnover last year with Kazakhstan, Uzbekistan and Tajikistan was over $45 billion, Putin said.';
  const cnews = 'Putin highlighted that combined trade with these nations reached over $45 billion last year.';
  it.each([
    ['the same figure in other words', bne, reuters, true],
    ['the same figure, another outlet', reuters, cnews, true],
    ['another figure', bne, 'Trade in 2021 reached US$1.13 billion.', false],
    ['the same communique quote', 'A bland joint communique said the states noted the importance of partnership with Russia.', 'Reuters wrote that a bland joint communique said the states noted the importance of partnership with Russia.', true],
    ['unrelated sentences', 'The base hosts troops.', 'Migrants send remittances home.', false],
  ])('sameFact: %s', (_name, a, b, expected) => {
    expect(sameFact(describeFact(a), describeFact(b))).toBe(expected);
  });
  it.each([
    [bne, reuters, true],
    [reuters, cnews, false],
    ['The base hosts troops.', reuters, false],
  ])('figuresDiffer(%s, %s) = %s', (a, b, expected) => {
    expect(figuresDiffer(describeFact(a), describeFact(b))).toBe(expected);
  });
});

describe('shouldAnswer', () => {
  it.each([
    ['well covered', { coverage: 0.9, corpusCoverage: 1, dense: 0.3, terms: 3 }, true],
    ['words unknown to the corpus', { coverage: 0.2, corpusCoverage: 0.2, dense: 0.3, terms: 3 }, false],
    ['known words, but the quote covers little', { coverage: 0.3, corpusCoverage: 1, dense: 0.3, terms: 3 }, false],
    ['the topic missing from the corpus', { coverage: 0.5, corpusCoverage: 0.41, dense: 0.2, terms: 2 }, false],
    ['no content words', { coverage: 0, corpusCoverage: 0, dense: 0, terms: 0 }, false],
  ])('%s', (_name, signals, expected) => {
    expect(shouldAnswer({ signals, thresholds: DEFAULT_THRESHOLDS })).toBe(expected);
  });
  it('a calibrated dense match answers a paraphrase with little word overlap', () => {
    const signals = { coverage: 0.2, corpusCoverage: 0.7, dense: 0.8, terms: 4 };
    expect(shouldAnswer({ signals, thresholds: { ...DEFAULT_THRESHOLDS, denseAccept: 0.7 } })).toBe(true);
    expect(shouldAnswer({ signals })).toBe(false);
  });
  it('no dense match answers a question about something the coverage lacks ("the GDP of Turkmenistan")', () => {
    const signals = { coverage: 0.5, corpusCoverage: 0.4, dense: 0.9, terms: 2 };
    expect(shouldAnswer({ signals, thresholds: { ...DEFAULT_THRESHOLDS, denseAccept: 0.5 } })).toBe(false);
  });
});

describe('analyzeQuery', () => {
  const vocabulary = new Set(['central', 'asia', 'trade', 'border', 'group', 'year', 'whether']);
  it.each([
    ['trade with centrl asia', 'trade with central asia'],
    ['the tajik bordr', 'the tajik border'],
    ['btk grup', 'btk group'],
    ['last yeer', 'last year'],
    ['the weather today', 'the weather today'],
  ])('repairs "%s" to "%s"', (question, expected) => {
    expect(analyzeQuery({ question, vocabulary }).text.toLowerCase()).toBe(expected);
  });
  it('finds the years a question names', () => {
    expect(analyzeQuery({ question: 'the 2022 visit and 2025', vocabulary }).years).toEqual([2022, 2025]);
  });
  it.each([
    ['kitten', 'sitting', 3],
    ['border', 'bordr', 1],
    ['ab', 'ba', 1],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('typo repair leaves real words alone', () => {
  const vocabulary = new Set(['light', 'post', 'central']);
  it.each([
    ['flight cost', new Set(['flight', 'cost']), 'flight cost'],
    ['flight cost', undefined, 'light post'],
    ['centrl', new Set(['flight']), 'central'],
  ])('"%s" with dictionary %j becomes "%s"', (question, dictionary, expected) => {
    expect(analyzeQuery({ question, vocabulary, ...(dictionary ? { dictionary } : {}) }).text).toBe(expected);
  });
  it('drops the adjective of "how big / how fast" from the content terms', () => {
    expect(analyzeQuery({ question: 'How big was trade and how fast did it grow?', vocabulary }).terms).toEqual(['trade', 'grow']);
  });
});

describe('answer kinds', () => {
  it.each([
    ['How many Russian troops are in Tajikistan?', 'quantity'],
    ['How long is the border?', 'quantity'],
    ['When was BTK sanctioned?', 'time'],
    ['What year did BTK arrive?', 'time'],
    ['What did the joint communique say?', 'statement'],
    ['What did Putin call the base?', 'statement'],
    ['Who founded BTK Group?', undefined],
  ])('%s expects %s', (question, kind) => {
    expect(expectedAnswer(question)).toBe(kind);
  });
  it.each([
    ['The border is 1,357 kilometres long.', 'quantity', true],
    ['The border is long.', 'quantity', false],
    ['He was sanctioned in June 2024.', 'time', true],
    ['He described it as a “reliable ally”.', 'statement', true],
    ['He described it as reliable.', 'statement', false],
  ] as const)('"%s" answers a %s question: %s', (text, kind, expected) => {
    expect(answersKind(text, kind)).toBe(expected);
  });
  it('prefers the sentence with the figure for a "how long" question', () => {
    const border = syntheticIndex([
      { id: 'a', paragraphs: [['Security along the border with Afghanistan is a concern.', 'The border with Afghanistan is 1,357 kilometres long.']] },
    ]);
    const q = analyzeQuery({ question: 'How long is the border with Afghanistan?', vocabulary: border.vocabulary });
    const queryVector = unit(bagOfWords(q.text));
    const ranked = rankChunks({ index: border, queryVector, queryTerms: q.terms });
    const weighted = weighTerms({ terms: q.terms, bm25: border.sentenceBm25 });
    const best = scoreSentences({ index: border, ranked, queryVector, weighted, expects: q.expects })[0];
    expect(border.sentences[best?.sentence ?? -1]?.text).toContain('1,357');
  });
});

describe('acronyms', () => {
  it.each([
    ['What is the GDP of Turkmenistan?', ['gdp']],
    ['WHAT IS THE CSTO', []],
    ['who founded btk', []],
  ])('%s', (question, expected) => {
    expect([...analyzeQuery({ question, vocabulary: new Set() }).acronyms]).toEqual(expected);
  });
  it('an unknown acronym weighs like any unknown word; an unknown short lower-case word (a typo) weighs less', () => {
    const bm25 = syntheticIndex([{ id: 'a', paragraphs: [['Trade grew.']] }]).sentenceBm25;
    const [gdp] = weighTerms({ terms: ['gdp'], bm25, acronyms: new Set(['gdp']) });
    const [wat] = weighTerms({ terms: ['wat'], bm25 });
    expect(gdp?.weight).toBeGreaterThan(wat?.weight ?? Infinity);
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
});
