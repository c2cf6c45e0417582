import { isStopword } from './text.js';

/**
 * How far a misspelt word may be from the corpus word it stands for: one edit, two for words
 * of eight letters or more. Short words and numbers are never repaired (see analyzeQuestion).
 */
export function spellingLimit(word: string): number {
  return word.length >= 8 ? 2 : 1;
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
