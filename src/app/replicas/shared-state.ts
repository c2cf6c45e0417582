import type { Logger } from 'pino';
import type { ConversationMemory } from '../../bot/conversations.js';
import type { RateLimiterFactory } from '../../bot/rate-limit.js';
import type { UpdateLedger } from '../../http/webhook.js';
import { createPgPool, explainPgError } from '../../store/postgres/connect.js';
import { ensureSchema } from '../../store/postgres/schema.js';
import type { LiveIndex } from '../../backend/live-index.js';
import { pgLiveIndex } from '../../backend/pg-live-index.js';
import { pgConversations } from './pg-conversations.js';
import { pgRateLimiters } from './pg-rate-limit.js';
import { pgUpdateLedger } from './pg-update-ledger.js';

/** What replicas of one bot share through its database. */
export interface SharedState {
  /** Where the live generation is announced (LISTEN/NOTIFY). */
  live: LiveIndex;
  /** Per-user budgets every replica spends from. */
  createLimiter: RateLimiterFactory;
  /** Webhook updates already taken by any replica. */
  ledger: UpdateLedger;
  /** The questions recent answers answered, so any replica reads a follow-up in context. */
  conversations: ConversationMemory;
  close(): Promise<void>;
}

/** Warnings about the shared state are logged at most this often, so an outage is one line a minute. */
const WARN_EVERY_MS = 60_000;

/**
 * Connects a bot process to the state it shares with its replicas in PostgreSQL (DATABASE_URL):
 * the live index generation, rate limits, webhook updates and the context of follow-ups. The tables are created if a
 * build has not yet done it.
 * @param options.botId the bot's public numeric id (before the token's colon): bots sharing a
 *   database keep separate budgets and updates
 */
export async function openSharedState(options: { url: string; botId: string; logger: Logger }): Promise<SharedState> {
  const { url, botId, logger } = options;
  const log = logger.child({ module: 'replicas' });
  const pool = createPgPool({ url, role: 'bot', max: 8 });
  try {
    await ensureSchema(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw explainPgError({ error, url, doing: 'connect to the shared state' });
  }
  let warnedAt = -Infinity;
  const onError = (what: string) => (error: unknown) => {
    const now = Date.now();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    log.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} falls back to this process: the database is not answering`);
  };
  const live = pgLiveIndex({ url });
  return {
    live,
    createLimiter: pgRateLimiters({ pool, scope: botId, onError: onError('rate limiting') }),
    ledger: pgUpdateLedger({ pool, scope: botId, onError: onError('update deduplication') }),
    conversations: pgConversations({ pool, scope: botId, onError: onError('follow-up context') }),
    async close() {
      await live.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
