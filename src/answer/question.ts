import { contentTerms, isStopword, normalizeText, words, yearsIn } from '../core/text.js';
import type { WordFacts } from './store.js';

export interface AnalyzedQuestion {
  /** The question normalised, with misspelt words replaced by their corpus spelling. */
  text: string;
  /** Content words of `text`, lower case, no stopwords, in order (may repeat). */
  words: string[];
  /** Content terms of `text` (stemmed, no stopwords). */
  terms: string[];
  /** Four-digit years the question names. */
  years: number[];
  /** Words repaired, as [typed, corpus word]. */
  corrections: Array<[string, string]>;
  /** What kind of text answers it, when the question's form says so. */
  expects: AnswerKind | undefined;
}

/** Quantity: a number answers it. Time: a date or year. Statement: someone's quoted words. */
export type AnswerKind = 'quantity' | 'time' | 'statement';

/** Reads the answer kind off the question's form ("how many", "when", "what did X say"). */
export function expectedAnswer(question: string): AnswerKind | undefined {
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|big|large|far|old|tall|high|fast)\b|\bwhat (percentage|share|amount|number|proportion)\b/.test(q)) return 'quantity';
  if (/^\W*when\b|\bwhat (year|date|month|day)\b|\bsince when\b/.test(q)) return 'time';
  if (/\b(say|said|says|call|called|describe|described|tell|told|quote|quoted)\b/.test(q)) return 'statement';
  return undefined;
}

/**
 * The words of a question that might be misspelt: not stopwords, not short, not numbers, not
 * real English words (so "flight" is never "repaired" into "light"). The store says which of
 * them the corpus has, and the nearest corpus spelling of the others.
 */
export function spellingCandidates(options: { question: string; dictionary?: ReadonlySet<string> }): string[] {
  const { question, dictionary } = options;
  return [...new Set(words(normalizeText(question)))].filter((w) => !isStopword(w) && w.length >= 4 && !/\d/.test(w) && !dictionary?.has(w));
}

/**
 * Normalises a question and repairs misspellings: a candidate word (see spellingCandidates)
 * the corpus lacks is replaced by its nearest corpus spelling, so "centrl asia" still finds
 * "central asia".
 */
export function analyzeQuestion(options: {
  question: string;
  /** What the store said of the spelling candidates. */
  spelling: WordFacts;
  /** Real words that are never treated as typos, even when the corpus lacks them. */
  dictionary?: ReadonlySet<string>;
  /** spellingCandidates of the question, when already worked out (to ask the store). */
  candidates?: readonly string[];
}): AnalyzedQuestion {
  const { question, spelling, dictionary } = options;
  let text = normalizeText(question);
  const corrections: Array<[string, string]> = [];
  for (const word of options.candidates ?? spellingCandidates({ question, ...(dictionary ? { dictionary } : {}) })) {
    if (spelling.known.has(word)) continue;
    const fix = spelling.nearest.get(word);
    if (!fix) continue;
    corrections.push([word, fix]);
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'giu'), fix);
  }
  const years = yearsIn(text);
  // "How big / fast / long …" asks for a quantity; the adjective is not what the question is about.
  const content = text.replace(HOW_ADJECTIVE, 'how');
  const contentWords = words(content);
  return { text, words: contentWords.filter((w) => !isStopword(w)), terms: contentTerms(contentWords), years, corrections, expects: expectedAnswer(text) };
}

const HOW_ADJECTIVE =
  /\bhow\s+(big|large|small|fast|quickly|slowly|long|old|far|often|high|tall|strong|soon|much|many|important|serious)\b/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
