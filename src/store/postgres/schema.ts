import type pg from 'pg';
import { IndexError } from '../../core/errors.js';
import { SCHEMA } from './connect.js';

/** Bumped with every change to the tables below; an older database is upgraded (UPGRADES), a newer one refused. */
export const SCHEMA_VERSION = 3;

/** Any fixed number: every process that changes the schema takes this lock first. */
const SCHEMA_LOCK = 7_142_008_001;

/** Follow-ups: the question each recent bot answer answered, per chat (times from the bot's clock). */
const CONVERSATIONS = `
CREATE TABLE ${SCHEMA}.conversations (
  scope text NOT NULL,
  chat bigint NOT NULL,
  message bigint NOT NULL,
  question text NOT NULL,
  at_ms double precision NOT NULL,
  PRIMARY KEY (scope, chat, message)
);
CREATE INDEX conversations_recent ON ${SCHEMA}.conversations (scope, chat, at_ms);
CREATE INDEX conversations_age ON ${SCHEMA}.conversations (scope, at_ms);
`;

/** What takes a database at a version (the key) to the next one, for tables added later. */
const UPGRADES: Record<number, string> = {
  1: `${CONVERSATIONS}
UPDATE ${SCHEMA}.schema_version SET version = 2;`,
  // Generations built before postings were stored best first are read whole, not by a prefix.
  2: `ALTER TABLE ${SCHEMA}.generations ADD COLUMN IF NOT EXISTS postings_best_first boolean NOT NULL DEFAULT false;
ALTER TABLE ${SCHEMA}.generations ALTER COLUMN postings_best_first SET DEFAULT true;
UPDATE ${SCHEMA}.schema_version SET version = 3;`,
};

/**
 * The bot's tables. Articles, chunks and sentences are content: one row per article as
 * embedded with one model, pipeline and chunking (its `content_key`), shared by every
 * generation that has it unchanged, so an incremental build writes only new articles. A
 * generation is one build: which articles, in which order, with the statistics and lexicon of
 * that corpus; `live` names the generation the bots serve, and switching is one update.
 */
const TABLES = `
CREATE TABLE ${SCHEMA}.schema_version (version int NOT NULL);

-- One vector space per model: the HNSW index of its chunks is partial on it.
CREATE TABLE ${SCHEMA}.vector_spaces (
  space serial PRIMARY KEY,
  model_id text NOT NULL,
  dimensions int NOT NULL,
  UNIQUE (model_id, dimensions)
);

CREATE TABLE ${SCHEMA}.articles (
  id bigserial PRIMARY KEY,
  content_key text NOT NULL UNIQUE,
  article_id text NOT NULL,
  hash text NOT NULL,
  title text NOT NULL,
  outlet text NOT NULL,
  date text,
  url text,
  byline text,
  event text NOT NULL,
  space int NOT NULL REFERENCES ${SCHEMA}.vector_spaces (space),
  chunk_count int NOT NULL,
  sentence_count int NOT NULL,
  item_count int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A chunk's vector twice: as pgvector's type for the HNSW index, and as the exact float32
-- bytes the engine scores with (pgvector sums in single precision; the engine in double).
CREATE TABLE ${SCHEMA}.chunks (
  article bigint NOT NULL REFERENCES ${SCHEMA}.articles (id) ON DELETE CASCADE,
  position int NOT NULL,
  space int NOT NULL,
  start_offset int NOT NULL,
  end_offset int NOT NULL,
  text text NOT NULL,
  first_sentence int NOT NULL,
  sentence_count int NOT NULL,
  embedding vector NOT NULL,
  vec bytea NOT NULL,
  PRIMARY KEY (article, position)
);

-- vectors: float32 of the sentence, the sentence with the one before it, the sentence with
-- the headline, then each clause. kinds: stems of the broader terms its words are kinds of,
-- space-separated (WordNet; they depend on the word alone, so they are stored with the
-- sentence; a few hundred stems, read faster as one text than as an array).
CREATE TABLE ${SCHEMA}.sentences (
  article bigint NOT NULL REFERENCES ${SCHEMA}.articles (id) ON DELETE CASCADE,
  position int NOT NULL,
  start_offset int NOT NULL,
  end_offset int NOT NULL,
  text text NOT NULL,
  gap_before text,
  clause_count int NOT NULL,
  kinds text NOT NULL,
  vectors bytea NOT NULL,
  PRIMARY KEY (article, position)
);

CREATE TABLE ${SCHEMA}.generations (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('building', 'ready')),
  builder text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  switched_at timestamptz,
  model_id text NOT NULL,
  dimensions int NOT NULL,
  space int NOT NULL,
  built_at text,
  about jsonb,
  manifest jsonb,
  article_count int,
  chunk_count int,
  sentence_count int,
  chunk_term_total bigint,
  sentence_term_total bigint,
  -- Each term's postings are stored best first (see pg-write.ts); false in generations built before.
  postings_best_first boolean NOT NULL DEFAULT true
);

CREATE TABLE ${SCHEMA}.generation_articles (
  generation bigint NOT NULL REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
  ordinal int NOT NULL,
  article bigint NOT NULL REFERENCES ${SCHEMA}.articles (id),
  first_chunk int NOT NULL,
  first_sentence int NOT NULL,
  PRIMARY KEY (generation, ordinal),
  UNIQUE (generation, article)
);
CREATE INDEX generation_articles_article ON ${SCHEMA}.generation_articles (article);

-- postings: (chunk, count in the chunk, terms in the chunk) as little-endian int32 triples.
CREATE TABLE ${SCHEMA}.generation_terms (
  generation bigint NOT NULL REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
  term text NOT NULL,
  sentence_df int NOT NULL,
  chunk_df int NOT NULL,
  postings bytea NOT NULL,
  PRIMARY KEY (generation, term)
);

-- letters: a bit per letter the word has (see pg-spelling.ts), to find near spellings.
CREATE TABLE ${SCHEMA}.generation_words (
  generation bigint NOT NULL REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
  word text NOT NULL,
  ord int NOT NULL,
  length int NOT NULL,
  letters bigint NOT NULL,
  PRIMARY KEY (generation, word)
);
CREATE INDEX generation_words_length ON ${SCHEMA}.generation_words (generation, length);

CREATE TABLE ${SCHEMA}.generation_lexicon (
  generation bigint NOT NULL REFERENCES ${SCHEMA}.generations (id) ON DELETE CASCADE,
  relation text NOT NULL CHECK (relation IN ('related', 'places', 'kinds')),
  word text NOT NULL,
  targets text[] NOT NULL,
  PRIMARY KEY (generation, relation, word)
);

CREATE TABLE ${SCHEMA}.live (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  generation bigint NOT NULL REFERENCES ${SCHEMA}.generations (id)
);

-- Replicas: per-user token buckets, the webhook updates already taken and what follow-ups follow.
CREATE TABLE ${SCHEMA}.rate_buckets (
  scope text NOT NULL,
  key text NOT NULL,
  tokens double precision NOT NULL,
  at_ms double precision NOT NULL,
  warned boolean NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE ${SCHEMA}.webhook_updates (
  scope text NOT NULL,
  update_id bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('working', 'done')),
  claimed_at timestamptz NOT NULL,
  PRIMARY KEY (scope, update_id)
);
CREATE INDEX webhook_updates_claimed ON ${SCHEMA}.webhook_updates (claimed_at);

${CONVERSATIONS}
-- One token-bucket step, as bot/rate-limit.ts takes it in memory, under a row lock so that
-- replicas take turns.
CREATE FUNCTION ${SCHEMA}.take_token(p_scope text, p_key text, p_limit double precision, p_window_ms double precision, p_now_ms double precision)
RETURNS TABLE (allowed boolean, retry_after_ms double precision, warn boolean)
LANGUAGE plpgsql AS $$
DECLARE
  bucket ${SCHEMA}.rate_buckets%ROWTYPE;
  refill double precision := p_limit / p_window_ms;
  left_over double precision;
BEGIN
  INSERT INTO ${SCHEMA}.rate_buckets AS b VALUES (p_scope, p_key, p_limit, p_now_ms, false) ON CONFLICT DO NOTHING;
  SELECT * INTO bucket FROM ${SCHEMA}.rate_buckets b WHERE b.scope = p_scope AND b.key = p_key FOR UPDATE;
  left_over := least(p_limit, bucket.tokens + greatest(0, p_now_ms - bucket.at_ms) * refill);
  IF left_over >= 1 THEN
    UPDATE ${SCHEMA}.rate_buckets b SET tokens = left_over - 1, at_ms = p_now_ms, warned = false WHERE b.scope = p_scope AND b.key = p_key;
    RETURN QUERY SELECT true, 0::double precision, false;
  ELSE
    UPDATE ${SCHEMA}.rate_buckets b SET tokens = left_over, at_ms = p_now_ms, warned = true WHERE b.scope = p_scope AND b.key = p_key;
    RETURN QUERY SELECT false, ceil((1 - left_over) / refill), NOT bucket.warned;
  END IF;
END
$$;

INSERT INTO ${SCHEMA}.schema_version VALUES (${SCHEMA_VERSION});
`;

/**
 * Creates the pgvector extension and the bot's tables when the database has none yet, and
 * refuses a database whose tables are of another version. Safe to call from every process
 * at once: the first one creates, the others wait for it and find the tables there.
 */
export async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const found = await schemaVersion(client);
    if (found === SCHEMA_VERSION) return;
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const again = await schemaVersion(client);
    if (again === undefined) {
      await client.query('CREATE EXTENSION IF NOT EXISTS vector').catch((cause: unknown) => {
        throw new IndexError(`the database has no pgvector extension and it could not be created (${(cause as Error).message}); install pgvector, or CREATE EXTENSION vector as a superuser`, {
          cause,
        });
      });
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await client.query(TABLES);
    } else if (again < SCHEMA_VERSION && UPGRADES[again] !== undefined) {
      for (let version = again; version < SCHEMA_VERSION; version++) {
        const upgrade = UPGRADES[version];
        if (upgrade === undefined) throw new IndexError(`no upgrade of the database's ${SCHEMA} tables from version ${version}; use a new database or drop schema ${SCHEMA}`);
        await client.query(upgrade);
      }
    } else if (again !== SCHEMA_VERSION) {
      throw new IndexError(`the database's ${SCHEMA} tables are at version ${again}, this program needs version ${SCHEMA_VERSION}; use a new database or drop schema ${SCHEMA}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function schemaVersion(client: pg.PoolClient): Promise<number | undefined> {
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass('${SCHEMA}.schema_version') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return undefined;
  const row = await client.query<{ version: number }>(`SELECT max(version) AS version FROM ${SCHEMA}.schema_version`);
  return row.rows[0]?.version ?? undefined;
}

/** The HNSW index of one vector space's chunks (cosine distance, as the engine ranks). */
export function hnswIndexName(space: number): string {
  return `chunks_hnsw_${space}`;
}

/**
 * How many candidates HNSW keeps while it builds its graph (pgvector's `ef_construction`; its
 * default is 64). A better graph finds more of the true nearest passages at the same search
 * cost: on 160,672 synthetic passages, the exact 140 nearest were 95% within the 280 found at
 * `hnsw.ef_search` 400 (7.6 ms), against 86% with the default graph (and 90% at
 * `ef_search` 1,000, 15 ms). Building the index took 49 s instead of 20 s.
 */
export const HNSW_EF_CONSTRUCTION = 200;

/**
 * Creates the HNSW index of a vector space when it has none: a partial expression index, so
 * each model's vectors (of their own length) are searched on their own. Built after a first
 * build's rows are in (pgvector builds an index faster in one pass than row by row); later
 * builds add to it. (An index made before HNSW_EF_CONSTRUCTION was raised keeps its graph;
 * drop it and the next build makes it again.)
 */
export async function ensureHnswIndex(options: { client: pg.ClientBase; space: number; dimensions: number }): Promise<void> {
  const { client, space, dimensions } = options;
  await client.query(
    `CREATE INDEX IF NOT EXISTS ${hnswIndexName(space)} ON ${SCHEMA}.chunks
     USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WITH (ef_construction = ${HNSW_EF_CONSTRUCTION}) WHERE space = ${space}`,
  );
}
