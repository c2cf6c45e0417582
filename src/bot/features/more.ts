import { Composer, GrammyError } from 'grammy';
import { renderAnswerPage } from '../../render/telegram-html.js';
import { extractQuestion } from '../addressing.js';
import { EXPIRED_BUTTON_TEXT, htmlOptions, pageKeyboard, slowDownText, type AnswerServices } from '../answering.js';
import type { BotContext } from '../context.js';

/** Callback data of the "More sources" button: the offset of the first snippet to show. */
export const MORE_DATA = /^more:(\d{1,3})$/;

/**
 * "More sources": edits the answer to show the next snippets. The button carries only the
 * offset; the question is the message the answer replies to, so buttons survive restarts and
 * reloads. Buttons whose question is gone, or stale data, fail with a short notice.
 */
export function moreFeature(services: AnswerServices): Composer<BotContext> {
  const { engines, limiter, maxSnippets, pageSize, log, hashUser } = services;
  const composer = new Composer<BotContext>();

  composer.callbackQuery(MORE_DATA, async (ctx) => {
    const offset = Number(ctx.match[1]);
    const message = ctx.callbackQuery.message;
    const asked = message && 'reply_to_message' in message ? message.reply_to_message : undefined;
    const text = asked?.text;
    if (!text) {
      await expire(ctx);
      return;
    }
    const decision = await limiter.take(ctx.from.id);
    if (!decision.allowed) {
      await ctx.answerCallbackQuery({ text: slowDownText(decision.retryAfterMs) });
      return;
    }
    const question = extractQuestion({ text, entities: asked.entities, botUsername: ctx.me.username });
    const answer = await engines.current.answer(question, { limit: maxSnippets });
    if (!answer.answered || offset >= answer.snippets.length) {
      await expire(ctx);
      return;
    }
    const page = renderAnswerPage(answer, { offset, pageSize });
    const keyboard = pageKeyboard(page);
    try {
      await ctx.editMessageText(page.text, { ...htmlOptions(), ...(keyboard ? { reply_markup: keyboard } : {}) });
    } catch (error) {
      // A double tap asks for the page already shown.
      if (!(error instanceof GrammyError && /message is not modified/i.test(error.description))) throw error;
    }
    log.info({ update: ctx.update.update_id, user: hashUser(ctx.from.id), offset, shown: page.shown }, 'more sources');
    await ctx.answerCallbackQuery();
  });

  // Buttons from older versions of the bot, or data this version does not know.
  composer.on('callback_query:data', async (ctx) => {
    await expire(ctx);
  });

  return composer;
}

async function expire(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: EXPIRED_BUTTON_TEXT });
  // Drop the dead button where there is one to drop; an old message may refuse the edit.
  if (!ctx.callbackQuery?.message && ctx.callbackQuery?.inline_message_id === undefined) return;
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } });
  } catch {
    // Nothing to clean up then.
  }
}
