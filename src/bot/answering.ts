import type { Logger } from 'pino';
import type { InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters } from 'grammy/types';
import type { Message } from 'grammy/types';
import { isFollowUp, questionInConversation } from '../answer/follow-up.js';
import type { AnswerEngine } from '../core/types.js';
import type { Translate } from '../render/messages.js';
import { renderAnswerPage, renderClosest, renderNotCovered, type AnswerPage } from '../render/answer-html.js';
import { escapeHtml } from '../render/html.js';
import type { BotContext } from './context.js';
import type { ConversationMemory } from './conversations.js';
import { voiceOf } from './i18n.js';
import type { RateLimiter } from './rate-limit.js';
import type { AnswerPages } from './answer-pages.js';

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
  /** The questions recent answers answered, for follow-ups and "More sources". */
  conversations: ConversationMemory;
  /** The answers behind recent pages with a "More sources" button, which pages through them. */
  pages: AnswerPages;
}

/** Answers quicker than this are sent without a typing indicator. */
export const TYPING_DELAY_MS = 300;


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

/** The "More sources" button under a page that has more after it. */
export function pageKeyboard(page: AnswerPage, t: Translate): InlineKeyboardMarkup | undefined {
  if (page.nextOffset === undefined) return undefined;
  return { inline_keyboard: [[{ text: t('more-button', { count: page.total - page.nextOffset }), callback_data: `more:${page.nextOffset}` }]] };
}

/** The "slow down" text for a refused question. */
export function slowDownText(retryAfterMs: number, t: Translate): string {
  return t('slow-down', { seconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
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
    if (decision.warn) await ctx.reply(escapeHtml(slowDownText(decision.retryAfterMs, ctx.t)), htmlOptions({ replyTo: ctx.msg?.message_id }));
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
 * What a bot answer said, as context for a follow-up when the question it answered is no longer
 * remembered (after a restart): its first quote. A message without a quote (a refusal, a hint)
 * gives none.
 */
export function quotedContext(message: Pick<Message, 'text' | 'entities'>): string | undefined {
  const quote = message.entities?.find((e) => e.type === 'blockquote' || e.type === 'expandable_blockquote');
  return quote && message.text ? message.text.slice(quote.offset, quote.offset + quote.length) : undefined;
}

/**
 * The question to answer for a message: on its own, or, when it reads as a follow-up, in the
 * context of the answer it follows: the answer it replies to (private chats and groups), or in a
 * private chat the last answer, while recent. A standalone question is answered on its own,
 * also when sent as a reply.
 */
export async function questionInContext(ctx: BotContext, text: string, conversations: ConversationMemory): Promise<string> {
  const chat = ctx.chat?.id;
  if (chat === undefined) return text;
  const replied = ctx.msg?.reply_to_message;
  const replyingToBot = replied?.from?.id === ctx.me.id;
  const oneThread = ctx.chat?.type === 'private';
  // The memory is read only for a message that reads as a follow-up.
  if (!isFollowUp(text, { replying: replyingToBot })) return text;
  return questionInConversation({
    text,
    replyingToBot,
    replyContext: replied && replyingToBot ? ((await conversations.questionOf({ chat, message: replied.message_id })) ?? quotedContext(replied)) : undefined,
    replyingToOther: replied !== undefined && !replyingToBot,
    oneThread,
    last: oneThread && !replied ? await conversations.last({ chat }) : undefined,
  });
}

/**
 * Answers one question in reply to the asking message: rate limit, length check, follow-up
 * context, typing, engine, rendering of the first page with a "More sources" button when more
 * quotes answer it. Never ranks anything.
 */
export async function replyToQuestion(ctx: BotContext, text: string, services: AnswerServices): Promise<void> {
  const { engines, admit, maxQuestionChars, maxSnippets, pageSize, log, now, hashUser, conversations } = services;
  const replyTo = ctx.msg?.message_id;
  // Before the length check: a refusal is a reply too, and a flood of long messages a flood.
  if (!(await admit(ctx))) return;
  const voice = await voiceOf(ctx);
  if (text.length > maxQuestionChars) {
    await ctx.reply(escapeHtml(voice.t('too-long', { length: text.length, max: maxQuestionChars })), htmlOptions({ replyTo }));
    return;
  }
  const question = await questionInContext(ctx, text, conversations);
  const started = now();
  const engine = engines.current;
  const answer = await withTyping(ctx, () => engine.answer(question, { limit: maxSnippets }));
  log.info(
    {
      update: ctx.update.update_id,
      user: hashUser(ctx.from?.id),
      chat: ctx.chat?.type,
      chars: text.length,
      followUp: question !== text,
      answered: answer.answered,
      snippets: answer.snippets.length,
      top: answer.snippets[0]?.score,
      ms: now() - started,
    },
    'question answered',
  );
  if (!answer.answered) {
    // The closest quotes are said to be the closest, never an answer. The question is kept
    // with the reply all the same: "and in 2022?" in reply to "not covered" asks it again.
    const text = answer.related && answer.related.length > 0 ? renderClosest(answer.related, { voice }) : renderNotCovered({ info: engine.info, reason: answer.reason, voice });
    const sent = await ctx.reply(text, htmlOptions({ replyTo }));
    if (ctx.chat) await conversations.answered({ chat: ctx.chat.id, message: sent.message_id, question });
    return;
  }
  const page = renderAnswerPage(answer, { offset: 0, pageSize, voice });
  const keyboard = pageKeyboard(page, voice.t);
  const sent = await ctx.reply(page.text, { ...htmlOptions({ replyTo }), ...(keyboard ? { reply_markup: keyboard } : {}) });
  if (ctx.chat) {
    if (keyboard) services.pages.keep({ chat: ctx.chat.id, message: sent.message_id }, answer);
    await conversations.answered({ chat: ctx.chat.id, message: sent.message_id, question });
  }
}
