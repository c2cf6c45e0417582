import type { PassageStore } from '../../src/answer/store.js';
import { EMPTY_LEXICON, type LexiconData } from '../../src/core/lexicon-data.js';
import { terms } from '../../src/core/text.js';
import type { Manifest } from '../../src/store/manifest.js';
import type { StoredItem } from '../../src/store/records.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { snapshotFromItems } from '../../src/store/snapshot.js';

export interface SyntheticArticle {
  id: string;
  outlet?: string;
  title?: string;
  date?: string | null;
  event?: string;
  /** Paragraphs; each becomes one chunk, its sentences separated by " ". */
  paragraphs: string[][];
}

/** A deterministic bag-of-words vector: a stand-in embedding for pure ranking tests. */
export function bagOfWords(text: string, dimensions = 64): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const t of terms(text)) {
    let h = 2166136261;
    for (const ch of t) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[Math.abs(h) % dimensions] = (v[Math.abs(h) % dimensions] ?? 0) + 1;
  }
  return v;
}

/**
 * A store built straight from sentences, as a loaded build would give it: every sentence with
 * its context and headline views, one chunk per paragraph.
 */
export function syntheticStore(articles: SyntheticArticle[], options: { vector?: (text: string) => number[]; lexicon?: LexiconData } = {}): PassageStore {
  const { vector: numbers = bagOfWords, lexicon = EMPTY_LEXICON } = options;
  const vector = (text: string): Float32Array => Float32Array.from(numbers(text));
  const items: StoredItem[] = [];
  const manifestArticles: Manifest['articles'] = [];
  let chunks = 0;
  let sentences = 0;
  for (const a of articles) {
    const title = a.title ?? `${a.id} title`;
    let body = '';
    let previous = '';
    a.paragraphs.forEach((paragraph, chunkIndex) => {
      if (body) body += '\n\n';
      const chunkStart = body.length;
      paragraph.forEach((s, i) => {
        if (i > 0) body += ' ';
        const start = body.length;
        body += s;
        const end = body.length;
        items.push({ id: `${a.id}#s${start}`, metadata: { kind: 'sentence', articleId: a.id, chunkIndex, start, end, text: s }, vector: vector(s) });
        items.push({ id: `${a.id}#x${start}`, metadata: { kind: 'context', articleId: a.id, start, end }, vector: vector(`${previous} ${s}`) });
        items.push({ id: `${a.id}#t${start}`, metadata: { kind: 'titled', articleId: a.id, start, end }, vector: vector(`${title}. ${s}`) });
        previous = s;
        sentences++;
      });
      const text = body.slice(chunkStart);
      items.push({
        id: `${a.id}#c${chunkIndex}`,
        metadata: { kind: 'chunk', articleId: a.id, title, outlet: a.outlet ?? a.id, date: a.date ?? '', url: '', chunkIndex, start: chunkStart, end: body.length, text },
        vector: vector(text),
      });
      chunks++;
    });
    manifestArticles.push({
      id: a.id, title, outlet: a.outlet ?? a.id, date: a.date ?? null, url: null, byline: null,
      event: a.event ?? 'October 2025 visit', hash: a.id, chunks: a.paragraphs.length, sentences: a.paragraphs.flat().length,
    });
  }
  const manifest: Manifest = {
    format: 1, pipelineVersion: 3, modelId: 'synthetic', dimensions: 64, chunking: { maxChars: 600, overlapSentences: 1 },
    builtAt: '2025-10-10T00:00:00.000Z', corpusHash: 'x', articles: manifestArticles, counts: { articles: articles.length, chunks, sentences, items: items.length },
  };
  return createMemoryStore({ manifest, lexicon, snapshot: snapshotFromItems({ manifest, items }) });
}
