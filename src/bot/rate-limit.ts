/** Outcome of asking the limiter whether a user may ask now. */
export type RateDecision =
  | { allowed: true }
  /** `warn` is true only for the first refusal in a row, so spammers get one reply, not many. */
  | { allowed: false; retryAfterMs: number; warn: boolean };

/** Per-key budgets: in this process, or shared by every replica (see app/replicas/). */
export interface RateLimiter {
  take(key: string | number): RateDecision | Promise<RateDecision>;
}

/** Options of one limiter: its name tells the bot's several limiters apart in shared storage. */
export interface RateLimiterOptions {
  name: string;
  limit: number;
  windowMs: number;
  now: () => number;
}

/** Makes the bot's limiters; `createRateLimiter` (in memory) unless replicas share one store. */
export type RateLimiterFactory = (options: RateLimiterOptions) => RateLimiter;

/**
 * A per-user token bucket: `limit` questions, refilled evenly over `windowMs`. State lives in
 * this instance only; entries for idle users are dropped once the map grows.
 */
export function createRateLimiter(options: Omit<RateLimiterOptions, 'name'> & { maxEntries?: number }): RateLimiter & { take(key: string | number): RateDecision } {
  const { limit, windowMs, now, maxEntries = 10_000 } = options;
  const refillPerMs = limit / windowMs;
  const buckets = new Map<string | number, { tokens: number; at: number; warned: boolean }>();

  const prune = (time: number) => {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.at) * refillPerMs >= limit) buckets.delete(key);
    }
  };

  return {
    take(key) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: limit, at: time, warned: false };
      bucket.tokens = Math.min(limit, bucket.tokens + Math.max(0, time - bucket.at) * refillPerMs);
      bucket.at = time;
      if (!buckets.has(key)) {
        if (buckets.size >= maxEntries) prune(time);
        buckets.set(key, bucket);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        bucket.warned = false;
        return { allowed: true };
      }
      const warn = !bucket.warned;
      bucket.warned = true;
      return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / refillPerMs), warn };
    },
  };
}
