import type { Source } from '../core/types.js';
import { Bm25Index } from '../core/bm25.js';
import { contentTerms, words } from '../core/text.js';
import { describeFact, type FactTerms } from './corroborate.js';
import type { BuildContents } from '../index/read.js';
import type { Manifest } from '../index/manifest.js';

export interface ArticleEntry {
  source: Source;
  event: string;
  /** Years named in the event label, e.g. [2025] for "October 2025 visit". */
  eventYears: number[];
}

export interface ChunkEntry {
  article: number;
  start: number;
  end: number;
  text: string;
  vector: Float32Array;
  /** Indexes into `sentences`, in order. */
  sentences: number[];
}

export interface SentenceEntry {
  article: number;
  start: number;
  end: number;
  text: string;
  vector: Float32Array;
  /** The sentence before this one in the same article, if it was indexed. */
  previous: number | undefined;
  /** The first chunk that contains this sentence. */
  chunk: number;
}

/**
 * The loaded index in the shape queries need: vectors as unit-length Float32Arrays, BM25
 * postings over chunks and over sentences, and the corpus vocabulary for typo repair.
 */
export interface SearchIndex {
  manifest: Manifest;
  articles: ArticleEntry[];
  chunks: ChunkEntry[];
  /** Every chunk's unit vector, row after row (chunks × dimensions): one scan per query. */
  chunkMatrix: Float32Array;
  dimensions: number;
  sentences: SentenceEntry[];
  chunkBm25: Bm25Index;
  sentenceBm25: Bm25Index;
  /** Every word of the indexed text, lower case, for spelling repair of questions. */
  vocabulary: Set<string>;
  /** Content terms and figures of a sentence, analysed once and remembered. */
  factsOf(sentence: number): FactTerms;
}

/**
 * Sentences analysed per query are few, but re-analysing them on every query was most of a
 * query's cost; a bounded memo keeps memory flat however large the corpus.
 */
const MAX_REMEMBERED_SENTENCES = 50_000;

/** Builds the query structures once per loaded build. */
export function createSearchIndex(contents: BuildContents): SearchIndex {
  const { manifest, items } = contents;
  const articleIndex = new Map<string, number>();
  const articles: ArticleEntry[] = manifest.articles.map((a, i) => {
    articleIndex.set(a.id, i);
    return {
      source: { id: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url },
      event: a.event,
      eventYears: (a.event.match(/\b(19|20)\d{2}\b/g) ?? []).map(Number),
    };
  });
  const chunks: ChunkEntry[] = [];
  const sentences: SentenceEntry[] = [];
  for (const item of items) {
    const m = item.metadata;
    const article = articleIndex.get(m.articleId);
    if (article === undefined) continue;
    const entry = { article, start: m.start, end: m.end, text: m.text, vector: unit(item.vector) };
    if (m.kind === 'chunk') chunks.push({ ...entry, sentences: [] });
    else sentences.push({ ...entry, previous: undefined, chunk: -1 });
  }
  sentences.sort((a, b) => a.article - b.article || a.start - b.start);
  chunks.sort((a, b) => a.article - b.article || a.start - b.start);
  sentences.forEach((s, i) => {
    const before = sentences[i - 1];
    if (before && before.article === s.article) s.previous = i - 1;
  });
  // Attach sentences to every chunk that contains them (chunks overlap by a sentence).
  let first = 0;
  for (const [chunkIndex, chunk] of chunks.entries()) {
    while (first < sentences.length && (sentences[first]?.article ?? Infinity) < chunk.article) first++;
    for (let i = first; i < sentences.length; i++) {
      const s = sentences[i];
      if (!s || s.article !== chunk.article || s.start >= chunk.end) break;
      if (s.start >= chunk.start && s.end <= chunk.end) {
        chunk.sentences.push(i);
        if (s.chunk < 0) s.chunk = chunkIndex;
      }
    }
  }
  // Each sentence is analysed once: its words feed the vocabulary, its terms both BM25 indexes
  // (a chunk's text is its sentences and the blank space between them).
  const vocabulary = new Set<string>();
  const sentenceTerms = sentences.map((s) => {
    const sentenceWords = words(s.text);
    for (const w of sentenceWords) vocabulary.add(w);
    return contentTerms(sentenceWords);
  });
  const chunkTerms = chunks.map((c) => c.sentences.flatMap((i) => sentenceTerms[i] ?? []));
  const memo = new Map<number, FactTerms>();
  const factsOf = (sentence: number): FactTerms => {
    let facts = memo.get(sentence);
    if (!facts) {
      if (memo.size >= MAX_REMEMBERED_SENTENCES) memo.clear();
      facts = describeFact(sentences[sentence]?.text ?? '');
      memo.set(sentence, facts);
    }
    return facts;
  };
  const dimensions = manifest.dimensions;
  const chunkMatrix = new Float32Array(chunks.length * dimensions);
  chunks.forEach((c, i) => {
    chunkMatrix.set(c.vector.subarray(0, dimensions), i * dimensions);
    // The chunk keeps a view into the matrix, not a second copy of its vector.
    c.vector = chunkMatrix.subarray(i * dimensions, (i + 1) * dimensions);
  });
  return {
    factsOf,
    chunkMatrix,
    dimensions,
    manifest,
    articles,
    chunks,
    sentences,
    chunkBm25: new Bm25Index({ tokenized: chunkTerms }),
    sentenceBm25: new Bm25Index({ tokenized: sentenceTerms }),
    vocabulary,
  };
}

/** Unit-length copy; a zero or non-finite vector becomes all zeros so it matches nothing. */
export function unit(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector as ArrayLike<number>);
  let sum = 0;
  for (const v of out) sum += v * v;
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) return out.fill(0);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / norm;
  return out;
}

/** Cosine of the query with every row of a matrix of unit vectors. */
export function scoreRows(options: { matrix: Float32Array; dimensions: number; query: Float32Array }): Float64Array {
  const { matrix, dimensions, query } = options;
  const rows = dimensions > 0 ? matrix.length / dimensions : 0;
  const out = new Float64Array(rows);
  const q = query.length === dimensions ? query : new Float32Array(dimensions);
  // The hot loop of a query: indexes are in range by construction, so no `?? 0` per component.
  for (let r = 0, base = 0; r < rows; r++, base += dimensions) {
    let sum = 0;
    for (let d = 0; d < dimensions; d++) sum += (matrix[base + d] as number) * (q[d] as number);
    out[r] = sum;
  }
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
