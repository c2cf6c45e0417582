import type pg from 'pg';
import { createMemoryConversations, type ConversationMemory } from '../../bot/conversations.js';
import { SCHEMA } from '../../store/postgres/connect.js';

/**
 * What the bot remembers for follow-ups, in PostgreSQL, so that a reply to an answer is read in
 * the context of its question whichever replica answered and whichever gets the reply. Bounded
 * as the in-process memory is: per chat the last `perChat` answers, for `ttlMs`; on top of
 * that, every `pruneEvery` answers the expired rows are deleted and, beyond `maxRows`, the
 * oldest ones, so the table stays small whatever the traffic.
 *
 * Every answer is also remembered in this process: when the database cannot be reached, a
 * follow-up is read with what this replica remembers (and `onError` is told).
 * @param options.scope tells bots sharing one database apart (the bot's id)
 * @default options.ttlMs 30 minutes, as the in-process memory
 * @default options.perChat 20
 * @default options.maxRows 100000
 * @default options.pruneEvery 200
 * @default options.now Date.now
 */
export function pgConversations(options: {
  pool: pg.Pool;
  scope: string;
  ttlMs?: number;
  perChat?: number;
  maxRows?: number;
  pruneEvery?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}): ConversationMemory {
  const { pool, scope, ttlMs = 30 * 60_000, perChat = 20, maxRows = 100_000, pruneEvery = 200, now = Date.now, onError } = options;
  const local = createMemoryConversations({ ttlMs, perChat, now });
  const table = `${SCHEMA}.conversations`;
  let answers = 0;

  const prune = async (time: number): Promise<void> => {
    await pool.query(`DELETE FROM ${table} WHERE scope = $1 AND at_ms < $2`, [scope, time - ttlMs]);
    await pool.query(
      `DELETE FROM ${table} WHERE scope = $1 AND at_ms < (SELECT at_ms FROM ${table} WHERE scope = $1 ORDER BY at_ms DESC OFFSET $2 LIMIT 1)`,
      [scope, maxRows - 1],
    );
  };

  return {
    async answered({ chat, message, question }) {
      await local.answered({ chat, message, question });
      const time = now();
      try {
        // One statement: the answer goes in and the chat's older answers beyond the last
        // `perChat` go. (The DELETE sees the rows as they were before the INSERT: it keeps the
        // new answer and the `perChat - 1` latest others.)
        await pool.query(
          `WITH remembered AS (
             INSERT INTO ${table} (scope, chat, message, question, at_ms) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (scope, chat, message) DO UPDATE SET question = excluded.question, at_ms = excluded.at_ms
           )
           DELETE FROM ${table} WHERE scope = $1 AND chat = $2 AND message <> $3 AND message NOT IN (
             SELECT message FROM ${table} WHERE scope = $1 AND chat = $2 AND message <> $3 ORDER BY at_ms DESC, message DESC LIMIT $6)`,
          [scope, chat, message, question, time, perChat - 1],
        );
        if (++answers % pruneEvery === 0) await prune(time);
      } catch (error) {
        onError?.(error);
      }
    },
    async questionOf({ chat, message }) {
      try {
        const found = await pool.query<{ question: string }>(`SELECT question FROM ${table} WHERE scope = $1 AND chat = $2 AND message = $3 AND at_ms >= $4`, [
          scope,
          chat,
          message,
          now() - ttlMs,
        ]);
        return found.rows[0]?.question;
      } catch (error) {
        onError?.(error);
        return local.questionOf({ chat, message });
      }
    },
    async last({ chat }) {
      try {
        const found = await pool.query<{ question: string }>(
          `SELECT question FROM ${table} WHERE scope = $1 AND chat = $2 AND at_ms >= $3 ORDER BY at_ms DESC, message DESC LIMIT 1`,
          [scope, chat, now() - ttlMs],
        );
        return found.rows[0]?.question;
      } catch (error) {
        onError?.(error);
        return local.last({ chat });
      }
    },
  };
}
