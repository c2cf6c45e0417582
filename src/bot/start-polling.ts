import { run, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from 'pino';
import { ConfigError } from '../core/errors.js';
import { createScrubber } from '../app/logger.js';
import type { BotContext } from './context.js';
import { registerCommands } from './create-bot.js';

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

/**
 * Starts long polling with grammY's runner (updates handled concurrently): fetches the bot's
 * identity, registers the command menu (ignoring servers that lack it), then polls.
 * `onFatal` hears about polling that stops by itself (token revoked, a second instance).
 */
export async function startPolling(options: { bot: Bot<BotContext>; logger: Logger; onFatal: (error: unknown) => void }): Promise<RunnerHandle> {
  const { bot, logger, onFatal } = options;
  await connectBot({ bot });
  await registerCommands({ api: bot.api, logger });
  const runner = run(bot);
  runner.task()?.catch((error: unknown) => onFatal(explainStartupError(error)));
  logger.info({ username: bot.botInfo.username }, 'bot is polling for updates');
  return runner;
}
