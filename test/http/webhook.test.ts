import { Bot, type Context } from 'grammy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../../src/http/server.js';
import { createWebhookRoute, registerWebhook, SECRET_HEADER } from '../../src/http/webhook.js';
import { createInFlightTracker } from '../../src/shutdown.js';

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
