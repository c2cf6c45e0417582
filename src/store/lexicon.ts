import { baseForms, type LexiconData } from '../core/lexicon-data.js';
import { stem } from '../core/text.js';

/** Query-side view of the corpus lexicon: what a word of a question may stand for here. */
export interface Lexicon {
  /** Stems of corpus words that are synonyms or derivations of the word. */
  related(word: string): ReadonlySet<string>;
  /** Stems of corpus words for places the word's place belongs to or contains. */
  places(word: string): ReadonlySet<string>;
  /** Stems of the broader terms a corpus word is a kind of ("thursday" -> "weekday"). */
  kinds(word: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** Wraps lexicon data with base-form lookup and stemming, memoised per word. */
export function createLexicon(data: LexiconData): Lexicon {
  const lookup = (map: Record<string, string[]>): ((word: string) => ReadonlySet<string>) => {
    const memo = new Map<string, ReadonlySet<string>>();
    return (word) => {
      const key = word.toLowerCase();
      let found = memo.get(key);
      if (!found) {
        const stems = new Set<string>();
        for (const form of baseForms(key)) for (const w of Object.hasOwn(map, form) ? (map[form] ?? []) : []) stems.add(stem(w));
        found = stems.size > 0 ? stems : NONE;
        if (memo.size > 50_000) memo.clear();
        memo.set(key, found);
      }
      return found;
    };
  };
  const kinds = new Map<string, ReadonlySet<string>>();
  for (const [word, broader] of Object.entries(data.kinds)) kinds.set(word, new Set(broader.map((w) => stem(w))));
  return {
    related: lookup(data.related),
    places: lookup(data.places),
    kinds: (word) => kinds.get(word.toLowerCase()) ?? NONE,
  };
}
