import { isStopword } from './text.js';
import { RETRIEVAL } from './settings.js';

/**
 * How far a misspelt word may be from the corpus word it stands for: one edit, two for words
 * of eight letters or more. Short words and numbers are never repaired (see analyzeQuestion).
 */
export function spellingLimit(word: string): number {
  const { edits, longWordEdits, longWordLetters } = RETRIEVAL.spelling;
  return word.length >= longWordLetters ? longWordEdits : edits;
}

/**
 * The corpus word nearest a misspelt word, within `spellingLimit`; ties go to the candidate
 * sharing the first letter (typos rarely hit the first letter), then to the first in order.
 * Every store answers spelling questions with this one rule, so they repair alike.
 */
export function nearestWord(options: { word: string; candidates: Iterable<string> }): string | undefined {
  const { word, candidates } = options;
  const limit = spellingLimit(word);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit || isStopword(candidate) || /\d/.test(candidate)) continue;
    const d = editDistance(word, candidate, bestDistance);
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
  // Three rows of the table, reused across calls: a question compares a word with hundreds.
  if (scratch.length < 3 * cols) scratch = new Int32Array(3 * cols * 2);
  let prevPrev = scratch.subarray(0, cols).fill(0);
  let prev = scratch.subarray(cols, 2 * cols);
  let current = scratch.subarray(2 * cols, 3 * cols);
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i < rows; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] as number) + 1, (current[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (prevPrev[j - 2] as number) + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > cap) return rowMin;
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[cols - 1] as number;
}

let scratch = new Int32Array(96);

/**
 * A bit per kind of character a word holds (a-z, 0-9, and anything else hashed onto the
 * remaining bits). One edit (insert, delete, substitute, swap) changes at most two bits, so
 * two words within `d` edits differ in at most `2d` bits: a store can leave out every word
 * further than that without computing a single edit distance.
 */
export function letterMask(word: string): bigint {
  let mask = 0n;
  for (const ch of word) {
    const code = ch.codePointAt(0) ?? 0;
    const bit = code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? 26 + code - 48 : 36 + (code % 27);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}

/** How many bits of a letter mask may differ for a word within its spelling limit. */
export function maskLimit(word: string): number {
  return 2 * spellingLimit(word);
}
