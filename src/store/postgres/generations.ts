import type pg from 'pg';
import { IndexError } from '../../core/errors.js';
import type { CorpusAbout } from '../../core/types.js';
import { describeDatabase, SCHEMA } from './connect.js';

/** The channel a build notifies when it switches the live generation (payload: its name). */
export const LIVE_CHANNEL = 'quotes_live_generation';

/** One build in the database, as a store and the bots see it. */
export interface Generation {
  id: number;
  name: string;
  modelId: string;
  dimensions: number;
  space: number;
  builtAt: string;
  about: CorpusAbout | null;
  articles: number;
  chunks: number;
  sentences: number;
  /** Terms over all chunks and over all sentences: with the counts, BM25's average lengths. */
  chunkTerms: number;
  sentenceTerms: number;
  /** Postings stored best first, so the ranking reads a prefix; built before that, read whole. */
  postingsBestFirst: boolean;
}

const COLUMNS = `g.id, g.name, g.model_id, g.dimensions, g.space, g.built_at, g.about, g.article_count, g.chunk_count, g.sentence_count, g.chunk_term_total, g.sentence_term_total,
  (to_jsonb(g) ->> 'postings_best_first')::boolean AS postings_best_first`;

interface GenerationRow {
  id: string;
  name: string;
  model_id: string;
  dimensions: number;
  space: number;
  built_at: string;
  about: CorpusAbout | null;
  article_count: number;
  chunk_count: number;
  sentence_count: number;
  chunk_term_total: string;
  sentence_term_total: string;
  /** Null in a database not yet upgraded to schema version 3 (a bot may read one before a build upgrades it). */
  postings_best_first: boolean | null;
}

function toGeneration(row: GenerationRow): Generation {
  return {
    id: Number(row.id),
    name: row.name,
    modelId: row.model_id,
    dimensions: row.dimensions,
    space: row.space,
    builtAt: row.built_at,
    about: row.about,
    articles: row.article_count,
    chunks: row.chunk_count,
    sentences: row.sentence_count,
    chunkTerms: Number(row.chunk_term_total),
    sentenceTerms: Number(row.sentence_term_total),
    postingsBestFirst: row.postings_best_first === true,
  };
}

/** The generation the bots serve, or undefined when nothing was built into this database yet. */
export async function readLiveGeneration(client: pg.Pool | pg.ClientBase): Promise<Generation | undefined> {
  const result = await client.query<GenerationRow>(`SELECT ${COLUMNS} FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generations g ON g.id = l.generation`);
  const row = result.rows[0];
  return row ? toGeneration(row) : undefined;
}

/** The live generation, or an IndexError that says to build one. */
export async function requireLiveGeneration(options: { pool: pg.Pool; url: string }): Promise<Generation> {
  const live = await readLiveGeneration(options.pool);
  if (!live) throw new IndexError(`no index in ${describeDatabase(options.url)} (DATABASE_URL); run npm run build-index first`);
  return live;
}

/** The name of the live generation, cheaply: what a replica compares with the one it serves. */
export async function readLiveName(client: pg.Pool | pg.ClientBase): Promise<string | undefined> {
  const result = await client.query<{ name: string }>(`SELECT g.name FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generations g ON g.id = l.generation`);
  return result.rows[0]?.name;
}
