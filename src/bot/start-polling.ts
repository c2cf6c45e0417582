import { run, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import type { BotContext } from './context.js';
import { registerCommands } from './create-bot.js';

/**
 * What a Bot API refusal at start-up means for the person running the bot, as a ConfigError;
 * other errors are returned unchanged.
 */
export function explainStartupError(error: unknown): unknown {
  if (!(error instanceof GrammyError)) return error;
  if (error.error_code === 401 || error.error_code === 404) {
    return new ConfigError(
      `the Bot API server rejected BOT_TOKEN (${error.error_code} ${error.description}); copy the token again from @BotFather, and check TELEGRAM_API_ROOT if you set it`,
      { cause: error },
    );
  }
  if (error.error_code === 409) {
    return new ConfigError(`another process is already receiving updates for this bot (${error.description}); stop it, or delete its webhook, before starting this one`, {
      cause: error,
    });
  }
  return error;
}

/**
 * Starts long polling with grammY's runner (updates handled concurrently): fetches the bot's
 * identity, registers the command menu (ignoring servers that lack it), then polls.
 * `onFatal` hears about polling that stops by itself (token revoked, a second instance).
 */
export async function startPolling(options: { bot: Bot<BotContext>; logger: Logger; onFatal: (error: unknown) => void }): Promise<RunnerHandle> {
  const { bot, logger, onFatal } = options;
  // Network errors are retried with growing pauses, which looks like a hang without a word.
  const slow = setTimeout(() => logger.warn('still trying to reach the Bot API; check the network and TELEGRAM_API_ROOT'), 10_000);
  try {
    await bot.init();
  } catch (error) {
    throw explainStartupError(error);
  } finally {
    clearTimeout(slow);
  }
  await registerCommands({ api: bot.api, logger });
  const runner = run(bot);
  runner.task()?.catch((error: unknown) => onFatal(explainStartupError(error)));
  logger.info({ username: bot.botInfo.username }, 'bot is polling for updates');
  return runner;
}
