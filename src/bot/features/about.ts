import { Composer } from 'grammy';
import { renderAbout } from '../../render/pages-html.js';
import { htmlOptions, replyTarget, type Admit, type EngineSource } from '../answering.js';
import type { BotContext } from '../context.js';
import { voiceOf } from '../i18n.js';

/** /about: the model, when the index was built, and how many articles and chunks it holds. */
export function aboutFeature(deps: { engines: EngineSource; admit: Admit }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('about', async (ctx) => {
    if (!(await deps.admit(ctx))) return;
    await ctx.reply(renderAbout({ info: deps.engines.current.info, voice: await voiceOf(ctx) }), htmlOptions({ replyTo: replyTarget(ctx) }));
  });
  return composer;
}
