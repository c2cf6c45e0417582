import { CorpusError } from '../core/errors.js';
import { chunkArticle, DEFAULT_CHUNK_SETTINGS, type Chunk, type ChunkSettings } from './chunk.js';
import { cleanArticle } from './clean.js';
import { findDuplicates } from './duplicates.js';
import { loadCorpus, type LoadedArticle } from './load.js';
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

/**
 * Loads, checks and cuts the whole corpus: everything a build needs from the articles, and
 * every way the articles can be unusable, found before any model is loaded. The same article
 * under two file names is refused: indexed twice, it would corroborate itself.
 */
export async function prepareCorpus(options: { dir: string; settings?: ChunkSettings }): Promise<PreparedArticle[]> {
  const articles = (await loadCorpus({ dir: options.dir })).map((article) => prepareArticle({ article, ...(options.settings ? { settings: options.settings } : {}) }));
  const empty = articles.filter((a) => a.chunks.length === 0);
  if (empty.length > 0) {
    throw new CorpusError(empty.map((a) => `${a.article.id}.md: no article text is left after removing publisher clutter; check the file's body`).join('\n'));
  }
  const duplicates = findDuplicates(articles);
  if (duplicates.length > 0) {
    throw new CorpusError(
      duplicates
        .map(({ first, second, overlap }) =>
          overlap === 1
            ? `${first}.md and ${second}.md hold the same article text; remove one of them`
            : `${first}.md and ${second}.md hold the same article (${Math.floor(overlap * 100)}% of the shorter one's text is in the other); remove one of them`,
        )
        .join('\n'),
    );
  }
  return articles;
}
