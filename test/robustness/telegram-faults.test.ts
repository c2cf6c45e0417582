import { run } from '@grammyjs/runner';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { FAILURE_TEXT } from '../support/bot-harness.js';
import { createBot } from '../../src/bot/create-bot.js';
import { createLogger } from '../../src/app/logger.js';
import { useTestEngine } from '../support/shared-engine.js';
import { startFakeBotApi, type Fault } from '../support/fake-bot-api.js';
import { ROBUST_BOT_INFO, SECRET_TOKEN } from '../support/recording-bot.js';
import { parseTelegramHtml } from '../../tools/telegram/html-checker.js';

const QUESTION = 'How much trade did Russia do with Central Asia?';

const shared = useTestEngine();

/** The real bot pointed at the fake Bot API, with captured (scrubbed) logs. */
function botAgainst(apiRoot: string) {
  const logs: string[] = [];
  const logger = createLogger({ level: 'trace', secrets: [SECRET_TOKEN], destination: { write: (l: string) => logs.push(l) } });
  const bot = createBot({
    token: SECRET_TOKEN,
    apiRoot,
    engines: { current: shared.current.engine, reload: async () => ({ status: 'unchanged', build: shared.current.build }) },
    adminIds: [],
    logger,
    questionsPerMinute: 100,
    maxQuestionChars: 500,
    botInfo: ROBUST_BOT_INFO,
  });
  return { bot, logs };
}

let nextUpdate = 1;
function question(userId: number, text = QUESTION): Update {
  return {
    update_id: nextUpdate++,
    message: { message_id: nextUpdate, date: 1_700_000_000, chat: { id: userId, type: 'private', first_name: 'U' }, from: { id: userId, is_bot: false, first_name: 'U' }, text },
  } as Update;
}

/** The one answer a chat got: a quote with its source, valid HTML. */
function expectOneAnswer(sent: Array<{ payload: Record<string, unknown> }>): void {
  expect(sent).toHaveLength(1);
  const text = String(sent[0]?.payload.text);
  expect(text).toContain('<blockquote>');
  expect(text).not.toContain(FAILURE_TEXT);
  expect(parseTelegramHtml(text).errors).toEqual([]);
}

describe('Telegram failing while the bot answers (bot.handleUpdate)', () => {
  it.concurrent.each<{ kind: Fault['kind']; name: string }>([
    { kind: '429', name: '429 with retry_after 1' },
    { kind: '500', name: '500 Internal Server Error' },
    { kind: 'reset', name: 'connection reset' },
    { kind: 'timeout', name: 'request held, then dropped (timeout)' },
  ])('$name on sendMessage: retried, the answer arrives exactly once, the next update is handled', async ({ kind }) => {
    const api = await startFakeBotApi({ botInfo: ROBUST_BOT_INFO, faults: [{ method: 'sendMessage', kind, times: 1 }] });
    try {
      const { bot, logs } = botAgainst(api.apiRoot);
      await bot.handleUpdate(question(501));
      // One failed attempt, one retry that went through.
      expect(api.attempts('sendMessage')).toBe(2);
      expectOneAnswer(api.sentTo(501));
      await bot.handleUpdate(question(502));
      expectOneAnswer(api.sentTo(502));
      expect(api.attempts('sendMessage')).toBe(3);
      expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
      expect(logs.join('')).not.toContain(SECRET_TOKEN);
    } finally {
      await api.stop();
    }
  }, 30_000);

  it('does not wait out a retry_after beyond its limit: the user gets the failure reply, the next update is answered', async () => {
    const api = await startFakeBotApi({ botInfo: ROBUST_BOT_INFO, faults: [{ method: 'sendMessage', kind: '429-long', times: 1 }] });
    try {
      const { bot, logs } = botAgainst(api.apiRoot);
      await bot.handleUpdate(question(601));
      // No retry of a two-minute wait: the answer fails once, then the polite failure reply goes out.
      expect(api.attempts('sendMessage')).toBe(2);
      const sent = api.sentTo(601);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.payload.text).toBe(FAILURE_TEXT);
      expect(logs.some((l) => l.includes('update failed'))).toBe(true);
      await bot.handleUpdate(question(602));
      expectOneAnswer(api.sentTo(602));
      expect(logs.join('')).not.toContain(SECRET_TOKEN);
      expect(logs.join('')).not.toContain(SECRET_TOKEN.split(':')[1]);
    } finally {
      await api.stop();
    }
  }, 30_000);
});

describe('Telegram failing while the bot polls (runner)', () => {
  it('keeps polling through 500, 429 and dropped connections on getUpdates and sendMessage; every answer once', async () => {
    const api = await startFakeBotApi({
      botInfo: ROBUST_BOT_INFO,
      faults: [
        { method: 'getUpdates', kind: '500', times: 1 },
        { method: 'getUpdates', kind: '429', times: 1 },
        { method: 'getUpdates', kind: 'reset', times: 1 },
      ],
    });
    const { bot, logs } = botAgainst(api.apiRoot);
    const runner = run(bot);
    try {
      const users = [701, 702, 703, 704];
      api.push({ message: question(701).message } as Omit<Update, 'update_id'>);
      api.addFault({ method: 'sendMessage', kind: '429', times: 1 });
      api.push({ message: question(702).message } as Omit<Update, 'update_id'>);
      await until(() => api.sentTo(702).length > 0, 25_000);
      api.addFault({ method: 'sendMessage', kind: 'reset', times: 1 });
      api.push({ message: question(703).message } as Omit<Update, 'update_id'>);
      api.push({ message: question(704).message } as Omit<Update, 'update_id'>);
      await until(() => users.every((u) => api.sentTo(u).length > 0), 25_000);
      // Stopping the runner waits for every handler, retries included: a duplicate a retry
      // could cause has been sent by then, however late.
      await runner.stop();
      for (const u of users) expectOneAnswer(api.sentTo(u));
      expect(api.attempts('getUpdates')).toBeGreaterThan(3);
      expect(logs.join('')).not.toContain(SECRET_TOKEN);
    } finally {
      if (runner.isRunning()) await runner.stop();
      await api.stop();
    }
  }, 60_000);
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the bot');
    await new Promise((r) => setTimeout(r, 50));
  }
}
