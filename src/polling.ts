import { run } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';

/** Long polling that can stop without losing or repeating an update. */
export interface PollingHandle {
  /** Updates fetched and not yet completely handled (running or queued). */
  pending(): number;
  /** Stops fetching. Updates already fetched go on being handled: wait for `pending()` to reach 0. */
  stop(): Promise<void>;
  /**
   * Confirms every fetched update to Telegram, so that a restart does not deliver the same
   * updates again. Call after the handlers finished.
   */
  confirm(): Promise<void>;
  /** Settles when polling ends; rejects when it fails (e.g. the token was revoked). */
  task(): Promise<void> | undefined;
}

/**
 * Starts long polling with grammY's runner (updates handled concurrently). Removes a webhook
 * left from webhook mode first (without dropping its pending updates): the runner does not,
 * and getUpdates fails while a webhook is set.
 */
export async function startPolling<C extends Context>(options: { bot: Bot<C> }): Promise<PollingHandle> {
  const { bot } = options;
  let lastUpdateId: number | undefined;
  // The runner keeps its offset to itself; the highest id fetched is read off the responses.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    if (method === 'getUpdates' && response.ok) {
      for (const update of response.result as Update[]) {
        if (lastUpdateId === undefined || update.update_id > lastUpdateId) lastUpdateId = update.update_id;
      }
    }
    return response;
  });
  await bot.init();
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const runner = run(bot);
  return {
    pending: () => runner.size(),
    task: () => runner.task(),
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
    async confirm() {
      if (lastUpdateId === undefined) return;
      // An offset past the last id tells Telegram those updates are done; an update this call
      // returns is not confirmed by it and will be delivered after the restart.
      await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
    },
  };
}
