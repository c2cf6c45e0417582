import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';

/** What long polling needs besides the runner to stop without losing or repeating an update. */
export interface FetchedUpdates {
  /** Highest update id fetched so far. */
  readonly lastUpdateId: number | undefined;
  /**
   * Confirms every fetched update to Telegram, so that a restart does not deliver the same
   * updates again. Call once the handlers have finished.
   */
  confirm(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Prepares a bot for long polling with grammY's runner, before it starts: removes a webhook
 * left from webhook mode (keeping its pending updates; the runner does not, and getUpdates
 * fails while one is set), and records the highest update id fetched, which the runner keeps
 * to itself, so that shutdown can confirm it.
 */
export async function preparePolling<C extends Context>(options: { bot: Bot<C> }): Promise<FetchedUpdates> {
  const { bot } = options;
  let lastUpdateId: number | undefined;
  bot.api.config.use(async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    if (method === 'getUpdates' && response.ok) {
      for (const update of response.result as Update[]) {
        if (lastUpdateId === undefined || update.update_id > lastUpdateId) lastUpdateId = update.update_id;
      }
    }
    return response;
  });
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  return {
    get lastUpdateId() {
      return lastUpdateId;
    },
    /** @default timeoutMs 3000: shutdown must not wait on a network that is down */
    async confirm(confirmOptions = {}) {
      if (lastUpdateId === undefined) return;
      // An offset past the last id tells Telegram those updates are done; an update this call
      // returns is not confirmed by it and will be delivered after the restart.
      // grammY types its signal after a polyfill; the platform's AbortSignal is what it uses on Node.
      const signal = AbortSignal.timeout(confirmOptions.timeoutMs ?? 3000) as Parameters<typeof bot.api.getUpdates>[1];
      await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }, signal);
    },
  };
}
