import type { Source } from '../core/types.js';
import { Bm25Index } from '../core/bm25.js';
import { words } from '../core/text.js';
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
}

/**
 * The loaded index in the shape queries need: vectors as unit-length Float32Arrays, BM25
 * postings over chunks and over sentences, and the corpus vocabulary for typo repair.
 */
export interface SearchIndex {
  manifest: Manifest;
  articles: ArticleEntry[];
  chunks: ChunkEntry[];
  sentences: SentenceEntry[];
  chunkBm25: Bm25Index;
  sentenceBm25: Bm25Index;
  /** Every word of the indexed text, lower case, for spelling repair of questions. */
  vocabulary: Set<string>;
}

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
    else sentences.push({ ...entry, previous: undefined });
  }
  sentences.sort((a, b) => a.article - b.article || a.start - b.start);
  chunks.sort((a, b) => a.article - b.article || a.start - b.start);
  sentences.forEach((s, i) => {
    const before = sentences[i - 1];
    if (before && before.article === s.article) s.previous = i - 1;
  });
  // Attach sentences to every chunk that contains them (chunks overlap by a sentence).
  let first = 0;
  for (const chunk of chunks) {
    while (first < sentences.length && (sentences[first]?.article ?? Infinity) < chunk.article) first++;
    for (let i = first; i < sentences.length; i++) {
      const s = sentences[i];
      if (!s || s.article !== chunk.article || s.start >= chunk.end) break;
      if (s.start >= chunk.start && s.end <= chunk.end) chunk.sentences.push(i);
    }
  }
  const vocabulary = new Set<string>();
  for (const s of sentences) for (const w of words(s.text)) vocabulary.add(w);
  return {
    manifest,
    articles,
    chunks,
    sentences,
    chunkBm25: new Bm25Index({ documents: chunks.map((c) => c.text) }),
    sentenceBm25: new Bm25Index({ documents: sentences.map((s) => s.text) }),
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

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
