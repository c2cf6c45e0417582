import type { ItemMetadata } from './records.js';

/** A chunk of one article: what retrieval ranks, and the sentences it holds whole. */
export interface ChunkLayout {
  /** Index of its item in the article's items. */
  item: number;
  start: number;
  end: number;
  text: string;
  /** Its sentences, by position in the article: `first` to `first + count - 1`. */
  first: number;
  count: number;
}

/** A quotable sentence of one article, with the items that hold its other views. */
export interface SentenceLayout {
  item: number;
  start: number;
  end: number;
  text: string;
  /**
   * The characters between the sentence before it and this one, when a chunk holds both (a
   * quote joins only such neighbours); undefined otherwise.
   */
  gapBefore: string | undefined;
  /** Items of the context and headline views (undefined: the sentence's own vector stands in). */
  context: number | undefined;
  titled: number | undefined;
  /** Items of its clauses, in order. */
  clauses: number[];
}

/** One article as every store serves it: chunks and sentences in article order. */
export interface ArticleLayout {
  chunks: ChunkLayout[];
  sentences: SentenceLayout[];
}

/**
 * Lays out one article's stored items: sentences and chunks sorted by offset, each chunk with
 * the sentences it holds whole, each sentence with its views, clauses and the gap to the
 * sentence before it. Every store (files in memory, PostgreSQL) serves this one layout, so they
 * cannot disagree about neighbours, gaps or which sentences a passage offers.
 * @param items the article's items, in the order the build stored them
 */
export function layoutArticle(items: ReadonlyArray<{ metadata: ItemMetadata }>): ArticleLayout {
  const chunkItems: Array<{ item: number; start: number; end: number; text: string }> = [];
  const sentenceItems: Array<{ item: number; start: number; end: number; text: string }> = [];
  const views = new Map<string, number>();
  const clauses = new Map<number, number[]>();
  items.forEach(({ metadata: m }, item) => {
    if (m.kind === 'chunk') chunkItems.push({ item, start: m.start, end: m.end, text: m.text });
    else if (m.kind === 'sentence') sentenceItems.push({ item, start: m.start, end: m.end, text: m.text });
    else if (m.kind === 'clause') {
      const list = clauses.get(m.sentenceStart);
      if (list) list.push(item);
      else clauses.set(m.sentenceStart, [item]);
    } else views.set(`${m.kind}:${m.start}`, item);
  });
  // Stable sorts: equal offsets keep the build's order.
  sentenceItems.sort((a, b) => a.start - b.start);
  chunkItems.sort((a, b) => a.start - b.start);
  const sentences: SentenceLayout[] = sentenceItems.map((s) => ({
    ...s,
    gapBefore: undefined,
    context: views.get(`context:${s.start}`),
    titled: views.get(`titled:${s.start}`),
    clauses: clauses.get(s.start) ?? [],
  }));

  // Sentences to chunks in one merge pass: both lists are sorted by offset.
  const chunks: ChunkLayout[] = [];
  let first = 0;
  for (const c of chunkItems) {
    while (first < sentences.length && (sentences[first]?.end ?? 0) <= c.start) first++;
    const held: number[] = [];
    for (let i = first; i < sentences.length; i++) {
      const s = sentences[i];
      if (!s || s.start >= c.end) break;
      if (s.start >= c.start && s.end <= c.end) held.push(i);
    }
    // Sentences never overlap, so the ones a chunk holds whole are consecutive.
    const from = held[0] ?? first;
    if (held.some((i, k) => i !== from + k)) throw new Error(`chunk ${c.start}-${c.end} holds sentences that are not consecutive`);
    chunks.push({ item: c.item, start: c.start, end: c.end, text: c.text, first: from, count: held.length });
    // The characters between two sentences of one chunk are known: a quote may join them.
    for (const i of held) {
      const s = sentences[i];
      const p = sentences[i - 1];
      if (s && p && i > 0 && p.start >= c.start) s.gapBefore = c.text.slice(p.end - c.start, s.start - c.start);
    }
  }
  return { chunks, sentences };
}
