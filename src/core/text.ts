/**
 * Text normalisation shared by indexing and querying, so a question and an article meet on
 * the same terms: Unicode forms, curly quotes, dashes, case, money and number notations.
 */

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how ' +
    'i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own ' +
    'same she should so some such than that the their theirs them themselves then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'tell told say says said please know want wanted get got give gave many much any anything something thing things ' +
    'whats whos wheres hows did dont doesnt didnt isnt arent wasnt werent'
  ).split(' '),
);

/** NFKC, straight quotes and apostrophes, ASCII dashes, collapsed whitespace. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u200B-\u200F\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Rewrites money and number forms to one spelling: "$45bn", "45 billion USD" and
 * "US$45 billion" all become "45 billion usd"; "1,357" becomes "1357"; "17%" becomes "17 percent".
 */
export function normalizeNumbers(text: string): string {
  return text
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/(?:\bus)?\$\s?(\d+(?:\.\d+)?)\s?(bn|billion|b|m|mn|million|k|thousand|trillion|tn)?\b/gi, (_m, n: string, unit?: string) =>
      `${n}${unit ? ` ${unitWord(unit)}` : ''} usd`)
    .replace(/\b(\d+(?:\.\d+)?)\s?(bn|mn|tn)\b/gi, (_m, n: string, unit: string) => `${n} ${unitWord(unit)}`)
    .replace(/(\d+(?:\.\d+)?)\s?%/g, '$1 percent')
    .replace(/\b(usd|dollars?)\b/gi, 'usd');
}

function unitWord(unit: string): string {
  const u = unit.toLowerCase();
  if (u === 'bn' || u === 'b' || u === 'billion') return 'billion';
  if (u === 'm' || u === 'mn' || u === 'million') return 'million';
  if (u === 'tn' || u === 'trillion') return 'trillion';
  return 'thousand';
}

/** A light English stemmer: enough to meet "trades"/"trade", "strained"/"strain", "sanctioned"/"sanctions". */
/** Plurals whose singular means something else ("goods" are not "good"). */
const KEEP_AS_IS = new Set(['goods', 'news', 'series', 'species', 'arms', 'means', 'analysis', 'crisis', 'basis', 'us']);

export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word) || KEEP_AS_IS.has(word)) return word;
  let w = word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'edly', 'ed', 'es', 's', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      if (suffix === 'es' && !/(ss|sh|ch|x|z|o)$/.test(w)) w = `${w}e`;
      break;
    }
  }
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Lower-cased word tokens of normalised text, numbers included, possessives dropped. */
export function words(text: string): string[] {
  const normalized = normalizeNumbers(normalizeText(text)).toLowerCase();
  return (normalized.match(/[\p{L}\p{N}]+(?:['.][\p{L}\p{N}]+)*/gu) ?? [])
    .map((w) => w.replace(/'s$/, '').replace(/'/g, ''))
    .filter((w) => w.length > 0);
}

/** Content terms: stemmed words without stopwords. What BM25 and coverage count. */
export function terms(text: string): string[] {
  return contentTerms(words(text));
}

/** Content terms of words already split by `words`. */
export function contentTerms(wordList: string[]): string[] {
  return wordList.filter((w) => !STOPWORDS.has(w)).map(stem);
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** A four-digit year of this century or the last, as a whole word. */
export const YEAR = /\b(?:19|20)\d{2}\b/;

/** The years a text names, each once, in order. */
export function yearsIn(text: string): number[] {
  return [...new Set((text.match(new RegExp(YEAR.source, 'g')) ?? []).map(Number))];
}
