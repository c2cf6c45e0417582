import { Composer } from 'grammy';
import { renderSources } from '../../render/pages-html.js';
import { htmlOptions, replyTarget, type Admit, type EngineSource } from '../answering.js';
import type { BotContext } from '../context.js';
import { voiceOf } from '../i18n.js';

/** /sources: every article the bot quotes, with outlet, date and title; several messages if long. */
export function sourcesFeature(deps: { engines: EngineSource; admit: Admit }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // One reply, even when it takes several messages; each message costs the user's rate-limit
  // budget as a reply does, so a long list cannot flood a group (the list stops, with the
  // usual slow-down note, when the budget runs out).
  composer.command('sources', async (ctx) => {
    const messages = renderSources({ info: deps.engines.current.info, voice: await voiceOf(ctx) });
    const replyTo = replyTarget(ctx);
    for (const [i, text] of messages.entries()) {
      if (!(await deps.admit(ctx))) return;
      await ctx.reply(text, htmlOptions({ replyTo: i === 0 ? replyTo : undefined }));
    }
  });
  return composer;
}
