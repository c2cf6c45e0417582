import { describe, expect, it } from 'vitest';
import { isEnglish, scriptOf } from '../../src/answer/language.js';

// What the engine counts as English: dictionary words and words the corpus has or repairs (mnay → many).
const known = (w: string): boolean => ['trade', 'russia', 'russian', 'central', 'asia', 'troops', 'much', 'many', 'mnay', 'tajikstan', 'last', 'year'].includes(w);

describe('the language of a question', () => {
  it.each([
    ['How much trade did Russia do with Central Asia last year?', true],
    ['how mnay russian troops in tajikstan', true],
    ['BTK?', true],
    ['Сколько составил товарооборот России со странами Центральной Азии?', false],
    ['Wie viel Handel trieb Russland mit Zentralasien?', false],
    ['¿Cuántas tropas rusas hay en Tayikistán?', false],
  ])('%s is English: %s', (question, english) => {
    expect(isEnglish({ question, known })).toBe(english);
  });

  it.each([
    ['Сколько войск?', 'cyrillic'],
    ['How many troops?', 'latin'],
    ['部隊は何人ですか', 'other'],
  ] as const)('%s is written in %s', (question, script) => {
    expect(scriptOf(question)).toBe(script);
  });
});
