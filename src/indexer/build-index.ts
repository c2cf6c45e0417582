import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CHUNK_SETTINGS, type ChunkSettings } from '../ingest/chunk.js';
import { prepareCorpus, type PreparedArticle } from '../ingest/prepare.js';
import { aboutHash, loadCorpusAbout } from '../ingest/about.js';
import type { CorpusAbout } from '../core/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { IndexError } from '../core/errors.js';
import { BUILDS_DIR, buildPath, LEXICON_FILE, MANIFEST_FILE, newBuildName, readCurrent, writeCurrent } from '../store/layout.js';
import { acquireBuildLock } from './lock.js';
import { articleRecord, PIPELINE_VERSION, type Manifest, type ManifestArticle } from '../store/manifest.js';
import { ITEM_KINDS, type StoredItem } from '../store/records.js';
import { buildLexicon } from './lexicon.js';
import { loadWordNet } from './wordnet.js';
import { splitClauses } from '../ingest/clauses.js';
import { words } from '../core/text.js';
import { readBuild, writeDerivedFiles } from '../store/read.js';
import { snapshotFromItems } from '../store/snapshot.js';
import { digestFile, sealManifest, storedTextMatches } from '../store/checksums.js';
import { INDEX_FILE, writeVectraIndex } from '../store/vectra-file.js';

/** Texts handed to the embedder per call during a build. */
export const BUILD_BATCH_SIZE = 64;

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  chunking?: ChunkSettings;
  /** Called after each embedded batch. */
  onProgress?: (progress: { embedded: number; total: number }) => void;
  /**
   * The corpus already loaded and checked with `prepareCorpus` (with the same chunking), so
   * that its problems are reported before the model loads; read from `corpusDir` otherwise.
   */
  prepared?: PreparedArticle[];
  /** Test seam: runs between writing the new build and switching to it. */
  beforeSwitch?: () => Promise<void>;
  now?: () => Date;
}

export interface BuildSummary {
  build: string;
  articles: number;
  chunks: number;
  sentences: number;
  /** Articles whose vectors were computed in this build (new or changed). */
  embeddedArticles: number;
  reusedArticles: number;
  removedArticles: string[];
  seconds: number;
}

/**
 * Builds the index for the corpus beside the live one and then switches to it atomically.
 *
 * Incremental: an article whose file, model and chunking are unchanged keeps its vectors from
 * the live build; only new or changed articles are embedded, removed ones disappear. Nothing
 * in the live build is modified, so a crash or a write error at any point leaves it serving.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const { corpusDir, indexDir, embedder, chunking = DEFAULT_CHUNK_SETTINGS, onProgress, now = () => new Date() } = options;
  const started = performance.now();
  const articles = options.prepared ?? (await prepareCorpus({ dir: corpusDir, settings: chunking }));
  const about = await loadCorpusAbout(corpusDir);

  try {
    await mkdir(join(indexDir, BUILDS_DIR), { recursive: true });
  } catch (cause) {
    throw new IndexError(`cannot write to INDEX_DIR=${indexDir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  const lock = await acquireBuildLock(indexDir);
  const build = newBuildName(now());
  const folder = buildPath({ indexDir, build });
  let switched = false;
  try {
    const previous = await reusableItems({ indexDir, embedder, chunking });
    const items: StoredItem[] = [];
    const toEmbed: Array<{ text: string; item: Omit<StoredItem, 'vector'> }> = [];
    let reusedArticles = 0;
    for (const prepared of articles) {
      const reused = previous.byArticle.get(prepared.article.id);
      // Same file and the same cut: a change to cleaning or sentence splitting re-embeds. And
      // the same text: stored quotes that differ from the file are never carried over.
      if (reused && reused.hash === prepared.article.hash && sameLayout(reused.items, prepared) && storedTextMatches(reused.items, prepared.article.body)) {
        // Loops, not push(...spread): a spread passes every element as an argument on the
        // stack, which overflows for the hundreds of thousands of items of one huge article.
        for (const item of reused.items) items.push(item);
        reusedArticles++;
      } else {
        for (const entry of itemsToEmbed(prepared)) toEmbed.push(entry);
      }
    }
    // Each batch's vectors go straight into their items: the build never holds the corpus's
    // vectors twice (as the model's arrays and as the items'), which ran a 20,000-article build
    // out of memory.
    const batch = BUILD_BATCH_SIZE;
    for (let i = 0; i < toEmbed.length; i += batch) {
      const entries = toEmbed.slice(i, i + batch);
      const vectors = await embedder.embed(entries.map((t) => t.text));
      checkVectors({ vectors, texts: entries.length, dimensions: embedder.dimensions, modelId: embedder.modelId });
      entries.forEach((entry, k) => items.push({ ...entry.item, vector: Float32Array.from(vectors[k] ?? []) }));
      onProgress?.({ embedded: Math.min(i + batch, toEmbed.length), total: toEmbed.length });
    }
    toEmbed.length = 0;

    const manifest = makeManifest({ articles, about, embedder, chunking, builtAt: now().toISOString(), items: items.length });
    const lexicon = buildLexicon({ words: corpusWords(articles), wordnet: await loadWordNet() });
    await mkdir(folder, { recursive: true });
    const sorted = sortItems(items);
    await writeVectraIndex({ folder, items: sorted });
    await writeFile(join(folder, LEXICON_FILE), `${JSON.stringify(lexicon)}\n`);
    // What loading needs, computed once here rather than at every start (see snapshot-file.ts).
    const derived = await writeDerivedFiles({ folder, snapshot: snapshotFromItems({ manifest, items: sorted }) });
    // The manifest is written last: a build folder without one is incomplete by definition. It
    // records the checksum of every file written before it, and its own.
    const files = {
      [INDEX_FILE]: await digestFile(join(folder, INDEX_FILE)),
      [LEXICON_FILE]: await digestFile(join(folder, LEXICON_FILE)),
      ...derived,
    };
    const sealed = sealManifest({ manifest, files });
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(sealed, null, 2)}\n`);
    await options.beforeSwitch?.();
    // An operator who removed the lock by hand may have let another build in: switching now
    // could point CURRENT at a folder that build is about to delete.
    if (!(await lock.held())) {
      throw new IndexError(`the build lock in INDEX_DIR=${indexDir} was removed while this build ran; the previous index is unchanged: run the build again`);
    }
    await writeCurrent({ indexDir, build });
    switched = true;
    // Old folders are only clutter: failing to remove one must not fail a build that is live.
    await removeStaleBuilds({ indexDir, keep: [build, previous.build] }).catch(() => undefined);

    const liveIds = new Set(articles.map((a) => a.article.id));
    return {
      build,
      articles: manifest.counts.articles,
      chunks: manifest.counts.chunks,
      sentences: manifest.counts.sentences,
      embeddedArticles: articles.length - reusedArticles,
      reusedArticles,
      removedArticles: [...previous.byArticle.keys()].filter((id) => !liveIds.has(id)),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    // Once CURRENT names the new folder it is the live index: never delete it.
    if (!switched && (await readCurrent(indexDir).catch(() => undefined)) !== build) {
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    }
    if (error instanceof IndexError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EPERM') {
      throw new IndexError(`cannot write the new index in INDEX_DIR=${indexDir} (${code}); the previous index is unchanged`, { cause: error });
    }
    throw error;
  } finally {
    await lock.release();
  }
}

/**
 * A model that returns too few, wrong-sized or non-finite vectors would otherwise produce a
 * build that is switched live and then refused by every reader.
 */
export function checkVectors(options: { vectors: Float32Array[]; texts: number; dimensions: number; modelId: string }): void {
  const { vectors, texts, dimensions, modelId } = options;
  const bad = vectors.findIndex((v) => v.length !== dimensions || !v.every(Number.isFinite));
  if (vectors.length !== texts || bad >= 0) {
    const what = vectors.length !== texts ? `${vectors.length} vectors for ${texts} texts` : `a vector of ${vectors[bad]?.length} numbers (expected ${dimensions} finite numbers)`;
    throw new IndexError(`the embedding model ${modelId} returned ${what}; the previous index is unchanged`);
  }
}

/** True when stored items cut an article exactly as it is cut now (same chunks, sentences, clauses). */
export function sameLayout(items: StoredItem[], prepared: PreparedArticle): boolean {
  const key = (item: Omit<StoredItem, 'vector'>): string => `${item.metadata.kind}:${item.metadata.start}:${item.metadata.end}`;
  const had = items.map(key).sort();
  const now = itemsToEmbed(prepared).map((entry) => key(entry.item)).sort();
  return had.length === now.length && had.every((k, i) => k === now[i]);
}

/**
 * The texts a build embeds for one article, in build order: its chunks, its sentences, each
 * sentence with the one before it, each sentence with the headline, and the clauses of long
 * sentences.
 */
export function itemsToEmbed(prepared: PreparedArticle): Array<{ text: string; item: Omit<StoredItem, 'vector'> }> {
  const { article, chunks, sentences } = prepared;
  const body = article.body;
  const out: Array<{ text: string; item: Omit<StoredItem, 'vector'> }> = [];
  const views: Array<{ text: string; item: Omit<StoredItem, 'vector'> }> = [];
  const headline = /[.!?…:]$/.test(article.title) ? article.title : `${article.title}.`;
  for (const chunk of chunks) {
    const text = body.slice(chunk.start, chunk.end);
    out.push({
      text,
      item: {
        id: `${article.id}#c${chunk.index}`,
        metadata: {
          kind: 'chunk',
          articleId: article.id,
          title: article.title,
          outlet: article.outlet,
          date: article.date ?? '',
          url: article.url ?? '',
          chunkIndex: chunk.index,
          start: chunk.start,
          end: chunk.end,
          text,
        },
      },
    });
  }
  let chunkAt = 0;
  for (const [index, sentence] of sentences.entries()) {
    const text = body.slice(sentence.start, sentence.end);
    // Sentences and chunks are both in article order: the first chunk holding this sentence is
    // at or after the one that held the previous sentence (one pass, not a search per sentence).
    while (chunkAt < chunks.length - 1 && !((chunks[chunkAt]?.start ?? 0) <= sentence.start && sentence.end <= (chunks[chunkAt]?.end ?? 0))) chunkAt++;
    const chunkIndex = chunks[chunkAt]?.index ?? 0;
    out.push({
      text,
      item: {
        id: `${article.id}#s${sentence.start}`,
        metadata: { kind: 'sentence', articleId: article.id, chunkIndex, start: sentence.start, end: sentence.end, text },
      },
    });
    const { start, end } = sentence;
    const previous = sentences[index - 1];
    const before = previous ? `${body.slice(previous.start, previous.end)} ` : '';
    views.push({ text: `${before}${text}`, item: { id: `${article.id}#x${start}`, metadata: { kind: 'context', articleId: article.id, start, end } } });
    views.push({ text: `${headline} ${text}`, item: { id: `${article.id}#t${start}`, metadata: { kind: 'titled', articleId: article.id, start, end } } });
    for (const clause of splitClauses(text)) {
      views.push({
        text: text.slice(clause.start, clause.end),
        item: {
          id: `${article.id}#k${start + clause.start}`,
          metadata: { kind: 'clause', articleId: article.id, sentenceStart: start, start: start + clause.start, end: start + clause.end },
        },
      });
    }
  }
  return [...out, ...views];
}

/** Items of the live build that may be reused: same model, dimensions, chunking and pipeline. */
async function reusableItems(options: {
  indexDir: string;
  embedder: Embedder;
  chunking: ChunkSettings;
}): Promise<{ build: string | undefined; byArticle: Map<string, { hash: string; items: StoredItem[] }> }> {
  const { indexDir, embedder, chunking } = options;
  const byArticle = new Map<string, { hash: string; items: StoredItem[] }>();
  const build = await readCurrent(indexDir);
  if (!build) return { build, byArticle };
  let previous: Awaited<ReturnType<typeof readBuild>>;
  try {
    previous = await readBuild({ indexDir, build, keepLines: true });
  } catch {
    // A damaged live build cannot donate vectors; the new build embeds everything.
    return { build, byArticle };
  }
  const m = previous.manifest;
  const compatible =
    m.modelId === embedder.modelId &&
    m.dimensions === embedder.dimensions &&
    m.pipelineVersion === PIPELINE_VERSION &&
    m.chunking.maxChars === chunking.maxChars &&
    m.chunking.overlapSentences === chunking.overlapSentences;
  if (!compatible) return { build, byArticle };
  for (const article of m.articles) byArticle.set(article.id, { hash: article.hash, items: [] });
  for (const item of previous.items) byArticle.get(item.metadata.articleId)?.items.push(item);
  return { build, byArticle };
}

export function makeManifest(options: { articles: PreparedArticle[]; about: CorpusAbout; embedder: Embedder; chunking: ChunkSettings; builtAt: string; items: number }): Manifest {
  const { articles, about, embedder, chunking, builtAt, items } = options;
  const entries: ManifestArticle[] = articles.map(({ article, chunks, sentences }) => ({
    ...articleRecord(article),
    chunks: chunks.length,
    sentences: sentences.length,
  }));
  const corpusHash = createHash('sha256');
  for (const entry of entries) corpusHash.update(`${entry.id}:${entry.hash}\n`);
  corpusHash.update(aboutHash(about));
  return {
    format: 1,
    pipelineVersion: PIPELINE_VERSION,
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    chunking: { ...chunking },
    builtAt,
    corpusHash: corpusHash.digest('hex'),
    about,
    articles: entries,
    counts: {
      articles: entries.length,
      chunks: entries.reduce((n, e) => n + e.chunks, 0),
      sentences: entries.reduce((n, e) => n + e.sentences, 0),
      items,
    },
  };
}

/** Deterministic item order (article, then kind in ITEM_KINDS order, by offset). */
function sortItems(items: StoredItem[]): StoredItem[] {
  return [...items].sort((a, b) => {
    const ma = a.metadata;
    const mb = b.metadata;
    if (ma.articleId !== mb.articleId) return ma.articleId < mb.articleId ? -1 : 1;
    if (ma.kind !== mb.kind) return ITEM_KINDS.indexOf(ma.kind) - ITEM_KINDS.indexOf(mb.kind);
    return ma.start - mb.start;
  });
}

/**
 * Keeps the live and the previous build (for a bot still reading it); removes the rest. CURRENT
 * is read again just before: whatever it names now is never deleted, even if it is neither.
 */
async function removeStaleBuilds(options: { indexDir: string; keep: Array<string | undefined> }): Promise<void> {
  const dir = join(options.indexDir, BUILDS_DIR);
  const keep = [...options.keep, await readCurrent(options.indexDir)];
  for (const name of await readdir(dir)) {
    if (!keep.includes(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Every word the quotable text of the corpus uses, for the lexicon. */
export function corpusWords(articles: PreparedArticle[]): Set<string> {
  const all = new Set<string>();
  for (const { article, sentences } of articles) {
    for (const sentence of sentences) for (const word of words(article.body.slice(sentence.start, sentence.end))) all.add(word);
  }
  return all;
}

export async function readManifestFile(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}
