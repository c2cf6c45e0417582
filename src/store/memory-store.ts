import { Bm25Index, POSTINGS_PER_TERM } from '../core/bm25.js';
import type { LexiconData } from '../core/lexicon-data.js';
import { nearestWord } from '../core/spelling.js';
import { contentTerms, isStopword, words } from '../core/text.js';
import { dot, fuseRanks, scoreRows } from '../core/vectors.js';
import { assembleCandidates, cosinesOf, fusionDepth, NO_TERMS, RRF_K } from '../answer/candidates.js';
import type { Neighbour, PassageStore, TermFacts } from '../answer/store.js';
import { articleInfos, storeInfo } from './article-info.js';
import { createLexicon } from './lexicon.js';
import type { Manifest } from './manifest.js';
import { textAt, type StoreSnapshot } from './snapshot.js';

/** What a sentence's text gives: its words and content terms, worked out when first needed. */
interface SentenceWords {
  words: string[];
  terms: Set<string>;
}

/**
 * The index held in memory, from the snapshot of one build: chunk vectors in one contiguous
 * matrix for a single scan per question, BM25 over packed postings, and each sentence's views
 * as rows of one vector block. Words and terms of a sentence are worked out only when a
 * question reaches it, so nothing per sentence is built at load.
 */
export function createMemoryStore(options: { manifest: Manifest; lexicon: LexiconData; snapshot: StoreSnapshot; postingsPerTerm?: number }): PassageStore {
  const { manifest, snapshot, postingsPerTerm = POSTINGS_PER_TERM } = options;
  const articles = articleInfos(manifest.articles);
  const { dimensions } = snapshot;
  const chunkTotal = snapshot.chunkArticle.length;
  const sentenceTotal = snapshot.sentenceArticle.length;
  const chunkMatrix = snapshot.vectors.subarray(0, chunkTotal * dimensions);
  const rowOf = (row: number): Float32Array => snapshot.vectors.subarray(row * dimensions, (row + 1) * dimensions);
  const sentenceBm25 = new Bm25Index({ postings: snapshot.sentencePostings });
  const chunkBm25 = new Bm25Index({ postings: snapshot.chunkPostings });
  const vocabulary = new Set(snapshot.vocabulary);
  // The words a misspelling may stand for, in vocabulary order: nearestWord skips the rest anyway.
  let spellableWords: string[] | undefined;
  const spellable = (): string[] => (spellableWords ??= snapshot.vocabulary.filter((w) => !isStopword(w) && !/\d/.test(w)));
  const lexicon = createLexicon(options.lexicon);

  const memo = <T>(compute: (id: number) => T): ((id: number) => T) => {
    const cache = new Map<number, T>();
    return (id) => {
      let value = cache.get(id);
      if (value === undefined) {
        value = compute(id);
        if (cache.size > 50_000) cache.clear();
        cache.set(id, value);
      }
      return value;
    };
  };
  const wordsOf = memo<SentenceWords>((id) => {
    const sentenceWords = words(textAt(snapshot.texts, id));
    return { words: sentenceWords, terms: new Set(contentTerms(sentenceWords)) };
  });
  // Broader terms of a sentence's words, worked out when a question first reaches the sentence.
  const kindsOf = memo<ReadonlySet<string>>((id) => {
    const set = new Set<string>();
    for (const w of wordsOf(id).words) for (const k of lexicon.kinds(w)) set.add(k);
    return set;
  });
  const sameArticle = (a: number, b: number): boolean => b >= 0 && b < sentenceTotal && snapshot.sentenceArticle[a] === snapshot.sentenceArticle[b];
  const gapBefore = (id: number): string | undefined => (snapshot.hasGap[id] === 1 ? textAt(snapshot.gaps, id) : undefined);
  const neighbour = (n: number, between: string): Neighbour => ({ id: n, text: textAt(snapshot.texts, n), start: snapshot.sentenceStart[n] ?? 0, end: snapshot.sentenceEnd[n] ?? 0, gap: between, terms: wordsOf(n).terms });
  /** The sentences before and after one in its article, and those a quote may join (adjacent text). */
  const around = (id: number) => {
    const before = sameArticle(id, id - 1) ? id - 1 : undefined;
    const after = sameArticle(id, id + 1) ? id + 1 : undefined;
    const gap = gapBefore(id);
    const afterGap = after === undefined ? undefined : gapBefore(after);
    return {
      before,
      after,
      previous: before !== undefined && gap !== undefined ? neighbour(before, gap) : undefined,
      next: after !== undefined && afterGap !== undefined ? neighbour(after, afterGap) : undefined,
    };
  };
  const facts: TermFacts = {
    idf: (term) => sentenceBm25.idf(term),
    maxIdf: sentenceBm25.maxIdf(),
    related: (word) => lexicon.related(word),
    places: (word) => lexicon.places(word),
  };

  return {
    info: storeInfo({ manifest, articles: articles.length, chunks: chunkTotal, sentences: sentenceTotal }),
    articles,
    async spell(asked) {
      const known = new Set(asked.filter((w) => vocabulary.has(w)));
      const nearest = new Map<string, string>();
      for (const word of asked) {
        if (known.has(word)) continue;
        const found = nearestWord({ word, candidates: spellable() });
        if (found) nearest.set(word, found);
      }
      return { known, nearest };
    },
    async describe() {
      // Everything is in memory: the same lookups serve any words.
      return facts;
    },
    async candidates({ vector, terms: queryTerms, passages, sentences }) {
      const dense = scoreRows({ matrix: chunkMatrix, dimensions, query: vector });
      const lexical = chunkBm25.scores(queryTerms, { perTerm: postingsPerTerm });
      const ranked = fuseRanks({ rankings: [dense, lexical], depth: fusionDepth(passages), k: RRF_K }).slice(0, passages);
      const sentenceScores = sentenceBm25.scores(queryTerms);
      return assembleCandidates({
        sentences,
        firstScores: (id) => {
          const own = snapshot.sentenceRow[id] ?? 0;
          const context = snapshot.contextRow[id] ?? 0;
          const dense = dot(vector, rowOf(own));
          // An article's first sentence has no sentence before: its context row is its own.
          return { dense, context: context === own ? dense : dot(vector, rowOf(context)), lexical: sentenceScores[id] ?? 0 };
        },
        ranked: ranked.map((chunk) => ({
          dense: dense[chunk] ?? 0,
          lexical: lexical[chunk] ?? 0,
          first: snapshot.chunkFirst[chunk] ?? 0,
          count: snapshot.chunkCount[chunk] ?? 0,
        })),
        sentence: (id, passage, first) => {
          const { before, after, previous, next } = around(id);
          const clauses: Float32Array[] = [];
          for (let k = 0; k < (snapshot.clauseCount[id] ?? 0); k++) clauses.push(rowOf((snapshot.clauseFirst[id] ?? 0) + k));
          const own = wordsOf(id);
          return {
            id,
            article: snapshot.sentenceArticle[id] ?? 0,
            text: textAt(snapshot.texts, id),
            start: snapshot.sentenceStart[id] ?? 0,
            end: snapshot.sentenceEnd[id] ?? 0,
            position: snapshot.sentencePosition[id] ?? 0,
            previous,
            next,
            cosines: cosinesOf(id, after, first),
            vectors: { titled: rowOf(snapshot.titledRow[id] ?? 0), clauses },
            words: own.words,
            kinds: kindsOf(id),
            terms: own.terms,
            previousTerms: before === undefined ? NO_TERMS : wordsOf(before).terms,
            passageDense: passage.dense,
            passageLexical: passage.lexical,
            lexical: first(id).lexical,
          };
        },
        quotable: (id) => {
          const { previous, next } = around(id);
          return { id, article: snapshot.sentenceArticle[id] ?? 0, text: textAt(snapshot.texts, id), start: snapshot.sentenceStart[id] ?? 0, end: snapshot.sentenceEnd[id] ?? 0, previous, next };
        },
      });
    },
  };
}

