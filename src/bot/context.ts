import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';

/** The context every feature sees: grammY's, with the i18n plugin's `t` (the reader's language). */
export type BotContext = Context & I18nFlavor;
