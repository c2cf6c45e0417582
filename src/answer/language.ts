import { isStopword, normalizeText, words } from '../core/text.js';
import { RETRIEVAL } from '../core/settings.js';

const LETTER = /\p{L}/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/g;

/**
 * Whether a question is written in English, the language of the articles: mostly Latin letters,
 * and at least half of its words of four letters or more English (stopwords, dictionary words,
 * or words the corpus has or can repair a typo into). A question in Russian, or in German, is not; a question with
 * typos still is.
 */
export function isEnglish(options: { question: string; known: (word: string) => boolean }): boolean {
  const text = normalizeText(options.question);
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return true;
  if ((text.match(LATIN)?.length ?? 0) / letters < RETRIEVAL.latinShare) return false;
  // Short words ("de", "la", "BTK") say little about a language; the script said enough then.
  const all = words(text).filter((w) => w.length >= 4 && /\p{L}/u.test(w) && !/\d/.test(w));
  if (all.length === 0) return true;
  const english = all.filter((w) => isStopword(w) || options.known(w)).length;
  return english * 2 >= all.length;
}

/** The writing system a question mostly uses, to name it when the bot cannot read it. */
export function scriptOf(question: string): 'latin' | 'cyrillic' | 'other' {
  const letters = question.match(LETTER) ?? [];
  const cyrillic = letters.filter((c) => /\p{Script=Cyrillic}/u.test(c)).length;
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  return cyrillic > latin ? 'cyrillic' : latin > 0 ? 'latin' : 'other';
}
