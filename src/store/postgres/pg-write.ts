import type pg from 'pg';
import pgvector from 'pgvector';
import type { LexiconData } from '../../core/lexicon-data.js';
import { postingWeight } from '../../core/bm25.js';
import { letterMask } from '../../core/spelling.js';
import type { ArticleRecord, Manifest } from '../manifest.js';
import type { ArticleLayout } from '../passage-layout.js';
import type { CorpusTerms } from '../snapshot.js';
import { float32Bytes, SCHEMA } from './connect.js';
import { LIVE_CHANNEL } from './generations.js';

/** Rows per INSERT: large enough to be quick, small enough to keep each statement's parameters modest. */
const ROWS_PER_INSERT = 1000;
/** Bytes of postings per INSERT of terms. */
const POSTING_BYTES_PER_INSERT = 16 * 1024 * 1024;

/** The article as it goes into `articles`: its metadata and the vectors of its layout. */
export interface ArticleRows extends ArticleRecord {
  contentKey: string;
  layout: ArticleLayout;
  /** Unit vectors of the article's items, by item index (see passage-layout.ts). */
  vectors: readonly Float32Array[];
  /** Per sentence: stems of the broader terms of its words, in the order the engine meets them. */
  kinds: ReadonlyArray<readonly string[]>;
}

/** The vector space of a model, made when first used. */
export async function vectorSpace(client: pg.ClientBase, options: { modelId: string; dimensions: number }): Promise<number> {
  const { modelId, dimensions } = options;
  const found = await client.query<{ space: number }>(
    `INSERT INTO ${SCHEMA}.vector_spaces (model_id, dimensions) VALUES ($1, $2)
     ON CONFLICT (model_id, dimensions) DO UPDATE SET model_id = excluded.model_id RETURNING space`,
    [modelId, dimensions],
  );
  return found.rows[0]?.space ?? 0;
}

/** Ids of the stored articles among these content keys. */
export async function findArticles(client: pg.ClientBase, contentKeys: string[]): Promise<Map<string, number>> {
  const found = await client.query<{ id: string; content_key: string }>(`SELECT id, content_key FROM ${SCHEMA}.articles WHERE content_key = ANY($1::text[])`, [contentKeys]);
  return new Map(found.rows.map((r) => [r.content_key, Number(r.id)]));
}

/**
 * Writes articles with their chunks and sentences, all in the caller's transaction: an
 * article's rows are there whole or not at all, so a later build can always reuse them.
 */
export async function writeArticles(client: pg.ClientBase, options: { space: number; articles: readonly ArticleRows[] }): Promise<Map<string, number>> {
  const { space, articles } = options;
  const ids = new Map<string, number>();
  if (articles.length === 0) return ids;
  const inserted = await client.query<{ id: string; content_key: string }>(
    `INSERT INTO ${SCHEMA}.articles (content_key, article_id, hash, title, outlet, date, url, byline, event, space, chunk_count, sentence_count, item_count)
     SELECT k, i, h, t, o, d, u, b, e, $1, c, s, n
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::int[])
       AS x(k, i, h, t, o, d, u, b, e, c, s, n)
     RETURNING id, content_key`,
    [
      space,
      articles.map((a) => a.contentKey),
      articles.map((a) => a.id),
      articles.map((a) => a.hash),
      articles.map((a) => a.title),
      articles.map((a) => a.outlet),
      articles.map((a) => a.date),
      articles.map((a) => a.url),
      articles.map((a) => a.byline),
      articles.map((a) => a.event),
      articles.map((a) => a.layout.chunks.length),
      articles.map((a) => a.layout.sentences.length),
      articles.map((a) => a.vectors.length),
    ],
  );
  for (const row of inserted.rows) ids.set(row.content_key, Number(row.id));

  const chunkRows: unknown[][] = [];
  const sentenceRows: unknown[][] = [];
  for (const a of articles) {
    const id = ids.get(a.contentKey);
    const vector = (item: number | undefined, fallback: number): Float32Array => a.vectors[item ?? fallback] ?? new Float32Array();
    a.layout.chunks.forEach((c, position) => {
      const v = vector(c.item, c.item);
      chunkRows.push([id, position, c.start, c.end, c.text, c.first, c.count, pgvector.toSql(Array.from(v)), float32Bytes(v)]);
    });
    a.layout.sentences.forEach((s, position) => {
      const views = [vector(s.item, s.item), vector(s.context, s.item), vector(s.titled, s.item), ...s.clauses.map((k) => vector(k, k))];
      sentenceRows.push([id, position, s.start, s.end, s.text, s.gapBefore ?? null, s.clauses.length, (a.kinds[position] ?? []).join(' '), float32Bytes(views)]);
    });
  }
  for (let i = 0; i < chunkRows.length; i += ROWS_PER_INSERT) {
    const batch = chunkRows.slice(i, i + ROWS_PER_INSERT);
    await client.query(
      `INSERT INTO ${SCHEMA}.chunks (article, position, space, start_offset, end_offset, text, first_sentence, sentence_count, embedding, vec)
       SELECT a, p, $1, s, e, t, f, n, v::vector, b
       FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[], $8::int[], $9::text[], $10::bytea[]) AS x(a, p, s, e, t, f, n, v, b)`,
      [space, ...columns(batch, 9)],
    );
  }
  for (let i = 0; i < sentenceRows.length; i += ROWS_PER_INSERT) {
    const batch = sentenceRows.slice(i, i + ROWS_PER_INSERT);
    await client.query(
      `INSERT INTO ${SCHEMA}.sentences (article, position, start_offset, end_offset, text, gap_before, clause_count, kinds, vectors)
       SELECT a, p, s, e, t, g, c, k, v
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::bytea[]) AS x(a, p, s, e, t, g, c, k, v)`,
      columns(batch, 9),
    );
  }
  return ids;
}

/** Which articles a generation has, in order, with the first global chunk and sentence of each. */
export async function writeGenerationArticles(
  client: pg.ClientBase,
  options: { generation: number; articles: ReadonlyArray<{ id: number; chunks: number; sentences: number }> },
): Promise<void> {
  const { generation, articles } = options;
  let chunk = 0;
  let sentence = 0;
  const rows = articles.map((a, ordinal) => {
    const row = [ordinal, a.id, chunk, sentence];
    chunk += a.chunks;
    sentence += a.sentences;
    return row;
  });
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await client.query(
      `INSERT INTO ${SCHEMA}.generation_articles (generation, ordinal, article, first_chunk, first_sentence)
       SELECT $1, o, a, c, s FROM unnest($2::int[], $3::bigint[], $4::int[], $5::int[]) AS x(o, a, c, s)`,
      [generation, ...columns(rows.slice(i, i + ROWS_PER_INSERT), 4)],
    );
  }
}

/**
 * The corpus statistics of a generation: its vocabulary (in order, with letter masks for
 * spelling), every term's document frequencies and chunk postings, and its lexicon.
 */
export async function writeGenerationTerms(client: pg.ClientBase, options: { generation: number; terms: CorpusTerms; lexicon: LexiconData }): Promise<void> {
  const { generation, terms, lexicon } = options;
  const words = terms.vocabulary.map((word, ord) => [word, ord, word.length, letterMask(word).toString()]);
  for (let i = 0; i < words.length; i += ROWS_PER_INSERT * 5) {
    await client.query(
      `INSERT INTO ${SCHEMA}.generation_words (generation, word, ord, length, letters)
       SELECT $1, w, o, l, m FROM unnest($2::text[], $3::int[], $4::int[], $5::bigint[]) AS x(w, o, l, m)`,
      [generation, ...columns(words.slice(i, i + ROWS_PER_INSERT * 5), 4)],
    );
  }

  const { sentencePostings: sp, chunkPostings: cp } = terms;
  const chunkIndex = new Map(cp.terms.map((t, i) => [t, i]));
  const chunkCount = cp.lengths.length;
  const chunkAvg = chunkCount > 0 ? cp.lengths.reduce((sum, n) => sum + n, 0) / chunkCount : 0;
  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await client.query(
      `INSERT INTO ${SCHEMA}.generation_terms (generation, term, sentence_df, chunk_df, postings)
       SELECT $1, t, s, c, p FROM unnest($2::text[], $3::int[], $4::int[], $5::bytea[]) AS x(t, s, c, p)`,
      [generation, ...columns(batch, 4)],
    );
    batch = [];
    bytes = 0;
  };
  const termsSeen = new Set<string>();
  const add = async (term: string, sentenceDf: number): Promise<void> => {
    termsSeen.add(term);
    const i = chunkIndex.get(term);
    const from = i === undefined ? 0 : (cp.starts[i] ?? 0);
    const to = i === undefined ? 0 : (cp.starts[i + 1] ?? 0);
    // Best first (see postingWeight), ties in passage order: a reader reads a prefix.
    const weights = Float64Array.from({ length: to - from }, (_, k) => postingWeight({ tf: cp.tfs[from + k] ?? 0, length: cp.lengths[cp.docs[from + k] ?? 0] ?? 0, avgLength: chunkAvg }));
    const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => (weights[b - from] ?? 0) - (weights[a - from] ?? 0) || (cp.docs[a] ?? 0) - (cp.docs[b] ?? 0));
    const packed = Buffer.alloc((to - from) * 12);
    order.forEach((p, k) => {
      const doc = cp.docs[p] ?? 0;
      packed.writeInt32LE(doc, k * 12);
      packed.writeInt32LE(cp.tfs[p] ?? 0, k * 12 + 4);
      packed.writeInt32LE(cp.lengths[doc] ?? 0, k * 12 + 8);
    });
    batch.push([term, sentenceDf, to - from, packed]);
    bytes += packed.length;
    if (batch.length >= ROWS_PER_INSERT || bytes >= POSTING_BYTES_PER_INSERT) await flush();
  };
  for (let i = 0; i < sp.terms.length; i++) await add(sp.terms[i] ?? '', (sp.starts[i + 1] ?? 0) - (sp.starts[i] ?? 0));
  for (const term of cp.terms) if (!termsSeen.has(term)) await add(term, 0);
  await flush();

  const entries: unknown[][] = [];
  for (const relation of ['related', 'places', 'kinds'] as const) {
    for (const [word, targets] of Object.entries(lexicon[relation])) entries.push([relation, word, JSON.stringify(targets)]);
  }
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT * 5) {
    await client.query(
      `INSERT INTO ${SCHEMA}.generation_lexicon (generation, relation, word, targets)
       SELECT $1, r, w, ARRAY(SELECT jsonb_array_elements_text(t::jsonb)) FROM unnest($2::text[], $3::text[], $4::text[]) AS x(r, w, t)`,
      [generation, ...columns(entries.slice(i, i + ROWS_PER_INSERT * 5), 3)],
    );
  }
}

/** A new generation, not yet served. */
export async function createGeneration(
  client: pg.ClientBase,
  options: { name: string; builder: string; modelId: string; dimensions: number; space: number },
): Promise<number> {
  const found = await client.query<{ id: string }>(
    `INSERT INTO ${SCHEMA}.generations (name, state, builder, model_id, dimensions, space) VALUES ($1, 'building', $2, $3, $4, $5) RETURNING id`,
    [options.name, options.builder, options.modelId, options.dimensions, options.space],
  );
  return Number(found.rows[0]?.id);
}

/** Records what a finished generation holds: its manifest and BM25's totals. */
export async function completeGeneration(
  client: pg.ClientBase,
  options: { generation: number; manifest: Manifest; chunkTerms: number; sentenceTerms: number },
): Promise<void> {
  const { generation, manifest, chunkTerms, sentenceTerms } = options;
  await client.query(
    `UPDATE ${SCHEMA}.generations SET built_at = $2, about = $3, manifest = $4, article_count = $5, chunk_count = $6, sentence_count = $7,
       chunk_term_total = $8, sentence_term_total = $9 WHERE id = $1`,
    [
      generation,
      manifest.builtAt,
      JSON.stringify(manifest.about ?? null),
      JSON.stringify(manifest),
      manifest.counts.articles,
      manifest.counts.chunks,
      manifest.counts.sentences,
      chunkTerms,
      sentenceTerms,
    ],
  );
}

/**
 * Makes a generation the live one, in one transaction: every bot sees the old generation or
 * the new one, never a mixture, and every listening bot is told (NOTIFY is sent on commit).
 * Returns the generation it replaced.
 */
export async function switchLive(client: pg.ClientBase, options: { generation: number; name: string }): Promise<number | undefined> {
  const { generation, name } = options;
  await client.query('BEGIN');
  try {
    const before = await client.query<{ generation: string }>(`SELECT generation FROM ${SCHEMA}.live FOR UPDATE`);
    await client.query(`UPDATE ${SCHEMA}.generations SET state = 'ready', switched_at = now() WHERE id = $1`, [generation]);
    await client.query(
      `INSERT INTO ${SCHEMA}.live (one, generation) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET generation = excluded.generation`,
      [generation],
    );
    await client.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, name]);
    await client.query('COMMIT');
    const previous = before.rows[0]?.generation;
    return previous === undefined ? undefined : Number(previous);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Removes what no served generation needs: generations a killed build left unfinished, every
 * generation but the live one and those to keep, then the articles none of the rest has.
 */
export async function removeStaleGenerations(client: pg.ClientBase, options: { keep: ReadonlyArray<number | undefined> }): Promise<void> {
  const keep = options.keep.filter((g): g is number => g !== undefined);
  await client.query(
    `DELETE FROM ${SCHEMA}.generations g WHERE NOT (g.id = ANY($1::bigint[])) AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.live l WHERE l.generation = g.id)`,
    [keep],
  );
  await removeOrphanArticles(client);
}

/** Deletes generations left in the 'building' state (only ever called under the build lock). */
export async function removeUnfinishedGenerations(client: pg.ClientBase): Promise<void> {
  await client.query(`DELETE FROM ${SCHEMA}.generations WHERE state = 'building'`);
}

/** Articles (with their chunks and sentences) that no generation has. */
export async function removeOrphanArticles(client: pg.ClientBase): Promise<void> {
  await client.query(`DELETE FROM ${SCHEMA}.articles a WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.generation_articles ga WHERE ga.article = a.id)`);
}

/** Row-wise values as column arrays, for unnest(). */
function columns(rows: readonly unknown[][], count: number): unknown[][] {
  return Array.from({ length: count }, (_, c) => rows.map((row) => row[c]));
}
