import type { ChunkSettings } from '../ingest/chunk.js';
import type { CorpusAbout } from '../core/types.js';
import { IndexError } from '../core/errors.js';
import type { Integrity } from './checksums.js';

/**
 * Bumped whenever cleaning, sentence splitting or the stored layout changes, so an old build
 * is re-embedded instead of reused.
 */
export const PIPELINE_VERSION = 5;

/** What every index keeps of an article besides its passages: its source and its file's hash. */
export interface ArticleRecord {
  id: string;
  title: string;
  outlet: string;
  date: string | null;
  url: string | null;
  byline: string | null;
  event: string;
  /** sha256 of the corpus file: unchanged hash, model and settings mean the vectors are reused. */
  hash: string;
}

/** The record of a loaded article (the file and index stores both keep these fields). */
export function articleRecord(article: ArticleRecord): ArticleRecord {
  const { id, title, outlet, date, url, byline, event, hash } = article;
  return { id, title, outlet, date, url, byline, event, hash };
}

export interface ManifestArticle extends ArticleRecord {
  chunks: number;
  sentences: number;
}

/** What an index was built from; checked before any query. */
export interface Manifest {
  format: 1;
  pipelineVersion: number;
  modelId: string;
  dimensions: number;
  chunking: ChunkSettings;
  builtAt: string;
  /** sha256 over the article hashes in id order, and the corpus description's. */
  corpusHash: string;
  /** The corpus's description of itself (corpus/about.json) at build time. */
  about?: CorpusAbout;
  articles: ManifestArticle[];
  /** `items`: every vector stored (chunks, sentences, their context views and clauses). */
  counts: { articles: number; chunks: number; sentences: number; items: number };
  /** Checksums of the build's files and of this manifest; every build since they exist has them. */
  integrity?: Integrity;
}

/** Validates parsed JSON as a manifest; a damaged file gets a message, not a crash later. */
export function parseManifest(options: { json: unknown; path: string }): Manifest {
  const { json, path } = options;
  const m = json as Partial<Manifest> | null;
  const ok =
    m !== null &&
    typeof m === 'object' &&
    m.format === 1 &&
    typeof m.modelId === 'string' &&
    typeof m.dimensions === 'number' &&
    typeof m.builtAt === 'string' &&
    typeof m.pipelineVersion === 'number' &&
    Array.isArray(m.articles) &&
    m.articles.every(isManifestArticle) &&
    typeof m.chunking?.maxChars === 'number' &&
    typeof m.counts?.chunks === 'number' &&
    typeof m.counts.sentences === 'number' &&
    typeof m.counts.items === 'number';
  if (!ok) throw new IndexError(`the index manifest ${path} is damaged; rebuild with npm run build-index`);
  return m as Manifest;
}

function isManifestArticle(value: unknown): value is ManifestArticle {
  const a = value as Partial<Record<keyof ManifestArticle, unknown>> | null;
  const text = (v: unknown): boolean => typeof v === 'string';
  const optional = (v: unknown): boolean => v === null || typeof v === 'string';
  return (
    typeof a === 'object' &&
    a !== null &&
    text(a.id) &&
    text(a.title) &&
    text(a.outlet) &&
    text(a.event) &&
    text(a.hash) &&
    optional(a.date) &&
    optional(a.url)
  );
}

/** Refuses an index whose vectors come from another model: cosine over them is meaningless. */
export function assertSameModel(options: { manifest: Pick<Manifest, 'modelId' | 'dimensions'>; modelId: string; dimensions: number }): void {
  const { manifest, modelId, dimensions } = options;
  if (manifest.modelId !== modelId || manifest.dimensions !== dimensions) {
    throw new IndexError(
      `the index was built with ${manifest.modelId} (${manifest.dimensions} dims) but EMBEDDING_MODEL is ${modelId} (${dimensions} dims); ` +
        'rebuild with npm run build-index or set EMBEDDING_MODEL to the index model',
    );
  }
}
