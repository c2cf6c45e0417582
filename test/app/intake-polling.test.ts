import { Bot } from 'grammy';
import { describe, expect, it } from 'vitest';
import { preparePolling } from '../../src/app/intake.js';

/** A bot whose Bot API answers come from `reply` and whose calls are recorded. */
function recordingBot(reply: (method: string, payload: Record<string, unknown>) => unknown) {
  const calls: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const bot = new Bot('123456:fake-token-for-tests');
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return { ok: true, result: reply(method, payload as Record<string, unknown>) } as never;
  });
  return { bot, calls };
}

const message = (id: number) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: 'private', first_name: 'a' }, text: 'q' } });

describe('preparePolling', () => {
  it('removes a webhook without dropping its updates, then confirms the highest update fetched', async () => {
    const batches = [[message(7), message(9), message(8)], []];
    const { bot, calls } = recordingBot((method) => (method === 'getUpdates' ? (batches.shift() ?? []) : true));
    const fetched = await preparePolling({ bot });
    expect(calls).toEqual([{ method: 'deleteWebhook', payload: { drop_pending_updates: false } }]);

    await bot.api.getUpdates({ offset: 0, timeout: 30 });
    expect(fetched.lastUpdateId).toBe(9);
    await fetched.confirm();
    expect(calls.at(-1)).toEqual({ method: 'getUpdates', payload: { offset: 10, limit: 1, timeout: 0 } });
  });

  it('confirms nothing when nothing was fetched', async () => {
    const { bot, calls } = recordingBot(() => true);
    const fetched = await preparePolling({ bot });
    await fetched.confirm();
    expect(calls.map((c) => c.method)).toEqual(['deleteWebhook']);
  });
});
