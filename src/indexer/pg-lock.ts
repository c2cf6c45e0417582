import pg from 'pg';
import { IndexError } from '../core/errors.js';
import { describeDatabase } from '../store/postgres/connect.js';

/** The advisory lock builds take: any fixed number, the same in every version. */
export const BUILD_LOCK_KEY = 7_142_008_002;

/** A held build lock: the session that holds it, which the build also switches with. */
export interface PgBuildLock {
  client: pg.Client;
  release(): Promise<void>;
}

/**
 * Takes PostgreSQL's session advisory lock for building. The lock belongs to the connection:
 * a build that is killed (kill -9, a lost machine) loses its connection and with it the
 * lock (within about half a second, even mid-statement), so there is never a stale lock to clear. A second build is refused with the first
 * one's pid, or with `wait` it waits for the first to finish.
 */
export async function acquirePgBuildLock(options: { url: string; role: string; wait?: boolean; onWait?: (holder: string) => void }): Promise<PgBuildLock> {
  const { url, role, wait = false, onWait } = options;
  const client = new pg.Client({ connectionString: url, application_name: `quotes-bot ${role} pid ${process.pid}` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // The builder runs its long statements (VACUUM, the HNSW index) on this session. Without
    // this, the server process of a killed build ran its statement to the end, holding the
    // lock, before it noticed the client was gone. (PostgreSQL 14+ on Linux; older servers
    // refuse the setting and keep the old behaviour.)
    await client.query(`SET client_connection_check_interval = '500ms'`).catch(() => undefined);
    const taken = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [BUILD_LOCK_KEY]);
    if (!taken.rows[0]?.locked) {
      const holder = await lockHolder(client);
      if (!wait) throw new IndexError(`another build (${holder}) is writing the index in ${describeDatabase(url)}; wait for it to finish`);
      onWait?.(holder);
      await client.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK_KEY]);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    client,
    release: async () => {
      await client.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK_KEY]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Who holds the build lock of this database: the pid from its application name, or its server
 * process id. (pg_locks lists the whole server's locks; another database's build is not it.)
 */
async function lockHolder(client: pg.Client): Promise<string> {
  const found = await client.query<{ application_name: string; pid: number }>(
    `SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [Math.floor(BUILD_LOCK_KEY / 2 ** 32), BUILD_LOCK_KEY % 2 ** 32],
  );
  const row = found.rows[0];
  const pid = /pid (\d+)/.exec(row?.application_name ?? '')?.[1];
  return pid ? `pid ${pid}` : `server process ${row?.pid ?? 'unknown'}`;
}
