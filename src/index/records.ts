/**
 * What one vectra item holds. Chunks are retrieved; sentences are what gets quoted. Both carry
 * offsets into the article body so every quote can be traced back and verified.
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

export type ItemMetadata = ChunkMetadata | SentenceMetadata;

/** One stored vector with its metadata, as vectra's index.json holds it. */
export interface StoredItem {
  id: string;
  metadata: ItemMetadata;
  vector: number[];
}
