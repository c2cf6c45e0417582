import { isStopword, normalizeText, terms, words, yearsIn } from '../core/text.js';

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
 * Normalises a question and repairs misspellings against the corpus vocabulary: a word that is
 * neither in the corpus nor in the English dictionary is replaced by a corpus word one edit
 * away (two for long words), so "centrl asia" still finds "central asia" while "flight" stays
 * "flight". Short words and numbers are never touched.
 */
export function analyzeQuestion(options: {
  question: string;
  vocabulary: ReadonlySet<string>;
  /** Real words that are never treated as typos, even when the corpus lacks them. */
  dictionary?: ReadonlySet<string>;
}): AnalyzedQuestion {
  const { question, vocabulary, dictionary } = options;
  let text = normalizeText(question);
  const corrections: Array<[string, string]> = [];
  for (const word of new Set(words(text))) {
    if (vocabulary.has(word) || isStopword(word) || word.length < 4 || /\d/.test(word) || dictionary?.has(word)) continue;
    const fix = closestWord({ word, vocabulary });
    if (!fix) continue;
    corrections.push([word, fix]);
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'giu'), fix);
  }
  const years = yearsIn(text);
  // "How big / fast / long …" asks for a quantity; the adjective is not what the question is about.
  const content = text.replace(HOW_ADJECTIVE, 'how');
  return { text, words: words(content).filter((w) => !isStopword(w)), terms: terms(content), years, corrections, expects: expectedAnswer(text) };
}

const HOW_ADJECTIVE =
  /\bhow\s+(big|large|small|fast|quickly|slowly|long|old|far|often|high|tall|strong|soon|much|many|important|serious)\b/gi;

function closestWord(options: { word: string; vocabulary: ReadonlySet<string> }): string | undefined {
  const { word, vocabulary } = options;
  const limit = word.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of vocabulary) {
    if (Math.abs(candidate.length - word.length) > limit || isStopword(candidate) || /\d/.test(candidate)) continue;
    const d = editDistance(word, candidate, bestDistance);
    // Ties go to the candidate sharing the first letter: typos rarely hit the first letter.
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate[0] === word[0] && best[0] !== word[0])) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `cap`. */
export function editDistance(a: string, b: string, cap = Infinity): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = new Array<number>(cols).fill(0);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > cap) return rowMin;
    prevPrev = prev;
    prev = current;
  }
  return prev[cols - 1] ?? 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
