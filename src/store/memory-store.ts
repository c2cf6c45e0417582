import { Bm25Index } from '../core/bm25.js';
import { contentTerms, isStopword, words, yearsIn } from '../core/text.js';
import { createLexicon } from './lexicon.js';
import { nearestWord } from '../core/spelling.js';
import { GENERIC_ABOUT } from '../ingest/about.js';
import type { ArticleInfo, CandidateSentence, PassageStore, TermFacts } from '../answer/store.js';
import type { BuildContents } from './read.js';
import { fuseRanks, scoreRows, unit } from '../core/vectors.js';

interface SentenceRow {
  article: number;
  start: number;
  end: number;
  text: string;
  position: number;
  words: string[];
  terms: Set<string>;
  vector: Float32Array;
  context: Float32Array;
  titled: Float32Array;
  clauses: Float32Array[];
  previous: { id: number; gap: string | undefined } | undefined;
  next: number | undefined;
}

interface ChunkRow {
  article: number;
  start: number;
  end: number;
  text: string;
  sentences: number[];
}

/** Fusion reads each ranking this deep (enough that a lower passage cannot reach the top). */
const FUSION_DEPTH = 200;
/** Reciprocal-rank-fusion constant, the usual value: ranks past the top few weigh little. */
const RRF_K = 60;

/**
 * The index held in memory, as read from the vectra files of one build: chunk vectors in one
 * contiguous matrix for a single scan per question, BM25 postings over chunks and sentences,
 * and each sentence with its context views and clauses. Building it is linear in the number of
 * items.
 */
export function createMemoryStore(contents: BuildContents): PassageStore {
  const { manifest, items } = contents;
  const articleIndex = new Map<string, number>();
  const articles: ArticleInfo[] = manifest.articles.map((a, i) => {
    articleIndex.set(a.id, i);
    return {
      source: { id: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url },
      event: a.event,
      eventYears: yearsIn(a.event),
      outletWords: [...new Set(words(a.outlet).filter((w) => w.length >= 3 && !isStopword(w)))],
    };
  });

  const dimensions = manifest.dimensions;
  const views = new Map<string, Float32Array>();
  const clauses = new Map<string, Float32Array[]>();
  const chunkItems: Array<{ article: number; start: number; end: number; text: string; vector: Float32Array }> = [];
  const sentenceItems: Array<{ article: number; start: number; end: number; text: string; vector: Float32Array }> = [];
  for (const item of items) {
    const m = item.metadata;
    const article = articleIndex.get(m.articleId);
    if (article === undefined) continue;
    const vector = unit(item.vector);
    if (m.kind === 'chunk') chunkItems.push({ article, start: m.start, end: m.end, text: m.text, vector });
    else if (m.kind === 'sentence') sentenceItems.push({ article, start: m.start, end: m.end, text: m.text, vector });
    else if (m.kind === 'clause') {
      const key = `${article}:${m.sentenceStart}`;
      const list = clauses.get(key);
      if (list) list.push(vector);
      else clauses.set(key, [vector]);
    } else views.set(`${m.kind}:${article}:${m.start}`, vector);
  }
  sentenceItems.sort((a, b) => a.article - b.article || a.start - b.start);
  chunkItems.sort((a, b) => a.article - b.article || a.start - b.start);

  const sentences: SentenceRow[] = [];
  sentenceItems.forEach((s, i) => {
    const before = sentenceItems[i - 1];
    const sameArticle = before !== undefined && before.article === s.article;
    const sentenceWords = words(s.text);
    sentences.push({
      ...s,
      position: sameArticle ? (sentences[i - 1]?.position ?? 0) + 1 : 0,
      words: sentenceWords,
      terms: new Set(contentTerms(sentenceWords)),
      context: views.get(`context:${s.article}:${s.start}`) ?? s.vector,
      titled: views.get(`titled:${s.article}:${s.start}`) ?? s.vector,
      clauses: clauses.get(`${s.article}:${s.start}`) ?? [],
      previous: sameArticle ? { id: i - 1, gap: undefined } : undefined,
      next: sentenceItems[i + 1]?.article === s.article ? i + 1 : undefined,
    });
  });

  // Sentences to chunks in one merge pass: both lists are sorted by article, then offset.
  const chunks: ChunkRow[] = chunkItems.map((c) => ({ article: c.article, start: c.start, end: c.end, text: c.text, sentences: [] }));
  let first = 0;
  for (const chunk of chunks) {
    while (first < sentences.length && ((sentences[first]?.article ?? Infinity) < chunk.article || (sentences[first]?.article === chunk.article && (sentences[first]?.end ?? 0) <= chunk.start))) first++;
    for (let i = first; i < sentences.length; i++) {
      const s = sentences[i];
      if (!s || s.article !== chunk.article || s.start >= chunk.end) break;
      if (s.start >= chunk.start && s.end <= chunk.end) chunk.sentences.push(i);
    }
    // The characters between two sentences of one chunk are known: a quote may join them.
    for (const i of chunk.sentences) {
      const s = sentences[i];
      const p = s?.previous ? sentences[s.previous.id] : undefined;
      if (s?.previous && p && p.start >= chunk.start) s.previous.gap = chunk.text.slice(p.end - chunk.start, s.start - chunk.start);
    }
  }

  const chunkMatrix = new Float32Array(chunks.length * dimensions);
  chunkItems.forEach((c, i) => chunkMatrix.set(c.vector.subarray(0, dimensions), i * dimensions));
  const sentenceTerms = sentences.map((s) => [...contentTerms(s.words)]);
  const sentenceBm25 = new Bm25Index({ tokenized: sentenceTerms });
  const chunkBm25 = new Bm25Index({ tokenized: chunks.map((c) => c.sentences.flatMap((i) => sentenceTerms[i] ?? [])) });
  const vocabulary = new Set<string>();
  for (const s of sentences) for (const w of s.words) vocabulary.add(w);
  const lexicon = createLexicon(contents.lexicon);
  // Broader terms of a sentence's words, worked out when a question first reaches the sentence.
  const kindsMemo = new Map<number, ReadonlySet<string>>();
  const kindsOf = (id: number): ReadonlySet<string> => {
    let kinds = kindsMemo.get(id);
    if (!kinds) {
      const set = new Set<string>();
      for (const w of sentences[id]?.words ?? []) for (const k of lexicon.kinds(w)) set.add(k);
      kinds = set;
      if (kindsMemo.size > 50_000) kindsMemo.clear();
      kindsMemo.set(id, kinds);
    }
    return kinds;
  };
  const facts: TermFacts = {
    idf: (term) => sentenceBm25.idf(term),
    maxIdf: sentenceBm25.maxIdf(),
    related: (word) => lexicon.related(word),
    places: (word) => lexicon.places(word),
  };

  return {
    info: {
      about: manifest.about ?? GENERIC_ABOUT,
      modelId: manifest.modelId,
      dimensions,
      builtAt: manifest.builtAt,
      articles: articles.length,
      chunks: chunks.length,
      sentences: sentences.length,
    },
    articles,
    async spell(words) {
      const known = new Set(words.filter((w) => vocabulary.has(w)));
      const nearest = new Map<string, string>();
      for (const word of words) {
        if (known.has(word)) continue;
        const found = nearestWord({ word, candidates: vocabulary });
        if (found) nearest.set(word, found);
      }
      return { known, nearest };
    },
    async describe() {
      // Everything is in memory: the same lookups serve any words.
      return facts;
    },
    async candidates({ vector, terms: queryTerms, passages }) {
      const dense = scoreRows({ matrix: chunkMatrix, dimensions, query: vector });
      const lexical = chunkBm25.scores(queryTerms);
      const ranked = fuseRanks({ rankings: [dense, lexical], depth: Math.max(FUSION_DEPTH, passages * 10), k: RRF_K }).slice(0, passages);
      const topLexical = ranked.reduce((best, chunk) => Math.max(best, lexical[chunk] ?? 0), 0) || 1;
      const passage = new Map<number, { dense: number; lexical: number }>();
      for (const chunk of ranked) {
        for (const s of chunks[chunk]?.sentences ?? []) {
          const seen = passage.get(s);
          const d = dense[chunk] ?? 0;
          const l = (lexical[chunk] ?? 0) / topLexical;
          passage.set(s, seen ? { dense: Math.max(seen.dense, d), lexical: Math.max(seen.lexical, l) } : { dense: d, lexical: l });
        }
      }
      const sentenceScores = sentenceBm25.scores(queryTerms);
      const out: CandidateSentence[] = [];
      for (const [id, scores] of [...passage].sort((a, b) => a[0] - b[0])) {
        const s = sentences[id];
        if (!s) continue;
        const before = s.previous ? sentences[s.previous.id] : undefined;
        const after = s.next !== undefined ? sentences[s.next] : undefined;
        const afterGap = after?.previous?.gap;
        out.push({
          id,
          article: s.article,
          text: s.text,
          start: s.start,
          end: s.end,
          position: s.position,
          previous:
            s.previous && before && s.previous.gap !== undefined
              ? { id: s.previous.id, text: before.text, start: before.start, end: before.end, gap: s.previous.gap }
              : undefined,
          next: after && s.next !== undefined && afterGap !== undefined ? { id: s.next, text: after.text, start: after.start, end: after.end, gap: afterGap } : undefined,
          vectors: {
            sentence: s.vector,
            context: s.context,
            titled: s.titled,
            clauses: s.clauses,
            next: after?.vector,
            nextContext: after?.context,
          },
          words: s.words,
          kinds: kindsOf(id),
          terms: s.terms,
          previousTerms: before?.terms ?? new Set(),
          passageDense: scores.dense,
          passageLexical: scores.lexical,
          lexical: sentenceScores[id] ?? 0,
        });
      }
      return out;
    },
  };
}
