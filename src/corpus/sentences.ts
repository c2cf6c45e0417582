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
 */
export function splitSentences(options: { text: string; offset?: number }): Sentence[] {
  const { text, offset = 0 } = options;
  const sentences: Sentence[] = [];
  const boundary = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}$])/gu;
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0].startsWith('.') && isAbbreviation(text.slice(start, match.index))) continue;
    // A full stop inside a quotation ("… must be maintained. There are …") does not end the sentence.
    if (insideQuotation(text.slice(start, end))) continue;
    pushTrimmed({ sentences, text, start, end, offset });
    start = end;
  }
  pushTrimmed({ sentences, text, start, end: text.length, offset });
  return sentences;
}

function insideQuotation(text: string): boolean {
  const opened = (text.match(/“/g) ?? []).length - (text.match(/”/g) ?? []).length;
  const straight = (text.match(/"/g) ?? []).length;
  return opened > 0 || straight % 2 === 1;
}

function isAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1] ?? '';
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
