/**
 * What one vectra item holds. Chunks are retrieved; sentences are what gets quoted, and each
 * sentence is also embedded in context (with the sentence before it, and with the headline)
 * and, when long, clause by clause: a question may match any of these better than the bare
 * sentence. Every item carries offsets into the article body so every quote can be traced back
 * and verified; only chunks and sentences store their text (the other views are vectors of
 * text the sentences already hold).
 */
export interface ChunkMetadata {
  [key: string]: string | number | boolean;
  kind: 'chunk';
  articleId: string;
  title: string;
  outlet: string;
  /** YYYY-MM-DD, or '' when unknown (vectra metadata cannot be null). */
  date: string;
  url: string;
  chunkIndex: number;
  start: number;
  end: number;
  text: string;
}

export interface SentenceMetadata {
  [key: string]: string | number | boolean;
  kind: 'sentence';
  articleId: string;
  /** The first chunk the sentence belongs to. */
  chunkIndex: number;
  start: number;
  end: number;
  text: string;
}

/**
 * A sentence embedded with its surroundings: `context` is the sentence before it and the
 * sentence, `titled` the headline and the sentence. Offsets are the sentence's own.
 */
export interface SentenceViewMetadata {
  [key: string]: string | number | boolean;
  kind: 'context' | 'titled';
  articleId: string;
  start: number;
  end: number;
}

/** A clause of a long sentence; `start`/`end` are the clause's, `sentenceStart` its sentence's. */
export interface ClauseMetadata {
  [key: string]: string | number | boolean;
  kind: 'clause';
  articleId: string;
  sentenceStart: number;
  start: number;
  end: number;
}

export type ItemMetadata = ChunkMetadata | SentenceMetadata | SentenceViewMetadata | ClauseMetadata;

export type ItemKind = ItemMetadata['kind'];

export const ITEM_KINDS: readonly ItemKind[] = ['chunk', 'sentence', 'context', 'titled', 'clause'];

/**
 * One stored vector with its metadata, as vectra's index.json holds it. The vector is kept as
 * float32 (a quarter of the memory of a JS array, and outside the JS heap): a 20,000-article
 * build holds two million of them. Arithmetic on it goes through `storedVector`, the numbers
 * index.json holds, so every reader computes on the same values.
 */
export interface StoredItem {
  id: string;
  metadata: ItemMetadata;
  vector: Float32Array;
}
