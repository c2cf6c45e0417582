import { Composer } from 'grammy';
import type { Logger } from 'pino';
import type { ReloadResult } from '../../core/types.js';
import { isExpectedError } from '../../core/errors.js';
import { createScrubber } from '../../core/redact.js';
import { escapeHtml, truncateText } from '../../render/html.js';
import { htmlOptions, replyTarget, type Admit, type EngineSource } from '../answering.js';
import type { BotContext } from '../context.js';

/** What /reload needs from the engine holder. */
export interface ReloadableEngines extends EngineSource {
  reload(): Promise<ReloadResult>;
}

/** /reload: admins (ADMIN_IDS) re-read the live index in a private chat; others are told no. */
export function adminFeature(deps: { engines: ReloadableEngines; adminIds: readonly number[]; log: Logger; hashUser: (id: number) => string | undefined; admit: Admit }): Composer<BotContext> {
  const { engines, adminIds, log, hashUser, admit } = deps;
  const composer = new Composer<BotContext>();
  composer.command('reload', async (ctx) => {
    if (!(await admit(ctx))) return;
    const options = htmlOptions({ replyTo: replyTarget(ctx) });
    if (ctx.from === undefined || !adminIds.includes(ctx.from.id)) {
      await ctx.reply('Sorry, /reload is only for the bot’s admins.', options);
      return;
    }
    if (ctx.chat.type !== 'private') {
      await ctx.reply('Please send /reload to me in a private chat.', options);
      return;
    }
    const result = await engines.reload();
    if (result.status === 'failed') {
      log.warn({ admin: hashUser(ctx.from.id), build: result.build, err: result.error }, 'reload requested; new index rejected');
    } else {
      log.info({ admin: hashUser(ctx.from.id), status: result.status, build: result.build }, 'reload requested');
    }
    await ctx.reply(describeReload(result, engines.current.info), options);
  });
  return composer;
}

const scrub = createScrubber();

function describeReload(result: ReloadResult, info: { articles: number; chunks: number }): string {
  const size = `${info.articles} articles, ${info.chunks} chunks`;
  switch (result.status) {
    case 'reloaded':
      return `Reloaded the index: now serving build <code>${escapeHtml(result.build)}</code> (${size}).`;
    case 'unchanged':
      return `The index has not changed: still serving build <code>${escapeHtml(result.build)}</code> (${size}).`;
    case 'failed': {
      // Expected errors are written for people (what is wrong, how to fix it); anything else
      // may carry internals, so it stays in the log. Token-shaped strings never reach a chat.
      const reason = isExpectedError(result.error) ? truncateText(scrub(result.error.message), 600) : 'an unexpected error; the log has the details';
      return `The new index could not be loaded, so I keep serving build <code>${escapeHtml(result.build)}</code>.\nReason: ${escapeHtml(reason)}`;
    }
  }
}
