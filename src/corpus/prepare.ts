import { chunkArticle, DEFAULT_CHUNK_SETTINGS, type Chunk, type ChunkSettings } from './chunk.js';
import { cleanArticle } from './clean.js';
import type { LoadedArticle } from './load.js';
import type { Sentence } from './sentences.js';

/** An article cut into what the index stores: chunks for retrieval, sentences for quoting. */
export interface PreparedArticle {
  article: LoadedArticle;
  chunks: Chunk[];
  /** Every sentence of every chunk once, in article order. */
  sentences: Sentence[];
}

/** Cleans and chunks one article. Pure: the same file and settings give the same result. */
export function prepareArticle(options: { article: LoadedArticle; settings?: ChunkSettings }): PreparedArticle {
  const { article, settings = DEFAULT_CHUNK_SETTINGS } = options;
  const { blocks } = cleanArticle({ body: article.body, title: article.title });
  const chunks = chunkArticle({ body: article.body, blocks, settings });
  const seen = new Set<number>();
  const sentences: Sentence[] = [];
  for (const chunk of chunks) {
    for (const sentence of chunk.sentences) {
      if (seen.has(sentence.start)) continue;
      seen.add(sentence.start);
      sentences.push(sentence);
    }
  }
  return { article, chunks, sentences };
}
