/**
 * The real entry point in a child process, against the Telegram emulator on 127.0.0.1:
 * long polling with a graceful SIGTERM, webhook mode with its secret, health, and config errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/load.js';
import { SECRET_HEADER } from '../../src/http/webhook.js';
import { freePort, startEmulator, type Emulator } from '../../tools/telegram/emulator.js';
import { buildTestIndex, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { ensureStopped, startMain as startMainProcess, type StartedMain } from '../support/main-process.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

// Token-shaped, so the logs can be checked for it.
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
const SECRET = 'e2e-webhook-secret-0123456789abcdef';
const QUESTION = "How much was Russia's trade with the five Central Asian states last year?";
const USER = { userId: 31, chatId: 31, type: 'private' as const, firstName: 'Dana' };

let indexDir: string;
let cleanupIndex: () => Promise<void>;
let emulator: Emulator;
let bodies: string[];

beforeAll(async () => {
  ({ indexDir, cleanup: cleanupIndex } = await buildTestIndex());
  bodies = (await loadCorpus({ dir: SEED_CORPUS })).map((a) => a.body);
  emulator = await startEmulator({ pollWaitMs: 300 });
});

afterAll(async () => {
  await emulator?.stop();
  await cleanupIndex?.();
});

/** Starts `src/app/main.ts` against the emulator, on the test index. */
function startMain(env: Record<string, string>): StartedMain {
  return startMainProcess({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    MODELS_DIR: TEST_MODELS_DIR,
    EMBEDDING_MODEL: TEST_MODEL,
    INDEX_DIR: indexDir,
    ...env,
  });
}

/** The first quote of an answer in Telegram HTML, unescaped. */
function firstQuote(html: string): string | undefined {
  const match = /<blockquote>([^<]+)<\/blockquote>/.exec(html);
  return match?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function expectVerbatim(html: string): void {
  const quote = firstQuote(html);
  expect(quote, html).toBeDefined();
  for (const fragment of quote?.replace(/^“|”$/g, '').split(' … ') ?? []) {
    expect(bodies.some((b) => b.includes(fragment)), fragment).toBe(true);
  }
}

describe('main: long polling', () => {
  let started: StartedMain | undefined;
  afterAll(async () => ensureStopped(started));

  it('on SIGTERM right after an update is fetched, still sends the answer and exits 0', async () => {
    const healthPort = await freePort();
    started = startMain({ HEALTH_PORT: String(healthPort) });
    await started.waitForLog('bot is polling for updates');

    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ready', model: TEST_MODEL, articles: 5 });

    const client = emulator.server.getClient(TOKEN, USER);
    await client.sendMessage(client.makeMessage(QUESTION));
    // The moment the bot's getUpdates takes the question, ask the bot to stop.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (emulator.server.storage.userMessages.some((u) => u.botToken === TOKEN && u.isRead)) {
          clearInterval(poll);
          resolve();
        }
      }, 2);
    });
    started.child.kill('SIGTERM');

    expect(await started.exited).toBe(0);
    const answers = emulator.botMessages(USER.chatId).filter((m) => m.message.text.includes('<blockquote>'));
    expect(answers).toHaveLength(1);
    expectVerbatim(answers[0]?.message.text ?? '');

    const logs = started.logs();
    const question = logs.find((l) => l.msg === 'question answered');
    expect(question).toMatchObject({ answered: true });
    expect(typeof question?.ms).toBe('number');
    expect(typeof question?.top).toBe('number');
    expect(question?.user).toMatch(/^[0-9a-f]{12}$/);
    expect(logs.some((l) => l.msg === 'stopped' && l.code === 0)).toBe(true);
    expect(started.output()).not.toContain(TOKEN);
  });
});

describe('main: webhook', () => {
  let started: StartedMain | undefined;
  afterAll(async () => ensureStopped(started));

  it('registers the webhook with its secret, answers only requests that carry it, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram`;
    started = startMain({ WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET, PORT: String(port) });
    await started.waitForLog('bot is receiving updates by webhook');
    expect(Reflect.get(emulator.server, 'webhooks')).toMatchObject({ [TOKEN]: { url, secret_token: SECRET } });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const update = (id: number) => ({
      update_id: id,
      message: { message_id: id, date: 0, chat: { id: 32, type: 'private', first_name: 'Eve' }, from: { id: 32, is_bot: false, first_name: 'Eve' }, text: QUESTION },
    });
    const post = async (body: unknown, secret?: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(secret !== undefined ? { [SECRET_HEADER]: secret } : {}) },
        body: JSON.stringify(body),
      });
      await res.text();
      return res.status;
    };
    expect(await post(update(900))).toBe(401);
    expect(await post(update(901), 'wrong-secret-0123456789abcdef')).toBe(401);
    expect(emulator.botMessages(32)).toEqual([]);

    expect(await post(update(902), SECRET)).toBe(200);
    const answers = emulator.botMessages(32);
    expect(answers).toHaveLength(1);
    expectVerbatim(answers[0]?.message.text ?? '');

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    const output = started.output();
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET);
  });
});

describe('#10 SIGHUP while the model loads', () => {
  let started: StartedMain | undefined;
  afterAll(async () => ensureStopped(started));

  it('does not kill the bot: the reload is done once it has started', async () => {
    started = startMain({ HEALTH_PORT: String(await freePort()) });
    // Logged just before the model and the index start loading.
    await started.waitForLog('http server listening (/healthz)');
    started.child.kill('SIGHUP');
    await started.waitForLog('bot is polling for updates');
    expect(started.logs().some((l) => l.msg === 'SIGHUP during start-up: the index is reloaded once the bot has started')).toBe(true);
    expect(await started.waitForLog('index reload')).toMatchObject({ status: 'unchanged' });
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });
});

describe('main: configuration errors', () => {
  it('names a missing WEBHOOK_SECRET in one line and exits 1 before loading anything', async () => {
    const started = startMain({ WEBHOOK_URL: 'https://bot.example.com/telegram' });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: invalid configuration: .*WEBHOOK_SECRET is required with WEBHOOK_URL/);
  });
});
