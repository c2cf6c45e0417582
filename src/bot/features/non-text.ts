import { Composer } from 'grammy';
import { firstExample } from '../../render/about.js';
import { escapeHtml } from '../../render/html.js';
import { htmlOptions, type Admit, type EngineSource } from '../answering.js';
import type { BotContext } from '../context.js';

/**
 * Stickers, photos, voice and other non-text messages: a short hint in private chats; in
 * groups they are never answered. Registered last, so only messages nothing else took arrive.
 */
export function nonTextFeature(deps: { admit: Admit; engines: EngineSource }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType('private').on('message', async (ctx) => {
    if (ctx.msg.text !== undefined) return;
    if (!(await deps.admit(ctx))) return;
    const example = escapeHtml(firstExample(deps.engines.current.info, await ctx.i18n.getLocale()));
    await ctx.reply(`${escapeHtml(ctx.t('non-text'))}\n<i>${example}</i>`, htmlOptions());
  });
  return composer;
}
