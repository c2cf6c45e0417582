import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Api, type BotError, type MiddlewareFn } from 'grammy';
import type { BotCommand, UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import { hashUserId } from '../core/redact.js';
import { QUOTES_PER_PAGE } from '../core/types.js';
import { createAdmit, type AnswerServices } from './answering.js';
import { createMemoryConversations, type ConversationMemory } from './conversations.js';
import { createI18n } from './i18n.js';
import type { BotContext } from './context.js';
import { aboutFeature } from './features/about.js';
import { adminFeature, type ReloadableEngines } from './features/admin.js';
import { askFeature } from './features/ask.js';
import { inlineFeature } from './features/inline.js';
import { moreFeature } from './features/more.js';
import { nonTextFeature } from './features/non-text.js';
import { sourcesFeature } from './features/sources.js';
import { startHelpFeature } from './features/start-help.js';
import { retryNetworkErrors } from './network-retry.js';
import { createRateLimiter, type RateLimiterFactory } from './rate-limit.js';
import { createAnswerPages } from './answer-pages.js';
import { QUOTING } from '../core/settings.js';

/** Everything the bot needs, passed in by the composition root (or a test). */
export interface BotDeps {
  /** Never logged. */
  token: string;
  /** A self-hosted Bot API server or the test emulator; Telegram's by default. */
  apiRoot?: string | undefined;
  /** The engine holder: handlers read `current` per update, so reloads apply at once. */
  engines: ReloadableEngines;
  adminIds: readonly number[];
  logger: Logger;
  /** Questions per user per minute. */
  questionsPerMinute: number;
  maxQuestionChars: number;
  /** Clock for rate limits and timings. @default Date.now */
  now?: () => number;
  /** Known bot info, so tests need no getMe call. */
  botInfo?: UserFromGetMe;
  /** Snippets per answer message. @default 3 */
  pageSize?: number;
  /** Snippets asked from the engine per question, over all pages. @default 9 */
  maxSnippets?: number;
  /**
   * Makes the per-user limiters. @default createRateLimiter (this process only); replicas
   * pass one backed by their shared database, so a user's budget holds whichever gets the update.
   */
  createLimiter?: RateLimiterFactory;
  /** What the bot remembers for follow-ups. @default in this process, 30 minutes */
  conversations?: ConversationMemory;
}

/** The commands shown in Telegram's menu. /reload is left out: it is for admins only. */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { command: 'help', description: 'What I know and how to ask' },
  { command: 'ask', description: 'Ask a question (in groups: /ask your question)' },
  { command: 'sources', description: 'The articles I quote' },
  { command: 'about', description: 'Model and index details' },
];

/**
 * Builds the bot without starting it: auto-retry for 429s and network errors, one Composer
 * per feature inside an error boundary that answers the user politely, and `bot.catch`.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const { token, apiRoot, engines, adminIds, questionsPerMinute, maxQuestionChars, now = Date.now, pageSize = QUOTES_PER_PAGE, maxSnippets = QUOTING.snippetsPerAnswer } = deps;
  const log = deps.logger.child({ module: 'bot' });
  const bot = new Bot<BotContext>(token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    ...(apiRoot ? { client: { apiRoot } } : {}),
  });
  // Retries 429 (after retry_after) and 5xx; gives up on waits longer than a minute. Network
  // errors are retried around it, with a log line per failure.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  bot.api.config.use(retryNetworkErrors({ log }));

  // Salted with the token: stable across restarts, meaningless without the secret.
  const hashUser = (id: number | undefined) => (id === undefined ? undefined : hashUserId(id, token));
  // One budget per sender for every reply the bot sends, so no command floods a chat.
  const createLimiter = deps.createLimiter ?? createRateLimiter;
  const limiter = createLimiter({ name: 'replies', limit: questionsPerMinute, windowMs: 60_000, now });
  const admit = createAdmit({ limiter, log, hashUser });
  const conversations = deps.conversations ?? createMemoryConversations({ now });
  const pages = createAnswerPages({ now });
  const services: AnswerServices = { engines, limiter, admit, maxQuestionChars, maxSnippets, pageSize, log, now, hashUser, conversations, pages };
  const inlineLimiter = createLimiter({ name: 'inline', limit: questionsPerMinute * 3, windowMs: 60_000, now });

  bot.use(dropOrphanEntities);
  bot.use(createI18n());
  bot.errorBoundary(
    (error) => replyWithFailure(error, log),
    startHelpFeature({ engines, admit }),
    sourcesFeature({ engines, admit }),
    aboutFeature({ engines, admit }),
    adminFeature({ engines, adminIds, log, hashUser, admit }),
    askFeature(services),
    moreFeature(services),
    inlineFeature({ ...services, inlineLimiter }),
    nonTextFeature({ admit, engines }),
  );

  bot.catch((error) => {
    log.error({ err: error.error, update: error.ctx.update.update_id }, 'unhandled error');
  });
  return bot;
}

/**
 * Entities describe parts of a text or caption; without the text they point at nothing, and
 * grammY's command matching reads the missing text. Telegram never sends such a message, but
 * a forged webhook request or a client bug can: it is then handled as the non-text message it is.
 */
const dropOrphanEntities: MiddlewareFn<BotContext> = async (ctx, next) => {
  const msg = ctx.msg as { text?: string; entities?: unknown; caption?: string; caption_entities?: unknown } | undefined;
  if (msg) {
    if (msg.text === undefined && msg.entities !== undefined) delete msg.entities;
    if (msg.caption === undefined && msg.caption_entities !== undefined) delete msg.caption_entities;
  }
  await next();
};

/** Logs a failed update and tells the user, in whatever form the update allows. */
async function replyWithFailure(error: BotError<BotContext>, log: Logger): Promise<void> {
  const { ctx } = error;
  log.error({ err: error.error, update: ctx.update.update_id }, 'update failed');
  // In the reader's language when the failure came after the language was known.
  const text = typeof ctx.t === 'function' ? ctx.t('failure') : 'Sorry, something went wrong while answering. Please try again in a moment.';
  try {
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text });
    } else if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    } else if (ctx.chat && ctx.msg) {
      await ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
    }
  } catch (replyError) {
    log.warn({ err: replyError, update: ctx.update.update_id }, 'could not send the failure reply');
  }
}

/**
 * Registers the command menu. Some Bot API servers (and the test emulator) lack
 * setMyCommands; the bot works without the menu, so a failure is only logged.
 */
export async function registerCommands(options: { api: Api; logger: Logger }): Promise<boolean> {
  try {
    await options.api.setMyCommands([...BOT_COMMANDS]);
    return true;
  } catch (error) {
    options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not register the command menu; continuing');
    return false;
  }
}
