/**
 * A build stand-in that takes PostgreSQL's build lock and then runs one long statement on the
 * lock's session, as a build does with VACUUM or the HNSW index. It prints "running" once the
 * statement has been sent, and is meant to be killed with kill -9 during it.
 */
import { acquirePgBuildLock } from '../../src/indexer/pg-lock.js';

const [url = '', seconds = '120'] = process.argv.slice(2);
const lock = await acquirePgBuildLock({ url, role: 'build' });
const statement = lock.client.query('SELECT pg_sleep($1)', [Number(seconds)]);
process.stdout.write('running\n');
await statement;
await lock.release();
