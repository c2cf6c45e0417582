/**
 * Two bot processes (webhook mode, as `npm start` runs them) sharing one PostgreSQL database,
 * against the Telegram emulator on 127.0.0.1: an update delivered to both is answered once, a
 * user's 11th question in a minute is refused whichever replica gets it, and a rebuild reaches
 * both.
 */
import { appendFile, cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { SECRET_HEADER } from '../../src/http/webhook.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { freePort, startEmulator, type Emulator } from '../../tools/telegram/emulator.js';
import { loadTestEmbedder, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { ensureStopped, startMain, type StartedMain } from '../support/main-process.js';
import { describeWithDatabase, useTestDatabase } from '../support/pg.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
const SECRET = 'replica-webhook-secret-0123456789abcdef';
const QUESTION = "How much was Russia's trade with the five Central Asian states last year?";

describeWithDatabase('replicas on one database', () => {
  const db = useTestDatabase();
  let embedder: Embedder;
  let emulator: Emulator;
  let corpus: Awaited<ReturnType<typeof tempDir>>;
  const replicas: Array<{ started: StartedMain; url: string }> = [];
  let nextUpdate = 1000;

  beforeAll(async () => {
    embedder = await loadTestEmbedder();
    corpus = await tempDir('quotes-replica-corpus-');
    await cp(SEED_CORPUS, corpus.dir, { recursive: true });
    await buildPgIndex({ url: db.url, corpusDir: corpus.dir, embedder });
    emulator = await startEmulator({ pollWaitMs: 300 });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/telegram`;
      const started = startMain({
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        MODELS_DIR: TEST_MODELS_DIR,
        EMBEDDING_MODEL: TEST_MODEL,
        DATABASE_URL: db.url,
        WEBHOOK_URL: url,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
      });
      replicas.push({ started, url });
    }
    await Promise.all(replicas.map((r) => r.started.waitForLog('bot is receiving updates by webhook', 60_000)));
  }, 180_000);
  afterAll(async () => {
    for (const r of replicas) await ensureStopped(r.started);
    await emulator?.stop();
    await embedder?.dispose();
    await corpus?.cleanup();
  });

  const update = (options: { user: number; text: string; id?: number }) => ({
    update_id: options.id ?? nextUpdate++,
    message: {
      message_id: nextUpdate++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: options.user, type: 'private', first_name: 'Replica' },
      from: { id: options.user, is_bot: false, first_name: 'Replica' },
      text: options.text,
    },
  });
  /** Posts an update as Telegram would; resolves with the response once the answer is sent. */
  const post = async (replica: number, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(replicas[replica]?.url ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: SECRET },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const answers = (user: number) => emulator.botMessages(user).filter((m) => m.message.text.includes('<blockquote>'));

  it('answers an update delivered to both replicas once', async () => {
    const user = 501;
    const twice = update({ user, text: QUESTION });
    const responses = await Promise.all([post(0, twice), post(1, twice)]);
    expect(responses.filter((r) => r.duplicate === true)).toHaveLength(1);
    // A third delivery, later, to either of them is a duplicate too.
    expect(await post(1, twice)).toMatchObject({ duplicate: true });
    expect(await post(0, twice)).toMatchObject({ duplicate: true });
    expect(emulator.botMessages(user)).toHaveLength(1);
    expect(answers(user)).toHaveLength(1);
  });

  it('refuses the 11th question in a minute from one user, whichever replica gets it', async () => {
    const user = 502;
    for (let i = 0; i < 10; i++) await post(i % 2, update({ user, text: `${QUESTION} (${i})` }));
    expect(answers(user)).toHaveLength(10);
    // The 11th goes to the replica that answered only five of the ten, and is refused.
    await post(1, update({ user, text: QUESTION }));
    const last = emulator.botMessages(user).at(-1)?.message.text ?? '';
    expect(last).toMatch(/You are asking faster than I can keep up/);
    // Then silence, on either replica.
    await post(0, update({ user, text: QUESTION }));
    await post(1, update({ user, text: QUESTION }));
    expect(emulator.botMessages(user)).toHaveLength(11);
    // Another user is not held back.
    await post(0, update({ user: 503, text: QUESTION }));
    expect(answers(503)).toHaveLength(1);
  });

  it('a rebuild reaches both replicas, which then answer from it', async () => {
    const first = (await readdir(corpus.dir)).filter((n) => n.endsWith('.md')).sort()[0] ?? '';
    await appendFile(join(corpus.dir, first), '\n\nThe replica test added this paragraph about railway freight tariffs.\n');
    const summary = await buildPgIndex({ url: db.url, corpusDir: corpus.dir, embedder });
    const reloads = await Promise.all(
      replicas.map((r) => r.started.waitForLog('index reload', 60_000, (line) => line.status === 'reloaded' && line.build === summary?.build)),
    );
    expect(reloads).toHaveLength(2);
    for (const [i, user] of [504, 505].entries()) {
      await post(i, update({ user, text: 'What did the article say about railway freight tariffs?' }));
      expect(answers(user)[0]?.message.text).toContain('railway freight tariffs');
    }
    for (const r of replicas) expect(r.started.output()).not.toContain(db.url);
  });
});
