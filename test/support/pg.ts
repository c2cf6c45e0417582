import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { databaseUrl } from '../../tools/pg/pgserver.js';

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
  const admin = inject('databaseUrl');
  const name = `quotes_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  return { url: databaseUrl(admin, name), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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
