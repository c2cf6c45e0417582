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
 * Finds sentence boundaries inside one paragraph. A sentence ends at ".", "!", "?" or "…",
 * optionally followed by closing quotes or brackets, when whitespace and then a capital letter,
 * digit or opening quote follow. Offsets are shifted by `offset` so they point into the body.
 *
 * Linear in the paragraph: quotation marks are counted once as the scan moves on, and the word
 * before a full stop is read from a short window, so a paragraph with an unmatched opening
 * quote (where no boundary is accepted and the open sentence keeps growing) costs no more than
 * any other.
 */
export function splitSentences(options: { text: string; offset?: number }): Sentence[] {
  const { text, offset = 0 } = options;
  const sentences: Sentence[] = [];
  // The lookbehind starts a match only at the first mark of a run ("...", "?!"): later starts
  // in the run would find the same boundary, after rescanning the run each time.
  const boundary = /(?<![.!?…])[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}$])/gu;
  let start = 0;
  const quotes = { scanned: 0, opened: 0, straight: 0 };
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0].startsWith('.') && isAbbreviation(wordBefore({ text, start, at: match.index }))) continue;
    // A full stop inside a quotation ("… must be maintained. There are …") does not end the sentence.
    countQuotes({ text, counts: quotes, until: end });
    if (quotes.opened > 0 || quotes.straight % 2 === 1) continue;
    pushTrimmed({ sentences, text, start, end, offset });
    start = end;
    Object.assign(quotes, { opened: 0, straight: 0 });
  }
  pushTrimmed({ sentences, text, start, end: text.length, offset });
  return sentences;
}

/** Adds the quotation marks between `counts.scanned` and `until` to the running counts. */
function countQuotes(options: { text: string; counts: { scanned: number; opened: number; straight: number }; until: number }): void {
  const { text, counts, until } = options;
  for (let i = counts.scanned; i < until; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x201c) counts.opened++;
    else if (c === 0x201d) counts.opened--;
    else if (c === 0x22) counts.straight++;
  }
  counts.scanned = Math.max(counts.scanned, until);
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

function pushTrimmed(options: { sentences: Sentence[]; text: string; start: number; end: number; offset: number }): void {
  const { sentences, text, offset } = options;
  let { start, end } = options;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) sentences.push({ start: start + offset, end: end + offset });
}
