/**
 * The state replicas share through PostgreSQL, one process playing several replicas: the
 * shared rate limiter takes exactly the in-memory limiter's decisions, and holds across
 * limiters; an update is claimed once; the live generation is announced to every listener,
 * also after the listening connection was cut.
 */
import pg from 'pg';
import { beforeAll, expect, it, vi } from 'vitest';
import { pgRateLimiters } from '../../../src/app/replicas/pg-rate-limit.js';
import { pgUpdateLedger } from '../../../src/app/replicas/pg-update-ledger.js';
import { pgLiveIndex } from '../../../src/backend/pg-live-index.js';
import { createRateLimiter } from '../../../src/bot/rate-limit.js';
import { createPgPool } from '../../../src/store/postgres/connect.js';
import { LIVE_CHANNEL } from '../../../src/store/postgres/generations.js';
import { describeWithDatabase, useTestPool } from '../../support/pg.js';

describeWithDatabase('state shared by replicas', () => {
  const db = useTestPool();
  let pool: pg.Pool;
  beforeAll(() => {
    pool = db.pool;
  });

  it.each([
    { name: 'a burst past the limit, then a refill', limit: 3, steps: [0, 0, 0, 0, 0, 1000, 19_999, 20_000, 20_001, 80_000, 80_000] },
    { name: 'steady asking at the refill rate', limit: 2, steps: [0, 0, 30_000, 30_000, 60_000, 60_001, 90_000] },
    { name: 'the clock going back a little', limit: 1, steps: [10_000, 9_000, 70_000, 69_000] },
  ])('takes the in-memory limiter\'s decisions, step by step: $name', async ({ limit, steps }) => {
    let now = 0;
    const options = { name: `same-${limit}`, limit, windowMs: 60_000, now: () => now };
    const memory = createRateLimiter(options);
    const shared = pgRateLimiters({ pool, scope: `scope-${limit}-${steps.length}` })(options);
    for (const [i, time] of steps.entries()) {
      now = time;
      for (const key of [7, 'chat:-100']) expect(await shared.take(key), `step ${i} at ${time} ms, key ${key}`).toEqual(memory.take(key));
    }
  });

  it('holds one budget across replicas asking at the same moment', async () => {
    const now = () => 1_000_000;
    const replicas = [0, 1, 2].map(() => pgRateLimiters({ pool, scope: 'burst' })({ name: 'replies', limit: 10, windowMs: 60_000, now }));
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 3]?.take(42)));
    expect(decisions.filter((d) => d?.allowed)).toHaveLength(10);
    // One "slow down" reply in all, not one per replica.
    expect(decisions.filter((d) => d && !d.allowed && d.warn)).toHaveLength(1);
  });

  it('falls back to this process when the database is gone, and says so', async () => {
    const dead = createPgPool({ url: db.url.replace(/\/quotes_test_\w+/, '/no_such_database'), role: 'test' });
    const errors: unknown[] = [];
    const limiter = pgRateLimiters({ pool: dead, scope: 'dead', onError: (e) => errors.push(e) })({ name: 'replies', limit: 1, windowMs: 60_000, now: () => 0 });
    expect(await limiter.take(1)).toEqual({ allowed: true });
    expect(await limiter.take(1)).toMatchObject({ allowed: false, warn: true });
    expect(errors.length).toBe(2);
    await dead.end();
  });

  it('lets one replica claim an update, once, and another claim it again only after the first died', async () => {
    const [a, b] = [pgUpdateLedger({ pool, scope: 'bot-1' }), pgUpdateLedger({ pool, scope: 'bot-1' })];
    const claims = await Promise.all([a.claim(7001), b.claim(7001), a.claim(7001), b.claim(7001)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await a.finish?.(7001);
    expect(await b.claim(7001)).toBe(false);
    // Another bot on the same database has its own updates.
    expect(await pgUpdateLedger({ pool, scope: 'bot-2' }).claim(7001)).toBe(true);
    // Claimed but never finished (the replica died): after the lease, it may be taken again.
    const quick = pgUpdateLedger({ pool, scope: 'bot-1', leaseMs: 0 });
    expect(await quick.claim(7002)).toBe(true);
    expect(await quick.claim(7002)).toBe(true);
    await quick.finish?.(7002);
    expect(await quick.claim(7002)).toBe(false);
  });

  it('announces a switch to every listener, also after its connection was cut', async () => {
    const live = pgLiveIndex({ url: db.url, role: 'test' });
    const heard: string[] = [];
    let notify: () => void = () => undefined;
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    const stop = live.watch({ onChange: () => (heard.push('change'), notify()), onError: () => undefined });
    try {
      // Other files' listeners on the same server are in other databases.
      const listening = () =>
        vi.waitFor(
          async () => {
            const found = await pool.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'quotes-bot test pid %' AND query LIKE 'LISTEN%'`,
            );
            if (!found.rows[0]) throw new Error('no listening connection yet');
            return found.rows[0];
          },
          { timeout: 10_000, interval: 20 },
        );
      const first = await listening();
      let heardIt = next();
      await pool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'g-1']);
      await heardIt;
      // The server drops the listening connection: the listener connects again and asks
      // for a check at once, since it may have missed a switch.
      heardIt = next();
      await pool.query('SELECT pg_terminate_backend($1)', [first.pid]);
      await heardIt;
      const second = await listening();
      expect(second.pid).not.toBe(first.pid);
      heardIt = next();
      await pool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'g-2']);
      await heardIt;
      expect(heard.length).toBeGreaterThanOrEqual(3);
    } finally {
      stop();
      await live.close();
    }
  }, 30_000);
});
