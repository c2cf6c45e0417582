import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { truncateText } from '../../render/html.js';
import { inlineDescription, inlineTitle, renderSnippetMessage } from '../../render/snippet-html.js';
import { type AnswerServices } from '../answering.js';
import type { BotContext } from '../context.js';
import { voiceOf } from '../i18n.js';
import type { RateLimiter } from '../rate-limit.js';
import { DISPLAY } from '../../core/settings.js';

/** How many quotes an inline query offers. @default 5 */
const INLINE_RESULTS = DISPLAY.inlineResults;

/**
 * Inline mode: `@bot question` in any chat offers the top snippets, each titled by the first
 * words of its quote and described by outlet and date; choosing one sends the quote with its
 * source. Inline queries arrive while the user types, so they have their own, roomier limiter
 * and are refused silently (an empty list) rather than with a message.
 */
export function inlineFeature(services: AnswerServices & { inlineLimiter: RateLimiter }): Composer<BotContext> {
  const { engines, inlineLimiter, maxQuestionChars, log, hashUser } = services;
  const composer = new Composer<BotContext>();

  composer.on('inline_query', async (ctx) => {
    const question = ctx.inlineQuery.query.replace(/\s+/g, ' ').trim();
    const helpButton = (text: string) => ({ button: { text, start_parameter: 'help' } });
    if (question === '') {
      await ctx.answerInlineQuery([], { cache_time: 300, ...helpButton(ctx.t('inline-empty')) });
      return;
    }
    if (question.length > maxQuestionChars) {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true, ...helpButton(ctx.t('inline-too-long', { max: maxQuestionChars })) });
      return;
    }
    if (!(await inlineLimiter.take(ctx.from.id)).allowed) {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
      return;
    }
    const answer = await engines.current.answer(question, { limit: INLINE_RESULTS });
    log.info({ update: ctx.update.update_id, user: hashUser(ctx.from.id), answered: answer.answered, snippets: answer.snippets.length }, 'inline query');
    if (!answer.answered) {
      await ctx.answerInlineQuery([], { cache_time: 60, ...helpButton(ctx.t(answer.reason === 'language' ? 'inline-language' : 'inline-not-covered')) });
      return;
    }
    const voice = await voiceOf(ctx);
    const results: InlineQueryResultArticle[] = answer.snippets.map((snippet, i) => ({
      type: 'article',
      id: String(i),
      title: truncateText(inlineTitle(snippet), 120),
      description: truncateText(inlineDescription(snippet, voice), 150),
      input_message_content: { message_text: renderSnippetMessage(snippet, { voice }), parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    }));
    await ctx.answerInlineQuery(results, { cache_time: 300 });
  });

  return composer;
}
