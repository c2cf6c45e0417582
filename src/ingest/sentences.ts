import { QUOTING } from '../core/settings.js';

/** A sentence of an article, located by offsets into the article body. */
export interface Sentence {
  start: number;
  end: number;
}

/**
 * Words after which a period does not end a sentence. Single capital letters (initials such as
 * "E. Rahmon") are handled separately.
 */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'col', 'lt', 'sgt', 'capt', 'gov', 'sen', 'rep',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'no', 'vs', 'etc', 'inc', 'ltd', 'co', 'corp', 'approx', 'est', 'u.s', 'u.k', 'e.g', 'i.e',
]);

/**
 * The longest a sentence may be: a run of text with no sentence boundary longer than this (a
 * list, a table flattened into one paragraph, a quotation running on) is cut at its last clause
 * boundary before the limit, else at a space. Far above any sentence of the seed articles.
 */
export const MAX_SENTENCE_CHARS = QUOTING.maxSentenceChars;

/**
 * Finds sentence boundaries inside one paragraph. A sentence ends at ".", "!", "?" or "…",
 * optionally followed by closing quotes or brackets, when whitespace and then a capital letter,
 * digit or opening quote follow; not after an abbreviation or an initial ("U.S.", "E. Rahmon"),
 * and not inside a quotation that closes later in the paragraph ("… must be maintained. There
 * are …"). A quotation mark that is never closed (the English convention for a quotation
 * running over several paragraphs) protects nothing. No sentence is longer than
 * MAX_SENTENCE_CHARS. Offsets are shifted by `offset` so they point into the body.
 *
 * Linear in the paragraph: the quotations are paired once, and the word before a full stop is
 * read from a short window.
 */
export function splitSentences(options: { text: string; offset?: number }): Sentence[] {
  const { text, offset = 0 } = options;
  const sentences: Sentence[] = [];
  // The lookbehind starts a match only at the first mark of a run ("...", "?!"): later starts
  // in the run would find the same boundary, after rescanning the run each time.
  const boundary = /(?<![.!?…])[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}$])/gu;
  const closes = quotationCloses(text);
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0].startsWith('.') && isAbbreviation(wordBefore({ text, start, at: match.index }))) continue;
    // Inside a quotation that closes after this mark, the sentence goes on.
    if ((closes[match.index] ?? 0) > end) continue;
    pushBounded({ sentences, text, start, end, offset });
    start = end;
  }
  pushBounded({ sentences, text, start, end: text.length, offset });
  return sentences;
}

/**
 * For each position, where the innermost quotation holding it closes (0 outside any): curly
 * quotes paired as a stack, straight double quotes in turn; a mark with no partner holds nothing.
 */
function quotationCloses(text: string): Int32Array {
  const closes = new Int32Array(text.length + 1);
  const pairs: Array<[number, number]> = [];
  const open: number[] = [];
  let straight = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x201c) open.push(i);
    else if (c === 0x201d) {
      const from = open.pop();
      if (from !== undefined) pairs.push([from, i]);
    } else if (c === 0x22) {
      if (straight < 0) straight = i;
      else {
        pairs.push([straight, i]);
        straight = -1;
      }
    }
  }
  // Outer quotations first, so that an inner one, written later, wins inside it.
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  for (const [from, to] of pairs) closes.fill(to + 1, from + 1, to + 1);
  return closes;
}

/** Longer than any abbreviation: a longer word is read only this far, and is no abbreviation. */
const WORD_WINDOW = 32;

/** The letters and dots just before `at`, not reaching back past `start`. */
function wordBefore(options: { text: string; start: number; at: number }): string {
  const { text, start, at } = options;
  return /([\p{L}.]+)$/u.exec(text.slice(Math.max(start, at - WORD_WINDOW), at))?.[1] ?? '';
}

function isAbbreviation(word: string): boolean {
  if (/^\p{Lu}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Adds the sentence from `start` to `end`, trimmed, cut into pieces of at most MAX_SENTENCE_CHARS. */
function pushBounded(options: { sentences: Sentence[]; text: string; start: number; end: number; offset: number }): void {
  const { sentences, text, offset } = options;
  let { start, end } = options;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  while (end - start > MAX_SENTENCE_CHARS) {
    const cut = cutPoint(text, start, start + MAX_SENTENCE_CHARS);
    pushBounded({ sentences, text, start, end: cut, offset });
    start = cut;
    while (start < end && /\s/.test(text[start] ?? '')) start++;
  }
  if (end > start) sentences.push({ start: start + offset, end: end + offset });
}

/**
 * Where to cut text that runs on past `limit`: after its last clause mark in the second half of
 * the window (a semicolon before a colon before a dash before a comma), else at its last space
 * there, else at the limit.
 */
function cutPoint(text: string, start: number, limit: number): number {
  const window = text.slice(start, limit);
  const half = Math.floor(window.length / 2);
  for (const mark of ['; ', ': ', ' – ', ' — ', ', ']) {
    const at = window.lastIndexOf(mark);
    if (at >= half) return start + at + (mark.startsWith(' ') ? 0 : 1);
  }
  const space = window.lastIndexOf(' ');
  return space >= half ? start + space : limit;
}
