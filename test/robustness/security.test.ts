import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Update } from 'grammy/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_BUTTON_TEXT, FAILURE_TEXT, NO_MORE_TEXT } from '../support/bot-harness.js';
import { parseBotConfig } from '../../src/app/config.js';
import { createBot } from '../../src/bot/create-bot.js';
import type { ReloadResult } from '../../src/app/serving/engine-holder.js';
import type { AnswerEngine } from '../../src/core/types.js';
import { IndexError } from '../../src/core/errors.js';
import { TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { useTestEngine } from '../support/shared-engine.js';
import { startFakeBotApi } from '../support/fake-bot-api.js';
import { createRng } from '../../tools/fuzz.js';
import { clientEntities, createRecordingBot, ROBUST_BOT_INFO, SECRET_TOKEN, type OutgoingCall } from '../support/recording-bot.js';
import { runScript } from '../support/spawn.js';
import { parseTelegramHtml } from '../../tools/telegram/html-checker.js';

const ADMIN = { id: 424242, is_bot: false, first_name: 'Admin', username: 'boss' };
const STRANGER = { id: 31337, is_bot: false, first_name: 'Admin', username: 'boss_' };
const GROUP = { id: -100555, type: 'supergroup', title: 'Newsroom' };
const SECRET_PART = SECRET_TOKEN.split(':')[1] ?? '';
const QUESTION = 'How much trade did Russia do with Central Asia?';

const shared = useTestEngine();

/** Nothing a user sees may carry the token, a stack, a file path or an error class. */
function expectNothingLeaks(calls: OutgoingCall[]): void {
  for (const call of calls) {
    const json = JSON.stringify(call.payload);
    expect(json).not.toContain(SECRET_PART);
    const visible = [call.payload.text, call.payload.message_text].filter((t) => typeof t === 'string').join('\n');
    expect(visible).not.toMatch(/\n\s+at |\/src\/|\.ts:\d|node_modules|TypeError|ReferenceError|GrammyError|HttpError/);
  }
}

function withReloads(result: ReloadResult = { status: 'unchanged', build: 'b1' }) {
  let reloads = 0;
  return {
    engines: {
      current: shared.current.engine,
      reload: async () => {
        reloads++;
        return result;
      },
    },
    reloads: () => reloads,
  };
}

function commandIn(chat: Record<string, unknown>, from: Record<string, unknown> | undefined, text: string, extra: Record<string, unknown> = {}) {
  return { message: { message_id: 10, date: 1_700_000_000, chat, ...(from ? { from } : {}), text, entities: clientEntities(text), ...extra } };
}

describe('admin-only /reload', () => {
  const privateOf = (u: typeof ADMIN) => ({ id: u.id, type: 'private', first_name: u.first_name });

  it.each([
    { name: 'a stranger in private', update: commandIn(privateOf(STRANGER), STRANGER, '/reload') },
    { name: 'a stranger in a group', update: commandIn(GROUP, STRANGER, '/reload') },
    { name: 'a stranger naming the bot in a group', update: commandIn(GROUP, STRANGER, `/reload@${ROBUST_BOT_INFO.username}`) },
    { name: 'a stranger with arguments', update: commandIn(privateOf(STRANGER), STRANGER, '/reload now please --force') },
    { name: 'an anonymous group admin (no from)', update: commandIn(GROUP, undefined, '/reload', { sender_chat: GROUP }) },
    { name: 'a channel posting as the group', update: commandIn(GROUP, { id: 136817688, is_bot: true, first_name: 'Channel' }, '/reload', { sender_chat: { id: -100999, type: 'channel', title: 'C' } }) },
    { name: 'another bot', update: commandIn(GROUP, { id: ADMIN.id + 1, is_bot: true, first_name: 'Admin' }, '/reload') },
  ])('refuses $name without reloading or naming the admins', async ({ update }) => {
    const { engines, reloads } = withReloads();
    const r = createRecordingBot({ engines, adminIds: [ADMIN.id] });
    const calls = await r.send(update);
    expect(reloads()).toBe(0);
    const sent = calls.filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.payload.text)).toMatch(/only for the bot’s admins/);
    expect(JSON.stringify(sent)).not.toContain(String(ADMIN.id));
    expectNothingLeaks(calls);
    expect(r.errorLogs()).toEqual([]);
  });

  it('ignores /reload addressed to another bot in a group', async () => {
    const { engines, reloads } = withReloads();
    const r = createRecordingBot({ engines, adminIds: [ADMIN.id] });
    const calls = await r.send(commandIn(GROUP, ADMIN, '/reload@OtherBot'));
    expect(reloads()).toBe(0);
    expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('makes an admin use a private chat, then reloads there', async () => {
    const { engines, reloads } = withReloads({ status: 'reloaded', build: 'b2', previousBuild: 'b1' });
    const r = createRecordingBot({ engines, adminIds: [ADMIN.id] });
    await r.send(commandIn(GROUP, ADMIN, '/reload'));
    expect(reloads()).toBe(0);
    const calls = await r.send(commandIn(privateOf(ADMIN), ADMIN, '/reload'));
    expect(reloads()).toBe(1);
    const text = String(calls.find((c) => c.method === 'sendMessage')?.payload.text);
    expect(parseTelegramHtml(text).errors).toEqual([]);
    expect(text).toContain('b2');
  });

  it.each([
    { kind: 'unexpected', error: new Error(`cannot fetch https://api.telegram.org/bot${SECRET_TOKEN}/getFile <b>x</b> & more`) },
    { kind: 'expected', error: new IndexError(`the index in /srv/bot${SECRET_TOKEN}/index is damaged <b>x</b> & more; rebuild with npm run build-index`) },
  ])('tells an admin why a reload failed ($kind error) without the token, a stack or markup injection', async ({ error }) => {
    const { engines } = withReloads({ status: 'failed', build: 'b1', error });
    const r = createRecordingBot({ engines, adminIds: [ADMIN.id] });
    const calls = await r.send(commandIn(privateOf(ADMIN), ADMIN, '/reload'));
    const text = String(calls.find((c) => c.method === 'sendMessage')?.payload.text);
    expect(parseTelegramHtml(text).errors).toEqual([]);
    expect(text).toContain('b1');
    expectNothingLeaks(calls);
    expect(r.logs.join('')).not.toContain(SECRET_PART);
  });
});

describe('forged and stale callback data', () => {
  const rng = createRng(4242);
  const randomData = Array.from({ length: 120 }, () => {
    const length = rng.between(0, 80);
    return Array.from({ length }, () => String.fromCodePoint(rng.pick([rng.between(0x20, 0x7e), rng.between(0x400, 0x4ff), rng.between(0x1f600, 0x1f64f), 0]))).join('');
  });
  const FORGED = [
    ...randomData,
    '',
    'more:',
    'more:-1',
    'more:1e3',
    'more:999',
    'more:0 ',
    'more:00000000000000000001',
    'more:3;rm -rf /',
    'MORE:3',
    '__proto__',
    'constructor',
    'toString',
    '{"offset":3}',
    '<b>x</b>',
    '&amp;',
    '../../etc/passwd',
    `more:${'9'.repeat(5000)}`,
    'x'.repeat(10_000),
  ];

  let r: ReturnType<typeof createRecordingBot>;
  const owner = { id: 1111, is_bot: false, first_name: 'Owner' };
  const other = { id: 2222, is_bot: false, first_name: 'Other' };
  const privateChat = { id: owner.id, type: 'private', first_name: 'Owner' };
  /** A real answer message under a real question, as "More sources" buttons sit. */
  const answerMessage = (chat: Record<string, unknown>, questionText: string | undefined) => ({
    message_id: 900,
    date: 1_700_000_000,
    chat,
    from: ROBUST_BOT_INFO,
    text: 'answer',
    ...(questionText === undefined ? {} : { reply_to_message: { message_id: 899, date: 1_700_000_000, chat, from: owner, text: questionText } }),
  });

  beforeAll(() => {
    let clock = 0;
    r = createRecordingBot({ engines: withReloads().engines, adminIds: [ADMIN.id], now: () => (clock += 60_000) });
  });

  it.each([
    { where: 'from an inline message (inline_message_id, no message)', message: undefined, inline: true, from: owner },
    { where: 'with neither a message nor an inline message id', message: undefined, from: owner },
    { where: 'on an answer in private', message: answerMessage(privateChat, QUESTION), from: owner },
    { where: 'pressed by another user in a group', message: answerMessage(GROUP, QUESTION), from: other },
    { where: 'on a message whose question is gone', message: answerMessage(GROUP, undefined), from: other },
    { where: 'on a message whose question was markup', message: answerMessage(GROUP, '<b>bold</b> </blockquote> &amp;'), from: other },
  ])('answers every forged data $where once, gracefully, leaking nothing', async ({ message, from, inline }) => {
    const logsBefore = r.errorLogs().length;
    for (const data of FORGED) {
      const where = { ...(message ? { message } : {}), ...(inline ? { inline_message_id: 'AAAAAgAAAB' } : {}) };
      const calls = await r.send({ callback_query: { id: `cq-${data.length}`, from, chat_instance: 'ci', data, ...where } });
      const answers = calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(answers, JSON.stringify(data.slice(0, 40))).toHaveLength(1);
      const text = String(answers[0]?.payload.text ?? '');
      expect(text.length).toBeLessThanOrEqual(200);
      // A forged offset past the end of a real answer is told no other quote answers it.
      expect([EXPIRED_BUTTON_TEXT, NO_MORE_TEXT, '']).toContain(text.startsWith('You are asking') ? '' : text);
      expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
      for (const edit of calls.filter((c) => c.method === 'editMessageText')) expect(parseTelegramHtml(String(edit.payload.text)).errors).toEqual([]);
      expectNothingLeaks(calls);
    }
    expect(r.errorLogs().slice(logsBefore)).toEqual([]);
  });

  it('says no other quote answers when a page number is past the end of the answer', async () => {
    const calls = await r.send({ callback_query: { id: 'stale', from: owner, chat_instance: 'ci', data: 'more:90', message: answerMessage(privateChat, QUESTION) } });
    expect(calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toBe(NO_MORE_TEXT);
    expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
  });
});

describe('the token never leaves the process', () => {
  const throwingEngine = (thrown: unknown): AnswerEngine => ({
    info: shared.current.engine.info,
    answer: async () => {
      throw thrown;
    },
  });

  it.each([
    { name: 'an engine error naming the token', thrown: Object.assign(new Error(`GET https://api.telegram.org/bot${SECRET_TOKEN}/getFile failed`), { token: SECRET_TOKEN }) },
    { name: 'a thrown string with the token', thrown: `token=${SECRET_TOKEN}` },
    { name: 'an error whose cause holds the token', thrown: new Error('wrapped', { cause: new Error(`bot${SECRET_TOKEN}`) }) },
  ])('$name: the user gets the polite failure, every log level stays clean', async ({ thrown }) => {
    const r = createRecordingBot({ engines: { current: throwingEngine(thrown), reload: async () => ({ status: 'unchanged', build: 'b' }) }, logLevel: 'trace' });
    const calls = await r.send({ message: { message_id: 5, date: 1, chat: { id: 77, type: 'private', first_name: 'A' }, from: { id: 77, is_bot: false, first_name: 'A' }, text: QUESTION } });
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([FAILURE_TEXT]);
    expectNothingLeaks(calls);
    expect(r.errorLogs().length).toBeGreaterThan(0);
    const all = r.logs.join('\n');
    expect(all).not.toContain(SECRET_PART);
  });

  it('is not written by the bot itself: Telegram and network errors logged without scrubbing carry no token', async () => {
    const api = await startFakeBotApi({
      botInfo: ROBUST_BOT_INFO,
      faults: [
        { method: 'sendMessage', kind: '429-long', times: 2 },
        { method: 'sendChatAction', kind: 'reset', times: 1 },
      ],
    });
    const raw: string[] = [];
    // A plain pino logger: what the bot hands to its logger before any scrubbing.
    const logger = pino({ level: 'trace' }, { write: (l: string) => raw.push(l) });
    const bot = createBot({
      token: SECRET_TOKEN,
      apiRoot: api.apiRoot,
      engines: withReloads().engines,
      adminIds: [],
      logger,
      questionsPerMinute: 10,
      maxQuestionChars: 500,
      botInfo: ROBUST_BOT_INFO,
    });
    try {
      await bot.handleUpdate({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 9, type: 'private', first_name: 'A' }, from: { id: 9, is_bot: false, first_name: 'A' }, text: QUESTION } } as Update);
      expect(raw.some((l) => /"level":50/.test(l))).toBe(true);
      expect(raw.join('\n')).not.toContain(SECRET_PART);
    } finally {
      await api.stop();
    }
  }, 30_000);

  it('is never echoed by a configuration error', () => {
    for (const BOT_TOKEN of ['12345:has spaces and-secret', `${SECRET_TOKEN} `, `x${SECRET_PART}`]) {
      const error = (() => {
        try {
          parseBotConfig({ BOT_TOKEN });
          return undefined;
        } catch (e) {
          return e as Error;
        }
      })();
      if (error) expect(error.message).not.toContain(BOT_TOKEN.trim().slice(6));
    }
  });

  it('stays out of the start-up failure when Telegram is unreachable or refuses the token', async () => {
    const refusing = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const refusingRoot = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      // Refused: exits with one line. Unreachable: keeps trying (and warning) until killed.
      for (const [apiRoot, timeoutMs] of [
        [refusingRoot, 30_000],
        ['http://127.0.0.1:9', 16_000],
      ] as const) {
        const result = await runScript({
          script: 'src/app/main.ts',
          env: {
            BOT_TOKEN: SECRET_TOKEN,
            TELEGRAM_API_ROOT: apiRoot,
            MODELS_DIR: TEST_MODELS_DIR,
            EMBEDDING_MODEL: TEST_MODEL,
            INDEX_DIR: shared.current.indexDir,
            LOG_LEVEL: 'trace',
          },
          timeoutMs,
        });
        expect(result.code, result.stderr).not.toBe(0);
        expect(result.stdout + result.stderr).not.toContain(SECRET_PART);
      }
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  }, 70_000);
});
