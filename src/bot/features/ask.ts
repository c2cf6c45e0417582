import { Composer } from 'grammy';
import { firstExample } from '../../render/about.js';
import { escapeHtml } from '../../render/html.js';
import { extractQuestion, mentionsBot, startsWithCommand } from '../addressing.js';
import { htmlOptions, replyToQuestion, type AnswerServices } from '../answering.js';
import type { BotContext } from '../context.js';

/**
 * Questions. In private chats every text message is one. In groups only messages addressed
 * to the bot are: `/ask question` (or `/ask@bot`), a mention of the bot, or a reply to one
 * of its messages; all other chatter is ignored. All of these reach a bot in privacy mode.
 */
export function askFeature(services: AnswerServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('ask', async (ctx) => {
    const question = extractQuestion({ text: ctx.msg.text, entities: ctx.msg.entities, botUsername: ctx.me.username });
    if (question === '') {
      if (!(await services.admit(ctx))) return;
      const example = escapeHtml(firstExample(services.engines.current.info, await ctx.i18n.getLocale()));
      await ctx.reply(`${escapeHtml(ctx.t('ask-empty'))}\n<code>/ask ${example}</code>`, htmlOptions({ replyTo: ctx.msg.message_id }));
      return;
    }
    await replyToQuestion(ctx, question, services);
  });

  composer.chatType('private').on('message:text', async (ctx) => {
    if (startsWithCommand(ctx.msg)) {
      if (!(await services.admit(ctx))) return;
      await ctx.reply(escapeHtml(ctx.t('unknown-command')), htmlOptions());
      return;
    }
    const question = extractQuestion({ text: ctx.msg.text, entities: ctx.msg.entities, botUsername: ctx.me.username });
    await replyToQuestion(ctx, question, services);
  });

  composer.chatType(['group', 'supergroup']).on('message:text', async (ctx) => {
    const message = ctx.msg;
    // Commands for other bots, and our unknown ones, are not questions.
    if (startsWithCommand(message)) return;
    const isReplyToBot = message.reply_to_message?.from?.id === ctx.me.id;
    if (!isReplyToBot && !mentionsBot({ text: message.text, entities: message.entities, botUsername: ctx.me.username })) return;
    const question = extractQuestion({ text: message.text, entities: message.entities, botUsername: ctx.me.username });
    if (question === '') {
      if (!(await services.admit(ctx))) return;
      const example = escapeHtml(firstExample(services.engines.current.info, await ctx.i18n.getLocale()));
      await ctx.reply(`${escapeHtml(ctx.t('group-empty'))}\n<i>${example}</i>`, htmlOptions({ replyTo: message.message_id }));
      return;
    }
    await replyToQuestion(ctx, question, services);
  });

  return composer;
}
