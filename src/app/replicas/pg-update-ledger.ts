import type pg from 'pg';
import { recentUpdates, type UpdateLedger } from '../../http/webhook.js';
import { SCHEMA } from '../../store/postgres/connect.js';

/** Every this many claims, rows older than `keepMs` are deleted. */
const PRUNE_EVERY = 1000;

/**
 * The webhook updates every replica has taken, in PostgreSQL: a second delivery of an update
 * (Telegram resends when an answer was late) is recognised whichever replica it reaches, so no
 * update is answered twice. The first claim wins (a primary-key insert); an update claimed by
 * a replica that died before finishing it may be claimed again once `leaseMs` has passed, so a
 * crash does not lose it for good.
 *
 * When the database cannot be reached, claims fall back to this process's memory (and
 * `onError` is told).
 * @param options.scope tells bots sharing one database apart (the bot's id)
 * @default options.leaseMs 60000
 * @default options.keepMs 86400000 (a day; Telegram gives up on an update long before)
 */
export function pgUpdateLedger(options: { pool: pg.Pool; scope: string; leaseMs?: number; keepMs?: number; onError?: (error: unknown) => void }): UpdateLedger {
  const { pool, scope, leaseMs = 60_000, keepMs = 86_400_000, onError } = options;
  const local = recentUpdates();
  let claims = 0;
  return {
    async claim(updateId) {
      try {
        const taken = await pool.query(
          `INSERT INTO ${SCHEMA}.webhook_updates AS u (scope, update_id, state, claimed_at) VALUES ($1, $2, 'working', now())
           ON CONFLICT (scope, update_id) DO UPDATE SET claimed_at = now()
             WHERE u.state = 'working' AND u.claimed_at < now() - $3 * interval '1 millisecond'
           RETURNING 1`,
          [scope, updateId, leaseMs],
        );
        if (++claims % PRUNE_EVERY === 0) {
          void pool.query(`DELETE FROM ${SCHEMA}.webhook_updates WHERE claimed_at < now() - $1 * interval '1 millisecond'`, [keepMs]).catch(() => undefined);
        }
        local.claim(updateId);
        return taken.rowCount === 1;
      } catch (error) {
        onError?.(error);
        return local.claim(updateId);
      }
    },
    async finish(updateId) {
      await pool.query(`UPDATE ${SCHEMA}.webhook_updates SET state = 'done' WHERE scope = $1 AND update_id = $2`, [scope, updateId]).catch((error: unknown) => onError?.(error));
    },
  };
}
