import { Composer } from 'grammy';
import { renderAnswerPage } from '../../render/answer-html.js';
import { extractQuestion } from '../addressing.js';
import { htmlOptions, pageKeyboard, rateLimitKey, slowDownText, type AnswerServices } from '../answering.js';
import type { BotContext } from '../context.js';
import { voiceOf } from '../i18n.js';

/** Callback data of the "More sources" button: the offset of the first snippet to show. */
export const MORE_DATA = /^more:(\d{1,3})$/;

/**
 * "More sources": sends the next quotes of the same answer as a reply under the answer, which
 * stays as it was; the button moves to the newest page. The answer is the one computed for the
 * first page while it is kept (AnswerPages); the button carries only the offset, and after a
 * restart the question (remembered by the bot, or the message the answer replies to) is
 * answered again, so buttons survive restarts and reloads. When no further quote answers, it
 * says so.
 */
export function moreFeature(services: AnswerServices): Composer<BotContext> {
  const { engines, limiter, maxSnippets, pageSize, log, hashUser, conversations, pages } = services;
  const composer = new Composer<BotContext>();

  composer.callbackQuery(MORE_DATA, async (ctx) => {
    const offset = Number(ctx.match[1]);
    const message = ctx.callbackQuery.message;
    const chat = message?.chat.id;
    const asked = message && 'reply_to_message' in message ? message.reply_to_message : undefined;
    const remembered = chat !== undefined && message ? await conversations.questionOf({ chat, message: message.message_id }) : undefined;
    const question = remembered ?? (asked?.text ? extractQuestion({ text: asked.text, entities: asked.entities, botUsername: ctx.me.username }) : undefined);
    if (!message || question === undefined || question === '') {
      await expire(ctx);
      return;
    }
    const decision = await limiter.take(rateLimitKey(ctx));
    if (!decision.allowed) {
      await ctx.answerCallbackQuery({ text: slowDownText(decision.retryAfterMs, ctx.t) });
      return;
    }
    const voice = await voiceOf(ctx);
    // The answer the reader saw, while it is kept; else the question answered again.
    const kept = pages.get({ chat: message.chat.id, message: message.message_id });
    const answer = kept ?? (await engines.current.answer(question, { limit: maxSnippets }));
    await dropButton(ctx);
    if (!answer.answered || offset >= answer.snippets.length) {
      await ctx.answerCallbackQuery({ text: ctx.t('more-none') });
      return;
    }
    const page = renderAnswerPage(answer, { offset, pageSize, voice });
    const keyboard = pageKeyboard(page, voice.t);
    const sent = await ctx.api.sendMessage(message.chat.id, page.text, {
      ...htmlOptions({ replyTo: message.message_id }),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    if (keyboard) pages.keep({ chat: message.chat.id, message: sent.message_id }, answer);
    await conversations.answered({ chat: message.chat.id, message: sent.message_id, question });
    log.info({ update: ctx.update.update_id, user: hashUser(ctx.from.id), offset, shown: page.shown, kept: kept !== undefined }, 'more sources');
    await ctx.answerCallbackQuery();
  });

  // Buttons from older versions of the bot, or data this version does not know.
  composer.on('callback_query:data', async (ctx) => {
    await expire(ctx);
  });

  return composer;
}

async function expire(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('expired-button') });
  await dropButton(ctx);
}

/** Removes a used or dead button; an old message may refuse the edit, which changes nothing. */
async function dropButton(ctx: BotContext): Promise<void> {
  if (!ctx.callbackQuery?.message && ctx.callbackQuery?.inline_message_id === undefined) return;
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } });
  } catch {
    // Nothing to clean up then.
  }
}
