import { request } from 'node:http';
import { Bot, type Context } from 'grammy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../../src/http/server.js';
import { createWebhookRoute, MAX_WEBHOOK_BODY_BYTES, registerWebhook, SECRET_HEADER } from '../../src/http/webhook.js';
import { createInFlightTracker } from '../../src/app/shutdown.js';

const SECRET = 'right-secret-0123456789';
const BOT_INFO = {
  id: 42, is_bot: true as const, first_name: 'Quotes', username: 'quotes_bot',
  can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
  can_manage_bots: false, supports_join_request_queries: false,
};

/** A bot whose Bot API calls are recorded and answered with fake successes. */
function recordingBot(answer: (ctx: Context & { message: { text: string } }) => Promise<void> = async (ctx) => {
  await ctx.reply(`you asked: ${ctx.message.text}`);
}) {
  const calls: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const bot = new Bot('123456:fake-token-for-tests', { botInfo: BOT_INFO });
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    const result = method === 'sendMessage' ? { message_id: 1, date: 0, chat: { id: 7, type: 'private', first_name: 'A' }, text: '' } : true;
    return { ok: true, result } as never;
  });
  bot.on('message:text', (ctx) => answer(ctx));
  return { bot, calls };
}

function update(text: string, updateId = 1) {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: 0, chat: { id: 7, type: 'private', first_name: 'A' }, from: { id: 7, is_bot: false, first_name: 'A' }, text },
  };
}

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function post(path: string, body: unknown, secret?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (secret !== undefined) headers[SECRET_HEADER] = secret;
  const res = await fetch(`http://127.0.0.1:${handle?.port}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  await res.text();
  return res.status;
}

describe('webhook route', () => {
  it.each([
    { case: 'no secret header', secret: undefined },
    { case: 'a wrong secret', secret: 'wrong-secret-0123456789' },
    { case: 'an empty secret', secret: '' },
    { case: 'the secret with a different case', secret: SECRET.toUpperCase() },
  ])('rejects a request with $case (401) and never passes it to the bot', async ({ secret }) => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    expect(await post('/telegram', update('How much trade?'), secret)).toBe(401);
    expect(calls).toEqual([]);
  });

  it('passes a request with the right secret to the bot, which answers', async () => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    expect(await post('/telegram', update('How much trade?'), SECRET)).toBe(200);
    expect(calls).toEqual([{ method: 'sendMessage', payload: expect.objectContaining({ chat_id: 7, text: 'you asked: How much trade?' }) }]);
  });

  it('counts an accepted request as in flight until the bot has answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { bot, calls } = recordingBot(async (ctx) => {
      await gate;
      await ctx.reply('late answer');
    });
    const tracker = createInFlightTracker();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET, tracker })] });
    const response = post('/telegram', update('slow question'), SECRET);
    await vi.waitFor(() => expect(tracker.count).toBe(1));
    expect(calls).toEqual([]);
    release();
    expect(await response).toBe(200);
    expect(tracker.count).toBe(0);
    expect(calls.map((c) => c.payload.text)).toEqual(['late answer']);
  });

  it('serves only its own path and only POST', async () => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    expect(await post('/elsewhere', update('x'), SECRET)).toBe(404);
    const res = await fetch(`http://127.0.0.1:${handle.port}/telegram`, { headers: { [SECRET_HEADER]: SECRET } });
    await res.text();
    expect(res.status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('registers the webhook with its secret token, keeping pending updates', async () => {
    const { bot, calls } = recordingBot();
    await registerWebhook({ bot, url: 'https://bot.example.org/telegram', secretToken: SECRET });
    expect(calls).toEqual([
      { method: 'setWebhook', payload: { url: 'https://bot.example.org/telegram', secret_token: SECRET, drop_pending_updates: false } },
    ]);
  });
});

/** POSTs a raw body with the right secret; resolves with the status (or the connection error). */
function postRaw(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: handle?.port, path, method: 'POST', headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: SECRET, ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end(body);
  });
}

describe('#4 webhook answers lost on SIGTERM', () => {
  it('an update still being answered after the webhook replied 200 counts as in flight until its handler finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { bot, calls } = recordingBot(async (ctx) => {
      // What auto-retry does when Telegram answers 429 with retry_after: wait, then send.
      await gate;
      await ctx.reply('late answer');
    });
    const tracker = createInFlightTracker();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET, tracker, answerWithinMs: 50 })] });
    expect(await post('/telegram', update('slow question', 41), SECRET)).toBe(200);
    // Telegram has its 200; shutdown must still wait for the answer.
    expect(tracker.count).toBe(1);
    expect(tracker.lastUpdateId).toBe(41);
    expect(calls).toEqual([]);
    release();
    await vi.waitFor(() => expect(tracker.count).toBe(0));
    expect(calls.map((c) => c.payload.text)).toEqual(['late answer']);
  });
});

describe('#13 webhook abuse', () => {
  it('an update delivered twice with the same update_id is answered once', async () => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    expect(await post('/telegram', update('How much trade?', 7), SECRET)).toBe(200);
    expect(await post('/telegram', update('How much trade?', 7), SECRET)).toBe(200);
    expect(await post('/telegram', update('And security?', 8), SECRET)).toBe(200);
    expect(calls.map((c) => c.payload.text)).toEqual(['you asked: How much trade?', 'you asked: And security?']);
  });

  it.each([
    { name: 'declared in Content-Length', chunked: false },
    { name: 'sent without a length (chunked)', chunked: true },
  ])('a body over 1 MiB ($name) is refused with 413 and never reaches the bot', async ({ chunked }) => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    const big = Buffer.from(JSON.stringify({ ...update('x'), padding: 'p'.repeat(MAX_WEBHOOK_BODY_BYTES) }));
    const status = await postRaw('/telegram', big, chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(big.length) });
    // The server answers 413 and closes; a client still sending may see the close first.
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(status);
    expect(calls).toEqual([]);
    // The server is fine afterwards.
    expect(await post('/telegram', update('How much trade?', 9), SECRET)).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('a body that is not an update is refused with 400', async () => {
    const { bot, calls } = recordingBot();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [createWebhookRoute({ bot, path: '/telegram', secretToken: SECRET })] });
    expect(await postRaw('/telegram', '{"message":')).toBe(400);
    expect(await postRaw('/telegram', '{"update_id":"1"}')).toBe(400);
    expect(calls).toEqual([]);
  });
});
