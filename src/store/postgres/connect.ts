import { endianness } from 'node:os';
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { IndexError } from '../../core/errors.js';
import { RETRIEVAL } from '../../core/settings.js';

/** The schema every table of the bot lives in, so it can share a database with anything else. */
export const SCHEMA = 'quotes';

/**
 * Candidates HNSW keeps while it searches (pgvector's `hnsw.ef_search`), and so the most rows
 * it returns. Fusion reads the dense ranking 140 deep at the fitted 40 passages and the store
 * asks for twice that (280); 400 leaves room. A search asking for more raises it for that
 * query. Measured on 160,672 synthetic passages (see HNSW_EF_CONSTRUCTION): 7.6 ms and 95% of
 * the exact nearest 140 found, against 15 ms and 96% at 1,000 (pgvector's ceiling).
 * @default 400
 */
export const HNSW_EF_SEARCH = RETRIEVAL.hnswEfSearch;

/** A PostgreSQL connection URL as libpq reads it (`new URL` refuses `user@/db?host=/socket`). */
export function isDatabaseUrl(url: string): boolean {
  if (!/^postgres(?:ql)?:\/\/\S*$/.test(url)) return false;
  try {
    parseConnectionString(url);
    return true;
  } catch {
    return false;
  }
}

/** Where a database is, for messages: host (or socket folder) and name, never the password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = parseConnectionString(url);
    const name = parsed.database || parsed.user || 'postgres';
    return `database ${name} on ${parsed.host || 'localhost'}${parsed.port ? `:${parsed.port}` : ''}`;
  } catch {
    return 'the database in DATABASE_URL';
  }
}

/** What of a connection URL must never reach a log: the URL itself and its password. */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const { password } = parseConnectionString(url);
    return password ? [url, password] : [url];
  } catch {
    return [url];
  }
}

/**
 * A connection pool for one part of the program (`role` names it in `pg_stat_activity`, with
 * the process id, so an operator and a refused second build can tell who holds what). Every
 * session finds the bot's tables first and searches HNSW deep enough for rank fusion.
 * @default options.max 4
 */
export function createPgPool(options: { url: string; role: string; max?: number }): pg.Pool {
  const { url, role, max = 4 } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: `quotes-bot ${role} pid ${process.pid}`,
    options: `-c search_path=${SCHEMA},public -c hnsw.ef_search=${HNSW_EF_SEARCH}`,
    // A pooled connection the server dropped is replaced, not a crash: errors surface on queries.
    idleTimeoutMillis: 30_000,
    // Idle connections never keep a finished command (ask, eval) from exiting.
    allowExitOnIdle: true,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** Node-postgres error codes that mean "no database at that address". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28P01', '28000']);

/**
 * An error while talking to PostgreSQL as an IndexError with one line a person can act on,
 * when it is one they can fix (wrong address, database missing, password refused); other
 * errors are returned as they are.
 */
export function explainPgError(options: { error: unknown; url: string; doing: string }): unknown {
  const { error, url, doing } = options;
  const code = (error as { code?: string } | null)?.code;
  if (code && UNREACHABLE.has(code)) {
    const reason = code === '3D000' ? 'no such database' : code === '28P01' || code === '28000' ? 'login refused' : code;
    return new IndexError(`cannot ${doing}: ${describeDatabase(url)} is not reachable (${reason}); check DATABASE_URL and that PostgreSQL is running`, { cause: error });
  }
  return error;
}

/** Runs `work` on one pooled connection inside a transaction, rolled back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Little-endian float32 values of a bytea as a Float32Array (copied: pg's buffers are shared). */
export function float32s(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Float32Arrays as little-endian bytes for a bytea, one after the other. */
export function float32Bytes(values: Float32Array | readonly Float32Array[]): Buffer {
  const arrays = values instanceof Float32Array ? [values] : values;
  const out = Buffer.alloc(arrays.reduce((n, a) => n + a.length * 4, 0));
  let at = 0;
  for (const array of arrays) {
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    } else {
      for (const v of array) at = out.writeFloatLE(v, at);
    }
  }
  return out;
}

const LITTLE_ENDIAN = endianness() === 'LE';
