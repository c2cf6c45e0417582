import type { Block } from './clean.js';
import { splitSentences, type Sentence } from './sentences.js';
import { QUOTING } from '../core/settings.js';

/** Chunking settings; recorded in the index manifest so a change forces a full rebuild. */
export interface ChunkSettings {
  /** Target chunk length in characters. @default 600 */
  maxChars: number;
  /** Sentences repeated from the end of one chunk at the start of the next. @default 1 */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_SETTINGS: Readonly<ChunkSettings> = QUOTING.chunk;

/** A retrieval unit: consecutive sentences of one article. */
export interface Chunk {
  /** Position of the chunk in its article. */
  index: number;
  start: number;
  end: number;
  /** Sentences of the chunk, in order; offsets point into the article body. */
  sentences: Sentence[];
}

/**
 * Groups the sentences of the kept paragraphs into chunks of about `maxChars`. Paragraph
 * breaks are preferred split points; a chunk never spans a dropped line. When a long paragraph
 * has to be split, the next chunk repeats the last `overlapSentences` sentences so a fact that
 * straddles the split is still retrievable with its context.
 */
export function chunkArticle(options: { body: string; blocks: Block[]; settings?: ChunkSettings }): Chunk[] {
  const { body, blocks, settings = DEFAULT_CHUNK_SETTINGS } = options;
  const chunks: Chunk[] = [];
  let current: Sentence[] = [];
  let previousBlockEnd = -1;

  const flush = (): void => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) chunks.push({ index: chunks.length, start: first.start, end: last.end, sentences: current });
    current = [];
  };
  const length = (sentences: Sentence[], extra?: Sentence): number => {
    const first = sentences[0] ?? extra;
    const last = extra ?? sentences[sentences.length - 1];
    return first && last ? last.end - first.start : 0;
  };

  for (const block of blocks) {
    // Only paragraphs that were adjacent in the article (nothing dropped between) may share a chunk.
    const gap = body.slice(previousBlockEnd, block.start);
    if (previousBlockEnd >= 0 && gap.trim() !== '') flush();
    previousBlockEnd = block.end;
    const sentences = splitSentences({ text: block.text, offset: block.start });
    const fitsWhole = length(current, sentences[sentences.length - 1]) <= settings.maxChars;
    if (!fitsWhole && current.length > 0) flush();
    for (const sentence of sentences) {
      if (current.length > 0 && length(current, sentence) > settings.maxChars) {
        const carried = settings.overlapSentences > 0 ? current.slice(-settings.overlapSentences) : [];
        flush();
        // Carry the overlap only when it leaves room for the new sentence.
        if (length(carried, sentence) <= settings.maxChars) current = [...carried];
      }
      current.push(sentence);
    }
  }
  flush();
  return chunks;
}
