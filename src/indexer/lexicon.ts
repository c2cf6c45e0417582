import type { LexiconData } from '../core/lexicon-data.js';
import type { WordNet } from './wordnet.js';

/** Pointers that keep the meaning: derivations, pertainyms, similar adjectives, attributes. */
const SAME_MEANING = new Set(['+', '\\', '&', '=', '^', '$']);
/** Pointers between places and their parts: a capital and its country, a fortress and its city. */
const PLACE = new Set(['#p', '%p', '#m', '%m']);
/** Pointers to broader terms: "Thursday" is a "weekday", "Reuters" a "news agency". */
const BROADER = new Set(['@', '@i']);
/** How many steps up the hypernym tree a corpus word is known by. */
const BROADER_DEPTH = 3;

/**
 * What a question's words may stand for in this corpus, from WordNet, computed once per build
 * for the corpus vocabulary (so queries need no WordNet):
 * - `related`: a word -> the corpus words that are its synonyms or derivations
 *   ("shooters" -> "gunmen", "commerce" -> "trade"),
 * - `places`: a word -> the corpus words for the place it is part of or contains
 *   ("minsk" -> "belarus", "kremlin" -> "moscow"),
 * - `kinds`: a corpus word -> the broader terms it is an instance of ("thursday" -> "weekday").
 * Which of these actually help ranking is decided by the fitted weights, not here.
 */
export function buildLexicon(options: { words: Iterable<string>; wordnet: WordNet }): LexiconData {
  const { words, wordnet } = options;
  const related = new Map<string, Set<string>>();
  const places = new Map<string, Set<string>>();
  const kinds: Record<string, string[]> = {};
  const add = (map: Map<string, Set<string>>, key: string, word: string): void => {
    if (key === word) return;
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(word);
  };
  for (const word of new Set(words)) {
    if (word.length < 3 || /\d/.test(word)) continue;
    const broader = new Set<string>();
    for (const key of wordnet.senses(word)) {
      const synset = wordnet.synset(key);
      if (!synset) continue;
      for (const lemma of synset.lemmas) add(related, lemma, word);
      for (const pointer of synset.pointers) {
        const target = wordnet.synset(pointer.target);
        if (!target) continue;
        if (SAME_MEANING.has(pointer.symbol)) for (const lemma of target.lemmas) add(related, lemma, word);
        else if (PLACE.has(pointer.symbol)) for (const lemma of target.lemmas) add(places, lemma, word);
      }
      let frontier = [key];
      for (let depth = 0; depth < BROADER_DEPTH && frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const current of frontier) {
          for (const pointer of wordnet.synset(current)?.pointers ?? []) {
            if (!BROADER.has(pointer.symbol)) continue;
            next.push(pointer.target);
            for (const lemma of wordnet.synset(pointer.target)?.lemmas ?? []) broader.add(lemma);
          }
        }
        frontier = next;
      }
    }
    broader.delete(word);
    if (broader.size > 0) kinds[word] = [...broader].sort();
  }
  const plain = (map: Map<string, Set<string>>): Record<string, string[]> =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, set]) => [key, [...set].sort()]));
  return { related: plain(related), places: plain(places), kinds };
}
