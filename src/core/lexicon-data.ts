/**
 * What a question's words may stand for in one corpus, derived from WordNet at build time and
 * stored beside the index (`lexicon.json`). Keys and values are lower-case words.
 */
export interface LexiconData {
  /** A word -> corpus words that are its synonyms or derivations ("shooters" -> "gunmen"). */
  related: Record<string, string[]>;
  /** A word -> corpus words for a place it is part of or contains ("minsk" -> "belarus"). */
  places: Record<string, string[]>;
  /** A corpus word -> broader terms it is a kind or instance of ("thursday" -> "weekday"). */
  kinds: Record<string, string[]>;
}

export const EMPTY_LEXICON: Readonly<LexiconData> = Object.freeze({ related: {}, places: {}, kinds: {} });

/** Validates parsed JSON as lexicon data; throws on any other shape. */
export function parseLexicon(json: unknown): LexiconData {
  const value = json as Partial<Record<keyof LexiconData, unknown>> | null;
  const isMap = (m: unknown): m is Record<string, string[]> =>
    typeof m === 'object' && m !== null && !Array.isArray(m) && Object.values(m).every((v) => Array.isArray(v) && v.every((w) => typeof w === 'string'));
  if (!value || !isMap(value.related) || !isMap(value.places) || !isMap(value.kinds)) throw new Error('not lexicon data');
  return { related: value.related, places: value.places, kinds: value.kinds };
}

/** WordNet's detachment rules (morphy without the exception lists): "shooters" -> "shooter". */
const DETACH: Array<[string, string]> = [
  ['ies', 'y'], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'],
  ['es', 'e'], ['es', ''], ['s', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''], ['er', ''], ['est', ''],
];

/** The word and the base forms its endings allow; only forms a dictionary knows will match. */
export function baseForms(word: string): string[] {
  const w = word.toLowerCase();
  const forms = [w];
  for (const [ending, replacement] of DETACH) {
    if (w.endsWith(ending) && w.length - ending.length >= 3) forms.push(w.slice(0, -ending.length) + replacement);
  }
  // Doubled consonant before -ed/-ing: "stopped" -> "stop".
  const doubled = /([b-df-hj-np-tv-z])\1(?:ed|ing)$/.exec(w);
  if (doubled) forms.push(w.slice(0, doubled.index + 1));
  return [...new Set(forms)];
}
