import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createPgPool } from '../../src/store/postgres/connect.js';
import { ensureSchema } from '../../src/store/postgres/schema.js';
import { createDatabase } from '../../tools/pg/pgserver.js';

/** True when the run has a PostgreSQL server (see global-setup.ts). */
export function hasDatabase(): boolean {
  return inject('databaseUrl') !== '';
}

/**
 * A describe block that needs PostgreSQL: skipped, with a visible notice, when the run has
 * no server (no Python or pip to install pgserver with), never silently passed.
 */
export function describeWithDatabase(name: string, body: () => void): void {
  if (!hasDatabase()) console.warn(`NOTICE: "${name}" skipped: no PostgreSQL server (${inject('databaseUnavailable')})`);
  describe.skipIf(!hasDatabase())(name, body);
}

/** A new, empty database on the run's server, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createDatabase({ adminUrl: inject('databaseUrl'), name: `quotes_test_${process.pid}_${randomBytes(4).toString('hex')}` });
}

/** A fresh database for the calling test file (beforeAll), dropped after it (afterAll). */
export function useTestDatabase(): { readonly url: string } {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    if (hasDatabase()) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url(): string {
      if (!database) throw new Error('the test database is made in beforeAll; read it inside a test');
      return database.url;
    },
  };
}

/**
 * A fresh database with the bot's tables for the calling test file, and a pool on it (both
 * made in beforeAll, let go in afterAll).
 */
export function useTestPool(): { readonly url: string; readonly pool: pg.Pool } {
  const db = useTestDatabase();
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    if (!hasDatabase()) return;
    pool = createPgPool({ url: db.url, role: 'test' });
    await ensureSchema(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });
  return {
    get url() {
      return db.url;
    },
    get pool(): pg.Pool {
      if (!pool) throw new Error('the test pool is made in beforeAll; use it inside a test');
      return pool;
    },
  };
}
