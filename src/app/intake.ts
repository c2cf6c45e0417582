/**
 * How updates reach the bot, in either mode, behind one shape: the bot's identity is fetched
 * once (a wrong token or server is explained in one line), then updates come by long polling
 * (grammY's runner) or by webhook (the HTTP server), and at shutdown intake stops, the updates
 * still in flight are counted, and the fetched ones are confirmed to Telegram.
 */
import { run } from '@grammyjs/runner';
import { GrammyError, type Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { BotContext } from '../bot/context.js';
import { registerCommands } from '../bot/create-bot.js';
import { ConfigError } from '../core/errors.js';
import type { HttpServerHandle } from '../http/server.js';
import { createWebhookRoute, registerWebhook, type UpdateLedger } from '../http/webhook.js';
import type { ServerConfig } from './config.js';
import { createScrubber } from '../core/redact.js';
import { createInFlightTracker } from './shutdown.js';

/** How updates come in, whichever the mode: stop taking them, count those still running, confirm. */
export interface Intake {
  stop(): Promise<void> | void;
  pending(): number;
  confirm(): Promise<void>;
}

/**
 * Starts taking updates: fetches the bot's identity first (getMe: a wrong token is reported as
 * such, not as a failed deleteWebhook), registers the command menu, then polls, or serves the
 * webhook when one is configured and an HTTP server runs.
 */
export async function startIntake(options: {
  bot: Bot<BotContext>;
  logger: Logger;
  webhook: ServerConfig['webhook'];
  http: HttpServerHandle | undefined;
  /** Hears about polling that stops by itself (token revoked, a second instance). */
  onFatal: (error: unknown) => void;
  /** Webhook mode: the updates already taken, shared by replicas. @default this process's memory */
  ledger?: UpdateLedger;
}): Promise<Intake> {
  const { bot, logger, webhook, http, onFatal, ledger } = options;
  await connectBot({ bot });
  await registerCommands({ api: bot.api, logger });
  return webhook && http ? startWebhookIntake({ bot, http, webhook, logger, ...(ledger ? { ledger } : {}) }) : startPollingIntake({ bot, logger, onFatal });
}

/** Long polling: the runner counts fetched updates until their handlers finish. */
async function startPollingIntake(options: { bot: Bot<BotContext>; logger: Logger; onFatal: (error: unknown) => void }): Promise<Intake> {
  const { bot, logger, onFatal } = options;
  const fetched = await preparePolling({ bot }).catch((error: unknown) => {
    throw explainStartupError(error);
  });
  // grammY's runner handles updates concurrently and counts those still running.
  const runner = run(bot);
  runner.task()?.catch((error: unknown) => onFatal(explainStartupError(error)));
  logger.info({ username: bot.botInfo.username }, 'bot is polling for updates');
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
    pending: () => runner.size(),
    confirm: () => fetched.confirm(),
  };
}

/** Webhook: serves the webhook on the HTTP server, then registers it with Telegram. */
async function startWebhookIntake(options: {
  bot: Bot<BotContext>;
  http: HttpServerHandle;
  webhook: NonNullable<ServerConfig['webhook']>;
  logger: Logger;
  ledger?: UpdateLedger;
}): Promise<Intake> {
  const { bot, http, webhook, logger, ledger } = options;
  const tracker = createInFlightTracker();
  http.addRoute(
    createWebhookRoute({
      bot,
      path: webhook.path,
      secretToken: webhook.secret,
      tracker,
      ...(ledger ? { ledger } : {}),
      onError: (error) => logger.error({ err: error }, 'webhook request failed'),
    }),
  );
  await registerWebhook({ bot, url: webhook.url, secretToken: webhook.secret }).catch((error: unknown) => {
    throw explainStartupError(error);
  });
  logger.info({ username: bot.botInfo.username, path: webhook.path, port: http.port }, 'bot is receiving updates by webhook');
  return {
    // Stops accepting requests at once; those in progress finish and are counted.
    stop: () => void http.close(),
    pending: () => tracker.count,
    confirm: async () => {},
  };
}

const scrub = createScrubber();

/**
 * What a Bot API refusal at start-up means for the person running the bot, as a ConfigError;
 * other errors are returned unchanged. Token-shaped text in the server's description (some
 * servers repeat the request path, which holds the token) is removed.
 */
export function explainStartupError(error: unknown): unknown {
  if (!(error instanceof GrammyError)) return error;
  const refusal = `${error.error_code} ${scrub(error.description)}`;
  if (error.error_code === 401 || error.error_code === 404) {
    return new ConfigError(
      `the Bot API server rejected BOT_TOKEN (${refusal}); copy the token again from @BotFather, and check TELEGRAM_API_ROOT if you set it`,
      { cause: error },
    );
  }
  if (error.error_code === 409) {
    return new ConfigError(`another process is already receiving updates for this bot (${refusal}); stop it, or delete its webhook, before starting this one`, {
      cause: error,
    });
  }
  if (error.error_code === 400) {
    return new ConfigError(`the Bot API server refused ${error.method} (${refusal}); check WEBHOOK_URL and TELEGRAM_API_ROOT`, { cause: error });
  }
  return error;
}

/**
 * The first call to Telegram: fetches the bot's identity, so a wrong token or server is
 * reported (as a ConfigError) before anything else is asked of the Bot API. Network failures
 * are retried, each logged, by the bot's transformer.
 */
export async function connectBot(options: { bot: Bot<BotContext> }): Promise<void> {
  try {
    await options.bot.init();
  } catch (error) {
    throw explainStartupError(error);
  }
}

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
