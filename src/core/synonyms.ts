import { stem } from './text.js';

/**
 * Words news writers use for one another. A question's term counts as found when any word of
 * its group is in the text, so "soldiers" finds "troops" and "Tajik" finds "Tajikistan".
 * General English and regional demonyms only: nothing here names a fact of the corpus.
 */
const GROUPS: string[][] = [
  ['tajik', 'tajikistan', 'tajiks'],
  ['afghan', 'afghanistan'],
  ['russia', 'russian', 'moscow', 'kremlin'],
  ['kazakh', 'kazakhstan'],
  ['uzbek', 'uzbekistan'],
  ['kyrgyz', 'kyrgyzstan'],
  ['turkmen', 'turkmenistan'],
  ['belarus', 'belarusian'],
  ['china', 'chinese', 'beijing'],
  ['azerbaijan', 'azerbaijani'],
  ['ukraine', 'ukrainian'],
  ['eu', 'european'],
  ['us', 'usa', 'american', 'washington'],
  ['soldier', 'troop', 'troops', 'soldiers'],
  ['kill', 'killed', 'die', 'died', 'dead', 'death', 'deaths'],
  ['export', 'exports', 'sell', 'sells', 'sold'],
  ['import', 'imports', 'buy', 'buys', 'bought'],
  ['goods', 'product', 'products', 'commodity', 'commodities'],
  ['belong', 'member', 'members', 'membership'],
  ['grow', 'grew', 'grown', 'growth', 'rise', 'rose', 'risen', 'increase', 'increased', 'expand', 'expanded'],
  ['trade', 'commerce', 'turnover', 'commercial'],
  ['greet', 'greeted', 'welcome', 'welcomed'],
  ['succeed', 'successor', 'succession', 'heir'],
  ['border', 'frontier'],
  ['agreement', 'deal', 'accord', 'pact'],
  ['communique', 'statement', 'declaration'],
  ['discuss', 'discussed', 'discussion', 'talk', 'talks'],
  ['visit', 'trip', 'tour'],
  ['attack', 'assault'],
  ['terrorism', 'terrorist', 'terror'],
  ['migrant', 'migrants', 'migration'],
  ['found', 'founded', 'founder'],
  ['write', 'wrote', 'writing', 'author'],
  ['edit', 'edited', 'editing', 'editor'],
  ['base', 'garrison'],
  ['depend', 'dependent', 'depends', 'rely', 'relies', 'reliance', 'reliant'],
  ['replace', 'replaced', 'displace', 'displaced'],
  ['newspaper', 'daily', 'paper'],
  ['call', 'called', 'describe', 'described', 'term', 'termed', 'dub', 'dubbed'],
  ['go', 'went', 'travel', 'travelled', 'traveled', 'leave', 'left', 'head', 'headed'],
];

const BY_STEM = new Map<string, ReadonlySet<string>>();
for (const group of GROUPS) {
  const stems = new Set(group.map((w) => stem(w)));
  for (const s of stems) {
    const merged = new Set([...(BY_STEM.get(s) ?? []), ...stems]);
    for (const m of merged) BY_STEM.set(m, merged);
  }
}

/** The stems that stand for a stemmed term, the term itself included. */
export function alternatives(term: string): ReadonlySet<string> {
  return BY_STEM.get(term) ?? new Set([term]);
}
