import type { ArticleInfo, StoreInfo } from '../answer/store.js';
import { isStopword, words, yearsIn } from '../core/text.js';
import { GENERIC_ABOUT } from '../ingest/about.js';
import type { Manifest, ManifestArticle } from './manifest.js';

/** The engine's view of each article, in manifest order (the order sentence ids follow). */
export function articleInfos(articles: ReadonlyArray<Pick<ManifestArticle, 'id' | 'title' | 'outlet' | 'date' | 'url' | 'event'>>): ArticleInfo[] {
  return articles.map((a) => ({
    source: { id: a.id, title: a.title, outlet: a.outlet, date: a.date, url: a.url },
    event: a.event,
    eventYears: yearsIn(a.event),
    outletWords: [...new Set(words(a.outlet).filter((w) => w.length >= 3 && !isStopword(w)))],
  }));
}

/** What a store reports about the build it serves. */
export function storeInfo(options: {
  manifest: Pick<Manifest, 'about' | 'modelId' | 'dimensions' | 'builtAt'>;
  articles: number;
  chunks: number;
  sentences: number;
}): StoreInfo {
  const { manifest, articles, chunks, sentences } = options;
  return {
    about: manifest.about ?? GENERIC_ABOUT,
    modelId: manifest.modelId,
    dimensions: manifest.dimensions,
    builtAt: manifest.builtAt,
    articles,
    chunks,
    sentences,
  };
}
