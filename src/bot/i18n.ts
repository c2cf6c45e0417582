import { I18n } from '@grammyjs/i18n';
import { DEFAULT_LOCALE, localesDir } from '../render/messages.js';
import type { Voice } from '../render/html.js';
import type { BotContext } from './context.js';

/**
 * grammY's i18n plugin over the Fluent files in `locales/`: the bot's own words follow the
 * user's Telegram language where a file exists (English and Russian), English otherwise.
 * Quotes are never translated.
 */
export function createI18n(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: DEFAULT_LOCALE,
    // The messages are Telegram HTML: Unicode isolation marks around variables would only be noise.
    fluentBundleOptions: { useIsolating: false },
  });
  i18n.loadLocalesDirSync(localesDir());
  return i18n;
}

/** How the renderers speak to this reader: their translations and their language for dates. */
export async function voiceOf(ctx: BotContext): Promise<Voice> {
  return { t: ctx.t, locale: await ctx.i18n.getLocale() };
}
