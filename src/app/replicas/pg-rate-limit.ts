import type pg from 'pg';
import { createRateLimiter, type RateDecision, type RateLimiter, type RateLimiterFactory } from '../../bot/rate-limit.js';
import { SCHEMA } from '../../store/postgres/connect.js';

/** Every this many takes, buckets that have filled up again are deleted (they equal no bucket). */
const PRUNE_EVERY = 500;

/**
 * Rate limiters whose buckets live in PostgreSQL, so that every replica spends from the same
 * budget: the 11th question in a minute is refused whichever replica gets it. Each take is one
 * call of `take_token` (schema.ts), the in-memory token bucket step under a row lock.
 *
 * When the database cannot be reached, a take falls back to a bucket in this process (and
 * `onError` is told): the bot still limits, per replica, rather than failing every reply.
 * @param options.scope tells bots sharing one database apart (the bot's id)
 */
export function pgRateLimiters(options: { pool: pg.Pool; scope: string; onError?: (error: unknown) => void }): RateLimiterFactory {
  const { pool, scope, onError } = options;
  return (limiter) => {
    const { name, limit, windowMs, now } = limiter;
    const local = createRateLimiter({ limit, windowMs, now });
    const bucketScope = `${scope}:${name}`;
    let takes = 0;
    const prune = (time: number): void => {
      void pool
        .query(`DELETE FROM ${SCHEMA}.rate_buckets WHERE scope = $1 AND tokens + ($2 - at_ms) * $3 >= $4`, [bucketScope, time, limit / windowMs, limit])
        .catch(() => undefined);
    };
    const shared: RateLimiter = {
      async take(key): Promise<RateDecision> {
        const time = now();
        try {
          const found = await pool.query<{ allowed: boolean; retry_after_ms: number; warn: boolean }>(
            `SELECT allowed, retry_after_ms, warn FROM ${SCHEMA}.take_token($1, $2, $3, $4, $5)`,
            [bucketScope, String(key), limit, windowMs, time],
          );
          if (++takes % PRUNE_EVERY === 0) prune(time);
          const row = found.rows[0];
          if (!row || row.allowed) return { allowed: true };
          return { allowed: false, retryAfterMs: row.retry_after_ms, warn: row.warn };
        } catch (error) {
          onError?.(error);
          return local.take(key);
        }
      },
    };
    return shared;
  };
}
