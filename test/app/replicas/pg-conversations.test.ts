/**
 * Follow-up context shared by replicas through PostgreSQL: what one replica answered is the
 * context of a reply that another replica handles, within the same bounds as the in-process
 * memory (per chat, expiry) and a cap on the whole table.
 */
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { pgConversations } from '../../../src/app/replicas/pg-conversations.js';
import { createPgPool } from '../../../src/store/postgres/connect.js';
import { ensureSchema, SCHEMA_VERSION } from '../../../src/store/postgres/schema.js';
import { readLiveGeneration } from '../../../src/store/postgres/generations.js';
import { SCHEMA } from '../../../src/store/postgres/connect.js';
import { BOT_INFO, USER, answered, createHarness, fakeEngine, fixedEngines, snippet } from '../../support/bot-harness.js';
import { describeWithDatabase, useTestPool } from '../../support/pg.js';

const TRADE = 'How much trade did Russia do with Central Asia?';

/** A bot answer as Telegram puts it in a reply: the quote is not the question it answered. */
function botAnswer(id: number) {
  const quote = 'Trade reached $45 billion.';
  return {
    message_id: id,
    date: 0,
    chat: { id: USER.id, type: 'private', first_name: USER.first_name },
    from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username },
    text: `${quote}\n— ThePrint, 9 October 2025`,
    entities: [{ type: 'blockquote', offset: 0, length: quote.length }],
  };
}

describeWithDatabase('follow-up context shared by replicas', () => {
  const db = useTestPool();
  let pool: pg.Pool;
  beforeAll(() => {
    pool = db.pool;
  });
  const rows = async (scope: string) =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${SCHEMA}.conversations WHERE scope = $1`, [scope])).rows[0]?.n);

  it('what one replica answered is known to another', async () => {
    const [a, b] = [pgConversations({ pool, scope: 'bot-1' }), pgConversations({ pool, scope: 'bot-1' })];
    await a.answered({ chat: 5, message: 100, question: TRADE });
    expect(await b.questionOf({ chat: 5, message: 100 })).toBe(TRADE);
    expect(await b.last({ chat: 5 })).toBe(TRADE);
    await b.answered({ chat: 5, message: 101, question: 'Rogun?' });
    expect(await a.last({ chat: 5 })).toBe('Rogun?');
    expect(await a.questionOf({ chat: 5, message: 100 })).toBe(TRADE);
    // Another chat, and another bot on the same database, know nothing of it.
    expect(await a.last({ chat: 6 })).toBeUndefined();
    expect(await pgConversations({ pool, scope: 'bot-2' }).questionOf({ chat: 5, message: 100 })).toBeUndefined();
  });

  it('a reply to an answer of one bot replica is answered by the other in the context of its question', async () => {
    const conversations = () => pgConversations({ pool, scope: 'replicas' });
    const [first, second] = [fakeEngine((q) => answered([snippet({ quote: `About: ${q}` })], q)), fakeEngine((q) => answered([snippet({ quote: `About: ${q}` })], q))];
    const one = createHarness({ engines: fixedEngines(first), conversations: conversations() });
    const other = createHarness({ engines: fixedEngines(second), conversations: conversations() });
    await one.privateText(TRADE);
    const [answerId] = one.sentIds();
    await other.privateText('and in 2022?', undefined, { reply_to_message: botAnswer(answerId ?? 0) });
    // Without the shared memory the other replica would read the reply with the quote instead.
    expect(second.questions).toEqual([`${TRADE} and in 2022?`]);
    // A continuation without a reply, in the private chat, follows the last answer too.
    await one.privateText('And what about 2023?');
    expect(first.questions.at(-1)).toBe(`${TRADE} and in 2022? And what about 2023?`);
  });

  it('forgets answers after the expiry, and deletes them', async () => {
    let now = 1_000_000;
    const memory = pgConversations({ pool, scope: 'expiry', ttlMs: 60_000, pruneEvery: 1, now: () => now });
    await memory.answered({ chat: 1, message: 1, question: TRADE });
    now += 60_001;
    expect(await memory.questionOf({ chat: 1, message: 1 })).toBeUndefined();
    expect(await memory.last({ chat: 1 })).toBeUndefined();
    await memory.answered({ chat: 2, message: 1, question: 'Rogun?' });
    expect(await rows('expiry')).toBe(1);
  });

  it('keeps the last answers of each chat and at most maxRows in all, the oldest deleted first', async () => {
    let now = 0;
    const memory = pgConversations({ pool, scope: 'bounded', perChat: 2, maxRows: 3, pruneEvery: 1, now: () => now });
    for (const message of [1, 2, 3]) {
      now += 1;
      await memory.answered({ chat: 1, message, question: `q${message}` });
    }
    expect(await memory.questionOf({ chat: 1, message: 1 })).toBeUndefined();
    expect(await memory.questionOf({ chat: 1, message: 3 })).toBe('q3');
    for (const chat of [2, 3]) {
      now += 1;
      await memory.answered({ chat, message: 1, question: `chat ${chat}` });
    }
    expect(await rows('bounded')).toBe(3);
    // Chat 1's older answer went first; its last one and the two new chats stay.
    expect(await memory.questionOf({ chat: 1, message: 2 })).toBeUndefined();
    expect(await memory.last({ chat: 1 })).toBe('q3');
    expect(await memory.last({ chat: 3 })).toBe('chat 3');
  });

  it('reads follow-ups from this replica\'s memory while the database is gone, and says so', async () => {
    const dead = createPgPool({ url: db.url.replace(/\/quotes_test_\w+/, '/no_such_database'), role: 'test' });
    const errors: unknown[] = [];
    const memory = pgConversations({ pool: dead, scope: 'dead', onError: (e) => errors.push(e) });
    await memory.answered({ chat: 1, message: 7, question: TRADE });
    expect(await memory.questionOf({ chat: 1, message: 7 })).toBe(TRADE);
    expect(await memory.last({ chat: 1 })).toBe(TRADE);
    expect(errors).toHaveLength(3);
    await dead.end();
  });
});

describeWithDatabase('a database made before postings were stored best first', () => {
  const db = useTestPool();
  it('marks its generations as read whole, and new ones as best first', async () => {
    const { pool } = db;
    await pool.query(`ALTER TABLE ${SCHEMA}.generations DROP COLUMN postings_best_first`);
    await pool.query(`UPDATE ${SCHEMA}.schema_version SET version = 2`);
    await pool.query(`INSERT INTO ${SCHEMA}.vector_spaces (model_id, dimensions) VALUES ('m', 3)`);
    const space = (await pool.query<{ space: number }>(`SELECT space FROM ${SCHEMA}.vector_spaces`)).rows[0]?.space;
    await pool.query(`INSERT INTO ${SCHEMA}.generations (name, state, builder, model_id, dimensions, space) VALUES ('old', 'ready', 'test', 'm', 3, $1)`, [space]);
    const old = (await pool.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.generations`)).rows[0]?.id;
    await pool.query(`INSERT INTO ${SCHEMA}.live (generation) VALUES ($1) ON CONFLICT DO NOTHING`, [old]);
    // A bot reads the live generation before any build upgrades the tables: read whole.
    expect(await readLiveGeneration(pool)).toMatchObject({ name: 'old', postingsBestFirst: false });
    await ensureSchema(pool);
    expect(await readLiveGeneration(pool)).toMatchObject({ name: 'old', postingsBestFirst: false });
    await pool.query(`INSERT INTO ${SCHEMA}.generations (name, state, builder, model_id, dimensions, space) VALUES ('new', 'building', 'test', 'm', 3, $1)`, [space]);
    const rows = await pool.query<{ name: string; postings_best_first: boolean }>(`SELECT name, postings_best_first FROM ${SCHEMA}.generations ORDER BY name`);
    expect(rows.rows).toEqual([
      { name: 'new', postings_best_first: true },
      { name: 'old', postings_best_first: false },
    ]);
  });
});

describeWithDatabase('a database made by the first PostgreSQL version of the bot', () => {
  const db = useTestPool();
  it('gets the follow-up table on start, keeping what it has', async () => {
    const { pool } = db;
    await pool.query(`DROP TABLE ${SCHEMA}.conversations`);
    await pool.query(`UPDATE ${SCHEMA}.schema_version SET version = 1`);
    await pool.query(`INSERT INTO ${SCHEMA}.rate_buckets VALUES ('kept', '1', 1, 0, false)`);
    await ensureSchema(pool);
    const version = await pool.query<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_version`);
    expect(version.rows).toEqual([{ version: SCHEMA_VERSION }]);
    await pgConversations({ pool, scope: 'upgraded' }).answered({ chat: 1, message: 1, question: TRADE });
    expect(await pgConversations({ pool, scope: 'upgraded' }).questionOf({ chat: 1, message: 1 })).toBe(TRADE);
    expect((await pool.query(`SELECT 1 FROM ${SCHEMA}.rate_buckets WHERE scope = 'kept'`)).rowCount).toBe(1);
  });
});

