import { describe, expect, it } from 'vitest';
import { analyzeQuestion, expectedAnswer, spellingCandidates } from '../../src/answer/question.js';
import type { WordFacts } from '../../src/answer/store.js';
import { editDistance, nearestWord } from '../../src/core/spelling.js';

/** What a store with this vocabulary says of a question's spelling candidates. */
function spellingAgainst(vocabulary: ReadonlySet<string>, question: string, dictionary?: ReadonlySet<string>): WordFacts {
  const words = spellingCandidates({ question, ...(dictionary ? { dictionary } : {}) });
  const nearest = new Map<string, string>();
  for (const word of words) {
    const found = vocabulary.has(word) ? undefined : nearestWord({ word, candidates: vocabulary });
    if (found) nearest.set(word, found);
  }
  return { known: new Set(words.filter((w) => vocabulary.has(w))), nearest };
}
const analyze = (question: string, vocabulary: ReadonlySet<string>, dictionary?: ReadonlySet<string>) =>
  analyzeQuestion({ question, spelling: spellingAgainst(vocabulary, question, dictionary), ...(dictionary ? { dictionary } : {}) });

describe('analyzeQuestion repairs typos against the corpus', () => {
  const vocabulary = new Set(['central', 'asia', 'trade', 'border', 'group', 'year', 'whether']);
  it.each([
    ['trade with centrl asia', 'trade with central asia'],
    ['the tajik bordr', 'the tajik border'],
    ['btk grup', 'btk group'],
    ['last yeer', 'last year'],
    ['the weather today', 'the weather today'],
  ])('"%s" becomes "%s"', (question, expected) => {
    expect(analyze(question, vocabulary).text.toLowerCase()).toBe(expected);
  });

  it('finds the years a question names', () => {
    expect(analyze('the 2022 visit and 2025', vocabulary).years).toEqual([2022, 2025]);
  });

  it('keeps the content words in order, without stopwords', () => {
    expect(analyze('Who founded the BTK Group?', vocabulary).words).toEqual(['founded', 'btk', 'group']);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['border', 'bordr', 1],
    ['ab', 'ba', 1],
    ['tajikistan', 'tajiksitan', 1],
    ['', 'abc', 3],
    ['a'.repeat(70), 'b'.repeat(70), 70],
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
    expect(analyze(question, vocabulary, dictionary).text).toBe(expected);
  });

  it('drops the adjective of "how big / how fast" from the content terms', () => {
    expect(analyze('How big was trade and how fast did it grow?', vocabulary).terms).toEqual(['trade', 'grow']);
  });
});

describe('the kind of answer a question asks for', () => {
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
});
