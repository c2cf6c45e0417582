import { createHash } from 'node:crypto';
import type pg from 'pg';
import { IndexError } from '../core/errors.js';
import { words } from '../core/text.js';
import { unit } from '../core/vectors.js';
import type { Embedder } from '../embedding/embedder.js';
import { loadCorpusAbout } from '../ingest/about.js';
import { DEFAULT_CHUNK_SETTINGS, type ChunkSettings } from '../ingest/chunk.js';
import { prepareCorpus, type PreparedArticle } from '../ingest/prepare.js';
import { newBuildName } from '../store/layout.js';
import { createLexicon } from '../store/lexicon.js';
import { articleRecord, PIPELINE_VERSION } from '../store/manifest.js';
import { layoutArticle, type ArticleLayout } from '../store/passage-layout.js';
import { corpusTerms, textLayout } from '../store/snapshot.js';
import { createPgPool, explainPgError, inTransaction, SCHEMA } from '../store/postgres/connect.js';
import { ensureHnswIndex, ensureSchema } from '../store/postgres/schema.js';
import {
  completeGeneration,
  createGeneration,
  findArticles,
  removeStaleGenerations,
  removeUnfinishedGenerations,
  switchLive,
  vectorSpace,
  writeArticles,
  writeGenerationArticles,
  writeGenerationTerms,
  type ArticleRows,
} from '../store/postgres/pg-write.js';
import { storedVector } from '../store/vectra-file.js';
import { BUILD_BATCH_SIZE, checkVectors, corpusWords, itemsToEmbed, makeManifest, type BuildSummary } from './build-index.js';
import { buildLexicon } from './lexicon.js';
import { acquirePgBuildLock } from './pg-lock.js';
import { loadWordNet, wordNetVersion } from './wordnet.js';

/** Bumped when the rows an article is stored as change: older rows are then not reused. */
const ARTICLE_ROWS_VERSION = 1;
/**
 * Finished articles are written once this many are waiting, or this long after the last
 * write: few transactions, and a kill loses little embedding work.
 */
const ARTICLES_PER_WRITE = 8;
const WRITE_EVERY_MS = 1000;

export interface PgBuildOptions {
  /** The database's connection URL. */
  url: string;
  corpusDir: string;
  embedder: Embedder;
  chunking?: ChunkSettings;
  /** Called after each embedded batch. */
  onProgress?: (progress: { embedded: number; total: number }) => void;
  /** Told as each step after embedding starts (they can take minutes on a large corpus). */
  onStep?: (step: string) => void;
  /** The corpus already loaded and checked with `prepareCorpus` (same chunking). */
  prepared?: PreparedArticle[];
  /** Test seam: runs between writing the new generation and switching to it. */
  beforeSwitch?: () => Promise<void>;
  now?: () => Date;
  /** Wait for a build that holds the lock instead of refusing. @default false */
  waitForLock?: boolean;
  onWait?: (holder: string) => void;
  /** Asked once the lock is held: false means another build already did the work. */
  stillNeeded?: () => Promise<boolean>;
}

/** An article to store: its items, their layout, and the key its rows are found by. */
interface Plan {
  prepared: PreparedArticle;
  entries: ReturnType<typeof itemsToEmbed>;
  layout: ArticleLayout;
  key: string;
}

/**
 * Builds the corpus into PostgreSQL as a new generation and makes it live in one transaction.
 *
 * Incremental: an article stored before with the same file, model, chunking and layout (its
 * content key, which includes the WordNet version its stored kinds come from) is reused row for row; only new or changed articles are embedded, in the same
 * order and batches as the file build, and written a few at a time, each whole or not at
 * all. Nothing a bot reads changes until the switch, so a build killed at any point leaves
 * the live generation serving; the next build clears what it left and reuses the articles it
 * had finished. One build at a time (an advisory lock); old generations are removed after
 * the switch, keeping the one before for bots still reloading.
 * @returns undefined when `stillNeeded` said another build had done the work
 */
export async function buildPgIndex(options: PgBuildOptions): Promise<BuildSummary | undefined> {
  const { url, corpusDir, chunking = DEFAULT_CHUNK_SETTINGS, onProgress, now = () => new Date() } = options;
  const started = performance.now();
  const articles = options.prepared ?? (await prepareCorpus({ dir: corpusDir, settings: chunking }));
  const about = await loadCorpusAbout(corpusDir);
  const pool = createPgPool({ url, role: 'build', max: 2 });
  try {
    await ensureSchema(pool);
    const lock = await acquirePgBuildLock({ url, role: 'build', wait: options.waitForLock ?? false, ...(options.onWait ? { onWait: options.onWait } : {}) });
    try {
      if (options.stillNeeded && !(await options.stillNeeded())) return undefined;
      return await buildUnderLock({ ...options, pool, db: lock.client, articles, about, chunking, started, now, ...(onProgress ? { onProgress } : {}) });
    } finally {
      await lock.release();
    }
  } catch (error) {
    throw explainPgError({ error, url, doing: 'build the index' });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function buildUnderLock(
  options: PgBuildOptions & {
    pool: pg.Pool;
    db: pg.Client;
    articles: PreparedArticle[];
    about: Awaited<ReturnType<typeof loadCorpusAbout>>;
    chunking: ChunkSettings;
    started: number;
    now: () => Date;
  },
): Promise<BuildSummary> {
  const { pool, db, articles, about, embedder, chunking, started, now, onProgress } = options;
  // What a killed build left is cleared first; its finished articles stay, to be reused.
  await removeUnfinishedGenerations(db);
  const previousIds = await liveArticleIds(db);
  const space = await vectorSpace(db, { modelId: embedder.modelId, dimensions: embedder.dimensions });
  const name = newBuildName(now());
  const generation = await createGeneration(db, { name, builder: `pid ${process.pid}`, modelId: embedder.modelId, dimensions: embedder.dimensions, space });

  const plans: Plan[] = articles.map((prepared) => {
    const entries = itemsToEmbed(prepared);
    return { prepared, entries, layout: layoutArticle(entries.map((e) => e.item)), key: contentKey({ prepared, entries, embedder, chunking }) };
  });
  const stored = await findArticles(db, plans.map((p) => p.key));
  const fresh = plans.filter((p) => !stored.has(p.key));
  const lexicon = buildLexicon({ words: corpusWords(articles), wordnet: await loadWordNet() });
  const kinds = createLexicon(lexicon);
  await embedAndWrite({ pool, plans: fresh, embedder, space, stored, kindsOf: (word) => kinds.kinds(word), ...(onProgress ? { onProgress } : {}) });

  const step = options.onStep ?? (() => undefined);
  step('writing the generation: articles, term statistics, vocabulary, lexicon');
  const ids = plans.map((p) => stored.get(p.key));
  if (ids.some((id) => id === undefined)) throw new IndexError('an article was not stored; the previous index is unchanged: run the build again');
  await writeGenerationArticles(db, {
    generation,
    articles: plans.map((p, i) => ({ id: ids[i] ?? 0, chunks: p.layout.chunks.length, sentences: p.layout.sentences.length })),
  });
  const terms = corpusTerms(plans.map((p) => textLayout(p.layout)));
  await writeGenerationTerms(db, { generation, terms, lexicon });
  const items = plans.reduce((n, p) => n + p.entries.length, 0);
  const manifest = makeManifest({ articles, about, embedder, chunking, builtAt: now().toISOString(), items });
  const total = (lengths: Int32Array): number => lengths.reduce((n, l) => n + l, 0);
  await completeGeneration(db, { generation, manifest, chunkTerms: total(terms.chunkPostings.lengths), sentenceTerms: total(terms.sentencePostings.lengths) });
  // A first build's vectors are indexed in one pass, which pgvector does much faster than
  // row by row; later builds add their rows to the existing index.
  step('updating the HNSW index, vacuuming and the planner statistics');
  await db.query(`SET maintenance_work_mem = '512MB'`).catch(() => undefined);
  await ensureHnswIndex({ client: db, space, dimensions: embedder.dimensions });
  // Vacuumed here, not by autovacuum once the bots serve the new generation: a vacuum of the
  // rows just written then competed with the first questions (answer p95 53 ms against 34 ms
  // a minute later, at 5,000 articles) and the marked pages let lookups skip the table.
  await db.query(
    `VACUUM (ANALYZE) ${SCHEMA}.articles, ${SCHEMA}.chunks, ${SCHEMA}.sentences, ${SCHEMA}.generation_articles, ${SCHEMA}.generation_terms, ${SCHEMA}.generation_words, ${SCHEMA}.generation_lexicon`,
  );
  await checkGeneration({ db, generation, manifest });
  await options.beforeSwitch?.();
  step('switching the live generation');
  const previous = await switchLive(db, { generation, name });
  step('removing old generations');
  // Old generations are only clutter: failing to remove one must not fail a build that is live.
  await removeStaleGenerations(db, { keep: [generation, previous] }).catch(() => undefined);

  const liveIds = new Set(articles.map((a) => a.article.id));
  return {
    build: name,
    articles: manifest.counts.articles,
    chunks: manifest.counts.chunks,
    sentences: manifest.counts.sentences,
    embeddedArticles: fresh.length,
    reusedArticles: plans.length - fresh.length,
    removedArticles: previousIds.filter((id) => !liveIds.has(id)),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Embeds the new articles' texts in the file build's order and batch size (so both stores
 * hold the same vectors), and writes each article, in its own transaction with a few others,
 * as soon as all its vectors are in.
 */
async function embedAndWrite(options: {
  pool: pg.Pool;
  plans: Plan[];
  embedder: Embedder;
  space: number;
  stored: Map<string, number>;
  kindsOf: (word: string) => ReadonlySet<string>;
  onProgress?: (progress: { embedded: number; total: number }) => void;
}): Promise<void> {
  const { pool, plans, embedder, space, stored, kindsOf, onProgress } = options;
  const texts = plans.flatMap((plan, p) => plan.entries.map((entry, index) => ({ p, index, text: entry.text })));
  const vectors = plans.map((plan) => new Array<Float32Array>(plan.entries.length));
  const remaining = plans.map((plan) => plan.entries.length);
  let ready: number[] = [];
  let wroteAt = performance.now();
  const write = async (): Promise<void> => {
    const rows: ArticleRows[] = ready.map((p) => rowsOf({ plan: plans[p] as Plan, vectors: vectors[p] ?? [], kindsOf }));
    ready = [];
    wroteAt = performance.now();
    const ids = await inTransaction(pool, (client) => writeArticles(client, { space, articles: rows }));
    for (const [key, id] of ids) stored.set(key, id);
  };
  for (let i = 0; i < texts.length; i += BUILD_BATCH_SIZE) {
    const batch = texts.slice(i, i + BUILD_BATCH_SIZE);
    let embedded: Float32Array[];
    try {
      embedded = await embedder.embed(batch.map((t) => t.text));
      checkVectors({ vectors: embedded, texts: batch.length, dimensions: embedder.dimensions, modelId: embedder.modelId });
    } catch (error) {
      // The articles finished so far are kept for the next build, which reuses them.
      if (ready.length > 0) await write().catch(() => undefined);
      throw error;
    }
    batch.forEach((t, k) => {
      const list = vectors[t.p];
      // As the file build stores it (nine digits, exactly the float32), then unit length.
      if (list) list[t.index] = unit(storedVector(embedded[k] ?? new Float32Array()));
      remaining[t.p] = (remaining[t.p] ?? 1) - 1;
      if (remaining[t.p] === 0) ready.push(t.p);
    });
    onProgress?.({ embedded: Math.min(i + BUILD_BATCH_SIZE, texts.length), total: texts.length });
    if (ready.length >= ARTICLES_PER_WRITE || (ready.length > 0 && performance.now() - wroteAt >= WRITE_EVERY_MS)) await write();
  }
  if (ready.length > 0) await write();
}

function rowsOf(options: { plan: Plan; vectors: Float32Array[]; kindsOf: (word: string) => ReadonlySet<string> }): ArticleRows {
  const { plan, vectors, kindsOf } = options;
  const { article } = plan.prepared;
  // As the in-memory store gathers them: each word in order, each of its broader terms once.
  const kinds = plan.layout.sentences.map((s) => {
    const set = new Set<string>();
    for (const w of words(s.text)) for (const k of kindsOf(w)) set.add(k);
    return [...set];
  });
  return {
    contentKey: plan.key,
    ...articleRecord(article),
    layout: plan.layout,
    vectors,
    kinds,
  };
}

/**
 * What an article's rows are found by: its file, the model, the pipeline and chunking, and
 * exactly how it is cut (so a change to cutting that forgot to bump the pipeline version still
 * re-embeds).
 */
function contentKey(options: { prepared: PreparedArticle; entries: ReturnType<typeof itemsToEmbed>; embedder: Embedder; chunking: ChunkSettings }): string {
  const { prepared, entries, embedder, chunking } = options;
  const cut = entries.map((e) => `${e.item.metadata.kind}:${e.item.metadata.start}:${e.item.metadata.end}`).join(',');
  const key = [
    ARTICLE_ROWS_VERSION,
    PIPELINE_VERSION,
    wordNetVersion(),
    embedder.modelId,
    embedder.dimensions,
    chunking.maxChars,
    chunking.overlapSentences,
    prepared.article.id,
    prepared.article.hash,
    cut,
  ];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** Article ids of the live generation (to report what a build removed). */
async function liveArticleIds(db: pg.ClientBase): Promise<string[]> {
  const found = await db.query<{ article_id: string }>(
    `SELECT a.article_id FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generation_articles ga ON ga.generation = l.generation JOIN ${SCHEMA}.articles a ON a.id = ga.article`,
  );
  return found.rows.map((r) => r.article_id);
}

/** The generation's rows add up to its manifest before anyone is pointed at it. */
async function checkGeneration(options: { db: pg.ClientBase; generation: number; manifest: ReturnType<typeof makeManifest> }): Promise<void> {
  const { db, generation, manifest } = options;
  const found = await db.query<{ articles: string; chunks: string | null; sentences: string | null }>(
    `SELECT count(*) AS articles, sum(a.chunk_count) AS chunks, sum(a.sentence_count) AS sentences
     FROM ${SCHEMA}.generation_articles ga JOIN ${SCHEMA}.articles a ON a.id = ga.article WHERE ga.generation = $1`,
    [generation],
  );
  const row = found.rows[0];
  const fits =
    Number(row?.articles) === manifest.counts.articles && Number(row?.chunks ?? 0) === manifest.counts.chunks && Number(row?.sentences ?? 0) === manifest.counts.sentences;
  if (!fits) throw new IndexError('the new index in the database does not add up to its manifest; the previous index is unchanged: run the build again');
}
