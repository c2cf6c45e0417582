import { packPostings, type PackedPostings } from '../core/bm25.js';
import { contentTerms, words } from '../core/text.js';
import { unit } from '../core/vectors.js';
import type { Manifest } from './manifest.js';
import { layoutArticle, type ArticleLayout } from './passage-layout.js';
import type { StoredItem } from './records.js';
import { storedVector } from './vectra-file.js';

/** Strings kept as one string and the offsets where each begins (`offsets` has one more entry). */
export interface TextTable {
  joined: string;
  offsets: Int32Array;
}

/**
 * Everything the in-memory store queries, in flat typed arrays: what loading used to rebuild
 * from index.json at every start (unit vectors, sentence lists, BM25 postings, vocabulary),
 * computed once per build and stored beside it (see snapshot-file.ts).
 *
 * Sentence ids run over the articles in manifest order, then by offset; chunk ids likewise.
 * Row `r` of `vectors` is `dimensions` floats; chunk `c` is row `c`.
 */
export interface StoreSnapshot {
  dimensions: number;
  chunkArticle: Int32Array;
  /** The sentences a chunk holds whole: ids `chunkFirst[c]` to `chunkFirst[c] + chunkCount[c] - 1`. */
  chunkFirst: Int32Array;
  chunkCount: Int32Array;
  sentenceArticle: Int32Array;
  sentenceStart: Int32Array;
  sentenceEnd: Int32Array;
  /** Place among the article's sentences. */
  sentencePosition: Int32Array;
  /** Vector rows of each sentence's views; a missing view points at the sentence's own row. */
  sentenceRow: Int32Array;
  contextRow: Int32Array;
  titledRow: Int32Array;
  clauseFirst: Int32Array;
  clauseCount: Int32Array;
  texts: TextTable;
  /** The text between a sentence and the one before it, where a chunk holds both. */
  gaps: TextTable;
  hasGap: Uint8Array;
  vectors: Float32Array;
  /** Every word of the quotable text, in order of first appearance (spelling repair reads it in this order). */
  vocabulary: string[];
  /** BM25 postings over sentences and over chunks (a chunk's terms are its whole sentences'). */
  sentencePostings: PackedPostings;
  chunkPostings: PackedPostings;
}

/** Sentence texts and chunk ranges of the articles in order: all that term statistics need. */
export interface TextLayout {
  sentences: string[];
  chunks: Array<{ first: number; count: number }>;
}

/** What BM25 and spelling repair need of a corpus, from its text alone. */
export interface CorpusTerms {
  vocabulary: string[];
  sentencePostings: PackedPostings;
  chunkPostings: PackedPostings;
}

/**
 * Vocabulary and BM25 postings of the quotable text. Both stores compute their statistics
 * with this one function, so that idf, BM25 and spelling agree between them.
 */
export function corpusTerms(articles: Iterable<TextLayout>): CorpusTerms {
  const vocabulary = new Set<string>();
  const sentenceTerms: string[][] = [];
  const chunkTerms: string[][] = [];
  for (const article of articles) {
    const offset = sentenceTerms.length;
    for (const text of article.sentences) {
      const sentenceWords = words(text);
      for (const w of sentenceWords) vocabulary.add(w);
      sentenceTerms.push(contentTerms(sentenceWords));
    }
    for (const chunk of article.chunks) {
      const held: string[] = [];
      for (let i = 0; i < chunk.count; i++) for (const term of sentenceTerms[offset + chunk.first + i] ?? []) held.push(term);
      chunkTerms.push(held);
    }
  }
  return { vocabulary: [...vocabulary], sentencePostings: packPostings(sentenceTerms), chunkPostings: packPostings(chunkTerms) };
}

/** The text-only view of a layout. */
export function textLayout(layout: ArticleLayout): TextLayout {
  return { sentences: layout.sentences.map((s) => s.text), chunks: layout.chunks.map((c) => ({ first: c.first, count: c.count })) };
}

/**
 * Builds the snapshot of a build from its items (as read from index.json): what the slow
 * path of loading, and the build itself, compute.
 */
export function snapshotFromItems(options: { manifest: Manifest; items: readonly StoredItem[] }): StoreSnapshot {
  const { manifest, items } = options;
  const dimensions = manifest.dimensions;
  const byArticle = new Map<string, StoredItem[]>();
  for (const a of manifest.articles) byArticle.set(a.id, []);
  for (const item of items) byArticle.get(item.metadata.articleId)?.push(item);
  const layouts = manifest.articles.map((a) => {
    const own = byArticle.get(a.id) ?? [];
    return { items: own, layout: layoutArticle(own) };
  });

  const chunkTotal = layouts.reduce((n, l) => n + l.layout.chunks.length, 0);
  const sentenceTotal = layouts.reduce((n, l) => n + l.layout.sentences.length, 0);
  const clauseTotal = layouts.reduce((n, l) => n + l.layout.sentences.reduce((k, s) => k + s.clauses.length, 0), 0);
  const viewTotal = layouts.reduce((n, l) => n + l.layout.sentences.reduce((k, s) => k + (s.context === undefined ? 0 : 1) + (s.titled === undefined ? 0 : 1), 0), 0);
  const vectors = new Float32Array((chunkTotal + sentenceTotal + viewTotal + clauseTotal) * dimensions);
  let row = 0;
  const put = (vector: Float32Array | undefined): number => {
    vectors.set(unit(vector ? storedVector(vector) : []).subarray(0, dimensions), row * dimensions);
    return row++;
  };

  const snapshot: StoreSnapshot = {
    dimensions,
    chunkArticle: new Int32Array(chunkTotal),
    chunkFirst: new Int32Array(chunkTotal),
    chunkCount: new Int32Array(chunkTotal),
    sentenceArticle: new Int32Array(sentenceTotal),
    sentenceStart: new Int32Array(sentenceTotal),
    sentenceEnd: new Int32Array(sentenceTotal),
    sentencePosition: new Int32Array(sentenceTotal),
    sentenceRow: new Int32Array(sentenceTotal),
    contextRow: new Int32Array(sentenceTotal),
    titledRow: new Int32Array(sentenceTotal),
    clauseFirst: new Int32Array(sentenceTotal),
    clauseCount: new Int32Array(sentenceTotal),
    texts: { joined: '', offsets: new Int32Array(sentenceTotal + 1) },
    gaps: { joined: '', offsets: new Int32Array(sentenceTotal + 1) },
    hasGap: new Uint8Array(sentenceTotal),
    vectors,
    vocabulary: [],
    sentencePostings: packPostings([]),
    chunkPostings: packPostings([]),
  };
  // Chunks first, so that the chunk matrix is one contiguous block.
  let chunk = 0;
  let sentence = 0;
  layouts.forEach(({ items: own, layout }, article) => {
    for (const c of layout.chunks) {
      put(own[c.item]?.vector);
      snapshot.chunkArticle[chunk] = article;
      snapshot.chunkFirst[chunk] = sentence + c.first;
      snapshot.chunkCount[chunk] = c.count;
      chunk++;
    }
    sentence += layout.sentences.length;
  });
  const texts: string[] = [];
  const gaps: string[] = [];
  let textAt = 0;
  let gapAt = 0;
  sentence = 0;
  layouts.forEach(({ items: own, layout }, article) => {
    layout.sentences.forEach((s, position) => {
      const id = sentence++;
      snapshot.sentenceArticle[id] = article;
      snapshot.sentenceStart[id] = s.start;
      snapshot.sentenceEnd[id] = s.end;
      snapshot.sentencePosition[id] = position;
      const own_ = put(own[s.item]?.vector);
      snapshot.sentenceRow[id] = own_;
      snapshot.contextRow[id] = s.context === undefined ? own_ : put(own[s.context]?.vector);
      snapshot.titledRow[id] = s.titled === undefined ? own_ : put(own[s.titled]?.vector);
      snapshot.clauseFirst[id] = row;
      snapshot.clauseCount[id] = s.clauses.length;
      for (const clause of s.clauses) put(own[clause]?.vector);
      snapshot.texts.offsets[id] = textAt;
      texts.push(s.text);
      textAt += s.text.length;
      snapshot.gaps.offsets[id] = gapAt;
      if (s.gapBefore !== undefined) {
        snapshot.hasGap[id] = 1;
        gaps.push(s.gapBefore);
        gapAt += s.gapBefore.length;
      }
    });
  });
  snapshot.texts.offsets[sentenceTotal] = textAt;
  snapshot.gaps.offsets[sentenceTotal] = gapAt;
  snapshot.texts.joined = texts.join('');
  snapshot.gaps.joined = gaps.join('');
  const terms = corpusTerms(layouts.map((l) => textLayout(l.layout)));
  snapshot.vocabulary = terms.vocabulary;
  snapshot.sentencePostings = terms.sentencePostings;
  snapshot.chunkPostings = terms.chunkPostings;
  return snapshot;
}

/** The i-th string of a text table. */
export function textAt(table: TextTable, i: number): string {
  return table.joined.slice(table.offsets[i] ?? 0, table.offsets[i + 1] ?? 0);
}
