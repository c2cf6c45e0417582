/**
 * WordPiece vocabulary for the generated test model. The normalisation and
 * splitting mirror the BertNormalizer/BertPreTokenizer that the written
 * tokenizer.json configures, so every corpus word is a whole-word vocab entry.
 */

/** Special tokens in id order: [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

// Same character class as the BERT pre-tokenizer in transformers.js / HF tokenizers.
const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_OR_PUNCT = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');
const ONLY_PUNCT = new RegExp(`^[${PUNCT}]+$`, 'u');
// BMP only: transformers.js checks UTF-16 code units, so astral CJK is never spaced out.
const CJK = /([\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF])/gu;
const CONTROL = /[\u0000\uFFFD\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
// Cyrillic too, so Russian queries spell out into pieces rather than [UNK] (й/ё lose their marks).
const BASE_CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~абвгдежзиклмнопрстуфхцчшщъыьэюя'];
const COMMON_SUFFIXES = ['##s', '##ed', '##ing', '##ly', '##er', '##es', '##ion'];
const MAX_WORD_CHARS = 100;

/** BertNormalizer with clean_text, CJK spacing, lowercase and accent stripping. */
export function normalizeText(text: string): string {
  return text
    .replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : ''))
    .replace(/\s/gu, ' ')
    .replace(CJK, ' $1 ')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
}

/** Normalises and splits text the way BertPreTokenizer does: words and single punctuation marks. */
export function preTokenize(text: string): string[] {
  return normalizeText(text).match(WORD_OR_PUNCT) ?? [];
}

/** True for tokens made only of punctuation, which carry no topical signal. */
export function isPunctuation(token: string): boolean {
  return ONLY_PUNCT.test(token);
}

/**
 * Builds the vocabulary (index = token id): special tokens, sorted corpus
 * words, then every character alone and as `##c` so any word can be spelled
 * out, then a few common suffixes. Sorting keeps ids independent of text order.
 */
export function buildVocab(texts: readonly string[]): string[] {
  const words = new Set<string>();
  const chars = new Set<string>(BASE_CHARS);
  for (const text of texts) {
    for (const word of preTokenize(text)) {
      const wordChars = [...word];
      if (wordChars.length > MAX_WORD_CHARS) continue; // WordPiece maps these to [UNK] anyway
      words.add(word);
      for (const c of wordChars) chars.add(c);
    }
  }
  const sortedChars = [...chars].sort();
  const vocab = new Set<string>([
    ...SPECIAL_TOKENS,
    ...[...words].sort(),
    ...sortedChars,
    ...sortedChars.map((c) => `##${c}`),
    ...COMMON_SUFFIXES,
  ]);
  return [...vocab];
}
