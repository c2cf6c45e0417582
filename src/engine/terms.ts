import type { Bm25Index } from '../core/bm25.js';
import { alternatives } from '../core/synonyms.js';

/**
 * One content term of a question with what stands for it in the corpus and how much it
 * matters: rare terms weigh more; a term the corpus lacks weighs the most (it is probably
 * what the question is about), except very short ones, which are mostly typos or fillers.
 */
export interface WeightedTerm {
  term: string;
  /** The term and its synonyms, as stems. */
  forms: ReadonlySet<string>;
  weight: number;
  /** True when the term or a synonym occurs somewhere in the corpus. */
  known: boolean;
}

export function weighTerms(options: {
  terms: string[];
  bm25: Bm25Index;
  /** Short terms the asker wrote in capitals (GDP, CIS): acronyms, not typos. */
  acronyms?: ReadonlySet<string>;
}): WeightedTerm[] {
  const { terms, bm25, acronyms } = options;
  return [...new Set(terms)].map((term) => {
    const forms = alternatives(term);
    const present = [...forms].filter((f) => bm25.has(f));
    const known = present.length > 0;
    const weight = bm25.has(term)
      ? bm25.idf(term)
      : known
        ? Math.max(...present.map((f) => bm25.idf(f)))
        : term.length <= 3 && !acronyms?.has(term)
          ? 0.3 * bm25.maxIdf()
          : bm25.maxIdf();
    return { term, forms, weight, known };
  });
}

/** Terms for BM25: each term, or its synonyms found in the corpus when the term itself is not. */
export function searchTerms(options: { weighted: WeightedTerm[]; bm25: Bm25Index }): string[] {
  const { weighted, bm25 } = options;
  return weighted.flatMap((w) => (bm25.has(w.term) ? [w.term] : [...w.forms].filter((f) => bm25.has(f))));
}

/** Share of the weighted terms found in a set of stems (a term counts if any form is there). */
export function coverageOf(options: { weighted: WeightedTerm[]; has: (stem: string) => boolean }): number {
  const { weighted, has } = options;
  const total = weighted.reduce((s, w) => s + w.weight, 0);
  if (total === 0) return 0;
  const found = weighted.filter((w) => [...w.forms].some(has)).reduce((s, w) => s + w.weight, 0);
  return found / total;
}
