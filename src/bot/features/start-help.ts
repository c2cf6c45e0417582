import { Composer } from 'grammy';
import { renderHelp, renderStart } from '../../render/pages-html.js';
import { htmlOptions, replyTarget, type Admit, type EngineSource } from '../answering.js';
import type { BotContext } from '../context.js';
import { voiceOf } from '../i18n.js';

/** /start and /help: what the bot knows, how to ask in each kind of chat, examples. */
export function startHelpFeature(deps: { engines: EngineSource; admit: Admit }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('start', async (ctx) => {
    if (!(await deps.admit(ctx))) return;
    const voice = await voiceOf(ctx);
    const text = renderStart({ info: deps.engines.current.info, username: ctx.me.username, firstName: ctx.from?.first_name, voice });
    await ctx.reply(text, htmlOptions({ replyTo: replyTarget(ctx) }));
  });
  composer.command('help', async (ctx) => {
    if (!(await deps.admit(ctx))) return;
    await ctx.reply(renderHelp({ info: deps.engines.current.info, username: ctx.me.username, voice: await voiceOf(ctx) }), htmlOptions({ replyTo: replyTarget(ctx) }));
  });
  return composer;
}
