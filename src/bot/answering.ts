import type { Logger } from 'pino';
import type { InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters } from 'grammy/types';
import type { AnswerEngine } from '../core/types.js';
import { corpusEvents, escapeHtml, renderAnswerPage, renderNotCovered, type AnswerPage } from '../render/telegram-html.js';
import type { BotContext } from './context.js';
import type { RateLimiter } from './rate-limit.js';

/** Where the bot gets its engine: the holder swaps it on reload. */
export interface EngineSource {
  readonly current: AnswerEngine;
}

/**
 * Takes one reply from the sender's budget before the bot replies. When the budget is spent it
 * logs, sends one "slow down" (the first refusal in a row only) and returns false.
 */
export type Admit = (ctx: BotContext) => Promise<boolean>;

/** What the question-answering features share. */
export interface AnswerServices {
  engines: EngineSource;
  limiter: RateLimiter;
  /** Every reply goes through it: questions, commands, hints and refusals alike. */
  admit: Admit;
  maxQuestionChars: number;
  /** Snippets asked from the engine per question (all pages together). */
  maxSnippets: number;
  pageSize: number;
  log: Logger;
  now: () => number;
  /** User ids are personal data: logs carry this salted one-way hash instead. */
  hashUser: (id: number | undefined) => string | undefined;
}

/** Answers quicker than this are sent without a typing indicator. */
export const TYPING_DELAY_MS = 300;

export const FAILURE_TEXT = 'Sorry, something went wrong while answering. Please try again in a moment.';
export const EXPIRED_BUTTON_TEXT = 'This button no longer works. Please ask your question again.';

const NO_PREVIEW: LinkPreviewOptions = { is_disabled: true };

/** HTML reply options; `replyTo` threads the reply under the asking message. */
export function htmlOptions(options: { replyTo?: number | undefined } = {}): {
  parse_mode: 'HTML';
  link_preview_options: LinkPreviewOptions;
  reply_parameters?: ReplyParameters;
} {
  const base = { parse_mode: 'HTML' as const, link_preview_options: NO_PREVIEW };
  return options.replyTo === undefined ? base : { ...base, reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } };
}

/** Replies threaded to the triggering message in groups, plain in private chats. */
export function replyTarget(ctx: BotContext): number | undefined {
  return ctx.chat?.type === 'private' ? undefined : ctx.msg?.message_id;
}

/** The "More sources" button under a page, or "back to the top" on the last page. */
export function pageKeyboard(page: AnswerPage): InlineKeyboardMarkup | undefined {
  if (page.nextOffset !== undefined) {
    return { inline_keyboard: [[{ text: `More sources (${page.total - page.nextOffset} more)`, callback_data: `more:${page.nextOffset}` }]] };
  }
  if (page.offset > 0) return { inline_keyboard: [[{ text: 'Back to the top sources', callback_data: 'more:0' }]] };
  return undefined;
}

/** The "slow down" text for a refused question. */
export function slowDownText(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You are asking faster than I can keep up. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`;
}

/** Telegram's GroupAnonymousBot: every anonymous admin of every group is sent as this user. */
export const ANONYMOUS_ADMIN_ID = 1087968824;
/** Telegram's Channel_Bot: posts a channel makes in a group are sent as this user. */
export const CHANNEL_BOT_ID = 136817688;

/**
 * Whose budget a message spends: its sender, or the chat it was sent on behalf of. Anonymous
 * admins and channels all arrive as one of two shared users; keyed by that user they would
 * share one bucket across every group.
 */
export function rateLimitKey(ctx: BotContext): string | number {
  const senderChat = ctx.msg?.sender_chat;
  if (senderChat) return `chat:${senderChat.id}`;
  const from = ctx.from?.id;
  if (from !== undefined && from !== ANONYMOUS_ADMIN_ID && from !== CHANNEL_BOT_ID) return from;
  return `chat:${ctx.chat?.id ?? 0}`;
}

/** The Admit every feature uses: one limiter, keyed by `rateLimitKey`. */
export function createAdmit(options: { limiter: RateLimiter; log: Logger; hashUser: (id: number | undefined) => string | undefined }): Admit {
  const { limiter, log, hashUser } = options;
  return async (ctx) => {
    const decision = await limiter.take(rateLimitKey(ctx));
    if (decision.allowed) return true;
    log.info({ update: ctx.update.update_id, user: hashUser(ctx.from?.id) }, 'rate limited');
    if (decision.warn) await ctx.reply(escapeHtml(slowDownText(decision.retryAfterMs)), htmlOptions({ replyTo: ctx.msg?.message_id }));
    return false;
  };
}

/**
 * Shows "typing…" when `work` takes longer than `delayMs`; chats or servers that refuse chat
 * actions are fine. Quick answers skip it: the indicator would flash for nothing and cost an
 * extra Bot API call per question.
 */
export async function withTyping<T>(ctx: BotContext, work: () => Promise<T>, delayMs = TYPING_DELAY_MS): Promise<T> {
  let typing: Promise<void> | undefined;
  const timer = setTimeout(() => {
    typing = ctx.replyWithChatAction('typing').then(
      () => undefined,
      () => undefined,
    );
  }, delayMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    await typing;
  }
}

/**
 * Answers one question in reply to the asking message: rate limit, length check, typing,
 * engine, rendering of the first page with a "More sources" button. Never ranks anything.
 */
export async function replyToQuestion(ctx: BotContext, question: string, services: AnswerServices): Promise<void> {
  const { engines, admit, maxQuestionChars, maxSnippets, pageSize, log, now, hashUser } = services;
  const replyTo = ctx.msg?.message_id;
  // Before the length check: a refusal is a reply too, and a flood of long messages a flood.
  if (!(await admit(ctx))) return;
  if (question.length > maxQuestionChars) {
    await ctx.reply(
      `Your question is ${question.length} characters long; please keep it under ${maxQuestionChars} characters and ask again.`,
      htmlOptions({ replyTo }),
    );
    return;
  }
  const started = now();
  const engine = engines.current;
  const answer = await withTyping(ctx, () => engine.answer(question, { limit: maxSnippets }));
  log.info(
    {
      update: ctx.update.update_id,
      user: hashUser(ctx.from?.id),
      chat: ctx.chat?.type,
      chars: question.length,
      answered: answer.answered,
      snippets: answer.snippets.length,
      top: answer.snippets[0]?.score,
      ms: now() - started,
    },
    'question answered',
  );
  if (!answer.answered) {
    await ctx.reply(renderNotCovered({ about: engine.info.about, reason: answer.reason, events: corpusEvents(engine.info) }), htmlOptions({ replyTo }));
    return;
  }
  const page = renderAnswerPage(answer, { offset: 0, pageSize });
  const keyboard = pageKeyboard(page);
  await ctx.reply(page.text, { ...htmlOptions({ replyTo }), ...(keyboard ? { reply_markup: keyboard } : {}) });
}
